"""The course as a pip user meets it: build the wheel, install it outside the repository, and run notebooks from an empty folder.

Usage: python tools/wheel_test.py nbs/00c_models.ipynb [...]
The notebooks run as nbdev_test runs them (IN_TEST set; cells flagged slow, gpu, hub or real skipped), with only the installed
wheel on the path: a notebook that reads a file from the repository (rather than from the package) fails here.
"""
import os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

root = Path(__file__).resolve().parents[1]
RUN = r'''
import sys, lora_course
from pathlib import Path
from execnb.nbio import read_nb
from execnb.shell import CaptureShell
assert Path(lora_course.__file__).is_relative_to(Path(sys.argv[1])), f"lora_course came from {lora_course.__file__}"
FLAGS = {"slow", "gpu", "hub", "real"}
skip = lambda c: c.cell_type != "code" or any(l.startswith("#|") and set(l[2:].split()) & FLAGS for l in c.source.splitlines())
for f in sys.argv[2:]:
    CaptureShell(f).run_all(read_nb(f), exc_stop=True, preproc=skip)
    print(f"ran {f} with lora_course from {Path(lora_course.__file__).parent}", flush=True)
'''

def main(notebooks):
    with tempfile.TemporaryDirectory(prefix="lora-course-wheel-") as tmp:
        tmp = Path(tmp); site, work = tmp / "site", tmp / "empty"
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(root)], check=True)
        wheel = next((tmp / "dist").glob("lora_course-*.whl"))
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)], check=True)
        shipped = [site / "lora_course" / f for f in ("results/lora.json", "configs/accelerate_fsdp.yaml")]   # what notebooks 04 and 09 read
        missing = [str(f.relative_to(site)) for f in shipped if not f.exists()]
        if missing: sys.exit(f"the wheel lacks {missing}: notebooks read them from the installed package")
        work.mkdir()
        for nb in notebooks: shutil.copy(root / nb, work)   # the notebooks alone, as a Colab user opens them
        env = dict(os.environ, PYTHONPATH=str(site), IN_TEST="1")
        t0 = time.time()
        subprocess.run([sys.executable, "-c", RUN, str(site), *[Path(nb).name for nb in notebooks]], cwd=work, env=env, check=True)
        print(f"wheel {wheel.name}: {len(notebooks)} notebooks ran outside the repository in {time.time() - t0:.0f} s")

if __name__ == "__main__": main(sys.argv[1:])
