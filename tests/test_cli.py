"The `lora-course` command end to end on the micro tier (few steps), and its errors."
import json, math, os, subprocess, sys
import pytest
from lora_course.cli import main

def run(*args, timeout=600):
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([sys.executable, "-c", "from lora_course.cli import main; main()", *args], capture_output=True, text=True, timeout=timeout, env=env)

@pytest.mark.slow
def test_demo_end_to_end(tmp_path):
    out = tmp_path / "run"
    # the README's command from the console script to the saved adapter; what the demo learns is asserted by notebook 10 (60 steps)
    p = run("demo", "--steps", "4", "--n-eval", "8", "--output", str(out), "--no-progress")
    assert p.returncode == 0, p.stderr[-2000:]
    assert "ROUGE-L" in p.stdout and "trainable" in p.stdout and "before" in p.stdout
    m = json.loads((out / "metrics.json").read_text())
    assert m["steps"] == 4 and m["losses"] and set(m["scores"]) == set(m["scores_before"]) and m["n_eval"] == 8
    assert m["params"]["percent"] < 10
    assert (out / "adapter_model.safetensors").exists() and (out / "adapter_config.json").exists()
    p = run("demo", "--steps", "1", "--output", str(out), "--no-progress")   # the folder exists now
    assert p.returncode == 2 and "--overwrite" in p.stderr

@pytest.mark.slow
def test_demo_bad_model_names_the_fix():
    p = run("demo", "--model", "nobody/no-such-model-xyz", "--no-progress", timeout=120)
    assert p.returncode == 2 and "micro-t5" in p.stderr

@pytest.mark.slow
def test_console_script_exits_zero():
    # the installed `lora-course` script does sys.exit(cli()): a command's result must not become its exit status
    p = subprocess.run([sys.executable, "-c", "import sys; from lora_course.cli import cli; sys.exit(cli())", "build-micro", "--only", "micro-t5"],
                       capture_output=True, text=True, timeout=600, env=dict(os.environ, HF_HUB_OFFLINE="1"))
    assert p.returncode == 0, p.stderr[-2000:]

@pytest.mark.slow
def test_build_micro_reports_both_models():
    p = run("build-micro", "--only", "micro-t5", "micro-llama")
    assert p.returncode == 0, p.stderr[-2000:]
    assert "micro-t5" in p.stdout and "micro-llama" in p.stdout

@pytest.mark.slow
def test_build_micro_only_names_what_it_builds():
    p = run("build-micro", "--only", "micro-gpt", timeout=120)
    assert p.returncode == 2 and "micro-t5" in p.stderr and "sft" in p.stderr

# finetune / evaluate / merge, in-process on the tiny saved T5 (the code path of a local or hub model)
def call(argv, capsys=None):
    try: return 0, main(argv)
    except SystemExit as e: return e.code, None

@pytest.mark.slow
def test_finetune_evaluate_merge_round_trip(tiny_t5, tmp_path):
    lora, merged = tmp_path / "lora", tmp_path / "merged"
    code, ft = call(["finetune", "--model", tiny_t5, "--method", "lora", "--steps", "3", "--n-eval", "8", "--output", str(lora), "--no-progress"])
    assert code == 0 and (lora / "adapter_model.safetensors").exists() and (lora / "tokenizer.json").exists()
    saved = json.loads((lora / "metrics.json").read_text())
    assert saved["method"] == "lora" and saved["scores"] == ft["scores"] and saved["n_eval"] == 8
    assert 0 < saved["params"]["trainable"] < saved["params"]["total"]
    _, ev = call(["evaluate", "--adapter", str(lora), "--n", "8", "--no-progress"])     # the adapter's base by default
    assert ev["scores"] == ft["scores"]                                                  # reloaded from disk: same answers
    _, mg = call(["merge", "--adapter", str(lora), "--output", str(merged)])
    assert mg["max_logit_diff"] < 1e-4 and (merged / "model.safetensors").exists() and not (merged / "adapter_config.json").exists()
    _, ev_m = call(["evaluate", "--model", str(merged), "--n", "8", "--no-progress"])
    assert abs(ev_m["scores"]["rougeL"] - ft["scores"]["rougeL"]) < 0.02

@pytest.mark.slow
def test_adapter_without_metrics_says_how_it_was_trained(tiny_t5, tmp_path, capsys):
    "A peft adapter from elsewhere has no metrics.json: the command asks whether it is LoRA or QLoRA instead of guessing."
    import shutil
    lora = tmp_path / "lora"
    _, ft = call(["finetune", "--model", tiny_t5, "--steps", "2", "--n-eval", "8", "--output", str(lora), "--no-progress"])
    bare = tmp_path / "bare"; shutil.copytree(lora, bare); (bare / "metrics.json").unlink()
    capsys.readouterr()
    code, _ = call(["evaluate", "--adapter", str(bare), "--n", "8", "--no-progress"])
    assert code == 2 and "--method lora or --method qlora" in capsys.readouterr().err
    _, ev = call(["evaluate", "--adapter", str(bare), "--method", "lora", "--n", "8", "--no-progress"])
    assert ev["scores"] == ft["scores"] and ev["method"] == "lora"

@pytest.mark.slow
def test_full_finetune_saves_a_model(tiny_t5, tmp_path):
    code, ft = call(["finetune", "--model", tiny_t5, "--method", "full", "--steps", "2", "--n-eval", "0", "--output", str(tmp_path / "f"), "--no-progress"])
    assert code == 0 and ft["params"]["percent"] == 100 and "scores" not in ft
    assert (tmp_path / "f" / "model.safetensors").exists()
    code, _ = call(["merge", "--adapter", str(tmp_path / "f"), "--output", str(tmp_path / "m")])
    assert code == 2                                                                     # nothing to merge: a clear error

@pytest.mark.slow
def test_errors_name_the_fix(tiny_t5, tiny_llama, tmp_path, capsys):
    lora = tmp_path / "lora"
    assert call(["finetune", "--model", tiny_t5, "--steps", "1", "--n-eval", "0", "--output", str(lora), "--no-progress"])[0] == 0
    cases = [(["finetune", "--method", "prefix", "--output", str(tmp_path / "x")], "choose one of full, lora, qlora"),
             (["finetune", "--model", tiny_t5, "--output", str(lora)], "--overwrite"),
             (["finetune", "--model", tiny_t5], "--output"),
             (["evaluate", "--model", tiny_llama, "--adapter", str(lora)], "mismatch"),
             (["evaluate", "--adapter", str(tmp_path)], "adapter_config.json"),
             (["evaluate", "--model", tiny_t5, "--split", "dev"], "has no 'dev' split")]
    bad = tmp_path / "bad"; bad.mkdir()
    (bad / "train.jsonl").write_text('{"text": "a", "label": "b"}\n'); (bad / "test.jsonl").write_text('{"text": "a", "label": "b"}\n')
    cases.append((["finetune", "--model", tiny_t5, "--data", str(bad), "--output", str(tmp_path / "y")], "rename"))
    for argv, fix in cases:
        capsys.readouterr()
        code, _ = call(argv)
        err = capsys.readouterr().err
        assert code == 2 and fix in err, (argv, err)

def test_dpo_on_local_pairs(tiny_llama, tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    rows = [dict(prompt=f"Summarize: Amy meets Ben on day {i}.\nSummary:", chosen=f" Amy meets Ben on day {i}.", rejected=" They talked about the weather.")
            for i in range(40)]
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "dpo"
    code, res = call(["dpo", "--model", tiny_llama, "--data", str(pairs), "--steps", "3", "--batch-size", "4", "--n-eval", "8",
                      "--sft-weight", "0", "--output", str(out), "--no-progress"])
    assert code == 0 and res["n_eval"] == 8 and res["n_train"] == 32                      # no test split: the last rows are held out
    assert res["before"]["reward_accuracy"] is None and len(res["losses"]) == 3   # policy = reference: no reward yet
    assert abs(res["losses"][0] - math.log(2)) < 1e-4                                      # plain DPO starts at the reference: log 2
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["method"] == "dpo" and (out / "adapter_model.safetensors").exists()
    _, mg = call(["merge", "--adapter", str(out), "--output", str(tmp_path / "merged")])   # a DPO adapter is a LoRA adapter
    assert mg["max_logit_diff"] < 1e-4
    bad = tmp_path / "bad.jsonl"; bad.write_text('{"prompt": "a", "answer": "b"}\n')
    capsys.readouterr()
    code, _ = call(["dpo", "--model", tiny_llama, "--data", str(bad), "--output", str(tmp_path / "x")])
    assert code == 2 and "lacks ['chosen', 'rejected']" in capsys.readouterr().err
    code, _ = call(["dpo", "--model", tiny_llama])
    assert code == 2 and "--output" in capsys.readouterr().err
