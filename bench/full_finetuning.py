"""Benchmark: full fine-tuning of micro-t5 with the course's own loop (notebook 01), full size.

Writes bench/results/full_finetuning.json: ROUGE-1/2/L and facts recall before and after on the test split,
trainable parameters, training time, and the forgetting probe before and after.
Usage: python bench/full_finetuning.py [--steps N] [--quick]   (--quick: a few steps, to check the script runs; writes nothing)
"""
import argparse, sys
from common import write_result

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--steps", type=int, default=400); p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    from lora_course.env import quiet_hf; quiet_hf()
    from lora_course.models import load_model, count_parameters
    from lora_course.data import load_dialogues
    from lora_course.metrics import evaluate_model, format_scores
    from lora_course.train import train_loop, forgetting_probe
    steps, n_eval = (5, 20) if a.quick else (a.steps, 200)
    model, tok = load_model("micro-t5")
    ds = load_dialogues("micro")
    test = ds["test"].select(range(n_eval))
    before, _ = evaluate_model(model, tok, test, progress=False)
    probe_before = forgetting_probe(model)
    hist = train_loop(model, tok, ds["train"], steps=steps, lr=1e-3, progress=not a.quick)
    after, _ = evaluate_model(model, tok, test, progress=False)
    res = dict(model="micro-t5", method="full fine-tuning (our loop)", steps=steps, lr=1e-3, params=count_parameters(model),
               before=before, after=after, train_seconds=round(hist["seconds"], 1),
               forgetting=dict(before=probe_before, after=forgetting_probe(model)), n_eval=n_eval, batch_size=32)
    print("before:", format_scores(before)); print("after: ", format_scores(after))
    print(f"{steps} steps in {hist['seconds']:.0f} s · forgetting probe {res['forgetting']['before']:.3f} -> {res['forgetting']['after']:.3f}")
    if a.quick: sys.exit(0)
    write_result("full_finetuning", res)
