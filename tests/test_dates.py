"""Tests for generator.dates: deadline wording -> calendar days, and back."""
from __future__ import annotations

import re
import time as clock
import unicodedata
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from generator.slug import fold
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dates import (
    DateContext,
    DateError,
    Deadline,
    DeadlineKind,
    PartialDate,
    PartOfDay,
    Recurrence,
    SchoolTerms,
    calendar_days,
    calendar_span,
    find_deadlines,
    format_date,
    format_date_long,
    format_deadline,
    header_month,
    parse_date,
    parse_deadline,
    parse_partial_date,
    school_year_bounds,
)

K = DeadlineKind
SY24 = DateContext(school_year=(2024, 2025))
Y23 = DateContext(year=2023)
# A school-year calendar for the semester and school-week rows (made up: HK I from Thursday 05/09).
TERMS24 = SchoolTerms(
    (2024, 2025), "khung thử", semester_1=(date(2024, 9, 5), date(2025, 1, 17)),
    semester_2=(date(2025, 1, 20), date(2025, 5, 30)), end=date(2025, 5, 30),
)
CAL24 = DateContext(school_year=(2024, 2025), calendar=TERMS24)
TERMS23 = SchoolTerms((2023, 2024), "khung thử 2023", semester_1=(None, date(2024, 1, 14)),
                      semester_2=(None, date(2024, 5, 24)), end=date(2024, 5, 30))
CAL23 = DateContext(school_year=(2023, 2024), calendar=TERMS23)
GUIDE = Path(__file__).resolve().parents[1] / "content" / "huong-dan" / "han-chot.md"


def D(y: int, m: int, d: int) -> date:
    return date(y, m, d)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (text, context, kind, start, end)
TABLE = [
    # seed 001: appendix table, rows 1-18 (row 14 has no deadline)
    ("Tháng 01/2023", None, K.MONTH, D(2023, 1, 1), D(2023, 1, 31)),
    ("Trước ngày 25/01/2023", None, K.BEFORE, None, D(2023, 1, 24)),
    ("Trước ngày 30/01/2023", None, K.BEFORE, None, D(2023, 1, 29)),
    ("Tháng 02/2023", None, K.MONTH, D(2023, 2, 1), D(2023, 2, 28)),
    ("Tháng 04/2023", None, K.MONTH, D(2023, 4, 1), D(2023, 4, 30)),
    ("Trước ngày 05/03/2023", None, K.BEFORE, None, D(2023, 3, 4)),
    ("Trước ngày 15/05/2023", None, K.BEFORE, None, D(2023, 5, 14)),
    ("Trước ngày 25/5/2023", None, K.BEFORE, None, D(2023, 5, 24)),
    ("Trước ngày 30/5/2023", None, K.BEFORE, None, D(2023, 5, 29)),
    ("Trước ngày 15/06/2023", None, K.BEFORE, None, D(2023, 6, 14)),
    ("", None, K.NONE, None, None),
    ("Trước ngày 10/8/2023", None, K.BEFORE, None, D(2023, 8, 9)),
    ("Trước ngày 30/10/2023", None, K.BEFORE, None, D(2023, 10, 29)),
    ("Trước ngày 15/11/2023", None, K.BEFORE, None, D(2023, 11, 14)),
    ("Trước ngày 30/11/2023", None, K.BEFORE, None, D(2023, 11, 29)),
    # seed 001: body text
    ("trước ngày 19/01/2023", None, K.BEFORE, None, D(2023, 1, 18)),
    ("trước ngày 30/01/2023.", None, K.BEFORE, None, D(2023, 1, 29)),
    # seed 002: phases
    ("Từ 05/9/2021 đến 16/01/2022", None, K.RANGE, D(2021, 9, 5), D(2022, 1, 16)),
    ("Từ 18/01/2022 đến 25/5/2022", None, K.RANGE, D(2022, 1, 18), D(2022, 5, 25)),
    # seed 003: month-by-month schedule, school year 2024-2025
    ("Tháng 9/2024 và tháng 10/2024", SY24, K.MONTH, D(2024, 9, 1), D(2024, 10, 31)),
    ("Ngày 30/10 là thời hạn cuối", SY24, K.BY, None, D(2024, 10, 30)),
    ("Tháng 12/2024", SY24, K.MONTH, D(2024, 12, 1), D(2024, 12, 31)),
    ("Tháng 01/2025", SY24, K.MONTH, D(2025, 1, 1), D(2025, 1, 31)),
    ("Tháng 02/2025", SY24, K.MONTH, D(2025, 2, 1), D(2025, 2, 28)),
    ("Tháng 5/2025", SY24, K.MONTH, D(2025, 5, 1), D(2025, 5, 31)),
    ("Tháng 6/2025", SY24, K.MONTH, D(2025, 6, 1), D(2025, 6, 30)),
    ("Tháng 7/2025", SY24, K.MONTH, D(2025, 7, 1), D(2025, 7, 31)),
    # seed headers (place, date)
    ("ngày 02 tháng 01 năm 2024", None, K.ON, D(2024, 1, 2), D(2024, 1, 2)),
    ("ngày 6 tháng 01 năm 2023", None, K.ON, D(2023, 1, 6), D(2023, 1, 6)),
    ("ngày 15 tháng 10 năm 2024", None, K.ON, D(2024, 10, 15), D(2024, 10, 15)),
    ("ngày 18 tháng 02 năm 2020", None, K.ON, D(2020, 2, 18), D(2020, 2, 18)),
    # ON
    ("Ngày 30/10", SY24, K.ON, D(2024, 10, 30), D(2024, 10, 30)),
    ("Ngày 15/03", SY24, K.ON, D(2025, 3, 15), D(2025, 3, 15)),
    ("Ngày 30/10", Y23, K.ON, D(2023, 10, 30), D(2023, 10, 30)),
    # a plan of year 2023 whose school year is 2024-2025: the two conventions disagree, so no date
    ("Ngày 30/10", DateContext(year=2023, school_year=(2024, 2025)), K.ON, None, None),
    ("Ngày 30/10", None, K.UNPARSED, None, None),
    ("02/01/2024", None, K.ON, D(2024, 1, 2), D(2024, 1, 2)),
    ("2/1/2024", None, K.ON, D(2024, 1, 2), D(2024, 1, 2)),
    ("2024-01-02", None, K.ON, D(2024, 1, 2), D(2024, 1, 2)),
    ("Ngay 02 thang 01 nam 2024", None, K.ON, D(2024, 1, 2), D(2024, 1, 2)),
    ("Hạn: 02/01/2024.", None, K.ON, D(2024, 1, 2), D(2024, 1, 2)),
    ("ngày 22 tháng 12", SY24, K.ON, D(2024, 12, 22), D(2024, 12, 22)),
    # BEFORE
    ("truoc ngay 25/01/2023", None, K.BEFORE, None, D(2023, 1, 24)),
    ("TRƯỚC NGÀY 25/01/2023", None, K.BEFORE, None, D(2023, 1, 24)),
    ("  Trước   ngày  25 / 01 / 2023 ", None, K.BEFORE, None, D(2023, 1, 24)),
    ("Hạn: Trước ngày 25/01/2023.", None, K.BEFORE, None, D(2023, 1, 24)),
    (nfd("Trước ngày 25/01/2023"), None, K.BEFORE, None, D(2023, 1, 24)),
    ("Trước ngày 01/03/2024", None, K.BEFORE, None, D(2024, 2, 29)),
    ("Trước ngày 01/01/2024", None, K.BEFORE, None, D(2023, 12, 31)),
    ("Trước ngày 29/02/2024", None, K.BEFORE, None, D(2024, 2, 28)),
    ("trước ngày 02 tháng 01 năm 2024", None, K.BEFORE, None, D(2024, 1, 1)),
    ("Trước ngày 15/03", SY24, K.BEFORE, None, D(2025, 3, 14)),
    # BY
    ("Chậm nhất ngày 30/5/2023", None, K.BY, None, D(2023, 5, 30)),
    ("chậm nhất là ngày 30/5/2023", None, K.BY, None, D(2023, 5, 30)),
    ("cham nhat ngay 30/5/2023", None, K.BY, None, D(2023, 5, 30)),
    ("Hạn cuối 15/11/2023", None, K.BY, None, D(2023, 11, 15)),
    ("hạn cuối: ngày 15/11/2023", None, K.BY, None, D(2023, 11, 15)),
    ("Hạn chót 15/11/2023", None, K.BY, None, D(2023, 11, 15)),
    ("Đến hết ngày 31/12/2024", None, K.BY, None, D(2024, 12, 31)),
    ("den het ngay 31/12/2024", None, K.BY, None, D(2024, 12, 31)),
    ("Ngày 30/10/2024 là thời hạn cuối", None, K.BY, None, D(2024, 10, 30)),
    ("ngay 30/10 la thoi han cuoi", SY24, K.BY, None, D(2024, 10, 30)),
    ("Ngày 30/10 là thời hạn cuối", None, K.UNPARSED, None, None),
    # MONTH
    ("thang 02/2023", None, K.MONTH, D(2023, 2, 1), D(2023, 2, 28)),
    ("Tháng 02 năm 2023", None, K.MONTH, D(2023, 2, 1), D(2023, 2, 28)),
    ("Tháng 02/2024", None, K.MONTH, D(2024, 2, 1), D(2024, 2, 29)),
    ("Tháng 10", SY24, K.MONTH, D(2024, 10, 1), D(2024, 10, 31)),
    ("Tháng 3", SY24, K.MONTH, D(2025, 3, 1), D(2025, 3, 31)),
    ("Tháng 10", None, K.UNPARSED, None, None),
    ("thang 9/2024 va thang 10/2024", None, K.MONTH, D(2024, 9, 1), D(2024, 10, 31)),
    ("Tháng 11/2024, tháng 12/2024 và tháng 01/2025", None, K.MONTH, D(2024, 11, 1), D(2025, 1, 31)),
    ("Từ tháng 09/2024 đến tháng 10/2024", None, K.MONTH, D(2024, 9, 1), D(2024, 10, 31)),
    ("Tháng 12 và tháng 1", SY24, K.MONTH, D(2024, 12, 1), D(2025, 1, 31)),
    ("Tháng 10/2024 và tháng 9/2024", None, K.UNPARSED, None, None),
    # MONTH_PART
    ("Đầu tháng 5/2025", None, K.MONTH_PART, D(2025, 5, 1), D(2025, 5, 10)),
    ("Giữa tháng 5/2025", None, K.MONTH_PART, D(2025, 5, 11), D(2025, 5, 20)),
    ("Cuối tháng 5/2025", None, K.MONTH_PART, D(2025, 5, 21), D(2025, 5, 31)),
    ("cuoi thang 02/2023", None, K.MONTH_PART, D(2023, 2, 21), D(2023, 2, 28)),
    ("Cuối tháng 02/2024", None, K.MONTH_PART, D(2024, 2, 21), D(2024, 2, 29)),
    ("Đầu tháng 9", SY24, K.MONTH_PART, D(2024, 9, 1), D(2024, 9, 10)),
    # RANGE
    ("Từ ngày 05/9/2021 đến ngày 16/01/2022", None, K.RANGE, D(2021, 9, 5), D(2022, 1, 16)),
    ("tu 05/9/2021 den 16/01/2022", None, K.RANGE, D(2021, 9, 5), D(2022, 1, 16)),
    ("05/9/2021 - 16/01/2022", None, K.RANGE, D(2021, 9, 5), D(2022, 1, 16)),
    ("05/9/2021 – 16/01/2022", None, K.RANGE, D(2021, 9, 5), D(2022, 1, 16)),
    ("05/9/2021—16/01/2022", None, K.RANGE, D(2021, 9, 5), D(2022, 1, 16)),
    ("Từ ngày 01/10 đến hết ngày 15/10", SY24, K.RANGE, D(2024, 10, 1), D(2024, 10, 15)),
    ("Từ 16/01/2022 đến 05/9/2021", None, K.UNPARSED, None, None),
    # QUARTER
    ("Quý I/2024", None, K.QUARTER, D(2024, 1, 1), D(2024, 3, 31)),
    ("Quý IV/2024", None, K.QUARTER, D(2024, 10, 1), D(2024, 12, 31)),
    ("quy 2/2024", None, K.QUARTER, D(2024, 4, 1), D(2024, 6, 30)),
    ("Quý III năm 2024", None, K.QUARTER, D(2024, 7, 1), D(2024, 9, 30)),
    # SEMESTER: days from the school-year calendar of the context, else none
    ("Học kỳ I năm học 2024-2025", CAL24, K.SEMESTER, D(2024, 9, 5), D(2025, 1, 17)),
    ("Học kỳ II năm học 2024-2025", CAL24, K.SEMESTER, D(2025, 1, 20), D(2025, 5, 30)),
    ("hoc ky 2 nam hoc 2023 - 2024", CAL23, K.SEMESTER, None, D(2024, 5, 24)),
    ("Học kì I", CAL24, K.SEMESTER, D(2024, 9, 5), D(2025, 1, 17)),
    ("Học kỳ I năm học 2024-2025", None, K.SEMESTER, None, None),
    ("Học kì I", SY24, K.SEMESTER, None, None),
    ("Học kỳ I", None, K.SEMESTER, None, None),
    ("Học kỳ I năm học 2024-2026", None, K.UNPARSED, None, None),
    # WEEK
    ("Tuần 2 tháng 3/2024", None, K.WEEK, D(2024, 3, 8), D(2024, 3, 14)),
    ("tuan 1 thang 03/2024", None, K.WEEK, D(2024, 3, 1), D(2024, 3, 7)),
    ("Tuần 5 tháng 3/2024", None, K.WEEK, D(2024, 3, 29), D(2024, 3, 31)),
    ("Tuần thứ 3 của tháng 10", SY24, K.WEEK, D(2024, 10, 15), D(2024, 10, 21)),
    ("Tuần 5 tháng 2/2023", None, K.UNPARSED, None, None),
    # NONE / UNPARSED
    (None, None, K.NONE, None, None),
    ("   ", None, K.NONE, None, None),
    ("Trước ngày 25/01/23", None, K.UNPARSED, None, None),
    ("25/01/23", None, K.UNPARSED, None, None),
    ("Ngày 30/02/2023", None, K.UNPARSED, None, None),
    ("2023-02-30", None, K.UNPARSED, None, None),
    ("Trước ngày 32/1/2024", None, K.UNPARSED, None, None),
    ("Trước ngày 29/02/2023", None, K.UNPARSED, None, None),
    ("Tháng 13/2024", None, K.UNPARSED, None, None),
    ("Thường xuyên", None, K.UNPARSED, None, None),
    ("Cả năm học", None, K.UNPARSED, None, None),
]


def _row_id(row) -> str:
    text, context = row[0], row[1]
    suffix = "" if context is None else f"@{context.school_year or context.year}"
    return f"{text!r}{suffix}"


def test_table_is_large_enough():
    assert len(TABLE) >= 70


def _dated(row) -> bool:
    return row[2] not in (K.NONE, K.UNPARSED) and row[4] is not None


@pytest.mark.parametrize("row", TABLE, ids=_row_id)
def test_parse_deadline_table(row):
    text, context, kind, start, end = row
    d = parse_deadline(text, context)
    assert (d.kind, d.start, d.end) == (kind, start, end)
    expected_text = "" if text is None else unicodedata.normalize("NFC", text).strip()
    assert d.text == expected_text


@pytest.mark.parametrize("row", [r for r in TABLE if _dated(r)], ids=_row_id)
def test_table_round_trip(row):
    text, context, kind, start, end = row
    d = parse_deadline(text, context)
    # canonical wording needs no context, except semesters (printed wording, the calendar reads it)
    again = parse_deadline(format_deadline(d), context if kind is K.SEMESTER else None)
    assert (again.kind, again.start, again.end) == (kind, start, end)
    assert format_deadline(again) == format_deadline(d) or kind is K.SEMESTER


@pytest.mark.parametrize(
    "d, expected",
    [
        (parse_deadline("Trước ngày 25/01/2023"), "Trước ngày 25/01/2023"),
        (parse_deadline("Tháng 2/2023"), "Tháng 02/2023"),
        (parse_deadline("Từ 05/9/2021 đến 16/01/2022"), "Từ 05/09/2021 đến 16/01/2022"),
        (parse_deadline("cuoi thang 5/2025"), "Cuối tháng 05/2025"),
        (parse_deadline("Quý 1/2024"), "Quý I/2024"),
        (parse_deadline("HK1 2024-2025", CAL24), "HK1 2024-2025"),  # a semester keeps its wording
        (parse_deadline("Tuần 2 tháng 3/2024"), "Tuần 2 tháng 03/2024"),
        (parse_deadline("2/1/2024"), "Ngày 02/01/2024"),
        (parse_deadline("hạn cuối 30/5/2023"), "Chậm nhất ngày 30/05/2023"),
        (parse_deadline("Tháng 9/2024 và tháng 10/2024"), "Từ tháng 09/2024 đến tháng 10/2024"),
        (parse_deadline(""), ""),
        (parse_deadline(" Thường xuyên "), "Thường xuyên"),
    ],
)
def test_format_deadline_canonical(d, expected):
    assert format_deadline(d) == expected


# --- parse_date / parse_partial_date / formatting -----------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("02/01/2024", D(2024, 1, 2)),
        ("2/1/2024", D(2024, 1, 2)),
        ("05/9/2021", D(2021, 9, 5)),
        ("2024-01-02", D(2024, 1, 2)),
        ("ngày 02 tháng 01 năm 2024", D(2024, 1, 2)),
        ("ngày 6 tháng 01 năm 2023", D(2023, 1, 6)),
        ("Ngay 6 thang 1 nam 2023", D(2023, 1, 6)),
        (nfd("Ngày 15 tháng 10 năm 2024"), D(2024, 10, 15)),
        (" 29/02/2024 ", D(2024, 2, 29)),
        ("31/12/2023", D(2023, 12, 31)),
    ],
)
def test_parse_date_valid(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "30/02/2023",
        "2023-02-30",
        "32/1/2024",
        "15/13/2024",
        "29/02/2023",
        "00/01/2024",
        "01/01/0000",
        "ngày 31 tháng 04 năm 2024",
        "02/01/24",
        "30/10",
        "hôm nay",
        "Tháng 02/2023",
        "",
    ],
)
def test_parse_date_invalid(text):
    with pytest.raises(DateError) as info:
        parse_date(text)
    message = str(info.value)
    assert text.strip() in message
    assert re.search(r"ngày|không", message)


def test_parse_date_error_message_example():
    with pytest.raises(DateError, match="^ngày 30/02/2023 không tồn tại$"):
        parse_date("30/02/2023")
    assert issubclass(DateError, ValueError)


@pytest.mark.parametrize(
    "text, expected, shown",
    [
        ("10/1954", PartialDate(1954, 10, None), "10/1954"),
        ("1831", PartialDate(1831, None, None), "1831"),
        ("20/11/1982", PartialDate(1982, 11, 20), "20/11/1982"),
        ("22/12", PartialDate(None, 12, 22), "22/12"),
        ("3/2", PartialDate(None, 2, 3), "03/02"),
        ("29/02", PartialDate(None, 2, 29), "29/02"),
        ("7/5/1954", PartialDate(1954, 5, 7), "07/05/1954"),
        ("tháng 10 năm 1954", PartialDate(1954, 10, None), "10/1954"),
    ],
)
def test_parse_partial_date(text, expected, shown):
    assert parse_partial_date(text) == expected
    assert str(parse_partial_date(text)) == shown


@pytest.mark.parametrize("text", ["13/1954", "30/02", "32/12", "19", "10/54", "abc", "", "30/02/2023"])
def test_parse_partial_date_invalid(text):
    with pytest.raises(DateError):
        parse_partial_date(text)


def test_format_date():
    assert format_date(D(2024, 1, 2)) == "02/01/2024"
    assert format_date_long(D(2024, 1, 2)) == "ngày 02 tháng 01 năm 2024"
    assert parse_date(format_date_long(D(2023, 1, 6))) == D(2023, 1, 6)


def test_school_year_bounds():
    assert school_year_bounds(2024) == (D(2024, 9, 1), D(2025, 8, 31))
    first, last = school_year_bounds(2024)
    year = parse_deadline("năm học 2024 - 2025")
    assert (year.kind, year.start, year.end) == (K.SCHOOL_YEAR, first, last)
    hk1, hk2 = parse_deadline("HKI", CAL24), parse_deadline("kỳ II", CAL24)
    assert first < hk1.start and hk1.end < hk2.start and hk2.end < last


# --- find_deadlines -------------------------------------------------------------------------

BODY_001 = (
    "Đề nghị các Cụm thi đua số 9, 10, 11 gửi Kế hoạch triển khai công tác Thi đua – Khen thưởng "
    "năm 2023 về UBND Quận (*qua phòng Nội vụ - cơ quan Thường trực Hội đồng Thi đua – Khen thưởng "
    "quận*) trước ngày 19/01/2023.\n\n- Cụm thi đua số 9, 10, 11 hoàn thành tiêu chí theo Hướng dẫn "
    "số 14/HD-HĐTĐKT ngày 21/09/2022 của Hội đồng ... gửi bộ tiêu chí chấm điểm thi đua năm học "
    "2022-2023 về Phòng GDĐT trước ngày 30/01/2023 (*người nhận Đ/c Bích Hà*)."
)
BODY_002 = (
    "+ **Đợt 1: Từ 05/9/2021 đến 16/01/2022:** Trọng tâm ... kỷ niệm 39 năm ngày Nhà giáo Việt Nam "
    "(20/11/1982 - 20/11/2021); ngày Hội Quốc phòng toàn dân 22/12.\n"
    "+ **Đợt 2: Từ 18/01/2022 đến 25/5/2022:** ... (30/4/1975-30/4/2022)"
)
BODY_003 = (
    "Tháng 9/2024 và tháng 10/2024: các khối thi đua tổ chức Hội nghị giao ban lần thứ nhất.\n\n"
    "Ngày 30/10 là thời hạn cuối các khối thi đua tổ chức Hội nghị giao ban lần thứ nhất."
)


@pytest.mark.parametrize(
    "body, context, expected",
    [
        (BODY_001, None, [("trước ngày 19/01/2023", K.BEFORE, D(2023, 1, 18)),
                          ("trước ngày 30/01/2023", K.BEFORE, D(2023, 1, 29))]),
        (BODY_002, None, [("Từ 05/9/2021 đến 16/01/2022", K.RANGE, D(2022, 1, 16)),
                          ("Từ 18/01/2022 đến 25/5/2022", K.RANGE, D(2022, 5, 25))]),
        (BODY_003, SY24, [("Ngày 30/10 là thời hạn cuối", K.BY, D(2024, 10, 30))]),
        (BODY_003, None, []),
        ("Chậm nhất ngày 15/3/2024 nộp báo cáo; hạn cuối 20/3/2024; đến hết ngày 31/3/2024.", None,
         [("Chậm nhất ngày 15/3/2024", K.BY, D(2024, 3, 15)),
          ("hạn cuối 20/3/2024", K.BY, D(2024, 3, 20)),
          ("đến hết ngày 31/3/2024", K.BY, D(2024, 3, 31))]),
        ("từ ngày 01/10 đến hết ngày 15/10 và từ tháng 11/2024 đến tháng 12/2024", SY24,
         [("từ ngày 01/10 đến hết ngày 15/10", K.RANGE, D(2024, 10, 15)),
          ("từ tháng 11/2024 đến tháng 12/2024", K.MONTH, D(2024, 12, 31))]),
        ("Kế hoạch số 295/KH-UBND ngày 28/12/2023; trước ngày 25/01/23; trước ngày 30/02/2023", None, []),
    ],
)
def test_find_deadlines(body, context, expected):
    found = find_deadlines(body, context)
    assert [(body[a:b], d.kind, d.end) for a, b, d in found] == expected


def test_find_deadlines_nfd_offsets_point_into_original():
    body = nfd("Đề nghị gửi về Phòng GDĐT trước ngày 19/01/2023 (người nhận Đ/c Bích Hà).")
    [(a, b, d)] = find_deadlines(body)
    assert unicodedata.normalize("NFC", body[a:b]) == "trước ngày 19/01/2023"
    assert d.end == D(2023, 1, 18)


# --- properties -----------------------------------------------------------------------------

TOKENS = [
    "0", "1", "2", "9", "10", "12", "29", "30", "31", "02", "2023", "2024", "23", "/", "-", "–", " ",
    "  ", ".", ":", ",", "ngày", "ngay", "tháng", "thang", "năm", "nam", "trước", "truoc", "từ",
    "đến", "den", "hết", "chậm nhất", "hạn cuối", "Hạn:", "là thời hạn cuối", "và", "Quý", "I",
    "IV", "học kỳ", "năm học", "tuần", "đầu", "cuối", "giữa", "\u0301", "\u00a0", "x",
    "thứ", "Hai", "Sáu", "chủ nhật", "sáng", "chiều", "tối", "h", "giờ", "phút", "7h30", "8h", "hằng năm",
    "hàng tháng", "hằng tuần", "năm sau", "HKI", "kỳ", "II", "(", ")", "tức", "âm lịch", "Ngày đăng:",
    "muộn nhất", "trễ nhất", "trong", "hoặc", "sau", "kể từ", "số", "KH", "QĐ", "tới",
]
token_text = st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)
any_text = st.one_of(st.text(), token_text, token_text.map(nfd))
contexts = st.one_of(
    st.none(),
    st.builds(DateContext, year=st.integers(1, 9999)),
    st.integers(1, 9998).map(lambda y: DateContext(school_year=(y, y + 1))),
    st.just(CAL24),
    st.just(DateContext(school_year=(2019, 2020), month=(2019, 8))),
    st.just(DateContext(year=2023, school_year=(2022, 2023), issued=D(2023, 1, 6))),
)


@settings(max_examples=400, deadline=None)
@given(text=any_text, context=contexts)
def test_parse_deadline_is_total(text, context):
    d = parse_deadline(text, context)
    assert isinstance(d, Deadline)
    if d.kind in (K.NONE, K.UNPARSED):
        assert d.start is None and d.end is None and not d.candidates
        return
    if d.end is None:
        # undated on purpose: a time alone, a doubtful year or a missing calendar says why
        assert d.kind is K.TIME or d.warning, d
        assert d.start is None
        if d.candidates:
            assert len(d.candidates) >= 2 and list(d.candidates) == sorted(d.candidates)
        return
    if d.start is not None:
        assert d.start <= d.end
    if d.kind is K.DAYS:
        assert d.days and d.days[0] == d.start and d.days[-1] == d.end
    again = parse_deadline(format_deadline(d), context)
    assert (again.kind, again.start, again.end, again.days) == (d.kind, d.start, d.end, d.days), format_deadline(d)


@settings(max_examples=300, deadline=None)
@given(text=any_text, context=contexts)
def test_find_deadlines_offsets_reparse(text, context):
    previous_end = 0
    for a, b, d in find_deadlines(text, context):
        assert previous_end <= a < b <= len(text)
        assert parse_deadline(text[a:b], context) == d
        assert d.kind not in (K.NONE, K.UNPARSED)
        previous_end = b


@settings(max_examples=200, deadline=None)
@given(
    # a prefix ending in a lead word such as "Ngày ban hành" or "Ngày đăng" makes the date an issue date
    prefix=st.text(st.characters(blacklist_characters="0123456789/"), max_size=20).filter(lambda s: "ngay" not in fold(s)),
    suffix=st.text(st.characters(blacklist_characters="0123456789/"), max_size=20),
    row=st.sampled_from([r for r in TABLE if r[0] and r[0].strip()[:3].lower() in ("trư", "từ ")]),
)
def test_find_deadlines_in_surrounding_text(prefix, suffix, row):
    text, context, kind, start, end = row
    body = f"{prefix} {text} {suffix}"
    found = find_deadlines(body, context)
    if kind is K.UNPARSED:
        return
    assert any(d.kind is kind and d.start == start and d.end == end for _, _, d in found)


days = st.dates(min_value=D(1000, 1, 1), max_value=D(9998, 12, 31))
years = st.integers(1000, 9998)
months = st.integers(1, 12)


def _month_bounds(y: int, m: int) -> tuple[date, date]:
    first = D(y, m, 1)
    return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


SELF_CONTAINED = [k for k in K if k not in (K.NONE, K.UNPARSED, K.SEMESTER, K.SCHOOL_WEEK, K.TIME)]
times = st.builds(lambda h, m: __import__("datetime").time(h, m), st.integers(0, 23), st.integers(0, 59))


@st.composite
def deadlines(draw) -> Deadline:
    kind = draw(st.sampled_from(SELF_CONTAINED))
    if kind in (K.ON, K.BEFORE, K.BY):
        day = draw(days)
        extras = {}
        if kind is K.ON:
            extras["part_of_day"] = draw(st.none() | st.sampled_from(list(PartOfDay)))
            if draw(st.booleans()):
                extras["weekday"] = day.weekday()
            start_time = draw(st.none() | times)
            extras["start_time"] = start_time
            extras["end_time"] = draw(st.none() | times) if start_time is not None else None
        elif kind is K.BY:
            extras["end_time"] = draw(st.none() | times)
        return Deadline("", kind, None if kind is not K.ON else day, day, **extras)
    if kind is K.DAYS:
        picked = sorted(set(draw(st.lists(days, min_size=2, max_size=5))))
        if len(picked) < 2:
            picked = [picked[0], picked[0] + timedelta(days=1)]
        return Deadline("", kind, picked[0], picked[-1], days=tuple(picked))
    if kind is K.RANGE:
        a, b = sorted((draw(days), draw(days)))
        return Deadline("", kind, a, b)
    if kind is K.MONTH:
        (y1, m1), (y2, m2) = sorted([(draw(years), draw(months)), (draw(years), draw(months))])
        return Deadline("", kind, _month_bounds(y1, m1)[0], _month_bounds(y2, m2)[1])
    if kind is K.MONTH_PART:
        first, last = _month_bounds(draw(years), draw(months))
        lo, hi = draw(st.sampled_from([(1, 10), (11, 20), (21, last.day)]))
        return Deadline("", kind, first.replace(day=lo), last.replace(day=hi))
    if kind is K.QUARTER:
        y, q = draw(years), draw(st.integers(1, 4))
        return Deadline("", kind, D(y, 3 * q - 2, 1), _month_bounds(y, 3 * q)[1])
    if kind is K.SCHOOL_YEAR:
        y = draw(years)
        return Deadline("", kind, *school_year_bounds(y))
    if kind is K.YEAR:
        y = draw(years)
        return Deadline("", kind, D(y, 1, 1), D(y, 12, 31))
    first, last = _month_bounds(draw(years), draw(months))
    if draw(st.booleans()):  # "tuần cuối tháng": the last seven days
        return Deadline("", kind, last - timedelta(days=6), last)
    n = draw(st.integers(1, 5 if last.day > 28 else 4))
    return Deadline("", kind, first.replace(day=7 * n - 6), last.replace(day=min(7 * n, last.day)))


@settings(max_examples=400, deadline=None)
@given(deadlines())
def test_generated_round_trip(d):
    text = format_deadline(d)
    again = parse_deadline(text)
    assert replace(again, text="", warning=None) == d, text
    assert again.text == text
    # without diacritics and in capitals it still reads the same
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    plain = plain.replace("đ", "d").replace("Đ", "D").upper()
    folded = parse_deadline(plain)
    assert (folded.kind, folded.start, folded.end, folded.days, folded.start_time, folded.end_time) == (
        d.kind, d.start, d.end, d.days, d.start_time, d.end_time)


@settings(max_examples=200, deadline=None)
@given(days)
def test_parse_date_round_trip(day):
    assert parse_date(format_date(day)) == day
    assert parse_date(format_date_long(day)) == day
    assert parse_date(day.isoformat()) == day


# --- the editors' guide ---------------------------------------------------------------------

GUIDE_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|[^|]*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|\s*$")


def _registry_terms(calendar_id: str) -> SchoolTerms:
    from generator.load import load_registry

    root = GUIDE.parents[2]
    registry = load_registry(root / "plans" / "_registry" / "calendars.yaml", root).value
    return next(c for c in registry.calendars if c.id == calendar_id).terms


def test_guide_examples_match_parser():
    """Every example row of content/huong-dan/han-chot.md lands on the days it claims, in a
    2024-2025 plan with the Bộ GDĐT's calendar of the registry."""
    rows = [m.groups() for line in GUIDE.read_text(encoding="utf-8").splitlines()
            if (m := GUIDE_ROW.match(line))]
    assert len(rows) >= 60
    context = DateContext(school_year=(2024, 2025), calendar=_registry_terms("bgddt-2024-2025"))
    for text, start, end in rows:
        d = parse_deadline(text, context)
        shown = (format_date(d.start) if d.start else "—", format_date(d.end) if d.end else "—")
        assert shown == (start, end), text


# --- the forms real documents use (issue #9) ---------------------------------------------------

T = time
SY19 = DateContext(school_year=(2019, 2020))
# (text, context, kind, start, end, extras: Deadline fields that must hold)
FORMS = [
    # ranges sharing a month or a year
    ("12 - 20/3", SY24, K.RANGE, D(2025, 3, 12), D(2025, 3, 20), {}),
    ("từ ngày 8-12/4/2024", None, K.RANGE, D(2024, 4, 8), D(2024, 4, 12), {}),
    ("Từ ngày 19 tháng 4 đến ngày 23 tháng 4 năm 2023", None, K.RANGE, D(2023, 4, 19), D(2023, 4, 23), {}),
    ("từ ngày 22/1 đến hết ngày 29/1/2020", None, K.RANGE, D(2020, 1, 22), D(2020, 1, 29), {}),
    ("Từ ngày 28/12 đến 3/1/2025", None, K.RANGE, D(2024, 12, 28), D(2025, 1, 3), {}),
    ("từ ngày 30/8 đến 05/9", SY19, K.RANGE, D(2019, 8, 30), D(2019, 9, 5), {}),
    ("03, 04, 05/5/2023", None, K.DAYS, D(2023, 5, 3), D(2023, 5, 5), {"days": (D(2023, 5, 3), D(2023, 5, 4), D(2023, 5, 5))}),
    ("ngày 26 và ngày 27 tháng 6 năm 2025", None, K.DAYS, D(2025, 6, 26), D(2025, 6, 27), {"days": (D(2025, 6, 26), D(2025, 6, 27))}),
    ("vào các ngày 18, 19, 20-7-2020", None, K.DAYS, D(2020, 7, 18), D(2020, 7, 20), {}),
    # day-month with hyphens or dots
    ("15-4", SY24, K.ON, D(2025, 4, 15), D(2025, 4, 15), {}),
    ("từ ngày 2-5 đến 9-5", SY24, K.RANGE, D(2025, 5, 2), D(2025, 5, 9), {}),
    ("Kết thúc học kỳ 1 trước ngày 16-1-2022", None, K.BEFORE, None, D(2022, 1, 15), {}),
    ("kết thúc học kỳ I trước ngày 15.1.2025", None, K.BEFORE, None, D(2025, 1, 14), {}),
    # weekdays and parts of day
    ("Thứ Sáu, ngày 12/4/2024", None, K.ON, D(2024, 4, 12), D(2024, 4, 12), {"weekday": 4, "warning": None}),
    ("05/9/2023 (Thứ Ba)", None, K.ON, D(2023, 9, 5), D(2023, 9, 5), {"weekday": 1}),
    ("Sáng 14/3", SY24, K.ON, D(2025, 3, 14), D(2025, 3, 14), {"part_of_day": PartOfDay.MORNING}),
    ("chiều ngày 16/1/2023", None, K.ON, D(2023, 1, 16), D(2023, 1, 16), {"part_of_day": PartOfDay.AFTERNOON}),
    ("trong buổi tối ngày 19/11/2024", None, K.ON, D(2024, 11, 19), D(2024, 11, 19), {"part_of_day": PartOfDay.EVENING}),
    ("bắt đầu bước sang học kỳ II ngày 8/1/2024", None, K.ON, D(2024, 1, 8), D(2024, 1, 8), {"part_of_day": None}),
    # times
    ("8 giờ 30 ngày 20/11/2024", None, K.ON, D(2024, 11, 20), D(2024, 11, 20), {"start_time": T(8, 30)}),
    ("8h30", None, K.TIME, None, None, {"start_time": T(8, 30), "end_time": None}),
    ("13h30 – 16h00", None, K.TIME, None, None, {"start_time": T(13, 30), "end_time": T(16, 0)}),
    ("14h00' ngày 26/12/2025", None, K.ON, D(2025, 12, 26), D(2025, 12, 26), {"start_time": T(14, 0)}),
    ("Từ 7h30 - 9h30 ngày 5 tháng 9 năm 2025", None, K.ON, D(2025, 9, 5), D(2025, 9, 5),
     {"start_time": T(7, 30), "end_time": T(9, 30)}),
    ("từ 7 giờ đến 7 giờ 30 phút", None, K.TIME, None, None, {"start_time": T(7, 0), "end_time": T(7, 30)}),
    ("trước 17h ngày 11/6/2021", None, K.BY, None, D(2021, 6, 11), {"end_time": T(17, 0)}),
    ("Thứ 6, 06/08/2021 | 14:59:49", None, K.ON, D(2021, 8, 6), D(2021, 8, 6), {"weekday": 4, "start_time": T(14, 59, 49)}),
    # deadline words
    ("Chậm nhất ngày 15/3/2024", None, K.BY, None, D(2024, 3, 15), {}),
    ("muộn nhất là ngày 20/10/2024", None, K.BY, None, D(2024, 10, 20), {}),
    ("trễ nhất ngày 20/10/2024", None, K.BY, None, D(2024, 10, 20), {}),
    ("Hạn cuối nộp hồ sơ đăng ký là ngày 15/10/2024", None, K.BY, None, D(2024, 10, 15), {}),
    ("thời hạn gửi báo cáo là 30/6/2024", None, K.BY, None, D(2024, 6, 30), {}),
    ("đến hết ngày 31/12/2024", None, K.BY, None, D(2024, 12, 31), {}),
    ("đến hết tháng 10/2024", None, K.BY, None, D(2024, 10, 31), {}),
    ("trong ngày 20/11/2024", None, K.ON, D(2024, 11, 20), D(2024, 11, 20), {}),
    ("chậm nhất ngày 15/3 năm sau", Y23, K.BY, None, D(2024, 3, 15), {}),
    ("Tháng 1 năm sau", SY24, K.MONTH, D(2025, 1, 1), D(2025, 1, 31), {}),
    # recurrences: first occurrence inside the plan's period
    ("trước ngày 30/10 hằng năm", SY24, K.BEFORE, None, D(2024, 10, 29), {"recurrence": Recurrence.YEARLY, "warning": None}),
    ("Ngày 21/4 hàng năm", Y23, K.ON, D(2023, 4, 21), D(2023, 4, 21), {"recurrence": Recurrence.YEARLY}),
    ("ngày 20 hàng tháng", SY24, K.ON, D(2024, 9, 20), D(2024, 9, 20), {"recurrence": Recurrence.MONTHLY}),
    ("thứ Hai hằng tuần", SY24, K.ON, D(2024, 9, 2), D(2024, 9, 2), {"recurrence": Recurrence.WEEKLY, "weekday": 0}),
    ("từ 7giờ15 đến 7giờ30 thứ hai hàng tuần, kể từ 30-11-2009", None, K.ON, D(2009, 11, 30), D(2009, 11, 30),
     {"recurrence": Recurrence.WEEKLY, "weekday": 0, "start_time": T(7, 15), "end_time": T(7, 30)}),
    # quarters, semesters, school weeks, school years, years
    ("Quý III/2024", None, K.QUARTER, D(2024, 7, 1), D(2024, 9, 30), {}),
    ("quý 2", SY24, K.QUARTER, D(2025, 4, 1), D(2025, 6, 30), {}),
    ("Học kỳ II", CAL24, K.SEMESTER, D(2025, 1, 20), D(2025, 5, 30), {}),
    ("học kì 1", CAL24, K.SEMESTER, D(2024, 9, 5), D(2025, 1, 17), {}),
    ("HKI", CAL24, K.SEMESTER, D(2024, 9, 5), D(2025, 1, 17), {}),
    ("HK 2", CAL24, K.SEMESTER, D(2025, 1, 20), D(2025, 5, 30), {}),
    ("kỳ II", CAL24, K.SEMESTER, D(2025, 1, 20), D(2025, 5, 30), {}),
    ("Tuần 5", CAL24, K.SCHOOL_WEEK, D(2024, 9, 30), D(2024, 10, 6), {}),
    ("tuần 8 và 9", CAL24, K.SCHOOL_WEEK, D(2024, 10, 21), D(2024, 11, 3), {}),
    ("năm học 2023 - 2024", None, K.SCHOOL_YEAR, D(2023, 9, 1), D(2024, 8, 31), {}),
    ("năm 2024", None, K.YEAR, D(2024, 1, 1), D(2024, 12, 31), {}),
    ("Thi tốt nghiệp THPT năm 2025 dự kiến ngày 26 và 27/6/2025", None, K.DAYS, D(2025, 6, 26), D(2025, 6, 27), {}),
    # month lists, month ranges, parts of months
    ("tháng 3, tháng 4", SY24, K.MONTH, D(2025, 3, 1), D(2025, 4, 30), {}),
    ("trong tháng 11-12", SY24, K.MONTH, D(2024, 11, 1), D(2024, 12, 31), {}),
    ("tháng 3, 4/2024", None, K.MONTH, D(2024, 3, 1), D(2024, 4, 30), {}),
    ("đầu tháng 9", SY24, K.MONTH_PART, D(2024, 9, 1), D(2024, 9, 10), {}),
    ("giữa tháng 3 năm 2024", None, K.MONTH_PART, D(2024, 3, 11), D(2024, 3, 20), {}),
    ("tuần cuối tháng 8/2023", None, K.WEEK, D(2023, 8, 25), D(2023, 8, 31), {}),
    # several days in one row, with their weekdays
    ("thứ 3, 4 (12, 13/3/2024)", None, K.DAYS, D(2024, 3, 12), D(2024, 3, 13), {"warning": None}),
    # text around a date
    ("(từ ngày 27/12/2021 đến 31/12/2021)", None, K.RANGE, D(2021, 12, 27), D(2021, 12, 31), {}),
    ("Nghỉ Giỗ Tổ Hùng Vương: 01 ngày – ngày 25/4/2018 (nhằm ngày 10 tháng 3 Âm lịch)", None, K.ON,
     D(2018, 4, 25), D(2018, 4, 25), {}),
    ("từ ngày 20/01/2023 (29 tháng Chạp) đến hết Chủ nhật, ngày 29/01/2023 (mùng 8 tháng Giêng)", None, K.RANGE,
     D(2023, 1, 20), D(2023, 1, 29), {"warning": None}),
    ("Ngày 24/12/2024, Bộ GD&ĐT ban hành Thông tư 24/2024/TT-BGDĐT", None, K.ON, D(2024, 12, 24), D(2024, 12, 24), {}),
    ("theo Quyết định số 2171/QĐ-BGDĐT ngày 28/7/2023, trước ngày 10/9/2023", None, K.BEFORE, None, D(2023, 9, 9), {}),
    ("được nghỉ lễ 30/4 từ ngày 29/4 đến hết ngày 3/5", Y23, K.RANGE, D(2023, 4, 29), D(2023, 5, 3), {}),
    ("Ngày đăng: 12/09/2023", None, K.UNPARSED, None, None, {}),
    ("Cập nhật lúc : 14:32 04/11/2024", None, K.UNPARSED, None, None, {}),
    ("có hiệu lực từ ngày 05/8/2022", None, K.UNPARSED, None, None, {}),
    ("Từ 13/01/2026", None, K.UNPARSED, None, None, {}),
    ("sau ngày 15/6/2024", None, K.UNPARSED, None, None, {}),
    ("ngày … tháng 9 năm 2024", None, K.UNPARSED, None, None, {}),
    ("tháng 0", None, K.UNPARSED, None, None, {}),
    ("Tăng cường phòng, chống Covid-19, ngày 5-5", DateContext(school_year=(2020, 2021)), K.ON,
     D(2021, 5, 5), D(2021, 5, 5), {}),
]


def _form_id(row) -> str:
    return repr(row[0])[:60]


@pytest.mark.parametrize("row", FORMS, ids=_form_id)
def test_real_forms(row):
    text, context, kind, start, end, extras = row
    d = parse_deadline(text, context)
    assert (d.kind, d.start, d.end) == (kind, start, end), d
    for name, value in extras.items():
        assert getattr(d, name) == value, (name, d)


@pytest.mark.parametrize("row", [r for r in FORMS if r[4] is not None], ids=_form_id)
def test_real_forms_round_trip(row):
    text, context, *_ = row
    d = parse_deadline(text, context)
    again = parse_deadline(format_deadline(d), context)
    assert replace(again, text=d.text, warning=d.warning) == d, format_deadline(d)


# --- doubt is shown, never resolved silently -----------------------------------------------------

def test_a_group_header_resolves_the_year():
    """A 2019-2020 schedule grouped under "8/2019": its yearless August rows are in 2019."""
    header = header_month("8/2019", SY19)
    assert header == (2019, 8)
    under = DateContext(school_year=(2019, 2020), month=header)
    d = parse_deadline("Ngày 20/8", under)
    assert (d.kind, d.start, d.end, d.warning) == (K.ON, D(2019, 8, 20), D(2019, 8, 20), None)
    assert parse_deadline("Trước ngày 5/9", under).end == D(2019, 9, 4)
    assert header_month("Tháng 12/2024") == (2024, 12)
    assert header_month("THÁNG 9", SY24) == (2024, 9)
    assert header_month("Tháng 9 và tháng 10", SY24) is None
    december = DateContext(school_year=(2019, 2020), month=(2020, 1))
    assert parse_deadline("28/12", december).end == D(2019, 12, 28)


def test_without_a_header_the_two_candidate_years_are_named():
    d = parse_deadline("Ngày 20/8", SY19)
    assert (d.kind, d.start, d.end) == (K.ON, None, None)
    assert d.candidates == (D(2019, 8, 20), D(2020, 8, 20))
    assert "20/08/2019" in d.warning and "20/08/2020" in d.warning and "ghi rõ năm" in d.warning
    assert calendar_days(d) == ()
    before = parse_deadline("Trước ngày 15/7", SY24)
    assert before.candidates == (D(2024, 7, 14), D(2025, 7, 14))
    assert "trước ngày 15/07/2024" in before.warning


def test_teaching_months_follow_the_calendar():
    """2019-2020 ended in July (Covid-19): July is then a month of the school year, August is not."""
    extended = DateContext(school_year=(2019, 2020), calendar=SchoolTerms((2019, 2020), "khung sửa đổi", end=D(2020, 7, 14)))
    assert parse_deadline("trước ngày 11/7", extended).end == D(2020, 7, 10)
    assert parse_deadline("trước ngày 15/8", extended).candidates == (D(2019, 8, 14), D(2020, 8, 14))


def test_year_and_school_year_that_disagree_are_a_doubt():
    both = DateContext(year=2023, school_year=(2022, 2023))
    assert parse_deadline("Ngày 30/10", both).candidates == (D(2022, 10, 30), D(2023, 10, 30))
    assert parse_deadline("Ngày 15/3", both).end == D(2023, 3, 15)
    assert parse_deadline("Ngày 15/7", both).end == D(2023, 7, 15)  # the plan's year is one of the two


def test_the_printed_weekday_picks_the_year_or_warns():
    d = parse_deadline("Thứ Hai, ngày 15/7", SY24)  # 15/07/2024 is a Monday, 15/07/2025 a Tuesday
    assert (d.start, d.end, d.weekday, d.warning) == (D(2024, 7, 15), D(2024, 7, 15), 0, None)
    wrong = parse_deadline("Thứ Sáu, ngày 12/3/2024")
    assert wrong.end == D(2024, 3, 12) and wrong.weekday == 4
    assert wrong.warning == "ngày 12/03/2024 là thứ Ba, không phải thứ Sáu như văn bản ghi: hãy kiểm tra lại ngày hoặc thứ"


def test_a_deadline_before_the_issue_date_is_a_warning():
    issued = DateContext(school_year=(2024, 2025), issued=D(2024, 10, 15))
    d = parse_deadline("Trước ngày 30/9/2024", issued)
    assert d.end == D(2024, 9, 29)
    assert "sớm hơn ngày ban hành kế hoạch (15/10/2024)" in d.warning
    assert parse_deadline("Tháng 9/2024 và tháng 10/2024", issued).warning is None  # ends after the issue date


def test_recurring_deadlines_start_inside_the_period_after_the_issue_date():
    late = DateContext(school_year=(2024, 2025), issued=D(2024, 11, 1))
    d = parse_deadline("trước ngày 30/10 hằng năm", late)
    assert (d.kind, d.end, d.recurrence, d.warning) == (K.BEFORE, D(2025, 10, 29), Recurrence.YEARLY, None)
    assert parse_deadline("trước ngày 30/10 hằng năm").kind is K.UNPARSED  # no year at all: not read


def test_semesters_and_school_weeks_need_a_calendar():
    for text in ("Học kỳ II", "Tuần 5"):
        d = parse_deadline(text, SY24)
        assert d.kind in (K.SEMESTER, K.SCHOOL_WEEK) and d.start is None and d.end is None
        assert "chưa có khung kế hoạch thời gian năm học" in d.warning and "2024-2025" in d.warning
    other_year = parse_deadline("Học kỳ I năm học 2025-2026", CAL24)
    assert other_year.end is None and "2025-2026" in other_year.warning
    no_start = parse_deadline("Tuần 3", CAL23)
    assert no_start.end is None and "không ghi ngày bắt đầu học kỳ I" in no_start.warning
    printed_week = DateContext(school_year=(2023, 2024), calendar=replace(TERMS23, week_1=D(2023, 9, 4)))
    assert parse_deadline("tuần 3", printed_week).start == D(2023, 9, 18)


# --- the days on a calendar -------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, context, spans",
    [
        ("Trước ngày 25/01/2023", None, ((D(2023, 1, 24), D(2023, 1, 24)),)),
        ("Tháng 02/2023", None, ((D(2023, 2, 28), D(2023, 2, 28)),)),
        ("Từ 05/9/2021 đến 16/01/2022", None, ((D(2021, 9, 5), D(2022, 1, 16)),)),
        ("03, 04/5/2023", None, ((D(2023, 5, 3), D(2023, 5, 3)), (D(2023, 5, 4), D(2023, 5, 4)))),
        ("Sáng 14/3/2025, 7h30 – 9h30", None, ((D(2025, 3, 14), D(2025, 3, 14)),)),
        ("Học kỳ I", CAL24, ((D(2025, 1, 17), D(2025, 1, 17)),)),
        ("Tuần 5", CAL24, ((D(2024, 10, 6), D(2024, 10, 6)),)),
        ("trước ngày 30/10 hằng năm", SY24, ((D(2024, 10, 29), D(2024, 10, 29)),)),
        ("Ngày 15/7", SY24, ()),
        ("7h30 – 9h30", None, ()),
        ("Thường xuyên", None, ()),
    ],
)
def test_calendar_days_follow_the_guide(text, context, spans):
    d = parse_deadline(text, context)
    assert calendar_days(d) == spans
    assert calendar_span(d) == ((spans[0][0], spans[-1][1]) if spans else None)


def test_calendar_days_agree_with_the_feeds_of_the_seeds():
    """The feeds put every seed task on the days calendar_days gives (DTEND is exclusive)."""
    from generator.corpus import load_project
    from generator.feeds import schedule

    root = GUIDE.parents[2]
    corpus = load_project(root)
    events = {e.uid: e for e in schedule(corpus).events}
    checked = 0
    for plan in corpus.plans:
        for task in plan.dated_tasks:
            event = events[f"{task.id}@{plan.id}.planpub"]
            spans = calendar_days(task.deadline)
            # the first span is the event; the other separate days are its RDATEs (DTEND is exclusive)
            assert (event.start, event.end) == (spans[0][0], spans[0][1] + timedelta(days=1)), task.id
            assert event.rdates == tuple(a for a, _ in spans[1:]), task.id
            checked += 1
    assert checked >= 20


# --- find_deadlines: the new leads --------------------------------------------------------------

def test_find_deadlines_new_leads():
    body = ("Các trường nộp báo cáo muộn nhất ngày 15/10/2024; hồ sơ gửi trễ nhất là ngày 20/10/2024. "
            "Hạn cuối nhận bài dự thi là ngày 30/10/2024. Thời hạn gửi báo cáo là 30/11/2024. "
            "Báo cáo tổng kết trước ngày 15/8 hằng năm. Quyết định số 2171/QĐ-BGDĐT ngày 28/7/2023.")
    found = find_deadlines(body, SY24)
    assert [(body[a:b], d.kind, d.end) for a, b, d in found] == [
        ("muộn nhất ngày 15/10/2024", K.BY, D(2024, 10, 15)),
        ("trễ nhất là ngày 20/10/2024", K.BY, D(2024, 10, 20)),
        ("Hạn cuối nhận bài dự thi là ngày 30/10/2024", K.BY, D(2024, 10, 30)),
        ("Thời hạn gửi báo cáo là 30/11/2024", K.BY, D(2024, 11, 30)),
        ("trước ngày 15/8 hằng năm", K.BEFORE, D(2025, 8, 14)),
    ]
    assert found[-1][2].recurrence is Recurrence.YEARLY


# --- hostile input: bounded, linear work ---------------------------------------------------------

WORST = {
    "brackets": "[" * 60_000 + "]" * 40_000,
    "parentheses": "(" * 60_000 + "1/1/2024)" * 5_000,
    "spaces after a date": "Trước ngày 25/01/2023" + " " * 75_000 + "x" + " trước ngày 25/01/2023." * 1_100,
    "digits and slashes": "1/" * 50_000,
    "dates and dashes": "1/1/2024-" * 11_200,
    "month words": "tháng " * 16_000,
    "day words": "ngày " * 20_000,
    "deadline words": "trước ngày " * 9_000,
    "from to": "từ 1 đến " * 11_000,
    "numbers and commas": "1, " * 34_000,
    "weekdays": "thứ 2, " * 14_000,
    "times": "7h30 - " * 14_500,
    "document numbers": "12/QĐ-" * 16_000,
    "combining marks": "a" + "\u0301" * 100_000,
}


def test_worst_shapes_finish_quickly():
    """100 KB of the worst shapes through every entry point: seconds at most, never minutes.
    (Figures: python3 -m pytest tests/test_dates.py -k worst -s.)"""
    timings = {}
    for name, text in WORST.items():
        assert len(text.encode("utf-8")) >= 100_000, name
        started = clock.perf_counter()
        assert parse_deadline(text, SY24).kind is not None
        find_deadlines(text, SY24)
        for read in (parse_date, parse_partial_date):
            with pytest.raises(DateError):
                read(text)
        timings[name] = clock.perf_counter() - started
        assert timings[name] < 20, (name, timings[name])
    print("\n".join(f"{name}: {seconds:.3f} s" for name, seconds in timings.items()))


def test_every_regular_expression_is_the_linear_tokenizer():
    """The date modules compile one regular expression: alternatives that are single character
    classes, so matching is linear.  Everything else is Python over tokens with bounded lookahead."""
    import generator.dategrammar as grammar
    import generator.dates as dates

    for module in (dates, grammar):
        patterns = [value.pattern for value in vars(module).values() if isinstance(value, re.Pattern)]
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert patterns == ([r"[0-9]+|[a-z]+|\S"] if module is grammar else []), module
        assert source.count("re.compile(") == (1 if module is grammar else 0), module
        assert not re.search(r"\bre\.(sub|match|search|fullmatch|findall|finditer|split)\(", source), module
