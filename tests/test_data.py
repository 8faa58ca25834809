"""Open data, /cap-nhat/ and the original documents, from the seed plans through the core pipeline."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import feedparser
import jsonschema
import pytest

from conftest import ROOT
from generator import data, updates
from generator.model import plan_json_schema
from generator.bulk import unpacked
from generator.site import build

URL = "https://example.org/kh/"


@pytest.fixture(scope="module")
def files():
    return {path: unpacked(value) for path, value in build(ROOT, URL, today=date(2024, 1, 2)).files.items()}


@pytest.fixture(scope="module")
def corpus():
    return build(ROOT, URL, today=date(2024, 1, 2)).corpus


@pytest.mark.parametrize("name", ["ke-hoach", "han-chot"])
def test_records_follow_their_published_schema_and_csv_matches_json(files, name):
    records = json.loads(files[f"du-lieu/{name}.json"])
    schema = json.loads(files[f"du-lieu/{name}.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(records, schema, format_checker=jsonschema.FormatChecker())
    raw = files[f"du-lieu/{name}.csv"]
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(schema["items"]["properties"]) == list(records[0])
    assert len(rows) - 1 == len(records)
    for row, record in zip(rows[1:], records):
        assert row[0] == str(record[rows[0][0]])


def test_one_record_per_plan_and_per_dated_task_and_phase(files, corpus):
    plans = json.loads(files["du-lieu/ke-hoach.json"])
    assert [p["id"] for p in plans] == [p.id for p in corpus.plans]
    items = json.loads(files["du-lieu/han-chot.json"])
    dated = [(p.id, ph.id) for p in corpus.plans for ph in p.phases if ph.when and ph.when.start and ph.when.end]
    undated = [(p.id, ph.id) for p in corpus.plans for ph in p.phases if (p.id, ph.id) not in dated]
    assert len(items) == len(corpus.deadlines) + len(dated) and dated and undated  # "ĐỢT II", printed without dates
    assert {(i["plan_id"], i["item_id"]) for i in items if i["kind"] == "giai-doan"} == set(dated)
    # the same items as the pages and feeds: the corpus's events, anniversaries aside
    assert sorted((i["plan_id"], i["item_id"]) for i in items) == sorted(
        (e.plan.id, e.item_id) for e in corpus.events if e.kind.value != "anniversary")
    assert [i["end"] for i in items] == sorted(i["end"] for i in items)
    dong_da = next(i for i in items if i["plan_id"] == "2023-pgddt-dong-da-01" and i["as_printed"] == "Trước ngày 25/01/2023")
    assert dong_da["end"] == "2023-01-24" and dong_da["kind"] == "nhiem-vu" and dong_da["plan_number"] == "01/KH-PGDĐT"
    assert sum(p["dated_items"] for p in plans) == len(items)


def test_the_plan_schema_has_a_stable_address(files):
    schema = json.loads(files["schema/plan.schema.json"])
    assert schema == json.loads(json.dumps(plan_json_schema()))
    assert "registry" in json.loads(files["schema/registry.schema.json"])["title"]


def test_original_documents_are_published_and_linked(files, corpus):
    for plan in corpus.plans:
        name = plan.source.file
        assert files[f"van-ban-goc/{name}"] == (ROOT / "plans/_sources" / name).read_bytes()
        assert f"](../van-ban-goc/{name})" in files[f"ke-hoach/{plan.id}.md"]
        record = next(p for p in json.loads(files["du-lieu/ke-hoach.json"]) if p["id"] == plan.id)
        assert record["source"] == f"{URL}van-ban-goc/{name}"


def test_updates_newest_first_and_a_valid_atom_feed(files, corpus):
    listed = updates.updates(corpus)
    keys = [(u.day, u.plan.issued_day or date.min) for u in listed]
    assert keys == sorted(keys, reverse=True)
    feed = feedparser.parse(files["cap-nhat/atom.xml"])
    assert not feed.bozo and feed.version == "atom10"
    assert [e.link for e in feed.entries] == [f"{URL}ke-hoach/{u.plan.id}/" for u in listed]
    assert feed.feed.updated.startswith(max(p.updated for p in corpus.plans).isoformat())
    page = files["cap-nhat/index.md"]
    assert page.index(listed[0].plan.id) < page.index(listed[-1].plan.id)
    assert "](atom.xml)" in page


def test_the_data_page_documents_every_field(files):
    page = files["du-lieu/index.md"]
    for dataset in (data.PLANS, data.DATED):
        for column in dataset.columns:
            assert f"| `{column.name}` |" in page
        assert f"]({dataset.name}.csv)" in page and f"]({dataset.name}.schema.json)" in page


def test_data_files_are_deterministic(files):
    again = build(ROOT, URL, today=date(2030, 6, 1)).files  # another reference day: the data does not move
    for path in ("du-lieu/ke-hoach.json", "du-lieu/han-chot.csv", "cap-nhat/atom.xml", "cap-nhat/index.md"):
        assert again[path] == files[path], path
