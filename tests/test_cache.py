"""The content-keyed cache (generator/cache.py) makes `check` and `build` faster, never different.

Each test runs the real command with the cache and with PLANPUB_CACHE=0 on the same project, through
a series of edits (warnings, errors in a plan and in a registry, a changed registry, a new, changed
and removed file), and with a cache that is corrupt or cannot be written: same exit code, same
output, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project, mkdocs_build
from generator import cache, check, corpus, feeds
from test_feeds import MINI, edit, project_copy

PLAN = "plans/2024/2024-mau-01.yaml"
SECOND = "plans/2024/2024-mau-02.yaml"
STORE = cache.CACHE_DIR / corpus.PLAN_CACHE


def run_check(project: Path, *args: str, cached: bool = True) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PLANPUB_DEBUG", cache.OFF)}
    env["PYTHONPATH"] = str(ROOT)
    if not cached:
        env[cache.OFF] = "0"
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(project), "check", *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=300,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def assert_same_as_uncached(project: Path) -> tuple[int, str, str]:
    """Text and JSON output, cold and warm cache, equal to a check without any cache; the text."""
    results = []
    for args in ((), ("--format", "json")):
        fresh = run_check(project, *args, cached=False)
        assert run_check(project, *args) == fresh  # fills (or reuses) the cache
        assert run_check(project, *args) == fresh  # the kept report
        results.append(fresh)
    return results[0]


def add_second_plan(project: Path) -> None:
    text = (project / PLAN).read_text(encoding="utf-8").replace("id: 2024-mau-01", "id: 2024-mau-02", 1)
    (project / SECOND).write_text(text, encoding="utf-8")


def test_a_cached_check_reports_exactly_what_an_uncached_one_does(tmp_path):
    project = project_copy(tmp_path)
    code, out, err = assert_same_as_uncached(project)  # the fixture: 0 errors, 2 warnings
    assert code == 0 and "2 cảnh báo" in out
    assert (project / STORE).is_file()

    edit(project, "title: Công tác thi đua năm 2024", "titel: Công tác thi đua năm 2024")  # an error in a plan
    code, _, err = assert_same_as_uncached(project)
    assert code == 1 and f"{PLAN}:3:1: lỗi:" in err

    edit(project, "titel: ", "title: ")  # fixed again: the first report comes back
    assert assert_same_as_uncached(project)[0] == 0

    edit(project, "name: Các trường thuộc huyện Mẫu", "name: Các trường của huyện Mẫu", "plans/_registry/units.yaml")
    assert_same_as_uncached(project)  # a changed registry: every plan is read against it again
    edit(project, "name: Các trường của huyện Mẫu", "nam: Các trường của huyện Mẫu", "plans/_registry/units.yaml")
    code, _, err = assert_same_as_uncached(project)
    assert code == 1 and "plans/_registry/units.yaml:10:5: lỗi:" in err
    edit(project, "nam: Các trường của huyện Mẫu", "name: Các trường thuộc huyện Mẫu", "plans/_registry/units.yaml")

    add_second_plan(project)  # a new file (duplicate number, events not in the ledger)
    code, _, err = assert_same_as_uncached(project)
    assert code == 1 and "plans/_ledger/calendar.json" in err
    edit(project, "deadline: Tháng 05/2024", "deadline: Tháng 06/2024", SECOND)  # a changed file
    assert_same_as_uncached(project)
    (project / SECOND).unlink()  # a removed file
    assert assert_same_as_uncached(project)[0] == 0

    edit(project, "deadline: Tháng 05/2024", "deadline: Tháng 06/2024")  # the plans change, the ledger not
    code, _, err = assert_same_as_uncached(project)
    assert code == 1 and "planpub calendar" in err


def test_an_unchanged_project_is_not_read_again_and_an_edit_reads_one_file(tmp_path, monkeypatch):
    project = project_copy(tmp_path)
    add_second_plan(project)
    first = check.check_project(project)
    loaded: list[str] = []
    real = corpus.load_plan
    monkeypatch.setattr(corpus, "load_plan", lambda path, *a, **k: loaded.append(path.name) or real(path, *a, **k))
    again = check.check_project(project)
    assert (again.errors, again.warnings, again.counts) == (first.errors, first.warnings, first.counts)
    assert loaded == []
    edit(project, "deadline: Tháng 05/2024", "deadline: Tháng 06/2024", SECOND)
    check.check_project(project)
    assert loaded == ["2024-mau-02.yaml"]  # the other plan comes from the cache


def test_each_plans_calendar_events_are_made_once_for_its_content(tmp_path, monkeypatch):
    project = project_copy(tmp_path)
    add_second_plan(project)
    made: list[str] = []
    real = feeds.plan_calendar_events
    monkeypatch.setattr(feeds, "plan_calendar_events", lambda plan, c: made.append(plan.id) or real(plan, c))

    def events():
        loaded = corpus.load_project(project)
        kept = feeds.kept_events(project, loaded)
        fresh = feeds.schedule(loaded)
        with_kept = feeds.schedule(loaded, kept=kept)
        assert with_kept.events == fresh.events and with_kept.members == fresh.members  # the same schedule
        assert with_kept.current() == fresh.current()  # and the same digests, kept with the events
        return kept

    events()
    assert sorted(made) == ["2024-mau-01", "2024-mau-02"]
    made.clear()
    events()
    assert made == []  # both from the cache
    edit(project, "deadline: Tháng 05/2024", "deadline: Tháng 06/2024", SECOND)
    events()
    assert made == ["2024-mau-02"]
    made.clear()
    # The events name the units: a renamed unit makes every plan's events again, with the new name.
    edit(project, "name: Các trường thuộc huyện Mẫu", "name: Các trường của huyện Mẫu", "plans/_registry/units.yaml")
    kept = events()
    assert sorted(made) == ["2024-mau-01", "2024-mau-02"]
    assert any("Đơn vị thực hiện: Các trường của huyện Mẫu" in event.body for event in kept["2024-mau-01"])
    made.clear()
    monkeypatch.setenv(cache.OFF, "0")  # no cache: every plan's events made, nothing kept
    events()
    assert sorted(made) == ["2024-mau-01", "2024-mau-02"]


HOLDING = r"""
import sys
from pathlib import Path
from generator import cache, corpus
project = Path(sys.argv[1])
unpickled = []
real = cache.loads
cache.loads = lambda data: unpickled.append(1) or real(data)
def plans():
    return {p.id: p for p in corpus.load_project(project).plans}
first, again = plans(), plans()
print(all(again[i] is not first[i] for i in first), len(unpickled))  # a one-off process holds nothing
corpus.hold_plans()
first, again = plans(), plans()
unpickled.clear()
edited = project / sys.argv[2]
edited.write_text(edited.read_text(encoding="utf-8").replace("Tháng 05/2024", "Tháng 06/2024"), encoding="utf-8")
third = plans()
print(all(again[i] is first[i] for i in first), [i for i in first if third[i] is not again[i]], len(unpickled))
"""


def test_serve_holds_the_loaded_plans_and_reloads_only_an_edited_file(tmp_path):
    """Under planpub serve (corpus.hold_plans) an unchanged plan is the same object from load to
    load, not unpickled again: site.preview tells the edited plans by that."""
    project = project_copy(tmp_path)
    add_second_plan(project)
    done = subprocess.run([sys.executable, "-c", HOLDING, str(project), SECOND], capture_output=True, text=True,
                          encoding="utf-8", env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert done.returncode == 0, done.stderr
    alone, held = done.stdout.splitlines()
    assert alone == "True 4"  # two loads of two plans, each from the SQLite cache
    assert held == "True ['2024-mau-02'] 1"  # only the edited file is unpickled (as every fresh load is)


def _corrupt_values(project: Path) -> None:
    with sqlite3.connect(project / STORE) as db:
        for table in ("plans", "checks"):
            db.execute(f"UPDATE {table} SET value = ?", (b"\x80\x05not a pickle",))


def _garbage_file(project: Path) -> None:
    (project / STORE).write_bytes(b"this is not an SQLite database\n" * 100)


def _directory_in_the_way(project: Path) -> None:
    shutil.rmtree(project / ".cache")
    (project / ".cache").write_text("a file where the cache folder would be\n")


def _read_only(project: Path) -> None:
    os.chmod(project / STORE, 0o444)
    os.chmod(project / STORE.parent, 0o555)


@pytest.mark.parametrize("spoil", [_corrupt_values, _garbage_file, _directory_in_the_way, _read_only])
def test_a_spoilt_or_unwritable_cache_changes_nothing(tmp_path, spoil):
    project = project_copy(tmp_path)
    add_second_plan(project)
    run_check(project)  # fills the cache
    spoil(project)
    try:
        fresh = run_check(project, cached=False)
        assert run_check(project) == fresh
        edit(project, "deadline: Tháng 05/2024", "deadline: Tháng 06/2024", SECOND)
        fresh = run_check(project, cached=False)
        assert run_check(project) == fresh and fresh[0] == 1
    finally:
        if (project / STORE.parent).is_dir():
            os.chmod(project / STORE.parent, 0o755)


def test_the_cache_never_makes_a_build_different(tmp_path, monkeypatch):
    project = make_project(tmp_path / "project", MINI / "plans")
    uncached = tmp_path / "uncached"
    monkeypatch.setenv(cache.OFF, "0")
    assert mkdocs_build(project, uncached).returncode == 0
    monkeypatch.delenv(cache.OFF)
    assert not (project / STORE).exists()
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    assert mkdocs_build(project, cold).returncode == 0  # fills the cache
    assert (project / STORE).is_file()
    assert mkdocs_build(project, warm).returncode == 0  # every plan from the cache
    expected = tree(uncached)
    assert tree(cold) == expected and tree(warm) == expected


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_cache_folder_is_ignored_by_git():
    assert ".cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    done = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", ".cache/planpub/plans.sqlite"])
    assert done.returncode == 0
