"""The course as a website, built offline from the notebooks as stored (nothing is re-executed): the index notebook (the README)
as the home page, every notebook a page in the course's order with its outputs and figures and its "Open in Colab" link, the
library's reference (signatures, docstrings and the parameters' comments), each module linked from the notebook that teaches it,
and search. Sphinx with myst-nb and sphinx-book-theme: all three install from the package index alone (nbdev's own `nbdev_docs`
needs Quarto, which downloads a binary as it installs).

    python tools/docs.py     # (make docs) writes the site into settings.ini's doc_path, _docs/; open _docs/index.html
"""
import configparser, json, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_ini = configparser.ConfigParser(delimiters=["="]); _ini.read(ROOT / "settings.ini", encoding="utf-8")
CFG = _ini["DEFAULT"]
NBS, SRC, OUT = ROOT / CFG["nbs_path"], ROOT / "_proc" / "docs", ROOT / CFG["doc_path"]
COLAB = f"https://colab.research.google.com/github/{CFG['user']}/{CFG['repo']}/blob/{CFG['branch']}/{CFG['nbs_path']}"
REMOTE_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
DIRECTIVE = re.compile(r"^\s*#\s*\|\s*([\w-]+):?\s*(.*?)\s*$")
DROPPED = {"hide", "default_exp"}   # the cells nbdev's own docs leave out

# A badge of our own, so that the site shows every image without reaching the network
BADGE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img" aria-label="Open in Colab">
<rect width="117" height="20" rx="3" fill="#555"/><rect x="0" width="4" height="20" rx="2" fill="#f9ab00"/>
<text x="60" y="14" fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">Open in Colab</text></svg>
"""

CSS = """/* long outputs scroll inside their cell; wide tables scroll sideways; figures at a readable size */
div.cell_output .output.text_plain pre, div.cell_output .output.stream pre { max-height: 32em; overflow: auto; }
div.cell_output table, div.cell_output pre { overflow-x: auto; display: block; }
div.cell_output img { max-width: 100%; height: auto; }
"""

def directives(source:str)->tuple:
    "nbdev's `#| name value` lines at the top of a code cell: ({name: value}, the code below them)."
    lines, found = source.splitlines(keepends=True), {}
    while lines and (m := DIRECTIVE.match(lines[0])):
        found[m.group(1)] = m.group(2); lines.pop(0)
    return found, "".join(lines)

def notebooks()->list:
    "The course's notebooks in its order (the file names sort that way), the index first."
    return [NBS / "index.ipynb"] + sorted(p for p in NBS.glob("*.ipynb") if p.name != "index.ipynb")

def title(nb:dict, fallback:str)->str:
    first = next((c for c in nb["cells"] if c["cell_type"] == "markdown"), None)
    m = re.match(r"#\s+(.+)", "".join(first["source"]) if first else "")
    return m.group(1).strip() if m else fallback

def md_cell(text:str)->dict:
    import hashlib
    return dict(cell_type="markdown", id=hashlib.md5(text.encode()).hexdigest()[:8], metadata={}, source=text)

def inside(text:str, output:bool=False)->str:
    """The index's links to notebooks and its Colab badges, pointed inside the site (the pages sit side by side; the badge is ours).
    In an output, which Sphinx does not resolve, a link goes to the page itself."""
    text = re.sub(r"\]\(nbs/([\w.-]+)\.ipynb\)", r"](\1.html)" if output else r"](\1.ipynb)", text)
    return text.replace(REMOTE_BADGE, "_static/colab-badge.svg")

def page(path:Path, module:str=None, toc:list=None)->dict:
    """One notebook as a page: hidden cells out, nbdev's directives off the code, `echo: false` / `output: false` as myst-nb's
    tags, the Colab link under the title, the index's links and badges pointed inside the site, and the module's reference linked."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for c in nb["cells"]:
        c = dict(c, metadata={})
        if c["cell_type"] == "code":
            found, code = directives("".join(c["source"]))
            if DROPPED & found.keys(): continue
            off = lambda k: found.get(k, "").lower() == "false"
            tags = (["remove-input"] if off("echo") else []) + (["remove-output"] if off("output") else [])
            if not code.strip() and not c.get("outputs"): continue
            c.update(source=code, metadata=dict(tags=tags) if tags else {})
            for o in c.get("outputs", []):   # the README's tables are the index's outputs
                for mime in ("text/markdown", "text/html"):
                    if mime in o.get("data", {}): o["data"][mime] = inside("".join(o["data"][mime]), output=True)
        else: c["source"] = inside("".join(c["source"]))
        cells.append(c)
    if path.name != "index.ipynb":   # the Colab link under the title and its one-line summary ("> ..."), before the introduction
        first = next((c for c in cells if c["cell_type"] == "markdown"), None)
        badge = f"[![Open in Colab](_static/colab-badge.svg)]({COLAB}/{path.name})"
        if first is None: cells.insert(0, md_cell(badge))
        else:
            lines = first["source"].split("\n"); at = 1
            while at < len(lines) and lines[at].startswith(">"): at += 1
            first["source"] = "\n".join(lines[:at] + ["", badge, ""] + lines[at:])
    if module:
        cells.append(md_cell(f"## Reference\n\nWhat this notebook exports, with every signature, docstring and parameter: "
                             f"[`lora_course.{module}`](reference/{module}.md)."))
    if toc:
        cells.append(md_cell("```{toctree}\n:hidden:\n:maxdepth: 1\n\n" + "\n".join(toc) + "\n```\n"))
    for i, c in enumerate(cells): c.setdefault("id", f"cell-{i}")   # nbdev_clean leaves cells without ids; the page needs them
    nb["cells"] = cells
    nb["metadata"] = {k: v for k, v in nb.get("metadata", {}).items() if k in ("kernelspec", "language_info")}
    return nb

def conf()->str:
    return f'''# written by tools/docs.py: edit it there
import sys
sys.path.insert(0, {str(ROOT / "tools")!r})
project = {CFG["title"]!r}
author = {CFG["author"]!r}
copyright = {CFG["copyright"]!r}
extensions = ["myst_nb", "sphinx.ext.autodoc"]
nb_execution_mode = "off"          # the outputs as stored: the site never runs a notebook
nb_output_stderr = "remove"        # warnings and progress bars are for the one running the notebook
nb_merge_streams = True
nb_ipywidgets_js = {{}}
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
html_theme = "sphinx_book_theme"
html_context = dict(default_mode="light")
html_title = {CFG["title"]!r}
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_theme_options = dict(repository_url={CFG["git_url"]!r}, repository_branch={CFG["branch"]!r}, path_to_docs={CFG["nbs_path"]!r},
                          use_repository_button=True, launch_buttons=dict(colab_url="https://colab.research.google.com"))
mathjax_path = "mathjax/tex-svg.js"   # MathJax 3, served from the site itself (no network); SVG output needs no web fonts
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
autodoc_member_order = "bysource"
autodoc_inherit_docstrings = False   # torch's own docstrings (forward, ...) are not the course's
default_role = "literal"           # `code` in a docstring, as in the notebooks
autodoc_typehints = "signature"
def setup(app):
    from docs_params import add_parameter_comments
    app.connect("autodoc-process-docstring", add_parameter_comments)
'''

def mathjax(static:Path):
    "MathJax 3 from the django-static-mathjax package (its files only: it is installed without Django), into the site's static files."
    import mathjax as package
    shutil.copytree(Path(package.__file__).parent / "static" / "mathjax" / "es5", static / "mathjax")

def build(strict:bool=True)->Path:
    if SRC.exists(): shutil.rmtree(SRC)
    (SRC / "reference").mkdir(parents=True); static = SRC / "_static"; static.mkdir()
    (static / "colab-badge.svg").write_text(BADGE_SVG); (static / "course.css").write_text(CSS); mathjax(static)
    paths = notebooks()
    modules = {}
    for p in paths:
        nb = json.loads(p.read_text(encoding="utf-8"))
        for c in nb["cells"]:
            if c["cell_type"] == "code" and "default_exp" in (d := directives("".join(c["source"]))[0]): modules[p] = d["default_exp"]
    toc = [p.stem for p in paths[1:]] + ["reference/index"]
    for p in paths:
        (SRC / p.name).write_text(json.dumps(page(p, modules.get(p), toc if p.name == "index.ipynb" else None), indent=1), encoding="utf-8")
    refs = list(modules.values())
    for p, mod in modules.items():
        nb_title = title(json.loads(p.read_text(encoding="utf-8")), p.stem)
        (SRC / "reference" / f"{mod}.md").write_text(
            f"# lora_course.{mod}\n\nTaught in [{p.stem} · {nb_title}](../{p.name}).\n\n"
            f"```{{eval-rst}}\n.. automodule:: lora_course.{mod}\n   :members:\n```\n", encoding="utf-8")
    (SRC / "reference" / "index.md").write_text(
        "# The library's reference\n\nEvery function the notebooks export into `lora_course`, module by module, each beside the "
        "notebook that builds it.\n\n```{toctree}\n:maxdepth: 1\n\n" + "\n".join(refs) + "\n```\n", encoding="utf-8")
    (SRC / "conf.py").write_text(conf(), encoding="utf-8")
    built = ROOT / "_proc" / "site"   # myst-nb writes its copies of the notebooks beside the build folder: inside _proc too
    for d in (built, ROOT / "_proc" / "jupyter_execute", ROOT / "_proc" / "doctrees"):
        if d.exists(): shutil.rmtree(d)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "2", "-d", str(ROOT / "_proc" / "doctrees"), str(SRC), str(built)]
    cmd += ["-W", "--keep-going"] if strict else []
    subprocess.run(cmd, check=True)
    if OUT.exists(): shutil.rmtree(OUT)
    shutil.copytree(built, OUT)
    print(f"the site: {OUT / 'index.html'} ({len(paths)} notebooks, {len(refs)} reference pages)")
    return OUT

if __name__ == "__main__":
    build(strict="--loose" not in sys.argv)
