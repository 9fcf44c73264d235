"""Every measured number in a notebook's prose should be one an output of that notebook prints.

Lists, per notebook, the numbers in markdown cells that look like results (decimals such as 0.727 or 1.4, percentages,
ratios such as 2.5x, counts with a thousands separator such as 2,316) and that no output of the same notebook shows,
rounded or not, and no code cell of it sets. Numbers inside `code`, in headings and in links are settings or names, not results, and are skipped; so is a
sentence that names its source (a paper, a year, "published", "datasheet", a link), and a number that a notebook the
sentence names ("notebook 00e counts ...") shows in its outputs. Exit status 1 when any is left.

Usage: python tools/prose_numbers.py [nbs/04b_lora_variants.ipynb ...]   (default: every notebook)
"""
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"(?<![\w.\-/×])[−-]?(?:\d{1,3}(?:,\d{3})+|\d+\.\d+(?:e[−-]?\d+)?|\d+)(?:\s?%|×(?!\d)|x\b|M\b)?")   # 768×768: a shape
SOURCED = re.compile(r"paper|et al\.|published|datasheet|reports?\b|\b(?:19|20)\d\d\b|https?://|\]\(", re.I)
VERSION = re.compile(r"(?:torch|transformers|peft|trl|bitsandbytes|accelerate|datasets|deepspeed|python|cuda|version)\s+$", re.I)

def _value(tok:str)->tuple:
    "(value, decimals, kind) of a number as written: kind is '%', 'x' or ''."
    t = tok.replace("−", "-").replace(",", "").strip()
    kind = "%" if t.endswith("%") else "x" if t.endswith(("×", "x")) else ""
    if t.endswith("M"): kind = "M"                                         # millions: 2.85M
    t = t.rstrip("%×xM").strip()
    if "e" in t: return float(t), -1, kind                                  # scientific: compared to its written digits
    return float(t), len(t.split(".")[1]) if "." in t else 0, kind

def result_like(tok:str)->bool:
    "A number that reads as a measurement: a decimal, a percentage, a ratio, or a count written with a thousands separator."
    v, d, kind = _value(tok)
    return d > 0 or kind != "" or ("," in tok)

def shown(tok:str, outputs:set)->bool:
    "Whether some output number, rounded as the prose rounds it (a share printed as 0.87 counts for 87%), is this one."
    v, d, kind = _value(tok)
    if d < 0:
        digits = len(tok.split("e")[0].split(".")[1])
        return any(o and f"{o:.{digits}e}" == f"{v:.{digits}e}" for o in outputs)
    for o in outputs:
        for x in (o, 100 * o) if kind == "%" else (o / 1e6,) if kind == "M" else (o, abs(o)):
            if round(x, d) == round(abs(v) if v < 0 and x >= 0 else v, d): return True
    return False

def _text(cell)->str:
    src = "".join(cell["source"])
    src = re.sub(r"`[^`]*`", " ", src)                                  # inline code: settings and names
    src = re.sub(r"^#+ .*$", " ", src, flags=re.M)                     # headings
    src = re.sub(r"\$[^$]*\$", " ", src)                               # maths
    return src

def _outputs(nb)->set:
    "Every number an output prints, and every number a code cell sets (a setting the prose repeats is not a result; a comment's is not a setting)."
    vals = set()
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            code = re.sub(r"(?m)^(\s*#(?!\|).*|(.*?)\s+#\s.*)$", lambda m: m.group(2) or "", "".join(c["source"]))   # comments out: a value
            for tok in NUMBER.findall(re.sub(r"(?<=\d)_(?=\d)", "", code)):   # 247_577_856                  # measured once is no setting
                try: vals.add(_value(tok)[0])
                except ValueError: pass
        for o in c.get("outputs", []):
            texts = [o.get("text", "")] + [o.get("data", {}).get(k, "") for k in ("text/plain", "text/html", "text/markdown")]
            for t in texts:
                for tok in NUMBER.findall("".join(t) if isinstance(t, list) else str(t)):
                    try: vals.add(_value(tok)[0])
                    except ValueError: pass
    return vals

REFERS = re.compile(r"notebooks? (\d\d[a-z]?)\b(?:(?:,| and| or) (\d\d[a-z]?)\b)*", re.I)

def _referred(sentence:str)->list:
    "The notebooks a sentence names as where its numbers come from ('notebook 08', 'notebooks 04 and 04b')."
    names = []
    for m in REFERS.finditer(sentence): names += re.findall(r"\d\d[a-z]?", m.group())
    return [f for n in names for f in sorted((root / "nbs").glob(f"{n}_*.ipynb"))]

def unshown(path:Path)->list:
    """(sentence, number) for each result-like number of the prose that no output shows: of this notebook, or of a notebook
    the same sentence names ("notebook 00e counts ...")."""
    nb = json.loads(path.read_text())
    outs, found = _outputs(nb), []
    for c in nb["cells"]:
        if c["cell_type"] != "markdown": continue
        for sentence in re.split(r"(?<=[.!?:;])\s+|\n- ", _text(c)):
            if SOURCED.search(sentence): continue
            for m in NUMBER.finditer(sentence):
                tok = m.group()
                if VERSION.search(sentence[:m.start()]): continue   # a library's version
                if not result_like(tok) or shown(tok, outs): continue
                if any(shown(tok, _outputs(json.loads(f.read_text()))) for f in _referred(sentence)): continue
                found.append((" ".join(sentence.split())[:140], tok.strip()))
    return found

def main(paths:list)->int:
    total = 0
    for p in paths:
        left = unshown(p)
        total += len(left)
        for sentence, tok in left: print(f"{p.name}: {tok!r} in: {sentence}")
    print(f"{total} number(s) in the prose that no output of their notebook shows")
    return 1 if total else 0

if __name__ == "__main__":
    sys.exit(main([Path(a) for a in sys.argv[1:]] or sorted((root / "nbs").glob("*.ipynb"))))
