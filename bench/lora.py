"""Benchmark: the LoRA sweep of notebook 04 on micro-t5 (our LoRALinear, our training loop), and the recipe it picks.

Each run: fresh micro-t5, `inject_lora`, `train_loop`, then ROUGE-1/2/L and facts recall on the 200 test dialogues,
the forgetting probe (notebook 01), the adapter's file size and the training time. The budget is full fine-tuning's
wall time (bench/full_finetuning.py: 400 steps); decoder-only runs are cheaper per step (no backward through the
encoder) and get more steps in about the same time. The goals a LoRA recipe should meet, checked against bench/results/full_finetuning.json:
ROUGE-L and facts recall ≥ 0.9 × full fine-tuning's with ≤ 2% trainable parameters, forgetting ≤ 0.5 × full's.
Writes lora_course/results/lora.json (notebook 04 reads it, so it ships with the package; the README reads it too).
Usage: python bench/lora.py [--only NAME ...] [--quick]   (--quick: 5 steps of two runs, writes nothing)
"""
import argparse, json, sys, tempfile
from pathlib import Path
from common import write_result, merge_rows
from lora_course.models import LINEAR_LAYERS

ALL = [*LINEAR_LAYERS["t5"]["attention"], *LINEAR_LAYERS["t5"]["feed_forward"]]   # every linear layer of a T5 block
DECODER = r".*decoder.*\.(" + "|".join(ALL) + ")"
SWEEP = {   # name: (target_modules, r, lr, steps, batch_size); lora_alpha = 2r throughout
    "q,v r=8 lr 3e-3":          (["q", "v"], 8, 3e-3, 400, 32),    # the seed's prototype
    "q,v r=8":                  (["q", "v"], 8, 1e-2, 400, 32),
    "attention r=4":            (["q", "k", "v", "o"], 4, 1e-2, 400, 32),
    "all linear r=2":           (ALL, 2, 1e-2, 420, 32),
    "decoder r=2":              (DECODER, 2, 1e-2, 800, 32),
    "decoder r=4":              (DECODER, 4, 4e-3, 800, 32),
    "decoder r=4, batch 16":    (DECODER, 4, 5e-3, 1500, 16),
}
RECIPE = "decoder r=4, batch 16"

def run(name, targets, r, lr, steps, batch_size, n_eval=200, progress=True):
    import torch
    from lora_course.models import load_model, count_parameters
    from lora_course.data import load_dialogues
    from lora_course.metrics import evaluate_model
    from lora_course.train import train_loop, forgetting_probe
    from lora_course.lora import inject_lora, save_lora
    ds = load_dialogues("micro")
    torch.manual_seed(0)
    model, tok = load_model("micro-t5")
    inject_lora(model, targets, r=r, lora_alpha=2 * r)
    c = count_parameters(model)
    hist = train_loop(model, tok, ds["train"], steps=steps, lr=lr, batch_size=batch_size, progress=progress)
    scores, _ = evaluate_model(model, tok, ds["test"].select(range(n_eval)), progress=False)
    with tempfile.TemporaryDirectory() as d:
        adapter_bytes = (save_lora(model, d, "micro-t5") / "adapter_model.safetensors").stat().st_size
    res = {"name": name, "targets": targets, "r": r, "lora_alpha": 2 * r, "lr": lr,
           "steps": steps, "batch_size": batch_size, "trainable": c["trainable"], "trainable %": c["percent"],
           "train s": round(hist["seconds"], 1), "ROUGE-1": scores["rouge1"], "ROUGE-2": scores["rouge2"], "ROUGE-L": scores["rougeL"],
           "facts recall": scores["facts_recall"], "forgetting probe": forgetting_probe(model), "adapter bytes": adapter_bytes}
    print(json.dumps(res), flush=True)
    return res

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--only", nargs="*"); p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    from lora_course.env import quiet_hf; quiet_hf()
    out = Path(__file__).parents[1] / "lora_course" / "results" / "lora.json"
    if a.quick:
        for name in ("q,v r=8", "decoder r=4"): run(name, *SWEEP[name][:3], 5, 8, n_eval=10, progress=False)
        sys.exit(0)
    full = json.loads((Path(__file__).parent / "results" / "full_finetuning.json").read_text())
    sweep = merge_rows("lora", [run(name, *cfg) for name, cfg in SWEEP.items() if not a.only or name in a.only],
                       lambda r: r["name"], a.only, folder=out.parent, field="sweep")
    runs = {r["name"]: r for r in sweep}
    rec, ff = runs[RECIPE], full["after"]
    forget_full = full["forgetting"]["after"] - full["forgetting"]["before"]
    forget_lora = rec["forgetting probe"] - full["forgetting"]["before"]
    targets = {"ROUGE-L ≥ 0.9 × full": [rec["ROUGE-L"] / ff["rougeL"], rec["ROUGE-L"] >= 0.9 * ff["rougeL"]],
               "facts recall ≥ 0.9 × full": [rec["facts recall"] / ff["facts_recall"], rec["facts recall"] >= 0.9 * ff["facts_recall"]],
               "trainable ≤ 2%": [rec["trainable %"], rec["trainable %"] <= 2],
               "forgetting ≤ 0.5 × full": [forget_lora / forget_full, forget_lora <= 0.5 * forget_full]}
    res = dict(model="micro-t5", recipe=RECIPE, sweep=list(runs.values()), full_finetuning=full, targets=targets,
               model_bytes=4 * full["params"]["total"], n_eval=200)
    for k, (v, ok) in targets.items(): print(f"{k}: {v:.3f} {'met' if ok else 'MISSED'}")
    write_result("lora", res, folder=out.parent)
