"""Run notebooks top to bottom in the full micro tier (IN_TEST unset) and store their outputs in place.

Cells flagged with a test flag from settings.ini (slow, gpu, hub) are skipped, as nbdev_test does, and keep no output.
Usage: python tools/run_notebooks.py nbs/00a_micro_world.ipynb [...]   (afterwards: nbdev_clean)
"""
import configparser, os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

root = Path(__file__).resolve().parents[1]
cfg = configparser.ConfigParser(); cfg.read(root / "settings.ini")
FLAGS = set(cfg["DEFAULT"]["tst_flags"].split())

def flagged(cell):
    return any(l.startswith("#|") and set(l[2:].split()) & FLAGS for l in cell.source.splitlines())

def run(path):
    path = Path(path).resolve()
    nb = read_nb(path)
    for c in nb.cells:
        if c.cell_type == "code" and flagged(c): c.outputs = []
    os.environ.pop("IN_TEST", None)
    os.chdir(path.parent)
    k = CaptureShell(path, mpl_format="png")
    t = time.time()
    k.run_all(nb, exc_stop=True, preproc=lambda c: c.cell_type != "code" or flagged(c))
    write_nb(nb, path)
    print(f"{path.name}: {time.time() - t:.0f} s", flush=True)

if __name__ == "__main__":
    for p in [Path(a).resolve() for a in sys.argv[1:]]: run(p)
