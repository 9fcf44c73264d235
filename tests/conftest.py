"Shared fixtures: no hub calls, a tiny T5 and a tiny Llama saved in Hugging Face format, and the hub stand-ins (the real-tier code path)."
import os
from pathlib import Path
import pytest
for v in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"): os.environ[v] = "1"   # never the hub, whatever the shell says
HF_TEST_HOME = Path(__file__).resolve().parents[1] / ".cache" / "hf"   # stand-ins live here, never in a real Hugging Face cache
os.environ["HF_HOME"] = str(HF_TEST_HOME)
for v in ("HF_HUB_CACHE", "HF_DATASETS_CACHE", "HUGGINGFACE_HUB_CACHE"): os.environ.pop(v, None)

def _save_tiny(path, kind):
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, LlamaConfig, LlamaForCausalLM
    from lora_course.micro import micro_tokenizer, hf_tokenizer
    torch.manual_seed(0)
    if kind == "t5":
        cfg = T5Config(vocab_size=1024, d_model=32, d_kv=8, d_ff=64, num_layers=1, num_heads=4, feed_forward_proj="gated-gelu",
                       pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
        model, tok = T5ForConditionalGeneration(cfg), hf_tokenizer(micro_tokenizer(), "seq2seq")
    else:
        cfg = LlamaConfig(vocab_size=1024, hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=4,
                          num_key_value_heads=4, pad_token_id=0, bos_token_id=3, eos_token_id=1)
        model, tok = LlamaForCausalLM(cfg), hf_tokenizer(micro_tokenizer(), "causal")
    model.save_pretrained(path); tok.save_pretrained(path)
    return str(path)

@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory): return _save_tiny(tmp_path_factory.mktemp("tiny-t5"), "t5")

@pytest.fixture(scope="session")
def tiny_llama(tmp_path_factory): return _save_tiny(tmp_path_factory.mktemp("tiny-llama"), "llama")

@pytest.fixture(scope="session")
def stand_ins():
    "The tiny stand-ins of the course's hub models and datasets, written once into the tests' own Hugging Face home."
    from lora_course.standins import make_stand_ins
    done = HF_TEST_HOME / "stand-ins.done"
    if not done.exists(): make_stand_ins("tiny"); done.touch()
    return HF_TEST_HOME
