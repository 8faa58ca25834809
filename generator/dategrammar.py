"""The grammar of Vietnamese date wording: folding, tokens and the date expressions they form.

Internal to :mod:`generator.dates`, which turns the expressions found here into a ``Deadline``.

Text is *folded* first (NFC, lower case, diacritics removed, "đ" -> "d", every whitespace
character -> " "); folding maps each character to exactly one character, so offsets in the folded
copy are offsets in the NFC text.  The folded text is cut into tokens by one regular expression
whose alternatives are single character classes (``[0-9]+``, ``[a-z]+``, one other character): it
runs in linear time whatever the input.  Everything else is plain Python over the token list, and
every rule looks ahead a bounded number of tokens (``LOOKAHEAD``), so a scan is linear too.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import time
from typing import NamedTuple

LOOKAHEAD = 64       # the most tokens one rule may read
MAX_LIST = 31        # days in one list ("03, 04, 05/5/2023"), months, school weeks
MAX_EXPRESSIONS = 64  # a deadline naming more dates than this is not read


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


def fold(text: str) -> str:
    return text.translate(_FOLD)


def nfc_with_offsets(text: str) -> tuple[str, list[int] | None, list[int] | None]:
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


# --- tokens --------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[0-9]+|[a-z]+|\S")
DASHES = frozenset("-–—‐‑−")


class Tok(NamedTuple):
    kind: str  # "num", "word" or "sym"
    text: str
    start: int
    end: int


def tokenize(folded: str) -> list[Tok]:
    tokens = []
    for m in _TOKEN_RE.finditer(folded):
        text = m.group()
        first = text[0]
        kind = "num" if "0" <= first <= "9" else "word" if "a" <= first <= "z" else "sym"
        tokens.append(Tok(kind, text, m.start(), m.end()))
    return tokens


# --- what the grammar finds ----------------------------------------------------------------

@dataclass
class Day:
    day: int
    month: int | None
    year: int | None
    short_year: int | None = None  # "15/8/16": a two-digit year, read against the plan's years


@dataclass
class Month:
    month: int
    year: int | None


@dataclass
class Expr:
    """A date expression over tokens [a, b); ``lead`` is the word that governs it."""

    a: int = 0
    b: int = 0
    lead: str | None = None  # before, by, from, to, to_end, block, label
    lead_start: int | None = None  # first token of the lead
    end: int = 0  # past the expression and what follows it ("là thời hạn cuối", "hằng năm", "năm sau")
    next_year: bool = False  # "năm sau"
    weekdays: list[int] = field(default_factory=list)


@dataclass
class DaysX(Expr):
    days: list[Day] = field(default_factory=list)


@dataclass
class RangeX(Expr):
    first: Day = None  # type: ignore[assignment]
    last: Day = None  # type: ignore[assignment]
    last_weekday: int | None = None  # "đến hết thứ Tư ngày 29/1/2020"


@dataclass
class MonthsX(Expr):
    months: list[Month] = field(default_factory=list)
    span: bool = False  # "tháng 11-12", "từ tháng 9 đến tháng 12": one span, not a list


@dataclass
class MonthPartX(Expr):
    part: str = ""  # dau, giua, cuoi
    month: Month = None  # type: ignore[assignment]


@dataclass
class WeekOfMonthX(Expr):
    week: int = 1  # 1..5; 0 = the last seven days ("tuần cuối tháng")
    month: Month = None  # type: ignore[assignment]


@dataclass
class QuarterX(Expr):
    quarter: int = 1
    year: int | None = None


@dataclass
class SemesterX(Expr):
    number: int = 1
    school_year: tuple[int, int] | None = None


@dataclass
class SchoolWeekX(Expr):
    first: int = 1
    last: int = 1
    school_year: tuple[int, int] | None = None


@dataclass
class SchoolYearX(Expr):
    school_year: tuple[int, int] | None = None  # None: the plan's own ("cả năm học")


@dataclass
class SchoolYearEndX(Expr):
    """ "hết năm học": the end of the school year, from its calendar."""


@dataclass
class YearX(Expr):
    year: int = 0


@dataclass
class MonthDayX(Expr):
    """ "ngày 20 hằng tháng": a day of every month."""

    day: int = 1


@dataclass
class TimeX(Expr):
    start_time: time = None  # type: ignore[assignment]
    end_time: time | None = None


@dataclass
class Scan:
    """Everything one pass over the tokens found, in order."""

    exprs: list[Expr] = field(default_factory=list)
    times: list[TimeX] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    recurrence: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # not-a-deadline labels that cover a date
    errors: list[str] = field(default_factory=list)
    tokens: list[Tok] = field(default_factory=list)  # what the indices of the expressions point into


LUNAR = object()  # a date in the lunar calendar ("ngày 10 tháng 3 âm lịch"): read past, never used


class DateSyntaxError(ValueError):
    """A date written in a recognisable form that does not exist ("30/02/2023", "25/01/23")."""


# --- vocabulary ----------------------------------------------------------------------------

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
WEEKDAY_WORDS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
PARTS = {"sang": "sáng", "trua": "trưa", "chieu": "chiều", "toi": "tối"}
RECURRENCE = {"nam": "yearly", "thang": "monthly", "tuan": "weekly"}
LIST_SEPS = frozenset({",", "va", "hoac", "&", "+"})
RANGE_WORDS = frozenset({"den", "toi"})
FILLERS = frozenset({"ngay", "la", "vao", "luc", ":", "ca", "cac", "trong", "nhung", "hom"})
# Words before a number that make it something other than a day: "lớp 1/2", "lần thứ 2".
# A day written "5.9" must follow one of these (else "2.1." is a paragraph number).
DOT_DAY_AFTER = frozenset({"ngay", "vao", "tu", "den", "toi", "truoc", "nhat", "sang", "chieu", "trua", "nay", "hai",
                           "ba", "sau", "bay"})
# "từ 4-5 ngày", "2-3 tiết": numbers counting something, not a day.
UNITS = frozenset({"ngay", "tuan", "thang", "nam", "tiet", "buoi", "lan", "gio", "phut", "nguoi", "em", "hoc", "diem"})
NOT_A_DAY_AFTER = frozenset({"lop", "so", "khoi", "phong", "lan", "dot", "vong", "cau", "bai", "tiet", "muc"})
# Words before "thứ N" that make it an ordinal, not a weekday.
ORDINAL_BEFORE = frozenset({"lan", "tuan", "lop", "ky", "dot", "vong", "so", "hang", "giai", "khoa"})
LABELS = (  # a date after these is not a deadline: when a page or document was posted, signed, ...
    (("ngay", "dang"), "ngày đăng tin"),
    (("dang", "ngay"), "ngày đăng tin"),
    (("dang", "luc"), "ngày đăng tin"),
    (("cap", "nhat"), "ngày cập nhật"),
    (("ngay", "ban", "hanh"), "ngày ban hành"),
    (("ngay", "xuat", "ban"), "ngày xuất bản"),
    (("hieu", "luc"), "ngày có hiệu lực"),
    (("post", "date"), "ngày đăng tin"),
)


# --- the scanner ---------------------------------------------------------------------------

class _Scanner:
    def __init__(self, tokens: list[Tok]) -> None:
        self.t = tokens
        self.n = len(tokens)
        self.code = _code_runs(tokens)
        self.next_month = _next_month_marks(tokens)

    # small token tests
    def w(self, i: int, *words: str) -> bool:
        return i < self.n and self.t[i].kind == "word" and (not words or self.t[i].text in words)

    def s(self, i: int, chars: str | frozenset) -> bool:
        return i < self.n and self.t[i].kind == "sym" and self.t[i].text in chars

    def num(self, i: int, lo: int = 0, hi: int = 10**9, width: int = 2) -> int | None:
        if i < self.n and self.t[i].kind == "num" and len(self.t[i].text) <= width:
            value = int(self.t[i].text)
            if lo <= value <= hi:
                return value
        return None

    def year(self, i: int) -> int | None:
        if i < self.n and self.t[i].kind == "num" and len(self.t[i].text) == 4:
            return int(self.t[i].text)
        return None

    def tight(self, i: int) -> bool:
        """Tokens i and i + 1 touch (no space between)."""
        return i + 1 < self.n and self.t[i].end == self.t[i + 1].start

    def words(self, i: int, seq: tuple[str, ...]) -> bool:
        if i + len(seq) > self.n:
            return False
        t = self.t
        for k, word in enumerate(seq):
            if t[i + k].text != word:
                return False
        return True

    def skip_ngay(self, i: int) -> int:
        return i + 1 if self.w(i, "ngay") else i

    # ---- days ----------------------------------------------------------------------------

    def day(self, i: int) -> tuple[Day, int] | None:
        """One printed day: 25/01/2023, 25-1-2023, 25.1.2023, 25/01, 15-4, ngày 2 tháng 1 năm 2024,
        05 Tháng 11 2009, 2024-01-02.  Raises DateSyntaxError for a day that is written but wrong."""
        j = self.skip_ngay(i)
        if self.w(j, "mung", "mong"):
            j += 1
        if j >= self.n or self.t[j].kind != "num" or self.code[j]:
            return None
        if (j > 0 and self.w(j - 1, *NOT_A_DAY_AFTER)) or self.glued(j):
            return None
        if (iso := self._iso(j)) is not None:
            return iso
        d = self.num(j, 1, 31)
        if d is None:
            self._impossible(j)
            return None
        k = j + 1
        if self.s(k, "/"):
            return self._slashed(d, k)
        if self.s(k, "-") and self.tight(j) and self.tight(k):
            return self._dashed(j, d, k, "-")
        if self.s(k, ".") and self.tight(j) and self.tight(k):
            return self._dashed(j, d, k, ".")
        if self.w(k, "thang"):
            return self._long(d, k)
        return None

    def _impossible(self, j: int) -> None:
        """ "32/1/2024", "00/01/2024", "15/13/2024": a full day written with numbers that cannot be."""
        if (self.num(j) is not None and self.s(j + 1, "/") and self.num(j + 2) is not None and self.s(j + 3, "/")
                and self.year(j + 4) is not None):
            raise DateSyntaxError(f"ngày {self.t[j].text}/{self.t[j + 2].text}/{self.t[j + 4].text} không tồn tại")

    def _iso(self, j: int) -> tuple[Day, int] | None:
        y = self.year(j)
        if y is None or not (self.s(j + 1, DASHES) and self.tight(j) and self.tight(j + 1)):
            return None
        m, d = self.num(j + 2), None
        if m is not None and self.s(j + 3, DASHES) and self.tight(j + 2) and self.tight(j + 3):
            d = self.num(j + 4)
        if m is None or d is None:
            return None
        return Day(d, m, y), j + 5

    def _slashed(self, d: int, k: int) -> tuple[Day, int] | None:
        m = self.num(k + 1, 1, 12)
        if m is None:
            self._impossible(k - 1)
            return None  # "80/100", or "10/1954": a month of a year, read by month()
        k += 2
        if self.s(k, "/"):
            if k + 1 < self.n and self.t[k + 1].kind == "num":
                y = self.year(k + 1)
                if y is None and len(self.t[k + 1].text) == 2:
                    return Day(d, m, None, int(self.t[k + 1].text)), k + 2
                if y is None:
                    raise DateSyntaxError(f"năm “{self.t[k + 1].text}” phải viết đủ 4 chữ số")
                return Day(d, m, y), k + 2
            return None  # "25/01/" or a document number
        return Day(d, m, self._year_after(k)), self._after_year(k)

    def _dashed(self, j: int, d: int, k: int, sep: str) -> tuple[Day, int] | None:
        """ "15-4", "16-1-2022", "5.9", "15.1.2025": the separator touches both numbers."""
        m = self.num(k + 1, 1, 12)
        if m is None or self.s(k + 2, "/"):
            return None  # "12-20/3" is a range, read by day_range()
        after = k + 2
        if self.s(after, sep) and self.tight(k + 1) and self.tight(after):
            y = self.year(after + 1)
            return (Day(d, m, y), after + 2) if y is not None else None
        if self.w(after, "nam") and self.year(after + 1) is not None:
            return Day(d, m, self.year(after + 1)), after + 2
        if self.w(after, *UNITS) or self.s(after, DASHES):
            return None  # "từ 4-5 ngày": a count, not a day
        if sep == "." and not (j > 0 and (self.w(j - 1, *DOT_DAY_AFTER) or self.s(j - 1, "("))):
            return None  # "2.1." numbers a paragraph
        return Day(d, m, None), after

    def _long(self, d: int, k: int) -> tuple[Day, int] | None:
        m = self.num(k + 1, 1, 12)
        if m is None:
            return None  # "28 tháng Chạp": a lunar month named by a word
        k += 2
        if self.s(k, "/") and self.year(k + 1) is not None:
            return Day(d, m, self.year(k + 1)), k + 2
        if self.s(k, ",") and self.w(k + 1, "nam") and self.year(k + 2) is not None:
            return Day(d, m, self.year(k + 2)), k + 3
        if (y := self.year(k)) is not None:
            return Day(d, m, y), k + 1
        return Day(d, m, self._year_after(k)), self._after_year(k)

    def _year_after(self, k: int) -> int | None:
        return self.year(k + 1) if self.w(k, "nam") else None

    def _after_year(self, k: int) -> int:
        return k + 2 if self.w(k, "nam") and self.year(k + 1) is not None else k

    def lunar(self, k: int) -> bool:
        """ "âm lịch" (or "(AL)") right after a date, or after an aside that follows it ("13/08/2022
        (Rằm tháng 8) âm lịch"): the date is in the lunar calendar."""
        if self.s(k, "("):
            if self.words(k + 1, ("am", "lich")) or self.w(k + 1, "al"):
                return True
            close = k + 1
            while close < self.n and close - k <= 8 and not self.s(close, ")"):
                close += 1
            k = close + 1 if self.s(close, ")") else k
        return self.words(k, ("am", "lich"))

    def glued(self, j: int) -> bool:
        """Number j is glued to a word by a hyphen ("Covid-19"): part of a name, not a day."""
        return j >= 2 and self.s(j - 1, DASHES) and self.tight(j - 1) and self.tight(j - 2) and self.t[j - 2].kind == "word"

    def bare_day(self, i: int) -> tuple[int, int] | None:
        """A day number alone, sharing the month written after it ("03" in "03, 04, 05/5/2023")."""
        j = self.skip_ngay(i)
        if self.w(j, "mung", "mong"):
            j += 1
        d = self.num(j, 1, 31)
        if d is None or self.code[j] or (j > 0 and self.w(j - 1, *NOT_A_DAY_AFTER)) or self.glued(j):
            return None
        return d, j + 1

    def day_item(self, i: int) -> tuple[Day, int] | None:
        got = self.day(i)
        if got is not None:
            return got
        bare = self.bare_day(i)
        return (Day(bare[0], None, None), bare[1]) if bare else None

    def days(self, i: int) -> tuple[DaysX, int] | None:
        """One day or several sharing their month: "26 và 27/6/2025", "ngày 03, 04, 05 và 06/6/2025"."""
        if self.next_month[i] - i > 4 * MAX_LIST + 8:
            return None  # no month written close enough for any list starting here
        items: list[Day] = []
        k = i
        while len(items) < MAX_LIST:
            got = self.day_item(k)
            if got is None:
                return None
            item, k = got
            items.append(item)
            if item.month is not None:
                break
            if not self.s(k, LIST_SEPS) and not self.w(k, *LIST_SEPS):
                return None
            k += 1
        else:
            return None
        if items[-1].month is None:
            return None
        for item in items[:-1]:
            item.month, item.year = items[-1].month, items[-1].year
        # further full days in the same list: "ngày 12/3 và 15/4/2024"
        while len(items) < MAX_LIST and (self.s(k, LIST_SEPS) or self.w(k, *LIST_SEPS)):
            got = self.day(k + 1)
            if got is None:
                break
            item, k = got
            items.append(item)
        if self.lunar(k):
            return LUNAR, k + 2  # type: ignore[return-value]
        for item in items[:-1]:
            if item.year is None:
                item.year = items[-1].year
        return DaysX(a=i, b=k, days=items), k

    def day_range(self, i: int) -> tuple[RangeX, int] | None:
        """Two days joined by a dash or "đến": "12 - 20/3", "8-12/4/2024", "30/4 - 1/5/2022",
        "05/9/2021 - 16/01/2022", "ngày 19 tháng 4 đến ngày 23 tháng 4 năm 2023"."""
        first = self.day_item(i)
        if first is None:
            return None
        day1, k = first
        k, weekday = self.weekday_after(k)
        if self.s(k, DASHES):
            k += 1
        elif self.w(k, *RANGE_WORDS):
            k += 1
            if self.w(k, "het"):
                k += 1
        else:
            return None
        k, weekday2 = self.weekday_before(k)
        second = self.day(k)
        if second is None:
            return None
        day2, k = second
        if day1.month is None:
            day1.month = day2.month
            day1.year = day2.year
        if self.lunar(k):
            return LUNAR, k + 2  # type: ignore[return-value]
        rng = RangeX(a=i, b=k, first=day1, last=day2, last_weekday=weekday2)
        if weekday is not None:
            rng.weekdays.append(weekday)
        return rng, k

    # ---- weekdays, parts of day, times --------------------------------------------------

    def weekday(self, i: int) -> tuple[int, int] | None:
        if self.words(i, ("chu", "nhat")):
            return 6, i + 2
        if self.w(i, "cn") and (self.s(i + 1, ",-") or self.w(i + 1, "ngay") or self.num(i + 1) is not None):
            return 6, i + 1
        if not self.w(i, "thu") or (i > 0 and self.w(i - 1, *ORDINAL_BEFORE)):
            return None
        if (n := self.num(i + 1, 2, 7, width=1)) is not None and not self.s(i + 2, "/"):
            return n - 2, i + 2
        if self.w(i + 1, *WEEKDAY_WORDS):
            return WEEKDAY_WORDS[self.t[i + 1].text], i + 2
        return None

    def weekdays(self, i: int) -> tuple[list[int], int] | None:
        """ "Thứ Sáu", "thứ 3, 4", "thứ Ba và thứ Năm"."""
        got = self.weekday(i)
        if got is None:
            return None
        found, k = [got[0]], got[1]
        while len(found) < 7 and (self.s(k, ",") or self.w(k, "va")):
            if (n := self.num(k + 1, 2, 7, width=1)) is not None and not self.s(k + 2, "/.") and not self.s(k + 2, DASHES):
                found.append(n - 2)
                k += 2
            elif (more := self.weekday(k + 1)) is not None:
                found.append(more[0])
                k = more[1]
            else:
                break
        return found, k

    def weekday_after(self, k: int) -> tuple[int, int | None]:
        """An optional "(thứ Ba)" or ", thứ Ba" after a day inside a range."""
        j = k + 1 if self.s(k, "(,") else k
        got = self.weekday(j)
        if got is None:
            return k, None
        j = got[1] + 1 if self.s(got[1], ")") else got[1]
        return j, got[0]

    def weekday_before(self, k: int) -> tuple[int, int | None]:
        """An optional "thứ Tư ngày" / "Chủ nhật, ngày" before a day inside a range."""
        got = self.weekday(k)
        if got is None:
            return k, None
        j = got[1] + 1 if self.s(got[1], ",") else got[1]
        return j, got[0]

    def part(self, i: int) -> tuple[str, int] | None:
        """ "sáng", "buổi chiều", "tối" — only next to a date or time, never "bước sang" or "tôi"."""
        j = i + 1 if self.w(i, "buoi") else i
        if not self.w(j, *PARTS):
            return None
        word = self.t[j].text
        nxt = j + 1
        if j > i:
            return PARTS[word], nxt
        follows = nxt < self.n and (
            self.t[nxt].kind == "num"
            or self.w(nxt, "ngay", "nay", "thu", "chu", "hom", "mai")
            or (self.w(nxt, "tu", "luc") and self.num(nxt + 1) is not None)  # "Sáng từ 7h30 đến 11h00"
            or (self.s(nxt, ",") and (self.w(nxt + 1, "ngay", "thu", "chu") or self.num(nxt + 1) is not None))
        )
        after_time = i > 0 and (self.w(i - 1, "gio", "h", "phut") or self.t[i - 1].kind == "num")
        if word == "toi" and i > 0 and self.t[i - 1].kind == "num":
            return None  # "từ 25 tới 29/5": "tới", not "tối"
        return (PARTS[word], nxt) if follows or after_time else None

    def clock(self, i: int) -> tuple[time, int] | None:
        """8h30, 8h, 14h00', 8g30, 8 giờ 30 (phút), 7giờ15, 09:55, 14:59:49."""
        h = self.num(i, 0, 24)
        if h is None:
            return None
        k = i + 1
        minute, second = 0, 0
        if self.w(k, "h", "g") and self.tight(i):
            k += 1
            if (m := self.num(k, 0, 59)) is not None and self.tight(k - 1) and len(self.t[k].text) == 2:
                minute, k = m, k + 1
        elif self.w(k, "gio"):
            k += 1
            if (m := self.num(k, 0, 59)) is not None:
                minute, k = m, k + 1
                if self.w(k, "phut"):
                    k += 1
            elif self.w(k, "kem"):
                return None
        elif self.s(k, ":") and self.tight(i) and self.tight(k) and (m := self.num(k + 1, 0, 59)) is not None:
            if len(self.t[k + 1].text) != 2:
                return None
            minute, k = m, k + 2
            if self.s(k, ":") and self.tight(k - 1) and self.tight(k) and (sec := self.num(k + 1, 0, 59)) is not None:
                second, k = sec, k + 2
        else:
            return None
        if h == 24:
            if minute or second:
                return None
            h = 0
        if self.s(k, "'’"):
            k += 1
        return time(h, minute, second), k

    def times(self, i: int) -> tuple[TimeX, int] | None:
        """A time or a time range: "7h30", "lúc 8 giờ", "13h30 – 16h00", "từ 7 giờ đến 7 giờ 30 phút"."""
        j = i + 1 if self.w(i, "tu", "luc", "vao") else i
        first = self.clock(j)
        if first is None:
            return None
        start, k = first
        end = None
        m = k
        if self.w(m, "sang", "chieu", "trua", "toi") and (self.s(m + 1, DASHES) or self.w(m + 1, "den")):
            m += 1  # "7 giờ sáng đến 11 giờ"
        if self.s(m, DASHES) or self.w(m, "den", "toi"):
            second = self.clock(m + 1)
            if second is not None:
                end, k = second
        return TimeX(a=i, b=k, start_time=start, end_time=end), k

    # ---- months and longer -----------------------------------------------------------------

    def month(self, i: int) -> tuple[Month, int] | None:
        """ "tháng 9", "tháng 9/2024", "tháng 9 năm 2024", "tháng 09-2024"; also "9/2024" alone."""
        if self.w(i, "thang"):
            m = self.num(i + 1, 1, 12)
            if m is None:
                if self.num(i + 1) is not None:
                    raise DateSyntaxError(f"tháng {self.t[i + 1].text} không tồn tại")
                return None
            k = i + 2
            if self.s(k, "/" + "".join(DASHES)) and (y := self.year(k + 1)) is not None:
                return Month(m, y), k + 2
            if self.w(k, "nam") and (y := self.year(k + 1)) is not None:
                return Month(m, y), k + 2
            return Month(m, None), k
        m = self.num(i, 1, 12)
        if i > 0 and self.s(i - 1, "/"):
            return None  # the tail of "32/1/2024"
        if m is not None and not self.code[i] and self.s(i + 1, "/") and (y := self.year(i + 2)) is not None:
            if not self.s(i + 3, "/"):
                return Month(m, y), i + 3
        return None

    def months(self, i: int) -> tuple[MonthsX, int] | None:
        """ "tháng 3, tháng 4", "tháng 3, 4/2024", "trong tháng 11-12", "tháng 9/2024 và tháng 10/2024"."""
        first = self.month(i)
        if first is None:
            return None
        items, k = [first[0]], first[1]
        span = False
        while len(items) < 12:
            dash = self.s(k, DASHES) or self.w(k, *RANGE_WORDS)
            if not (dash or self.s(k, ",") or self.w(k, "va")):
                break
            j = k + 1
            if self.w(j, "het"):
                j += 1
            got = self.month(j) if self.w(j, "thang") else self.bare_month(j)
            if got is None:
                break
            items.append(got[0])
            k = got[1]
            span = span or dash
        if self.lunar(k):
            return LUNAR, k + 2  # type: ignore[return-value]
        last_year = items[-1].year
        for item in items[:-1]:
            if item.year is None and last_year is not None:
                item.year = last_year if item.month <= items[-1].month else last_year - 1
        if span:
            items = [items[0], items[-1]]
        return MonthsX(a=i, b=k, months=items, span=span or len(items) == 1), k

    def bare_month(self, j: int) -> tuple[Month, int] | None:
        """The "4" of "tháng 3, 4/2024" or "tháng 11-12"."""
        m = self.num(j, 1, 12)
        if m is None or self.s(j + 1, ".") or (self.s(j + 1, "/") and self.year(j + 2) is None):
            return None
        return self.month_tail(m, j + 1)

    def month_tail(self, m: int, k: int) -> tuple[Month, int]:
        if self.s(k, "/") and (y := self.year(k + 1)) is not None:
            return Month(m, y), k + 2
        if self.w(k, "nam") and (y := self.year(k + 1)) is not None:
            return Month(m, y), k + 2
        return Month(m, None), k

    def month_part(self, i: int) -> tuple[Expr, int] | None:
        """ "đầu/giữa/cuối tháng 5/2025"; "tuần đầu/cuối tháng 9"; "tuần 2 tháng 3"."""
        if self.w(i, "dau", "giua", "cuoi") and self.w(i + 1, "thang"):
            got = self.month(i + 1)
            if got is not None:
                return MonthPartX(a=i, b=got[1], part=self.t[i].text, month=got[0]), got[1]
            return None
        if not self.w(i, "tuan"):
            return None
        k = i + 1
        if self.w(k, "dau", "cuoi"):
            week = 1 if self.t[k].text == "dau" else 0
            k += 1
        else:
            if self.w(k, "thu"):
                k += 1
            week = self.num(k, 1, 5, width=1)
            if week is None:
                return None
            k += 1
        if self.w(k, "cua"):
            k += 1
        if not self.w(k, "thang"):
            return None
        got = self.month(k)
        if got is None:
            return None
        return WeekOfMonthX(a=i, b=got[1], week=week, month=got[0]), got[1]

    def quarter(self, i: int) -> tuple[QuarterX, int] | None:
        if not self.w(i, "quy"):
            return None
        k = i + 1
        if self.w(k, *ROMAN):
            q = ROMAN[self.t[k].text]
        elif (n := self.num(k, 1, 4, width=1)) is not None:
            q = n
        else:
            return None
        k += 1
        if (self.s(k, "/" + "".join(DASHES)) or self.w(k, "nam")) and (y := self.year(k + 1)) is not None:
            return QuarterX(a=i, b=k + 2, quarter=q, year=y), k + 2
        return QuarterX(a=i, b=k, quarter=q), k

    def semester(self, i: int) -> tuple[SemesterX, int] | None:
        """ "Học kỳ II", "học kì 1", "HKI", "HK 2", "kỳ II", with "năm học 2024-2025" or not."""
        if i > 0 and self.w(i - 1, "giua"):
            return None  # "giữa học kỳ I": the middle of the term, not the term
        k = i
        if self.w(k, "hoc") and self.w(k + 1, "ky", "ki"):
            k += 2
        elif self.w(k, "hki", "hkii"):
            return self._semester_tail(i, 1 if self.t[k].text == "hki" else 2, k + 1)
        elif self.w(k, "hk", "ky", "ki"):
            k += 1
        else:
            return None
        if self.w(k, "i", "ii"):
            number = ROMAN[self.t[k].text]
        elif (n := self.num(k, 1, 2, width=1)) is not None and not self.s(k + 1, "/"):
            number = n
        else:
            return None
        return self._semester_tail(i, number, k + 1)

    def _semester_tail(self, i: int, number: int, k: int) -> tuple[SemesterX, int]:
        got = self.school_year_numbers(k)
        if got is not None:
            return SemesterX(a=i, b=got[1], number=number, school_year=got[0]), got[1]
        return SemesterX(a=i, b=k, number=number), k

    def school_year_numbers(self, k: int) -> tuple[tuple[int, int], int] | None:
        """ "[năm học] 2024-2025" (also "2024 – 2025", "2024/2025"); raises for "2024-2026"."""
        j = k + 2 if self.words(k, ("nam", "hoc")) else k
        if self.s(j, ":"):
            j += 1
        y1 = self.year(j)
        if y1 is None or not (self.s(j + 1, DASHES) or self.s(j + 1, "/")):
            return None
        y2 = self.year(j + 2)
        if y2 is None:
            return None
        if y2 != y1 + 1:
            raise DateSyntaxError(f"năm học {y1}-{y2} không hợp lệ: hai năm phải liên tiếp")
        return (y1, y2), j + 3

    def school_week(self, i: int) -> tuple[SchoolWeekX, int] | None:
        """ "Tuần 5", "tuần 8 và 9", "Tuần 16, 17", "tuần 19 - 20" of the school year."""
        if not self.w(i, "tuan"):
            return None
        k = i + 1
        if self.w(k, "thu"):
            k += 1
        first = self.num(k, 1, 52)
        if first is None or self.w(k + 1, "thang", "cua"):
            return None
        k += 1
        weeks = [first]
        while len(weeks) < MAX_LIST and (self.s(k, LIST_SEPS | DASHES) or self.w(k, "va", "den")):
            j = k + 1
            if self.w(j, "tuan"):
                j += 1
            if (n := self.num(j, 1, 52)) is None or self.w(j + 1, "thang"):
                break
            weeks.append(n)
            k = j + 1
        got = self.school_year_numbers(k)
        sy = None
        if got is not None:
            sy, k = got
        return SchoolWeekX(a=i, b=k, first=min(weeks), last=max(weeks), school_year=sy), k

    def school_year(self, i: int) -> tuple[Expr, int] | None:
        """ "năm học 2024-2025"; "cả năm học"; "hết năm học" (after "đến")."""
        if self.words(i, ("nam", "hoc")):
            got = self.school_year_numbers(i)
            if got is not None:
                return SchoolYearX(a=i, b=got[1], school_year=got[0]), got[1]
            if i > 0 and self.w(i - 1, "het"):
                return SchoolYearEndX(a=i, b=i + 2), i + 2
            if i > 0 and self.w(i - 1, "ca", "suot"):
                return SchoolYearX(a=i, b=i + 2), i + 2
        return None

    def calendar_year(self, i: int) -> tuple[YearX, int] | None:
        if self.w(i, "nam") and (y := self.year(i + 1)) is not None and not self.s(i + 2, DASHES):
            return YearX(a=i, b=i + 2, year=y), i + 2
        return None

    def month_day(self, i: int) -> tuple[MonthDayX, int] | None:
        """ "ngày 20 hằng tháng" / "ngày 5 hàng tháng"."""
        j = self.skip_ngay(i)
        d = self.num(j, 1, 31)
        if d is not None and self.w(j + 1, "hang", "moi") and self.w(j + 2, "thang"):
            return MonthDayX(a=i, b=j + 1, day=d), j + 1
        return None


def _next_month_marks(tokens: list[Tok]) -> list[int]:
    """For each token, the index of the nearest token at or after it that can introduce a month
    ("/", "-", ".", "tháng"); len(tokens) when none.  One right-to-left pass."""
    marks = [len(tokens)] * (len(tokens) + 1)
    for k in range(len(tokens) - 1, -1, -1):
        text = tokens[k].text
        marks[k] = k if text in ("/", ".", "thang") or text in DASHES else marks[k + 1]
    return marks


def _code_runs(tokens: list[Tok]) -> list[bool]:
    """True for tokens inside a document number ("2045/QĐ-BGDĐT", "24/2024/TT-BGDĐT", "Đ/c"):
    a run of touching tokens holding a slash followed by letters."""
    flags = [False] * len(tokens)
    run_start = 0
    is_code = False
    for k, tok in enumerate(tokens):
        if k > 0 and tokens[k - 1].end != tok.start:
            if is_code:
                for m in range(run_start, k):
                    flags[m] = True
            run_start, is_code = k, False
        if tok.text == "/" and k + 1 < len(tokens) and tokens[k + 1].kind == "word" and tok.end == tokens[k + 1].start:
            is_code = True
    if is_code:
        for m in range(run_start, len(tokens)):
            flags[m] = True
    return flags


def drop_dateless_groups(tokens: list[Tok]) -> list[Tok]:
    """Remove parenthesised asides that hold no date ("(29 tháng Chạp)", "(lớp 1, 6, 10)",
    "(tức ... âm lịch)"), so "từ ngày X (…) đến hết ngày Y" reads as one range."""
    out: list[Tok] = []
    k, n = 0, len(tokens)
    while k < n:
        tok = tokens[k]
        if tok.text == "(":
            close = k + 1
            while close < n and close - k <= LOOKAHEAD and tokens[close].text not in "()":
                close += 1
            if close < n and tokens[close].text == ")":
                inner = tokens[k + 1 : close]
                if _keep_group(inner):
                    out.extend(tokens[k : close + 1])
                k = close + 1
                continue
        out.append(tok)
        k += 1
    return out


def _keep_group(inner: list[Tok]) -> bool:
    if [t.text for t in inner] in (["al"], ["am", "lich"]):
        return True  # "(AL)": says the date before it is lunar
    for k, tok in enumerate(inner):
        nxt = inner[k + 1].text if k + 1 < len(inner) else ""
        if tok.kind == "num" and nxt in ("/", ".", "-", "–", "h", "gio", ":", ",", "va"):
            if nxt in (",", "va") and not any(t.text in ("/", ".") for t in inner[k:]):
                continue
            return True
        if tok.text == "thang" and inner[k + 1].kind == "num" if k + 1 < len(inner) else False:
            return True
        if tok.text in ("thu", "chu", "nam", "quy", "tuan", "hoc", "hk", "hki", "hkii"):
            return True
    return False


# --- the scan ------------------------------------------------------------------------------

_LEADS = (
    (("cham", "nhat"), "by", 0),
    (("muon", "nhat"), "by", 0),
    (("tre", "nhat"), "by", 0),
    (("han", "cuoi"), "by", 10),
    (("han", "chot"), "by", 10),
    (("thoi", "han"), "by", 10),
    (("som", "nhat"), "block", 0),
    (("ke", "tu"), "from", 0),
    (("bat", "dau"), "from", 0),
    (("ket", "thuc"), "to", 0),
    (("den", "het"), "to_end", 0),
    (("toi", "het"), "to_end", 0),
    (("truoc",), "before", 0),
    (("sau",), "block", 0),
    (("tu",), "from", 0),
    (("den",), "to", 0),
    (("toi",), "to", 0),
)
_TAILS = (("la", "thoi", "han", "cuoi"), ("la", "thoi", "han", "chot"), ("la", "han", "cuoi"), ("la", "han", "chot"))


@dataclass
class _Pending:
    kind: str  # the lead: before, by, from, to, to_end, block
    first: int  # its first token
    last: int  # its last token
    reach: int  # how far ahead it may govern an expression (0: across fillers only)


def scan(tokens: list[Tok], body: bool = False) -> Scan:
    """One left-to-right pass: the date expressions and everything said about them.

    A deadline (``body=False``) stops at the first written-but-impossible date (``errors``) and at
    ``MAX_EXPRESSIONS``: such a text is not read.  Running text (``body=True``) skips them."""
    tokens = drop_dateless_groups(tokens)
    sc = _Scanner(tokens)
    out = Scan(tokens=tokens)
    pending: _Pending | None = None
    label: tuple[str, int] | None = None
    weekdays: list[tuple[int, int, list[int]]] = []  # (start, end, weekdays)
    i, n = 0, sc.n
    while i < n:
        if len(out.exprs) > MAX_EXPRESSIONS and not body:
            out.errors.append("quá nhiều mốc thời gian trong một thời hạn")
            return out
        try:
            step = _step(sc, i)
        except DateSyntaxError as err:
            out.errors.append(str(err))
            if not body:
                return out
            i, pending = i + 1, None
            continue
        if step is None:
            i, pending, label = _words(sc, out, i, pending, label)
            continue
        kind, found, j = step
        if kind == "weekday":
            weekdays.append((i, j, found))
        elif kind == "part":
            out.parts.append(found)
        elif kind == "time":
            if pending is not None and pending.kind == "before" and _reaches(sc, pending, i):
                found.lead = "before"
                pending = _Pending("by", pending.first, j - 1, 0)  # "trước 17h ngày 11/6": due that day, by 17h
            out.times.append(found)
        elif kind == "expr":
            if pending is not None and _reaches(sc, pending, i):
                found.lead, found.lead_start = pending.kind, pending.first
            pending = None
            if label is not None and i - label[1] <= 8:
                out.labels.append(label[0])
                found.lead = "label"
            label = None
            found.end = j
            out.exprs.append(found)
        i = j
    _attach_weekdays(sc, out, weekdays)
    return out


def _words(sc: _Scanner, out: Scan, i: int, pending: _Pending | None, label):
    """The words between dates: leads ("trước", "chậm nhất", "từ" ...), labels ("Ngày đăng"),
    tails ("là thời hạn cuối"), recurrences ("hằng năm") and "năm sau"."""
    if sc.t[i].kind != "word" or sc.t[i].text not in _WORD_STARTS:
        return i + 1, pending, label
    last = out.exprs[-1] if out.exprs else None
    touching = last is not None and i == last.end
    if (lead := _lead_at(sc, i)) is not None:
        kind, reach, j = lead
        return j, _Pending(kind, i, j - 1, reach), label
    if (lab := _label_at(sc, i)) is not None:
        return lab[1], pending, lab
    for tail in _TAILS if touching and sc.t[i].text == "la" else ():
        if sc.words(i, tail):
            if last.lead in (None, "to"):  # type: ignore[union-attr]
                last.lead = "by"  # type: ignore[union-attr]
            last.end = i + len(tail)  # type: ignore[union-attr]
            return last.end, pending, label  # type: ignore[union-attr]
    if touching and sc.words(i, ("tro", "di")):
        last.lead = "block"  # type: ignore[union-attr]  # "từ 15/10/2024 trở đi": open-ended
        return i + 2, pending, label
    if sc.w(i, "hang", "moi") and sc.w(i + 1, *RECURRENCE):
        out.recurrence.append(RECURRENCE[sc.t[i + 1].text])
        if touching:
            last.end = i + 2  # type: ignore[union-attr]
        return i + 2, pending, label
    if touching and sc.w(i, "nam") and sc.w(i + 1, "sau", "toi"):
        last.next_year = True  # type: ignore[union-attr]
        last.end = i + 2  # type: ignore[union-attr]
        return i + 2, pending, label
    return i + 1, pending, label


def _step(sc: _Scanner, i: int) -> tuple[str, object, int] | None:
    """What starts at token i: ("expr" | "time" | "weekday" | "part" | "skip", found, next index)."""
    if sc.code[i]:
        return _citation(sc, i)
    if sc.w(i, "ngay"):
        k = i + 1
        while k < sc.n and sc.s(k, ".…_") and k - i < LOOKAHEAD:
            k += 1
        if sc.w(k, "thang"):
            raise DateSyntaxError("ngày tháng ghi chưa đủ (còn để trống ngày hoặc tháng)")
    tok = sc.t[i]
    if tok.kind == "sym" or (tok.kind == "word" and tok.text not in _STARTS):
        return None  # no rule starts with this token: keep the scan cheap
    got = sc.times(i)
    if got is not None:
        return "time", got[0], got[1]
    for rule in (sc.month_day, sc.day_range, sc.days):
        got = rule(i)
        if got is not None:
            return ("skip" if got[0] is LUNAR else "expr"), got[0], got[1]
    got = sc.weekdays(i)
    if got is not None:
        return "weekday", got[0], got[1]
    got = sc.part(i)
    if got is not None:
        return "part", got[0], got[1]
    for rule in (sc.month_part, sc.school_week, sc.months, sc.quarter, sc.semester, sc.school_year, sc.calendar_year):
        got = rule(i)
        if got is not None:
            return ("skip" if got[0] is LUNAR else "expr"), got[0], got[1]
    return None


def _citation(sc: _Scanner, i: int) -> tuple[str, object, int]:
    """A document number and the date that follows it ("Quyết định số 2045/QĐ-BGDĐT ngày
    31/7/2024"): the date of a cited document, never a deadline of this one."""
    j = i
    while j < sc.n and sc.code[j] and j - i < LOOKAHEAD:
        j += 1
    k = j + 1 if sc.s(j, ",") else j
    try:
        got = sc.day(k) if k < sc.n else None
    except DateSyntaxError:
        got = None
    return "skip", None, got[1] if got else max(j, i + 1)


# The words a rule may start with (a number starts most of them).
_STARTS = frozenset({
    "ngay", "mung", "mong", "tu", "luc", "vao", "thu", "chu", "cn", "buoi", *PARTS, "dau", "giua", "cuoi", "tuan",
    "thang", "quy", "hoc", "hk", "hki", "hkii", "ky", "ki", "nam",
})
def _by_first_word(items: tuple) -> dict[str, list]:
    """Word sequences (first item of each entry) indexed by their first word."""
    index: dict[str, list] = {}
    for item in items:
        index.setdefault(item[0][0], []).append(item)
    return index


_LEADS_BY_WORD = _by_first_word(_LEADS)
_LABELS_BY_WORD = _by_first_word(LABELS)
_WORD_STARTS = frozenset(_LEADS_BY_WORD) | frozenset(_LABELS_BY_WORD) | {"la", "tro", "hang", "moi", "nam"}


def _lead_at(sc: _Scanner, i: int) -> tuple[str, int, int] | None:
    for words, kind, reach in _LEADS_BY_WORD.get(sc.t[i].text, ()):
        if sc.words(i, words):
            j = i + len(words)
            if kind == "before" and sc.num(j) is not None and sc.w(j + 1, "ngay", "tuan", "thang", "nam"):
                return None  # "trước 03 ngày": relative, no date
            return kind, reach, j
    return None


def _label_at(sc: _Scanner, i: int) -> tuple[str, int] | None:
    for words, name in _LABELS_BY_WORD.get(sc.t[i].text, ()):
        if sc.words(i, words):
            return name, i + len(words)
    return None


def _reaches(sc: _Scanner, pending: _Pending, i: int) -> bool:
    last, reach = pending.last, pending.reach
    if reach:
        return i - last <= reach
    k = last + 1
    while k < i:
        if not (sc.w(k, *FILLERS) or sc.s(k, ":,")):
            return False
        k += 1
    return True


GLUE = frozenset({"ngay", "trung", "vao", "la", "tuc", "roi"})


def _attach_weekdays(sc: _Scanner, out: Scan, weekdays: list[tuple[int, int, list[int]]]) -> None:
    """A weekday belongs to the day expression it touches ("Thứ Sáu, ngày 12/4", "05/9/2023 (Thứ Ba)",
    "(29/4) trùng vào thứ Bảy") or stands for a weekly day ("thứ Hai hằng tuần"); any other "thứ …"
    is ordinary text."""
    for start, end, days in weekdays:
        target = None
        for expr in out.exprs:
            if 0 <= expr.a - end <= 3 and _only_glue(sc, end, expr.a):
                target = expr
                break
            if 0 <= start - expr.b <= 3 and _only_glue(sc, expr.b, start) and not expr.weekdays:
                target = expr
        if target is not None:
            target.weekdays.extend(days)
        elif "weekly" in out.recurrence:
            out.exprs.append(Expr(a=start, b=end, weekdays=list(days)))


def _only_glue(sc: _Scanner, a: int, b: int) -> bool:
    return all(sc.s(k, ",-–()|") or sc.w(k, *GLUE) for k in range(a, b))
