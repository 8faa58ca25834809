"""School-year calendars: the registry, which calendar a plan gets, and deadlines read with it."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import model
from generator.calendars import CalendarIndex, plan_context
from generator.corpus import load_project
from generator.dates import DateContext, DeadlineKind, parse_deadline
from generator.load import LoadError, load_plan, load_registry

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "plans" / "_registry" / "calendars.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini"
D = date


@pytest.fixture(scope="module")
def calendars() -> list[model.SchoolCalendar]:
    return load_registry(REGISTRY, ROOT).value.calendars


def test_the_registry_has_the_bo_framework_for_every_school_year_and_the_seed_provinces(calendars):
    national = {c.school_year for c in calendars if c.province is None}
    assert {f"{y}-{y + 1}" for y in range(2019, 2026)} <= national
    assert {"Hà Nội", "Hưng Yên", "Kiên Giang", "Quảng Ninh"} <= {c.province for c in calendars}
    assert len({c.id for c in calendars}) == len(calendars)
    for cal in calendars:
        assert cal.sources and all(url.startswith(("http://", "https://")) for url in cal.sources)
        assert cal.semester_1 is None or cal.semester_1.end is None or cal.semester_1.end.year == int(cal.school_year[-4:])
        if cal.province is None:
            assert cal.issuer == "Bộ Giáo dục và Đào tạo" and cal.level is None


def _printed(cal: model.SchoolCalendar):
    for term in (cal.semester_1, cal.semester_2):
        if term is not None and term.printed:
            yield term.printed, term.start, term.end
    if cal.end_printed:
        yield cal.end_printed, None, cal.end
    for holiday in cal.holidays:
        if holiday.printed:
            yield holiday.printed, holiday.start, holiday.end


def test_every_date_of_the_registry_is_what_its_sentence_says(calendars):
    """The dates are not typed twice by hand: each printed sentence reads back to them."""
    checked = 0
    for cal in calendars:
        context = DateContext(school_year=cal.terms.school_year, calendar=cal.terms)
        for printed, start, end in _printed(cal):
            d = parse_deadline(printed, context)
            assert d.end == end, (cal.id, printed, d)
            if start is not None:
                assert d.start == start, (cal.id, printed, d)
            checked += 1
    assert checked >= 30


def test_a_plan_gets_its_provinces_calendar_else_the_bo_s(calendars):
    registry = model.Registry(
        units=[model.Unit(id="sgd-a", name="Sở A", province="Hà Nội"), model.Unit(id="sgd-b", name="Sở B", province="Lào Cai")],
        calendars=calendars,
    )
    index = CalendarIndex([registry])
    assert index.for_plan("2023-2024", ["sgd-a"]).id == "ha-noi-2023-2024"
    assert index.for_plan("2023-2024", ["sgd-b"]).id == "bgddt-2023-2024"
    assert index.for_plan("2023-2024", ["unknown", "sgd-a"]).id == "ha-noi-2023-2024"
    assert index.for_plan("2018-2019", ["sgd-a"]) is None
    assert index.for_plan(None, ["sgd-a"]) is None
    kien_giang = model.Registry(units=[model.Unit(id="sgd-kg", name="Sở KG", province="Kiên Giang")], calendars=calendars)
    # Kiên Giang 2022-2023 differs by level: recorded, not applied, so the Bộ's framework applies
    assert CalendarIndex([kien_giang]).for_plan("2022-2023", ["sgd-kg"]).id == "bgddt-2022-2023"


def test_the_seeds_read_their_deadlines_with_their_calendar():
    registries = [load_registry(p, ROOT).value for p in sorted((ROOT / "plans" / "_registry").glob("*.yaml"))]
    index = CalendarIndex(registries)
    expected = {
        "2024-2025-pgddt-vinh-thuan-26": ("bgddt-2024-2025", D(2024, 10, 15)),
        "2021-2022-sgddt-cdgd-hung-yen": ("hung-yen-2021-2022", None),
        "2023-pgddt-dong-da-01": ("ha-noi-2022-2023", D(2023, 1, 6)),
        "2024-pgddt-thanh-xuan-02": ("ha-noi-2023-2024", D(2024, 1, 2)),
        "2020-hdtdkt-gd-quang-ninh-329": (None, D(2020, 2, 18)),
    }
    import yaml

    for path in sorted((ROOT / "plans").glob("20*/*.yaml")):
        if path.stem not in expected:  # the five seeds
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        context = plan_context(data, index)
        calendar_id, issued = expected[path.stem]
        terms = index.for_plan(data["period"].get("school_year"), data["issuers"])
        assert (terms.id if terms else None) == calendar_id, path.stem
        assert context.issued == issued and context.period is not None
        assert (context.calendar.school_year if context.calendar else None) == (
            tuple(int(y) for y in data["period"]["school_year"].split("-")) if calendar_id else None)


def _project(tmp_path: Path, tasks: str, calendar: str = "") -> Path:
    shutil.copytree(MINI, tmp_path / "project")
    project = tmp_path / "project"
    plan = project / "plans" / "2024" / "2024-mau-01.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("tasks:\n", "tasks:\n" + tasks, 1), encoding="utf-8")
    if calendar:
        (project / "plans" / "_registry" / "calendars.yaml").write_text(calendar, encoding="utf-8")
    return project


CALENDAR = """calendars:
  - id: bo-2023-2024
    school_year: "2023-2024"
    issuer: Bộ Giáo dục và Đào tạo
    number: 2171/QĐ-BGDĐT
    sources: ["https://example.org/2171"]
    semester_1: {start: "05/09/2023", end: "14/01/2024"}
    semester_2: {start: "15/01/2024", end: "24/05/2024"}
    end: "30/05/2024"
"""
TASKS = """  - id: hoc-ky
    text: Sơ kết
    deadline: Học kỳ II
  - id: tuan
    text: Dự giờ
    deadline: Tuần 20
  - id: he
    text: Tập huấn
    deadline: Ngày 15/7
"""


def test_semester_deadlines_take_the_registry_calendar(tmp_path):
    corpus = load_project(_project(tmp_path, TASKS, CALENDAR))
    tasks = {t.id: t for t in corpus.by_id["2024-mau-01"].tasks}
    semester = tasks["hoc-ky"].deadline
    assert (semester.kind, semester.start, semester.end, semester.warning) == (
        DeadlineKind.SEMESTER, D(2024, 1, 15), D(2024, 5, 24), None)
    week = tasks["tuan"].deadline  # week 1 is the week of 05/09/2023 (Monday 04/09)
    assert (week.kind, week.start, week.end) == (DeadlineKind.SCHOOL_WEEK, D(2024, 1, 15), D(2024, 1, 21))
    # a plan of year 2024 (school year 2023-2024): July is in 2024, no doubt
    assert tasks["he"].deadline.end == D(2024, 7, 15)


def test_without_a_calendar_the_checker_warns_at_the_field(tmp_path):
    corpus = load_project(_project(tmp_path, TASKS))
    warnings = [w for w in corpus.warnings if w.file.endswith("2024-mau-01.yaml")]
    semester = [w for w in warnings if "Học kỳ II năm học 2023-2024" in w.message]
    assert len(semester) == 1 and semester[0].severity == "warning"
    assert semester[0].field == "tasks → mục 1 → deadline"
    assert semester[0].line > 1
    assert any("Tuần 20" in w.message and "chưa có khung" in w.message for w in warnings)


def test_a_doubtful_year_is_a_warning_naming_both_days(tmp_path):
    project = _project(tmp_path, TASKS)
    plan = project / "plans" / "2024" / "2024-mau-01.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  year: 2024\n", "", 1), encoding="utf-8")
    loaded = load_plan(plan, project, dates=lambda data: plan_context(data, None))
    summer = next(t for t in loaded.value.tasks if t.id == "he").deadline
    assert summer.end is None and summer.candidates == (D(2023, 7, 15), D(2024, 7, 15))
    corpus = load_project(project)
    [warning] = [w for w in corpus.warnings if "15/07/2023" in w.message]
    assert "15/07/2024" in warning.message and warning.field == "tasks → mục 3 → deadline"
    assert not [t for t in corpus.by_id["2024-mau-01"].dated_tasks if t.id == "he"]


def test_a_deadline_before_the_issue_date_is_a_warning(tmp_path):
    tasks = "  - id: cu\n    text: Việc cũ\n    deadline: Trước ngày 20/12/2023\n"
    corpus = load_project(_project(tmp_path, tasks))
    assert any("sớm hơn ngày ban hành kế hoạch (02/01/2024)" in w.message for w in corpus.warnings)


def test_a_calendar_entry_is_validated_like_any_registry_entry(tmp_path):
    bad = CALENDAR.replace('sources: ["https://example.org/2171"]', 'sources: ["ftp://example.org"]')
    with pytest.raises(LoadError) as info:
        load_project(_project(tmp_path, "", bad))
    assert any("http://" in p.message and p.file.endswith("calendars.yaml") for p in info.value.problems)


def test_a_recurring_deadline_in_the_body_is_its_task_s(tmp_path):
    """ "trước ngày 30/10 hằng năm" stays recurring, and the body scanner finds it recorded."""
    tasks = "  - id: hang-nam\n    text: Báo cáo\n    deadline: Trước ngày 30/10 hằng năm\n"
    project = _project(tmp_path, tasks)
    plan = project / "plans" / "2024" / "2024-mau-01.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("- Gửi báo cáo trước ngày 19/01/2024.",
                                 "- Gửi báo cáo trước ngày 19/01/2024; báo cáo năm trước ngày 30/10 hằng năm."), encoding="utf-8")
    corpus = load_project(project)
    due = next(t for t in corpus.by_id["2024-mau-01"].tasks if t.id == "hang-nam").deadline
    assert (due.kind, due.end, due.recurrence.value) == (DeadlineKind.BEFORE, D(2024, 10, 29), "yearly")
    assert not [w for w in corpus.warnings if "30/10" in w.message]
