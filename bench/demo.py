"""Benchmark: the offline LoRA demo (`lora-course demo`), full size. Writes bench/results/demo.json and prints the table.

Usage: python bench/demo.py [--steps N] [--quick]   (--quick: a few steps, to check the script runs; writes nothing)
"""
import argparse, sys
from common import write_result

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--steps", type=int, default=450); p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    from lora_course.cli import demo
    from lora_course.env import quiet_hf; quiet_hf()
    n_eval = 20 if a.quick else 200
    res = demo(steps=5 if a.quick else a.steps, n_eval=n_eval, progress=False)
    if a.quick: sys.exit(0)
    write_result("demo", {**{k: v for k, v in res.items() if k != "losses"}, "n_eval": n_eval})
