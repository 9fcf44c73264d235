"The `lora-course` command end to end on the micro tier (few steps), and its errors."
import json, os, subprocess, sys

def run(*args, timeout=600):
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([sys.executable, "-c", "from lora_course.cli import main; main()", *args], capture_output=True, text=True, timeout=timeout, env=env)

def test_demo_end_to_end(tmp_path):
    out = tmp_path / "run"
    p = run("demo", "--steps", "30", "--n-eval", "40", "--output", str(out), "--no-progress")
    assert p.returncode == 0, p.stderr[-2000:]
    assert "ROUGE-L" in p.stdout and "trainable" in p.stdout
    m = json.loads((out / "metrics.json").read_text())
    assert m["after"]["rougeL"] > m["before"]["rougeL"]            # 30 steps already teach the template
    assert m["params"]["percent"] < 10
    assert (out / "adapter_model.safetensors").exists() and (out / "adapter_config.json").exists()
    p = run("demo", "--steps", "1", "--output", str(out), "--no-progress")   # the folder exists now
    assert p.returncode == 2 and "--overwrite" in p.stderr

def test_demo_bad_model_names_the_fix():
    p = run("demo", "--model", "nobody/no-such-model-xyz", "--no-progress", timeout=120)
    assert p.returncode == 2 and "micro-t5" in p.stderr

def test_build_micro_reports_both_models():
    p = run("build-micro")
    assert p.returncode == 0, p.stderr[-2000:]
    assert "micro-t5" in p.stdout and "micro-llama" in p.stdout
