"""Benchmark: full fine-tuning vs LoRA vs QLoRA on both micro models, with the `lora-course finetune` recipe.

Each run in a fresh process (so one run's memory cannot hide in another's peak): load the model the way
`lora-course finetune --method M` does, train with transformers' Trainer, then score 200 test dialogues.
Measured: trainable parameters, seconds per optimizer step, the peak memory increase while training (sampled RSS,
notebook 02's `peak_memory_increase`: weights already loaded are not counted, so it is gradients, optimizer state,
activations and the Trainer's own) and test ROUGE-L and facts recall.
On this CPU QLoRA's 4-bit layers dequantize at every call: it saves memory, not time (notebook 06). The step time
includes the memory sampler's overhead (a thread reading RSS every 0.2 ms), alike for every run.
Writes bench/results/methods.json (the README's results table reads it).
Usage: python bench/methods.py [--steps 300] [--only micro-t5/lora ...] [--quick]   (--quick: 3 steps of each, 8 test dialogues, the
first run in a fresh process and the rest in this one; writes nothing)
"""
import argparse, json, os, subprocess, sys
from common import write_result, merge_rows
from lora_course.recipes import METHODS
MODELS = ("micro-t5", "micro-llama")

def one_run(model:str, method:str, steps:int, n_eval:int)->dict:
    "Load, train and score one (model, method) in this process."
    import time, torch
    from lora_course.env import quiet_hf; quiet_hf()
    from lora_course.recipes import DEFAULT_LR
    from lora_course.lora import attach_lora
    from lora_course.data import load_dialogues
    from lora_course.memory import peak_memory_increase
    from lora_course.metrics import evaluate_model
    from lora_course.models import load_model, count_parameters
    from lora_course.train import finetune
    torch.manual_seed(0)
    if method == "qlora":
        from lora_course.qlora import qlora_model
        m, tok = qlora_model(model, r=8, lora_alpha=16)
    else:
        m, tok = load_model(model)
        if method == "lora": m = attach_lora(m, 8, 16, 0.0, "all-linear")
    ds = load_dialogues("micro")
    t0 = time.time()
    losses, peak = peak_memory_increase(lambda: finetune(m, tok, ds["train"], steps=steps, lr=DEFAULT_LR[method], progress=False))
    seconds = time.time() - t0
    scores, _ = evaluate_model(m, tok, ds["test"].select(range(n_eval)), progress=False)
    return dict(model=model, method=method, steps=steps, lr=DEFAULT_LR[method], params=count_parameters(m), step_s=seconds / steps,
                train_seconds=seconds, peak_increase_bytes=peak, final_loss=losses[-1] if losses else None,
                rougeL=scores["rougeL"], facts_recall=scores["facts_recall"], n_eval=n_eval)

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--steps", type=int, default=300); p.add_argument("--only", nargs="*")
    p.add_argument("--quick", action="store_true"); p.add_argument("--_one", nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args()
    steps, n_eval = (3, 8) if a.quick else (a.steps, 200)
    if a._one:   # the child process: one run, its result as the last line
        print(json.dumps(one_run(*a._one, steps, n_eval))); sys.exit(0)
    rows = []
    for model in MODELS:
        for method in METHODS:
            if a.only and f"{model}/{method}" not in a.only: continue
            if a.quick and rows:   # a quick pass checks the code, not the memory: one fresh process is enough, the rest run here
                row = one_run(model, method, steps, n_eval)
            else:
                env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536")   # freed tensors go back to the OS: RSS follows the live memory
                cmd = [sys.executable, __file__, "--_one", model, method, "--steps", str(a.steps)] + (["--quick"] if a.quick else [])
                r = subprocess.run(cmd, capture_output=True, text=True, env=env)
                if r.returncode: raise SystemExit(f"{model}/{method} failed:\n{r.stderr[-3000:]}")
                row = json.loads(r.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(f"{model:12s} {method:6s} trainable {row['params']['trainable']:>9,} ({row['params']['percent']:6.2f}%) · "
                  f"{1e3 * row['step_s']:6.0f} ms/step · peak +{row['peak_increase_bytes'] / 2**20:6.0f} MiB · ROUGE-L {row['rougeL']:.3f} · "
                  f"facts {row['facts_recall']:.3f}", flush=True)
    if a.quick: sys.exit(0)
    rows = merge_rows("methods", rows, lambda r: f"{r['model']}/{r['method']}", a.only)
    write_result("methods", dict(rows=rows, batch_size=32))
