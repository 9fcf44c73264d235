"""Benchmark: LoRA's variants (notebook 04b) compared on the micro-world, at one budget.

Each run: a fresh micro model, the course's `inject_lora` on every linear layer with one variant switched on (LoRA, rsLoRA,
DoRA, PiSSA, or LoRA with LoRA+'s optimizer), `train_loop` for the same number of steps at the same learning rate and
α, then ROUGE-1/2/L and facts recall on the test dialogues, the forgetting probe (notebook 01), seconds per step and the
training loss around step 100 (does PiSSA start faster?). α is the same at every rank, so plain LoRA's scaling α/r falls
as r grows while rsLoRA's α/√r falls more slowly: the sweep over r asks whether that shows in quality.
Writes lora_course/results/variants.json (rows merged by model, variant, rank and seed; notebook 04b reads it, so it ships
with the package; the README reads it too).
Usage: python bench/variants.py [--models micro-t5 micro-llama] [--ranks 2 8 32] [--seeds 0 1] [--variants ...] [--quick]
"""
import argparse, json, sys, time
from pathlib import Path
from common import merge_rows, write_result
OUT = Path(__file__).parents[1] / "lora_course" / "results"   # notebook 04b reads it, so it ships with the package

VARIANTS = {"LoRA": {}, "rsLoRA": dict(use_rslora=True), "DoRA": dict(use_dora=True), "PiSSA": dict(init_lora_weights="pissa"),
            "LoRA+": {}}
STEPS, LR, ALPHA, BATCH = 300, 2e-3, 16, 32

def run(model_name, variant, r, seed, steps=STEPS, n_eval=200, progress=True):
    import torch
    from lora_course.models import load_model, count_parameters
    from lora_course.data import load_dialogues
    from lora_course.metrics import evaluate_model
    from lora_course.train import train_loop, forgetting_probe
    from lora_course.lora import inject_lora
    from lora_course.variants import VariantLoRALinear, loraplus_optimizer
    ds = load_dialogues("micro")
    torch.manual_seed(seed)
    model, tok = load_model(model_name)
    inject_lora(model, "all-linear", r=r, lora_alpha=ALPHA, layer=VariantLoRALinear, **VARIANTS[variant])
    opt = loraplus_optimizer(model, lr=LR, betas=(0.9, 0.98)) if variant == "LoRA+" else None   # train_loop's AdamW betas
    t0 = time.time()
    hist = train_loop(model, tok, ds["train"], steps=steps, lr=LR, batch_size=BATCH, seed=seed, progress=progress, optimizer=opt)
    secs = time.time() - t0
    scores, _ = evaluate_model(model, tok, ds["test"].select(range(n_eval)), progress=False)
    early = hist["loss"][max(0, min(steps, 100) - 10):min(steps, 100)]
    res = {"model": model_name, "variant": variant, "r": r, "seed": seed, "lora_alpha": ALPHA, "lr": LR, "steps": steps,
           "batch_size": BATCH, "trainable": count_parameters(model)["trainable"], "s/step": round(secs / steps, 3),
           "loss @100": sum(early) / len(early), "final loss": sum(hist["loss"][-10:]) / len(hist["loss"][-10:]),
           "ROUGE-1": scores["rouge1"], "ROUGE-2": scores["rouge2"], "ROUGE-L": scores["rougeL"],
           "facts recall": scores["facts_recall"], "forgetting probe": forgetting_probe(model)}
    print(json.dumps(res), flush=True)
    return res

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--models", nargs="*", default=["micro-t5", "micro-llama"]); p.add_argument("--ranks", nargs="*", type=int, default=[2, 8, 32])
    p.add_argument("--seeds", nargs="*", type=int, default=[0, 1]); p.add_argument("--variants", nargs="*", default=list(VARIANTS))
    p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    from lora_course.env import quiet_hf; quiet_hf()
    if a.quick:
        for v in VARIANTS: run("micro-t5", v, 2, 0, steps=3, n_eval=5, progress=False)
        sys.exit(0)
    rows = [run(m, v, r, s) for m in a.models for r in a.ranks for s in a.seeds for v in a.variants]
    key = lambda row: (row["model"], row["variant"], row["r"], row["seed"])
    rows = merge_rows("variants", rows, key, [key(row) for row in rows], folder=OUT)
    write_result("variants", dict(settings=dict(steps=STEPS, lr=LR, lora_alpha=ALPHA, batch_size=BATCH, targets="all-linear",
                                                n_eval=200, loraplus_lr_ratio=16), rows=rows), folder=OUT)
