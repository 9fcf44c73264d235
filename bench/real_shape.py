"""Benchmark: google/flan-t5-base at its real shape on this machine: full fine-tuning, LoRA (r=16 on q, v) and QLoRA (NF4 base,
the same LoRA), seconds per step and peak memory increase, each in a fresh process, beside notebook 02's estimate.

The weights are the full-size stand-in's (random: memory and time only, never quality), loaded through the real code path
from a Hugging Face home of the benchmark's own (.cache/hf-real-shape). The input length is what `choose_lengths` picks
from the samsum stand-in (95% of its prompts fit). Writes bench/results/real_shape.json (real_shape_gpu.json on a GPU).
--quick: the tiny stand-in, one step each, nothing written.
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
from common import write_result
HOME = Path(__file__).resolve().parents[1] / ".cache" / "hf-real-shape"   # stand-ins never go into a real Hugging Face cache
os.environ.update(HF_HOME=str(HOME), HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")

from lora_course.recipes import METHODS  # noqa: E402 (after HF_HOME is set: nothing may read the default cache first)
MODEL = "google/flan-t5-base"
LORA = dict(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=["q", "v"])

def _batch(tok, batch:int, seq:int, target:int)->dict:
    "`batch` samsum-stand-in chats long enough to fill `seq` prompt tokens, labels padded to `target`: the real shape, fixed."
    import torch
    from lora_course.data import load_dialogues, tokenize_pair
    train = load_dialogues("samsum", "train")
    rows = [tokenize_pair(tok, r["dialogue"], r["summary"], max_input_length=seq, max_target_length=target) for r in train.select(range(400))]
    rows = sorted(rows, key=lambda x: -len(x["input_ids"]))[:batch]
    pad = lambda xs, n, v: [x + [v] * (n - len(x)) for x in xs]
    n_in = max(len(r["input_ids"]) for r in rows)
    return dict(input_ids=torch.tensor(pad([r["input_ids"] for r in rows], n_in, tok.pad_token_id)),
                attention_mask=torch.tensor(pad([r["attention_mask"] for r in rows], n_in, 0)),
                labels=torch.tensor(pad([r["labels"] for r in rows], target, -100)))

def measure(method:str, batch:int, seq:int, target:int, steps:int)->dict:
    "In this (fresh) process: load, warm up on one chat, then `steps` AdamW steps: seconds each and the peak memory increase."
    import torch
    from peft import LoraConfig, get_peft_model
    from lora_course.env import quiet_hf, flush_denormals
    from lora_course.models import load_model, count_parameters
    from lora_course.qlora import qlora_model
    from lora_course.memory import peak_memory_increase, estimate_training_memory, activation_bytes
    quiet_hf(); torch.manual_seed(0); flush_denormals()
    if method == "qlora": m, tok = qlora_model(MODEL, **LORA)
    else:
        m, tok = load_model(MODEL)
        if method == "lora": m = get_peft_model(m, LoraConfig(**LORA, task_type="SEQ_2_SEQ_LM"))
    m.train()
    b = {k: v.to(m.device) for k, v in _batch(tok, batch, seq, target).items()}
    params = [p for p in m.parameters() if p.requires_grad]
    warm = torch.optim.AdamW(params, lr=0.0)                       # one-time costs (kernels, thread pools) stay out of the baseline
    m(**{k: v[:1] for k, v in b.items()}).loss.backward(); warm.step(); m.zero_grad(set_to_none=True); del warm
    opt, times = torch.optim.AdamW(params, lr=1e-5), []
    def run():
        for _ in range(steps):
            t = time.time(); m(**b).loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
            if torch.cuda.is_available(): torch.cuda.synchronize()
            times.append(time.time() - t)
    _, peak = peak_memory_increase(run)
    c = count_parameters(m)
    e = estimate_training_memory(c["total"], trainable=c["trainable"], config=m.config)   # weights, gradients, optimizer (fp32 AdamW)
    act = activation_bytes(m.config, b["input_ids"].shape[0], b["input_ids"].shape[1], target, bytes_per_value=4)
    estimate = e["gradients"] + e["optimizer"] + act                 # what the measurement sees: the weights are in its baseline
    return dict(method=method, params=c, batch=batch, seq=int(b["input_ids"].shape[1]), target=target, steps=steps,
                seconds_per_step=sorted(times)[len(times) // 2], measured_bytes=peak, estimate_bytes=estimate,
                estimate=dict(gradients=e["gradients"], optimizer=e["optimizer"], activations=act), ratio=estimate / peak)

def in_fresh_process(method, batch, seq, target, steps)->dict:
    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import real_shape; "
            f"print(json.dumps(real_shape.measure({method!r}, {batch}, {seq}, {target}, {steps})))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536"))
    if p.returncode: raise RuntimeError(f"{method} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])

def main(quick:bool=False, batch:int=2, steps:int=3):
    import torch
    from lora_course.standins import make_stand_ins
    from lora_course.data import load_dialogues, choose_lengths
    from transformers import AutoTokenizer
    size = "tiny" if quick else "full"
    done = HOME / f"stand-ins-{size}.done"
    if not done.exists():
        for f in HOME.glob("stand-ins-*.done"): f.unlink()
        make_stand_ins(size, only=[MODEL, "knkarthick/samsum"]); done.touch()
    lengths = choose_lengths(load_dialogues("samsum", "train"), AutoTokenizer.from_pretrained(MODEL), cap=512)
    seq, target = lengths["max_input_length"], lengths["max_target_length"]
    rows = [in_fresh_process(m, batch, seq, target, 1 if quick else steps) for m in METHODS]
    print(f"\n{MODEL} ({size} stand-in, random weights: memory and time only), batch {batch} × {seq} input / {target} target tokens")
    print(f"{'method':8s}{'trainable':>14s}{'s/step':>9s}{'measured MB':>13s}{'estimate MB':>13s}{'ratio':>7s}")
    for r in rows:
        print(f"{r['method']:8s}{r['params']['trainable']:>14,}{r['seconds_per_step']:9.2f}{r['measured_bytes'] / 1e6:13.0f}"
              f"{r['estimate_bytes'] / 1e6:13.0f}{r['ratio']:7.2f}")
    if quick: return
    res = dict(model=MODEL, stand_in=size, weights="random: memory and time only", total_parameters=rows[0]["params"]["total"],
               batch=batch, input_tokens=seq, target_tokens=target, steps=steps, lora=dict(LORA, target_modules=",".join(LORA["target_modules"])),
               device="cuda" if torch.cuda.is_available() else "cpu", rows=rows)
    write_result("real_shape_gpu" if torch.cuda.is_available() else "real_shape", res)

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--quick", action="store_true"); p.add_argument("--batch", type=int, default=2)
    p.add_argument("--steps", type=int, default=3)
    a = p.parse_args(); main(a.quick, a.batch, a.steps)
