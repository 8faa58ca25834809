"""What a reader's first search costs at scale: Pagefind (the site's search) against Material's.

    python -m benchmarks.search_bench                 # 3,000 synthetic plans (two builds: ~15-25 min on 2 cores)
    python -m benchmarks.search_bench --plans 300     # quicker

A synthetic project (benchmarks/synth.py) is built once with `mkdocs build`, with Material's search
plugin switched on beside planpub's Pagefind index, so both engines index the same pages. The
site is served on 127.0.0.1 and headless Chromium (cache off, a fresh page per query) runs, for a
common, a rare and a numeric query:

  Pagefind   pagefind.js's search and the data of the first five results (what the header's UI
             shows first); bytes = every file fetched, as served (Pagefind's index and fragments are
             gzip files already; its JS and wasm are counted gzipped), from the browser's resource
             entries; time = from the call to the fifth result's data.
  Material   the query typed into Material's header box on a freshly loaded page; bytes = the
             search index and worker fetched, gzipped as a server would send them; time = from
             typing to the first result shown (it downloads and builds its whole index first).

The table prints KB (1,000 bytes) and seconds per query, and the ratio Material / Pagefind.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

REPO = Path(__file__).resolve().parent.parent
for path in (REPO, REPO / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from benchmarks import synth  # noqa: E402

BUDGET_KB = 500  # the goal for every query's first download with Pagefind

PAGEFIND_JS = """
const done = arguments[arguments.length - 1];
const [bundle, root, query] = arguments;
(async () => {
  const t0 = performance.now();
  const pagefind = await import(bundle + 'pagefind.js');
  const options = { baseUrl: root, ranking: { pageLength: 0, termSimilarity: 3 } };
  await pagefind.options(options);
  // the other bundles of a large site, merged as the site's script does (content/assets/search.js)
  const listed = await fetch(bundle + 'planpub-bundles.json');
  const others = listed.ok ? await listed.json() : [];
  for (const path of others) await pagefind.mergeIndex(new URL(path, new URL(bundle, location.href)).pathname, options);
  const found = await pagefind.search(query.replace(/đ/g, 'd\\u0335').replace(/Đ/g, 'D\\u0335'));
  const shown = await Promise.all(found.results.slice(0, 5).map(r => r.data()));
  const t1 = performance.now();
  done({ seconds: (t1 - t0) / 1000, results: found.results.length, first: shown.map(d => d.url), bundles: 1 + others.length,
         urls: performance.getEntriesByType('resource').map(e => e.name) });
})().catch(e => done({ error: String(e) }));
"""

MATERIAL_JS = "return document.querySelectorAll('.md-search-result__item').length"
# Material's search has answered (results, or its "no result" line) once its index is loaded
MATERIAL_DONE_JS = """
const meta = document.querySelector('.md-search-result__meta');
return document.querySelectorAll('.md-search-result__item').length > 0 ||
       (meta !== null && /Không|No matching/i.test(meta.textContent));
"""


MATERIAL_PATIENCE = 600  # seconds to wait for Material's first result before giving up on it


def build(plans: int, work: Path) -> Path:
    if (work / "site" / "pagefind").is_dir() and (work / "project" / "mkdocs.yml").is_file():
        print(f"reusing the site built in {work}", file=sys.stderr)  # --keep of an earlier run
        return work / "site"
    project = synth.generate(work / "project", plans)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    marker = "plugins:\n  - planpub\n"
    assert marker in config, "mkdocs.yml: plugins list not found"
    (project / "mkdocs.yml").write_text(config.replace(marker, "plugins:\n  - search:\n      lang: vi\n  - planpub\n"), encoding="utf-8")
    from conftest import mkdocs_build

    site = work / "site"
    started = time.perf_counter()
    done = mkdocs_build(project, site)
    if done.returncode != 0:
        raise SystemExit(done.stdout[-3000:] + done.stderr[-3000:])
    print(f"built {plans} plans in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return site


def queries(project: Path) -> tuple[dict[str, str], int]:
    """A common word pair, a rare word (in one plan only) and a plan number, from the corpus itself;
    and the number of plans (a reused site's own, whatever --plans says)."""
    import re
    from collections import Counter

    from generator.corpus import load_project, plan_texts

    corpus = load_project(project)
    counts: Counter[str] = Counter()  # in how many plans a word occurs
    for plan in corpus.plans:
        words = set()
        for _, text in plan_texts(plan):
            words.update(re.findall(r"[^\W\d_]{5,}", text.lower()))
        counts.update(words)
    rare = min(sorted(counts), key=lambda w: counts[w])  # a word of the fewest plans (one, in a big corpus)
    number = next(p.number for p in corpus.plans if p.number)
    return {"common": "thi đua khen thưởng", "rare": rare, "numeric": number}, len(corpus.plans)


def served_bytes(site: Path, urls: list[str], compress: bool) -> int:
    total = 0
    for url in urls:
        path = site / unquote(urlparse(url).path).lstrip("/")
        if path.is_file():
            data = path.read_bytes()
            already = data[:2] == b"\x1f\x8b" or path.suffix in {".pf_index", ".pf_fragment", ".pf_filter", ".pf_meta"}
            total += len(data) if already or not compress else len(gzip.compress(data, 9))
    return total


REQUESTS: list[str] = []  # every path the server was asked for (Pagefind fetches from a worker too)


@contextmanager
def recording_server(site: Path):
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format, *args):  # noqa: A002
            REQUESTS.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def measure(site: Path, named: dict[str, str], material: bool = True) -> list[dict]:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from browser import chromium, chromium_paths, open_page, set_viewport

    rows = []
    material_gave_up = False
    with recording_server(site) as base, chromium(*chromium_paths()) as driver:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.set_script_timeout(300)
        set_viewport(driver, 1280, 900)
        for kind, query in named.items():
            open_page(driver, base + "ke-hoach/")
            REQUESTS.clear()
            found = driver.execute_async_script(PAGEFIND_JS, base + "pagefind/", "/", query)
            if "error" in found:
                raise SystemExit(found["error"])
            fetched = [u for u in REQUESTS if "/pagefind/" in u]
            index = [u for u in fetched if "/pagefind/" in u and not u.endswith((".js", ".css", ".pagefind"))]
            rows.append({"engine": "Pagefind", "kind": kind, "query": query, "results": found["results"], "bundles": found["bundles"],
                         "index_kb": served_bytes(site, index, True) / 1000,
                         "total_kb": served_bytes(site, fetched, True) / 1000, "seconds": found["seconds"]})
            print(f"  Pagefind {kind}: {rows[-1]['total_kb']:.0f} KB, {found['seconds']:.2f} s", file=sys.stderr)

            if not material:
                continue
            REQUESTS.clear()
            open_page(driver, base + "ke-hoach/")
            box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
            box.click()
            started = time.perf_counter()
            box.send_keys(query)
            seconds: float | None = None
            if not material_gave_up:  # one wait past patience is enough to know
                try:
                    WebDriverWait(driver, MATERIAL_PATIENCE, poll_frequency=0.05).until(lambda d: d.execute_script(MATERIAL_DONE_JS))
                    seconds = time.perf_counter() - started
                except TimeoutException:
                    material_gave_up = True
            urls = list(REQUESTS)
            search = [u for u in urls if "search_index.json" in u or "/workers/" in u or "/lunr/" in u]
            index = [u for u in search if "search_index.json" in u]
            rows.append({"engine": "Material", "kind": kind, "query": query,
                         "results": driver.execute_script(MATERIAL_JS),
                         "index_kb": served_bytes(site, index, True) / 1000,
                         "total_kb": served_bytes(site, search, True) / 1000, "seconds": seconds})
            print(f"  Material {kind}: {rows[-1]['total_kb']:.0f} KB, {seconds} s", file=sys.stderr)
    return rows


def table(rows: list[dict], plans: int) -> str:
    bundles = max((row.get("bundles") or 1 for row in rows), default=1)
    lines = [f"first query at {plans} plans, {bundles} Pagefind bundle{'s' if bundles > 1 else ''} (gzipped KB; seconds to first results)",
             f"{'query':<10} {'engine':<9} {'index+fragments KB':>19} {'all search files KB':>20} {'seconds':>8}  results  text"]
    for row in rows:
        seconds = f"{row['seconds']:>8.2f}" if row["seconds"] is not None else f"{'>' + str(MATERIAL_PATIENCE):>8}"
        lines.append(f"{row['kind']:<10} {row['engine']:<9} {row['index_kb']:>19.0f} {row['total_kb']:>20.0f} {seconds}  {row['results']:>7}  {row['query']}")
    by = {(r["kind"], r["engine"]): r for r in rows}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        if (kind, "Material") not in by:
            continue
        pf, mat = by[(kind, "Pagefind")], by[(kind, "Material")]
        mat_seconds = mat["seconds"] if mat["seconds"] is not None else MATERIAL_PATIENCE
        over = "" if mat["seconds"] is not None else ">"
        lines.append(f"{kind}: Material/Pagefind = {mat['index_kb'] / max(pf['index_kb'], 1e-9):.0f}x bytes, {over}{mat_seconds / max(pf['seconds'], 1e-9):.1f}x time;"
                     f" Pagefind within {BUDGET_KB} KB: {'yes' if pf['total_kb'] <= BUDGET_KB else 'NO'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=3000)
    parser.add_argument("--keep", type=Path, help="build into this directory and keep it (a second run reuses it)")
    parser.add_argument("--pagefind-only", action="store_true", help="measure Pagefind alone (Material takes minutes)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="planpub-search-bench-") as tmp:
        work = args.keep or Path(tmp)
        site = build(args.plans, work)
        named, plans = queries(work / "project")
        rows = measure(site, named, material=not args.pagefind_only)
    print(table(rows, plans))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
