"""Benchmark: LoRA's variants (notebook 04b) compared on the micro-world, at one budget.

Each run: a fresh micro model, the course's `inject_lora` on every linear layer with one variant switched on (LoRA, rsLoRA,
DoRA, PiSSA, or LoRA with LoRA+'s optimizer), `train_loop` for the same number of steps at the same learning rate and
α, then ROUGE-1/2/L and facts recall on the test dialogues, the forgetting probe (notebook 01), seconds per step and the
training loss around step 100 (does PiSSA start faster?). α is the same at every rank, so plain LoRA's scaling α/r falls
as r grows while rsLoRA's α/√r falls more slowly: the sweep over r asks whether that shows in quality.
Writes lora_course/results/variants.json (rows merged by model, variant, rank, seed and learning rate; notebook 04b reads it, so it ships
with the package; the README reads it too).
Each run also keeps its per-example ROUGE-L and facts found on the test dialogues, for paired bootstrap intervals (notebook 00d),
and ROUGE-L on the validation dialogues, which picks a grid's best rate (the test set only scores the pick).
With --lrs, a learning-rate grid: each variant compared at its own best rate as well as at the shared one (rsLoRA's scaling and
LoRA+'s ratio are, in part, a larger step: at one rate the comparison measures the step as much as the method).
Usage: python bench/variants.py [--models micro-t5 micro-llama] [--ranks 2 8 32] [--seeds 0 1] [--lrs 5e-4 2e-3 8e-3] [--variants ...]
       python bench/variants.py --quick
"""
import argparse, json, sys, time
from pathlib import Path
from common import merge_rows, write_result, stamp
OUT = Path(__file__).parents[1] / "lora_course" / "results"   # notebook 04b reads it, so it ships with the package

VARIANTS = {"LoRA": {}, "rsLoRA": dict(use_rslora=True), "DoRA": dict(use_dora=True), "PiSSA": dict(init_lora_weights="pissa"),
            "OLoRA": dict(init_lora_weights="olora"), "LoRA+": {}}
STEPS, LR, ALPHA, BATCH = 300, 2e-3, 16, 32

def run(model_name, variant, r, seed, steps=STEPS, n_eval=200, progress=True, lr=LR):
    import torch
    from lora_course.models import load_model, count_parameters
    from lora_course.data import load_dialogues
    from lora_course.metrics import evaluate_model, rouge_per_example, facts_counts
    from lora_course.train import train_loop, forgetting_probe
    from lora_course.lora import inject_lora
    from lora_course.variants import VariantLoRALinear, loraplus_optimizer
    ds = load_dialogues("micro")
    torch.manual_seed(seed)
    model, tok = load_model(model_name)
    inject_lora(model, "all-linear", r=r, lora_alpha=ALPHA, layer=VariantLoRALinear, **VARIANTS[variant])
    opt = loraplus_optimizer(model, lr=lr, betas=(0.9, 0.98)) if variant == "LoRA+" else None   # train_loop's AdamW betas
    t0 = time.time()
    hist = train_loop(model, tok, ds["train"], steps=steps, lr=lr, batch_size=BATCH, seed=seed, progress=progress, optimizer=opt)
    secs = time.time() - t0
    test = ds["test"].select(range(n_eval))
    scores, preds = evaluate_model(model, tok, test, progress=False)
    found, stated = facts_counts(preds, test["summary"])
    val, _ = evaluate_model(model, tok, ds["validation"].select(range(n_eval)), progress=False)   # picks the grid's best rate
    early = hist["loss"][max(0, min(steps, 100) - 10):min(steps, 100)]
    res = {"model": model_name, "variant": variant, "r": r, "seed": seed, "lora_alpha": ALPHA, "lr": lr, "steps": steps,
           "batch_size": BATCH, "trainable": count_parameters(model)["trainable"], "s/step": round(secs / steps, 3),
           "loss @100": sum(early) / len(early), "final loss": sum(hist["loss"][-10:]) / len(hist["loss"][-10:]),
           "ROUGE-1": scores["rouge1"], "ROUGE-2": scores["rouge2"], "ROUGE-L": scores["rougeL"],
           "facts recall": scores["facts_recall"], "validation ROUGE-L": val["rougeL"], "forgetting probe": forgetting_probe(model),
           "per example": {"ROUGE-L": [round(x, 5) for x in rouge_per_example(preds, test["summary"])], "facts found": found, "facts stated": stated}}
    print(json.dumps(res), flush=True)
    return res

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--models", nargs="*", default=["micro-t5", "micro-llama"]); p.add_argument("--ranks", nargs="*", type=int, default=[2, 8, 32])
    p.add_argument("--seeds", nargs="*", type=int, default=[0, 1]); p.add_argument("--variants", nargs="*", default=list(VARIANTS))
    p.add_argument("--lrs", nargs="*", type=float, default=[LR], help="learning rates (a grid: each method at its own best)")
    p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    from lora_course.env import quiet_hf; quiet_hf()
    if a.quick:
        for v in VARIANTS: run("micro-t5", v, 2, 0, steps=3, n_eval=5, progress=False)
        sys.exit(0)
    began = stamp()   # the code as it was when the runs began: edits made while they run are not theirs
    rows = [run(m, v, r, s, lr=lr) for m in a.models for r in a.ranks for s in a.seeds for lr in a.lrs for v in a.variants]
    if len(a.lrs) > 1:   # a grid is its own study, run on one machine: it never replaces the sweep's rows at the shared rate
        rows = [dict(row, study="lr grid") for row in rows]
    key = lambda row: (row["model"], row["variant"], row["r"], row["seed"], row["lr"], row.get("study", "sweep"))
    rows = merge_rows("variants", rows, key, [key(row) for row in rows], folder=OUT, stamped=began)
    write_result("variants", dict(settings=dict(steps=STEPS, lr=LR, lora_alpha=ALPHA, batch_size=BATCH, targets="all-linear",
                                                n_eval=200, loraplus_lr_ratio=16), rows=rows), folder=OUT)
