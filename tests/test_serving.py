"`lora-course export` (notebook 14): an adapter merged and written as safetensors or GGUF, read back, and its errors."
import json, shutil
import pytest
import torch
from lora_course.cli import main
from lora_course.cli import export_adapter
from lora_course.chat import with_chat_template

def call(argv):
    try: return 0, main(argv)
    except SystemExit as e: return e.code, None

def _adapter(base:str, path, method="lora", tokenizer=True):
    "A LoRA adapter on `base` (random B: not zero, so merging changes the weights), saved as peft and the course's commands save it."
    from peft import LoraConfig, get_peft_model
    from lora_course.models import load_model
    model, tok = load_model(base)
    torch.manual_seed(0)
    pm = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", task_type="CAUSAL_LM" if "llama" in base else "SEQ_2_SEQ_LM"))
    with torch.no_grad():
        for n, p in pm.named_parameters():
            if "lora_B" in n: p.normal_(0, 0.05)
    pm.save_pretrained(path)
    if tokenizer: with_chat_template(tok).save_pretrained(path)
    if method: (path / "metrics.json").write_text(json.dumps({"method": method, "model": base}))
    return path

@pytest.fixture(scope="module")
def llama_adapter(tiny_llama, tmp_path_factory): return _adapter(tiny_llama, tmp_path_factory.mktemp("adapter"))

def test_export_safetensors(llama_adapter, tmp_path):
    from transformers import AutoModelForCausalLM
    code, res = call(["export", str(llama_adapter), str(tmp_path / "out"), "--format", "safetensors"])
    assert code == 0 and res["max_logit_diff"] < 1e-5, res
    assert (tmp_path / "out" / "model.safetensors").exists() and json.loads((tmp_path / "out" / "metrics.json").read_text())["format"] == "safetensors"
    assert AutoModelForCausalLM.from_pretrained(tmp_path / "out").config.model_type == "llama"
    code, _ = call(["export", str(llama_adapter), str(tmp_path / "out")])   # the folder exists now
    assert code == 2

@pytest.mark.parametrize("quant", ["f16", "q8_0"])
def test_export_gguf_round_trip(llama_adapter, tmp_path, quant):
    from transformers import AutoTokenizer
    code, res = call(["export", str(llama_adapter), str(tmp_path / "gguf"), "--format", "gguf", "--quant", quant])
    assert code == 0, res
    path = tmp_path / "gguf" / f"model-{quant}.gguf"
    assert path.exists() and res["file"] == str(path)
    assert res["kl"] < (1e-5 if quant == "f16" else 1e-3), res      # read back by transformers, against the adapter model
    tok = AutoTokenizer.from_pretrained(tmp_path / "gguf", gguf_file=path.name)
    saved = AutoTokenizer.from_pretrained(llama_adapter)
    chat = [dict(role="user", content="Hi!"), dict(role="assistant", content="Hello.")]
    assert tok.apply_chat_template(chat, tokenize=False) == saved.apply_chat_template(chat, tokenize=False)
    assert tok.eos_token == saved.eos_token

def test_export_errors_name_the_fix(llama_adapter, tiny_llama, tiny_t5, tmp_path):
    code, _ = call(["export", str(llama_adapter), str(tmp_path / "a"), "--format", "onnx"])   # argparse lists the formats
    assert code == 2
    bare = tmp_path / "no-metrics"; shutil.copytree(llama_adapter, bare); (bare / "metrics.json").unlink()
    with pytest.raises(ValueError, match="--method lora or --method qlora"):   # a QLoRA adapter would be merged into the wrong weights
        export_adapter(str(bare), str(tmp_path / "b"))
    lost = tmp_path / "no-base"; shutil.copytree(llama_adapter, lost)
    cfg = json.loads((lost / "adapter_config.json").read_text()); cfg["base_model_name_or_path"] = str(tmp_path / "gone")
    (lost / "adapter_config.json").write_text(json.dumps(cfg)); (lost / "metrics.json").write_text(json.dumps({"method": "lora"}))
    with pytest.raises((OSError, ValueError), match="gone"):
        export_adapter(str(lost), str(tmp_path / "c"))
    t5 = _adapter(tiny_t5, tmp_path / "t5-adapter")
    with pytest.raises(ValueError, match="--format safetensors"):
        export_adapter(str(t5), str(tmp_path / "d"), format="gguf")
    plain = _adapter(tiny_llama, tmp_path / "no-template", tokenizer=False)   # the base's tokenizer has no chat template
    with pytest.raises(ValueError, match="save_pretrained"):
        export_adapter(str(plain), str(tmp_path / "e"), format="gguf")

def test_export_qlora_merges_into_the_4bit_weights(tiny_llama, tmp_path):
    # declared as trained on the 4-bit base: merged into dequant(W4) (notebook 14), so the written model computes the 4-bit model + adapter
    adapter = _adapter(tiny_llama, tmp_path / "qlora", method="qlora")
    code, res = call(["export", str(adapter), str(tmp_path / "out")])
    assert code == 0 and res["method"] == "qlora" and res["kl"] < 1e-5, res
