"What every benchmark records beside its numbers: the machine, the commit, and where the result file goes."
import json, os, platform, subprocess
from pathlib import Path

RESULTS = Path(__file__).parent / "results"

def machine()->str:
    "The CPU (and GPU, if any) and core count, as written in the results table."
    import torch
    name = platform.processor() or platform.machine()
    try: name = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration): pass
    gpu = f", {torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else ""
    return f"{os.cpu_count()} cores, {name}{gpu}, torch {torch.__version__}"

def _sources(text:str)->list:
    "A notebook's cell sources: what it runs, without the outputs a run stores."
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(text)["cells"]]

def _code_changed(root:Path, path:str)->bool:
    "Whether a changed file differs from HEAD in what runs (a notebook whose only change is stored outputs does not)."
    if not path.endswith(".ipynb"): return True
    try:
        head = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=root, capture_output=True, text=True, check=True).stdout
        return _sources(head) != _sources((root / path).read_text())
    except (OSError, ValueError, KeyError, subprocess.CalledProcessError): return True

def commit()->str:
    """The commit the benchmark ran on ('+changes' when the working tree's code differed from it). Result files and the
    outputs stored in notebooks do not count: a run that re-executes notebooks one after another keeps one stamp."""
    root = Path(__file__).parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results", ":!lora_course/results"],
                                cwd=root, capture_output=True, text=True).stdout.splitlines()
        dirty = any(_code_changed(root, l[3:].strip()) for l in status)
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError): return "unknown"

def stamp()->dict:
    "Where and from what a number was measured: the machine and the commit."
    return dict(machine=machine(), commit=commit())

def write_result(name:str, res:dict, folder:Path=RESULTS)->Path:
    "Write NAME.json (in bench/results by default) with the machine and commit it ran on."
    out = Path(folder) / f"{name}.json"
    out.write_text(json.dumps(dict(res, **stamp()), indent=1) + "\n")
    print(f"written {out}")
    return out

def merge_rows(name:str, rows:list, key, only, folder:Path=RESULTS, field:str="rows", stamped:dict=None)->list:
    """This run's `rows`, each stamped with its machine and commit; with `only` (a partial rerun), the stored rows of other
    keys come first, keeping the stamps they were measured under: an old row is never presented under a new stamp."""
    now = [dict(r, **(stamped or stamp())) for r in rows]   # `stamped`: the stamp taken when the runs began
    out = Path(folder) / f"{name}.json"
    if not only or not out.exists(): return now
    fresh, stored = {key(r) for r in now}, json.loads(out.read_text())
    top = {k: stored[k] for k in ("machine", "commit") if k in stored}   # rows written in one run carry the file's stamp
    kept = [dict(top, **r) for r in stored[field] if key(r) not in fresh]
    if any("commit" not in r for r in kept): raise SystemExit(f"{out} holds rows without a commit: rerun without --only")
    return kept + now
