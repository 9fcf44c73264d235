"load_model on models saved in Hugging Face format and loaded by path, 4-bit on CPU, and errors that name the fix."
import time, pytest, torch
from lora_course.models import load_model, count_parameters, infer_task

def test_tiny_models_load_by_path(tiny_t5, tiny_llama):
    t5, tok = load_model(tiny_t5)
    llama, ltok = load_model(tiny_llama)
    assert infer_task(tiny_t5) == "seq2seq" and infer_task(tiny_llama) == "causal"
    assert type(t5).__name__ == "T5ForConditionalGeneration" and type(llama).__name__ == "LlamaForCausalLM"
    assert tok.pad_token_id == 0 and ltok.eos_token_id == 1
    c = count_parameters(t5)
    assert c["trainable"] == c["total"] == sum(p.numel() for p in t5.parameters())

def test_task_override_and_bad_task(tiny_llama):
    with pytest.raises(ValueError, match="seq2seq"): load_model(tiny_llama, task="classification")

def test_unknown_model_offline_fails_fast_and_names_the_fix():
    t = time.time()
    with pytest.raises(OSError, match="micro-t5.*local folder"): load_model("nobody/no-such-model-xyz")
    assert time.time() - t < 15   # HF_HUB_OFFLINE: no retries against an unreachable hub

def test_4bit_on_cpu_loads_and_lora_trains(tiny_llama):
    import bitsandbytes as bnb
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
    m, tok = load_model(tiny_llama, quantization="4bit")
    q = [x for x in m.modules() if isinstance(x, bnb.nn.Linear4bit)]
    assert q   # the linear layers are 4-bit; that LoRA still gets gradients after a no-grad forward is checked below
    batch = tok(["Anna: lunch on Friday?\nBen: sure"], return_tensors="pt")
    with torch.no_grad(): m(**batch)   # the eval-mode, no-grad forward that breaks training without the fix
    m = get_peft_model(prepare_model_for_kbit_training(m), LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"))
    m.train()
    m(**batch, labels=batch.input_ids).loss.backward()
    grads = [p.grad for n, p in m.named_parameters() if "lora_B" in n]
    assert grads and all(g is not None and g.abs().sum() > 0 for g in grads)

def test_bad_quantization_name(tiny_t5):
    with pytest.raises(ValueError, match="4bit"): load_model(tiny_t5, quantization="3bit")

def test_4bit_cpu_fix_is_needed_where_bitsandbytes_repacks():
    "Without the fix, an eval-mode no-grad forward on an AVX-512 BF16 CPU stops gradients: the test above would fail."
    from bitsandbytes.functional import has_avx512bf16
    if torch.cuda.is_available() or not has_avx512bf16(): pytest.skip("bitsandbytes' repacking path is only taken on CPUs with AVX-512 BF16")
    import bitsandbytes as bnb
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
    m, tok = load_model("micro-llama", quantization="4bit")    # (the tiny test model is too narrow for bitsandbytes' repacking)
    for x in m.modules():
        if isinstance(x, bnb.nn.Linear4bit): x.support_avx512bf16_for_cpu = True     # undo the fix
    batch = tok(["Anna: lunch on Friday?\nBen: sure"], return_tensors="pt")
    with torch.no_grad(): m(**batch)
    m = get_peft_model(prepare_model_for_kbit_training(m), LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"))
    for n, p in m.named_parameters():
        if "lora_B" in n: torch.nn.init.normal_(p, std=0.01)
    m.train(); m(**batch, labels=batch.input_ids).loss.backward()
    grads = [p.grad for n, p in m.named_parameters() if "lora_A" in n]
    assert any(g is None or g.abs().sum() == 0 for g in grads)

def test_resolve_model_names_a_micro_model_by_its_folder(tiny_t5):
    from lora_course.models import resolve_model
    from lora_course.micro import micro_model_path
    assert resolve_model("micro-t5") == str(micro_model_path("micro-t5"))
    assert resolve_model(tiny_t5) == tiny_t5 and resolve_model("google/flan-t5-base") == "google/flan-t5-base"   # anything else as given
