"""Search that forgives missing diacritics: the folding of the index (generator.search), the index
mkdocs writes, and Material's own search worker (run in node) on that index."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, STRICT
from generator.search import FOLDED_FIELDS, dumps, fold_entry, fold_search_index, folded_words

MINI_PLAN = "ke-hoach/2024-mau-01/"


def index_of(*docs: dict) -> dict:
    """A search index shaped like the one Material writes."""
    fields = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}
    return {"config": {"lang": ["vi"], "separator": "[\\s\\-]+", "pipeline": ["stopWordFilter"], "fields": fields}, "docs": list(docs)}


# ---------------------------------------------------------------------------------- folded words


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("Báo cáo tổng kết", "bao cao tong ket"),
        ("Quận Đống Đa", "quan dong da"),
        ("ĐỔI MỚI", "doi moi"),
        ("Phường Ngọc Hà, quận Ba Đình", "phuong ngoc ha quan dinh"),  # ASCII words are indexed already
        ("Số 02/KH-PGDĐT ngày 19/01/2024", "so pgddt ngay"),
        ("<p>Thư mục <code>plans/&lt;năm&gt;/</code> và “Dạy tốt”.</p>", "thu muc nam va day tot"),
        ("báo cáo, rồi báo cáo lại", "bao cao roi bao cao lai"),  # order and repeats kept: a word weighs as often as it occurs
        ("ưu tiên Ơn, ươm, ửng", "uu tien on uom ung"),
    ],
)
def test_folded_words(markup, expected):
    assert folded_words(markup) == expected


def test_decomposed_text_folds_like_composed():
    decomposed = "Ba\u0301o ca\u0301o Đô\u0301ng Đa"  # combining accents, as some keyboards type
    assert folded_words(decomposed) == folded_words("Báo cáo Đống Đa") == "bao cao dong da"


@pytest.mark.parametrize("markup", ["", "<p>plans 2024 yaml</p>", "Tag: <code>id</code> &amp; 12:30", "Ba Vi"])
def test_nothing_to_fold(markup):
    assert folded_words(markup) == ""


# -------------------------------------------------------------------------------- index entries


def test_entry_gets_folded_fields_and_keeps_the_original():
    entry = {"location": "ke-hoach/x/#1-doi-moi", "title": "1. Đổi mới", "text": "<p>Gửi báo cáo trước ngày 19/01/2024.</p>", "boost": 2}
    folded = fold_entry(entry)
    assert folded == {**entry, "title_folded": "doi moi", "text_folded": "gui bao cao truoc ngay"}
    assert list(folded)[: len(entry)] == list(entry)  # original keys first, in their order


def test_entry_without_accented_words_stays_as_it_is():
    entry = {"location": "lich/", "title": "iCalendar", "text": "<p>Google Calendar, Outlook 2024</p>", "tags": ["ics"]}
    assert fold_entry(entry) == entry


def test_only_the_field_that_changes_gets_a_copy():
    folded = fold_entry({"location": "a/", "title": "Outlook", "text": "Lịch"})
    assert folded == {"location": "a/", "title": "Outlook", "text": "Lịch", "text_folded": "lich"}


# ---------------------------------------------------------------------------------- whole index


def test_index_gets_folded_fields_with_the_boost_of_their_originals():
    index = index_of({"location": "", "title": "Trang chủ", "text": "Kế hoạch"})
    folded = fold_search_index(index)
    fields = folded["config"]["fields"]
    assert fields["title_folded"] == fields["title"] == {"boost": 1000.0}
    assert fields["text_folded"] == fields["text"] == {"boost": 1.0}
    assert set(FOLDED_FIELDS.values()) <= set(fields) and "tags" in fields
    assert {k: v for k, v in folded["config"].items() if k != "fields"} == {k: v for k, v in index["config"].items() if k != "fields"}
    assert folded["docs"] == [{"location": "", "title": "Trang chủ", "text": "Kế hoạch", "title_folded": "chu", "text_folded": "ke hoach"}]


def test_folding_leaves_its_input_alone_and_is_idempotent():
    index = index_of(
        {"location": "a/", "title": "Đống Đa", "text": "<p>báo cáo</p>"},
        {"location": "a/#b", "title": "B", "text": "ok"},
    )
    before = copy.deepcopy(index)
    once = fold_search_index(index)
    assert index == before
    assert fold_search_index(once) == once
    assert [d["location"] for d in once["docs"]] == ["a/", "a/#b"]


def test_dumps_is_compact_readable_utf8_and_deterministic():
    index = fold_search_index(index_of({"location": "a/", "title": "Đống Đa", "text": "x"}))
    text = dumps(index)
    assert text == dumps(json.loads(text))
    assert "Đống Đa" in text and "\\u" not in text
    assert ", " not in text and ": " not in text  # the separators mkdocs writes with


def test_core_module_never_imports_mkdocs():
    code = "import sys, generator.search; print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --------------------------------------------------------------------- the index mkdocs writes


def test_built_index_is_folded(mini_site):
    path = mini_site / "search" / "search_index.json"
    text = path.read_text(encoding="utf-8")
    index = json.loads(text)
    assert text == dumps(fold_search_index(index))  # rewritten by the planpub plugin, canonically
    assert "\\u" not in text
    assert sorted(p.name for p in path.parent.iterdir()) == ["search_index.json"]  # no temp file left behind
    docs = {d["location"]: d for d in index["docs"]}
    section = docs[MINI_PLAN + "#1-doi-moi"]
    assert section["title"] == "1. Đổi mới" and section["title_folded"] == "doi moi"
    assert "Gửi báo cáo" in section["text"] and "gui bao cao" in section["text_folded"]
    assert "bao cao" not in section["text"]


# ------------------------------------------------------------ Material's search worker, in node

WORKER_JS = r"""
// Material's own search worker (the file the site ships) in node: index path and queries in,
// the results the site would render out (one list of page groups per query).
const fs = require('fs'), vm = require('vm'), path = require('path');
const [workerFile, indexFile, queriesJson] = process.argv.slice(2);
let handler; const out = [];
const ctx = {
  console: { log() {}, warn() {}, error: console.error }, addEventListener: (_, fn) => { handler = fn },
  postMessage: message => out.push(message),
  importScripts: (...urls) => { for (const url of urls) vm.runInContext(fs.readFileSync(path.join(path.dirname(workerFile), url), 'utf8'), ctx) },
};
ctx.self = ctx; vm.createContext(ctx);
vm.runInContext(fs.readFileSync(workerFile, 'utf8'), ctx);
const index = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
(async () => {
  await handler({ data: { type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } } });
  const results = {};
  for (const query of JSON.parse(queriesJson)) {
    out.length = 0;
    await handler({ data: { type: 2, data: query } });
    results[query] = out[0].data.items.map(group => group.map(({ location, title, text, score, terms }) => ({ location, title, text, score, terms })));
  }
  process.stdout.write(JSON.stringify(results));
})();
"""


def material_worker() -> Path:
    import material

    workers = sorted((Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert workers, "Material's search worker not found"
    return workers[0]


@pytest.fixture(scope="module")
def run_worker(tmp_path_factory):
    if shutil.which("node") is None:
        if STRICT:
            pytest.fail("node is needed to run Material's search worker")
        pytest.skip("node is not installed")
    script = tmp_path_factory.mktemp("worker") / "worker.js"
    script.write_text(WORKER_JS, encoding="utf-8")

    def run(index: dict, queries: list[str]) -> dict[str, list[list[dict]]]:
        data = script.with_name(f"index-{len(list(script.parent.iterdir()))}.json")
        data.write_text(dumps(index), encoding="utf-8")
        done = subprocess.run(["node", str(script), str(material_worker()), str(data), json.dumps(queries)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


def without_folding(index: dict) -> dict:
    """The index as Material alone writes it."""
    config = dict(index["config"], fields={k: v for k, v in index["config"]["fields"].items() if k not in FOLDED_FIELDS.values()})
    return {**index, "config": config, "docs": [{k: v for k, v in d.items() if k not in FOLDED_FIELDS.values()} for d in index["docs"]]}


def pages(groups: list[list[dict]]) -> list[str]:
    return [group[0]["location"].split("#")[0] for group in groups]


@pytest.fixture(scope="module")
def mini_index(mini_site) -> dict:
    return json.loads((mini_site / "search" / "search_index.json").read_text(encoding="utf-8"))


ACCENT_FREE = {"bao cao": "báo cáo", "tong ket": "Tổng kết", "doi moi": "Đổi mới", "viec khong co han": "Việc không có hạn"}


def test_worker_finds_words_typed_without_diacritics(run_worker, mini_index):
    folded = run_worker(mini_index, list(ACCENT_FREE))
    plain = run_worker(without_folding(mini_index), list(ACCENT_FREE))
    for query, original in ACCENT_FREE.items():
        assert MINI_PLAN in pages(folded[query]), (query, pages(folded[query]))
        assert MINI_PLAN not in pages(plain[query]), (query, pages(plain[query]))  # what the fold adds
        plan = next(group for group in folded[query] if group[0]["location"].startswith(MINI_PLAN))
        shown = " ".join(item["title"] + " " + item["text"] for item in plan)
        assert original in shown and query not in shown.lower(), shown
        assert any(all(item["terms"].get(word) for word in query.split()) for item in plan), plan  # none missing


def test_worker_gives_the_same_results_for_words_typed_with_diacritics(run_worker, mini_index):
    # Every word here carries a diacritic. (A word typed in plain ASCII, like "thi" or "Nam", now also
    # finds its accented forms — "thì", "thị", "Nám" — which is the point.)
    queries = ["báo cáo", "Đổi mới", "Tổng kết", "thưởng", "Nhà giáo Việt", "Phòng", "trường Mẫu"]
    folded = run_worker(mini_index, queries)
    plain = run_worker(without_folding(mini_index), queries)
    for query in queries:
        assert folded[query], query
        assert folded[query] == plain[query], query  # same pages, sections, scores and highlighted text
    assert "<mark>báo</mark> <mark>cáo</mark>" in json.dumps(folded["báo cáo"], ensure_ascii=False)
