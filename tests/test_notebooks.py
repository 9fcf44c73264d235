"What every notebook owes a learner who opens it in Colab or after `pip install`: the install cell, and no file read from outside the package."
import configparser, json, re
from pathlib import Path
root = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (root / "nbs").glob("*.ipynb") if p.name != "index.ipynb")

def code_cells(p): return ["".join(c["source"]) for c in json.loads(p.read_text())["cells"] if c["cell_type"] == "code"]

def test_every_notebook_installs_the_course_in_colab():
    cfg = configparser.ConfigParser(); cfg.read(root / "settings.ini")
    url = cfg["DEFAULT"]["git_url"]
    for p in NOTEBOOKS:
        first = code_cells(p)[0]
        assert '"google.colab" in sys.modules' in first and f"git+{url}" in first and "Restart session" in first, p.name

def test_no_notebook_reads_files_outside_the_package():
    outside = re.compile(r"""Path\(["']\.\.["']\)|["']\.\./|bench/results|["']configs/""")
    for p in NOTEBOOKS:
        hits = [c.splitlines()[0] for c in code_cells(p) if outside.search(c)]
        assert not hits, (p.name, hits)

def test_real_tier_cells_are_flagged_and_read_one_config():
    hub_ids = re.compile(r"""["'](google/|Qwen/|samsum["']|knkarthick/|trl-lib/)""")   # named once, in the notebook's configuration
    for p in NOTEBOOKS:
        for c in code_cells(p):
            assert not c.startswith(("#| gpu", "#| hub\nflan")), f"{p.name}: real-tier cells carry the flag `real`"
            if c.startswith("#| real"): assert not hub_ids.search(c), (p.name, c.splitlines()[1])
