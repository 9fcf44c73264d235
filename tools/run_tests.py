"""The course's full test run on a small machine: every job on one thread, two jobs at a time, longest first.

The course's models are tiny, so a torch process gains little from a second core; two one-thread jobs side by side finish
the same work in much less time than one two-thread job after another. The jobs: building the micro models (the T5, and
the Llama followed by the shorter SFT model that the test runs of notebooks 07 and 10 start from), each notebook
(nbdev_test, cells flagged `real` run against the stand-ins), the pytest suite, the wheel test and one quick pass of each
benchmark. A job's output goes to a log;
a failing job's log is printed in full at the end. The times are written to bench/results/test_run.json (commit, machine),
and the next run starts the longest jobs first by them.

Usage: python tools/run_tests.py [--jobs 2] [--only NAME ...]     (make test runs it)
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

root = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(root / "bench"))
from common import RESULTS, stamp  # noqa: E402 (bench/ is put on the path just above)
BIN = Path(sys.executable).parent
TIMES = RESULTS / "test_run.json"
# A quick pass of each benchmark, so that none rots, except three whose every step another job runs: bench/demo.py is `lora-course
# demo` (pytest runs it end to end), bench/full_finetuning.py is notebook 01's loop and scores, and bench/t4_plans.py's plans are
# tests/test_profiles.py's. Every script's imports from the library are checked by tests/test_layout.py.
BENCHES = sorted(p.stem for p in (root / "bench").glob("*.py") if p.stem not in ("common", "demo", "full_finetuning", "t4_plans"))

def jobs()->dict:
    "Each job's name and command; a job that others need comes first and holds them back until it is done."
    nbdev = [str(BIN / "nbdev_test"), "--flags", "real", "--do_print", "--path"]
    build = [str(BIN / "python"), "-c", "import sys; from lora_course.cli import build_micro; from lora_course.dpo import TEST_SFT_STEPS; "
             "build_micro(only=sys.argv[1:], sft_steps=TEST_SFT_STEPS)"]   # the SFT model that 07's and 10's test runs start from
    out = {"build micro-t5": build + ["micro-t5"], "build micro-llama": build + ["micro-llama"], "build 07's SFT": build + ["sft"]}
    out |= {nb.stem: nbdev + [str(nb)] for nb in sorted((root / "nbs").glob("*.ipynb"))}
    out["pytest"] = [str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=25", "tests"]
    out["wheel test"] = [str(BIN / "python"), "tools/wheel_test.py", "nbs/00b_data.ipynb", "nbs/00c_models.ipynb"]
    out |= {f"bench {b} --quick": [str(BIN / "python"), f"bench/{b}.py", "--quick"] for b in BENCHES}
    return out

BASES, SFT = {"build micro-t5", "build micro-llama"}, "build 07's SFT"
USE_SFT = {"07_dpo", "10_cli"}   # the jobs that load the SFT model DPO starts from
T5_ONLY = {"00a_micro_world", "06_qlora", "08_rag_vs_finetuning"}   # jobs that use no micro-llama: they start once micro-t5 is built

def needs(name:str)->set:
    "The builds a job waits for (a notebook would otherwise build a model itself, while holding its slot)."
    if name in BASES: return set()
    if name == SFT: return {"build micro-llama"}
    if name in T5_ONLY: return {"build micro-t5"}
    return BASES | ({SFT} if name in USE_SFT else set())

def expected(names)->dict:
    """Seconds each job took in the last full test run (bench/results/test_run.json), else a notebook's full run
    (bench/results/notebooks.json, which takes longer but in about the same order); otherwise a guess, for the order only."""
    if TIMES.exists(): last = json.loads(TIMES.read_text())["seconds"]
    else:
        runs = json.loads((RESULTS / "notebooks.json").read_text()) if (RESULTS / "notebooks.json").exists() else {}
        last = {k: v for g in [runs] + runs.get("earlier", []) for k, v in g.get("notebooks", {}).items()}
    guess = lambda n: 60 if n.startswith(("bench", "wheel", "index")) else 600   # quick passes are short; the rest: start early
    return {n: last.get(n, guess(n)) for n in names}

def log_file(logs:Path, name:str)->Path: return logs / f"{name.replace(' ', '_').replace('/', '_')}.log"

def run(selected:dict, slots:int, logs:Path)->dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONUNBUFFERED="1", PATH=f"{BIN}:{os.environ['PATH']}")
    logs.mkdir(parents=True, exist_ok=True)
    est = expected(selected)
    todo = sorted(selected, key=lambda n: (n not in BASES | {SFT}, -est[n]))   # builds first, then the longest first
    running, done, t0 = {}, {}, time.time()
    while todo or running:
        for name, (proc, start, log) in list(running.items()):
            if proc.poll() is None: continue
            log.close(); del running[name]
            done[name] = dict(seconds=round(time.time() - start, 1), ok=proc.returncode == 0)
            print(f"{'ok  ' if done[name]['ok'] else 'FAIL'} {name:32s} {done[name]['seconds']:7.1f} s   "
                  f"({time.time() - t0:5.0f} s in)", flush=True)
        ready = [n for n in todo if not (needs(n) & set(selected)) - set(done)]
        while ready and len(running) < slots:
            name = ready.pop(0); todo.remove(name)
            log = open(log_file(logs, name), "w")
            running[name] = (subprocess.Popen(selected[name], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT), time.time(), log)
        if todo and not ready and not running: raise SystemExit(f"cannot start {todo}: what they need failed")
        time.sleep(0.5)
    return done

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2, help="jobs at a time (each on one thread)")
    ap.add_argument("--only", nargs="*", help="run only these jobs (names as listed by --list)")
    ap.add_argument("--list", action="store_true", help="list the jobs and exit")
    ap.add_argument("--logs", type=Path, default=root / ".cache" / "test-logs", help="folder for each job's log and summary.json")
    a = ap.parse_args()
    every = jobs()
    if a.list: print("\n".join(every)); return
    unknown = set(a.only or []) - set(every)
    if unknown: raise SystemExit(f"no job named {sorted(unknown)}: see --list")
    selected = {n: c for n, c in every.items() if not a.only or n in a.only}
    t0 = time.time(); done = run(selected, a.jobs, a.logs); wall = round(time.time() - t0, 1)
    (a.logs / "summary.json").write_text(json.dumps(done, indent=1))
    failed = [n for n, d in done.items() if not d["ok"]]
    for n in failed:
        print(f"\n===== {n} failed; the end of its log ({log_file(a.logs, n)}):\n" + log_file(a.logs, n).read_text()[-20000:])
    pytest_log = log_file(a.logs, "pytest")
    if "pytest" in done and pytest_log.exists(): print(pytest_log.read_text().strip().splitlines()[-1])   # pytest's closing line
    if not a.only and not failed:
        TIMES.write_text(json.dumps(dict(stamp(), jobs_at_once=a.jobs, wall_seconds=wall,
                                         seconds={n: d["seconds"] for n, d in sorted(done.items())}), indent=1) + "\n")
    print(f"{len(done) - len(failed)} passed, {len(failed)} failed")
    print(f"the test run took {wall:.0f} s with {a.jobs} jobs at a time")
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()
