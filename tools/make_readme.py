"""Write README.md from nbs/index.ipynb (what nbdev_readme does, without quarto, which cannot be installed offline).

Markdown cells are copied; code cells are shown with their stored outputs, except cells marked `#| hide`
(left out) and `#| echo: false` (output only). Run index.ipynb first so its outputs (the results table) are current.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]

def directives(src):
    return {l[3:].strip().split(":")[0]: l[3:].split(":", 1)[-1].strip() for l in src.splitlines() if l.startswith("#| ")}

def body(src): return "\n".join(l for l in src.splitlines() if not l.startswith("#|")).strip()

def outputs(cell):
    out = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream": out.append(f"```\n{''.join(o['text']).rstrip()}\n```")
        elif "text/markdown" in o.get("data", {}): out.append("".join(o["data"]["text/markdown"]).strip())
        elif "text/plain" in o.get("data", {}): out.append(f"```\n{''.join(o['data']['text/plain']).rstrip()}\n```")
    return out

def readme(nb_path):
    nb, parts = json.loads(Path(nb_path).read_text()), []
    for c in nb["cells"]:
        src = "".join(c["source"])
        if c["cell_type"] == "markdown": parts.append(src.strip()); continue
        d = directives(src)
        if "hide" in d or "default_exp" in d: continue
        if d.get("echo") != "false" and body(src): parts.append(f"```python\n{body(src)}\n```")
        parts += outputs(c)
    head = "<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n"
    return head + "\n\n".join(p for p in parts if p) + "\n"

if __name__ == "__main__":
    (root / "README.md").write_text(readme(root / "nbs" / "index.ipynb"))
    print("README.md written from nbs/index.ipynb", file=sys.stderr)
