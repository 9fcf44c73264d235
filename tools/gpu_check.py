"""The real tier on a GPU, in one command: every notebook's cells marked `real`, on full-size stand-ins of the hub models, as a
learner's GPU would run them, each cell's peak memory, seconds and the plan's estimate recorded.

Usage: python tools/gpu_check.py [--profile T4] [--notebooks nbs/01_full_finetuning.ipynb ...]     (make gpu-check PROFILE=T4)

Each notebook runs as the course's tests run it (IN_TEST: short micro-tier budgets, flagged cells skipped) except that the
`real` cells run too, at their notebook's batch and with the token limits the data gives, for a few steps
(LORA_COURSE_CHECK: at most 20 optimizer steps and 16 test examples). `--profile T4` on a larger GPU plays a T4: the process may
use only the T4's 15 GB (torch.cuda.set_per_process_memory_fraction) and every decision follows the T4's rules (its precision,
its memory budget). The weights are random (the stand-ins, notebook 00e): the numbers are memory and time, never quality.
Writes bench/results/gpu_check.json (commit, GPU). Without a GPU it says so and exits 0.
"""
import argparse, os, sys, time
from pathlib import Path

root = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(root / "bench"))
HOME = root / ".cache" / "hf-gpu-check"   # full-size stand-ins, never in a real Hugging Face cache
SKIP = {"slow", "gpu", "hub"}

def real_notebooks()->list:
    "The notebooks with cells marked `real`."
    return [p for p in sorted((root / "nbs").glob("*.ipynb")) if '"#| real' in p.read_text()]

def flags(cell)->set:
    return {f for l in cell.source.splitlines() if l.startswith("#|") for f in l[2:].split()}

def check_notebook(path:Path)->list:
    "Run `path` as the tests do, with its real cells: for each real cell, seconds, peak GPU memory and the plan it printed."
    import torch
    from execnb.nbio import read_nb
    from execnb.shell import CaptureShell
    nb, rows = read_nb(path), []
    os.chdir(path.parent)
    shell = CaptureShell(path)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or flags(cell) & SKIP: continue
        real = "real" in flags(cell)
        if real:
            shell.user_ns.pop("plan", None)
            torch.cuda.synchronize(); torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
            base, t0 = torch.cuda.memory_allocated(), time.time()
        shell.cell(cell)
        error = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
        if real:
            torch.cuda.synchronize()
            peak, plan = torch.cuda.max_memory_allocated(), shell.user_ns.get("plan")
            row = dict(notebook=path.stem, cell=i, seconds=round(time.time() - t0, 1), peak_gb=round(peak / 1e9, 3),
                       held_before_gb=round(base / 1e9, 3), ok=error is None)
            if plan is not None:
                row.update(plan=dict(profile=plan.profile.name, precision=plan.precision, batch=plan.batch_size,
                                     accumulation=plan.accumulation, max_input_length=plan.max_input_length,
                                     max_target_length=plan.max_target_length, estimate_gb=round(plan.memory / 1e9, 3)),
                           estimate_over_measured=round(plan.memory / peak, 3) if peak else None)
            rows.append(row)
            print(f"  {path.stem} cell {i}: {row['seconds']:.0f} s, peak {row['peak_gb']:.2f} GB"
                  + (f", plan {plan.memory / 1e9:.2f} GB ({row['estimate_over_measured']:.2f}×)" if plan is not None else ""), flush=True)
        if error is not None:
            print(f"  {path.stem} cell {i} failed: {error.get('ename')}: {error.get('evalue')}", flush=True)
            if not real: break   # what follows depends on it
    return rows

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", choices=["T4", "L4", "A100-40GB"], help="play this GPU on a larger one (memory cap, its precision)")
    ap.add_argument("--notebooks", nargs="*", type=Path, help="default: every notebook with real cells")
    a = ap.parse_args()
    import torch
    if not torch.cuda.is_available():
        print("no GPU here: `make gpu-check` measures the real cells on a GPU (in Colab, or wherever you have one); nothing was run")
        return
    os.environ.update(HF_HOME=str(HOME), HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", IN_TEST="1", LORA_COURSE_CHECK="1")
    from lora_course.models import PROFILES
    from common import write_result
    total = torch.cuda.get_device_properties(0).total_memory
    if a.profile:
        os.environ["LORA_COURSE_PROFILE"] = a.profile
        fraction = PROFILES[a.profile].memory_gb * 1e9 / total
        if fraction > 1: raise SystemExit(f"this GPU has {total / 1e9:.1f} GB, less than a {a.profile}: run without --profile")
        torch.cuda.set_per_process_memory_fraction(fraction)
    done = HOME / "stand-ins-full.done"
    if not done.exists():
        from lora_course.standins import make_stand_ins
        make_stand_ins("full", home=HOME); done.touch()
    rows, t0 = [], time.time()
    for nb in (a.notebooks or real_notebooks()):
        print(f"{nb.name}", flush=True)
        rows += check_notebook(Path(nb).resolve())
    res = dict(gpu=torch.cuda.get_device_name(0), gpu_memory_gb=round(total / 1e9, 1), profile=a.profile or "as it is",
               weights="random (full-size stand-ins): memory and time only", seconds=round(time.time() - t0), rows=rows)
    os.chdir(root)
    write_result("gpu_check", res)
    failed = [f"{r['notebook']} cell {r['cell']}" for r in rows if not r["ok"]]
    if failed: raise SystemExit(f"real cells failed: {failed}")

if __name__ == "__main__":
    main()
