"""The course's proofs against the newest releases: which still hold when transformers, peft, trl, bitsandbytes & co move on.

The course proves its from-scratch code equal to the libraries to 1e-5 and leans on a few of their private hooks, so a new
release can break a proof without breaking an import. This builds an environment of its own (.venv-drift: torch held at the
locked CPU build, every other package at its newest release), lists what moved since .ci/requirements.lock, and runs the
notebooks that hold the proofs (LoRA and its variants == peft, NF4 == bitsandbytes, DPO and SFT == TRL, the course's loop
against transformers' Trainer) and the pytest suite, two at a time (tools/run_tests.py). The locked environment is untouched.
Writes bench/results/drift.json (commit, machine, versions, what broke).

Usage: python tools/drift.py [--jobs 04_lora ...]     (make drift)
"""
import argparse, json, re, subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(root / "bench"))
from common import RESULTS, stamp  # noqa: E402 (bench/ is put on the path just above)
from run_tests import log_file  # noqa: E402 (beside this script: the test run names each job's log)
VENV, LOCK = root / ".venv-drift", root / ".ci" / "requirements.lock"
PROOFS = ["01_full_finetuning", "04_lora", "04b_lora_variants", "05_quantization", "06_qlora", "07_dpo", "12_chat_sft", "13_grpo", "pytest"]

def pins(lines)->dict:
    "{package: version} from `pip freeze` lines or a lock (names normalised as pip compares them)."
    out = {}
    for l in lines:
        if "==" in l and not l.startswith(("#", "-e")):
            name, ver = l.strip().split("==", 1)
            out[re.sub(r"[-_.]+", "-", name).lower()] = ver.split("+")[0]
    return out

def newest_environment()->dict:
    "Make (or refresh) .venv-drift with the newest releases, torch held at the lock's; returns its versions."
    py, locked = VENV / "bin" / "python", pins(LOCK.read_text().splitlines())
    if not py.exists(): subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    torch_only = VENV / "torch.txt"; torch_only.write_text(f"torch=={locked['torch']}\n")
    pip = [str(py), "-m", "pip", "install", "-q", "-c", str(torch_only)]
    subprocess.run(pip + ["--upgrade", "pip", "setuptools", "wheel"], check=True)
    subprocess.run(pip + ["--upgrade", "--upgrade-strategy", "eager", "-e", f"{root}[dev]"], check=True)
    return pins(subprocess.run([str(py), "-m", "pip", "freeze"], capture_output=True, text=True, check=True).stdout.splitlines())

def first_error(log:Path)->str:
    "The line of a failed job's log that names what broke (the last exception line), for the report."
    lines = [l.strip() for l in log.read_text(errors="replace").splitlines() if l.strip()] if log.exists() else []
    hits = [l for l in lines if re.match(r"^(\w+\.)*\w*(Error|Exception)\b|^E\s+\w+(Error|Exception)|^FAILED |^AssertionError", l)]
    return (hits or lines or ["(no log)"])[-1][:300]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", nargs="*", default=PROOFS, help="which of tools/run_tests.py's jobs to run")
    a = ap.parse_args()
    locked, now = pins(LOCK.read_text().splitlines()), newest_environment()
    moved = {k: (locked.get(k), v) for k, v in sorted(now.items()) if locked.get(k) != v and k != "lora-course"}
    print("newer than the lock:" if moved else "nothing newer than the lock")
    for k, (old, new) in moved.items(): print(f"  {k:28s} {old or '(not locked)':>12s} -> {new}")
    logs = root / ".cache" / "drift-logs"
    run = subprocess.run([str(VENV / "bin" / "python"), str(root / "tools" / "run_tests.py"), "--logs", str(logs), "--only", *a.jobs])
    res = json.loads((logs / "summary.json").read_text())
    broke = {n: first_error(log_file(logs, n)) for n, d in res.items() if not d["ok"]}
    print("\nwith the newest releases: " + ("every proof holds" if not broke else f"{len(broke)} of {len(res)} broke"))
    for n, why in broke.items(): print(f"  {n}: {why}")
    out = RESULTS / "drift.json"
    out.write_text(json.dumps(dict(stamp(), newer_than_lock={k: dict(lock=o, newest=n) for k, (o, n) in moved.items()},
                                   jobs={n: dict(d, error=broke.get(n)) for n, d in res.items()}), indent=1) + "\n")
    print(f"written {out}")
    sys.exit(run.returncode)

if __name__ == "__main__":
    main()
