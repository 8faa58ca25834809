"""The benchmark's synthetic corpus (benchmarks/synth.py) is a valid, deterministic planpub project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import synth
from generator.corpus import load_project
from generator.dates import DeadlineKind

ROOT = Path(__file__).resolve().parent.parent
N = 20


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return synth.generate(tmp_path_factory.mktemp("synth") / "project", N)


def test_planpub_check_passes(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(project), "check", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"planpub check: {N} kế hoạch" in done.stdout
    assert "— 0 lỗi" in done.stdout


def test_load_project_reads_every_plan(project: Path) -> None:
    corpus = load_project(project)
    assert len(corpus.plans) == N
    assert len(corpus.units) >= 150 and len(corpus.movements) == 40
    for plan in corpus.plans:
        assert 10 <= len(plan.tasks) <= 20
        assert 2 <= len(plan.bases) <= 4
    # deadlines worded in many ways, and all but “Thường xuyên” are read as dates
    kinds = {t.due.kind for p in corpus.plans for t in p.tasks}
    assert {DeadlineKind.BEFORE, DeadlineKind.MONTH, DeadlineKind.RANGE, DeadlineKind.NONE} <= kinds
    unread = {t.deadline.text for p in corpus.plans for t in p.tasks if t.due.kind is DeadlineKind.UNPARSED}
    assert unread <= {"Thường xuyên"}
    # some plans cite earlier synthetic plans, so cross-references are exercised
    assert corpus.cited_by


def test_generation_is_deterministic_and_sizes_nest(project: Path, tmp_path: Path) -> None:
    smaller = synth.generate(tmp_path / "small", N // 2, site=False)
    files = sorted(p.relative_to(smaller) for p in (smaller / "plans").rglob("*.yaml"))
    assert len([f for f in files if "_registry" not in f.parts]) == N // 2
    for rel in files:  # the project of 10 plans is the first 10 plans of the project of 20, byte for byte
        assert (smaller / rel).read_bytes() == (project / rel).read_bytes(), rel


# ---- the scale benchmark (python -m benchmarks.run) on tiny sizes: every figure is there ----------------


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "2,4", "--json", str(out), "--work", str(tmp / "work"), "--serve-timeout", "120"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    data["table"] = done.stdout
    data["work"] = tmp / "work"
    data["path"] = out
    return data


def test_report_has_every_figure_at_every_size(report: dict) -> None:
    from benchmarks.run import KINDS, ROWS

    assert report["meta"]["sizes"] == [2, 4]
    for size in ("2", "4"):
        figures = report["results"][size]["figures"]
        missing = [key for key, _ in ROWS if key not in figures]
        assert not missing, (size, missing)
        assert all(f"bytes.{kind}" in figures for kind in KINDS)
        assert figures["count.plans"] == int(size)
        # the kinds add up to the whole site, and the floor built the same pages
        assert sum(figures[f"bytes.{kind}"] for kind in KINDS) == figures["bytes.site_total"]
        assert figures["count.floor_html_pages"] == figures["count.html_pages"] > int(size)
        assert 0 < figures["time.planpub_in_build"] < figures["time.full_build"]
        assert figures["share.planpub"] == pytest.approx(figures["time.planpub_in_build"] / figures["time.full_build"])
        assert figures["ratio.full_over_floor"] == pytest.approx(figures["time.full_build"] / figures["time.floor_build"])
        assert figures["time.serve_edit_visible"] > 0 and figures["count.largest_feed_events"] > 0
        assert figures["time.serve_edit_rebuilt"] > figures["time.serve_edit_visible"]
        site = report["results"][size]["details"]["site"]
        assert site["largest_page"]["bytes"] == figures["bytes.largest_page"]
        assert site["largest_feed"]["path"].endswith(".ics")
        assert site["plan_pages"] == int(size)
    assert report["exponents"]["time.full_build"].keys() == {"2-4"}
    # the plan edited under serve is put back: the project's calendar ledger matches its plans again
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(report["work"] / "synth-4"), "calendar", "--check"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert {t["figure"] for t in report["targets"]} >= {"bytes.largest_page"}


def test_stages_are_found_in_the_code(report: dict) -> None:
    """The stages are planpub's mkdocs hooks and the planpub functions below them, not a fixed list."""
    tree = report["results"]["4"]["details"]["stages"]
    paths = [tuple(e["path"]) for e in tree]
    assert ("on_config",) in paths and ("on_config", "site.build") in paths
    below_build = {p[2] for p in paths if p[:2] == ("on_config", "site.build") and len(p) == 3}
    assert len(below_build) >= 3, below_build
    for entry in tree:  # a stage never takes longer than the one it runs in
        parent = next((e for e in tree if e["path"] == entry["path"][:-1]), None)
        if parent:
            assert entry["seconds"] <= parent["seconds"] + 1e-3, entry
    assert "on_config" in report["table"] and "full ÷ floor" in report["table"]


def test_timer_times_what_site_build_calls_and_puts_it_back() -> None:
    from benchmarks.instrument import Timer
    from generator import site

    original = dict(vars(site))
    timer = Timer()
    timer.instrument([(vars(site), "build", site.build, "site.build")], depth=1)
    try:
        assert site.build is not original["build"] and site.load_project is not original["load_project"]
        site.build(ROOT / "tests" / "fixtures" / "mini", "https://example.org/")
    finally:
        timer.restore()
    assert {k: v for k, v in vars(site).items()} == original
    totals = {e["path"][-1]: e for e in timer.report() if len(e["path"]) == 2}
    assert "corpus.load_project" in totals and totals["corpus.load_project"]["calls"] == 1


def test_saved_runs_print_as_one_table(report: dict) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--report", str(report["path"])], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("figure"))
    assert "N=2" in header and "N=4" in header and "k 2-4" in header
    assert "full ÷ floor" in done.stdout and "Targets of issue #12" in done.stdout


def test_the_memory_benchmark_finds_every_phase_of_a_build(project: Path, tmp_path: Path) -> None:
    from benchmarks import memory

    result = memory.measure(project, tmp_path / "site")
    assert list(result["phases"]) == list(memory.ORDER)
    for phase in result["phases"].values():
        assert phase["tree_mib"] >= phase["own_mib"] > 10  # a Python process with mkdocs loaded
    assert result["peak_mib"] == max(p["tree_mib"] for p in result["phases"].values())
    assert (tmp_path / "site" / "index.html").is_file()
