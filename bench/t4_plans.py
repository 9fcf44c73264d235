"""What a learner on a free Colab T4 gets from each notebook's real cells: the plan each run makes there (notebook 02's `plan_run`:
precision, batch per pass and gradient accumulation, estimated peak memory and time), for flan-t5-base and Qwen2.5-0.5B-Instruct
at their published shapes (built on the meta device: no weights, no download). Estimates, not measurements: the memory from the
course's estimator, the time from the run's FLOPs at an assumed share of the T4's datasheet peak; a GPU run (`make gpu-check`)
measures them. Token limits at the caps the cells can reach (samsum: 512 input and 128 target tokens; chats 1,024), at or above
what the data gives. Writes bench/results/t4_plans.json; --quick prints without writing.

Usage: python bench/t4_plans.py [--quick]
"""
import argparse

# each notebook's real runs as its cells plan them: model, method, optimizer steps, examples per step (07: a pair is two
# sequences), gradient checkpointing, and how many runs the cell makes (04b: four variants; 11: two data sizes)
REAL_RUNS = {
    "01 full fine-tuning":         ("flan", "full", 1000, 32, False, 1),
    "04 LoRA (q, v)":              ("flan", "LoRA", 1000, 32, False, 1),
    "04b LoRA and 3 variants":     ("flan", "LoRA", 300, 16, False, 4),
    "06 QLoRA":                    ("flan", "QLoRA", 1000, 32, False, 1),
    "07 DPO (pairs)":              ("qwen", "LoRA", 200, 16, False, 1),
    "10 demo command":             ("flan", "LoRA", 1000, 8, False, 1),
    "11 data size (100, 1,000)":   ("flan", "LoRA", 300, 8, False, 2),
    "12 chat SFT":                 ("qwen", "LoRA", 300, 8, True, 1),
}
LENGTHS = dict(flan=dict(max_input_length=512, max_target_length=128), qwen=dict(max_input_length=1024))

def real_shapes()->dict:
    "flan-t5-base and Qwen2.5-0.5B-Instruct at their published shapes, on the meta device."
    from transformers import Qwen2Config
    from lora_course.memory import meta_model
    from lora_course.standins import QWEN25_05B, flan_t5_config
    return dict(flan=meta_model(flan_t5_config("full")), qwen=meta_model(Qwen2Config(**QWEN25_05B, tie_word_embeddings=True)))

def plans(profile:str="T4")->dict:
    "The plan of every real run on `profile`."
    from lora_course.memory import plan_run
    from lora_course.models import PROFILES
    models = real_shapes()
    return {name: plan_run(models[m], method, LENGTHS[m], steps, batch, profile=PROFILES[profile], checkpointing=ckpt)
            for name, (m, method, steps, batch, ckpt, _) in REAL_RUNS.items()}

def main(quick:bool=False):
    from common import write_result
    rows = []
    for name, p in plans().items():
        runs = REAL_RUNS[name][-1]
        rows.append(dict(cell=name, precision=p.precision, batch_per_pass=p.batch_size, accumulation=p.accumulation,
                         max_input_length=p.max_input_length, max_target_length=p.max_target_length,
                         estimated_peak_gb=round(p.memory / 1e9, 1), estimated_minutes=round(runs * p.seconds / 60, 1)))
        print(f"{name:28s} {p.precision:5s} batch {p.batch_size:2d} × {p.accumulation:2d} · peak {p.memory / 1e9:5.1f} GB · "
              f"about {runs * p.seconds / 60:5.1f} min")
    if not quick:
        write_result("t4_plans", dict(profile="T4", kind="estimates (notebook 02's estimator and FLOPs)", lengths=LENGTHS, rows=rows))

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--quick", action="store_true")
    main(p.parse_args().quick)
