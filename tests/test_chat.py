"Chat fine-tuning (notebook 12): the template and its loss mask, packing, the estimator with checkpointing, and `finetune` on conversations."
import json
import pytest, torch
from lora_course.chat import (micro_chat_template, with_chat_template, render_chat, tokenize_chat, chat_records, pack, packed_batch,
                              sft_loss)
from lora_course.recipes import chat_model, load_conversations, is_conversations
from lora_course.cli import main

@pytest.fixture(scope="module")
def llama():
    from lora_course.models import load_model
    model, tok = load_model("micro-llama")
    return model, with_chat_template(tok)

@pytest.mark.parametrize("stop", [True, False])
def test_mask_matches_transformers_generation_blocks(llama, stop):
    _, tok = llama
    for c in chat_records(20, "validation"):
        ours = tokenize_chat(tok, c["messages"], stop_in_reply=stop)
        theirs = tok.apply_chat_template(c["messages"], chat_template=micro_chat_template(stop), return_dict=True,
                                         return_assistant_tokens_mask=True)
        assert ours["input_ids"] == theirs["input_ids"]
        assert [int(l != -100) for l in ours["labels"]] == theirs["assistant_masks"]
        assert (tok.eos_token_id in [l for l in ours["labels"] if l != -100]) == stop   # the turn's end is learned only with stop

def test_render_prompt_ends_where_the_reply_starts(llama):
    _, tok = llama
    msgs = chat_records(2, "test")[1]["messages"]
    prompt, _ = render_chat(msgs[:-1], add_generation_prompt=True)
    full, spans = render_chat(msgs)
    assert full.startswith(prompt) and spans[-1][0] == len(prompt)

def test_packing_keeps_every_token_and_the_loss(llama):
    model, tok = llama
    rows = [tokenize_chat(tok, c["messages"]) for c in chat_records(12, "train")]
    packed = pack(rows, 400)
    assert sum(len(r["input_ids"]) for r in packed) == sum(len(r["input_ids"]) for r in rows)
    assert all(len(r["input_ids"]) <= 400 for r in packed) and len(packed) < len(rows)
    assert sum(p == 0 for r in packed for p in r["position_ids"]) == len(rows)      # one restart per conversation
    from lora_course.data import collator
    with torch.no_grad():
        a, b = sft_loss(model, collator(tok)(rows)).item(), sft_loss(model, packed_batch(packed, tok.pad_token_id)).item()
    assert abs(a - b) < 1e-5

def test_checkpointing_estimate_keeps_one_layer():
    from lora_course.memory import activation_bytes
    from lora_course.micro import micro_config
    cfg = micro_config("micro-llama")
    full, ckpt = activation_bytes(cfg, 8, 256), activation_bytes(cfg, 8, 256, checkpointing=True)
    h, f, L, V = cfg.hidden_size, cfg.intermediate_size, cfg.num_hidden_layers, cfg.vocab_size
    layer, logits = 4 * 8 * 256 * (11 * h + 4 * f), 3 * 8 * 256 * V * 4
    assert full == L * layer + logits
    assert ckpt == 4 * 8 * 256 * h * L + max(logits, layer)   # every layer's input, then the loss's backward or one layer recomputed
    t5 = micro_config("micro-t5")
    assert activation_bytes(t5, 8, 128, 32, checkpointing=True) < activation_bytes(t5, 8, 128, 32)

def test_chat_model_errors_name_the_fix(tiny_t5, tiny_llama):
    with pytest.raises(ValueError, match="causal"): chat_model(tiny_t5)
    with pytest.raises(ValueError, match="chat template"): chat_model(tiny_llama)

def test_conversations_are_recognised(tmp_path):
    f = tmp_path / "chats.jsonl"
    f.write_text("\n".join(json.dumps(dict(messages=c["messages"])) for c in chat_records(6, "train")))
    assert is_conversations(str(f)) and is_conversations("micro-chat") and not is_conversations("micro")
    assert len(load_conversations(str(f))["train"]) == 6
    g = tmp_path / "other.jsonl"; g.write_text(json.dumps(dict(text="hi")))
    with pytest.raises(ValueError, match="messages"): load_conversations(str(g))

@pytest.mark.slow
def test_finetune_on_conversations_saves_the_template(tmp_path):
    data = tmp_path / "data"; data.mkdir()
    for split, n in (("train", 32), ("test", 4)):
        (data / f"{split}.jsonl").write_text("\n".join(json.dumps(dict(messages=c["messages"])) for c in chat_records(n, split)))
    out = tmp_path / "out"
    res = main(["finetune", "--model", "micro-llama", "--data", str(data), "--steps", "3", "--batch-size", "8", "--n-eval", "4",
                "--output", str(out), "--no-progress"])
    assert res["kind"] == "chat" and len(res["losses"]) >= 1 and set(res["scores"]) >= {"stopped", "rougeL"}
    assert (out / "adapter_model.safetensors").exists()
    assert "generation" in json.loads((out / "tokenizer_config.json").read_text()).get("chat_template", "") or (out / "chat_template.jinja").exists()
    with pytest.raises(SystemExit): main(["finetune", "--model", "micro-llama", "--data", str(data), "--init", "pissa", "--output", str(tmp_path / "x")])
