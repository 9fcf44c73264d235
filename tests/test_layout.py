"""The library's shape: each module imports only the modules listed above it in the README's module map (no cycles,
nothing below `cli` imports it), the application comes last, and none grows past 400 lines."""
import ast, json, re
from pathlib import Path
root = Path(__file__).resolve().parents[1]

def module_order()->list:
    "The README's module map, as nbs/index.ipynb lists it."
    cells = json.loads((root / "nbs" / "index.ipynb").read_text())["cells"]
    src = next("".join(c["source"]) for c in cells if "MODULES = [" in "".join(c["source"]))
    listed = re.search(r"MODULES = (\[.*?\])", src, re.S).group(1)
    return ast.literal_eval(re.sub(r"#[^\n]*", "", listed))   # the layers' comments out

def imported(name:str)->set:
    "The lora_course modules that `name` imports, at its top or inside its functions."
    tree, out = ast.parse((root / "lora_course" / f"{name}.py").read_text()), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            mod = node.module.removeprefix("lora_course.") if node.level == 0 else node.module
            if node.level or node.module.startswith("lora_course."): out.add(mod)
    return out

def test_every_module_is_in_the_map():
    mods = {p.stem for p in (root / "lora_course").glob("*.py") if not p.stem.startswith("_")}
    assert set(module_order()) == mods

def test_modules_import_only_those_above_them():
    order = module_order()
    for i, name in enumerate(order):
        above = set(order[:i])
        assert imported(name) <= above, (name, imported(name) - above)

def test_the_application_sits_above_every_lesson():
    "The recipes the commands run, and the commands, come last: no lesson module can import them."
    order = module_order()
    assert order[-2:] == ["recipes", "cli"], order[-2:]
    lessons = order[:-2]
    assert all(not ({"recipes", "cli"} & imported(name)) for name in lessons)

def test_no_module_over_400_lines():
    sizes = {p.name: len(p.read_text().splitlines()) for p in (root / "lora_course").glob("*.py") if p.name != "_modidx.py"}
    assert max(sizes.values()) <= 400, sizes

def test_scripts_import_only_what_the_library_has():
    "bench/ and tools/ name library functions inside their functions too: a name moved or renamed breaks no import until it runs."
    import importlib
    for f in sorted((root / "bench").glob("*.py")) + sorted((root / "tools").glob("*.py")):
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lora_course"):
                mod = importlib.import_module(node.module)
                missing = [a.name for a in node.names if not hasattr(mod, a.name)]
                assert not missing, f"{f.name} imports {missing} from {node.module}, which has no such name"
