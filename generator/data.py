"""Open data (/du-lieu/): the plans and their dated items as JSON and CSV, with their schemas; the
JSON Schema of a plan file (/schema/); the original documents the plans were transcribed from.

Pure: corpus in, {docs path: bytes} out. Each dataset is described once, as a list of `Column`s,
and that one list makes the JSON records, the CSV header, the JSON Schema and the table on the
/du-lieu/ page, so they can never disagree. CSV is UTF-8 with a BOM (Excel then reads Vietnamese
correctly) and CRLF line ends; a list is joined with "; ". Records are sorted, dates are ISO
yyyy-mm-dd, nothing depends on the clock: the same commit gives the same bytes.

The dated items (`han-chot`) come from one function, `dated_items`, so that it is the one place to
switch when every dated item of a plan comes from a single list.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from generator.events import Event, Kind
from generator.corpus import Corpus, source_path
from generator.feeds import one_line, plain
from generator.model import Plan, plan_json_schema, registry_json_schema
from generator.pages import SOURCES_URL, Settings, environment, plan_url

DATA_DIR = "du-lieu"
SCHEMA_DIR = "schema"
PAGE = f"{DATA_DIR}/index.md"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "string", "integer", "date", "list" (of strings); every one but integer may be null
    description: str  # Vietnamese, shown on the page and in the JSON Schema
    value: Callable[[Any], Any]
    required: bool = False


@dataclass(frozen=True)
class Dataset:
    name: str  # file stem: du-lieu/<name>.json, .csv, .schema.json
    title: str
    record: str  # what one record is
    columns: tuple[Column, ...]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# ---- plans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    plan: Plan
    corpus: Corpus
    settings: Settings
    dated: int  # how many of its items are in han-chot


PLANS = Dataset(
    "ke-hoach",
    "Kế hoạch",
    "một kế hoạch",
    (
        Column("id", "string", "mã kế hoạch (tên tệp YAML)", lambda r: r.plan.id, True),
        Column("url", "string", "địa chỉ trang kế hoạch", lambda r: r.settings.site_url + plan_url(r.plan), True),
        Column("number", "string", "số, ký hiệu như in", lambda r: r.plan.number),
        Column("kind", "string", "loại văn bản", lambda r: r.plan.kind, True),
        Column("title", "string", "trích yếu", lambda r: r.plan.title, True),
        Column("issuers", "list", "mã các cơ quan ban hành", lambda r: list(r.plan.issuers), True),
        Column("issuer_names", "list", "tên các cơ quan ban hành", lambda r: [r.corpus.units[i].name for i in r.plan.issuers], True),
        Column("place", "string", "địa danh như in", lambda r: r.plan.place),
        Column("issued", "date", "ngày ban hành (khi ngày in đầy đủ)", lambda r: _iso(r.plan.issued_day)),
        Column("issued_as_printed", "string", "ngày ban hành như in", lambda r: r.plan.issued.text if r.plan.issued else None),
        Column("year", "integer", "năm của kế hoạch", lambda r: r.plan.period.year if r.plan.period else None),
        Column("school_year", "string", "năm học, ví dụ 2024-2025", lambda r: r.plan.period.school_year if r.plan.period else None),
        Column("period_start", "date", "ngày bắt đầu thời kỳ của kế hoạch", lambda r: _iso(r.plan.period.first_day) if r.plan.period else None),
        Column("period_end", "date", "ngày kết thúc thời kỳ của kế hoạch", lambda r: _iso(r.plan.period.last_day) if r.plan.period else None),
        Column("status", "string", "tình trạng: draft, published hoặc superseded", lambda r: r.plan.status.value, True),
        Column("superseded_by", "string", "mã kế hoạch thay thế", lambda r: r.plan.superseded_by),
        Column("updated", "date", "ngày cập nhật nội dung gần nhất", lambda r: _iso(r.plan.updated), True),
        Column("movements", "list", "mã các phong trào, cuộc vận động", lambda r: list(r.plan.movements), True),
        Column("tasks", "integer", "số nhiệm vụ và dòng lịch", lambda r: len(r.plan.all_tasks), True),
        Column("dated_items", "integer", "số mục có thời hạn (trong han-chot)", lambda r: r.dated, True),
        Column("source", "string", "địa chỉ văn bản gốc trên trang", lambda r: source_url(r.plan, r.settings)),
        Column("source_url", "string", "nơi văn bản gốc được công bố", lambda r: r.plan.source.url if r.plan.source else None),
    ),
)


# ---- dated items --------------------------------------------------------------------------------


RECORD_KINDS = {Kind.TASK: "nhiem-vu", Kind.ROW: "lich", Kind.PHASE: "giai-doan"}


@dataclass(frozen=True)
class DatedItem:
    """One dated task, schedule row or phase of a plan (an Event of generator/events.py)."""

    event: Event

    @property
    def plan(self) -> Plan:
        return self.event.plan

    @property
    def kind(self) -> str:
        return RECORD_KINDS[self.event.kind]

    @property
    def item_id(self) -> str:
        return self.event.item_id

    @property
    def label(self) -> str:
        item = self.event.item
        return one_line(item.label) if self.event.kind is Kind.PHASE else one_line(plain(item.summary))

    @property
    def task(self):
        return self.event.task


def dated_items(corpus: Corpus) -> list[DatedItem]:
    """Every dated task, schedule row and phase, by due day: the records of han-chot.json/csv.
    They are the corpus's events (the same list the pages and feeds show), anniversaries aside."""
    return [DatedItem(e) for e in sorted(corpus.events, key=lambda e: (e.last, e.plan.id, e.kind.value, e.item_id))
            if e.kind in RECORD_KINDS]


@dataclass(frozen=True)
class ItemRow:
    item: DatedItem
    settings: Settings


DATED = Dataset(
    "han-chot",
    "Thời hạn",
    "một nhiệm vụ có thời hạn, một dòng lịch hoặc một giai đoạn (mục có ngày) của một kế hoạch",
    (
        Column("plan_id", "string", "mã kế hoạch", lambda r: r.item.plan.id, True),
        Column("plan_number", "string", "số, ký hiệu của kế hoạch", lambda r: r.item.plan.number),
        Column("plan_url", "string", "địa chỉ trang kế hoạch", lambda r: r.settings.site_url + plan_url(r.item.plan), True),
        Column("item_url", "string", "địa chỉ của mục trên trang kế hoạch", lambda r: r.settings.site_url + plan_url(r.item.plan) + "#" + r.item.event.anchor, True),
        Column("kind", "string", "loại mục: nhiem-vu (nhiệm vụ), lich (dòng lịch) hoặc giai-doan (giai đoạn, đợt)", lambda r: r.item.kind, True),
        Column("item_id", "string", "mã của mục trong kế hoạch", lambda r: r.item.item_id, True),
        Column("label", "string", "nội dung nhiệm vụ hoặc tên giai đoạn", lambda r: r.item.label, True),
        Column("as_printed", "string", "thời hạn, thời gian đúng như văn bản ghi", lambda r: r.item.event.when.text, True),
        Column("deadline_kind", "string", "cách ghi thời hạn: on, before, by, month, range, quarter, semester …", lambda r: r.item.event.when.kind.value, True),
        Column("start", "date", "ngày đầu tiên trên lịch", lambda r: _iso(r.item.event.first), True),
        Column("end", "date", "ngày hạn: ngày cuối cùng trên lịch", lambda r: _iso(r.item.event.last), True),
        Column("headers", "list", "các tiêu đề nhóm của dòng lịch, như in (tháng, tuần)", lambda r: list(r.item.event.headers), True),
        Column("units", "list", "mã các đơn vị thực hiện và phối hợp", lambda r: list(r.item.event.units), True),
        Column("units_text", "string", "đơn vị thực hiện như văn bản ghi", lambda r: r.item.task.units_text if r.item.task else None),
        Column("people", "list", "người, chức danh phụ trách như văn bản ghi", lambda r: list(r.item.task.people) if r.item.task else [], True),
        Column("location", "string", "địa điểm như văn bản ghi", lambda r: r.item.task.location if r.item.task else None),
    ),
)


# ---- serialisation --------------------------------------------------------------------------------


def records(dataset: Dataset, rows: list[Any]) -> list[dict[str, Any]]:
    return [{c.name: c.value(row) for c in dataset.columns} for row in rows]


def to_json(data: list[dict[str, Any]]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_csv(dataset: Dataset, data: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in dataset.columns])
    for record in data:
        writer.writerow([_cell(record[c.name]) for c in dataset.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


_JSON_TYPES = {
    "string": {"type": ["string", "null"]},
    "integer": {"type": ["integer", "null"]},
    "date": {"type": ["string", "null"], "format": "date"},
    "list": {"type": "array", "items": {"type": "string"}},
}


def json_schema(dataset: Dataset, settings: Settings) -> dict[str, Any]:
    properties = {}
    for c in dataset.columns:
        prop = dict(_JSON_TYPES[c.type], description=c.description)
        if c.required and c.type != "list":
            prop["type"] = prop["type"][0]
        properties[c.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{settings.site_url}{DATA_DIR}/{dataset.name}.schema.json",
        "title": f"{dataset.title} ({dataset.name}.json)",
        "description": f"Mỗi bản ghi là {dataset.record}.",
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": [c.name for c in dataset.columns],
            "properties": properties,
        },
    }


def _dumps(schema: dict[str, Any], sort_keys: bool = True) -> bytes:
    # Sorted, the same text as `planpub schema`; a dataset's schema keeps its columns in order.
    return (json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n").encode("utf-8")


# ---- the original documents -------------------------------------------------------------------


def source_url(plan: Plan, settings: Settings) -> str | None:
    name = plan.source.file if plan.source else None
    return f"{settings.site_url}{SOURCES_URL}/{quote(name)}" if name else None


def source_files(root: Path, corpus: Corpus) -> dict[str, bytes]:
    """Each plan's original document at van-ban-goc/<file> (load_project checked that it exists)."""
    names = sorted({p.source.file for p in corpus.plans if p.source and p.source.file})
    return {f"{SOURCES_URL}/{name}": source_path(root, name).read_bytes() for name in names}


# ---- all of it ----------------------------------------------------------------------------------


def data_files(root: Path, corpus: Corpus, settings: Settings) -> dict[str, str | bytes]:
    """Every open-data file, the schemas, the original documents and the /du-lieu/ page."""
    items = dated_items(corpus)
    count: dict[str, int] = {}
    for item in items:
        count[item.plan.id] = count.get(item.plan.id, 0) + 1
    plan_rows = [PlanRow(p, corpus, settings, count.get(p.id, 0)) for p in corpus.plans]
    tables = [(PLANS, records(PLANS, plan_rows)), (DATED, records(DATED, [ItemRow(i, settings) for i in items]))]
    files: dict[str, str | bytes] = {}
    for dataset, data in tables:
        files[f"{DATA_DIR}/{dataset.name}.json"] = to_json(data)
        files[f"{DATA_DIR}/{dataset.name}.csv"] = to_csv(dataset, data)
        files[f"{DATA_DIR}/{dataset.name}.schema.json"] = _dumps(json_schema(dataset, settings), sort_keys=False)
    files[f"{SCHEMA_DIR}/plan.schema.json"] = _dumps(plan_json_schema())
    files[f"{SCHEMA_DIR}/registry.schema.json"] = _dumps(registry_json_schema())
    files.update(source_files(root, corpus))
    files[PAGE] = environment().get_template("data.md.j2").render(
        datasets=[(dataset, len(data)) for dataset, data in tables], settings=settings, schema_dir=SCHEMA_DIR
    )
    return files
