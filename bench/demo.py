"""Benchmark: the offline LoRA demo (`lora-course demo`), full size. Writes bench/results/demo.json and prints the table.

The micro models are pretrained on each machine (`make build-micro`), so the demo's numbers differ between machines: a run on a
machine other than the stored one's keeps that run too, under `elsewhere` (one run per machine), and the README shows them all.
Usage: python bench/demo.py [--steps N] [--quick]   (--quick: a few steps, to check the script runs; writes nothing)
"""
import argparse, json, sys
from common import write_result, machine, RESULTS

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--steps", type=int, default=450); p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    from lora_course.cli import demo
    from lora_course.env import quiet_hf; quiet_hf()
    n_eval = 20 if a.quick else 200
    res = demo(steps=5 if a.quick else a.steps, n_eval=n_eval, progress=False)
    if a.quick: sys.exit(0)
    old = json.loads((RESULTS / "demo.json").read_text()) if (RESULTS / "demo.json").exists() else None
    runs = [] if old is None else [old] + old.get("elsewhere", [])
    here = machine()   # the machine alone: write_result takes the commit
    elsewhere = {r["machine"]: {k: v for k, v in r.items() if k not in ("elsewhere", "examples")} for r in runs if r["machine"] != here}
    write_result("demo", {**{k: v for k, v in res.items() if k != "losses"}, "n_eval": n_eval, "elsewhere": list(elsewhere.values())})
