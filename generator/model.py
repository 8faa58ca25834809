"""The one definition of a plan (kế hoạch) and of the shared registries.

Field names follow the components of an administrative document (Decree 30/2020/NĐ-CP) and what
the seed plans actually contain. Everything a plan says in time is written as printed
("Trước ngày 25/01/2023") and parsed into a structured `Deadline` with the plan's period as context,
so the wording always travels with the date.

Validation is strict: unknown fields are errors, a number is never a date or a text, ids are ASCII
slugs safe as URL segments and file names on every OS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from typing import Annotated, Any, Iterator, Literal

from pydantic import (
    Strict,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.dates import (
    DateContext,
    DateError,
    Deadline,
    DeadlineKind,
    SchoolTerms,
    format_date,
    header_month,
    parse_date,
    parse_deadline,
    parse_partial_date,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # for JSON Schema (ECMA: `$` is the end of the text)
ID_MAX = 80
_ID_RE = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # Python's `$` also matches before a final newline
# Names Windows refuses as file names, whatever the extension.
RESERVED_IDS = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def _check_id(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("id_type", "mã (id) phải là chuỗi văn bản, không phải {kind}", {"kind": _kind(value)})
    if len(value) > ID_MAX:
        raise PydanticCustomError(
            "id_too_long", "mã (id) dài {n} ký tự, tối đa {max}", {"n": len(value), "max": ID_MAX}
        )
    if not _ID_RE.match(value):
        raise PydanticCustomError(
            "id_pattern",
            "mã (id) “{value}” không hợp lệ: chỉ dùng chữ thường không dấu a-z, chữ số 0-9 và dấu gạch "
            "nối “-” (không dấu cách, không “/”, không “..”), ví dụ “2024-pgddt-thanh-xuan-02”",
            {"value": value},
        )
    if value in RESERVED_IDS:
        raise PydanticCustomError(
            "id_reserved", "mã (id) “{value}” là tên bị Windows cấm dùng làm tên tệp; hãy chọn tên khác", {"value": value}
        )
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "giá trị đúng/sai"
    if isinstance(value, (int, float)):
        return f"số {value!r}"
    if value is None:
        return "rỗng"
    if isinstance(value, list):
        return "danh sách"
    if isinstance(value, dict):
        return "bảng khóa–giá trị"
    if isinstance(value, str):
        return f"văn bản “{value[:40]}”"
    return type(value).__name__


def _to_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "date_not_text",
            "ngày phải viết dạng chuỗi “dd/mm/yyyy” (ví dụ “02/01/2024”), không phải {kind}",
            {"kind": _kind(value)},
        )
    try:
        return parse_date(value)
    except DateError as err:
        raise PydanticCustomError("date_invalid", "{message}", {"message": str(err)}) from None


@dataclass(frozen=True)
class PrintedMoment:
    """A possibly incomplete date as printed ("20/11/1982", "22/12", "10/1954", "1831") and its parts."""

    text: str
    year: int | None
    month: int | None
    day: int | None

    def __str__(self) -> str:
        return self.text


def _to_partial_date(value: Any) -> PrintedMoment:
    if isinstance(value, PrintedMoment):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "date_not_text",
            "mốc thời gian phải viết dạng chuỗi (“10/1954”, “20/11/1982”, “22/12”), không phải {kind}",
            {"kind": _kind(value)},
        )
    try:
        parts = parse_partial_date(value)
    except DateError as err:
        raise PydanticCustomError("date_invalid", "{message}", {"message": str(err)}) from None
    return PrintedMoment(value.strip(), parts.year, parts.month, parts.day)


@dataclass(frozen=True)
class PrintedDate:
    """A date as the document prints it, next to its structured reading.

    `day` is None when the printed date is incomplete ("ngày … tháng 9 năm 2024") or does not exist
    ("ngày 30 tháng 02 năm 2023", "tháng 0"): the words are kept, nothing is guessed, and the checker
    warns the editor (corpus.py).
    """

    text: str
    day: date | None

    def __str__(self) -> str:
        return self.text


_DIGIT = re.compile(r"[0-9]")


def _to_printed_date(value: Any) -> PrintedDate:
    if isinstance(value, PrintedDate):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "date_not_text",
            "ngày phải viết dạng chuỗi, như văn bản in (ví dụ “ngày 15 tháng 10 năm 2024” hoặc “02/01/2024”), "
            "không phải {kind}",
            {"kind": _kind(value)},
        )
    text = " ".join(value.split()) if "\n" in value else value.strip()
    if not text:
        raise PydanticCustomError("string_empty", "không được để trống", {})
    if _ISO_DAY.fullmatch(text):  # the editor's own structured form: it must be a real day
        return PrintedDate(text, _to_date(text))
    try:
        return PrintedDate(text, parse_date(text))
    except DateError:
        pass
    if not _DIGIT.search(text):  # an incomplete printed date still prints a number: its month or year
        raise PydanticCustomError(
            "date_invalid",
            "không đọc được ngày “{text}”: hãy chép ngày như văn bản in, ví dụ “ngày 15 tháng 10 năm 2024”",
            {"text": text[:60]},
        )
    return PrintedDate(text, None)


_ISO_DAY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def _to_deadline(value: Any, info: ValidationInfo) -> Deadline:
    if isinstance(value, Deadline):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "deadline_type",
            "thời hạn phải là chuỗi văn bản như trong văn bản gốc (ví dụ “Trước ngày 25/01/2023”), không phải {kind}",
            {"kind": _kind(value)},
        )
    context = (info.context or {}).get("dates")
    return parse_deadline(value, context)


Id = Annotated[str, BeforeValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX})]
Text = Annotated[str, Field(min_length=1)]
Markdown = Annotated[str, Field(min_length=1, description="Markdown; raw HTML is shown as text")]
Day = Annotated[
    date,
    BeforeValidator(_to_date),
    PlainSerializer(format_date, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "dd/mm/yyyy (02/01/2024) or yyyy-mm-dd",
            "pattern": r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})$",
        }
    ),
]
Moment = Annotated[
    PrintedMoment,
    BeforeValidator(_to_partial_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "description": "1831, 10/1954, 20/11/1982 or 22/12"}),
]
AsPrintedDate = Annotated[
    PrintedDate,
    BeforeValidator(_to_printed_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "pattern": "[0-9]",
            "description": "as printed: “ngày 15 tháng 10 năm 2024”, “02/01/2024”; an incomplete printed date "
            "(“ngày … tháng 9 năm 2024”) is kept as printed, with no calendar date and a warning",
        }
    ),
]
DeadlineText = Annotated[
    Deadline,
    BeforeValidator(_to_deadline),
    PlainSerializer(lambda d: d.text, return_type=str),
    WithJsonSchema({"type": "string", "description": "as printed: “Trước ngày 25/01/2023”, “Tháng 02/2023”, …"}),
]
SchoolYear = Annotated[
    str,
    Field(pattern=r"^\d{4}-\d{4}$", description="e.g. 2023-2024"),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, use_enum_values=False, validate_default=False)


# ---- registries -------------------------------------------------------------------------------


class Unit(Model):
    """An organisation: issuer, responsible unit, recipient (Sở, Phòng, trường, cụm thi đua …)."""

    id: Id
    name: Text = Field(description="full name, e.g. Phòng Giáo dục và Đào tạo quận Thanh Xuân")
    short: Text | None = Field(None, description="short name as usually printed, e.g. Phòng GDĐT quận Thanh Xuân")
    aliases: list[Text] = Field(default_factory=list, description="other spellings found in plans")
    parent: Id | None = Field(None, description="the body it belongs to (registry id)")
    province: Text | None = None

    @property
    def label(self) -> str:
        return self.short or self.name


class MovementKind(str, Enum):
    EMULATION = "phong-trao-thi-dua"
    CAMPAIGN = "cuoc-van-dong"
    AWARD = "giai-thuong"

    @property
    def label(self) -> str:
        return {"phong-trao-thi-dua": "Phong trào thi đua", "cuoc-van-dong": "Cuộc vận động", "giai-thuong": "Giải thưởng"}[
            self.value
        ]


class Movement(Model):
    """A movement (phong trào thi đua), campaign (cuộc vận động) or award (giải thưởng)."""

    id: Id
    name: Text = Field(description="canonical name, without quotes")
    kind: Annotated[MovementKind, Strict(False)]
    aliases: list[Text] = Field(default_factory=list, description="names as written in different plans")
    launched_by: Text | None = Field(None, description="who launched it, as printed")
    period: Text | None = Field(None, description="e.g. giai đoạn 2022 - 2025")
    description: Markdown | None = None


class Term(Model):
    """A semester (học kỳ) of a school-year calendar, as far as the document prints it."""

    start: Day | None = Field(None, description="first day, when printed")
    end: Day | None = Field(None, description="last day; “trước ngày 18/01/2025” is 17/01/2025")
    printed: Text | None = Field(None, description="the sentence as printed")


class Holiday(Model):
    name: Text = Field(description="e.g. Nghỉ Tết Nguyên đán")
    start: Day
    end: Day
    printed: Text | None = None


class SchoolCalendar(Model):
    """A school-year calendar (khung kế hoạch thời gian năm học): the Bộ GDĐT's framework for the
    whole country, or a province's own calendar.  Semester and school-week deadlines take their
    days from it; dates are what the document prints, ``printed`` quotes it, ``sources`` say where."""

    id: Id
    school_year: SchoolYear
    province: Text | None = Field(None, description="the province it applies to; empty for the Bộ GDĐT's framework")
    level: Text | None = Field(
        None, description="the level it is for when the calendar differs by level (Mầm non, THCS …): recorded, not applied"
    )
    issuer: Text = Field(description="as printed: Bộ Giáo dục và Đào tạo, UBND tỉnh Quảng Ninh")
    document: Text = Field("Quyết định", description="loại văn bản")
    number: Text | None = Field(None, description="số, ký hiệu, e.g. 2045/QĐ-BGDĐT; empty when no source found gives it")
    date: Day | None = Field(None, description="ngày ban hành, when a source gives it")
    sources: list[Text] = Field(min_length=1, description="where the entry was read (http/https addresses)")
    first_day: Day | None = Field(None, description="ngày tựu trường (or the earliest one allowed)")
    opening: Day | None = Field(None, description="ngày khai giảng")
    semester_1: Term | None = None
    semester_2: Term | None = None
    end: Day | None = Field(None, description="kết thúc năm học (last day)")
    end_printed: Text | None = None
    week_1: Day | None = Field(None, description="Monday of school week 1, when printed")
    holidays: list[Holiday] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)

    @field_validator("sources")
    @classmethod
    def _http(cls, value: list[str]) -> list[str]:
        for url in value:
            if not re.match(r"^https?://", url, re.IGNORECASE):
                raise PydanticCustomError("url_scheme", "địa chỉ phải bắt đầu bằng http:// hoặc https://", {})
        return value

    @property
    def label(self) -> str:
        doc = f"{self.document} {self.number}" if self.number else f"khung kế hoạch thời gian năm học {self.school_year}"
        return f"{doc} ({self.issuer})"

    @property
    def terms(self) -> SchoolTerms:
        first, second = (int(part) for part in self.school_year.split("-"))

        def span(term: Term | None) -> tuple[date | None, date | None]:
            return (term.start, term.end) if term is not None else (None, None)

        return SchoolTerms((first, second), self.label, span(self.semester_1), span(self.semester_2), self.end, self.week_1)


class Registry(Model):
    """One file under plans/_registry/: units, movements and/or school-year calendars."""

    units: list[Unit] = Field(default_factory=list)
    movements: list[Movement] = Field(default_factory=list)
    calendars: list[SchoolCalendar] = Field(default_factory=list)


# ---- plan parts -------------------------------------------------------------------------------


class Status(str, Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return {"draft": "Dự thảo", "published": "Đã ban hành", "superseded": "Đã được thay thế"}[self.value]


class Period(Model):
    """A calendar year (năm 2024) and/or a school year (năm học 2023-2024)."""

    year: int | None = Field(None, ge=1945, le=2100)
    school_year: SchoolYear | None = None
    start: Day | None = Field(None, description="defaults to 01/01 of the year or 01/09 of the school year")
    end: Day | None = Field(None, description="defaults to 31/12 of the year or 31/08 of the school year")

    @field_validator("school_year")
    @classmethod
    def _consecutive(cls, value: str | None) -> str | None:
        if value is not None:
            first, second = (int(part) for part in value.split("-"))
            if second != first + 1:
                raise PydanticCustomError(
                    "school_year", "năm học “{value}” phải gồm hai năm liên tiếp, ví dụ “2023-2024”", {"value": value}
                )
        return value

    @model_validator(mode="after")
    def _check(self) -> Period:
        if self.year is None and self.school_year is None:
            raise PydanticCustomError("period_empty", "cần ghi “year” (năm) hoặc “school_year” (năm học)", {})
        if self.first_day > self.last_day:
            raise PydanticCustomError(
                "period_order",
                "ngày kết thúc {end} đứng trước ngày bắt đầu {start}",
                {
                    "start": format_date(self.first_day),
                    "end": format_date(self.last_day),
                    "path": ("end",) if self.end else ("start",),  # the field the editor wrote: where the error shows
                },
            )
        return self

    @property
    def school_years(self) -> tuple[int, int] | None:
        if self.school_year is None:
            return None
        first, second = (int(part) for part in self.school_year.split("-"))
        return first, second

    @property
    def first_day(self) -> date:
        if self.start:
            return self.start
        if self.year is not None:
            return date(self.year, 1, 1)
        return date(self.school_years[0], 9, 1)

    @property
    def last_day(self) -> date:
        if self.end:
            return self.end
        if self.year is not None:
            return date(self.year, 12, 31)
        return date(self.school_years[1], 8, 31)

    @property
    def label(self) -> str:
        if self.year is not None:
            suffix = f" (năm học {self.school_year})" if self.school_year else ""
            return f"Năm {self.year}{suffix}"
        return f"Năm học {self.school_year}"

    @property
    def context(self) -> DateContext:
        return DateContext(year=self.year, school_year=self.school_years)


class Source(Model):
    file: Text | None = Field(None, description="the original file, e.g. scan or text extract")
    url: Text | None = Field(None, description="where the original is published (http/https)")
    note: Text | None = None

    @field_validator("url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://", value, re.IGNORECASE):
            raise PydanticCustomError("url_scheme", "địa chỉ phải bắt đầu bằng http:// hoặc https://", {})
        return value


class Relation(str, Enum):
    BASIS = "can-cu"                   # Căn cứ …
    IMPLEMENTS = "thuc-hien"           # Thực hiện …
    CITED = "trich-dan"                # cited in the body
    ISSUED_WITH = "ban-hanh-kem-theo"  # (Ban hành) kèm theo Quyết định … : the plan is issued with it
    ATTACHED = "kem-theo"              # Kèm theo …: a document attached to the plan

    @property
    def label(self) -> str:
        return _RELATION_LABELS[self.value]


_RELATION_LABELS = {
    "can-cu": "Căn cứ",
    "thuc-hien": "Thực hiện",
    "trich-dan": "Trích dẫn",
    "ban-hanh-kem-theo": "Ban hành kèm theo",
    "kem-theo": "Kèm theo",
}


class DocumentRef(Model):
    """A document a plan is based on, implements or cites, as printed."""

    relation: Annotated[Relation, Strict(False)] = Relation.BASIS
    verb: Text | None = Field(None, description="the words as printed before the document: “Căn cứ vào”, “Thực hiện theo”")
    kind: Text = Field(description="Kế hoạch, Chỉ thị, Nghị quyết, Quyết định, Kết luận, Công văn …")
    number: Text | None = Field(None, description="số, ký hiệu as printed, e.g. 4626/KH-SGDĐT")
    date: AsPrintedDate | None = Field(None, description="ngày as printed, e.g. 20/3/2024")
    issuer: Text | None = Field(None, description="as printed, e.g. Sở Giáo dục và Đào tạo (GDĐT) Hà Nội")
    issuer_units: list[Id] = Field(
        default_factory=list, description="registry ids of the issuer(s), when known; a joint document lists several"
    )
    subject: Text | None = Field(None, description="trích yếu as printed")
    plan: Id | None = Field(None, description="id of this document's plan in the corpus, when it is one")

    @property
    def day(self) -> date | None:
        return self.date.day if self.date else None

    @property
    def label(self) -> str:
        parts = [self.kind]
        if self.number:
            parts.append(f"số {self.number}")
        if self.date:  # as printed: "ngày 25 tháng 8 năm 2015" already says "ngày"
            text = self.date.text
            parts.append(text if text.lower().startswith("ngày") else f"ngày {text}")
        return " ".join(parts)

    @property
    def lead(self) -> str:
        """The words before the document, as printed (“Căn cứ vào”), else the relation's own word."""
        return self.verb or self.relation.label


class Section(Model):
    """A part of the body: I / 1 / 2.1, with Markdown text (bullets as Markdown lists)."""

    number: Text | None = Field(None, description="as printed: II, 1, 2.1")
    heading: Text | None = None
    text: Markdown | None = None
    sections: list[Section] = Field(default_factory=list)


class Anniversary(Model):
    """A day the plan's movements celebrate (ngày kỷ niệm)."""

    id: Id
    name: Text = Field(description="e.g. Ngày Chiến thắng Điện Biên Phủ")
    years: int | None = Field(None, ge=1, le=5000, description="the anniversary's number of years, e.g. 70")
    event: Moment | None = Field(None, description="date of the original event: 07/5/1954, 10/1954, 1831")
    date: Moment | None = Field(
        None, description="the anniversary date: 07/5/2024, 10/2024, or 22/12 (no year: every year, a recurring event)"
    )
    text: Text | None = Field(None, description="as printed")


class Phase(Model):
    """A phase of the emulation (đợt thi đua)."""

    id: Id
    label: Text = Field(description="as printed: Đợt 1, Học kỳ I, Nghỉ Tết")
    when: DeadlineText | None = Field(
        None, description="as printed, e.g. Từ 05/9/2021 đến 16/01/2022; empty when the plan names the phase without dates"
    )
    focus: Markdown | None = None
    anniversaries: list[Id] = Field(default_factory=list, description="ids of this plan's anniversaries")

    @field_validator("when")
    @classmethod
    def _span(cls, value: Deadline | None) -> Deadline | None:
        if value is None:
            return None
        reversed_days = _reversed_days(value.text) if value.start is None else None
        if reversed_days:
            raise PydanticCustomError(
                "phase_order",
                "ngày kết thúc {end} đứng trước ngày bắt đầu {start} trong “{text}”",
                {"text": value.text, "start": format_date(reversed_days[0]), "end": format_date(reversed_days[1])},
            )
        if value.start is not None and value.end is not None and value.start > value.end:
            raise PydanticCustomError(
                "phase_order",
                "ngày kết thúc đứng trước ngày bắt đầu trong “{text}”",
                {"text": value.text},
            )
        return value


_FULL_DAY = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


def _reversed_days(text: str) -> tuple[date, date] | None:
    """(start, end) when a span names two full days, the second before the first (parse_deadline refuses it)."""
    found = _FULL_DAY.findall(text)
    if len(found) != 2:
        return None
    try:
        first, second = parse_date(found[0]), parse_date(found[1])
    except DateError:
        return None
    return (first, second) if second < first else None


class Task(Model):
    """A task (nhiệm vụ) with its responsible units and deadline as printed."""

    id: Id = Field(description="stable id, never the row number")
    number: Text | None = Field(None, description="row number or label as printed (TT)")
    text: Markdown | None = Field(None, description="nội dung as printed; a row of a term calendar may print none")
    units: list[Id] = Field(default_factory=list, description="responsible units (registry ids)")
    units_text: Text | None = Field(None, description="responsible units as printed")
    people: list[Text] = Field(
        default_factory=list,
        description="people or roles responsible, as printed (Hiệu trưởng, PHT, Tổng phụ trách Đội, cô Nguyễn Thị A)",
    )
    partners: list[Id] = Field(default_factory=list, description="units that coordinate (phối hợp), registry ids")
    partners_text: Text | None = Field(None, description="phối hợp, as printed")
    deadline: DeadlineText | None = Field(
        None, description="thời hạn or thời gian as printed (“Trước ngày 25/01/2023”, “7h30 – 9h30 ngày 5/9/2024”); empty when none"
    )
    location: Text | None = Field(None, description="địa điểm as printed: where it happens")
    where: Text | None = Field(None, description="where the plan states it: Phụ lục, III.1, II.3 …")
    movements: list[Id] = Field(default_factory=list)
    remarks: Text | None = Field(None, description="the row's “Ghi chú” as printed")
    notes: Text | None = Field(None, description="the editor's note on this task (not printed in the plan)")

    @property
    def due(self) -> Deadline:
        return self.deadline if self.deadline is not None else parse_deadline(None)

    @property
    def summary(self) -> str:
        """What the task is, as printed: its text, else its row label and remarks (a term calendar's row)."""
        return self.text or " — ".join(filter(None, (self.number, self.remarks))) or (self.deadline.text if self.deadline else "")


class ScheduleGroup(Model):
    """The rows under one header of a schedule: a month (“Tháng 8/2019”), a school week (“Tuần 5”), a day.

    The header says when its rows are: a day printed without a year under “Tháng 8/2019” is in
    August 2019, whatever the school year's convention would say.
    """

    label: Text = Field(description="the header as printed: “Tháng 8/2019”, “Tuần 5”, “Thứ Hai (12/3)”")
    when: DeadlineText | None = Field(None, description="the header's time as printed, when the label is not a date")
    text: Markdown | None = Field(None, description="text printed with the header (“Có ít nhất 19 tuần thực học …”)")
    tasks: list[Task] = Field(default_factory=list, description="the rows under this header")
    groups: list[ScheduleGroup] = Field(default_factory=list, description="sub-headers (weeks of a month …)")
    _header: Deadline | None = PrivateAttr(None)

    @property
    def header(self) -> Deadline | None:
        """The header's reading (its `when`, else its label), once the plan is validated."""
        return self._header


class Schedule(Model):
    """A timetable the plan prints (lịch công tác, chương trình buổi lễ, kế hoạch tháng): rows of time,
    content and who, as a list or grouped under month / week / day headers."""

    id: Id
    title: Text | None = Field(None, description="its heading as printed: “LỊCH CÔNG TÁC THÁNG 9”, “Chương trình buổi lễ”")
    where: Text | None = Field(None, description="where the plan prints it: Phụ lục 1, mục III …")
    when: DeadlineText | None = Field(
        None, description="the day (and time) of the whole schedule, as printed: a programme's “ngày 05 tháng 9 năm 2022”"
    )
    text: Markdown | None = Field(None, description="text printed before the rows")
    tasks: list[Task] = Field(default_factory=list, description="rows not under any header")
    groups: list[ScheduleGroup] = Field(default_factory=list)
    notes: Markdown | None = Field(None, description="text printed after the rows")

    def rows(self) -> Iterator[tuple[tuple[ScheduleGroup, ...], Task]]:
        """Every row with the headers above it, in printed order."""
        for task in self.tasks:
            yield (), task
        yield from _group_rows(self.groups, ())


def _group_rows(groups: list[ScheduleGroup], above: tuple[ScheduleGroup, ...]) -> Iterator[tuple[tuple[ScheduleGroup, ...], Task]]:
    for group in groups:
        path = above + (group,)
        for task in group.tasks:
            yield path, task
        yield from _group_rows(group.groups, path)


class Statistic(Model):
    """A figure the plan prints about the unit (số lớp, số học sinh, số cán bộ …), as printed."""

    text: Text = Field(description="as printed: “Tổng số học sinh 483 em được chia làm 16 lớp”")
    label: Text | None = Field(None, description="what is counted: Số học sinh")
    value: int | float | None = None
    unit: Text | None = Field(None, description="em, lớp, người, % …")


class Target(Model):
    """A target (chỉ tiêu), with the number where the plan states one."""

    text: Text = Field(description="as printed")
    value: int | float | None = None
    unit: Text | None = Field(None, description="%, đơn vị, người …")
    comparator: Literal[">=", "<=", "="] | None = Field(None, description=">= for ít nhất, phấn đấu đạt")
    subject: Text | None = Field(None, description="what is counted")
    by: Text | None = Field(None, description="by when, as printed (đến năm 2025)")


class Authority(str, Enum):
    TM = "TM."
    KT = "KT."
    Q = "Q."
    TL = "TL."
    TUQ = "TUQ."


class Signer(Model):
    """Quyền hạn, chức vụ và họ tên người ký."""

    authority: Annotated[Authority, Strict(False)] | None = Field(None, description="TM. (thay mặt), KT. (ký thay), Q. (quyền), TL. (thừa lệnh)")
    on_behalf_of: Text | None = Field(None, description="after TM./KT.: BAN THƯỜNG VỤ, HỘI ĐỒNG, TRƯỞNG PHÒNG")
    positions: list[Text] = Field(min_length=1, description="chức vụ, as printed")
    name: Text
    unit: Id | None = None

    @property
    def title_lines(self) -> list[str]:
        head = [f"{self.authority.value} {self.on_behalf_of}"] if self.authority and self.on_behalf_of else []
        return head + list(self.positions)


class Plan(Model):
    """One plan (kế hoạch): one YAML file under plans/."""

    id: Id = Field(description="stable ASCII id, e.g. 2024-pgddt-thanh-xuan-02")
    number: Text | None = Field(None, description="số, ký hiệu as printed, e.g. 02/KH-PGDĐT")
    kind: Text = Field("Kế hoạch", description="loại văn bản")
    title: Text = Field(description="trích yếu")
    issuer_block: list[Text] = Field(
        default_factory=list,
        description="the issuer lines at the top left, as printed, top to bottom: “UBND QUẬN ĐỐNG ĐA”, “TRƯỜNG THCS …”",
    )
    issuers: list[Id] = Field(
        default_factory=list, description="cơ quan ban hành (registry ids); joint plans list several; empty when not printed"
    )
    place: Text | None = Field(None, description="địa danh as printed")
    issued: AsPrintedDate | None = Field(None, description="ngày ban hành as printed: “ngày 15 tháng 10 năm 2024”")
    period: Period | None = Field(None, description="the year or school year the plan covers; empty when it says none")
    status: Annotated[Status, Strict(False)] = Status.PUBLISHED
    superseded_by: Id | None = None
    updated: Day = Field(description="date of the last substantive change")
    source: Source | None = None
    theme: Text | None = Field(None, description="chủ đề năm học")
    slogans: list[Text] = Field(default_factory=list, description="khẩu hiệu as printed")
    statistics: list[Statistic] = Field(default_factory=list, description="figures the plan prints (số lớp, số học sinh …)")
    preamble: Markdown | None = Field(None, description="text before section I, as printed")
    bases: list[DocumentRef] = Field(default_factory=list, description="Căn cứ…, Thực hiện…")
    purpose: Markdown | None = Field(None, description="Mục đích")
    requirements: Markdown | None = Field(None, description="Yêu cầu")
    sections: list[Section] = Field(default_factory=list, description="the body after Mục đích, yêu cầu")
    closing: Markdown | None = Field(None, description="closing paragraph (Trên đây là …)")
    appendices: list[Section] = Field(
        default_factory=list, description="phụ lục: heading and text; its table rows are tasks (where: Phụ lục)"
    )
    cites: list[DocumentRef] = Field(default_factory=list, description="documents cited in the body")
    movements: list[Id] = Field(default_factory=list, description="movements and campaigns (registry ids)")
    phases: list[Phase] = Field(default_factory=list, description="đợt, giai đoạn, học kỳ … with their label as printed")
    schedules: list[Schedule] = Field(default_factory=list, description="timetables: rows grouped by month / week / day")
    tasks: list[Task] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    anniversaries: list[Anniversary] = Field(default_factory=list)
    recipients: list[Text] = Field(default_factory=list, description="Nơi nhận, as printed")
    signers: list[Signer] = Field(default_factory=list)
    contacts: list[Text] = Field(default_factory=list, description="contact lines as printed (đầu mối liên hệ, điện thoại, email)")
    notes: list[Markdown] = Field(default_factory=list, description="editor's notes, e.g. contradictions in the source")

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Plan:
        _unique(self.task_paths(), "nhiệm vụ")
        _unique(_paths(self.schedules, ("schedules",)), "lịch (schedules)")
        _unique(_paths(self.phases, ("phases",)), "đợt, giai đoạn (phases)")
        _unique(_paths(self.anniversaries, ("anniversaries",)), "ngày kỷ niệm")
        context = (info.context or {}).get("dates")
        for schedule in self.schedules:
            day = _single_day(schedule.when)
            for task in schedule.tasks:
                if task.deadline is not None:
                    task.deadline = on_day(task.deadline, day)
            _resolve_groups(schedule.groups, context, day)
        known = {a.id for a in self.anniversaries}
        for i, phase in enumerate(self.phases):
            for j, ref in enumerate(phase.anniversaries):
                if ref not in known:
                    raise PydanticCustomError(
                        "unknown_anniversary",
                        "đợt “{phase}” nhắc tới ngày kỷ niệm “{ref}” không có trong mục anniversaries",
                        {"phase": phase.label, "ref": ref, "path": ("phases", i, "anniversaries", j)},
                    )
        if self.status is Status.SUPERSEDED and not self.superseded_by:
            raise PydanticCustomError(
                "superseded_by",
                "kế hoạch đã được thay thế (superseded) cần ghi “superseded_by”: mã kế hoạch mới",
                {"path": ("status",)},
            )
        return self

    @property
    def display_name(self) -> str:
        return f"{self.kind} {self.number}" if self.number else self.title

    @property
    def all_tasks(self) -> list[Task]:
        """The tasks and every schedule row, in printed order (tasks first)."""
        return [task for _, task in self.task_paths()]

    def task_paths(self) -> list[tuple[tuple, Task]]:
        """(path in the plan's data, task) for the tasks and every schedule row."""
        found = [(("tasks", i), task) for i, task in enumerate(self.tasks)]
        for i, schedule in enumerate(self.schedules):
            found += [(("schedules", i, "tasks", j), task) for j, task in enumerate(schedule.tasks)]
            found += _group_task_paths(schedule.groups, ("schedules", i, "groups"))
        return found

    @property
    def dated_tasks(self) -> list[Task]:
        return [t for t in self.all_tasks if t.deadline is not None and t.deadline.end is not None]

    @property
    def issued_day(self) -> date | None:
        """The issue date as a calendar day, when the printed date is complete."""
        return self.issued.day if self.issued else None

    @property
    def context(self) -> DateContext | None:
        return self.period.context if self.period else None

    @classmethod
    def from_data(cls, data: Any) -> Plan:
        """Validate raw data, reading deadlines in the context of the plan's own period."""
        return cls.model_validate(data, context={"dates": period_context(data)})


def period_context(data: Any) -> DateContext | None:
    if isinstance(data, dict) and isinstance(data.get("period"), dict):
        try:
            return Period.model_validate(data["period"]).context
        except ValueError:
            return None
    return None


def _paths(items: list[Any], path: tuple) -> list[tuple[tuple, Any]]:
    return [(path + (i,), item) for i, item in enumerate(items)]


def _group_task_paths(groups: list[ScheduleGroup], path: tuple) -> list[tuple[tuple, Task]]:
    found: list[tuple[tuple, Task]] = []
    for i, group in enumerate(groups):
        found += [(path + (i, "tasks", j), task) for j, task in enumerate(group.tasks)]
        found += _group_task_paths(group.groups, path + (i, "groups"))
    return found


def _unique(items: list[tuple[tuple, Any]], label: str) -> None:
    seen: set[str] = set()
    for path, item in items:
        if item.id in seen:
            raise PydanticCustomError(
                "duplicate_id",
                "mã “{id}” bị trùng trong {label}",
                {"id": item.id, "label": label, "path": path + ("id",)},
            )
        seen.add(item.id)


def _resolve_groups(groups: list[ScheduleGroup], context: DateContext | None, day: date | None = None) -> None:
    """Read each header, then the rows under it in the header's context: its month and year, and
    the day of a row that prints only a time ("7h30 – 9h30" under "Ngày 28 tháng 8 năm 2025")."""
    for group in groups:
        header = group.when or parse_deadline(group.label, context)
        group._header = header
        month = header_month(group.label, context) or (
            (header.start.year, header.start.month) if header.start is not None and header.kind in _HEADER_KINDS else None
        )
        inner = replace(context or DateContext(), month=month) if month else context
        inner_day = _single_day(header) or day
        for task in group.tasks:
            if task.deadline is not None and inner is not context:
                task.deadline = parse_deadline(task.deadline.text, inner)
            if task.deadline is not None:
                task.deadline = on_day(task.deadline, inner_day)
        _resolve_groups(group.groups, inner, inner_day)


_HEADER_KINDS = frozenset({DeadlineKind.MONTH, DeadlineKind.MONTH_PART, DeadlineKind.WEEK, DeadlineKind.SCHOOL_WEEK,
                           DeadlineKind.ON, DeadlineKind.RANGE})


def _single_day(d: Deadline | None) -> date | None:
    return d.start if d is not None and d.kind is DeadlineKind.ON and d.start is not None and d.start == d.end else None


def on_day(d: Deadline, day: date | None) -> Deadline:
    """A time printed without a date ("7h15 – 9h00") on the day its schedule or header prints."""
    if day is None or d.kind is not DeadlineKind.TIME or d.start is not None:
        return d
    return replace(d, kind=DeadlineKind.ON, start=day, end=day)


def plan_json_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "planpub plan"
    return schema


def registry_json_schema() -> dict[str, Any]:
    schema = Registry.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "planpub registry"
    return schema


__all__ = [
    "Anniversary",
    "Authority",
    "DeadlineKind",
    "DocumentRef",
    "Movement",
    "MovementKind",
    "Period",
    "Phase",
    "Plan",
    "Registry",
    "Relation",
    "PrintedDate",
    "Schedule",
    "ScheduleGroup",
    "SchoolCalendar",
    "Section",
    "Signer",
    "Statistic",
    "Source",
    "Status",
    "Target",
    "Task",
    "Unit",
]
