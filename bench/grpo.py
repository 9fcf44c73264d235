"""Benchmark: GRPO against SFT on the gold answers (notebook 13), on the town's fact questions, over more seeds than the notebook runs.

Each seed: from notebook 13's warm start (micro-llama after a short chat SFT on questions about pasted chats), LoRA r=16 on every
linear layer, then either GRPO from scratch (correctness and format rewards, G completions per question) or SFT on the gold
answers of the same training questions, the same steps and questions per step, each at its own learning rate (notebook 13's
config). Scored: greedy exact-answer accuracy on the training questions and on the held-out places, per question (for paired
bootstrap intervals), the number of different replies (GRPO's collapse), and GRPO's rewards and share of zero-std groups per step.
Writes lora_course/results/grpo.json (commit, machine, settings); the README reads it.
Usage: python bench/grpo.py [--seeds 0 1 2] [--steps 120]      python bench/grpo.py --quick   (2 steps, nothing written)
"""
import argparse, copy, json, sys, time
from pathlib import Path
from common import write_result
OUT = Path(__file__).parents[1] / "lora_course" / "results"
G, PROMPTS, GRPO_LR, SFT_LR, R = 8, 8, 1e-3, 2e-3, 16

def run(seed:int, steps:int, progress:bool=False)->list:
    import torch
    from peft import LoraConfig, get_peft_model
    from lora_course.models import load_model
    from lora_course.grpo import (warm_start_path, fact_questions, grpo_train, sft_answers, answer_accuracy, correctness_reward,
                                  format_reward, reply_text)
    warm, tok = load_model(str(warm_start_path(progress=progress)))
    train, test = fact_questions("train"), fact_questions("test")
    rows = []
    for method in ("warm start", "GRPO", "SFT on gold"):
        if method == "warm start" and seed != 0: continue   # no training: the same for every seed
        torch.manual_seed(seed)
        m = warm if method == "warm start" else get_peft_model(copy.deepcopy(warm), LoraConfig(r=R, lora_alpha=2 * R, target_modules="all-linear",
                                                                                            task_type="CAUSAL_LM"))
        t0, hist = time.time(), {}
        if method == "GRPO":
            hist = grpo_train(m, tok, train, [correctness_reward, format_reward], steps=steps, G=G, prompts_per_step=PROMPTS, lr=GRPO_LR,
                              seed=seed, progress=progress)
        elif method == "SFT on gold": sft_answers(m, tok, train, steps=steps, prompts_per_step=PROMPTS, lr=SFT_LR, seed=seed)
        row = dict(method=method, seed=seed, steps=0 if method == "warm start" else steps, train_seconds=round(time.time() - t0, 1))
        for split, qs in (("train", train), ("held out", test)):
            acc, ok, replies = answer_accuracy(m, tok, qs)
            row[split] = dict(accuracy=acc, per_question=ok, different_replies=len({reply_text(r) for r in replies}))
        if hist: row.update(reward=hist["reward"], correctness=hist["correctness_reward"], form=hist["format_reward"], zero_std=hist["zero_std"])
        print(json.dumps({k: v for k, v in row.items() if k not in ("reward", "correctness", "form", "zero_std")}), flush=True)
        rows.append(row)
    return rows

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2]); p.add_argument("--steps", type=int, default=120)
    p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    from lora_course.env import quiet_hf; quiet_hf()
    if a.quick:
        run(0, 2); sys.exit(0)
    rows = [row for s in a.seeds for row in run(s, a.steps)]
    write_result("grpo", dict(settings=dict(steps=a.steps, G=G, prompts_per_step=PROMPTS, grpo_lr=GRPO_LR, sft_lr=SFT_LR, lora_r=R,
                                            rewards=["correctness", "format"], loss_type="dapo", scale_rewards="group", temperature=1.0,
                                            start="notebook 13's warm start"), rows=rows), folder=OUT)
