"""Measure every stage of the planpub pipeline on synthetic projects of growing size.

    python -m benchmarks.run                       # sizes 100,300: about 4 minutes on 2 cores
    python -m benchmarks.run --sizes 100,300,1000  # about 10 minutes (mkdocs builds 1,000 pages)
    python -m benchmarks.run --sizes 50,200 --no-mkdocs
    python -m benchmarks.run --profile render --sizes 1000   # cProfile one stage, top functions

For each size N a project is written by benchmarks/synth.py, then a fresh Python process (so peak
memory and caches belong to that size alone) times, best of --repeat runs:

  read+validate   YAML → model for every registry and plan file (load_registry / load_plan)
  link            corpus.link: cross-references, warnings and indices
  render          pages.render_pages: every Markdown page
  feeds           generator.feeds.calendar_files (ledger check, .ics feeds, QR codes, the Lịch
                  page), when that module exists (skipped otherwise)

and the whole `mkdocs build` runs once as a subprocess, with its wall time and peak RSS. The table
gives each figure and, per stage, the time per plan relative to the smallest size: a linear stage
stays near 1.0×; the exponent k fits time ∝ N^k between the smallest and the largest size (k ≈ 2
is quadratic). Fixed costs (imports, mkdocs start-up, the theme) make small sizes look dear, so
ratios below 1 are expected for mkdocs.

Once, on the same --yaml-files files: our reader (`generator.load.read_yaml`, PyYAML's C parser
events) against `yaml.load(CSafeLoader)` and `ruamel.yaml` (typ='safe', pure and C when installed).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import importlib.util
import inspect
import io
import json
import math
import os
import pstats
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import synth  # noqa: E402

STAGES = ["read+validate", "link", "render", "feeds"]
TODAY = date(2024, 1, 15)  # fixed: 'upcoming' never depends on the clock
SITE_URL = "https://planpub.example/"
YAML_BUDGET = 10.0  # seconds per reader: the slow ones run once
SUPERLINEAR_RATIO = 1.5  # time per plan at the largest size / at the smallest, above which we warn


# ---- the in-process stages (run in a worker process, one per size) ------------------------------


def _best(fn: Callable[[], Any], repeat: int, budget: float = math.inf) -> tuple[float, Any]:
    """Best time of `repeat` runs (fewer once `budget` seconds are spent) and the last result."""
    best, spent, result = math.inf, 0.0, None
    for _ in range(repeat):
        result = None  # the previous run's objects must not weigh on this run's garbage collections
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best, spent = min(best, elapsed), spent + elapsed
        if spent > budget:
            break
    return best, result


def _read_all(root: Path) -> tuple[list, list]:
    """The reading half of corpus.load_project, without the link step."""
    from generator.corpus import PLANS_DIR, REGISTRY_DIR
    from generator.load import load_plan, load_registry

    plans_dir = root / PLANS_DIR
    registries = [load_registry(p, root) for p in sorted((plans_dir / REGISTRY_DIR).glob("*.yaml"))]
    skip = {REGISTRY_DIR, "_ledger"}
    files = sorted(p for p in plans_dir.rglob("*.yaml") if not skip & set(p.relative_to(plans_dir).parts))
    return [load_plan(p, root) for p in files], registries


def feeds_entry(root: Path) -> tuple[str, Callable[[Any, Any], Any] | None]:
    """The feeds stage, as site.build runs it: generator.feeds.calendar_files, when the module exists."""
    if importlib.util.find_spec("generator.feeds") is None:
        return "generator.feeds is absent", None
    module = importlib.import_module("generator.feeds")
    if callable(getattr(module, "calendar_files", None)):
        return "generator.feeds.calendar_files(root, corpus, settings): ledger check, .ics feeds, QR codes, Lịch page", (
            lambda corpus, settings: module.calendar_files(root, corpus, settings)
        )
    for name, fn in sorted(vars(module).items()):
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
            continue
        params = inspect.signature(fn).parameters
        required = [p for p, v in params.items() if v.default is inspect.Parameter.empty]
        if required == ["corpus", "settings"]:
            return f"generator.feeds.{name}(corpus, settings)", fn
    return "generator.feeds has no entry point this benchmark knows (calendar_files)", None


def worker(root: Path, repeat: int, profile: str | None) -> dict[str, Any]:
    from generator.corpus import link
    from generator.pages import Settings, render_pages

    settings = Settings(SITE_URL, "Kế hoạch thi đua ngành Giáo dục", TODAY)
    timings: dict[str, float | None] = {}
    profiler = cProfile.Profile()

    def run(stage: str, fn: Callable[[], Any]) -> Any:
        seconds, result = _best(fn, repeat)
        timings[stage] = seconds
        if profile == stage:
            profiler.runcall(fn)
        return result

    plans, registries = run("read+validate", lambda: _read_all(root))
    corpus = run("link", lambda: link(plans, registries))
    pages = run("render", lambda: render_pages(corpus, settings))
    feeds_label, feeds = feeds_entry(root)
    if feeds is not None:
        run("feeds", lambda: feeds(corpus, settings))
    else:
        timings["feeds"] = None
    out: dict[str, Any] = {
        "timings": timings,
        "feeds": feeds_label,
        "plans": len(corpus.plans),
        "tasks": sum(len(p.tasks) for p in corpus.plans),
        "pages": len(pages),
        "markdown_bytes": sum(len(text.encode()) for text in pages.values()),
        "warnings": len(corpus.warnings),
    }
    if profile:
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(30)
        out["profile"] = buffer.getvalue()
    return out


# ---- subprocesses with their own peak memory -------------------------------------------------------


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, int, int, str]:
    """Run cmd; return (wall seconds, peak RSS in KiB of that child, exit status, its output)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    # ru_maxrss is KiB on Linux (bytes on macOS)
    rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return seconds, rss, child.returncode, text


def measure_size(n: int, work: Path, repeat: int, mkdocs: bool, profile: str | None) -> dict[str, Any]:
    project = work / f"synth-{n}"
    start = time.perf_counter()
    synth.generate(project, n)
    generated = time.perf_counter() - start
    cmd = [sys.executable, "-m", "benchmarks.run", "--worker", str(project), "--repeat", str(repeat)]
    if profile:
        cmd += ["--profile", profile]
    seconds, rss, status, text = run_measured(cmd, REPO)
    if status != 0:
        raise SystemExit(f"worker for N={n} failed:\n{text}")
    result = json.loads(text.strip().splitlines()[-1])
    result["generate"] = generated
    result["worker_rss_kib"] = rss
    result["mkdocs"] = None
    if mkdocs:
        site = work / f"site-{n}"
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
        seconds, rss, status, text = run_measured(cmd, project)
        if status != 0:
            raise SystemExit(f"mkdocs build of N={n} failed:\n{text[-4000:]}")
        html = sum(1 for _ in site.rglob("*.html"))
        result["mkdocs"] = {"seconds": seconds, "rss_kib": rss, "html_files": html}
    return result


# ---- YAML readers on the same files -----------------------------------------------------------------


def yaml_readers() -> list[tuple[str, Callable[[bytes], Any] | None, str]]:
    import yaml

    from generator.load import read_yaml

    from generator import load

    parser = f"{load._Parser.__module__}.{load._Parser.__name__}"
    readers: list[tuple[str, Callable[[bytes], Any] | None, str]] = [
        ("ours: generator.load.read_yaml", lambda raw: read_yaml("f.yaml", raw).data, f"events from {parser}"),
    ]
    if getattr(yaml, "__with_libyaml__", False) and load._Parser is not yaml.cyaml.CParser:
        readers.append(("ours with yaml.cyaml.CParser swapped in", _swapped_reader(load), "libyaml events"))
    readers.append(("yaml.load(Loader=CSafeLoader)", lambda raw: yaml.load(raw, Loader=yaml.CSafeLoader), ""))
    try:
        from ruamel.yaml import YAML
    except ImportError:
        readers.append(("ruamel.yaml typ='safe' (pure)", None, "ruamel.yaml not installed"))
        return readers
    pure = YAML(typ="safe", pure=True)
    readers.append(("ruamel.yaml typ='safe', pure=True", pure.load, ""))
    if importlib.util.find_spec("_ruamel_yaml") is not None:
        fast = YAML(typ="safe")
        readers.append(("ruamel.yaml typ='safe' (C, ruamel.yaml.clib)", fast.load, ""))
    else:
        readers.append(("ruamel.yaml typ='safe' (C)", None, "ruamel.yaml.clib not installed: no C loader"))
    return readers


def _swapped_reader(load: Any) -> Callable[[bytes], Any]:
    """read_yaml with libyaml's parser, for when generator.load fell back to the pure-Python one."""
    import yaml.cyaml

    def read(raw: bytes) -> Any:
        saved = load._Parser
        load._Parser = yaml.cyaml.CParser
        try:
            return load.read_yaml("f.yaml", raw).data
        finally:
            load._Parser = saved

    return read


def compare_yaml(files: list[Path], repeat: int) -> list[tuple[str, float | None, str]]:
    raws = [path.read_bytes() for path in files]  # I/O kept out of the timings
    rows = []
    reference = None
    for label, fn, note in yaml_readers():
        if fn is None:
            rows.append((label, None, note))
            continue
        seconds, data = _best(lambda: [fn(raw) for raw in raws], repeat, budget=YAML_BUDGET)
        if reference is None:
            reference = data
        elif data != reference:
            note = (note + "; " if note else "") + f"DIFFERENT data from ours ({_first_difference(reference, data)})"
        rows.append((label, seconds, note))
    return rows


def _first_difference(a: Any, b: Any, path: tuple = ()) -> str:
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        for key in a:
            if a[key] != b[key]:
                return _first_difference(a[key], b[key], path + (key,))
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, path + (i,))
    where = "/".join(map(str, path[1:])) if path else ""
    return f"{where}: {a!r:.30} vs {b!r:.30}"


# ---- report --------------------------------------------------------------------------------------------


def exponent(sizes: list[int], times: list[float]) -> float | None:
    if len(sizes) < 2 or times[0] <= 0 or times[-1] <= 0:
        return None
    return math.log(times[-1] / times[0]) / math.log(sizes[-1] / sizes[0])


def report(sizes: list[int], results: list[dict[str, Any]]) -> list[str]:
    """Print the table; return the names of stages that grow faster than linearly."""
    rows: list[tuple[str, list[float | None]]] = []
    for stage in STAGES:
        rows.append((stage, [r["timings"].get(stage) for r in results]))
    rows.append(("in-process total", [sum(v for v in r["timings"].values() if v) for r in results]))
    if results[0]["mkdocs"]:
        rows.append(("mkdocs build (all)", [r["mkdocs"]["seconds"] for r in results]))
    head = f"{'stage':<20}" + "".join(f"{'N=' + str(n):>11}" for n in sizes)
    head += "".join(f"{'ms/plan@' + str(n):>14}" for n in sizes) + "".join(f"{'×@' + str(n):>9}" for n in sizes[1:]) + f"{'k':>6}"
    print("\nTime (seconds; best of --repeat for in-process stages, one run for mkdocs)")
    print(head)
    print("-" * len(head))
    flagged = []
    for stage, values in rows:
        if any(v is None for v in values):
            print(f"{stage:<20}" + "skipped".rjust(11))
            continue
        per_plan = [v / n for v, n in zip(values, sizes)]
        ratios = [p / per_plan[0] for p in per_plan[1:]]
        k = exponent(sizes, values)
        line = f"{stage:<20}" + "".join(f"{v:>11.3f}" for v in values) + "".join(f"{p * 1000:>14.2f}" for p in per_plan)
        line += "".join(f"{r:>8.2f}×" for r in ratios) + (f"{k:>6.2f}" if k is not None else "")
        if ratios and ratios[-1] > SUPERLINEAR_RATIO:
            line += "  ← SUPER-LINEAR" + (" (quadratic)" if k and k > 1.7 else "")
            flagged.append(stage)
        print(line)
    print("\nSize and memory")
    print(f"{'N':>6}{'tasks':>8}{'pages':>7}{'Markdown MB':>13}{'warnings':>10}{'synth s':>9}{'worker RSS MiB':>16}{'mkdocs RSS MiB':>16}{'html':>7}")
    for n, r in zip(sizes, results):
        m = r["mkdocs"]
        print(
            f"{n:>6}{r['tasks']:>8}{r['pages']:>7}{r['markdown_bytes'] / 1e6:>13.2f}{r['warnings']:>10}{r['generate']:>9.1f}"
            f"{r['worker_rss_kib'] / 1024:>16.0f}{(m['rss_kib'] / 1024 if m else 0):>16.0f}{(m['html_files'] if m else 0):>7}"
        )
    return flagged


def print_yaml(rows: list[tuple[str, float | None, str]], count: int) -> None:
    print(f"\nYAML reading, same {count} plan files in memory (best of --repeat, slow readers once; ratio = time / ours)")
    ours = rows[0][1]
    for label, seconds, note in rows:
        if seconds is None:
            print(f"  {label:<44} {'skipped':>9}   {note}")
            continue
        print(f"  {label:<44} {seconds:>8.3f}s {seconds / ours:>6.2f}×  {seconds / count * 1000:>6.2f} ms/file  {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,300", help="comma-separated plan counts (default 100,300; add 1000 for the full picture)")
    parser.add_argument("--repeat", type=int, default=3, help="in-process runs per stage; the best is kept")
    parser.add_argument("--no-mkdocs", dest="mkdocs", action="store_false", help="skip the full mkdocs build")
    parser.add_argument("--yaml-files", type=int, default=1000, help="files for the YAML reader comparison (0: skip)")
    parser.add_argument("--work", type=Path, default=None, help="keep the projects here (default: a temp dir)")
    parser.add_argument("--profile", choices=STAGES, default=None, help="print a cProfile of this stage at every size")
    parser.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat, args.profile)))
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    with tempfile.TemporaryDirectory(prefix="planpub-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(f"planpub benchmark: sizes {sizes}, repeat {args.repeat}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
        results = []
        for n in sizes:
            print(f"  N={n}: generating, measuring …", flush=True)
            results.append(measure_size(n, work, args.repeat, args.mkdocs, args.profile))
        print(f"feeds: {results[0]['feeds']}" + ("" if results[0]["timings"]["feeds"] is not None else " — stage skipped"))
        flagged = report(sizes, results)
        if args.profile:
            for n, r in zip(sizes, results):
                print(f"\ncProfile of {args.profile} at N={n} (cumulative)\n{r['profile']}")
        if args.yaml_files:
            yaml_dir = work / f"synth-{args.yaml_files}"
            if not yaml_dir.exists():
                synth.generate(yaml_dir, args.yaml_files, site=False)
            files = sorted(p for p in (yaml_dir / "plans").rglob("*.yaml") if "_registry" not in p.parts)
            print_yaml(compare_yaml(files, args.repeat), len(files))
        if flagged:
            print(f"\nSUPER-LINEAR stages (time per plan grew more than {SUPERLINEAR_RATIO}×): {', '.join(flagged)}")
            print("Profile one with: python -m benchmarks.run --profile STAGE --no-mkdocs --sizes ...")
        else:
            print(f"\nEvery stage is linear within noise (time per plan grew at most {SUPERLINEAR_RATIO}× from the smallest size).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
