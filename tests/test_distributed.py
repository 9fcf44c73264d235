"""Notebook 09's pieces: the per-device memory of each sharding stage, and a 2-process run (torchrun, gloo) of LoRA under
FSDP2 on an encoder-decoder that matches one process. The notebook itself runs DDP, FSDP2 and DeepSpeed ZeRO-2/3 on two
processes against one and asserts the same losses and the same gathered weights; these tests cover what it does not."""
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
def test_lora_under_fsdp_matches_one_process_and_rank0_writes(tiny_t5, tmp_path):
    p1 = _run([], tmp_path / "one", tiny_t5)
    assert p1.returncode == 0, p1.stderr[-2000:]
    # LoRA under FSDP2 on an encoder-decoder: T5Block is the unit sharded, frozen and trainable weights share a unit
    p2 = _run(["-m", "torch.distributed.run", "--nproc_per_node", "2"], tmp_path / "fsdp", tiny_t5, "--engine", "fsdp", "--expect_world_size", "2")
    assert p2.returncode == 0, p2.stderr[-2000:]
    one, fsdp = (json.loads((tmp_path / d / "losses.json").read_text()) for d in ("one", "fsdp"))
    assert one["world_size"] == 1 and fsdp["world_size"] == 2 and fsdp["engine"] == "fsdp"
    assert max(abs(a - b) for a, b in zip(one["losses"], fsdp["losses"])) < 1e-5
    assert sorted(f.name for f in (tmp_path / "fsdp").iterdir()) == sorted(f.name for f in (tmp_path / "one").iterdir())   # rank 0 wrote it all, once

@pytest.mark.slow
def test_world_size_is_asserted(tiny_t5, tmp_path):
    p = _run([], tmp_path / "x", tiny_t5, "--expect_world_size", "2")
    assert p.returncode != 0 and "2 expected" in p.stderr and not (tmp_path / "x").exists()

def test_unknown_engine_names_the_choices():
    from lora_course.distributed import train
    with pytest.raises(ValueError, match="fsdp, zero2, zero3"): train(engine="ddp")

def test_unknown_model_gets_the_course_message():
    from lora_course.distributed import train
    with pytest.raises(OSError, match="micro-t5"): train(model="nobody/no-such-model", steps=1)
