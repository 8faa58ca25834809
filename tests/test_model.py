"""The plan model: validation rules, where their errors point, the JSON Schema, deadline context."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from conftest import FIXTURES, ROOT
from generator.dates import DeadlineKind
from generator.load import LoadError, Document, load_plan, read_yaml, validate
from generator.model import ID_MAX, Period, Phase, Plan, Registry, Task, plan_json_schema, registry_json_schema

MINI = FIXTURES / "mini"
MINI_PLAN = MINI / "plans/2024/2024-mau-01.yaml"


def base(**changes) -> dict:
    data = {
        "id": "2024-mau-09",
        "title": "Công tác thi đua năm học 2024-2025",
        "issuers": ["phong-gddt-mau"],
        "period": {"school_year": "2024-2025"},
        "updated": "05/09/2024",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(cls, data, **kwargs) -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        cls.model_validate(data, **kwargs) if cls is not Plan else Plan.from_data(data)
    return caught.value.errors(include_url=False)


def yaml_problems(text: str) -> list[str]:
    """Validate a plan written as YAML; the problems as printed (file:line:column: …)."""
    doc = read_yaml("p.yaml", text.encode("utf-8"))
    with pytest.raises(LoadError) as caught:
        validate(doc, Plan)
    return [str(p) for p in caught.value.problems]


PLAN_YAML = """\
id: 2024-mau-09
title: Công tác thi đua
issuers: [phong-gddt-mau]
period:
  school_year: 2024-2025
updated: "05/09/2024"
"""


# ---- plan -------------------------------------------------------------------------------------


def test_minimal_plan_and_defaults():
    plan = Plan.from_data(base())
    assert plan.kind == "Kế hoạch"
    assert plan.status.value == "published"
    assert plan.updated == date(2024, 9, 5)
    assert plan.tasks == [] and plan.issued is None
    assert plan.display_name == "Công tác thi đua năm học 2024-2025"
    assert Plan.from_data(base(number="02/KH-PGDĐT")).display_name == "Kế hoạch 02/KH-PGDĐT"


@pytest.mark.parametrize("missing", ["id", "title", "updated"])
def test_required_fields(missing):
    data = base()
    del data[missing]
    assert [(e["type"], e["loc"]) for e in errors_of(Plan, data)] == [("missing", (missing,))]


def test_unknown_field_is_an_error():
    errors = errors_of(Plan, base(titel="x"))
    assert [(e["type"], e["loc"]) for e in errors] == [("extra_forbidden", ("titel",))]


@pytest.mark.parametrize(
    "field, value, kind",
    [
        ("title", 2024, "string_type"),
        ("title", True, "string_type"),
        ("title", "", "string_too_short"),
        ("issuers", "phong-gddt-mau", "list_type"),
        ("issued", 1704153600, "date_not_text"),
        ("issued", "ngày mai", "date_invalid"),
        ("issued", "2023-02-30", "date_invalid"),
        ("status", "cancelled", "enum"),
    ],
)
def test_strict_types(field, value, kind):
    errors = errors_of(Plan, base(**{field: value}))
    assert errors[0]["type"] == kind and errors[0]["loc"][0] == field


def test_dates_as_printed_and_iso():
    plan = Plan.from_data(base(issued="2/1/2024", updated="2024-01-05"))
    assert plan.issued.text == "2/1/2024" and plan.issued.day == date(2024, 1, 2)
    assert plan.updated == date(2024, 1, 5)
    long = Plan.from_data(base(issued="ngày 15 tháng 10 năm 2024")).issued
    assert (long.text, long.day) == ("ngày 15 tháng 10 năm 2024", date(2024, 10, 15))


@pytest.mark.parametrize("printed", ["ngày … tháng 9 năm 2024", "ngày 15 tháng 0 năm 2024", "30/02/2023", "ngày    tháng 9 năm 2024"])
def test_an_incomplete_or_impossible_printed_date_is_kept_without_a_day(printed):
    issued = Plan.from_data(base(issued=printed)).issued
    assert (issued.text, issued.day) == (printed, None)


def test_period_and_issuers_may_be_absent():
    data = base()
    del data["period"], data["issuers"]
    plan = Plan.from_data(data)
    assert plan.period is None and plan.issuers == [] and plan.context is None


@pytest.mark.parametrize(
    "good", ["a", "2024-pgddt-thanh-xuan-02", "x" * ID_MAX, "com10", "con-2024", "nul1x"]
)
def test_good_ids(good):
    assert Plan.from_data(base(id=good)).id == good


@pytest.mark.parametrize(
    "bad, kind",
    [
        ("2024/mau-02", "id_pattern"),
        ("../2024-mau-02", "id_pattern"),
        ("..", "id_pattern"),
        ("2024 mau 02", "id_pattern"),
        ("2024-Mau-02", "id_pattern"),
        ("kế-hoạch", "id_pattern"),
        ("-2024", "id_pattern"),
        ("2024--mau", "id_pattern"),
        ("2024-mau-", "id_pattern"),
        ("", "id_pattern"),
        ("x" * (ID_MAX + 1), "id_too_long"),
        ("con", "id_reserved"),
        ("nul", "id_reserved"),
        ("aux", "id_reserved"),
        ("com1", "id_reserved"),
        ("lpt9", "id_reserved"),
        (2024, "id_type"),
    ],
)
def test_bad_ids(bad, kind):
    assert errors_of(Plan, base(id=bad))[0]["type"] == kind


def test_duplicate_task_ids_point_at_the_second_id():
    tasks = [{"id": "a", "text": "Một"}, {"id": "b", "text": "Hai"}, {"id": "a", "text": "Ba"}]
    error = errors_of(Plan, base(tasks=tasks))[0]
    assert error["type"] == "duplicate_id" and error["ctx"]["path"] == ("tasks", 2, "id")


def test_superseded_needs_superseded_by():
    assert errors_of(Plan, base(status="superseded"))[0]["type"] == "superseded_by"
    assert Plan.from_data(base(status="superseded", superseded_by="2024-mau-10")).superseded_by == "2024-mau-10"


def test_phase_anniversaries_must_exist():
    phases = [{"id": "dot-1", "label": "Đợt 1", "when": "Từ 05/9/2024 đến 16/01/2025", "anniversaries": ["nha-giao"]}]
    error = errors_of(Plan, base(phases=phases))[0]
    assert error["type"] == "unknown_anniversary"
    ok = base(phases=phases, anniversaries=[{"id": "nha-giao", "name": "Ngày Nhà giáo Việt Nam", "date": "20/11"}])
    assert Plan.from_data(ok).phases[0].anniversaries == ["nha-giao"]


# ---- period -----------------------------------------------------------------------------------


def test_period_defaults():
    school = Period.model_validate({"school_year": "2023-2024"})
    assert (school.first_day, school.last_day) == (date(2023, 9, 1), date(2024, 8, 31))
    assert school.label == "Năm học 2023-2024"
    year = Period.model_validate({"year": 2024})
    assert (year.first_day, year.last_day) == (date(2024, 1, 1), date(2024, 12, 31))
    both = Period.model_validate({"year": 2024, "school_year": "2023-2024"})
    assert both.label == "Năm 2024 (năm học 2023-2024)"


@pytest.mark.parametrize(
    "data, kind",
    [
        ({}, "period_empty"),
        ({"school_year": "2023-2025"}, "school_year"),
        ({"school_year": "2023/2024"}, "string_pattern_mismatch"),
        ({"year": 1800}, "greater_than_equal"),
        ({"year": "2024"}, "int_type"),
        ({"year": True}, "int_type"),
        ({"year": 2024, "start": "31/12/2024", "end": "01/01/2024"}, "period_order"),
        ({"year": 2024, "start": "01/01/2025"}, "period_order"),
    ],
)
def test_period_errors(data, kind):
    assert errors_of(Period, data)[0]["type"] == kind


def test_period_order_error_names_the_field_written():
    assert errors_of(Period, {"year": 2024, "start": "31/12/2024", "end": "01/01/2024"})[0]["ctx"]["path"] == ("end",)
    assert errors_of(Period, {"year": 2024, "start": "01/01/2025"})[0]["ctx"]["path"] == ("start",)


# ---- phase and task ---------------------------------------------------------------------------


def test_phase_span():
    phase = Phase.model_validate({"id": "dot-1", "label": "Đợt 1", "when": "Từ 05/9/2021 đến 16/01/2022"})
    assert (phase.when.start, phase.when.end) == (date(2021, 9, 5), date(2022, 1, 16))


@pytest.mark.parametrize(
    "when, kind, fragment",
    [
        ("Từ 16/01/2022 đến 05/9/2021", "phase_order", "ngày kết thúc 05/09/2021 đứng trước ngày bắt đầu 16/01/2022"),
    ],
)
def test_phase_errors(when, kind, fragment):
    error = errors_of(Phase, {"id": "dot-1", "label": "Đợt 1", "when": when})[0]
    assert error["type"] == kind and fragment in error["msg"]


@pytest.mark.parametrize("when", ["Sau khi có hướng dẫn", "Từ 05/9/2021 đến 31/02/2022", None])
def test_a_phase_printed_without_readable_dates_is_kept_without_days(when):
    """“ĐỢT II” printed with no dates, or dates that cannot be read: the phase stays, off the calendar
    (the checker warns; see test_corpus)."""
    data = {"id": "dot-2", "label": "ĐỢT II"} | ({"when": when} if when else {})
    phase = Phase.model_validate(data)
    assert phase.when is None or phase.when.end is None


def test_task_fields():
    task = Task.model_validate({"id": "gui-bao-cao", "text": "Gửi báo cáo", "units": ["truong-mau"]})
    assert task.deadline is None and task.due.kind is DeadlineKind.NONE
    assert errors_of(Task, {"id": "a", "text": "x", "deadline": 20240115})[0]["type"] == "deadline_type"
    # a row of a term calendar may print no content: its label and time are the row
    row = Task.model_validate({"id": "tuan-1", "number": "1", "deadline": "15/8/2016 đến 20/8/2016", "remarks": "Tựu trường"})
    assert row.text is None and row.summary == "1 — Tựu trường"
    assert errors_of(Task, {"text": "x"})[0]["loc"] == ("id",)
    assert errors_of(Task, {"id": "a", "text": "x", "units": ["Trường Mẫu"]})[0]["type"] == "id_pattern"


# ---- deadline context -------------------------------------------------------------------------


def _task_deadline(period: dict, deadline: str):
    plan = Plan.from_data(base(period=period, tasks=[{"id": "a", "text": "Việc", "deadline": deadline}]))
    return plan.tasks[0].deadline


def test_yearless_day_in_a_school_year_plan():
    due = _task_deadline({"school_year": "2024-2025"}, "Ngày 30/10")
    assert (due.kind, due.start, due.end) == (DeadlineKind.ON, date(2024, 10, 30), date(2024, 10, 30))
    assert _task_deadline({"school_year": "2024-2025"}, "Trước ngày 15/3").end == date(2025, 3, 14)


def test_yearless_day_in_a_calendar_year_plan():
    assert _task_deadline({"year": 2025}, "Ngày 30/10").end == date(2025, 10, 30)


def test_deadline_read_with_the_plan_context_from_yaml(tmp_path):
    (tmp_path / "plans/2024").mkdir(parents=True)
    path = tmp_path / "plans/2024/2024-mau-09.yaml"
    path.write_text(PLAN_YAML + "tasks:\n  - id: a\n    text: Việc\n    deadline: Ngày 30/10\n", encoding="utf-8")
    plan = load_plan(path, tmp_path).value
    assert plan.tasks[0].deadline.end == date(2024, 10, 30)
    assert plan.tasks[0].deadline.text == "Ngày 30/10"


def test_unreadable_deadline_is_kept_as_printed():
    due = _task_deadline({"year": 2024}, "Sau khi có hướng dẫn của Sở")
    assert due.kind is DeadlineKind.UNPARSED and due.text == "Sau khi có hướng dẫn của Sở" and due.end is None


# ---- where model errors point -----------------------------------------------------------------


def test_validator_errors_point_at_the_offending_field():
    text = PLAN_YAML.replace("  school_year: 2024-2025\n", '  year: 2024\n  start: "31/12/2024"\n  end: "01/01/2024"\n')
    assert yaml_problems(text) == [
        "p.yaml:7:8: lỗi: period → end: ngày kết thúc 01/01/2024 đứng trước ngày bắt đầu 31/12/2024"
    ]


def test_duplicate_task_id_points_at_its_line():
    text = PLAN_YAML + "tasks:\n  - id: a\n    text: Một\n  - id: a\n    text: Hai\n"
    assert yaml_problems(text) == ["p.yaml:10:9: lỗi: tasks → mục 2 → id: mã “a” bị trùng trong nhiệm vụ"]


def test_unknown_anniversary_points_at_the_reference():
    text = (
        PLAN_YAML
        + "phases:\n  - id: dot-1\n    label: Đợt 1\n    when: Từ 05/9/2024 đến 16/01/2025\n    anniversaries: [nha-giao, x]\n"
        + "anniversaries:\n  - id: nha-giao\n    name: Ngày Nhà giáo Việt Nam\n"
    )
    (problem,) = yaml_problems(text)
    assert problem.startswith("p.yaml:11:31: lỗi: phases → mục 1 → anniversaries → mục 2: đợt “Đợt 1” nhắc tới ngày kỷ niệm “x”")


def test_superseded_error_points_at_status():
    (problem,) = yaml_problems(PLAN_YAML + "status: superseded\n")
    assert problem.startswith("p.yaml:7:9: lỗi: status: ")


def test_missing_nested_field_points_at_its_parent():
    (problem,) = yaml_problems(PLAN_YAML + "tasks:\n  - text: Việc\n    units: [truong-mau]\n")
    assert problem == "p.yaml:8:5: lỗi: tasks → mục 1 → id: thiếu trường bắt buộc “id”"


def test_every_field_error_of_a_file_is_reported():
    text = PLAN_YAML.replace("title: Công tác thi đua\n", "title: 2024\nplace: [Mẫu]\nissued: 1704153600\n")
    problems = yaml_problems(text)
    assert [p.split(": lỗi: ")[0] for p in problems] == ["p.yaml:2:8", "p.yaml:3:8", "p.yaml:4:9"]
    assert "đặt trong dấu ngoặc kép" in problems[0]
    assert "không phải danh sách" in problems[1]


def test_registry():
    data = {"units": [{"id": "a", "name": "Đơn vị A", "parent": "b"}], "movements": [{"id": "m", "name": "M", "kind": "cuoc-van-dong"}]}
    registry = Registry.model_validate(data)
    assert registry.units[0].label == "Đơn vị A" and registry.movements[0].kind.label == "Cuộc vận động"
    assert errors_of(Registry, {"movements": [{"id": "m", "name": "M", "kind": "khac"}]})[0]["type"] == "enum"


# ---- JSON Schema ------------------------------------------------------------------------------


def planpub_schema(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "schema", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture(scope="module")
def schema() -> dict:
    done = planpub_schema()
    assert done.returncode == 0 and not done.stderr, done.stderr
    return json.loads(done.stdout)


def mini_plan_data() -> dict:
    return read_yaml("x.yaml", MINI_PLAN.read_bytes()).data


def test_schema_describes_the_plan(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(Plan.model_fields) == set(schema["properties"])
    assert {"id", "title", "updated"} == set(schema["required"])
    assert schema["properties"]["id"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object":
            assert definition.get("additionalProperties") is False, name


def test_schema_accepts_the_fixture_plan(schema):
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in validator.iter_errors(mini_plan_data())] == []


@pytest.mark.parametrize(
    "change",
    [
        {"titel": "x"},
        {"id": "2024/mau"},
        {"issued": "ngày mai"},
        {"issued": 1704153600},
        {"title": 2024},
        {"issuers": "phong-gddt-mau"},
        {"status": "cancelled"},
    ],
)
def test_schema_rejects_what_the_model_rejects(schema, change):
    data = {**mini_plan_data(), **change}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    with pytest.raises(LoadError):
        validate(Document("x.yaml", data), Plan)


def test_registry_schema_accepts_the_fixture_registries():
    done = planpub_schema("--registry")
    registry = json.loads(done.stdout)
    assert registry == registry_json_schema()
    validator = jsonschema.Draft202012Validator(registry)
    for path in sorted((MINI / "plans/_registry").glob("*.yaml")):
        assert [e.message for e in validator.iter_errors(read_yaml(path.name, path.read_bytes()).data)] == [], path
    assert list(validator.iter_errors({"units": [{"id": "a", "nme": "x"}]}))


def test_schema_accepts_every_plan_the_model_accepts(schema, root):
    """The schema editors use and the model agree on the shipped plans (those that load today)."""
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((root / "plans").rglob("*.yaml")):
        if {"_registry", "_ledger"} & set(path.relative_to(root / "plans").parts):
            continue
        try:
            load_plan(path, root)
        except LoadError:
            continue  # a plan being transcribed right now; `planpub check` reports it
        data = read_yaml(path.name, path.read_bytes()).data
        assert [e.message for e in validator.iter_errors(data)] == [], path


def test_schema_matches_the_model_function(schema):
    assert schema == json.loads(json.dumps(plan_json_schema(), ensure_ascii=False))


@pytest.mark.parametrize(
    "change, expected",
    [
        ("  school_year: 2024-2025\n", None),
        ("  school_year: 2024/2025\n", "p.yaml:5:16: lỗi: period → school_year: “2024/2025” không đúng dạng yêu cầu: hai năm nối bằng dấu gạch ngang, ví dụ “2023-2024”"),
        ("  school_year: 2024-2026\n", "p.yaml:5:16: lỗi: period → school_year: năm học “2024-2026” phải gồm hai năm liên tiếp"),
        ("  year: \"2024\"\n", "p.yaml:5:9: lỗi: period → year: phải là số nguyên, không phải văn bản “2024”"),
        ("  month: 9\n", "p.yaml:5:3: lỗi: period → month: trường “month” không có trong mẫu (unknown field)"),
    ],
)
def test_period_messages_from_yaml(change, expected):
    text = PLAN_YAML.replace("  school_year: 2024-2025\n", change)
    if expected is None:
        assert validate(read_yaml("p.yaml", text.encode()), Plan).period.school_year == "2024-2025"
        return
    problems = yaml_problems(text)
    assert any(p.startswith(expected) for p in problems), problems


def test_enum_message_lists_the_choices_in_vietnamese():
    (problem,) = yaml_problems(PLAN_YAML + "status: cancelled\n")
    assert problem == "p.yaml:7:9: lỗi: status: giá trị “cancelled” không hợp lệ; chỉ được chọn: 'draft', 'published' hoặc 'superseded'"


# ---- schedules: a group header says when its rows are ----------------------------------------------


def _schedule_plan(groups=None, tasks=None) -> Plan:
    schedule = {"id": "lich", "title": "Lịch công tác"}
    if groups is not None:
        schedule["groups"] = groups
    if tasks is not None:
        schedule["tasks"] = tasks
    return Plan.from_data(base(period={"school_year": "2019-2020"}, schedules=[schedule]))


AUGUST_ROWS = [
    {"id": "tuu-truong", "text": "Tựu trường", "deadline": "Ngày 30/8"},
    {"id": "hop-hoi-dong", "text": "Họp hội đồng sư phạm", "deadline": "Ngày 31/8"},
]


def test_yearless_august_rows_under_their_month_header_fall_in_that_year():
    """A 2019-2020 schedule grouped under "8/2019": its August rows are August 2019, not 2020."""
    plan = _schedule_plan(groups=[{"label": "8/2019", "tasks": AUGUST_ROWS}])
    rows = plan.schedules[0].groups[0].tasks
    assert [(r.deadline.kind, r.deadline.end, r.deadline.warning) for r in rows] == [
        (DeadlineKind.ON, date(2019, 8, 30), None),
        (DeadlineKind.ON, date(2019, 8, 31), None),
    ]
    assert plan.schedules[0].groups[0].header.start == date(2019, 8, 1)


def test_the_same_rows_without_a_header_are_a_doubt_naming_both_years():
    plan = _schedule_plan(tasks=AUGUST_ROWS)
    for row in plan.schedules[0].tasks:
        d = row.deadline
        assert d.start is None and d.end is None  # on no calendar on a guess
        assert {c.year for c in d.candidates} == {2019, 2020}
        assert "2019" in d.warning and "2020" in d.warning


def test_the_doubt_is_a_warning_at_the_rows_line(tmp_path):
    """planpub check reports it at the row's deadline, and the build keeps the row off every calendar."""
    from generator.corpus import link
    from generator.load import Loaded
    from generator.model import Registry

    plan = _schedule_plan(tasks=AUGUST_ROWS)
    doc = Document("plans/2019/x.yaml", {}, values={("schedules", 0, "tasks", 0, "deadline"): (12, 19)})
    units = Registry.model_validate({"units": [{"id": i, "name": i} for i in plan.issuers]})
    registry = Loaded(units, Document("plans/_registry/u.yaml", {}))
    warnings = [w for w in link([Loaded(plan, doc)], [registry]).warnings if "2019" in w.message and "2020" in w.message]
    assert len(warnings) == 2
    first = next(w for w in warnings if w.field == "schedules → mục 1 → tasks → mục 1 → deadline")
    assert (first.line, first.column) == (12, 19) and "30/08/2019" in first.message and "30/08/2020" in first.message
