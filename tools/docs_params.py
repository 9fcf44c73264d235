"""Sphinx hooks for the course's reference. The library's docstrings are plain text with `code` in backticks (as the notebooks
write them), not reStructuredText: read them as such, and add the comments beside a function's parameters (nbdev's docments)."""
import re

def plain(lines:list):
    "Escape what reStructuredText would read as markup in a plain docstring (|x| substitutions, *, a word's trailing _, indents)."
    for i, line in enumerate(lines):
        line = line.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")
        line = re.sub(r"(\w)_(?=\W|$)", r"\1\\_", line)
        lines[i] = line.lstrip()   # a docstring's continuation lines are not block quotes

def add_parameter_comments(app, what, name, obj, options, lines):
    "autodoc-process-docstring: the docstring as plain text, then `:param name: comment` for each parameter that carries one."
    plain(lines)
    if what not in ("function", "method", "class"): return
    try:
        from fastcore.docments import docments
        found = docments(obj, full=True)
    except Exception: return   # builtins and objects without source: their docstring alone
    params = [(k, v["docment"]) for k, v in found.items() if k != "return" and v.get("docment")]
    if params:
        escaped = [f":param {k}: {doc}" for k, doc in params]
        plain(escaped); lines += [""] + escaped
