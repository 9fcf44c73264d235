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

def commit()->str:
    "The commit the benchmark ran on ('+changes' when the working tree differed from it)."
    root = Path(__file__).parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True).stdout.strip()
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError): return "unknown"

def write_result(name:str, res:dict)->Path:
    "Write bench/results/NAME.json with the machine and commit it ran on."
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(dict(res, machine=machine(), commit=commit()), indent=1))
    print(f"written {out}")
    return out
