"""Dates and deadlines as written in Vietnamese education-sector plans.

``parse_deadline`` turns the wording of a deadline ("Trước ngày 25/01/2023", "Tháng 02/2023",
"Từ 05/9/2021 đến 16/01/2022", ...) into a :class:`Deadline` with an inclusive window
``start .. end``; ``format_deadline`` writes the canonical wording back.

Matching runs on a *folded* copy of the text: NFC, lower case, diacritics removed, "đ" -> "d",
every whitespace character -> " ".  Folding maps each character to exactly one character, so
offsets in the folded copy are offsets in the NFC text (``find_deadlines`` relies on this).
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

__all__ = [
    "DateContext",
    "DateError",
    "Deadline",
    "DeadlineKind",
    "PartialDate",
    "find_deadlines",
    "format_date",
    "format_date_long",
    "format_deadline",
    "parse_date",
    "parse_deadline",
    "parse_partial_date",
    "school_year_bounds",
]


class DateError(ValueError):
    """A date that does not exist or cannot be read; the message is in Vietnamese."""


@dataclass(frozen=True)
class DateContext:
    """What a plan tells us about years, used for days and months written without a year.

    With ``school_year`` (y1, y2): months 9-12 fall in y1, months 1-8 in y2.  Otherwise ``year``.
    With neither, a yearless day stays unparsed: the year is never guessed.
    """

    year: int | None = None
    school_year: tuple[int, int] | None = None
    month: tuple[int, int] | None = None  # (year, month) of a schedule group header: it resolves the days under it


class DeadlineKind(str, Enum):
    ON = "on"
    BEFORE = "before"
    BY = "by"
    MONTH = "month"
    MONTH_PART = "month_part"
    RANGE = "range"
    QUARTER = "quarter"
    SEMESTER = "semester"
    WEEK = "week"
    NONE = "none"
    UNPARSED = "unparsed"


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: DeadlineKind
    start: date | None
    end: date | None


@dataclass(frozen=True)
class PartialDate:
    year: int | None
    month: int | None
    day: int | None

    def __str__(self) -> str:
        parts = []
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.year is not None:
            parts.append(f"{self.year:04d}")
        return "/".join(parts)


# --- folding -------------------------------------------------------------------------------

class _FoldTable(dict):
    """str.translate table filled lazily: one character in, one character out."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char.isspace():
            folded = " "
        elif char in "đĐÐ":  # Ð (U+00D0) is often typed for Đ
            folded = "d"
        else:
            base = unicodedata.normalize("NFD", char)[0]
            lower = base.lower()
            folded = lower if len(lower) == 1 else base
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _nfc_with_offsets(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """NFC text plus, per NFC character, the start and end offset of its source in ``text``.

    Normalises cluster by cluster (a character and its combining marks) so every output
    character can be traced back; the lists are None when ``text`` is already NFC.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, None, None
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for char in unicodedata.normalize("NFC", text[i:j]):
            chars.append(char)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(chars), starts, ends


# --- grammar (on folded text) --------------------------------------------------------------

_Y = r"[0-9]{4}(?![0-9])"
# A yearless day/month must not be the head of a date with a (possibly two-digit) year.
_NO_YEAR = r"(?![0-9]|\s*/|\s+nam\b)"
_NUM_DAY = rf"(?<![0-9])[0-9]{{1,2}}\s*/\s*[0-9]{{1,2}}(?:\s*/\s*{_Y}|{_NO_YEAR})"
_ISO_DAY = r"(?<![0-9])[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9])"
_LONG_DAY = rf"ngay\s+[0-9]{{1,2}}\s+thang\s+[0-9]{{1,2}}(?:\s+nam\s+{_Y}|{_NO_YEAR})"
_DAY = rf"(?:(?:ngay\s+)?(?:{_NUM_DAY}|{_ISO_DAY})|{_LONG_DAY})"
_MON = rf"thang\s+[0-9]{{1,2}}(?:\s*/\s*{_Y}|\s+nam\s+{_Y}|{_NO_YEAR})"

_MON_SEP = r"(?:\s*[,\-–—]\s*|\s+(?:va|den)\s+)"
_RANGE_SEP = r"(?:\s+den(?:\s+het)?\s+|\s*[\-–—]\s*)"
_BY_LEAD = r"(?:(?:cham\s+nhat|han\s+(?:cuoi|chot))(?:\s+(?:la|vao))?|den\s+het)(?:\s*:\s*|\s+)"
_BY_TAIL = r"\s+la\s+(?:thoi\s+)?han\s+(?:cuoi|chot)\b"

_FLAGS = re.ASCII
_ON_RE = re.compile(rf"(?:vao\s+)?(?P<d>{_DAY})", _FLAGS)
_BEFORE_RE = re.compile(rf"truoc\s+(?P<d>{_DAY})", _FLAGS)
_BY_RE = re.compile(rf"{_BY_LEAD}(?P<d>{_DAY})", _FLAGS)
_BY_TAIL_RE = re.compile(rf"(?P<d>{_DAY}){_BY_TAIL}", _FLAGS)
_RANGE_RE = re.compile(rf"(?:tu\s+)?(?P<a>{_DAY}){_RANGE_SEP}(?P<b>{_DAY})", _FLAGS)
_MONTHS_RE = re.compile(rf"(?P<m>{_MON}(?:{_MON_SEP}{_MON})*)", _FLAGS)
_MONTHS_FROM_RE = re.compile(rf"tu\s+(?P<m>{_MON}{_MON_SEP}{_MON})", _FLAGS)
_MONTH_PART_RE = re.compile(rf"(?P<p>dau|giua|cuoi)\s+(?P<m>{_MON})", _FLAGS)
_QUARTER_RE = re.compile(rf"quy\s+(?P<q>iv|iii|ii|i|[1-4])(?:\s*/\s*|\s+nam\s+)(?P<y>{_Y})", _FLAGS)
_SEMESTER_RE = re.compile(
    rf"(?:hoc\s+k[yi]\s+|hk\s*)(?P<s>ii|i|[12])"
    rf"(?:\s+(?:nam\s+hoc\s+)?(?P<y1>[0-9]{{4}})\s*[\-–—/]\s*(?P<y2>{_Y}))?",
    _FLAGS,
)
_WEEK_RE = re.compile(rf"tuan\s+(?:thu\s+)?(?P<n>[1-5])\s+(?:cua\s+)?(?P<m>{_MON})", _FLAGS)

_DAY_RE = re.compile(_DAY, _FLAGS)
_NUM_PARTS_RE = re.compile(r"(?:ngay\s+)?([0-9]+)\s*/\s*([0-9]+)(?:\s*/\s*([0-9]+))?", _FLAGS)
_ISO_PARTS_RE = re.compile(r"(?:ngay\s+)?([0-9]+)-([0-9]+)-([0-9]+)", _FLAGS)
_LONG_PARTS_RE = re.compile(r"ngay\s+([0-9]+)\s+thang\s+([0-9]+)(?:\s+nam\s+([0-9]+))?", _FLAGS)
_MON_PARTS_RE = re.compile(r"thang\s+([0-9]+)(?:(?:\s*/\s*|\s+nam\s+)([0-9]{4}))?", _FLAGS)
_MONTH_YEAR_RE = re.compile(r"(?:thang\s+)?([0-9]{1,2})(?:\s*/\s*|\s+nam\s+)([0-9]{4})", _FLAGS)
_YEAR_RE = re.compile(r"(?:nam\s+)?([0-9]{4})", _FLAGS)

_PREFIX_RE = re.compile(r"^(?:thoi\s+)?han\s*:\s*", _FLAGS)
_SUFFIX_RE = re.compile(r"[\s.;,]+$", _FLAGS)

# Body-text deadlines worth cross-checking against the task table.  Plain dates are left out:
# bodies are full of document citations ("Kế hoạch số 295/KH-UBND ngày 28/12/2023").
_FIND_RE = re.compile(
    rf"\b(?:tu\s+{_DAY}{_RANGE_SEP}{_DAY}"
    rf"|tu\s+{_MON}{_MON_SEP}{_MON}"
    rf"|truoc\s+{_DAY}"
    rf"|{_BY_LEAD}{_DAY}"
    rf"|{_DAY}{_BY_TAIL})",
    _FLAGS,
)

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTH_PARTS = {"dau": (1, 10), "giua": (11, 20), "cuoi": (21, 31)}
_PART_NAMES = {1: "Đầu", 11: "Giữa", 21: "Cuối"}
# Semester convention (documented in content/huong-dan/han-chot.md).
_SEMESTER_I = ((9, 1), (1, 15))
_SEMESTER_II = ((1, 16), (5, 31))


# --- small date helpers --------------------------------------------------------------------

def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        raise DateError(f"ngày {day:02d}/{month:02d}/{year:04d} không tồn tại") from None


def _year_for(month: int, context: DateContext | None) -> int:
    if context is not None and context.month is not None:
        header_year, header_month = context.month
        # the year that puts the month nearest the header's: "2/9" under "Tháng 8/2019" is in 2019
        return min((header_year - 1, header_year, header_year + 1), key=lambda y: abs((y * 12 + month) - (header_year * 12 + header_month)))
    if context is not None and context.school_year is not None:
        first, second = context.school_year
        return first if month >= 9 else second
    if context is not None and context.year is not None:
        return context.year
    raise DateError(f"tháng {month:02d} không ghi năm và kế hoạch không cho biết năm")


def _whole_month(year: int, month: int) -> tuple[date, date]:
    if not 1 <= month <= 12:
        raise DateError(f"tháng {month} không tồn tại")
    return _make_date(year, month, 1), _make_date(year, month, _month_end(year, month))


def _day_parts(folded: str) -> tuple[str | None, str, str]:
    """(year or None, month, day) digit strings of a folded day expression."""
    if m := _NUM_PARTS_RE.fullmatch(folded):
        day, month, year = m.groups()
    elif m := _LONG_PARTS_RE.fullmatch(folded):
        day, month, year = m.groups()
    elif m := _ISO_PARTS_RE.fullmatch(folded):
        year, month, day = m.groups()
    else:
        raise DateError(f"không đọc được ngày “{folded}”")
    return year, month, day


def _read_day(folded: str, context: DateContext | None) -> date:
    year, month, day = _day_parts(folded)
    year_value = int(year) if year else _year_for(int(month), context)
    return _make_date(year_value, int(month), int(day))


def _read_month(folded: str, context: DateContext | None) -> tuple[int, int]:
    m = _MON_PARTS_RE.fullmatch(folded)
    if m is None:
        raise DateError(f"không đọc được tháng “{folded}”")
    month = int(m[1])
    return (int(m[2]) if m[2] else _year_for(month, context)), month


# --- rule builders: match -> (kind, start, end) ----------------------------------------------

_Window = tuple[DeadlineKind, "date | None", "date | None"]


def _build_on(m: re.Match, context: DateContext | None) -> _Window:
    day = _read_day(m["d"], context)
    return DeadlineKind.ON, day, day


def _build_before(m: re.Match, context: DateContext | None) -> _Window:
    return DeadlineKind.BEFORE, None, _read_day(m["d"], context) - timedelta(days=1)


def _build_by(m: re.Match, context: DateContext | None) -> _Window:
    return DeadlineKind.BY, None, _read_day(m["d"], context)


def _build_range(m: re.Match, context: DateContext | None) -> _Window:
    start, end = _read_day(m["a"], context), _read_day(m["b"], context)
    if start > end:
        raise DateError("khoảng thời gian kết thúc trước khi bắt đầu")
    return DeadlineKind.RANGE, start, end


def _build_months(m: re.Match, context: DateContext | None) -> _Window:
    items = [_read_month(item[0], context) for item in _MON_PARTS_RE.finditer(m["m"])]
    start = _whole_month(*items[0])[0]
    end = _whole_month(*items[-1])[1]
    if start > end:
        raise DateError("các tháng không theo thứ tự")
    return DeadlineKind.MONTH, start, end


def _build_month_part(m: re.Match, context: DateContext | None) -> _Window:
    year, month = _read_month(m["m"], context)
    first_day, last_day = _MONTH_PARTS[m["p"]]
    first, last = _whole_month(year, month)
    return DeadlineKind.MONTH_PART, first.replace(day=first_day), last.replace(day=min(last_day, last.day))


def _build_quarter(m: re.Match, context: DateContext | None) -> _Window:
    quarter, year = _QUARTERS[m["q"]], int(m["y"])
    start = _whole_month(year, 3 * quarter - 2)[0]
    end = _whole_month(year, 3 * quarter)[1]
    return DeadlineKind.QUARTER, start, end


def _semester_bounds(number: int, first_year: int) -> tuple[date, date]:
    (m1, d1), (m2, d2) = _SEMESTER_I if number == 1 else _SEMESTER_II
    start_year = first_year if number == 1 else first_year + 1
    return _make_date(start_year, m1, d1), _make_date(first_year + 1, m2, d2)


def _build_semester(m: re.Match, context: DateContext | None) -> _Window:
    number = 1 if m["s"] in ("i", "1") else 2
    if m["y1"] is not None:
        first_year = int(m["y1"])
        if int(m["y2"]) != first_year + 1:
            raise DateError(f"năm học {m['y1']}-{m['y2']} không hợp lệ")
    elif context is not None and context.school_year is not None:
        first_year = context.school_year[0]
    else:
        raise DateError("học kỳ không ghi năm học")
    return (DeadlineKind.SEMESTER, *_semester_bounds(number, first_year))


def _build_week(m: re.Match, context: DateContext | None) -> _Window:
    number = int(m["n"])
    year, month = _read_month(m["m"], context)
    first, last = _whole_month(year, month)
    start_day = 7 * (number - 1) + 1
    if start_day > last.day:
        raise DateError(f"tháng {month:02d}/{year:04d} không có tuần {number}")
    return DeadlineKind.WEEK, first.replace(day=start_day), last.replace(day=min(7 * number, last.day))


_RULES = (
    (_ON_RE, _build_on),
    (_BEFORE_RE, _build_before),
    (_BY_RE, _build_by),
    (_BY_TAIL_RE, _build_by),
    (_RANGE_RE, _build_range),
    (_MONTHS_RE, _build_months),
    (_MONTHS_FROM_RE, _build_months),
    (_MONTH_PART_RE, _build_month_part),
    (_QUARTER_RE, _build_quarter),
    (_SEMESTER_RE, _build_semester),
    (_WEEK_RE, _build_week),
)


# --- public API ----------------------------------------------------------------------------

def school_year_bounds(y1: int) -> tuple[date, date]:
    """First and last day of school year y1-(y1+1): 01/09/y1 .. 31/08/(y1+1)."""
    return date(y1, 9, 1), date(y1 + 1, 8, 31)


def format_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_date_long(d: date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year:04d}"


def _clean_key(text: str) -> str:
    key = _SUFFIX_RE.sub("", _fold(text))
    return _PREFIX_RE.sub("", key)


def parse_date(text: str) -> date:
    """One full date ("02/01/2024", "2024-01-02", "ngày 02 tháng 01 năm 2024"); raises DateError."""
    if not isinstance(text, str):
        raise DateError(f"không đọc được ngày: {text!r}")
    shown = unicodedata.normalize("NFC", text).strip()
    key = _clean_key(shown)
    if not _DAY_RE.fullmatch(key):
        raise DateError(f"không đọc được ngày “{shown}”")
    year, month, day = _day_parts(key)
    if year is None:
        raise DateError(f"không đọc được ngày “{shown}”: thiếu năm")
    try:
        return _make_date(int(year), int(month), int(day))
    except DateError:
        lead = "" if key.startswith("ngay") else "ngày "
        raise DateError(f"{lead}{shown} không tồn tại") from None


def parse_partial_date(text: str) -> PartialDate:
    """A possibly incomplete date: "20/11/1982", "22/12", "10/1954", "1831"; raises DateError."""
    if not isinstance(text, str):
        raise DateError(f"không đọc được ngày: {text!r}")
    shown = unicodedata.normalize("NFC", text).strip()
    key = _clean_key(shown)
    try:
        if _DAY_RE.fullmatch(key):
            year, month, day = _day_parts(key)
            if year is not None:
                d = _make_date(int(year), int(month), int(day))
                return PartialDate(d.year, d.month, d.day)
            d = _make_date(2000, int(month), int(day))  # a leap year, so 29/02 is accepted
            return PartialDate(None, d.month, d.day)
        if m := _MONTH_YEAR_RE.fullmatch(key):
            d = _make_date(int(m[2]), int(m[1]), 1)
            return PartialDate(d.year, d.month, None)
        if m := _YEAR_RE.fullmatch(key):
            return PartialDate(_make_date(int(m[1]), 1, 1).year, None, None)
    except DateError:
        raise DateError(f"“{shown}” không phải là ngày tháng có thật") from None
    raise DateError(f"không đọc được ngày tháng “{shown}”")


def parse_deadline(text: str | None, context: DateContext | None = None) -> Deadline:
    """Read a deadline; never raises.  Anything not understood comes back as UNPARSED."""
    if text is None:
        return Deadline("", DeadlineKind.NONE, None, None)
    if not isinstance(text, str):
        return Deadline(str(text), DeadlineKind.UNPARSED, None, None)
    shown = unicodedata.normalize("NFC", text).strip()
    if not shown:
        return Deadline("", DeadlineKind.NONE, None, None)
    key = _clean_key(shown)
    for regex, build in _RULES:
        m = regex.fullmatch(key)
        if m is None:
            continue
        try:
            kind, start, end = build(m, context)
        except (DateError, ValueError, OverflowError):
            break
        return Deadline(shown, kind, start, end)
    return Deadline(shown, DeadlineKind.UNPARSED, None, None)


def _format_month(d: date) -> str:
    return f"{d.month:02d}/{d.year:04d}"


def format_deadline(d: Deadline) -> str:
    """Canonical Vietnamese wording; parse_deadline reads it back to the same window."""
    try:
        kind = DeadlineKind(d.kind)  # also accepts the plain value, e.g. "before"
    except ValueError:
        return d.text
    start, end = d.start, d.end
    if kind is DeadlineKind.NONE:
        return ""
    if kind is DeadlineKind.UNPARSED or end is None:
        return d.text
    if kind is DeadlineKind.BEFORE:
        return f"Trước ngày {format_date(end + timedelta(days=1))}"
    if kind is DeadlineKind.BY:
        return f"Chậm nhất ngày {format_date(end)}"
    if start is None:
        return d.text
    if kind is DeadlineKind.ON:
        return f"Ngày {format_date(end)}"
    if kind is DeadlineKind.RANGE:
        return f"Từ {format_date(start)} đến {format_date(end)}"
    if kind is DeadlineKind.MONTH:
        if (start.year, start.month) == (end.year, end.month):
            return f"Tháng {_format_month(start)}"
        return f"Từ tháng {_format_month(start)} đến tháng {_format_month(end)}"
    if kind is DeadlineKind.MONTH_PART:
        return f"{_PART_NAMES.get(start.day, 'Cuối')} tháng {_format_month(start)}"
    if kind is DeadlineKind.QUARTER:
        return f"Quý {_ROMAN[(start.month + 2) // 3]}/{start.year:04d}"
    if kind is DeadlineKind.SEMESTER:
        number, first_year = (1, start.year) if start.month >= 9 else (2, start.year - 1)
        return f"Học kỳ {_ROMAN[number]} năm học {first_year:04d}-{first_year + 1:04d}"
    if kind is DeadlineKind.WEEK:
        return f"Tuần {(start.day - 1) // 7 + 1} tháng {_format_month(start)}"
    return d.text


def find_deadlines(text: str, context: DateContext | None = None) -> list[tuple[int, int, Deadline]]:
    """Deadlines inside running text as (start, end, Deadline), offsets into ``text``.

    Finds "trước ngày X", "chậm nhất (là/vào) ngày X", "hạn cuối/hạn chót X", "đến hết ngày X",
    "ngày X là (thời) hạn cuối", "từ X đến Y" (days or months).  Only deadlines that resolve to
    dates are returned: ``parse_deadline(text[start:end], context)`` equals the Deadline.
    """
    if not isinstance(text, str) or not text:
        return []
    nfc, starts, ends = _nfc_with_offsets(text)
    found = []
    for m in _FIND_RE.finditer(_fold(nfc)):
        a, b = m.start(), m.end()
        if starts is not None and ends is not None:
            a, b = starts[a], ends[b - 1]
        deadline = parse_deadline(text[a:b], context)
        if deadline.kind not in (DeadlineKind.UNPARSED, DeadlineKind.NONE):
            found.append((a, b, deadline))
    return found
