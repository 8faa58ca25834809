"""Bounded, linear work on any input (issue 8): every text field of the model, fed 100 KB of the
worst shapes found, is refused by `check` in seconds; filled up to its limit with the same shapes,
the plan builds in seconds. Real figures: `python3 benchmarks/hostile.py`."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, make_project
from generator import limits
from generator.load import LoadError, _text_problem, load_plan
from test_property import PLAN_LEAVES, PLAN_SCHEMA, dump, mkdocs_build, put, run_cli

MINI_PLANS = FIXTURES / "mini" / "plans"
PLAN_FILE = "plans/2024/2024-mau-01.yaml"
SIZE = 100_000
# The shapes of the reproduced blow-ups, each as a function of its length in characters.
SHAPES = {
    "brackets": lambda n: "[" * n,
    "images": lambda n: "![" * (n // 2),
    "emphasis": lambda n: "*x " * (n // 3),
    "lt-spaces": lambda n: "<" + " " * (n - 1),
    "deadline-spaces": lambda n: "Trước ngày 25/01/2024" + " " * (n - 22) + "x",
    "entities": lambda n: "&" * n,
    "nested-brackets": lambda n: "[" * (n // 2) + "]" * (n // 2),
}
# Free text fields. `source.file` names a file of plans/_sources/ (check refuses any other value).
TEXT_FIELDS = [path for path, schema in PLAN_LEAVES
               if schema.get("type") == "string" and not schema.get("pattern") and "enum" not in schema
               and path != ("source", "file")]


def base_plan() -> dict:
    return yaml.safe_load((MINI_PLANS / "2024/2024-mau-01.yaml").read_text(encoding="utf-8"))


def at_limit(shape: str, path: tuple) -> str:
    """The shape, cut to what the field's limit lets through (characters, markup), padded with words."""
    limit = limits.text_limit(path)
    marks = limit.markup or limit.chars
    head = SHAPES[shape](min(limit.chars, marks))[: min(limit.chars, marks)]
    value = head + "a " * ((limit.chars - len(head)) // 2)
    return value[: limit.chars].rstrip() or "a"


@pytest.mark.parametrize("shape", SHAPES)
def test_100_kb_in_any_text_field_is_refused_in_seconds(tmp_path, shape):
    value = SHAPES[shape](SIZE)
    assert len(value) >= SIZE - 2
    (tmp_path / "plans").mkdir()
    started = time.perf_counter()
    for path in TEXT_FIELDS:
        file = tmp_path / "plans" / "2024-mau-01.yaml"
        file.write_text(dump(put(PLAN_SCHEMA, base_plan(), path, value)), encoding="utf-8")
        with pytest.raises(LoadError) as caught:
            load_plan(file, tmp_path)
        assert any("tối đa" in p.message for p in caught.value.problems), (path, caught.value.problems)
    elapsed = time.perf_counter() - started
    assert elapsed < 30, f"{len(TEXT_FIELDS)} fields of {shape}: {elapsed:.1f} s"


def test_every_text_field_at_its_limit_builds_in_seconds(tmp_path):
    """Plans with every text field the model accepts filled to its limit with worst shapes (as many
    plans as the file size limit needs)."""
    project = make_project(tmp_path / "project", MINI_PLANS)
    plans: list[dict] = []
    plan = base_plan()
    filled = []
    for i, path in enumerate(TEXT_FIELDS):
        value = at_limit(list(SHAPES)[i % len(SHAPES)], path)
        assert _text_problem(value, path) is None, path
        trial = put(PLAN_SCHEMA, plan, path, value)
        if len(dump(trial).encode()) > limits.MAX_BYTES * 3 // 4:  # a new plan file
            plans.append(plan)
            plan = {**base_plan(), "id": f"2024-mau-{10 + len(plans)}"}
            trial = put(PLAN_SCHEMA, plan, path, value)
        file = project / "plans/2024" / f"{plan['id']}.yaml"
        file.write_text(dump(trial), encoding="utf-8")
        try:
            load_plan(file, project)
        except LoadError:
            file.write_text(dump(plan), encoding="utf-8")
            continue  # a field the model parses (a phase's span, an anniversary's date): not free text
        plan = trial
        filled.append(path)
    assert len(filled) >= 0.9 * len(TEXT_FIELDS), sorted(set(TEXT_FIELDS) - set(filled))
    total = sum(f.stat().st_size for f in (project / "plans/2024").glob("*.yaml"))
    assert total > 300_000

    assert run_cli("--project", str(project), "calendar")[0] == 0  # the ledger first: check verifies it
    started = time.perf_counter()
    code, err = run_cli("--project", str(project), "check")
    checked = time.perf_counter() - started
    assert code == 0, err
    started = time.perf_counter()
    mkdocs_build(project, tmp_path / "site")
    built = time.perf_counter() - started
    assert checked < 60 and built < 300, (checked, built)
    page = (tmp_path / "site/ke-hoach/2024-mau-01/index.html").read_text(encoding="utf-8")
    assert "[[[[" in page  # shown as typed
    print(f"{len(filled)} fields, {total:,} bytes in {len(plans) + 1} plans: check {checked:.1f} s, build {built:.1f} s")
    shutil.rmtree(tmp_path / "site")
