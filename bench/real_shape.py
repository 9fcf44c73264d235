"""Benchmark: the course's two real models at their real shape on this machine: google/flan-t5-base (full fine-tuning, LoRA r=16 on
q, v, QLoRA: NF4 base, the same LoRA) and Qwen2.5-0.5B-Instruct (the same three, LoRA on every linear layer as notebook 12), each
with and without gradient checkpointing: seconds per step and peak memory increase, each run in a fresh process, beside notebook
02's estimate of the same increase (gradients, optimizer state and activations: the loaded weights are in the baseline).

The weights are the full-size stand-ins' (random: memory and time only, never quality), loaded through the real code path
from a Hugging Face home of the benchmark's own (.cache/hf-real-shape). The lengths are what the notebooks pick from the samsum
stand-in: `choose_lengths` for flan-t5-base (95% of the prompts whole), `chat_lengths` of its chats as summary conversations for
Qwen (notebook 12). Writes bench/results/real_shape.json (real_shape_gpu.json on a GPU).
--quick: the tiny stand-ins, one step each, no checkpointing, nothing written.
A partial run (--models) keeps the other model's rows under the stamp they were measured with; --reestimate puts today's
estimate beside the stored measurements without training (each row records the commit of both).
Usage: python bench/real_shape.py [--quick] [--models google/flan-t5-base Qwen/Qwen2.5-0.5B-Instruct] [--batch 2] [--steps 3]
       python bench/real_shape.py --reestimate
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
HOME = Path(__file__).resolve().parents[1] / ".cache" / "hf-real-shape"   # stand-ins never go into a real Hugging Face cache
os.environ.update(HF_HOME=str(HOME), HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")

from lora_course.recipes import METHODS  # noqa: E402 (after HF_HOME is set: nothing may read the default cache first)
MODELS = {"google/flan-t5-base": ["q", "v"], "Qwen/Qwen2.5-0.5B-Instruct": "all-linear"}   # LoRA's targets: notebooks 04 and 12
LORA = dict(r=16, lora_alpha=32, lora_dropout=0.0)

def lengths_for(model:str, tok)->dict:
    "The token limits the notebooks pick from the samsum stand-in for `model`."
    from lora_course.data import load_dialogues, choose_lengths, chat_lengths
    from lora_course.chat import summary_chat
    train = load_dialogues("samsum", "train")
    if tok.chat_template is None: return choose_lengths(train, tok, cap=512)
    return chat_lengths([summary_chat(d, s) for d, s in zip(train["dialogue"], train["summary"])], tok)

def _batch(tok, batch:int, lengths:dict)->dict:
    "`batch` of the longest samsum-stand-in chats within the limits (a seq2seq pair, or a summary conversation): the real shape."
    import torch
    from lora_course.data import load_dialogues, tokenize_pair
    from lora_course.chat import summary_chat
    train = load_dialogues("samsum", "train").select(range(400))
    seq, target = lengths["max_input_length"], lengths.get("max_target_length")
    if target:
        rows = [tokenize_pair(tok, r["dialogue"], r["summary"], max_input_length=seq, max_target_length=target) for r in train]
    else:   # causal: the whole conversation, cut at the limit, every token a label (the logits are the same size)
        ids = [tok(tok.apply_chat_template(summary_chat(r["dialogue"], r["summary"]), tokenize=False), add_special_tokens=False)["input_ids"][:seq]
               for r in train]
        rows = [dict(input_ids=x, attention_mask=[1] * len(x), labels=x) for x in ids]
    rows = sorted(rows, key=lambda x: -len(x["input_ids"]))[:batch]
    pad = lambda xs, n, v: [x + [v] * (n - len(x)) for x in xs]
    n_in = max(len(r["input_ids"]) for r in rows)
    return dict(input_ids=torch.tensor(pad([r["input_ids"] for r in rows], n_in, tok.pad_token_id)),
                attention_mask=torch.tensor(pad([r["attention_mask"] for r in rows], n_in, 0)),
                labels=torch.tensor(pad([r["labels"] for r in rows], target or n_in, -100)))

def measure(model:str, method:str, batch:int, steps:int, checkpointing:bool=False)->dict:
    "In this (fresh) process: load, warm up on one example, then `steps` AdamW steps: seconds each and the peak memory increase."
    import torch
    from peft import LoraConfig, get_peft_model
    from lora_course.env import quiet_hf, flush_denormals
    from lora_course.models import load_model, count_parameters, peft_task_type
    from lora_course.qlora import qlora_model
    from lora_course.memory import peak_memory_increase
    quiet_hf(); torch.manual_seed(0); flush_denormals()
    lora = dict(LORA, target_modules=MODELS[model])
    if method == "qlora": m, tok = qlora_model(model, **lora)   # prepare_model_for_kbit_training keeps the rest in fp32
    else:   # fp32, as the estimate counts (Qwen's checkpoint is bf16: a CPU without bf16 units would also run it on a slow path)
        m, tok = load_model(model, dtype=torch.float32)
        if method == "lora": m = get_peft_model(m, LoraConfig(**lora, task_type=peft_task_type(m.config)))
    if checkpointing: m.gradient_checkpointing_enable(gradient_checkpointing_kwargs=dict(use_reentrant=False))
    m.config.use_cache = False
    m.train()
    lengths = lengths_for(model, tok)
    b = {k: v.to(m.device) for k, v in _batch(tok, batch, lengths).items()}
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
    seq, target = int(b["input_ids"].shape[1]), (int(b["labels"].shape[1]) if m.config.is_encoder_decoder else None)
    row = dict(model=model, method=method, checkpointing=checkpointing, params=count_parameters(m), batch=batch, seq=seq, target=target,
               steps=steps, seconds_per_step=sorted(times)[len(times) // 2], measured_bytes=peak)
    return row

def estimate(row:dict, config)->dict:
    """Notebook 02's estimate of what `row` measured: the peak of a step above the weights (gradients, optimizer state and
    activations, not all held at once: `training_peak`), fp32 AdamW as measured."""
    from lora_course.memory import estimate_training_memory
    c = row["params"]
    e = estimate_training_memory(c["total"], trainable=c["trainable"], config=config, batch=row["batch"], seq=row["seq"],
                                 target=row["target"], checkpointing=row["checkpointing"])
    total = e["total"] - e["weights"]                                 # the weights are in the measurement's baseline
    return dict(estimate_bytes=total, estimate={k: e[k] for k in ("gradients", "optimizer", "activations")},
                ratio=total / row["measured_bytes"])

def reestimate(name:str="real_shape"):
    "The stored measurements against today's estimator (no training: the configs only); the rows keep their measurement's stamp."
    from transformers import AutoConfig
    from common import commit
    out = Path(__file__).parent / "results" / f"{name}.json"
    res = json.loads(out.read_text())
    now, configs = commit(), {m: AutoConfig.from_pretrained(m) for m in {r["model"] for r in res["rows"]}}   # once, not per row
    for r in res["rows"]: r.update(estimate(r, configs[r["model"]]), estimate_commit=now)
    out.write_text(json.dumps(res, indent=1) + "\n"); print(f"written {out}")
    return res["rows"]

def in_fresh_process(model, method, batch, steps, checkpointing)->dict:
    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import real_shape; "
            f"print(json.dumps(real_shape.measure({model!r}, {method!r}, {batch}, {steps}, {checkpointing})))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536"))
    if p.returncode: raise RuntimeError(f"{model} {method} failed:\n{p.stderr[-3000:]}")
    print(f"measured {model} {method}{' checkpointed' if checkpointing else ''}", file=sys.stderr, flush=True)
    return json.loads(p.stdout.strip().splitlines()[-1])

def main(quick:bool=False, models:list=None, batch:int=2, steps:int=3):
    import torch
    from lora_course.standins import make_stand_ins
    from common import stamp, merge_rows
    now = stamp()                                    # what measured: the code as it was when the runs began
    size = "tiny" if quick else "full"
    done = HOME / f"stand-ins-{size}-{'-'.join(m.split('/')[-1] for m in MODELS)}.done"   # these models at this size
    if not done.exists():
        for f in HOME.glob("stand-ins-*.done"): f.unlink()
        make_stand_ins(size, only=list(MODELS) + ["knkarthick/samsum"], home=HOME); done.touch()
    runs = [(model, method, ckpt) for model in (models or MODELS) for ckpt in ((False,) if quick else (False, True)) for method in METHODS]
    if quick:   # a quick pass checks the code, not the memory: one fresh process is enough, the rest run here
        rows = [in_fresh_process(*runs[0][:2], batch, 1, runs[0][2])] + [measure(m, meth, batch, 1, c) for m, meth, c in runs[1:]]
    else: rows = [in_fresh_process(m, meth, batch, steps, c) for m, meth, c in runs]
    if quick:
        from transformers import AutoConfig
        rows = [dict(r, **estimate(r, AutoConfig.from_pretrained(r["model"]))) for r in rows]
    else:   # the measurements first (the other model's rows kept, under their own stamps), then today's estimate beside them
        rows = merge_rows("real_shape", rows, lambda r: (r["model"], r["method"], r["checkpointing"]), only=bool(models),
                          stamped=now)
        res = dict(models=sorted({r["model"] for r in rows}), stand_in=size, weights="random: memory and time only",
                   lora=dict(LORA, target_modules={k: v if isinstance(v, str) else ",".join(v) for k, v in MODELS.items()}),
                   device="cuda" if torch.cuda.is_available() else "cpu", rows=rows)
        name = "real_shape_gpu" if torch.cuda.is_available() else "real_shape"
        (Path(__file__).parent / "results" / f"{name}.json").write_text(json.dumps(res, indent=1) + "\n")
        rows = reestimate(name)
    show(rows, size)

def show(rows:list, size:str="full"):
    print(f"\nreal shapes ({size} stand-ins, random weights: memory and time only)")
    print(f"{'model':28s}{'method':7s}{'ckpt':>5s}{'batch':>6s}{'tokens':>10s}{'trainable':>13s}{'s/step':>8s}{'measured MB':>13s}"
          f"{'estimate MB':>13s}{'ratio':>7s}")
    for r in rows:
        tokens = f"{r['seq']}" + (f"/{r['target']}" if r["target"] else "")
        print(f"{r['model'].split('/')[-1]:28s}{r['method']:7s}{'yes' if r['checkpointing'] else 'no':>5s}{r['batch']:>6d}{tokens:>10s}"
              f"{r['params']['trainable']:>13,}{r['seconds_per_step']:8.2f}{r['measured_bytes'] / 1e6:13.0f}{r['estimate_bytes'] / 1e6:13.0f}"
              f"{r['ratio']:7.2f}")

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--quick", action="store_true"); p.add_argument("--batch", type=int, default=2)
    p.add_argument("--steps", type=int, default=3); p.add_argument("--models", nargs="*", choices=list(MODELS))
    p.add_argument("--reestimate", action="store_true", help="today's estimate beside the stored measurements; nothing trains")
    a = p.parse_args()
    if a.reestimate: show(reestimate())
    else: main(a.quick, a.models, a.batch, a.steps)
