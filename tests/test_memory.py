"The memory estimator's arithmetic and the measurer against an allocation of known size."
import pytest, torch
from lora_course.memory import bytes_per_parameter, estimate_training_memory, peak_memory_increase, lora_trainable, meta_model, method_memory

def test_bytes_per_parameter():
    assert sum(bytes_per_parameter("fp32", "adamw").values()) == 16   # 4 weights + 4 grads + 8 AdamW moments
    assert sum(bytes_per_parameter("bf16", "sgd").values()) == 4
    with pytest.raises(ValueError, match="precision"): bytes_per_parameter("fp8")

def test_frozen_parameters_cost_only_their_weights():
    e = estimate_training_memory(1_000_000, trainable=1_000, frozen_dtype="nf4")
    assert e["gradients"] == 4_000 and e["optimizer"] == 8_000
    assert e["weights"] == pytest.approx(1_000 * 4 + 999_000 * 4.127 / 8)
    with pytest.raises(ValueError, match="architecture"): estimate_training_memory(10, batch=2, seq=8)

def test_measurer_sees_a_known_allocation():
    _, inc = peak_memory_increase(lambda: torch.ones(25_000_000).sum().item())   # 100 MB of fp32, touched
    assert 0.9e8 < inc < 1.3e8

def test_lora_count_matches_the_formula(tiny_llama):
    from lora_course.models import load_model
    m, _ = load_model(tiny_llama)
    h, f = m.config.hidden_size, m.config.intermediate_size
    per_layer = 4 * 8 * (h + h) + 2 * 8 * (h + f) + 8 * (f + h)   # q,k,v,o; gate, up; down (r = 8, no GQA here)
    assert lora_trainable(m, r=8) == per_layer * m.config.num_hidden_layers

def test_qlora_is_smallest(tiny_llama):
    from transformers import AutoConfig
    m = meta_model(AutoConfig.from_pretrained(tiny_llama))
    tot = {k: method_memory(m, k)["total"] for k in ("full (fp32)", "LoRA", "QLoRA")}
    assert tot["QLoRA"] < tot["LoRA"] < tot["full (fp32)"]

def test_trimmed_rss_reads_this_process():
    from lora_course.memory import trimmed_rss
    before = trimmed_rss()
    block = bytearray(b"x" * (64 * 2**20))   # 64 MiB, written, so resident
    assert before > 0 and trimmed_rss() - before > 48 * 2**20
    del block

def test_a_step_peaks_at_the_start_or_the_end_of_backward():
    from transformers import LlamaConfig
    from lora_course.memory import activation_phases
    cfg = LlamaConfig(hidden_size=512, intermediate_size=1024, num_hidden_layers=4, num_attention_heads=8, vocab_size=1000)
    n = 20_000_000
    for seq, moment in ((2048, "start"), (8, "end")):   # long inputs: the activations; short ones: every gradient at once
        e = estimate_training_memory(n, config=cfg, batch=4, seq=seq)
        act, end = activation_phases(cfg, 4, seq)
        assert e["activations"] == act and end < act
        at_end = e["gradients"] + end + 1000 * 512 * 4   # the embeddings train: their gradient is built whole first
        assert e["total"] == e["weights"] + e["optimizer"] + max(act, at_end)
        assert (act > at_end) == (moment == "start"), (seq, act, at_end)
        assert e["total"] < sum(v for k, v in e.items() if k != "total")   # never all at once
    lora = estimate_training_memory(n, trainable=n // 100, config=cfg, batch=4, seq=2048)
    assert lora["total"] == lora["weights"] + lora["optimizer"] + lora["activations"]   # the adapters' gradients come after the peak
