"""Open the built site (make docs) in headless Chromium, as a learner's browser would, and check every page: it loads with no
console error and no failed request (the site is served on 127.0.0.1 and every other address is refused, so a page that needs
the network fails here), every link inside the site resolves (its page and its #anchor), every image loads, and a notebook page
shows its code and its outputs. Screenshots of the home page and of one notebook page go to _docs_test/ (not committed).

    python tools/docs_test.py      # (make docs-test) needs Debian's Chromium (apt-get install chromium) and playwright (make docs)
"""
import functools, http.server, re, shutil, sys, threading
from pathlib import Path
from urllib.parse import urlparse, unquote

sys.path.insert(0, str(Path(__file__).parent))
from docs import OUT as SITE, ROOT, NBS   # noqa: E402 (tools/ is put on the path just above)

SHOTS = ROOT / "_docs_test"
NOTEBOOK_SHOT = "04_lora.html"

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass

def serve():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv

def target(href:str, base:str):
    "The file and anchor an internal link points at, or None for a link that leaves the site."
    if not href.startswith(base): return None
    u = urlparse(href); path = SITE / unquote(u.path).lstrip("/")
    if path.is_dir(): path = path / "index.html"
    return path, unquote(u.fragment)

def anchors(path:Path, cache:dict)->set:
    if path not in cache: cache[path] = set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8", errors="replace")))
    return cache[path]

def main()->int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium: sys.exit("make docs-test needs Debian's Chromium: `apt-get install chromium` (as root), then run it again")
    if not (SITE / "index.html").exists(): sys.exit(f"no site in {SITE}: run `make docs` first")
    from playwright.sync_api import sync_playwright
    pages = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                   if not p.relative_to(SITE).as_posix().startswith(("_static/", "_sources/", "_images/")))
    missing = [p.stem for p in NBS.glob("*.ipynb") if not (SITE / f"{p.stem}.html").exists()]   # every notebook has its page
    if missing: sys.exit(f"notebooks without a page: {missing}: run `make docs`")
    srv = serve(); base = f"http://127.0.0.1:{srv.server_address[1]}/"
    problems, ids, checked_links, SHOTS_taken = [], {}, 0, []
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport=dict(width=1280, height=900))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) or route.request.url.startswith("data:")
                   else route.abort())   # offline: nothing outside the site
        errors = []
        page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"script error: {e}"))
        page.on("requestfailed", lambda r: errors.append(f"failed request: {r.url}"))
        for rel in pages:
            errors.clear()
            resp = page.goto(base + rel, wait_until="load")
            page.wait_for_load_state("networkidle")   # what scripts load after the page (search index, MathJax) has come or failed
            found = [] if resp is not None and resp.status == 200 else [f"HTTP {resp.status if resp else 'no response'}"]
            found += errors
            broken = page.eval_on_selector_all("img", "xs => xs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
            found += [f"image not loaded: {s}" for s in broken]
            for href in set(page.eval_on_selector_all("a[href]", "xs => xs.map(a => a.href)")):
                t = target(href, base)
                if t is None: continue
                checked_links += 1
                path, frag = t
                if not path.exists(): found.append(f"link to a missing page: {href}")
                elif frag and path.suffix == ".html" and frag not in anchors(path, ids): found.append(f"link to a missing anchor: {href}")
            if page.locator("div.cell").count():   # a notebook: its code and outputs shown (none hidden by the page's styles)
                hidden = page.eval_on_selector_all("div.cell_input, div.cell_output",
                                                   "xs => xs.filter(x => !(x.offsetWidth || x.offsetHeight || x.getClientRects().length)).length")
                if hidden: found.append(f"{hidden} code or output blocks not visible")
                if not page.locator("div.cell_output").count(): found.append("a notebook page without outputs")
            if page.locator("span.math, div.math").count():   # formulas: MathJax typesets them from the site's own copy
                page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
                page.evaluate("() => MathJax.startup.promise")
                raw = page.eval_on_selector_all("span.math, div.math", "xs => xs.filter(x => !x.querySelector('mjx-container')).length")
                if raw: found.append(f"{raw} formulas left untypeset")
                if page.locator("mjx-merror").count(): found.append("a formula MathJax could not typeset")
            if rel in ("index.html", NOTEBOOK_SHOT):
                shot = SHOTS / rel.replace(".html", ".png"); page.screenshot(path=str(shot)); SHOTS_taken.append(shot)
            problems += [f"{rel}: {f}" for f in found]
        page.goto(base + "search.html?q=rsLoRA", wait_until="load")   # search, offline, from the site's own index
        try: page.wait_for_selector("ul.search li", timeout=10000)
        except Exception: problems.append("search.html: searching 'rsLoRA' found nothing")
        browser.close()
    srv.shutdown()
    print(f"{len(pages)} pages opened in Chromium, {checked_links} internal links followed; screenshots: "
          + ", ".join(str(s.relative_to(ROOT)) for s in SHOTS_taken))
    for p in problems: print("  " + p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
