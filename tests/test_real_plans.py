"""The school-level and union documents transcribed from school websites (issue 9) against their sources.

Six documents in plans/_sources/ (first line "Nguồn: <url>"), each checked like the seeds in
test_seed_provinces.py: counts of every structured list, exact strings printed in the source and kept in
the plan, and the structured reading of each date. READINGS holds what a careful human reads for each
printed deadline (day or days, times, printed weekday), written out here by hand; the date reader must
give exactly that. A phrase a careful reader cannot date either ("03/4/", cut off by the stored copy)
stays unread, with its warning.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from generator.corpus import load_project
from generator.dates import DeadlineKind, parse_deadline
from generator.events import Kind
from generator.load import load_plan, load_registry
from generator.model import Plan, Relation, Status
from test_seed_provinces import _assert_in_both, _flat
from test_site_seeds import text_of

PLANS = ROOT / "plans"
NHU_CO = PLANS / "2015" / "2015-2016-thcs-nhu-co-khai-giang.yaml"
BILL_GATES = PLANS / "2022" / "2022-2023-htgd-bill-gates-le-khai-giang.yaml"
CAI_RANG = PLANS / "2016" / "2016-2017-pgddt-cai-rang-phan-bo-tuan-thcs.yaml"
HUYNH_THUC_KHANG = PLANS / "2025" / "2025-2026-thcs-huynh-thuc-khang-tuu-truong-khai-giang.yaml"
NGUYEN_TRAI = PLANS / "khong-ghi-nam" / "cd-th-nguyen-trai-phat-dong-thi-dua-dot-2.yaml"
BUON_TRAP = PLANS / "2008" / "2008-2009-thcs-buon-trap-hoat-dong-chuyen-mon.yaml"
REAL = [NHU_CO, BILL_GATES, CAI_RANG, HUYNH_THUC_KHANG, NGUYEN_TRAI, BUON_TRAP]

U, ON, DAYS, RANGE, MONTH = DeadlineKind.UNPARSED, DeadlineKind.ON, DeadlineKind.DAYS, DeadlineKind.RANGE, DeadlineKind.MONTH
MON, TUE, WED, THU, FRI, SAT = range(6)


@dataclass(frozen=True)
class Reading:
    """What a deadline says: kind, first and last day, the separate days, times, the printed weekday."""

    kind: DeadlineKind
    start: date | None = None
    end: date | None = None
    days: tuple[date, ...] = ()
    start_time: time | None = None
    end_time: time | None = None
    weekday: int | None = None


def day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def _times(at: str | None) -> dict:
    if at is None:
        return {}
    first, last = at.split("-")
    return {"start_time": time.fromisoformat(first), "end_time": time.fromisoformat(last)}


def on(text: str, at: str | None = None, weekday: int | None = None) -> Reading:
    """One day, e.g. on("05/09/2022", "07:30-09:00", MON)."""
    return Reading(ON, day(text), day(text), weekday=weekday, **_times(at))


def several(texts: list[str], at: str | None = None) -> Reading:
    days = tuple(day(t) for t in texts)
    return Reading(DAYS, days[0], days[-1], days, **_times(at))


def span(first: str, last: str) -> Reading:
    return Reading(RANGE, day(first), day(last))


UNREAD = Reading(U)

# The Cái Răng weeks as a careful reader reads the THỜI GIAN column ("15/8/16 đến 20/8/16": 15/08/2016 to
# 20/08/2016); week 32 is cut off after its first day ("03/4/") and has no end.
CAI_RANG_WEEKS = {
    1: ("15/08/2016", "20/08/2016"), 2: ("22/08/2016", "27/08/2016"), 3: ("29/08/2016", "03/09/2016"),
    4: ("05/09/2016", "10/09/2016"), 5: ("12/09/2016", "17/09/2016"), 6: ("19/09/2016", "24/09/2016"),
    7: ("26/09/2016", "01/10/2016"), 8: ("03/10/2016", "08/10/2016"), 9: ("10/10/2016", "15/10/2016"),
    10: ("17/10/2016", "22/10/2016"), 11: ("24/10/2016", "29/10/2016"), 12: ("31/10/2016", "05/11/2016"),
    13: ("07/11/2016", "12/11/2016"), 14: ("14/11/2016", "19/11/2016"), 15: ("21/11/2016", "26/11/2016"),
    16: ("28/11/2016", "03/12/2016"), 17: ("05/12/2016", "10/12/2016"), 18: ("19/12/2016", "24/12/2016"),
    19: ("26/12/2016", "31/12/2016"), 20: ("02/01/2017", "07/01/2017"), 21: ("09/01/2017", "14/01/2017"),
    22: ("16/01/2017", "21/01/2017"), 23: ("23/01/2017", "26/01/2017"), 24: ("06/02/2017", "11/02/2017"),
    25: ("13/02/2017", "18/02/2017"), 26: ("20/02/2017", "25/02/2017"), 27: ("27/02/2017", "04/03/2017"),
    28: ("06/03/2017", "11/03/2017"), 29: ("13/03/2017", "18/03/2017"), 30: ("20/03/2017", "25/03/2017"),
    31: ("27/03/2017", "01/04/2017"),
}

# plan id → task or row id → what a careful reader reads in its printed deadline
READINGS: dict[str, dict[str, Reading]] = {
    "2015-2016-thcs-nhu-co-khai-giang": {
        "to-chuc-le-khai-giang": on("05/09/2015", "07:00-10:30"),  # Từ 7h00’ đến 10h30’ ngày 05 tháng 9 năm 2015
        "tap-trung-hoc-sinh-don-dai-bieu": on("05/09/2015", "07:00-07:30"),  # Từ 7h00’ – 7h30’, the programme's day
    },
    "2022-2023-htgd-bill-gates-le-khai-giang": {
        "tong-duyet": several(["31/08/2022", "01/09/2022"], "08:00-09:00"),  # 8h00 – 9h00 thứ 4,5 (31/8,1/9/2022)
        "to-chuc-le-khai-giang": on("05/09/2022", "07:30-09:00", MON),  # 7h30 – 9h00, Thứ 2, ngày 05 tháng 9 năm 2022
        "on-dinh-to-chuc-don-dai-bieu": on("05/09/2022", "07:15-09:00"),  # 7h15– 9h00, the programme's day
    },
    "2016-2017-pgddt-cai-rang-phan-bo-tuan-thcs": {
        "khai-giang": on("05/09/2016"),  # ngày 05/9/2016
        "lich-kiem-tra-hoc-ky-1": span("12/12/2016", "23/12/2016"),  # 12-23/12/2016
        "on-dinh-to-chuc": span("08/08/2016", "13/08/2016"),  # 08/8/16 đến 13/8/16
        "kiem-tra-hoc-ky-1": span("12/12/2016", "17/12/2016"),  # 12/12/16 đến 17/12/16
        "nghi-tet-nguyen-dan": span("30/01/2017", "04/02/2017"),  # 30/01/17 đến 04/02/17
        **{f"tuan-{n}": span(*days) for n, days in CAI_RANG_WEEKS.items()},
        "tuan-32": UNREAD,  # "03/4/": starts 03/04/2017, its end is not in the stored copy
    },
    "2025-2026-thcs-huynh-thuc-khang-tuu-truong-khai-giang": {
        "tuu-truong-khoi-6": on("28/08/2025", "07:30-09:30"),  # Từ 7h30 - 9h30, under "a) Ngày 28 tháng 8 năm 2025"
        "tuu-truong-khoi-7-9": on("29/08/2025", "07:30-09:00"),  # từ 7h30 - 9h00, under "b) Các ngày 29 tháng 8 …"
        "tuu-truong-khoi-6-8": on("29/08/2025", "14:00-15:30"),  # từ 14h00 - 15h30
        "duyet-khoi-6-9": on("04/09/2025", "07:30-09:30"),  # Từ 7h30 - 9h30, under "c) Ngày 04 tháng 9 năm 2025"
        "khai-giang-truc-tiep": on("05/09/2025", "07:15-08:00"),  # Từ 7h15 - 8h00 ngày 5 tháng 9 năm 2025
        "khai-giang-truc-tuyen": on("05/09/2025", "08:00-09:30"),  # Từ 8h00 đến 9h30 ngày 5 tháng 9 năm 2025
    },
    "cd-th-nguyen-trai-phat-dong-thi-dua-dot-2": {},
    "2008-2009-thcs-buon-trap-hoat-dong-chuyen-mon": {},
}

# The warnings `planpub check` gives each plan (each true of the document), by the words that tell them apart.
UNREAD_WARNING = "không đọc được thời hạn"
NO_ISSUER = "kế hoạch không ghi cơ quan ban hành"
WARNINGS = {
    "2015-2016-thcs-nhu-co-khai-giang": [],
    "2022-2023-htgd-bill-gates-le-khai-giang": [NO_ISSUER],
    "2016-2017-pgddt-cai-rang-phan-bo-tuan-thcs": [UNREAD_WARNING],  # "03/4/"
    "2025-2026-thcs-huynh-thuc-khang-tuu-truong-khai-giang": [],
    "cd-th-nguyen-trai-phat-dong-thi-dua-dot-2": [NO_ISSUER, "kế hoạch không ghi năm hoặc năm học"],
    "2008-2009-thcs-buon-trap-hoat-dong-chuyen-mon": [],
}


def _plan(path: Path) -> Plan:
    return load_plan(path, ROOT).value


def _source(plan: Plan) -> str:
    return (SEEDS / plan.source.file).read_text(encoding="utf-8")


def _groups(groups, depth: int = 0):
    """(depth, group) for every group and sub-group, in printed order."""
    for group in groups:
        yield depth, group
        yield from _groups(group.groups, depth + 1)


def _rows(plan: Plan) -> dict[str, tuple[tuple[str, ...], object]]:
    """Schedule row id → (the labels of the headers above it, the row)."""
    return {task.id: (tuple(g.label for g in groups), task) for sc in plan.schedules for groups, task in sc.rows()}


def _reading(d) -> Reading:
    return Reading(d.kind, d.start, d.end, d.days, d.start_time, d.end_time, d.weekday)


@pytest.fixture(scope="module")
def corpus():
    return load_project(ROOT)


# ---- every document --------------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_source_file_and_address(path: Path) -> None:
    plan = _plan(path)
    assert plan.id == path.stem
    first = _source(plan).splitlines()[0]
    assert first == f"Nguồn: {plan.source.url}"
    assert plan.source.url.startswith(("http://", "https://"))


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_every_deadline_reads_as_a_careful_reader_reads_it(path: Path) -> None:
    plan = _plan(path)
    readings = {t.id: _reading(t.deadline) for t in plan.all_tasks if t.deadline is not None}
    assert readings == READINGS[plan.id]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_no_deadline_is_doubtful(path: Path) -> None:
    """Every printed year is certain (four digits, or two read against the plan's years) and every printed
    weekday is the day's own: no reading carries a warning or candidate days."""
    plan = _plan(path)
    deadlines = [t.deadline for t in plan.all_tasks if t.deadline is not None]
    deadlines += [x.when for x in [*plan.phases, *plan.schedules] if x.when is not None]
    deadlines += [g.header for sc in plan.schedules for _, g in _groups(sc.groups)]
    assert [(d.text, d.warning, d.candidates) for d in deadlines if d.warning or d.candidates] == []


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_warnings_are_the_ones_the_document_deserves(path: Path, corpus) -> None:
    plan = _plan(path)
    mine = [w for w in corpus.warnings if w.file.endswith(path.relative_to(ROOT).as_posix())]
    kinds = [next((k for k in set(WARNINGS[plan.id]) if k in w.message), w.message) for w in mine]
    assert Counter(kinds) == Counter(WARNINGS[plan.id]), [w.message for w in mine]
    unread = [w.message for w in mine if UNREAD_WARNING in w.message]
    printed = {t.deadline.text for t in plan.all_tasks if t.deadline and t.deadline.kind is U}
    assert {re.search(r"“(.*)”", m).group(1) for m in unread} == printed


def test_references_resolve_in_the_registries(corpus) -> None:
    for path in REAL:
        plan = corpus.by_id[path.stem]
        refs = [*plan.issuers, *(u for t in plan.all_tasks for u in [*t.units, *t.partners])]
        refs += [u for d in [*plan.bases, *plan.cites] for u in d.issuer_units]
        assert set(refs) <= set(corpus.units), set(refs) - set(corpus.units)
        assert set(plan.movements) <= set(corpus.movements)
    units = corpus.units
    assert units["thcs-nhu-co"].parent == "pgddt-cho-moi-bac-kan"
    assert units["sgddt-da-nang"].parent == "ubnd-tp-da-nang"
    assert {u.province for u in units.values() if u.id in ("thcs-nhu-co", "pgddt-cai-rang", "thcs-buon-trap")} == {
        "Bắc Kạn", "Cần Thơ", "Đắk Lắk"
    }


def test_registry_spellings_are_printed_in_the_new_sources() -> None:
    """Aliases added for these documents are spelled as the documents print them."""
    text = " ".join(_flat(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt"))
    for name in ("units-bac-kan.yaml", "units-can-tho.yaml", "units-da-nang.yaml", "units-dak-lak.yaml", "movements-truong.yaml"):
        registry = load_registry(PLANS / "_registry" / name, ROOT).value
        for item in [*registry.units, *registry.movements]:
            for alias in item.aliases:
                assert alias in text, (name, item.id, alias)


QUOTED = re.compile(r"“\s*([^”]+?)\s*”")
NOT_MOVEMENTS = {  # quoted in the new sources, and not the name of a movement or campaign
    "Tất cả vì học sinh thân yêu",  # a slogan (plan.slogans)
    "trung thành – sáng tạo - tận tuỵ - gương mẫu",  # what a civil servant should be
    "Tấm gương sáng cho học sinh noi theo",
}


@pytest.mark.parametrize("path", [NGUYEN_TRAI, BUON_TRAP], ids=lambda p: p.stem)
def test_quoted_names_are_the_plans_movements(path: Path, corpus) -> None:
    plan = _plan(path)
    names = {n.casefold(): m for m in plan.movements for n in [corpus.movements[m].name, *corpus.movements[m].aliases]}
    quoted = [q for q in QUOTED.findall(_flat(_source(plan))) if q not in NOT_MOVEMENTS]
    assert quoted and all(q.casefold() in names for q in quoted), [q for q in quoted if q.casefold() not in names]
    assert {names[q.casefold()] for q in quoted} == set(plan.movements)


# ---- Trường THCS Như Cố, kế hoạch khai giảng 2015-2016 ------------------------------------------


def test_nhu_co_counts_and_header() -> None:
    plan = _plan(NHU_CO)
    assert plan.number == "         / KH-TrTHCSNC"  # the number left blank, as printed
    assert plan.issuer_block == ["PHÒNG GD&ĐT CHỢ MỚI", "TRƯỜNG THCS NHƯ CỐ"]
    assert plan.issuers == ["thcs-nhu-co"]
    assert plan.place == "Như Cố"
    assert (plan.issued.text, plan.issued_day) == ("ngày 25  tháng 8  năm 2015", date(2015, 8, 25))
    assert plan.period.school_year == "2015-2016"
    assert (len(plan.bases), len(plan.cites), len(plan.sections), len(plan.schedules)) == (1, 0, 3, 1)
    assert (len(plan.tasks), len(plan.schedules[0].tasks), len(plan.schedules[0].groups)) == (1, 1, 0)
    assert (len(plan.phases), len(plan.anniversaries), len(plan.movements), len(plan.statistics)) == (0, 0, 0, 0)
    assert (len(plan.signers), len(plan.recipients), len(plan.slogans), len(plan.notes)) == (0, 0, 0, 7)
    assert [s.number for s in plan.sections] == ["1.", "III.", "1."]  # as the web page numbers them
    assert plan.purpose and not plan.requirements


def test_nhu_co_text_matches_source() -> None:
    plan = _plan(NHU_CO)
    samples = [
        "PHÒNG GD&ĐT CHỢ MỚI",
        "TRƯỜNG THCS NHƯ CỐ",
        "/ KH-TrTHCSNC",
        "ngày 25  tháng 8  năm 2015",
        "Chuẩn bị và tổ chức Lễ khai giảng năm học 2015 – 2016",
        "Căn cứ vào Công văn số 188/PGDĐT ngày 25 tháng 8 năm 2015 của Phòng GD&ĐT Chợ Mới",
        "Từ 7h00’ đến 10h30’ ngày 05 tháng 9 năm 2015",
        "Tại sân trường Trường Như Cố.",
        "Đảng ủy – HĐND – UBND",
        "Tiến trình buổi lễ: Từ 7 giờ 00 phút.",
        "Phần I: Phần lễ",
        "Tập trung học sinh, ổn định tổ chức, đón đạ",
        "Từ 7h00’ – 7h30’",
        "tổ chức Lễ khai giảng năm học mới 2015 – 2016",
        plan.schedules[0].when.text,
    ]
    _assert_in_both(samples, _source(plan), plan)


def test_nhu_co_structured_values() -> None:
    plan = _plan(NHU_CO)
    (base,) = plan.bases
    assert (base.relation, base.verb, base.kind, base.number, base.day, base.issuer_units) == (
        Relation.BASIS, "Căn cứ vào", "Công văn", "188/PGDĐT", date(2015, 8, 25), ["pgddt-cho-moi-bac-kan"]
    )
    (task,) = plan.tasks
    assert (task.location, task.units) == ("Tại sân trường Trường Như Cố.", ["thcs-nhu-co"])
    (row,) = plan.schedules[0].tasks
    assert (row.number, row.deadline.text) == ("1.", "Từ 7h00’ – 7h30’")


def test_nhu_co_programme_takes_the_day_of_the_ceremony() -> None:
    """The programme prints only times; its day is the one printed under "Thời gian" for the ceremony."""
    plan = _plan(NHU_CO)
    (programme,) = plan.schedules
    assert programme.when.text == "ngày 05 tháng 9 năm 2015"
    assert programme.when.text in plan.tasks[0].deadline.text  # "Từ 7h00’ đến 10h30’ ngày 05 tháng 9 năm 2015"
    assert _reading(programme.when) == on("05/09/2015")


# ---- HTGD Bill Gates, kế hoạch Lễ Khai giảng 2022-2023 ------------------------------------------

BILL_GATES_PEOPLE = [
    ["MC", "Đội trống"],
    ["Cô Yến"],
    ["MC"],
    ["MC"],
    ["Hiệu trưởng MN"],
    ["Cô Hiền HTTH"],
    ["Thầy Dũng HTTRH"],
    [],
]


def test_bill_gates_counts_and_header() -> None:
    plan = _plan(BILL_GATES)
    assert plan.number is None and plan.issued is None and plan.place is None
    assert plan.issuers == [] and plan.issuer_block == [] and plan.signers == []
    assert plan.period.school_year == "2022-2023"
    assert (len(plan.bases), len(plan.sections), len(plan.schedules), len(plan.tasks)) == (1, 5, 1, 2)
    assert (len(plan.schedules[0].tasks), len(plan.schedules[0].groups)) == (8, 0)
    assert [t.people for t in plan.schedules[0].tasks] == BILL_GATES_PEOPLE
    assert (len(plan.phases), len(plan.anniversaries), len(plan.movements), len(plan.notes)) == (0, 0, 0, 5)


def test_bill_gates_text_matches_source() -> None:
    plan = _plan(BILL_GATES)
    samples = [
        "TỔ CHỨC LỄ KHAI GIẢNG NĂM HỌC 2022 – 2023",
        "Căn cứ hướng dẫn chỉ đạo của Sở GD&ĐT Hà Nội, Phòng GD & ĐT Quận Hoàng Mai",
        "8h00 – 9h00 thứ 4,5 (31/8,1/9/2022)",
        "7h30 – 9h00, Thứ 2, ngày 05 tháng 9 năm 2022",
        "Sân trung tâm – Hệ thống Giáo dục Bill Gates.",
        "BGH các trường, TPT, các trưởng bộ phận trong Hệ thống.",
        "7h15– 9h00",
        "Đại biểu cấp trên, Phụ huynh phát biểu -> Tặ",
        plan.schedules[0].when.text,
        *(t.text for t in plan.schedules[0].tasks[1:]),
        *(p for t in plan.schedules[0].tasks for p in t.people),
        *(p for t in plan.tasks for p in t.people),
    ]
    _assert_in_both(samples, _source(plan), plan)


def test_bill_gates_structured_values() -> None:
    plan = _plan(BILL_GATES)
    (base,) = plan.bases
    assert (base.kind, base.number, base.date, base.issuer_units) == (
        "hướng dẫn chỉ đạo", None, None, ["sgddt-ha-noi", "pgddt-hoang-mai"]
    )
    rehearsal, ceremony = plan.tasks
    assert ceremony.location == "Sân trung tâm – Hệ thống Giáo dục Bill Gates."
    assert ceremony.people == ["BGH các trường", "TPT", "các trưởng bộ phận trong Hệ thống"]
    assert rehearsal.location is None  # the place is printed for the ceremony only


def test_bill_gates_programme_and_rehearsal_days() -> None:
    plan = _plan(BILL_GATES)
    (programme,) = plan.schedules
    # "Thời gian tổ chức: 7h30 – 9h00, Thứ 2, ngày 05 tháng 9 năm 2022": the programme's rows print only times
    assert programme.when.text == "Thứ 2, ngày 05 tháng 9 năm 2022"
    assert programme.when.text in plan.tasks[1].deadline.text
    assert _reading(programme.when) == on("05/09/2022", weekday=MON)
    rehearsal = plan.tasks[0].deadline  # "thứ 4,5 (31/8,1/9/2022)": the printed weekdays are the days' own
    assert [d.weekday() for d in rehearsal.days] == [WED, THU] and rehearsal.warning is None
    swapped = parse_deadline(rehearsal.text.replace("thứ 4,5", "thứ 5,6"), plan.context)
    assert swapped.days == rehearsal.days and "thứ Tư, không phải thứ Năm" in swapped.warning


# ---- Phòng GDĐT quận Cái Răng, bảng phân bố số tuần 2016-2017 -----------------------------------

SEMESTER_TEXT = "Có ít nhất {} tuần thực học, thời gian còn lại dành cho hoạt động khác."
CAI_RANG_MONTHS = {
    "Học kỳ I (15/8/2016 đến 31/12/2016)": [
        ("8/2016 (2 tuần)", 2), ("9/2016 (5 tuần)", 5), ("10/2016 (4 tuần)", 4), ("11/2016 (4 tuần)", 4), ("12/2016 (4 tuần)", 5),
    ],
    "Học kỳ II (02/01/2017 đến 24/5/2017)": [
        ("01/2017 (3 tuần)", 4), ("02/2017 (4 tuần)", 4), ("3/2017 (5 tuần)", 5), ("4/2017 (4 tuần)", 1),
    ],
}
CAI_RANG_REMARKS = {  # the GHI CHÚ column, as printed
    "on-dinh-to-chuc": "Ổn định tổ chức",
    "tuan-1": "Vào chương trình",
    "tuan-3": "Quốc khánh 02/9",
    "tuan-4": "Khai giảng ngày 05/9/2016",
    "tuan-10": "Kiểm tra giữa học kỳ I",
    "tuan-14": "Kỷ niệm Ngày Nhà giáo Việt Nam 20/11/2016.",
    "kiem-tra-hoc-ky-1": "Kiểm tra học kỳ I (12-23/12/2016)",
    "tuan-19": "Nghỉ Tết dương lịch 01/01/2017.",
    "tuan-23": "Dự kiến tuần 23",
    "nghi-tet-nguyen-dan": "Nghỉ tết Nguyên đán  sẽ có văn bản riêng",
    "tuan-29": "Kiểm tra giữa học kỳ II.",
}
UNNUMBERED = ("on-dinh-to-chuc", "kiem-tra-hoc-ky-1", "nghi-tet-nguyen-dan")  # rows with no week number


def test_cai_rang_counts_and_header() -> None:
    plan = _plan(CAI_RANG)
    assert plan.status is Status.DRAFT  # "(Dự thảo)"
    assert plan.issuer_block == ["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN CÁI RĂNG"] and plan.issuers == ["pgddt-cai-rang"]
    assert plan.number is None and plan.issued is None
    assert plan.period.school_year == "2016-2017"
    (schedule,) = plan.schedules
    assert {g.label: [(m.label, len(m.tasks)) for m in g.groups] for g in schedule.groups} == CAI_RANG_MONTHS
    assert [(g.text, g.when) for g in schedule.groups] == [(SEMESTER_TEXT.format(19), None), (SEMESTER_TEXT.format(18), None)]
    assert [len(g.tasks) for g in schedule.groups] == [1, 0]  # "08/8/16 đến 13/8/16" before the first month cell
    rows = _rows(plan)
    assert len(rows) == 35 and len([r for r in rows if r.startswith("tuan-")]) == 32
    # the table has no content column: a row is its week number (TUẦN), its time and its remark (GHI CHÚ)
    assert [i for i, (_, t) in rows.items() if t.text is not None] == []
    assert {i: t.number for i, (_, t) in rows.items()} == {
        **{f"tuan-{n}": str(n) for n in range(1, 33)}, **dict.fromkeys(UNNUMBERED)
    }
    assert {i: t.remarks for i, (_, t) in rows.items() if t.remarks} == CAI_RANG_REMARKS
    assert (len(plan.phases), len(plan.tasks), len(plan.anniversaries), len(plan.notes)) == (2, 2, 2, 7)


def test_cai_rang_text_matches_source() -> None:
    plan = _plan(CAI_RANG)
    rows = _rows(plan)
    samples = [
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN CÁI RĂNG",
        "BẢNG PHÂN BỐ SỐ TUẦN CHUYÊN MÔN CẤP THCS",
        *(g.label for sc in plan.schedules for g in sc.groups),
        *(g.text for sc in plan.schedules for g in sc.groups),
        *(m.label for sc in plan.schedules for g in sc.groups for m in g.groups),
        *(t.deadline.text for _, t in rows.values()),
        *(t.remarks for _, t in rows.values() if t.remarks),
        *(t.deadline.text for t in plan.tasks),
        "Ổn định tổ chức",
        "Kiểm tra học kỳ I (12-23/12/2016)",
        "Nghỉ tết Nguyên đán  sẽ có văn bản riêng",
    ]
    _assert_in_both(samples, _source(plan), plan)
    source = _flat(_source(plan))
    for group in plan.schedules[0].groups:  # the semester line: its header, a colon, its sentence
        assert f"{group.label}: {group.text}" in source
    for row_id, (_, row) in rows.items():  # each row's cells, in the printed order: TUẦN, THỜI GIAN, GHI CHÚ
        printed = " ".join(_flat(cell) for cell in (row.number, row.deadline.text, row.remarks) if cell)
        assert printed in source, row_id


def test_cai_rang_weeks_follow_one_another() -> None:
    """The careful readings above make a calendar: each school week runs Monday to Saturday, the next one
    starts two days later; week 23 is the four days "Dự kiến" before Tết, whose row fills the gap."""
    starts = [day(first) for first, _ in CAI_RANG_WEEKS.values()]
    ends = [day(last) for _, last in CAI_RANG_WEEKS.values()]
    assert {d.weekday() for d in starts} == {MON}
    assert {n: e.weekday() for n, e in zip(CAI_RANG_WEEKS, ends) if e.weekday() != SAT} == {23: THU}
    gaps = {n: (b - a).days for n, a, b in zip(CAI_RANG_WEEKS, ends, starts[1:]) if (b - a).days != 2}
    assert gaps == {17: 9, 23: 11}  # the exam row (12–17/12) after week 17, the Tết row (30/01–04/02) after week 23
    tet = READINGS[CAI_RANG.stem]["nghi-tet-nguyen-dan"]
    assert (tet.start - ends[22]).days == 4 and (starts[23] - tet.end).days == 2


def test_cai_rang_headers_give_semester_and_month() -> None:
    plan = _plan(CAI_RANG)
    semesters = plan.schedules[0].groups
    assert [_reading(g.header) for g in semesters] == [span("15/08/2016", "31/12/2016"), span("02/01/2017", "24/05/2017")]
    months = [(m.label, m.header.kind, m.header.start, m.header.end) for g in semesters for m in g.groups]
    # "8/2016 (2 tuần)" is August 2016, and so on: each month cell is its whole month
    assert months == [
        (label, MONTH, date(y, m, 1), date(y, m, monthrange(y, m)[1]))
        for label, y, m in [
            ("8/2016 (2 tuần)", 2016, 8), ("9/2016 (5 tuần)", 2016, 9), ("10/2016 (4 tuần)", 2016, 10),
            ("11/2016 (4 tuần)", 2016, 11), ("12/2016 (4 tuần)", 2016, 12), ("01/2017 (3 tuần)", 2017, 1),
            ("02/2017 (4 tuần)", 2017, 2), ("3/2017 (5 tuần)", 2017, 3), ("4/2017 (4 tuần)", 2017, 4),
        ]
    ]
    assert [(p.label, _reading(p.when)) for p in plan.phases] == [
        ("Học kỳ I", span("15/08/2016", "31/12/2016")), ("Học kỳ II", span("02/01/2017", "24/05/2017")),
    ]


def test_cai_rang_remark_dates_are_on_the_calendar(corpus) -> None:
    """A remark that prints its own dates ("Kiểm tra học kỳ I (12-23/12/2016)") is a task with those dates."""
    plan = _plan(CAI_RANG)
    rows = {i: row for i, (_, row) in _rows(plan).items()}
    remark = rows["kiem-tra-hoc-ky-1"].remarks
    exam = next(t for t in plan.tasks if t.id == "lich-kiem-tra-hoc-ky-1")
    assert exam.deadline.text in remark and exam.text in remark
    assert _reading(parse_deadline(remark, plan.context)) == _reading(exam.deadline) == span("12/12/2016", "23/12/2016")
    khai_giang = next(t for t in plan.tasks if t.id == "khai-giang")
    assert khai_giang.deadline.text in rows["tuan-4"].remarks  # "Khai giảng ngày 05/9/2016"

    events = {(e.kind, e.item_id): (e.first, e.last, e.yearly) for e in corpus.events_by_plan[plan.id]}
    expected = {
        (Kind.PHASE, "hoc-ky-1"): (date(2016, 8, 15), date(2016, 12, 31), False),
        (Kind.PHASE, "hoc-ky-2"): (date(2017, 1, 2), date(2017, 5, 24), False),
        (Kind.TASK, "khai-giang"): (date(2016, 9, 5), date(2016, 9, 5), False),
        (Kind.TASK, "lich-kiem-tra-hoc-ky-1"): (date(2016, 12, 12), date(2016, 12, 23), False),
        (Kind.ANNIVERSARY, "quoc-khanh"): (date(2016, 9, 2), date(2016, 9, 2), True),  # "02/9": every year
        (Kind.ANNIVERSARY, "nha-giao-viet-nam"): (date(2016, 11, 20), date(2016, 11, 20), False),
    }
    for row_id, reading in READINGS[plan.id].items():  # every row read; "03/4/" is not on the calendar
        if row_id in rows and reading.kind is not U:
            expected[(Kind.ROW, row_id)] = (reading.start, reading.end, False)
    assert events == expected


# ---- Trường THCS Huỳnh Thúc Kháng (Đà Nẵng), tựu trường và khai giảng 2025-2026 -----------------


def test_huynh_thuc_khang_counts_and_header() -> None:
    plan = _plan(HUYNH_THUC_KHANG)
    assert plan.issuers == ["thcs-huynh-thuc-khang-da-nang"] and plan.issuer_block == []
    assert plan.number is None and plan.issued is None
    assert plan.period.school_year == "2025-2026"
    days, ceremony = plan.schedules
    assert [(g.label, len(g.tasks)) for g in days.groups] == [
        ("a) Ngày 28 tháng 8 năm 2025 (Thứ năm)", 1),
        ("b) Các ngày 29 tháng 8 năm 2025 (Thứ sáu)", 2),
        ("c) Ngày 04 tháng 9 năm 2025", 2),
    ]
    assert [(t.number, t.text) for t in ceremony.tasks] == [
        ("a)", "Tổ chức trực tiếp"), ("b)", "Dự trực tuyến chương trình do Bộ Giáo dục tổ chức")
    ]
    assert (len(plan.bases), len(plan.tasks), len(plan.sections), len(plan.notes)) == (2, 0, 0, 5)


def test_huynh_thuc_khang_text_matches_source() -> None:
    plan = _plan(HUYNH_THUC_KHANG)
    rows = _rows(plan)
    samples = [
        "CHO NGÀY TỰU TRƯỜNG VÀ LỄ KHAI GIẢNG NĂM HỌC MỚI 2025 - 2026",
        "Công văn số 722/SGDĐT-VP ngày 21 tháng 8 năm 2025 của Sở Giáo dục và Đào tạo thành phố Đà Nẵng",
        "Quyết định số 1093/QĐ-UBND ngày 22 tháng 8 năm 2025 của Ủy ban nhân dân thành phố Đà Nẵng",
        "Kế hoạch thời gian nămhọc 2025 - 2026",
        "Lịch tựu trường",
        "Lễ Khai giảng",
        *(g.label for g in plan.schedules[0].groups),
        *(t.text for _, t in rows.values()),
        *(t.deadline.text for _, t in rows.values() if t.deadline),
    ]
    _assert_in_both(samples, _source(plan), plan)


def test_huynh_thuc_khang_day_headers_give_the_rows_their_day() -> None:
    """The rows print only a time; their day is the header above them, read from the header as printed."""
    plan = _plan(HUYNH_THUC_KHANG)
    groups = plan.schedules[0].groups
    assert [g.when for g in groups] == [None, None, None]  # the label is the day: nothing repeats it
    assert [_reading(g.header) for g in groups] == [
        on("28/08/2025", weekday=THU),  # "a) Ngày 28 tháng 8 năm 2025 (Thứ năm)": August, in school year 2025-2026
        on("29/08/2025", weekday=FRI),  # "b) Các ngày 29 tháng 8 năm 2025 (Thứ sáu)": one day, though "Các ngày"
        on("04/09/2025"),  # "c) Ngày 04 tháng 9 năm 2025"
    ]
    for group in groups:
        for row in group.tasks:
            if row.deadline is not None:
                assert (row.deadline.start, row.deadline.end) == (group.header.start,) * 2, row.id
    bases = {b.number: (b.verb, b.kind, b.day, b.issuer_units) for b in plan.bases}
    assert bases == {
        "722/SGDĐT-VP": ("Căn cứ", "Công văn", date(2025, 8, 21), ["sgddt-da-nang"]),
        "1093/QĐ-UBND": ("Căn cứ", "Quyết định", date(2025, 8, 22), ["ubnd-tp-da-nang"]),
    }


# ---- Công đoàn Trường TH Nguyễn Trãi, phát động thi đua đợt II ---------------------------------


def test_nguyen_trai_counts_and_header() -> None:
    plan = _plan(NGUYEN_TRAI)
    assert plan.kind == "Phát động thi đua"
    assert plan.period is None and plan.issuers == [] and plan.issued is None and plan.number is None
    assert plan.slogans == ["Tất cả vì học sinh thân yêu"]
    assert [s.heading for s in plan.sections] == ["II/NỘI DUNG"]
    assert [s.number for s in plan.sections[0].sections] == ["1.", "2.", "3.", "4."]
    assert (len(plan.movements), len(plan.phases), len(plan.all_tasks), len(plan.notes)) == (7, 1, 0, 6)


def test_nguyen_trai_phase_is_printed_without_dates() -> None:
    """The document launches "ĐỢT II" (a line of its own) and prints no dates for it."""
    plan = _plan(NGUYEN_TRAI)
    assert [(p.id, p.label, p.when, p.focus) for p in plan.phases] == [("dot-2", "ĐỢT II", None, None)]
    assert "ĐỢT II" in [line.strip() for line in _source(plan).splitlines()]


def test_nguyen_trai_text_matches_source() -> None:
    plan = _plan(NGUYEN_TRAI)
    samples = [
        "PHÁT ĐỘNG THI ĐUA ĐỢT II TRƯỜNG TIỂU HỌC NGUYỄN TRÃI",
        "Tất cả vì học sinh thân yêu",
        "Phát huy những thành tích đã đạt được trong đợt 1",
        "vớI tinh thần trách nhiệm",
        "tin tưởng tuyệt đốivo sự lãnh đạo của Đảng",
        "xây dựng nguời cán bộ công chức “trung thành – sáng tạo - tận tuỵ - gương mẫu”",
        "phong trào thi đua “ Hai tốt”, phong trào thi đua “Hai giỏi”",
        "tăng cường sử dụng ĐDDH,",
        "“ Dân chủ - Kỉ cương – Tình thương – Trách nhiệm”",
        "“ Trường giúp trường”",
        "cuộc vận động “HAI KHÔNG” với 4",
    ]
    _assert_in_both(samples, _source(plan), plan)


# ---- Trường THCS Buôn Trấp, kế hoạch hoạt động chuyên môn 2008-2009 -----------------------------


def test_buon_trap_counts_and_statistics() -> None:
    plan = _plan(BUON_TRAP)
    assert plan.issuer_block == ["TRƯỜNG THCS BUÔN TRẤP"] and plan.issuers == ["thcs-buon-trap"]
    assert plan.period.school_year == "2008-2009" and plan.issued is None
    assert (len(plan.statistics), len(plan.movements), len(plan.sections), len(plan.sections[0].sections)) == (25, 4, 1, 1)
    assert (len(plan.all_tasks), len(plan.bases), len(plan.notes)) == (0, 0, 5)
    by_label = {s.label: (s.value, s.unit) for s in plan.statistics}
    assert by_label["Số học sinh"] == (1475, "em") and by_label["Số lớp"] == (33, "lớp")
    assert by_label["Cán bộ, công chức (CBCC)"] == (70, "người") and by_label["Giáo viên"] == (63, None)
    assert sum(v for label, (v, _) in by_label.items() if label.startswith("Học sinh khối")) == 1475
    assert sum(v for label, (v, _) in by_label.items() if label.startswith("Lớp khối")) == 33
    assert sum(by_label[k][0] for k in ("Cán bộ quản lý", "Giáo viên", "Nhân viên")) == 70


def test_buon_trap_text_matches_source() -> None:
    plan = _plan(BUON_TRAP)
    samples = [
        "TRƯỜNG THCS BUÔN TRẤP",
        "HOẠT ĐỘNG CHUYÊNMÔN NĂM HỌC 2008 – 2009",
        "quán triệt thực hiện Nghò quyết của Đảng các cấp",  # the font fault "ò" for "ị", kept
        "A/ ĐẶC ĐIỂM TÌNH HÌNH CHUNG",
        "1/ Thuận lợi:",
        "tình hình an ninh chính trò tương đối ổn đònh.",
        "có sự phối kết hợp c",
        *{s.text for s in plan.statistics},
    ]
    _assert_in_both(samples, _source(plan), plan)


# ---- the built pages --------------------------------------------------------------------------


def _page(site: Path, plan_id: str) -> str:
    return (site / "ke-hoach" / plan_id / "index.html").read_text(encoding="utf-8")


def _row_cells(body: str, anchor: str) -> list[str]:
    """The visible text of each cell of the table row holding this anchor."""
    (cells,) = [
        [text_of(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        if f'id="{anchor}"' in row
    ]
    return cells


def _headings(body: str, level: int) -> dict[str, str]:
    """Each <hN> heading's text → the text of the paragraph right after it ("" when none)."""
    found = re.findall(rf"<h{level} [^>]*>(.*?)</h{level}>\s*(?:<p>(.*?)</p>)?", body, re.S)
    return {text_of(re.sub(r'<a class="headerlink".*?</a>', "", h)): text_of(p) for h, p in found}


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_each_page_shows_its_register_and_every_row(seed_site, path: Path) -> None:
    plan = _plan(path)
    body = _page(seed_site, plan.id)
    register = text_of(body[body.index('class="pp-register"') : body.index("</dl>")])
    assert plan.source.url in register and f"Tệp gốc: {plan.source.file}" in register
    assert ("Không ghi số" in register) == (plan.number is None)
    assert ("Không ghi ngày" in register) == (plan.issued is None)
    for line in plan.issuer_block:
        assert line in register
    if not plan.issuers:
        assert "Cơ quan ban hành Không ghi" in register
    if plan.period is None:
        assert "Năm, năm học Không ghi" in register
    text = _flat(text_of(body))
    for slogan in plan.slogans:
        assert f"Khẩu hiệu {slogan}" in register
    for row in plan.all_tasks:  # each row on its anchor: its label, content, remark, who, where, time as printed
        number, content, who, when = _row_cells(body, f"nv-{row.id}")
        assert number == (row.number or "")
        for printed in (row.text, row.remarks and f"Ghi chú: {row.remarks}", row.location and f"Địa điểm: {row.location}"):
            if printed:
                assert " ".join(printed.split()) in content, (row.id, printed)
        for person in row.people:
            assert person in who, (row.id, person)
        if not row.people and not row.units:
            assert who == "", (row.id, who)
        if row.deadline:
            assert when.startswith(_flat(row.deadline.text)), (row.id, when)
        else:
            assert when == "—", (row.id, when)
    for depth, group in (x for sc in plan.schedules for x in _groups(sc.groups)):
        # the header as printed, as a heading at its depth, then the text printed with it
        headings = _headings(body, depth + 3)
        assert group.label in headings, group.label
        if group.text:
            assert headings[group.label] == group.text
    for schedule in plan.schedules:
        if schedule.when:
            assert f"Thời gian: {schedule.when.text}" in text
    for phase in plan.phases:  # its label as printed; "Không ghi" when the document prints no dates
        label, when, _ = _row_cells(body, f"gd-{phase.id}")
        assert label == phase.label
        if phase.when:
            assert when.startswith(phase.when.text), (phase.id, when)
        else:
            assert when == "Không ghi", (phase.id, when)
    for stat in plan.statistics:
        assert _flat(stat.text) in text


def test_each_reading_is_shown_under_its_printed_time(seed_site) -> None:
    """The page shows the reading next to the printed words: the day or days, then the times."""
    shown = {
        (BILL_GATES, "tong-duyet"): "ngày 31/08/2022, 01/09/2022 · 08:00–09:00",
        (BILL_GATES, "on-dinh-to-chuc-don-dai-bieu"): "ngày 05/09/2022 · 07:15–09:00",
        (NHU_CO, "tap-trung-hoc-sinh-don-dai-bieu"): "ngày 05/09/2015 · 07:00–07:30",
        (HUYNH_THUC_KHANG, "tuu-truong-khoi-6-8"): "ngày 29/08/2025 · 14:00–15:30",
        (CAI_RANG, "tuan-1"): "từ 15/08/2016 đến 20/08/2016",
    }
    for (path, row_id), reading in shown.items():
        when = _row_cells(_page(seed_site, path.stem), f"nv-{row_id}")[3]
        printed = next(t.deadline.text for t in _plan(path).all_tasks if t.id == row_id)
        assert when == f"{_flat(printed)} {reading}", (row_id, when)


def _feed_events(site: Path, plan_id: str) -> dict[str, str]:
    """UID's item id → the VEVENT's unfolded lines, from the plan's own feed."""
    feed = (site / "lich" / "ke-hoach" / f"{plan_id}.ics").read_text(encoding="utf-8").replace("\n ", "")
    events = {}
    for chunk in feed.split("BEGIN:VEVENT")[1:]:
        uid = re.search(r"^UID:(.*)$", chunk, re.M).group(1)
        events[uid.removesuffix(f"@{plan_id}.planpub")] = chunk
    return events


def _local(d: date, t: time) -> str:
    return f"TZID=Asia/Ho_Chi_Minh:{d:%Y%m%d}T{t:%H%M%S}"


@pytest.mark.parametrize("path", [NHU_CO, BILL_GATES, HUYNH_THUC_KHANG], ids=lambda p: p.stem)
def test_timed_rows_are_timed_events_at_the_printed_time(seed_site, path: Path) -> None:
    events = _feed_events(seed_site, path.stem)
    timed = {i: r for i, r in READINGS[path.stem].items() if r.start_time is not None}
    assert timed and set(timed) <= set(events)
    for item_id, reading in timed.items():
        event = events[item_id]
        assert f"DTSTART;{_local(reading.start, reading.start_time)}" in event, item_id
        assert f"DTEND;{_local(reading.start, reading.end_time)}" in event, item_id
        others = [f"RDATE;{_local(d, reading.start_time)}" for d in reading.days[1:]]
        assert re.findall(r"^RDATE.*$", event, re.M) == others, item_id
    assert "BEGIN:VTIMEZONE" in (seed_site / "lich" / "ke-hoach" / f"{path.stem}.ics").read_text(encoding="utf-8")


def test_two_day_rehearsal_is_one_event_with_an_rdate(seed_site) -> None:
    event = _feed_events(seed_site, BILL_GATES.stem)["tong-duyet"]
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20220831T080000" in event
    assert "DTEND;TZID=Asia/Ho_Chi_Minh:20220831T090000" in event
    assert re.findall(r"^RDATE.*$", event, re.M) == ["RDATE;TZID=Asia/Ho_Chi_Minh:20220901T080000"]


def test_cai_rang_page_is_a_draft_with_its_weeks_on_the_calendar(seed_site) -> None:
    body = _page(seed_site, CAI_RANG.stem)
    assert "Tình trạng Dự thảo" in text_of(body[body.index('class="pp-register"') : body.index("</dl>")])
    events = _feed_events(seed_site, CAI_RANG.stem)
    read = {i for i, r in READINGS[CAI_RANG.stem].items() if r.kind is not U}
    assert set(events) == read | {"hoc-ky-1.dot", "hoc-ky-2.dot"}  # "03/4/" (week 32) is not on the calendar
    for item_id in read:  # whole days: a week row covers Monday to Saturday, DTEND the day after
        reading = READINGS[CAI_RANG.stem][item_id]
        assert f"DTSTART;VALUE=DATE:{reading.start:%Y%m%d}" in events[item_id], item_id
        assert f"DTEND;VALUE=DATE:{reading.end + date.resolution:%Y%m%d}" in events[item_id], item_id
    assert "DTSTART;VALUE=DATE:20160815" in events["hoc-ky-1.dot"]
    anniversaries = (seed_site / "lich" / "ngay-ky-niem.ics").read_text(encoding="utf-8").split("BEGIN:VEVENT")
    (quoc_khanh,) = [e for e in anniversaries if f"UID:quoc-khanh.ky-niem@{CAI_RANG.stem}" in e]
    assert "DTSTART;VALUE=DATE:20160902" in quoc_khanh
    assert "RRULE:FREQ=YEARLY" in quoc_khanh  # "Quốc khánh 02/9", printed without a year: every year


def test_buon_trap_page_lists_each_figure_with_its_reading(seed_site) -> None:
    body = _page(seed_site, BUON_TRAP.stem)
    table = body[body.index('id="so-lieu"') :]
    rows = [[text_of(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in re.findall(r"<tr>(.*?)</tr>", table[: table.index("</table>")], re.S)][1:]
    assert len(rows) == 25
    assert ["Tổng số học sinh:1475em/33 lớp", "Số học sinh: 1475 em"] in rows
    assert ["Tổng số học sinh:1475em/33 lớp", "Số lớp: 33 lớp"] in rows
