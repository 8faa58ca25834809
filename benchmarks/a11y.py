"""Accessibility and performance budget (issue #10): Lighthouse mobile scores and axe-core violations.

    npm ci --prefix tests/a11y                      # once: lighthouse 12.2.3, axe-core, puppeteer-core
    python -m benchmarks.a11y                       # build the seed site, serve it, audit, print the table
    python -m benchmarks.a11y --site DIR --pages "" ke-hoach/x/ --runs 3 --json out.json

Builds the repository's site (`mkdocs build --strict`, the seed plans) into a temporary directory
unless --site names a built one, serves it on 127.0.0.1 as a static host would (gzip, cache
lifetime) and runs tests/a11y/audit.mjs in Debian's
headless Chromium: Lighthouse with its default mobile settings (emulated phone, simulated slow 4G
and CPU), and axe-core at 390 px and 1280 px. The pages are found in the built site (audit_pages):
home, the largest plan page, the units, movements and Lịch pages, and, once they exist, the largest
unit page /don-vi/<id>/, movement page /phong-trao/<id>/ and timeline page /nam-hoc/<y>/.

Budget: accessibility, best practices and SEO 100, performance ≥ 95, no axe-core violation.
Exit status 1 when a page misses it. Lighthouse's performance score varies between runs: --runs N
keeps the run with the median score.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent

PACKAGE = REPO / "tests" / "a11y"
AUDIT = PACKAGE / "audit.mjs"
AXE = PACKAGE / "node_modules" / "axe-core" / "axe.min.js"
BUDGET = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# section folder: (name of its list page, name of its largest child page)
SECTIONS = {"don-vi": ("units", "unit"), "phong-trao": ("movements", "movement"), "lich": ("calendar", None), "nam-hoc": ("timelines", "timeline")}
PLANS = "ke-hoach"


def plan_ids(plans: Path) -> set[str]:
    return {p.stem for p in plans.rglob("*.yaml") if not any(part.startswith("_") for part in p.relative_to(plans).parts)}


def _largest(pages: list[Path]) -> Path | None:
    return max(pages, key=lambda p: (p.stat().st_size, str(p)), default=None)


def audit_pages(site: Path, ids: set[str]) -> dict[str, str]:
    """{name: page path relative to the site root} of the pages the budget covers, found in the built site."""
    pages = {"home": ""}
    plan = _largest([p for p in site.glob(f"{PLANS}/*/index.html") if p.parent.name in ids])
    if plan is not None:
        pages["plan"] = f"{PLANS}/{plan.parent.name}/"
    for folder, (list_name, child_name) in SECTIONS.items():
        if (site / folder / "index.html").is_file():
            pages[list_name] = f"{folder}/"
        child = _largest(list(site.glob(f"{folder}/*/index.html"))) if child_name else None
        if child is not None:
            pages[child_name] = f"{folder}/{child.parent.name}/"
    return pages


class _StaticHostHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host does (GitHub Pages): text gzipped, a 10-minute cache lifetime.

    Python's plain file server sends neither, and Lighthouse would then time uncompressed transfers
    over its simulated slow 4G, which no reader gets.
    """

    COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics"}

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and url_path.endswith("/"):
            path = path / "index.html"
        if path.suffix not in self.COMPRESSED or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().do_GET()  # directories without a slash (redirect), 404s, images, clients without gzip
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve_like_a_host(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 at a free port, in a thread; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_StaticHostHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, name="planpub-a11y-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def build_seed_site(dest: Path) -> Path:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(REPO / "mkdocs.yml"), "-d", str(dest)],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"a11y: mkdocs build failed\n{done.stdout}{done.stderr}")
    return dest


def run_audit(base: str, pages: list[str], chromium: str, runs: int, lighthouse: bool) -> dict:
    if not AXE.is_file():
        raise SystemExit(f"a11y: run `npm ci --prefix {PACKAGE.relative_to(REPO)}` first ({AXE.relative_to(REPO)} is missing)")
    cmd = ["node", str(AUDIT), "--chromium", chromium, "--base", base, "--runs", str(runs), *([] if lighthouse else ["--no-lighthouse"]), "--", *pages]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"a11y: {AUDIT.name} failed\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def misses(entry: dict) -> list[str]:
    out = [f"{cat} {entry['scores'][cat]} < {bound}" for cat, bound in BUDGET.items() if "scores" in entry and entry["scores"][cat] < bound]
    for viewport, violations in entry["axe"].items():
        out += [f"axe {viewport}: {v['id']}" for v in violations]
    return out


def table(names: dict[str, str], report: dict) -> str:
    by_page = {e["page"]: e for e in report["pages"]}
    head = f"{'page':<11}{'path':<48}{'perf':>6}{'a11y':>6}{'b.p.':>6}{'seo':>6}{'axe 390':>9}{'axe 1280':>10}"
    lines = [f"Lighthouse {report['lighthouse']} (mobile), axe-core {report['axe']}; budget: "
             + ", ".join(f"{k} ≥ {v}" for k, v in BUDGET.items()) + ", no axe violation", head, "-" * len(head)]
    for name, page in names.items():
        e = by_page[page]
        scores = e.get("scores", {})
        cells = "".join(f"{scores.get(c, '—'):>6}" for c in BUDGET)
        lines.append(f"{name:<11}{'/' + page:<48}{cells}{len(e['axe']['phone']):>9}{len(e['axe']['desktop']):>10}")
    lines.append("")
    for name, page in names.items():
        e = by_page[page]
        for category, audits in e.get("failing", {}).items():
            if category != "performance" and audits:
                lines.append(f"{name}: {category}: " + "; ".join(f"{a['id']} ({a['title']})" for a in audits))
        if "performanceRuns" in e:
            slow = [f"{a['id']} {a['display']}".strip() for a in e["failing"]["performance"] if a["score"] < 0.9]
            lines.append(f"{name}: performance runs {e['performanceRuns']}" + (f"; below 0.9: {', '.join(slow)}" if slow else ""))
        for viewport, violations in e["axe"].items():
            for v in violations:
                targets = ", ".join(n["target"] for n in v["nodes"][:4]) + (" …" if len(v["nodes"]) > 4 else "")
                lines.append(f"{name}: axe {viewport}: {v['id']} ({v['impact']}) {v['help']} — {len(v['nodes'])} node(s): {targets}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=None, help="a built site to audit (default: build the seed site)")
    parser.add_argument("--pages", nargs="*", default=None, help="page paths to audit instead of the discovered ones")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (the median performance run is kept)")
    parser.add_argument("--no-lighthouse", dest="lighthouse", action="store_false", help="axe-core only (fast)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--json", type=Path, default=None, help="also write the whole report here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="planpub-a11y-") as tmp:
        site = args.site or build_seed_site(Path(tmp) / "site")
        names = {p or "home": p for p in args.pages} if args.pages is not None else audit_pages(site, plan_ids(REPO / "plans"))
        with serve_like_a_host(site) as base:
            report = run_audit(base, list(names.values()), args.chromium, args.runs, args.lighthouse)
    report["names"] = names
    print(table(names, report))
    missed = {name: m for name, page in names.items() if (m := misses(next(e for e in report["pages"] if e["page"] == page)))}
    report["missed"] = missed
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("\nbudget " + ("MISSED on " + ", ".join(missed) if missed else "met on every page"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
