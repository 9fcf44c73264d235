"The website's page preparation (tools/docs.py): what nbdev hides stays hidden, directives are off the code, the Colab link is there."
import json, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
from docs import directives, page, inside, COLAB, REMOTE_BADGE   # noqa: E402

def test_directives_come_off_the_code():
    assert directives("#| export\n#| echo: false\nx = 1\n") == ({"export": "", "echo": "false"}, "x = 1\n")
    assert directives("x = 1  #| not a directive\n") == ({}, "x = 1  #| not a directive\n")

def test_a_page_hides_what_nbdev_hides(tmp_path):
    code = lambda src, outputs=(): dict(cell_type="code", metadata={}, source=src, outputs=list(outputs), execution_count=None)
    nb = dict(nbformat=4, nbformat_minor=5, metadata={}, cells=[
        dict(cell_type="markdown", metadata={}, source="# Title\n> what it teaches"),
        code("#| default_exp thing"), code("#| hide\nassert True"), code("#| echo: False\nprint(1)", [dict(output_type="stream", name="stdout", text="1\n")]),
        code("#| export\ndef f(): pass")])
    p = tmp_path / "05_thing.ipynb"; p.write_text(json.dumps(nb))
    cells = page(p, module="thing")["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert not any("assert True" in s or "default_exp" in s for s in sources)   # hidden cells are left out
    assert sources[0].startswith("# Title\n> what it teaches\n\n[![Open in Colab]") and f"({COLAB}/05_thing.ipynb)" in sources[0]
    shown = [c for c in cells if c["cell_type"] == "code"]
    assert [c["source"] for c in shown] == ["print(1)", "def f(): pass"] and shown[0]["metadata"]["tags"] == ["remove-input"]
    assert "reference/thing.md" in sources[-1]                                # the module's reference, linked

def test_the_index_links_and_badges_point_inside_the_site():
    text = f"[04 · LoRA](nbs/04_lora.ipynb) [![Open In Colab]({REMOTE_BADGE})](https://colab.research.google.com/x)"
    assert inside(text) == "[04 · LoRA](04_lora.ipynb) [![Open In Colab](_static/colab-badge.svg)](https://colab.research.google.com/x)"
    assert inside(text, output=True).startswith("[04 · LoRA](04_lora.html)")   # outputs are not resolved by Sphinx: the page itself
