"""Benchmark: one training step of our LoRA (notebook 04) against peft's, same model, adapters, batch and optimizer.

The course's goal: our step time ≤ 1.1 × peft's. Steps of the two are interleaved (ours, peft's, ours, ...) so that
slow phases of the machine hit both alike; the median of each is reported. Also times inference: the base model,
LoRA merged into the weights and unloaded (`merge_and_unload`; goal: ≤ 1.02 × base) and LoRA unmerged (the adapter path runs at every call).
Writes bench/results/lora_step.json.
Usage: python bench/lora_step.py [--model micro-t5] [--steps 30] [--quick]   (--quick: 3 steps, writes nothing)
"""
import argparse, statistics, sys, time
from common import write_result
from lora_course.models import LINEAR_LAYERS

TARGETS = {f"micro-{family}": [*names["attention"], *names["feed_forward"]] for family, names in LINEAR_LAYERS.items()}   # every linear layer of a block

def timed(fn)->float:
    t = time.perf_counter(); fn(); return time.perf_counter() - t

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--model", default="micro-t5"); p.add_argument("--steps", type=int, default=30)
    p.add_argument("--r", type=int, default=8); p.add_argument("--batch-size", type=int, default=32); p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    import torch
    from peft import LoraConfig, get_peft_model
    from lora_course.env import quiet_hf; quiet_hf()
    from lora_course.models import load_model, infer_task, peft_task_type
    from lora_course.data import load_dialogues, tokenize_dialogues, collator
    from lora_course.lora import inject_lora, merge_and_unload
    import copy
    steps = 3 if a.quick else a.steps
    base, tok = load_model(a.model); task = infer_task(base.config)
    batch = collator(tok)(list(tokenize_dialogues(load_dialogues("micro", "train").select(range(a.batch_size)), tok, task)))
    torch.manual_seed(0)
    ours = inject_lora(load_model(a.model)[0], TARGETS[a.model], r=a.r, lora_alpha=2 * a.r)
    theirs = get_peft_model(load_model(a.model)[0], LoraConfig(r=a.r, lora_alpha=2 * a.r, target_modules=TARGETS[a.model],
                                                               task_type=peft_task_type(base.config)))
    opts = {k: torch.optim.AdamW([q for q in m.parameters() if q.requires_grad], lr=1e-3) for k, m in (("ours", ours), ("peft", theirs))}
    models = {"ours": ours, "peft": theirs}
    def step(k):
        loss = models[k](**batch).loss; loss.backward(); opts[k].step(); opts[k].zero_grad()
    times = {"ours": [], "peft": []}
    for k in times: step(k)                                   # warm-up: first-call allocations and optimizer state
    for _ in range(steps):
        for k in times: times[k].append(timed(lambda: step(k)))
    train = {k: statistics.median(v) for k, v in times.items()}
    # inference: forward passes without gradients, base vs merged vs unmerged
    base.eval(); ours.eval()
    unloaded = merge_and_unload(copy.deepcopy(ours)).eval()    # merged, plain nn.Linear layers again
    infer = {"base": [], "LoRA unmerged": [], "LoRA merged": []}
    with torch.no_grad():
        for m in (base, ours, unloaded): m(**batch)            # warm-up
        for _ in range(steps):                                   # interleaved, as above
            infer["base"].append(timed(lambda: base(**batch)))
            infer["LoRA unmerged"].append(timed(lambda: ours(**batch)))
            infer["LoRA merged"].append(timed(lambda: unloaded(**batch)))
    infer = {k: statistics.median(v) for k, v in infer.items()}
    res = dict(model=a.model, r=a.r, targets=TARGETS[a.model], batch_size=a.batch_size, steps=steps,
               train_step_s=train, train_ratio_ours_over_peft=train["ours"] / train["peft"],
               forward_s=infer, merged_over_base=infer["LoRA merged"] / infer["base"], unmerged_over_base=infer["LoRA unmerged"] / infer["base"])
    print(f"training step: ours {1e3 * train['ours']:.1f} ms · peft {1e3 * train['peft']:.1f} ms · "
          f"ratio {res['train_ratio_ours_over_peft']:.3f} (the course's goal: ≤ 1.1)")
    print(f"forward pass: base {1e3 * infer['base']:.1f} ms · merged {1e3 * infer['LoRA merged']:.1f} ms ({res['merged_over_base']:.3f}×) · "
          f"unmerged {1e3 * infer['LoRA unmerged']:.1f} ms ({res['unmerged_over_base']:.3f}×)")
    if a.quick: sys.exit(0)
    write_result("lora_step", res)
