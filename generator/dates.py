"""Dates and deadlines as written in Vietnamese education-sector plans.

``parse_deadline`` turns the wording of a deadline ("Trước ngày 25/01/2023", "Sáng thứ Sáu,
12/4/2024, 7h30 – 9h30", "từ ngày 8-12/4/2024", "Học kỳ II", "trước ngày 30/10 hằng năm", ...)
into a :class:`Deadline`: its kind, an inclusive window ``start .. end`` and what else the text
prints (several days, times, part of day, weekday, recurrence).  ``calendar_days`` says which days
an event covers (the rule of content/huong-dan/han-chot.md), ``format_deadline`` writes the
canonical wording back and ``find_deadlines`` finds deadlines inside running text.

Nothing is guessed: a day whose year depends on a convention (a month outside the school year's
teaching months, say) has no dates but ``candidates`` and a ``warning`` naming them; semesters and
school weeks take their days from the school-year calendar of the context, or stay undated.
The grammar (tokens, expressions) lives in :mod:`generator.dategrammar`.
"""
from __future__ import annotations

import calendar as _calendar
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import Enum

from generator import dategrammar as g

__all__ = [
    "DateContext",
    "DateError",
    "Deadline",
    "DeadlineKind",
    "PartOfDay",
    "PartialDate",
    "Recurrence",
    "SchoolTerms",
    "calendar_days",
    "calendar_span",
    "find_deadlines",
    "format_date",
    "format_date_long",
    "format_deadline",
    "header_month",
    "parse_date",
    "parse_deadline",
    "parse_partial_date",
    "school_year_bounds",
]


class DateError(ValueError):
    """A date that does not exist or cannot be read; the message is in Vietnamese."""


class DeadlineKind(str, Enum):
    ON = "on"
    BEFORE = "before"
    BY = "by"
    DAYS = "days"  # several separate days: "03, 04, 05/5/2023"
    MONTH = "month"
    MONTH_PART = "month_part"
    RANGE = "range"
    QUARTER = "quarter"
    SEMESTER = "semester"
    WEEK = "week"  # a week of a month: "tuần 2 tháng 3"
    SCHOOL_WEEK = "school_week"  # a week of the school year: "Tuần 5"
    SCHOOL_YEAR = "school_year"
    YEAR = "year"
    TIME = "time"  # a time of day and no date: "7h30 – 9h30"
    NONE = "none"
    UNPARSED = "unparsed"


class PartOfDay(str, Enum):
    MORNING = "sáng"
    NOON = "trưa"
    AFTERNOON = "chiều"
    EVENING = "tối"

    @property
    def label(self) -> str:
        return self.value


class Recurrence(str, Enum):
    YEARLY = "yearly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"

    @property
    def label(self) -> str:
        return {"yearly": "hằng năm", "monthly": "hằng tháng", "weekly": "hằng tuần"}[self.value]


@dataclass(frozen=True)
class SchoolTerms:
    """The dates of one school-year calendar that deadlines need (see model.SchoolCalendar)."""

    school_year: tuple[int, int]
    source: str  # how a warning names it: "Quyết định 2045/QĐ-BGDĐT của Bộ GDĐT"
    semester_1: tuple[date | None, date | None] = (None, None)
    semester_2: tuple[date | None, date | None] = (None, None)
    end: date | None = None  # kết thúc năm học
    week_1: date | None = None  # Monday of school week 1, when the calendar says so

    def semester(self, number: int) -> tuple[date | None, date | None]:
        return self.semester_1 if number == 1 else self.semester_2

    @property
    def first_week(self) -> date | None:
        """Monday of school week 1: printed, else the Monday of the week semester I starts."""
        if self.week_1 is not None:
            return self.week_1
        start = self.semester_1[0]
        return start - timedelta(days=start.weekday()) if start is not None else None

    def teaching(self, year: int, month: int) -> bool:
        """(year, month) falls in this school year's teaching time (September to its end)."""
        first = (self.school_year[0], 9)
        last = (self.end.year, self.end.month) if self.end else (self.school_year[1], 5)
        return first <= (year, month) <= last


@dataclass(frozen=True)
class DateContext:
    """What a plan tells us about years, used for days and months written without a year.

    ``school_year`` (y1, y2): September to May fall in y1 / y2; June to August are doubtful.
    ``year``: a calendar-year plan.  ``month`` (year, month): the group header a row sits under
    ("8/2019"), whose nearest year wins.  ``calendar``: the school-year calendar for semesters and
    school weeks.  ``issued``: a deadline before it is a warning.  ``period``: where recurring
    deadlines take their first occurrence.  With none of these a yearless day stays unread.
    """

    year: int | None = None
    school_year: tuple[int, int] | None = None
    month: tuple[int, int] | None = None
    calendar: SchoolTerms | None = None
    issued: date | None = None
    period: tuple[date, date] | None = None


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: DeadlineKind
    start: date | None
    end: date | None
    days: tuple[date, ...] = ()
    start_time: time | None = None
    end_time: time | None = None
    part_of_day: PartOfDay | None = None
    weekday: int | None = None  # 0 = Monday, as printed
    recurrence: Recurrence | None = None
    warning: str | None = None
    candidates: tuple[date, ...] = ()  # due days when the year is doubtful (then no start/end)


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


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_MONTH_PARTS = {"dau": (1, 10), "giua": (11, 20), "cuoi": (21, 31)}
_PART_NAMES = {1: "Đầu", 11: "Giữa", 21: "Cuối"}
_WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_LEVEL = {  # how specific a reading is: the most specific one of a text is its deadline
    DeadlineKind.ON: 0, DeadlineKind.DAYS: 0, DeadlineKind.RANGE: 0, DeadlineKind.BEFORE: 0, DeadlineKind.BY: 0,
    DeadlineKind.WEEK: 1, DeadlineKind.SCHOOL_WEEK: 1,
    DeadlineKind.MONTH: 2, DeadlineKind.MONTH_PART: 2,
    DeadlineKind.QUARTER: 3, DeadlineKind.SEMESTER: 3,
    DeadlineKind.SCHOOL_YEAR: 4, DeadlineKind.YEAR: 4,
}


# --- small date helpers --------------------------------------------------------------------

def _month_end(year: int, month: int) -> int:
    return _calendar.monthrange(year, month)[1]


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        raise DateError(f"ngày {day:02d}/{month:02d}/{year:04d} không tồn tại") from None


def _whole_month(year: int, month: int) -> tuple[date, date]:
    if not 1 <= month <= 12:
        raise DateError(f"tháng {month} không tồn tại")
    return _make_date(year, month, 1), _make_date(year, month, _month_end(year, month))


def school_year_bounds(y1: int) -> tuple[date, date]:
    """First and last day of school year y1-(y1+1): 01/09/y1 .. 31/08/(y1+1)."""
    return date(y1, 9, 1), date(y1 + 1, 8, 31)


def format_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_date_long(d: date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year:04d}"


def _format_time(t: time) -> str:
    text = f"{t.hour:02d}h{t.minute:02d}"
    return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}" if t.second else text


# --- which year -----------------------------------------------------------------------------

class _Years:
    """The year(s) a yearless month can be in, by the context; [] when the context says nothing."""

    def __init__(self, context: DateContext) -> None:
        self.c = context

    def base(self) -> int | None:
        """The plan's own year, for "năm sau"."""
        c = self.c
        if c.year is not None:
            return c.year
        if c.school_year is not None:
            return c.school_year[0]
        return c.month[0] if c.month is not None else None

    def of_two_digits(self, yy: int) -> int | None:
        """The year a two-digit year ("15/8/16") stands for: the one of the plan's years (or the year
        just before or after them) that ends in those digits; None when none does."""
        c = self.c
        years = [*(c.school_year or ()), *([c.year] if c.year is not None else []), *([c.month[0]] if c.month else [])]
        near = {y + delta for y in years for delta in (-1, 0, 1)}
        found = sorted({y for y in near if y % 100 == yy})
        return found[0] if len(found) == 1 else None

    def of_school_year(self, month: int) -> list[int]:
        c = self.c
        y1, y2 = c.school_year  # type: ignore[misc]
        terms = c.calendar if c.calendar is not None and c.calendar.school_year == (y1, y2) else None
        if terms is not None:
            found = [y for y in (y1, y2) if terms.teaching(y, month)]
        else:
            found = [y1] if month >= 9 else [y2] if month <= 5 else []
        return found if len(found) == 1 else [y1, y2]

    def for_month(self, month: int) -> list[int]:
        c = self.c
        if c.month is not None:
            hy, hm = c.month
            distance = {y: abs((12 * y + month) - (12 * hy + hm)) for y in (hy - 1, hy, hy + 1)}
            best = min(distance.values())
            near = [y for y in (hy - 1, hy, hy + 1) if distance[y] == best]
            if len(near) > 1 and c.school_year is not None:
                near = [y for y in near if y in self.of_school_year(month)] or near
            return near
        if c.school_year is not None:
            reading = self.of_school_year(month)
            if c.year is None:
                return reading
            if c.year in reading:
                return [c.year]
            return sorted(set(reading) | {c.year})
        return [c.year] if c.year is not None else []

    def period(self) -> tuple[date, date] | None:
        c = self.c
        if c.period is not None:
            return c.period
        if c.year is not None:
            return date(c.year, 1, 1), date(c.year, 12, 31)
        if c.school_year is not None:
            return school_year_bounds(c.school_year[0])
        return None


# --- readings --------------------------------------------------------------------------------

@dataclass
class _Option:
    """One way to read an expression: its window (and separate days)."""

    start: date | None
    end: date | None
    days: tuple[date, ...] = ()


@dataclass
class _Reading:
    kind: DeadlineKind
    options: list[_Option]  # one when certain; two when the year is doubtful
    lead: str | None = None
    weekdays: list[int] = field(default_factory=list)
    note: str | None = None  # why it has no dates

    @property
    def level(self) -> int:
        return _LEVEL.get(self.kind, 5)


class _Unreadable(Exception):
    """The text is not read; the message (Vietnamese) says why, or is empty."""


class _Reader:
    def __init__(self, text: str, scan: g.Scan, context: DateContext) -> None:
        self.text = text
        self.scan = scan
        self.c = context
        self.years = _Years(context)
        found = _one(scan.recurrence)
        self.recurrence = Recurrence(found) if found else None
        self.warnings: list[str] = []

    # ---- days with a year ----------------------------------------------------------------

    def day_options(self, d: g.Day, next_year: bool = False) -> list[date] | None:
        """The dates a printed day can be; None when nothing says its year."""
        assert d.month is not None
        if d.year is not None:
            return [_make_date(d.year, d.month, d.day)]
        if d.short_year is not None:
            year = self.years.of_two_digits(d.short_year)
            if year is None:
                raise _Unreadable(
                    f"năm “{d.short_year:02d}” viết tắt không khớp với năm của kế hoạch: hãy viết đủ 4 chữ số")
            return [_make_date(year, d.month, d.day)]
        if next_year:
            base = self.years.base()
            return [_make_date(base + 1, d.month, d.day)] if base is not None else None
        if self.recurrence is Recurrence.YEARLY:
            first = self.first_yearly(d.month, d.day)
            return [first] if first is not None else None
        years = self.years.for_month(d.month)
        if not years:
            return None
        found = []
        for y in years:
            try:
                found.append(_make_date(y, d.month, d.day))
            except DateError:
                continue
        if not found:
            raise DateError(f"ngày {d.day:02d}/{d.month:02d} không tồn tại")
        return found

    def first_yearly(self, month: int, day: int) -> date | None:
        """First occurrence of a yearly day inside the context's period (not before the issue date)."""
        period = self.years.period()
        if period is None:
            return None
        lo, hi = period
        if self.c.issued is not None and lo < self.c.issued <= hi:
            lo = self.c.issued
        for y in range(lo.year, hi.year + 2):
            try:
                d = date(y, month, day)
            except ValueError:
                continue
            if d >= lo:
                return d
        return None

    def month_options(self, m: g.Month, next_year: bool = False) -> list[int] | None:
        if m.year is not None:
            return [m.year]
        if next_year:
            base = self.years.base()
            return [base + 1] if base is not None else None
        if self.recurrence is Recurrence.YEARLY:
            first = self.first_yearly(m.month, 1)
            return [first.year] if first is not None else None
        return self.years.for_month(m.month) or None

    # ---- one expression -> a reading ----------------------------------------------------

    def read(self, x: g.Expr) -> _Reading | None:
        if type(x) is g.Expr:  # a weekday alone ("thứ Hai hằng tuần")
            return self.read_weekly(x, None) if x.weekdays and self.recurrence is Recurrence.WEEKLY else None
        return getattr(self, _READERS[type(x)])(x)

    def read_range(self, x: g.RangeX) -> _Reading:
        return self.read_pair(g.DaysX(days=[x.first]), g.DaysX(days=[x.last]), "to", x)

    def read_year(self, x: g.YearX) -> _Reading:
        return _Reading(DeadlineKind.YEAR, [_Option(date(x.year, 1, 1), date(x.year, 12, 31))], x.lead)

    def read_days(self, x: g.DaysX) -> _Reading:
        last = x.days[-1]
        anchor = self.day_options(last, x.next_year)
        if anchor is None:
            raise _Unreadable(_yearless(last.day, last.month))
        options = []
        for end in anchor:
            days = []
            for item in x.days:
                if item.year is not None or item is last:
                    days.append(_make_date(item.year if item.year is not None else end.year, item.month, item.day))
                else:
                    year = end.year if (item.month, item.day) <= (last.month, last.day) else end.year - 1
                    days.append(_make_date(year, item.month, item.day))
            days = sorted(set(days))
            options.append(_Option(days[0], days[-1], tuple(days)))
        kind = DeadlineKind.DAYS if len(options[0].days) > 1 else DeadlineKind.ON
        return _Reading(kind, options, x.lead, list(x.weekdays))

    def read_pair(self, first: g.Expr, last: g.Expr, last_lead: str | None, whole: g.Expr) -> _Reading:
        """ "từ X đến Y", "X - Y", "bắt đầu X, kết thúc trước Y": start of X .. end of Y."""
        a = self.read_side(first)
        b = self.read_side(last)
        if a is None and b is None:
            raise _Unreadable(_yearless(*_first_day(first)) if isinstance(first, g.DaysX) else "")
        a_opts = a.options if a is not None else self.derive(first, b.options, before=True)  # type: ignore[union-attr]
        b_opts = b.options if b is not None else self.derive(last, a.options, before=False)  # type: ignore[union-attr]
        if len(a_opts) != len(b_opts):
            if len(a_opts) == 1:
                b_opts = [min(b_opts, key=lambda o: abs(((o.end or a_opts[0].start) - a_opts[0].start).days))]
            else:
                a_opts = [min(a_opts, key=lambda o: abs((b_opts[0].end - (o.start or b_opts[0].end)).days))]
        options = []
        note = (a.note if a else None) or (b.note if b else None)
        for oa, ob in zip(a_opts, b_opts):
            end = ob.start - timedelta(days=1) if last_lead == "before" and ob.start else ob.end
            if oa.start is None or end is None:
                options.append(_Option(None, None))
                continue
            if oa.start > end:
                raise _Unreadable("khoảng thời gian kết thúc trước khi bắt đầu")
            options.append(_Option(oa.start, end))
        weekdays = list(whole.weekdays) + list(first.weekdays)
        reading = _Reading(DeadlineKind.RANGE, options, whole.lead, weekdays, note)
        if isinstance(whole, g.RangeX) and whole.last_weekday is not None:
            self.check_weekday(reading, [whole.last_weekday], lambda o: o.end)
        return reading

    def read_side(self, x: g.Expr) -> _Reading | None:
        if isinstance(x, g.DaysX):
            anchor = self.day_options(x.days[-1], x.next_year)
            if anchor is None:
                return None
        reading = self.read(x)
        if reading is not None and reading.kind is DeadlineKind.DAYS:
            reading.kind = DeadlineKind.ON
        return reading

    def derive(self, x: g.Expr, other: list[_Option] | None, before: bool) -> list[_Option]:
        """A yearless end of a range takes its year from the other end: the nearest one that keeps
        the range in order ("từ ngày 30/8 đến 05/9/2019", "từ 28/12 đến 3/1/2025")."""
        if not isinstance(x, g.DaysX):
            raise _Unreadable("")
        d = x.days[-1] if not before else x.days[0]
        found = []
        for o in other:
            ref = o.start if before else (o.end or o.start)
            if ref is None:
                found.append(_Option(None, None))
                continue
            for y in ((ref.year, ref.year - 1) if before else (ref.year, ref.year + 1)):
                try:
                    day = date(y, d.month, d.day)
                except ValueError:
                    continue
                if (day <= ref) if before else (day >= ref):
                    found.append(_Option(day, day))
                    break
            else:
                raise _Unreadable(_yearless(d.day, d.month))
        return found

    def read_months(self, x: g.MonthsX) -> _Reading:
        first, last = x.months[0], x.months[-1]
        years = self.month_options(last, x.next_year)
        if years is None:
            raise _Unreadable(_yearless_month(last.month))
        options = []
        for y in years:
            y0 = first.year if first.year is not None else (y if first.month <= last.month else y - 1)
            start = _whole_month(y0, first.month)[0]
            end = _whole_month(y, last.month)[1]
            if start > end:
                raise _Unreadable("các tháng không theo thứ tự")
            options.append(_Option(start, end))
        return _Reading(DeadlineKind.MONTH, options, x.lead, list(x.weekdays))

    def read_month_part(self, x: g.MonthPartX) -> _Reading:
        years = self.month_options(x.month, x.next_year)
        if years is None:
            raise _Unreadable(_yearless_month(x.month.month))
        lo, hi = _MONTH_PARTS[x.part]
        options = []
        for y in years:
            first, last = _whole_month(y, x.month.month)
            options.append(_Option(first.replace(day=lo), last.replace(day=min(hi, last.day))))
        return _Reading(DeadlineKind.MONTH_PART, options, x.lead)

    def read_week_of_month(self, x: g.WeekOfMonthX) -> _Reading:
        years = self.month_options(x.month, x.next_year)
        if years is None:
            raise _Unreadable(_yearless_month(x.month.month))
        options = []
        for y in years:
            first, last = _whole_month(y, x.month.month)
            if x.week == 0:
                options.append(_Option(last - timedelta(days=6), last))
                continue
            start_day = 7 * (x.week - 1) + 1
            if start_day > last.day:
                raise _Unreadable(f"tháng {x.month.month:02d}/{y:04d} không có tuần {x.week}")
            options.append(_Option(first.replace(day=start_day), last.replace(day=min(7 * x.week, last.day))))
        return _Reading(DeadlineKind.WEEK, options, x.lead)

    def read_quarter(self, x: g.QuarterX) -> _Reading:
        first_month = 3 * x.quarter - 2
        years = [x.year] if x.year is not None else self.month_options(g.Month(first_month, None))
        if years is None:
            raise _Unreadable(f"quý {_ROMAN[x.quarter]} không ghi năm và kế hoạch không cho biết năm")
        options = [_Option(_whole_month(y, first_month)[0], _whole_month(y, 3 * x.quarter)[1]) for y in years]
        return _Reading(DeadlineKind.QUARTER, options, x.lead)

    def terms_for(self, school_year: tuple[int, int] | None, what: str) -> tuple[SchoolTerms | None, str | None]:
        sy = school_year or self.c.school_year
        if sy is None:
            return None, f"{what} không ghi năm học và kế hoạch không cho biết năm học: chưa đưa lên lịch"
        terms = self.c.calendar
        if terms is None or terms.school_year != sy:
            return None, (
                f"{what} năm học {sy[0]}-{sy[1]}: chưa có khung kế hoạch thời gian năm học này trong danh mục "
                "(plans/_registry/calendars.yaml) nên chưa biết ngày, chưa đưa lên lịch; hãy ghi ngày cụ thể "
                "hoặc bổ sung khung kế hoạch"
            )
        return terms, None

    def read_semester(self, x: g.SemesterX) -> _Reading:
        what = f"Học kỳ {_ROMAN[x.number]}"
        terms, note = self.terms_for(x.school_year, what)
        if terms is not None:
            start, end = terms.semester(x.number)
            if end is None:
                note = f"{what}: {terms.source} không ghi ngày kết thúc học kỳ nên chưa đưa lên lịch"
            else:
                return _Reading(DeadlineKind.SEMESTER, [_Option(start, end)], x.lead)
        return _Reading(DeadlineKind.SEMESTER, [_Option(None, None)], x.lead, note=note)

    def read_school_week(self, x: g.SchoolWeekX) -> _Reading:
        what = f"Tuần {x.first}" if x.first == x.last else f"Tuần {x.first}–{x.last}"
        terms, note = self.terms_for(x.school_year, what)
        if terms is not None:
            monday = terms.first_week
            if monday is None:
                note = f"{what}: {terms.source} không ghi ngày bắt đầu học kỳ I nên chưa biết tuần 1, chưa đưa lên lịch"
            else:
                start = monday + timedelta(weeks=x.first - 1)
                end = monday + timedelta(weeks=x.last - 1, days=6)
                return _Reading(DeadlineKind.SCHOOL_WEEK, [_Option(start, end)], x.lead)
        return _Reading(DeadlineKind.SCHOOL_WEEK, [_Option(None, None)], x.lead, note=note)

    def read_school_year(self, x: g.SchoolYearX) -> _Reading:
        sy = x.school_year or self.c.school_year
        if sy is None:
            raise _Unreadable("không rõ năm học nào")
        return _Reading(DeadlineKind.SCHOOL_YEAR, [_Option(*school_year_bounds(sy[0]))], x.lead)

    def read_school_year_end(self, x: g.SchoolYearEndX) -> _Reading:
        terms, note = self.terms_for(None, "Kết thúc năm học")
        if terms is not None and terms.end is not None:
            return _Reading(DeadlineKind.BY, [_Option(None, terms.end)], x.lead)
        return _Reading(DeadlineKind.BY, [_Option(None, None)], x.lead, note=note)

    def read_month_day(self, x: g.MonthDayX) -> _Reading | None:
        if self.recurrence is not Recurrence.MONTHLY:
            return None
        period = self.years.period()
        if period is None:
            raise _Unreadable("không rõ bắt đầu từ tháng nào")
        lo = max(period[0], self.c.issued) if self.c.issued and period[0] < self.c.issued <= period[1] else period[0]
        y, m = lo.year, lo.month
        for _ in range(24):
            if x.day <= _month_end(y, m) and date(y, m, x.day) >= lo:
                day = date(y, m, x.day)
                return _Reading(DeadlineKind.ON, [_Option(day, day)], x.lead)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        raise _Unreadable("")

    def read_weekly(self, x: g.Expr, anchor: date | None) -> _Reading:
        period = self.years.period()
        lo = anchor or (period[0] if period else None)
        if lo is None:
            raise _Unreadable("không rõ bắt đầu từ ngày nào")
        day = lo + timedelta(days=(x.weekdays[0] - lo.weekday()) % 7)
        return _Reading(DeadlineKind.ON, [_Option(day, day)], x.lead, [x.weekdays[0]])

    # ---- checks -------------------------------------------------------------------------

    def check_weekday(self, reading: _Reading, printed: list[int], pick) -> None:
        """Keep the options whose day falls on the printed weekday; warn when none does."""
        if not printed or not reading.options:
            return
        matching = [o for o in reading.options if pick(o) is not None and pick(o).weekday() == printed[0]]
        if len(reading.options) > 1 and len(matching) == 1:
            reading.options = matching
            return
        day = pick(reading.options[0])
        if len(reading.options) == 1 and day is not None and day.weekday() != printed[0]:
            self.warnings.append(
                f"ngày {format_date(day)} là {_WEEKDAY_NAMES[day.weekday()]}, không phải {_WEEKDAY_NAMES[printed[0]]} "
                "như văn bản ghi: hãy kiểm tra lại ngày hoặc thứ"
            )


_READERS = {
    g.DaysX: "read_days", g.RangeX: "read_range", g.MonthsX: "read_months", g.MonthPartX: "read_month_part",
    g.WeekOfMonthX: "read_week_of_month", g.QuarterX: "read_quarter", g.SemesterX: "read_semester",
    g.SchoolWeekX: "read_school_week", g.SchoolYearX: "read_school_year", g.SchoolYearEndX: "read_school_year_end",
    g.YearX: "read_year", g.MonthDayX: "read_month_day",
}


def _one(items: list) -> object | None:
    """The single distinct value of a list, or None."""
    values = list(dict.fromkeys(items))
    return values[0] if len(values) == 1 else None


def _first_day(x: g.DaysX) -> tuple[int, int | None]:
    return x.days[0].day, x.days[0].month


def _yearless(day: int, month: int | None) -> str:
    return f"ngày {day:02d}/{month or 0:02d} không ghi năm và kế hoạch không cho biết năm"


def _yearless_month(month: int) -> str:
    return f"tháng {month:02d} không ghi năm và kế hoạch không cho biết năm"


# --- the reading of a whole text ---------------------------------------------------------------

def parse_deadline(text: str | None, context: DateContext | None = None) -> Deadline:
    """Read a deadline; never raises.  Anything not understood comes back as UNPARSED."""
    if text is None:
        return Deadline("", DeadlineKind.NONE, None, None)
    if not isinstance(text, str):
        return Deadline(str(text), DeadlineKind.UNPARSED, None, None)
    shown = unicodedata.normalize("NFC", text).strip()
    if not shown:
        return Deadline("", DeadlineKind.NONE, None, None)
    context = context if isinstance(context, DateContext) else DateContext()
    try:
        return _read(shown, g.scan(g.tokenize(g.fold(shown))), context)
    except _Unreadable as err:
        return Deadline(shown, DeadlineKind.UNPARSED, None, None, warning=str(err) or None)
    except (DateError, OverflowError) as err:
        return Deadline(shown, DeadlineKind.UNPARSED, None, None, warning=str(err) if isinstance(err, DateError) else None)


def _read(shown: str, scan: g.Scan, context: DateContext) -> Deadline:
    if scan.errors:
        raise _Unreadable(scan.errors[0])
    reader = _Reader(shown, scan, context)
    exprs = [x for x in scan.exprs if x.lead != "label"]
    if scan.labels and not exprs:
        raise _Unreadable(f"“{shown}” ghi {scan.labels[0]}, không phải thời hạn: không đưa lên lịch")
    if any(x.lead == "block" for x in exprs):
        raise _Unreadable("")
    readings = _pair_and_read(reader, exprs)
    if not readings:
        if scan.times and not exprs:
            return _time_only(shown, scan)
        raise _Unreadable("")
    chosen = _choose(readings)
    return _finish(shown, reader, chosen)


def _pair_and_read(reader: _Reader, exprs: list[g.Expr]) -> list[_Reading]:
    """Join "từ X … đến/trước Y" into one range; read every other expression alone."""
    readings: list[_Reading] = []
    anchor_from: date | None = None
    used: set[int] = set()
    for k, x in enumerate(exprs):
        if k in used:
            continue
        if x.lead == "from" and not _closed(x):
            partner = next(
                (m for m in range(k + 1, len(exprs)) if exprs[m].lead in ("to", "to_end", "before", "by", "from")), None
            )
            if partner is not None and exprs[partner].lead != "from":
                used.add(partner)
                readings.append(reader.read_pair(x, exprs[partner], exprs[partner].lead, x))
                continue
            if partner is None and isinstance(x, (g.DaysX, g.MonthsX)):
                if reader.recurrence is not None and isinstance(x, g.DaysX):
                    anchor_from = reader.read_days(x).options[0].start
                    continue
                raise _Unreadable(f"“{reader.text}” chỉ ghi ngày bắt đầu, không có ngày kết thúc: không đưa lên lịch")
            x.lead = None  # "bắt đầu học kỳ I từ ngày …": the verb's object, not the start of a range
        if type(x) is g.Expr:
            continue  # a weekday alone: read below, once the anchor is known
        reading = reader.read(x)
        if reading is not None:
            if reading.lead in ("to", "to_end"):
                reading.lead = "by"
            readings.append(reading)
    weekly = [x for x in exprs if type(x) is g.Expr and x.weekdays]
    if weekly and reader.recurrence is Recurrence.WEEKLY:
        readings.append(reader.read_weekly(weekly[0], anchor_from))
    return readings


def _closed(x: g.Expr) -> bool:
    return isinstance(x, g.RangeX) or (isinstance(x, g.MonthsX) and x.span and len(x.months) > 1)


def _choose(readings: list[_Reading]) -> _Reading:
    """The most specific reading; a marked deadline ("trước", "chậm nhất") over plain days; days of
    the same kind together; a day inside a range is the range's ("nghỉ lễ 30/4 từ 29/4 đến 3/5")."""
    level = min(r.level for r in readings)
    same = [r for r in readings if r.level == level]
    marked = [r for r in same if r.lead in ("before", "by")]
    if marked:
        same = marked
    if len(same) > 1:
        same = [r for r in same if not any(o is not r and _inside(r, o) for o in same)]
    widths = {len(r.options) for r in same}
    if len(same) > 1 and len(widths) == 1 and all(r.kind in (DeadlineKind.ON, DeadlineKind.DAYS) for r in same):
        options = []
        for k in range(widths.pop()):  # the same doubtful year for every day, when there is one
            days = sorted({d for r in same for d in (r.options[k].days or (r.options[k].start,))})
            options.append(_Option(days[0], days[-1], tuple(days)))
        weekdays = [w for r in same for w in r.weekdays]
        return _Reading(DeadlineKind.DAYS, options, None, weekdays)
    if len(same) > 1:
        raise _Unreadable("có nhiều mốc thời gian khác nhau: hãy tách thành từng nhiệm vụ hoặc ghi một thời hạn")
    return same[0]


def _inside(inner: _Reading, outer: _Reading) -> bool:
    if len(inner.options) != 1 or len(outer.options) != 1:
        return False
    a, b = inner.options[0], outer.options[0]
    if None in (a.start, a.end, b.start, b.end):
        return False
    return b.start <= a.start and a.end <= b.end and (a.start, a.end) != (b.start, b.end)  # type: ignore[operator]


def _time_only(shown: str, scan: g.Scan) -> Deadline:
    t = scan.times[0] if len(scan.times) == 1 else None
    if t is None:
        raise _Unreadable("")
    part = _one(scan.parts)
    return Deadline(shown, DeadlineKind.TIME, None, None, start_time=t.start_time, end_time=t.end_time,
                    part_of_day=PartOfDay(part) if part else None)


def _finish(shown: str, reader: _Reader, r: _Reading) -> Deadline:
    kind = r.kind
    if kind in (DeadlineKind.ON, DeadlineKind.DAYS):
        reader.check_weekday(r, r.weekdays, lambda o: (o.days[0] if o.days else o.start))
        if kind is DeadlineKind.DAYS and len(r.weekdays) == len(r.options[0].days) > 1 and len(r.options) == 1:
            for day, printed in zip(r.options[0].days[1:], r.weekdays[1:]):
                reader.check_weekday(_Reading(kind, [_Option(day, day)]), [printed], lambda o: o.start)
    weekday = r.weekdays[0] if len(r.weekdays) == 1 and kind is DeadlineKind.ON else None
    if r.lead == "before" and kind in (DeadlineKind.ON, DeadlineKind.MONTH, DeadlineKind.DAYS):
        kind = DeadlineKind.BEFORE
        r.options = [_Option(None, o.start - timedelta(days=1) if o.start else None) for o in r.options]
    elif r.lead == "by" and kind in (DeadlineKind.ON, DeadlineKind.MONTH, DeadlineKind.MONTH_PART, DeadlineKind.WEEK,
                                      DeadlineKind.DAYS, DeadlineKind.QUARTER, DeadlineKind.SEMESTER,
                                      DeadlineKind.SCHOOL_WEEK):
        kind = DeadlineKind.BY
        r.options = [_Option(None, o.end) for o in r.options]
    start_time, end_time = _times(reader.scan, kind)
    part = _one(reader.scan.parts)
    base = dict(start_time=start_time, end_time=end_time, part_of_day=PartOfDay(part) if part else None,
                weekday=weekday, recurrence=reader.recurrence)
    warnings = list(reader.warnings)
    if len(r.options) > 1:
        candidates = tuple(sorted({o.end for o in r.options if o.end is not None}))
        shown_days = " hoặc ".join(_shown_option(kind, o) for o in r.options)
        warnings.insert(0, f"“{shown}” không ghi năm: có thể là {shown_days}. Hãy ghi rõ năm; "
                           "thời hạn chưa được đưa lên lịch")
        return Deadline(shown, kind, None, None, candidates=candidates, warning="; ".join(warnings), **base)
    o = r.options[0]
    if r.note:
        warnings.insert(0, r.note)
    if reader.c.issued is not None and o.end is not None and o.end < reader.c.issued:
        warnings.append(f"thời hạn “{shown}” ({format_date(o.end)}) sớm hơn ngày ban hành kế hoạch "
                        f"({format_date(reader.c.issued)}): hãy kiểm tra lại năm hoặc ngày")
    days = o.days if kind is DeadlineKind.DAYS else ()
    return Deadline(shown, kind, o.start if o.end is not None else None, o.end, days=days,
                    warning="; ".join(warnings) or None, **base)


def _times(scan: g.Scan, kind: DeadlineKind) -> tuple[time | None, time | None]:
    if len(scan.times) == 1:
        t = scan.times[0]
        if kind is DeadlineKind.BY and t.end_time is None:
            return None, t.start_time
        return t.start_time, t.end_time
    if len(scan.times) == 2 and kind is DeadlineKind.RANGE and not any(t.end_time for t in scan.times):
        return scan.times[0].start_time, scan.times[1].start_time
    return None, None


def _shown_option(kind: DeadlineKind, o: _Option) -> str:
    if kind is DeadlineKind.BEFORE and o.end is not None:
        return f"trước ngày {format_date(o.end + timedelta(days=1))}"
    if o.start is not None and o.end is not None and o.start != o.end:
        return f"{format_date(o.start)} – {format_date(o.end)}"
    return format_date(o.end) if o.end else "?"


# --- calendar days ---------------------------------------------------------------------------

def calendar_days(d: Deadline) -> tuple[tuple[date, date], ...]:
    """The days an event covers on a calendar, as inclusive (first, last) spans; () when none.

    The rule of content/huong-dan/han-chot.md: a range of days covers its days, several separate
    days are each one day, every other deadline sits on its due day ``end`` (the last day to act).
    Times and recurrence do not change the days: a recurring deadline's spans are its first occurrence.
    """
    if d.end is None:
        return ()
    if d.kind is DeadlineKind.DAYS and d.days:
        return tuple((day, day) for day in d.days)
    if d.kind is DeadlineKind.RANGE and d.start is not None:
        return ((d.start, d.end),)
    return ((d.end, d.end),)


def calendar_span(d: Deadline) -> tuple[date, date] | None:
    """First and last calendar day of ``calendar_days(d)`` (inclusive), or None."""
    spans = calendar_days(d)
    return (spans[0][0], spans[-1][1]) if spans else None


def header_month(text: str, context: DateContext | None = None) -> tuple[int, int] | None:
    """(year, month) of a schedule's group header ("8/2019", "Tháng 12/2024", "THÁNG 9"), for
    ``DateContext.month``; None when the header is not one month or its year is unknown."""
    d = parse_deadline(text, context)
    if d.kind is DeadlineKind.MONTH and d.start and d.end and (d.start.year, d.start.month) == (d.end.year, d.end.month):
        return d.start.year, d.start.month
    return None


# --- strict single dates ---------------------------------------------------------------------

def _strict_tokens(shown: str) -> list[g.Tok]:
    tokens = g.tokenize(g.fold(shown))
    while tokens and tokens[-1].text in ".;,":
        tokens.pop()
    if len(tokens) >= 2 and tokens[0].text == "han" and tokens[1].text == ":":
        tokens = tokens[2:]
    elif len(tokens) >= 3 and tokens[0].text == "thoi" and tokens[1].text == "han" and tokens[2].text == ":":
        tokens = tokens[3:]
    return tokens


def _strict_day(tokens: list[g.Tok]) -> g.Day | None:
    """The one day ``tokens`` spell out (dd/mm/yyyy, yyyy-mm-dd, ngày d tháng m năm y), else None."""
    sc = g._Scanner(tokens)
    if not tokens or any(sc.code):
        return None
    try:
        got = sc.day(0)
    except g.DateSyntaxError:
        return None
    if got is None or got[1] != len(tokens):
        return None
    texts = [t.text for t in tokens]
    first_num = next(t.text for t in tokens if t.kind == "num")
    if ("-" in texts and len(first_num) <= 2) or "." in texts:
        return None  # 15-4-2024 and 15.4.2024 are read in deadlines, not as field dates
    return got[0]


def parse_date(text: str) -> date:
    """One full date ("02/01/2024", "2024-01-02", "ngày 02 tháng 01 năm 2024"); raises DateError."""
    if not isinstance(text, str):
        raise DateError(f"không đọc được ngày: {text!r}")
    shown = unicodedata.normalize("NFC", text).strip()
    tokens = _strict_tokens(shown)
    day = _strict_day(tokens)
    if day is None:
        raise DateError(f"không đọc được ngày “{shown}”")
    if day.year is None:
        raise DateError(f"không đọc được ngày “{shown}”: thiếu năm")
    try:
        return _make_date(day.year, day.month, day.day)  # type: ignore[arg-type]
    except DateError:
        lead = "" if tokens[0].text == "ngay" else "ngày "
        raise DateError(f"{lead}{shown} không tồn tại") from None


def parse_partial_date(text: str) -> PartialDate:
    """A possibly incomplete date: "20/11/1982", "22/12", "10/1954", "1831"; raises DateError."""
    if not isinstance(text, str):
        raise DateError(f"không đọc được ngày: {text!r}")
    shown = unicodedata.normalize("NFC", text).strip()
    tokens = _strict_tokens(shown)
    texts = [t.text for t in tokens]
    try:
        day = _strict_day(tokens)
        if day is not None:
            if day.year is not None:
                d = _make_date(day.year, day.month, day.day)  # type: ignore[arg-type]
                return PartialDate(d.year, d.month, d.day)
            d = _make_date(2000, day.month, day.day)  # type: ignore[arg-type]  # a leap year: 29/02 is accepted
            return PartialDate(None, d.month, d.day)
        k = 1 if texts[:1] == ["thang"] else 0
        if (len(texts) == k + 3 and texts[k].isdigit() and len(texts[k]) <= 2 and texts[k + 1] in ("/", "nam")
                and texts[k + 2].isdigit() and len(texts[k + 2]) == 4):
            d = _make_date(int(texts[k + 2]), int(texts[k]), 1)
            return PartialDate(d.year, d.month, None)
        k = 1 if texts[:1] == ["nam"] else 0
        if len(texts) == k + 1 and texts[k].isdigit() and len(texts[k]) == 4:
            return PartialDate(_make_date(int(texts[k]), 1, 1).year, None, None)
    except DateError:
        raise DateError(f"“{shown}” không phải là ngày tháng có thật") from None
    raise DateError(f"không đọc được ngày tháng “{shown}”")


# --- canonical wording ------------------------------------------------------------------------

def _format_month(d: date) -> str:
    return f"{d.month:02d}/{d.year:04d}"


def _dated_wording(d: Deadline, kind: DeadlineKind) -> str | None:
    start, end = d.start, d.end
    if end is None:
        return None
    if kind is DeadlineKind.BEFORE:
        return f"Trước ngày {format_date(end + timedelta(days=1))}"
    if kind is DeadlineKind.BY:
        return f"Chậm nhất ngày {format_date(end)}"
    if start is None:
        return None
    if kind is DeadlineKind.ON:
        return f"Ngày {format_date(end)}"
    if kind is DeadlineKind.DAYS and d.days:
        shown = [format_date(x) for x in d.days]
        return "Các ngày " + ", ".join(shown[:-1]) + " và " + shown[-1]
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
    if kind is DeadlineKind.WEEK:
        if (start.day - 1) % 7:
            return f"Tuần cuối tháng {_format_month(start)}"
        return f"Tuần {(start.day - 1) // 7 + 1} tháng {_format_month(start)}"
    if kind is DeadlineKind.SCHOOL_YEAR:
        return f"Năm học {start.year:04d}-{start.year + 1:04d}"
    if kind is DeadlineKind.YEAR:
        return f"Năm {start.year:04d}"
    return None


def format_deadline(d: Deadline) -> str:
    """Canonical Vietnamese wording; ``parse_deadline`` reads it back to the same Deadline in the
    same context.  Semesters, school weeks and doubtful readings keep their printed wording."""
    try:
        kind = DeadlineKind(d.kind)  # also accepts the plain value, e.g. "before"
    except ValueError:
        return d.text
    if kind is DeadlineKind.NONE:
        return ""
    if kind in (DeadlineKind.UNPARSED, DeadlineKind.SEMESTER, DeadlineKind.SCHOOL_WEEK) or d.end is None and kind is not DeadlineKind.TIME:
        return d.text
    text = "" if kind is DeadlineKind.TIME else _dated_wording(d, kind)
    if text is None:
        return d.text
    if d.part_of_day is not None:
        part = PartOfDay(d.part_of_day).label
        text = f"{part} {text[:1].lower()}{text[1:]}" if text else part
    if d.weekday is not None:
        text += f" ({_WEEKDAY_NAMES[d.weekday]})"
    if d.start_time is not None and d.end_time is not None:
        text += f", từ {_format_time(d.start_time)} đến {_format_time(d.end_time)}"
    elif d.start_time is not None:
        text += f", lúc {_format_time(d.start_time)}"
    elif d.end_time is not None:
        text += f", trước {_format_time(d.end_time)}"
    if d.recurrence is not None:
        text += f" {Recurrence(d.recurrence).label}"
    text = text.lstrip(", ")
    return text[:1].upper() + text[1:]


# --- deadlines inside running text ---------------------------------------------------------------

_FIND_LEADS = (
    ("truoc",), ("cham", "nhat"), ("muon", "nhat"), ("tre", "nhat"), ("han", "cuoi"), ("han", "chot"),
    ("thoi", "han"), ("den", "het"), ("tu",),
)


def find_deadlines(text: str, context: DateContext | None = None) -> list[tuple[int, int, Deadline]]:
    """Deadlines inside running text as (start, end, Deadline), offsets into ``text``.

    Finds "trước ngày X", "chậm nhất / muộn nhất / trễ nhất (là) ngày X", "hạn cuối … (là) ngày X",
    "thời hạn … là X", "đến hết ngày X", "ngày X là (thời) hạn cuối", "từ X đến Y" (days or months),
    each with a following "hằng năm" or "năm sau".  Plain dates are left out: bodies are full of
    document citations.  ``parse_deadline(text[start:end], context)`` equals the Deadline.
    One scan of the whole text, then one reading per deadline found: linear in the text.
    """
    if not isinstance(text, str) or not text:
        return []
    if not any("0" <= char <= "9" for char in text):
        return []  # every deadline it finds has a number
    nfc, starts, ends = g.nfc_with_offsets(text)
    sc = g.scan(g.tokenize(g.fold(nfc)), body=True)
    found: list[tuple[int, int, Deadline]] = []
    done = 0
    for k, x in enumerate(sc.exprs):
        span = _body_span(sc, k, x)
        if span is None:
            continue
        a, b = sc.tokens[span[0]].start, sc.tokens[span[1] - 1].end
        if a < done:
            continue
        if starts is not None and ends is not None:
            a, b = starts[a], ends[b - 1]
        deadline = parse_deadline(text[a:b], context)
        if deadline.kind not in (DeadlineKind.UNPARSED, DeadlineKind.NONE, DeadlineKind.TIME):
            found.append((a, b, deadline))
            done = sc.tokens[span[1] - 1].end
    return found


def _body_span(sc: g.Scan, k: int, x: g.Expr) -> tuple[int, int] | None:
    """Token span [first, end) of the body deadline expression k governs, or None."""
    if x.lead in ("before", "by", "to_end") and x.lead_start is not None:
        if sc.tokens[x.lead_start].text in ("den", "toi") and x.lead == "to_end" and x.lead_start > 0 \
                and sc.tokens[x.lead_start - 1].text == "tu":
            return None
        return x.lead_start, x.end
    if x.lead == "by":  # "Ngày 30/10 là thời hạn cuối"
        return x.a, x.end
    if x.lead == "from" and x.lead_start is not None and sc.tokens[x.lead_start].text == "tu":
        if _closed(x):
            return x.lead_start, x.end
        for partner in sc.exprs[k + 1 : k + 4]:
            if partner.lead in ("to", "to_end", "before", "by"):
                return x.lead_start, partner.end
            if partner.lead is not None:
                break
    return None
