"A Sphinx hook for the course's reference: the comments beside a function's parameters (nbdev's docments) as its parameter list."

def add_parameter_comments(app, what, name, obj, options, lines):
    "autodoc-process-docstring: append `:param name: comment` for each parameter that carries a comment in the source."
    if what not in ("function", "method", "class"): return
    try:
        from fastcore.docments import docments
        found = docments(obj, full=True)
    except Exception: return   # builtins and objects without source: their docstring alone
    params = [(k, v["docment"]) for k, v in found.items() if k != "return" and v.get("docment")]
    if params: lines += [""] + [f":param {k}: {doc}" for k, doc in params]
