"""The real tier's decisions per GPU, on a mocked device: precision from the device profile (bf16 only where the GPU computes it,
fp16 mixed where the model is safe in it, fp32 for T5), never from `torch.cuda.is_bf16_supported()`, which says yes on a T4."""
import sys
from pathlib import Path
from types import SimpleNamespace
import pytest
from lora_course.models import PROFILES, choose_precision, device_profile, pick_precision, real_tier
from lora_course.memory import PLAN_SHARE
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))   # the real runs as the notebooks plan them
from t4_plans import REAL_RUNS, LENGTHS, plans, real_shapes  # noqa: E402 (bench/ is put on the path just above)

GPUS = {"T4": ("Tesla T4", 15.8e9, 7, 5), "L4": ("NVIDIA L4", 23.7e9, 8, 9), "A100-40GB": ("NVIDIA A100-SXM4-40GB", 42.4e9, 8, 0),
        "L40S": ("NVIDIA L40S", 48.3e9, 8, 9), "RTX A1000": ("NVIDIA RTX A1000 Laptop GPU", 4.3e9, 8, 6), "T400": ("NVIDIA T400", 2.1e9, 7, 5)}

@pytest.fixture
def gpu(monkeypatch):
    "Pretend this machine has the GPU named: torch.cuda answers as that GPU would, bf16 'supported' everywhere (emulation counts)."
    import torch
    def use(name):
        label, memory, major, minor = GPUS[name]
        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: True)
        monkeypatch.setattr(torch.cuda, "get_device_properties", lambda i=0: SimpleNamespace(name=label, total_memory=memory,
                                                                                              major=major, minor=minor))
    return use

@pytest.mark.parametrize("name, t5, qwen", [("T4", "fp32", "fp16"), ("L4", "bf16", "bf16"), ("A100-40GB", "bf16", "bf16")])
def test_each_profile_decides_its_precision(gpu, name, t5, qwen):
    gpu(name)
    here = device_profile()
    assert here.capability == PROFILES[name].capability and here.native_bf16 == (name != "T4")
    assert here.tflops == PROFILES[name].tflops                           # a known GPU gets its datasheet numbers
    assert pick_precision("cuda", "t5") == choose_precision(PROFILES[name], "t5")[0] == t5
    assert pick_precision("cuda", "qwen2") == choose_precision(PROFILES[name], "qwen2")[0] == qwen

def test_a_t4_never_trains_in_emulated_bf16(gpu):
    gpu("T4")   # torch.cuda.is_bf16_supported() answers True here, as PyTorch does on a T4: the course does not ask it
    assert pick_precision("cuda") == "fp32" and pick_precision("cuda", "llama") == "fp16"
    precision, why = choose_precision(device_profile(), "t5")
    assert precision == "fp32" and "overflows in fp16" in why and "7.5" in why

@pytest.mark.parametrize("name", ["L40S", "RTX A1000", "T400"])
def test_other_gpus_are_not_taken_for_a_profile(gpu, name):
    gpu(name)   # an L40S is not an L4, an RTX A1000 not an A100, a T400 not a T4: their throughput is not known here
    here = device_profile()
    assert here.name == GPUS[name][0] and here.tflops == {} and here.capability == GPUS[name][2:]

def test_cpu_and_unknown_profiles():
    import torch
    if not torch.cuda.is_available(): assert device_profile() is None
    assert pick_precision("cpu", "qwen2") == "fp32"
    with pytest.raises(ValueError, match="T4, L4, A100-40GB"): device_profile("V100")

def test_real_tier_reads_the_model_type_on_a_gpu(gpu, stand_ins, monkeypatch, capsys):
    monkeypatch.delenv("IN_TEST", raising=False)
    gpu("T4")
    flan, qwen = real_tier("google/flan-t5-base", "samsum"), real_tier("Qwen/Qwen2.5-0.5B-Instruct", "micro-chat")
    assert flan.on and flan.profile.name == "Tesla T4" and (flan.precision, qwen.precision) == ("fp32", "fp16")
    out = capsys.readouterr().out
    assert "t5 overflows in fp16" in out and "fp16 mixed precision (qwen2" in out


@pytest.mark.parametrize("name, precision", [("T4", "fp32"), ("L4", "bf16"), ("A100-40GB", "bf16")])
def test_a_plan_follows_the_gpu_here(gpu, name, precision):
    from lora_course.memory import plan_run
    gpu(name)
    plan = plan_run(real_shapes()["flan"], "LoRA", LENGTHS["flan"], steps=1000, batch_size=32)
    assert plan.here and plan.profile.capability == PROFILES[name].capability
    assert plan.precision == plan.run_precision == precision                            # T5 never in fp16
    assert plan.memory <= PLAN_SHARE * GPUS[name][1] and plan.batch_size * plan.accumulation >= 32   # fits this GPU; the batch asked for
    assert (plan.max_input_length, plan.max_target_length) == (512, 128) and plan.seconds > 0
    if name == "T4": assert plan.batch_size < 32                                        # 15 GB: accumulation makes up the rest

def test_without_a_gpu_the_plan_is_a_t4s_and_training_stays_fp32():
    import torch
    from lora_course.memory import plan_run
    if torch.cuda.is_available(): pytest.skip("a GPU is here")
    plan = plan_run(real_shapes()["qwen"], "LoRA", LENGTHS["qwen"], steps=300, batch_size=8)
    assert plan.profile == PROFILES["T4"] and not plan.here and plan.max_target_length is None
    assert (plan.precision, plan.run_precision) == ("fp16", "fp32") and "plan for T4 (not this machine" in str(plan)

def test_every_real_cell_fits_a_t4():
    "Each notebook's real runs (bench/t4_plans.py lists them as the cells plan them) fit PLAN_SHARE (85%) of a T4's 15 GB by the estimate."
    for name, plan in plans("T4").items():
        model, _, _, batch, _, _ = REAL_RUNS[name]
        assert plan.memory <= PLAN_SHARE * 15e9, str(plan)
        assert plan.batch_size * plan.accumulation >= batch and plan.precision == ("fp32" if model == "flan" else "fp16"), name
