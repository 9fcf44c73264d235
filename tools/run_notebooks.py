"""Run notebooks top to bottom in the full micro tier (IN_TEST unset, offline) and store their outputs in place.

Cells flagged with a test flag from settings.ini (slow, gpu, hub, real) are skipped, as plain nbdev_test does, and keep no
output. Each notebook's wall time goes into bench/results/notebooks.json with the commit and the machine (the README's
timings read it); run on a machine doing nothing else.
A notebook whose full run leaves `RECORD = (name, dict)` in its namespace gets that dict written, with the same stamp, to
lora_course/results/NAME.json: its measurements and its stored outputs come from one run.
Usage: python tools/run_notebooks.py nbs/00a_micro_world.ipynb [...]   (afterwards: nbdev_clean)
"""
import configparser, json, os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

root = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(root / "bench"))
from common import RESULTS, machine, commit  # noqa: E402 (bench/ is put on the path just above)
STAMP = dict(commit=commit(), machine=machine())   # taken before the first notebook's outputs change the working tree
cfg = configparser.ConfigParser(); cfg.read(root / "settings.ini")
FLAGS = set(cfg["DEFAULT"]["tst_flags"].split())

def flagged(cell):
    return any(l.startswith("#|") and set(l[2:].split()) & FLAGS for l in cell.source.splitlines())

def run(path):
    path = Path(path).resolve()
    nb = read_nb(path)
    for c in nb.cells:
        if c.cell_type == "code": c.outputs = []   # a cell that now prints nothing must not keep what an older run printed
    os.environ.pop("IN_TEST", None)
    for v in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"): os.environ[v] = "1"   # outputs never depend on the hub
    os.chdir(path.parent)
    k = CaptureShell(path, mpl_format="png")
    t = time.time()
    k.run_all(nb, exc_stop=True, preproc=lambda c: c.cell_type != "code" or flagged(c))
    secs = time.time() - t
    write_nb(nb, path)
    if isinstance(k.user_ns.get("RECORD"), tuple):
        name, res = k.user_ns["RECORD"]
        out = root / "lora_course" / "results" / f"{name}.json"
        out.write_text(json.dumps(dict(res, notebook=path.name, seconds=round(secs, 1), **STAMP), indent=1) + "\n")
        print(f"written {out}")
    print(f"{path.name}: {secs:.0f} s", flush=True)
    return secs

def record(times:dict):
    """Merge these notebooks' seconds into bench/results/notebooks.json under this run's stamp. A notebook timed under another
    stamp (commit or machine) and not rerun now stays, under its own stamp, in `earlier`: no time is carried to a new stamp."""
    out = RESULTS / "notebooks.json"
    old = json.loads(out.read_text()) if out.exists() else {}
    groups = [g for g in [old] + old.get("earlier", []) if g.get("notebooks")]
    ours = lambda g: {k: g.get(k) for k in STAMP} == STAMP
    now = {k: v for g in groups if ours(g) for k, v in g["notebooks"].items()}
    now.update(times)
    earlier = []
    for g in groups:
        if ours(g): continue
        kept = {k: v for k, v in g["notebooks"].items() if k not in now}
        if kept: earlier.append(dict(commit=g.get("commit", "not recorded"), machine=g.get("machine", "not recorded"), notebooks=kept))
    res = dict(STAMP, notebooks=dict(sorted(now.items())))
    if earlier: res["earlier"] = earlier
    out.write_text(json.dumps(res, indent=1) + "\n")
    print(f"written {out}")

if __name__ == "__main__":
    paths = [Path(a).resolve() for a in sys.argv[1:]]
    times = {}
    for p in paths:
        times[p.stem] = round(run(p), 1)
        if p.stem != "index": record({k: v for k, v in times.items() if k != "index"})
