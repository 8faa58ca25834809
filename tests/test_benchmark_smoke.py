"""The benchmark's synthetic corpus (benchmarks/synth.py) is a valid, deterministic planpub project."""

from __future__ import annotations

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
