"The real tier offline: the hub stand-ins load through the real code path, and every command runs on google/flan-t5-base + samsum and Qwen + UltraFeedback."
import json, math
import pytest
from lora_course.cli import main

def call(argv): return main(argv + ([] if argv[0] == "merge" else ["--no-progress"]))   # merge shows no progress bar

def test_stand_ins_load_like_the_hub(stand_ins, capsys):
    from lora_course.models import load_model, count_parameters
    from lora_course.data import load_dialogues
    flan, tok = load_model("google/flan-t5-base")
    assert "stand-in" in capsys.readouterr().out                                   # it says what it is
    assert type(tok).__name__ == "T5Tokenizer" and tok.convert_tokens_to_ids("<extra_id_0>") == len(tok) - 1
    assert flan.lm_head.weight.data_ptr() != flan.shared.weight.data_ptr()          # untied, as the real checkpoint
    assert flan.config.scale_decoder_outputs is False                               # and no output scaling (T5 v1.1)
    samsum = load_dialogues("samsum")
    assert {k: len(v) for k, v in samsum.items()} == dict(train=14732, validation=818, test=819)
    assert "stand-in" in capsys.readouterr().out
    qwen, qtok = load_model("Qwen/Qwen2.5-0.5B-Instruct")
    assert qtok.chat_template and qtok.eos_token == "<|im_end|>" and count_parameters(qwen)["total"] > 0

@pytest.mark.slow
def test_flan_t5_base_counts_247m():
    from lora_course.standins import flan_t5_config, t5_tokenizer
    from lora_course.memory import meta_model, method_memory
    from lora_course.models import count_parameters
    flan = meta_model(flan_t5_config("full", t5_tokenizer()))
    assert count_parameters(flan)["total"] == 247_577_856
    assert method_memory(flan, "full (fp32)")["weights"] == 4 * 247_577_856      # the memory tables count the untied head

def test_samsum_lengths_come_from_the_data_and_keep_the_cue(stand_ins):
    from transformers import AutoTokenizer
    from lora_course.data import load_dialogues, choose_lengths, fit_prompt, tokenize_pair
    tok = AutoTokenizer.from_pretrained("google/flan-t5-base")
    train = load_dialogues("samsum", "train")
    lengths = choose_lengths(train, tok, cap=512)
    assert 192 < lengths["max_input_length"] <= 512                                # samsum's chats are longer than the micro world's
    longest = max(train.select(range(500)), key=lambda r: len(r["dialogue"]))
    ids = tokenize_pair(tok, longest["dialogue"], longest["summary"], **lengths)["input_ids"]
    assert len(ids) <= lengths["max_input_length"] and tok.decode(ids, skip_special_tokens=True).endswith("Summary:")
    assert fit_prompt(tok, longest["dialogue"], 64).startswith("Summarize the following conversation.")

@pytest.mark.slow
@pytest.mark.parametrize("method", ["full", "lora", "qlora"])
def test_finetune_flan_on_samsum(stand_ins, tmp_path, method):
    res = call(["finetune", "--model", "google/flan-t5-base", "--data", "samsum", "--method", method, "--steps", "2",
                "--batch-size", "2", "--n-eval", "2", "--output", str(tmp_path / method)])
    assert res["lengths"]["max_input_length"] > 192 and math.isfinite(res["losses"][-1])
    assert set(res["scores"]) >= {"rougeL", "facts_recall"}
    if method != "full":
        ev = call(["evaluate", "--adapter", str(tmp_path / method), "--data", "samsum", "--n", "2"])
        assert ev["method"] == method and ev["n"] == 2
        mg = call(["merge", "--adapter", str(tmp_path / method), "--data", "samsum", "--output", str(tmp_path / f"{method}-merged")])
        assert mg["max_logit_diff"] < 1e-3

@pytest.mark.slow
def test_demo_flan_on_samsum(stand_ins, capsys):
    res = call(["demo", "--model", "google/flan-t5-base", "--data", "samsum", "--steps", "2", "--batch-size", "2", "--n-eval", "2",
                "--targets", "q,v", "--r", "4"])
    assert res["params"]["trainable"] > 0 and set(res["scores"]) == set(res["scores_before"])
    assert "stand-in" in capsys.readouterr().out

def test_dpo_qwen_on_ultrafeedback(stand_ins, tmp_path):
    res = call(["dpo", "--model", "Qwen/Qwen2.5-0.5B-Instruct", "--data", "trl-lib/ultrafeedback_binarized", "--steps", "2",
                "--batch-size", "2", "--n-eval", "4", "--sft-weight", "0", "--output", str(tmp_path / "dpo")])
    assert res["n_eval"] == 4 and abs(res["losses"][0] - math.log(2)) < 1e-3     # conversations rendered by Qwen's chat template
    assert json.loads((tmp_path / "dpo" / "metrics.json").read_text())["method"] == "dpo"

def test_conversations_need_a_chat_template(stand_ins, tiny_llama):
    from lora_course.dpo import load_preferences
    from transformers import AutoTokenizer
    with pytest.raises(ValueError, match="chat template"):
        load_preferences("trl-lib/ultrafeedback_binarized", tokenizer=AutoTokenizer.from_pretrained(tiny_llama))
    train, held = load_preferences("trl-lib/ultrafeedback_binarized", n_train=4, n_eval=2,
                                   tokenizer=AutoTokenizer.from_pretrained("Qwen/Qwen2.5-0.5B-Instruct"))
    assert len(train) == 4 and len(held) == 2 and train[0]["prompt"].endswith("<|im_start|>assistant\n")

def test_real_tier_settings(monkeypatch, capsys):
    from lora_course.models import real_tier, pick_precision
    monkeypatch.delenv("IN_TEST", raising=False); monkeypatch.delenv("LORA_COURSE_REAL", raising=False)
    cfg = real_tier("google/flan-t5-base", "samsum", steps=1000)
    assert not cfg.on and "LORA_COURSE_REAL" in capsys.readouterr().out             # no GPU here: off, and it says how to switch it on
    monkeypatch.setenv("IN_TEST", "1")
    cfg = real_tier("google/flan-t5-base", "samsum", steps=1000, test=dict(steps=2))
    assert cfg.on and cfg.steps == 2 and cfg.precision == pick_precision("cpu") == "fp32"

@pytest.mark.slow
def test_stand_ins_never_replace_a_real_download(tmp_path):
    from lora_course.standins import make_stand_ins
    made = make_stand_ins("tiny", only=["google/flan-t5-base"], home=tmp_path)
    cfg = made["google/flan-t5-base"] / "config.json"
    cfg.write_text(json.dumps({k: v for k, v in json.loads(cfg.read_text()).items() if k != "lora_course_stand_in"}))
    with pytest.raises(FileExistsError, match="real download"): make_stand_ins("tiny", only=["google/flan-t5-base"], home=tmp_path)

def test_accelerate_configs_ship_with_the_package():
    from accelerate.commands.config.config_args import ClusterConfig
    from lora_course.distributed import accelerate_config, ACCELERATE_CONFIGS
    for name in ACCELERATE_CONFIGS: assert ClusterConfig.from_yaml_file(str(accelerate_config(name))).num_processes > 1
    with pytest.raises(ValueError, match="choose one of"): accelerate_config("zero9")
