"""Scale benchmark (issue #12): every figure of planpub at N synthetic plans, in one run, one table.

    python -m benchmarks.run                                  # 300, 1,000 and 3,000 plans (≈ 15 min)
    python -m benchmarks.run --sizes 300,1000                 # quicker
    python -m benchmarks.run --sizes 1000 --profile           # + cProfile hotspots of the full build
    python -m benchmarks.run --json out.json --work /tmp/keep # choose the JSON; keep projects and sites

For each size N, benchmarks/synth.py writes a project, then, one after the other (never in parallel,
so they do not compete for the cores), in fresh processes:

  full build     `mkdocs build --strict` with planpub, run by benchmarks/instrument.py, which times
                 each stage inside it: planpub's mkdocs hooks and, below them, every planpub function
                 they call, found in the code (a new stage shows up by itself). Wall time, peak memory (PSS) of
                 the process tree, the built site measured by kind.
  pipeline       generator.site.build alone in a process (+ writing the docs tree), whole process.
  floor          bare mkdocs-material on that same docs tree, with the planpub plugin (and hooks)
                 removed from mkdocs.yml: what any Material site of these pages costs.
  planpub build  `planpub build` (its check, then mkdocs build, then the swap).
  check          `planpub check`.
  serve          `mkdocs serve --dirty` (what `planpub serve` runs): time to the first page, then one plan's
                 title is edited and the page is polled over HTTP until the edit shows (the edited
                 page is written first), then until the rest of the site is rebuilt.

The table gives every figure per size, the growth exponent k (figure ∝ N^k) between successive
sizes (k ≈ 1 linear, k ≈ 2 quadratic; fixed start-up costs give k < 1 at small sizes), and the
targets of issue #12 met or missed. Everything is also written as JSON (default
benchmarks/results/<date>.json). Run it with `nice` on a shared machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Callable
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import synth  # noqa: E402

DEFAULT_SIZES = "300,1000,3000"
SERVE_TIMEOUT = 1800.0  # seconds: at 3,000 plans a rebuild takes minutes today
POLL = 0.1  # seconds between HTTP polls while waiting for an edit to show
SAMPLE = 0.1  # seconds between memory samples of a process tree
SHOWN_SHARE = 0.005  # stages under this share of the full build at every size are left out of the table

# Issue #12's targets: (figure, comparison, bound, the sizes it applies to, as the issue words it).
TARGETS: list[tuple[str, str, float, tuple[int, ...], str]] = [
    ("ratio.full_over_floor", "<=", 1.2, (1000,), "full build ≤ 1.2× the bare Material floor at 1,000 plans (wall)"),
    ("ratio.full_over_floor_cpu", "<=", 1.2, (1000,), "full build ≤ 1.2× the bare Material floor at 1,000 plans (CPU)"),
    ("share.planpub", "<=", 0.20, (1000,), "planpub's own work ≤ 20 % of the full build (wall)"),
    ("share.planpub_cpu", "<=", 0.20, (1000,), "planpub's own work ≤ 20 % of the full build (CPU)"),
    ("time.serve_edit_visible", "<=", 2.0, (1000,), "an edited plan shows under serve within 2 s at 1,000 plans"),
    ("time.check", "<=", 2.0, (1000,), "planpub check ≤ 2 s at 1,000 plans"),
    ("mem.full_build_peak_mib", "<=", 1024.0, (3000,), "peak memory ≤ 1 GB at 3,000 plans"),
    ("bytes.site_total", "<=", 150e6, (3000,), "whole site ≤ 150 MB at 3,000 plans"),
    ("bytes.largest_page", "<=", 200e3, (), "no generated page above ~200 KB of HTML"),
    ("bytes.largest_subscribed_feed", "<=", 500e3, (), "every subscribed feed ≤ 500 KB (generator.feeds.FEED_BUDGET)"),
]


# ---- processes, their time and the peak memory of their whole tree ---------------------------------


def _memory_kib(pid: int, page_kib: int) -> int:
    """A process's proportional set size (PSS: a page it shares with n processes counts 1/n), or its
    RSS where the kernel gives no smaps_rollup. Forked workers share most of their parent's memory:
    summed RSS would count it once per worker."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * page_kib


def _tree_parts_kib(root: int) -> tuple[int, int]:
    """Memory now (Linux /proc, PSS: see _memory_kib), in KiB, of a process and of all its descendants
    together, read in one walk so that the two add up to the same instant's total."""
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    own, others, todo, seen = 0, 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            kib = _memory_kib(pid, page_kib)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):  # the process ended meanwhile
            continue
        if pid == root:
            own = kib
        else:
            others += kib
    return own, others


def _tree_rss_kib(root: int) -> int:
    """Memory of a process and all its descendants now (PSS), in KiB."""
    return sum(_tree_parts_kib(root))


class TreePeak(threading.Thread):
    """Samples the summed memory (PSS) of a process tree until stopped; `peak` in KiB."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        while not self.done.wait(SAMPLE):
            self.peak = max(self.peak, _tree_rss_kib(self.pid))


def environment() -> dict[str, str]:
    """Subprocesses run this checkout's code (never the shared editable install)."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return dict(os.environ, PYTHONPATH=path, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")


def run_measured(cmd: list[str], cwd: Path, what: str, allowed: tuple[int, ...] = (0,)) -> dict[str, Any]:
    """Run cmd to the end: wall seconds and peak memory (PSS, MiB) of its process tree; fail loudly on an
    exit code not `allowed`."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=environment())
        sampler = TreePeak(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in allowed:
        raise SystemExit(f"benchmark: {what} failed (exit {code}): {' '.join(cmd)}\n{text[-4000:]}")
    largest = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss  # the child alone, KiB
    # CPU: the child's own user+sys time and that of the descendants it waited for.
    cpu = usage.ru_utime + usage.ru_stime
    # ru_maxrss (the child alone) only for a process that ended before the first sample
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mib": (sampler.peak or largest) / 1024, "output": text}


# ---- the project's mkdocs.yml -------------------------------------------------------------------------


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: keeps !!python/name tags as they are
    yaml.width = 4096
    return yaml


def read_config(project: Path) -> Any:
    return _yaml().load((project / "mkdocs.yml").read_text(encoding="utf-8"))


def _is_planpub(entry: Any) -> bool:
    name = next(iter(entry)) if isinstance(entry, dict) else entry
    return isinstance(name, str) and name.split("/")[-1] == "planpub"


def floor_config(project: Path, docs: Path) -> Path:
    """mkdocs.yml for the floor: the same site on a ready docs tree, without planpub's plugin or hooks."""
    config = read_config(project)
    config["docs_dir"] = str(docs)
    config["plugins"] = [p for p in config.get("plugins", []) if not _is_planpub(p)]
    config.pop("hooks", None)
    config["strict"] = False  # the floor is a measure, not a gate
    path = project / "mkdocs.floor.yml"
    with path.open("w", encoding="utf-8") as f:
        _yaml().dump(config, f)
    return path


# ---- the built site ---------------------------------------------------------------------------------------


KINDS = ("html", "feeds", "search", "qr_svg", "other")
ARCHIVES = ("lich/ke-hoach/", "lich/nam-hoc/")  # feeds that are whole: a plan's own, a school year's


def kind_of(rel: PurePosixPath) -> str:
    if "search" in rel.parts[0] or "pagefind" in rel.parts[0]:
        return "search"
    return {".html": "html", ".ics": "feeds", ".svg": "qr_svg"}.get(rel.suffix, "other")


def plan_ids(project: Path) -> set[str]:
    plans = project / "plans"
    return {p.stem for p in plans.rglob("*.yaml") if not any(part.startswith("_") for part in p.relative_to(plans).parts)}


def site_stats(site: Path, ids: set[str]) -> dict[str, Any]:
    """Bytes by kind, the largest page and feed, plan pages, list pages and feeds by folder."""
    by_kind = dict.fromkeys(KINDS, 0)
    count = dict.fromkeys(KINDS, 0)
    pages: list[tuple[int, str]] = []
    feeds: list[tuple[int, str]] = []
    plan_pages: list[int] = []
    search_gzip = 0
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = PurePosixPath(path.relative_to(site).as_posix())
        size = path.stat().st_size
        kind = kind_of(rel)
        by_kind[kind] += size
        count[kind] += 1
        if kind == "html":
            pages.append((size, str(rel)))
            if rel.name == "index.html" and len(rel.parts) >= 2 and rel.parts[-2] in ids:
                plan_pages.append(size)
        elif kind == "feeds":
            feeds.append((size, str(rel)))
        elif kind == "search" and rel.suffix == ".json":
            search_gzip += len(gzip.compress(path.read_bytes(), 6, mtime=0))
    pages.sort(reverse=True)
    feeds.sort(reverse=True)
    groups: dict[str, list[int]] = {}
    for size, rel in feeds:
        groups.setdefault(str(PurePosixPath(rel).parent), []).append(size)
    list_pages = [(s, r) for s, r in pages if not (PurePosixPath(r).name == "index.html" and PurePosixPath(r).parent.name in ids)]
    largest_feed = largest_subscribed = None
    if feeds:
        size, rel = feeds[0]
        largest_feed = {"path": rel, "bytes": size, "events": (site / rel).read_bytes().count(b"BEGIN:VEVENT")}
    # what people subscribe to: every feed but a plan's own (bounded by the plan) and the archives
    subscribed = [(s, r) for s, r in feeds if not r.startswith(ARCHIVES)]
    if subscribed:
        size, rel = subscribed[0]
        largest_subscribed = {"path": rel, "bytes": size, "events": (site / rel).read_bytes().count(b"BEGIN:VEVENT")}
    return {
        "bytes": by_kind,
        "files": count,
        "total_bytes": sum(by_kind.values()),
        "search_json_gzip_bytes": search_gzip,
        "largest_page": {"path": pages[0][1], "bytes": pages[0][0]} if pages else None,
        "largest_feed": largest_feed,
        "largest_subscribed_feed": largest_subscribed,
        "largest_list_pages": [{"path": r, "bytes": s} for s, r in list_pages[:8]],
        "plan_pages": len(plan_pages),
        "plan_page_median_bytes": statistics.median(plan_pages) if plan_pages else 0,
        "plan_page_max_bytes": max(plan_pages, default=0),
        "feed_groups": {
            folder: {"feeds": len(sizes), "bytes": sum(sizes), "median_bytes": statistics.median(sizes), "max_bytes": max(sizes)}
            for folder, sizes in sorted(groups.items())
        },
    }


# ---- planpub serve: edit one plan, wait until the page shows it -------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_until(predicate: Callable[[], bool], timeout: float, alive: Callable[[], bool]) -> float | None:
    """Seconds until predicate() holds, polling every POLL s; None on timeout or when alive() fails."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        if not alive():
            return None
        time.sleep(POLL)
    return None


def edit_title(plan_file: Path, marker: str) -> None:
    """What an editor does: change one field (the required `title`) of one plan, save."""
    import yaml

    data = yaml.safe_load(plan_file.read_text(encoding="utf-8"))  # synth.dump wrote it: PyYAML reads it back exactly
    data["title"] = f"{data['title']} {marker}"
    plan_file.write_text(synth.dump(data), encoding="utf-8")


def measure_serve(project: Path, page: str, plan_file: Path, log_path: Path, timeout: float) -> dict[str, Any]:
    """Start `mkdocs serve --dirty` (what `planpub serve` runs); time to the first page, then from
    saving an edit to the page showing it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}{urlsplit(str(read_config(project)['site_url'])).path}"
    url = base.rstrip("/") + "/" + page
    marker = "planpubbenchedit" + str(port)
    with log_path.open("w", encoding="utf-8") as log:
        start = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
            cwd=project, stdout=log, stderr=subprocess.STDOUT, env=environment(),
        )
        alive = lambda: server.poll() is None  # noqa: E731
        original = plan_file.read_bytes()
        try:
            if wait_until(lambda: "</html>" in fetch(url), timeout, alive) is None:
                raise SystemExit(f"benchmark: mkdocs serve never served {url}:\n{log_path.read_text()[-4000:]}")
            first = time.perf_counter() - start
            edit_title(plan_file, marker)
            visible = wait_until(lambda: marker in fetch(url), timeout, alive)
            if visible is None:
                raise SystemExit(f"benchmark: the edit never showed at {url}:\n{log_path.read_text()[-4000:]}")
            # the page shows first (plugin.show_edited_plans); the rest of the site follows
            rebuilt = wait_until(lambda: log_path.read_text(encoding="utf-8").count("Documentation built") >= 2, timeout, alive)
            if rebuilt is None:
                raise SystemExit(f"benchmark: the rebuild after the edit never finished:\n{log_path.read_text()[-4000:]}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            plan_file.write_bytes(original)  # the project stays as synth wrote it (its ledger matches again)
    return {"first_page_seconds": first, "edit_visible_seconds": visible, "edit_rebuilt_seconds": visible + rebuilt, "page": page}


# ---- one size ---------------------------------------------------------------------------------------------


def stage_figures(tree: list[dict[str, Any]]) -> dict[str, float]:
    figures = {}
    for entry in tree:
        name = " › ".join(entry["path"])
        figures["time.stage." + name] = entry["seconds"]
        figures["cpu.stage." + name] = entry["cpu_seconds"]
    return figures


def measure_size(n: int, work: Path, args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    py = sys.executable
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    project = work / f"synth-{n}"
    if project.exists():
        shutil.rmtree(project)
    start = time.perf_counter()
    synth.generate(project, n)
    shutil.rmtree(project / ".cache", ignore_errors=True)  # synth's ledger run filled it: the full build starts cold
    figures: dict[str, float] = {"time.synth": time.perf_counter() - start}
    details: dict[str, Any] = {}
    config = read_config(project)
    ids = plan_ids(project)

    log(f"N={n}: full mkdocs build (instrumented)")
    site, timings = work / f"site-{n}", work / f"stages-{n}.json"
    full = run_measured(
        [py, "-m", "benchmarks.instrument", "--timings", str(timings), "--depth", str(args.depth), "--",
         "build", "--strict", "--quiet", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        project, "full mkdocs build",
    )
    tree = json.loads(timings.read_text(encoding="utf-8"))["tree"]
    details["stages"] = tree
    figures.update(stage_figures(tree))
    own = sum(e["seconds"] for e in tree if len(e["path"]) == 1)
    own_cpu = sum(e["cpu_seconds"] for e in tree if len(e["path"]) == 1)
    figures.update({
        "time.full_build": full["seconds"],
        "cpu.full_build": full["cpu_seconds"],
        "time.planpub_in_build": own,
        "cpu.planpub_in_build": own_cpu,
        "share.planpub": own / full["seconds"],
        "share.planpub_cpu": own_cpu / full["cpu_seconds"],
        "mem.full_build_peak_mib": full["peak_mib"],
    })
    stats = site_stats(site, ids)
    details["site"] = stats
    figures.update({f"bytes.{k}": v for k, v in stats["bytes"].items()})
    figures.update({
        "bytes.site_total": stats["total_bytes"],
        "bytes.search_json_gzip": stats["search_json_gzip_bytes"],
        "bytes.largest_page": stats["largest_page"]["bytes"] if stats["largest_page"] else 0,
        "bytes.largest_feed": stats["largest_feed"]["bytes"] if stats["largest_feed"] else 0,
        "count.largest_feed_events": stats["largest_feed"]["events"] if stats["largest_feed"] else 0,
        "bytes.largest_subscribed_feed": stats["largest_subscribed_feed"]["bytes"] if stats["largest_subscribed_feed"] else 0,
        "count.largest_subscribed_feed_events": stats["largest_subscribed_feed"]["events"] if stats["largest_subscribed_feed"] else 0,
        "bytes.plan_page_median": stats["plan_page_median_bytes"],
        "count.html_pages": stats["files"]["html"],
        "count.feeds": stats["files"]["feeds"],
        "count.plans": len(ids),
    })

    log(f"N={n}: planpub pipeline alone, then the bare Material floor")
    docs, pipeline_timings = work / f"docs-{n}", work / f"pipeline-{n}.json"
    if docs.exists():
        shutil.rmtree(docs)
    pipe = run_measured(
        [py, "-m", "benchmarks.instrument", "--timings", str(pipeline_timings), "--depth", str(args.depth),
         "--pipeline", str(project), "--site-url", str(config["site_url"]), "--docs-tree", str(docs),
         "--content", str(config.get("docs_dir", "docs"))],
        REPO, "planpub pipeline",
    )
    details["pipeline_stages"] = json.loads(pipeline_timings.read_text(encoding="utf-8"))["tree"]
    floor_site = work / f"floor-{n}"
    floor = run_measured([py, "-m", "mkdocs", "build", "--quiet", "-f", str(floor_config(project, docs)), "-d", str(floor_site)], project, "floor build")
    figures.update({
        "time.pipeline_process": pipe["seconds"],
        "mem.pipeline_peak_mib": pipe["peak_mib"],
        "cpu.pipeline_process": pipe["cpu_seconds"],
        "time.floor_build": floor["seconds"],
        "cpu.floor_build": floor["cpu_seconds"],
        "ratio.full_over_floor_cpu": full["cpu_seconds"] / floor["cpu_seconds"],
        "mem.floor_build_peak_mib": floor["peak_mib"],
        "ratio.full_over_floor": full["seconds"] / floor["seconds"],
    })
    floor_stats = site_stats(floor_site, ids)
    figures["bytes.floor_site_total"] = floor_stats["total_bytes"]
    figures["count.floor_html_pages"] = floor_stats["files"]["html"]
    if not args.keep_sites:
        shutil.rmtree(docs, ignore_errors=True)
        shutil.rmtree(floor_site, ignore_errors=True)

    log(f"N={n}: planpub check" + (", planpub build" if args.planpub_build else ""))
    cli = [py, "-m", "generator.cli", "--project", str(project)]
    shutil.rmtree(project / ".cache", ignore_errors=True)  # cold: every plan parsed and validated
    check = run_measured(cli + ["check", "--quiet"], REPO, "planpub check")
    figures["time.check_cold"], figures["cpu.check_cold"] = check["seconds"], check["cpu_seconds"]
    check = run_measured(cli + ["check", "--quiet"], REPO, "planpub check")  # warm: nothing changed
    figures["time.check"], figures["cpu.check"] = check["seconds"], check["cpu_seconds"]
    edited = sorted(project.glob("plans/[0-9]*/*.yaml"))[0]
    original = edited.read_bytes()
    edit_title(edited, "planpubbenchcheck")
    try:  # one plan changed (its ledger entries stale: check reports it, exit 1)
        check = run_measured(cli + ["check", "--quiet"], REPO, "planpub check", allowed=(0, 1))
    finally:
        edited.write_bytes(original)
    figures["time.check_one_edit"], figures["cpu.check_one_edit"] = check["seconds"], check["cpu_seconds"]
    if args.planpub_build:
        built = work / f"planpub-site-{n}"
        result = run_measured(cli + ["build", "--site-dir", str(built)], REPO, "planpub build")
        figures["time.planpub_build"] = result["seconds"]
        figures["cpu.planpub_build"] = result["cpu_seconds"]
        figures["ratio.planpub_build_over_full_cpu"] = result["cpu_seconds"] / full["cpu_seconds"]
        figures["ratio.planpub_build_over_full"] = result["seconds"] / full["seconds"]
        shutil.rmtree(built, ignore_errors=True)

    if args.serve:
        log(f"N={n}: mkdocs serve, edit one plan, poll until it shows")
        plan = sorted(project.glob("plans/*/*.yaml"))[len(ids) // 2]
        page = next(
            str(p.parent.relative_to(site).as_posix()) + "/" for p in site.rglob("index.html") if p.parent.name == plan.stem
        )
        served = measure_serve(project, page, plan, work / f"serve-{n}.log", args.serve_timeout)
        details["serve"] = served
        figures["time.serve_first_page"] = served["first_page_seconds"]
        figures["time.serve_edit_visible"] = served["edit_visible_seconds"]
        figures["time.serve_edit_rebuilt"] = served["edit_rebuilt_seconds"]

    if args.profile and n in args.profile_sizes:
        log(f"N={n}: full build again under cProfile")
        prof = work / f"full-build-{n}.prof"
        run_measured(
            [py, "-m", "benchmarks.instrument", "--timings", str(work / f"profiled-{n}.json"), "--depth", "0", "--profile", str(prof),
             "--", "build", "--strict", "--quiet", "-f", str(project / "mkdocs.yml"), "-d", str(work / f"profiled-site-{n}")],
            project, "profiled full build",
        )
        shutil.rmtree(work / f"profiled-site-{n}", ignore_errors=True)
        details["hotspots"] = hotspots(prof)
    if not args.keep_sites:
        shutil.rmtree(site, ignore_errors=True)
    details["load_average"] = {"before": load_before, "after": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}
    return {"figures": figures, "details": details}


# ---- profile -------------------------------------------------------------------------------------------


def _package(filename: str) -> str:
    if filename.startswith("~") or filename.startswith("<"):
        return "C builtins"
    path = Path(filename)
    if REPO in path.parents:
        return path.relative_to(REPO).parts[0]
    parts = path.parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            return parts[parts.index(marker) + 1].removesuffix(".py")
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    if stdlib in path.parents:
        return "stdlib " + path.relative_to(stdlib).parts[0].removesuffix(".py")
    return path.stem


def hotspots(prof: Path, top: int = 25) -> dict[str, Any]:
    """The functions with the most own time, the planpub functions with the most time below them, by package."""
    stats = pstats.Stats(str(prof))
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    rows = []
    packages: dict[str, float] = {}
    for (filename, line, name), (_cc, calls, tottime, cumtime, callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(filename).name}:{line}" if not filename.startswith("~") else "builtin"
        rows.append({"function": f"{name} ({where})", "package": _package(filename), "calls": calls, "own_seconds": tottime, "cumulative_seconds": cumtime})
        if filename.startswith("~"):  # a C function's time goes to the package that called it
            for (caller_file, _l, _n), edge in callers.items():
                packages[_package(caller_file)] = packages.get(_package(caller_file), 0.0) + edge[2]
        else:
            packages[_package(filename)] = packages.get(_package(filename), 0.0) + tottime
    own = sorted(rows, key=lambda r: -r["own_seconds"])[:top]
    ours = sorted((r for r in rows if r["package"] == "generator"), key=lambda r: -r["cumulative_seconds"])[:top]
    for r in own + ours:
        r["own_share"] = r["own_seconds"] / total
        r["cumulative_share"] = r["cumulative_seconds"] / total
    return {
        "profile_total_seconds": total,
        "by_own_time": own,
        "planpub_by_cumulative_time": ours,
        "by_package": {k: {"own_seconds": v, "share": v / total} for k, v in sorted(packages.items(), key=lambda kv: -kv[1])},
    }


# ---- the table -------------------------------------------------------------------------------------------


def exponents(sizes: list[int], results: dict[int, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """k with figure ∝ N^k between successive sizes, for every positive figure present at both."""
    out: dict[str, dict[str, float]] = {}
    for a, b in zip(sizes, sizes[1:]):
        fa, fb = results[a]["figures"], results[b]["figures"]
        for key in fa.keys() & fb.keys():
            if fa[key] > 0 and fb[key] > 0 and not key.startswith(("ratio.", "share.")):
                out.setdefault(key, {})[f"{a}-{b}"] = math.log(fb[key] / fa[key]) / math.log(b / a)
    return dict(sorted(out.items()))


def targets(sizes: list[int], results: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for key, op, bound, at, text in TARGETS:
        for n in sizes:
            if (at and n not in at) or key not in results[n]["figures"]:
                continue
            value = results[n]["figures"][key]
            out.append({"figure": key, "size": n, "value": value, "bound": bound, "met": value <= bound, "target": text})
    return out


def _fmt(key: str, value: float) -> str:
    if key.startswith("bytes."):
        return f"{value / 1e6:.2f} MB" if value >= 1e5 else f"{value / 1e3:.1f} KB"
    if key.startswith("share."):
        return f"{value * 100:.1f} %"
    if key.startswith("ratio."):
        return f"{value:.2f}×"
    if key.startswith("mem."):
        return f"{value:.0f} MiB"
    if key.startswith("count."):
        return f"{value:,.0f}"
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


ROWS: list[tuple[str, str]] = [
    ("time.full_build", "full `mkdocs build` (with planpub)"),
    ("time.floor_build", "bare mkdocs-material floor, same Markdown"),
    ("ratio.full_over_floor", "full ÷ floor"),
    ("time.planpub_in_build", "planpub's own work inside the full build"),
    ("share.planpub", "planpub's share of the full build"),
    ("time.pipeline_process", "planpub pipeline alone, whole process"),
    ("time.planpub_build", "`planpub build`"),
    ("ratio.planpub_build_over_full", "`planpub build` ÷ full mkdocs build"),
    ("time.check", "`planpub check`, nothing changed (cache warm)"),
    ("time.check_one_edit", "`planpub check` after one plan changed"),
    ("time.check_cold", "`planpub check`, cache empty"),
    ("time.serve_first_page", "`mkdocs serve`: start → first page"),
    ("time.serve_edit_visible", "`mkdocs serve`: edit one plan → page shows it"),
    ("time.serve_edit_rebuilt", "`mkdocs serve`: edit one plan → whole site rebuilt"),
    ("mem.full_build_peak_mib", "peak memory (PSS), full build (process tree)"),
    ("mem.floor_build_peak_mib", "peak memory (PSS), floor build"),
    ("mem.pipeline_peak_mib", "peak memory (PSS), pipeline alone"),
    ("bytes.site_total", "site on disk"),
    ("bytes.html", "  HTML"),
    ("bytes.feeds", "  feeds (.ics)"),
    ("bytes.search", "  search index"),
    ("bytes.search_json_gzip", "  search index JSON, gzipped"),
    ("bytes.qr_svg", "  QR / SVG"),
    ("bytes.other", "  other (assets, sitemap …)"),
    ("bytes.floor_site_total", "floor site on disk"),
    ("bytes.largest_page", "largest page"),
    ("bytes.plan_page_median", "plan page HTML, median"),
    ("bytes.largest_feed", "largest feed"),
    ("count.largest_feed_events", "  its events"),
    ("bytes.largest_subscribed_feed", "largest subscribed feed"),
    ("count.largest_subscribed_feed_events", "  its events"),
    ("count.plans", "plans"),
    ("count.html_pages", "HTML pages"),
    ("count.floor_html_pages", "HTML pages of the floor (the same pages)"),
    ("count.feeds", "feeds"),
    ("time.synth", "writing the synthetic project (not planpub)"),
    ("cpu.full_build", "CPU (user+sys), full build"),
    ("cpu.floor_build", "CPU, floor build"),
    ("ratio.full_over_floor_cpu", "CPU full ÷ CPU floor"),
    ("cpu.planpub_in_build", "CPU, planpub's own work inside the full build"),
    ("share.planpub_cpu", "planpub's share of the full build's CPU"),
    ("cpu.pipeline_process", "CPU, planpub pipeline alone"),
    ("cpu.planpub_build", "CPU, `planpub build`"),
    ("ratio.planpub_build_over_full_cpu", "CPU `planpub build` ÷ CPU full mkdocs build"),
    ("cpu.check", "CPU, `planpub check`, nothing changed"),
    ("cpu.check_one_edit", "CPU, `planpub check` after one plan changed"),
    ("cpu.check_cold", "CPU, `planpub check`, cache empty"),
]


def table(sizes: list[int], results: dict[int, dict[str, Any]], ks: dict[str, dict[str, float]]) -> str:
    pairs = [f"{a}-{b}" for a, b in zip(sizes, sizes[1:])]
    width = 58
    head = f"{'figure':<{width}}" + "".join(f"{'N=' + format(n, ','):>14}" for n in sizes) + "".join(f"{'k ' + p:>13}" for p in pairs)
    lines = [head, "-" * len(head)]
    full = {n: results[n]["figures"]["cpu.full_build"] for n in sizes}

    def row(key: str, name: str) -> None:
        values = [results[n]["figures"].get(key) for n in sizes]
        if all(v is None for v in values):
            return
        cells = "".join(f"{(_fmt(key, v) if v is not None else '—'):>14}" for v in values)
        k = "".join(f"{(format(ks[key][p], '.2f') if p in ks.get(key, {}) else ''):>13}" for p in pairs)
        lines.append(f"{name[:width]:<{width}}" + cells + k)

    # CPU, not wall: on a shared machine a stage's wall time mostly measures the neighbours (both are in the JSON).
    stage_keys = sorted({k for n in sizes for k in results[n]["figures"] if k.startswith("cpu.stage.")})
    lines.append("planpub's stages inside the full build, CPU seconds (timed where they run; found in the code)")
    for key in stage_keys:
        path = key.removeprefix("cpu.stage.").split(" › ")
        if all(results[n]["figures"].get(key, 0) < SHOWN_SHARE * full[n] for n in sizes):
            continue
        row(key, "  " * len(path) + path[-1])
    lines.append("whole builds, memory, site")
    for key, name in ROWS:
        row(key, "  " + name)
    return "\n".join(lines)


def details_text(sizes: list[int], results: dict[int, dict[str, Any]]) -> str:
    lines = []
    for n in sizes:
        d = results[n]["details"]
        site = d["site"]
        lines.append(f"\nN={n:,}: largest page {site['largest_page']['path']} ({site['largest_page']['bytes'] / 1e3:.0f} KB)"
                     if site["largest_page"] else f"\nN={n:,}: no page")
        if site["largest_feed"]:
            f = site["largest_feed"]
            lines.append(f"  largest feed {f['path']} ({f['bytes'] / 1e6:.2f} MB, {f['events']:,} events)")
        if site.get("largest_subscribed_feed"):
            f = site["largest_subscribed_feed"]
            lines.append(f"  largest subscribed feed {f['path']} ({f['bytes'] / 1e3:.0f} KB, {f['events']:,} events)")
        lines.append("  largest list pages: " + ", ".join(f"{p['path']} {p['bytes'] / 1e3:.0f} KB" for p in site["largest_list_pages"][:6]))
        lines.append("  feeds by folder: " + "; ".join(
            f"{folder}/ {g['feeds']}× median {g['median_bytes'] / 1e3:.0f} KB, max {g['max_bytes'] / 1e3:.0f} KB"
            for folder, g in site["feed_groups"].items()
        ))
        if "hotspots" in d:
            h = d["hotspots"]
            lines.append(f"  cProfile of the full build ({h['profile_total_seconds']:.1f} s profiled): own time by package (C calls to their caller's)")
            lines.append("    " + ", ".join(f"{k} {v['share'] * 100:.1f} %" for k, v in list(h["by_package"].items())[:10]))
            lines.append("  top functions by own time:")
            for r in h["by_own_time"][:20]:
                lines.append(f"    {r['own_share'] * 100:5.1f} %  {r['own_seconds']:7.2f} s  {r['calls']:>9,}×  [{r['package']}] {r['function']}")
            lines.append("  planpub functions by time spent below them (cumulative):")
            for r in h["planpub_by_cumulative_time"][:15]:
                lines.append(f"    {r['cumulative_share'] * 100:5.1f} %  {r['cumulative_seconds']:7.2f} s  {r['calls']:>9,}×  {r['function']}")
    return "\n".join(lines)


def targets_text(rows: list[dict[str, Any]]) -> str:
    lines = ["\nTargets of issue #12"]
    for r in rows:
        lines.append(f"  {'met   ' if r['met'] else 'MISSED'} N={r['size']:,}: {r['target']} — {_fmt(r['figure'], r['value'])}")
    return "\n".join(lines)


def git_commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated plan counts (default {DEFAULT_SIZES})")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here (default benchmarks/results/<date>.json)")
    parser.add_argument("--work", type=Path, default=None, help="keep projects, logs and profiles here (default: a temp dir)")
    parser.add_argument("--keep-sites", action="store_true", help="keep the built sites in --work")
    parser.add_argument("--depth", type=int, default=3, help="levels of planpub calls timed below each mkdocs hook")
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="skip the mkdocs serve edit measurement")
    parser.add_argument("--no-planpub-build", dest="planpub_build", action="store_false", help="skip `planpub build`")
    parser.add_argument("--serve-timeout", type=float, default=SERVE_TIMEOUT, help="seconds to wait for serve")
    parser.add_argument("--profile", action="store_true", help="also cProfile the full build (at --profile-sizes) and list hotspots")
    parser.add_argument("--profile-sizes", default="", help="sizes to profile (default: the largest ≤ 1000, else the smallest)")
    parser.add_argument("--report", type=Path, nargs="+", default=None, metavar="JSON",
                        help="measure nothing: print the table of earlier runs' JSON files (merged by size, later files win)")
    args = parser.parse_args(argv)
    if args.report:
        return print_saved(args.report)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not sizes or sizes[0] < 1:
        parser.error("--sizes: positive plan counts")
    small = [n for n in sizes if n <= 1000]
    args.profile_sizes = {int(s) for s in args.profile_sizes.split(",") if s.strip()} or {small[-1] if small else sizes[0]}
    out = args.json or REPO / "benchmarks" / "results" / f"{date.today().isoformat()}.json"

    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="planpub-bench-") as tmp:
        work = (args.work or Path(tmp)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        results: dict[int, dict[str, Any]] = {}
        for n in sizes:
            results[n] = measure_size(n, work, args, log)
            write_report(out, list(results), results, argv, started)  # a later size that fails keeps this one
    report = write_report(out, sizes, results, argv, started)
    print(f"planpub scale benchmark — {date.today()}, commit {report['meta']['commit'][:10]}, Python {report['meta']['python']}, {os.cpu_count()} CPUs")
    print_results(sizes, results)
    print(f"\nJSON: {out}")
    return 0


def print_saved(files: list[Path]) -> int:
    results: dict[int, dict[str, Any]] = {}
    for path in files:
        report = json.loads(path.read_text(encoding="utf-8"))
        print(f"{path}: commit {report['meta']['commit'][:10]}, {report['meta']['date']}, sizes {report['meta']['sizes']}")
        results.update({int(n): r for n, r in report["results"].items()})
    print_results(sorted(results), results)
    return 0


def print_results(sizes: list[int], results: dict[int, dict[str, Any]]) -> None:
    ks, checked = exponents(sizes, results), targets(sizes, results)
    print(table(sizes, results, ks))
    print(details_text(sizes, results))
    print(targets_text(checked))
    busy = [n for n in sizes if max(v or 0 for v in results[n]["details"]["load_average"].values()) > (os.cpu_count() or 1)]
    if busy:
        print(f"\nThe machine was busy (1-minute load above {os.cpu_count()}) while measuring N={', '.join(map(str, busy))}: "
              "wall times are inflated; the CPU figures and ratios are the ones to compare.")


def write_report(out: Path, sizes: list[int], results: dict[int, dict[str, Any]], argv: list[str] | None, started: float) -> dict[str, Any]:
    ks = exponents(sizes, results)
    checked = targets(sizes, results)
    report = {
        "meta": {
            "date": date.today().isoformat(), "commit": git_commit(), "python": sys.version.split()[0], "cpus": os.cpu_count(),
            "platform": sys.platform, "sizes": sizes, "argv": sys.argv[1:] if argv is None else argv,
            "seconds": time.perf_counter() - started, "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        },
        "results": {str(n): results[n] for n in sizes},
        "exponents": ks,
        "targets": checked,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, out)
    return report


if __name__ == "__main__":
    sys.exit(main())
