"""Notebook 09's pieces: the per-device memory of each sharding stage, and 2-process runs (torchrun, gloo) under DDP,
FSDP2 and DeepSpeed ZeRO-2/3 that match one process."""
import json, os, subprocess, sys
import pytest
from lora_course.distributed import sharded_memory, STAGES

def test_each_stage_divides_its_part():
    n, N = 10**9, 8
    full = sharded_memory(n, 1, "DDP", dtype="mixed")
    assert full["total"] == 16 * n                                     # 2 bf16 weights + 2 grads + 4 master + 8 Adam
    parts = {s: sharded_memory(n, N, s, dtype="mixed") for s in STAGES}
    assert parts["DDP"]["total"] == full["total"]                     # DDP divides nothing
    assert parts["ZeRO-1"]["optimizer"] == full["optimizer"] / N and parts["ZeRO-1"]["gradients"] == full["gradients"]
    assert parts["ZeRO-2"]["gradients"] == full["gradients"] / N and parts["ZeRO-2"]["weights"] == full["weights"]
    assert parts["ZeRO-3"]["total"] == full["total"] / N
    lora = sharded_memory(n, N, "ZeRO-2", trainable=n // 100, frozen_dtype="bf16")
    assert lora["weights"] == sharded_memory(n, 1, "DDP", trainable=n // 100, frozen_dtype="bf16")["weights"]   # frozen weights: only ZeRO-3 shards them
    with pytest.raises(ValueError, match="ZeRO-3"): sharded_memory(n, 2, "FSDP")

def _run(launcher, out, model, *extra):
    cmd = [sys.executable, *launcher, "-m", "lora_course.distributed", "--model", model, "--steps", "3", "--batch_size", "8",
           "--output", str(out), *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=dict(os.environ, OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1"))
    return p

@pytest.mark.slow
def test_two_processes_match_one_and_rank0_writes(tiny_t5, tmp_path):
    p1 = _run([], tmp_path / "one", tiny_t5)
    assert p1.returncode == 0, p1.stderr[-2000:]
    p2 = _run(["-m", "torch.distributed.run", "--nproc_per_node", "2"], tmp_path / "two", tiny_t5, "--expect_world_size", "2")
    assert p2.returncode == 0, p2.stderr[-2000:]
    one, two = (json.loads((tmp_path / d / "losses.json").read_text()) for d in ("one", "two"))
    assert one["world_size"] == 1 and two["world_size"] == 2
    assert max(abs(a - b) for a, b in zip(one["losses"], two["losses"])) < 1e-5
    assert (tmp_path / "two" / "adapter_model.safetensors").exists()
    # LoRA under FSDP2 on an encoder-decoder: T5Block is the unit sharded, frozen and trainable weights share a unit
    p3 = _run(["-m", "torch.distributed.run", "--nproc_per_node", "2"], tmp_path / "fsdp", tiny_t5, "--engine", "fsdp", "--expect_world_size", "2")
    assert p3.returncode == 0, p3.stderr[-2000:]
    fsdp = json.loads((tmp_path / "fsdp" / "losses.json").read_text())
    assert max(abs(a - b) for a, b in zip(one["losses"], fsdp["losses"])) < 1e-5
    assert (tmp_path / "fsdp" / "adapter_model.safetensors").exists()

@pytest.mark.slow
def test_world_size_is_asserted(tiny_t5, tmp_path):
    p = _run([], tmp_path / "x", tiny_t5, "--expect_world_size", "2")
    assert p.returncode != 0 and "2 expected" in p.stderr and not (tmp_path / "x").exists()

def _weights(folder):
    from safetensors.torch import load_file
    return load_file(str(folder / "model.safetensors"))

@pytest.mark.slow
def test_sharded_engines_match_one_process(tiny_llama, tmp_path):
    "FSDP2 and DeepSpeed ZeRO-2/3 on 2 processes: the same losses and, gathered from the shards, the same weights as one process."
    args = ("--method", "full", "--lr", "1e-3")
    p1 = _run([], tmp_path / "one", tiny_llama, *args)
    assert p1.returncode == 0, p1.stderr[-2000:]
    one, w1 = json.loads((tmp_path / "one" / "losses.json").read_text()), _weights(tmp_path / "one")
    for engine in ("fsdp", "zero2", "zero3"):
        p = _run(["-m", "torch.distributed.run", "--nproc_per_node", "2"], tmp_path / engine, tiny_llama, *args,
                 "--engine", engine, "--expect_world_size", "2")
        assert p.returncode == 0, p.stderr[-2000:]
        two = json.loads((tmp_path / engine / "losses.json").read_text())
        assert two["world_size"] == 2 and two["engine"] == engine and two["memory_held"] > 0
        assert max(abs(a - b) for a, b in zip(one["losses"], two["losses"])) < 1e-5, (engine, one["losses"], two["losses"])
        w2 = _weights(tmp_path / engine)
        assert w2.keys() == w1.keys(), engine                                     # every weight written, full size, once
        assert max((w2[k] - w1[k]).abs().max().item() for k in w1) < 1e-5, engine

def test_unknown_engine_names_the_choices():
    from lora_course.distributed import train
    with pytest.raises(ValueError, match="fsdp, zero2, zero3"): train(engine="ddp")

def test_unknown_model_gets_the_course_message():
    from lora_course.distributed import train
    with pytest.raises(OSError, match="micro-t5"): train(model="nobody/no-such-model", steps=1)
