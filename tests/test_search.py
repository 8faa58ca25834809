"""Search (generator.search): the records computed from the corpus, the pages given to Pagefind,
and the Pagefind bundle a build writes. The browser side (typing into the header's search box,
ranking, highlighting) is in tests/test_browser.py."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT, make_project, mkdocs_build
from generator import search
from generator.corpus import load_project
from generator.pages import plan_path

MINI_PLAN = "ke-hoach/2024-mau-01/"
STROKE = search.STROKE


@pytest.fixture(scope="module")
def seeds():
    return load_project(ROOT)


def page(article: str, before: str = "<header><h1>Đầu trang</h1></header>") -> str:
    """A page shaped like the ones Material writes."""
    return (
        f'<!doctype html><html lang="vi"><head><title>x</title><script>var đ = 1;</script></head><body>{before}'
        f'<main><div class="md-content"><article class="md-content__inner md-typeset">{article}</article></div></main>'
        "<footer>Chân trang Đống Đa</footer></body></html>"
    )


def fragments(site: Path, bundle: str = "pagefind") -> dict[str, dict]:
    """Pagefind's per-page records (gzip, after a fixed signature), by URL."""
    out = {}
    for path in (site / bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data[len(b"pagefind_dcd") :])
        out[record["url"]] = record
    return out


# ------------------------------------------------------------------------------------ đ folding


@pytest.mark.parametrize(
    ("text", "indexed"),
    [
        ("Đống Đa", f"D{STROKE}ống D{STROKE}a"),
        ("đường đi", f"d{STROKE}ường d{STROKE}i"),
        ("Phòng GDĐT", f"Phòng GDD{STROKE}T"),
        ("Ba Vì 2024", "Ba Vì 2024"),
        ("D\u0300", "D\u0300"),  # no đ: untouched
    ],
)
def test_fold_for_index(text, indexed):
    assert search.fold_for_index(text) == indexed
    assert search.unfold(indexed) == unicodedata.normalize("NFC", text)


def test_fold_keeps_every_word_in_place():
    text = "Phòng Giáo dục và Đào tạo quận Đống Đa, ngày 06/01/2023"
    assert search.fold_for_index(text).split() != text.split()
    assert len(search.fold_for_index(text).split()) == len(text.split())


@given(st.text(alphabet=st.sampled_from("aăâbcdđĐeêoơôuưĂÂDEÊ áàảãạ-/.,0123456789")))
def test_unfold_inverts_fold(text):
    composed = unicodedata.normalize("NFC", text)
    assert search.unfold(search.fold_for_index(text)) == composed
    assert "đ" not in search.fold_for_index(text) and "Đ" not in search.fold_for_index(text)


# --------------------------------------------------------------------------------- the records


def test_plan_titles_for_results(seeds):
    titles = {p.id: search.result_title(p, seeds) for p in seeds.plans}
    assert titles["2023-pgddt-dong-da-01"] == "01/KH-PGDĐT — Phòng GDĐT quận Đống Đa — 2023"
    assert titles["2024-2025-pgddt-vinh-thuan-26"] == "26 /KH-PGDĐT — Phòng GDĐT huyện Vĩnh Thuận — năm học 2024-2025"  # the number as printed
    # no number printed: the title (trích yếu) stands first; every issuer of a joint plan is named
    hung_yen = titles["2021-2022-sgddt-cdgd-hung-yen"]
    assert hung_yen.startswith("Phát động phong trào thi đua năm học 2021 - 2022 — Sở GDĐT Hưng Yên, Công đoàn")
    assert hung_yen.endswith(" — năm học 2021-2022")


def test_records_rank_plans_and_leave_list_pages_out(seeds):
    records = search.search_records(seeds)
    for path in search.LIST_PAGES:
        assert records[path].weight == 0 and search.indexable_html(page("<h1>Danh sách</h1>"), records[path]) is None
    plans = {plan_path(p): p for p in seeds.plans}
    assert {path for path, r in records.items() if r.weight > 0} == set(plans)
    # timelines, unit and movement pages restate the plans: never a result of their own
    for path in ["nam-hoc/2022-2023.md", "nam-hoc/2020.md", "don-vi/pgddt-dong-da.md", "phong-trao/day-tot-hoc-tot.md"]:
        assert records[path].weight == 0, path
    for path, plan in plans.items():
        record = records[path]
        assert record.weight == search.FULL > search.DEFAULT.weight > 0
        assert record.title == search.result_title(plan, seeds)
        assert plan.title in record.boosted
        assert plan.number is None or f"{plan.kind} {plan.number}" in record.boosted
        assert all(seeds.units[i].name in record.boosted for i in plan.issuers)


def test_filters_of_a_plan(seeds):
    record = search.search_records(seeds)["ke-hoach/2023-pgddt-dong-da-01.md"]
    filters = record.filters
    assert filters[search.FILTER_YEAR] == ("2022-2023",)
    assert filters[search.FILTER_ISSUER] == ("Phòng GDĐT quận Đống Đa",)
    assert filters[search.FILTER_KIND] == ("Kế hoạch",)
    assert "Dạy tốt - Học tốt" in filters[search.FILTER_MOVEMENT]
    assert filters[search.FILTER_UNIT] and len(set(filters[search.FILTER_UNIT])) == len(filters[search.FILTER_UNIT])
    quang_ninh = search.search_records(seeds)["ke-hoach/2020-hdtdkt-gd-quang-ninh-329.md"].filters
    assert quang_ninh[search.FILTER_YEAR] == ("Năm 2020",)  # a calendar-year plan: no school year invented


def test_core_module_never_imports_mkdocs():
    code = "import sys, generator.search; print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------------------- the page to index


def test_only_the_article_is_indexed_with_đ_folded():
    out = search.indexable_html(page("<h1>Quận Đống Đa</h1><p>Đổi mới &amp; sáng tạo</p>"))
    assert "Đầu trang" not in out and "Chân trang" not in out and "var" not in out
    assert f"<h1>Quận D{STROKE}ống D{STROKE}a</h1>" in out.replace('<h1 data-pagefind-weight="1.4">', "<h1>").replace("> ", ">").replace(" <", "<")
    assert "Đ" not in out and "đ" not in out
    assert "&amp; sáng tạo" in out  # text stays escaped


def test_attributes_are_rebuilt_escaped_and_kept():
    article = '<p><a href="../x/#d" title="a&quot;b">Đi</a><img src="a.png" alt="Đ"></p><script>alert("đ")</script><!-- đ -->'
    out = search.indexable_html(page(article), search.SearchRecord(weight=1.0))
    assert '<a href="../x/#d" title="a&quot;b">' in out
    assert '<img src="a.png" alt="Đ">' in out  # attributes are not text: never folded
    assert "alert" not in out and "<!--" not in out


def test_blocks_are_words_apart():
    out = search.indexable_html(page("<dl><dt>Cơ quan ban hành</dt><dd>Sở GDĐT</dd></dl>"), search.SearchRecord(weight=1.0))
    assert "hành</dt>" in out and "</dt> <dd" in out


def test_a_light_page_has_its_headings_weighed_down():
    out = search.indexable_html(page("<h2 id='a'>Mục</h2><h3 data-pagefind-weight='9'>Giữ</h3>"))
    assert '<main data-pagefind-body data-pagefind-weight="0.2">' in out
    assert '<h2 id="a" data-pagefind-weight="1.2">' in out
    assert '<h3 data-pagefind-weight="9">' in out


def test_record_adds_title_filters_and_boosted_names():
    record = search.SearchRecord(1.0, "01/KH-PGDĐT — Đống Đa", ("Phòng GDĐT quận Đống Đa",), {"Năm học": ("2022-2023",), "Phong trào": ("A", "B")})
    out = search.indexable_html(page("<h1>Kế hoạch</h1>"), record)
    assert f'<span data-pagefind-meta="title">01/KH-PGDD{STROKE}T — D{STROKE}ống D{STROKE}a</span>' in out
    assert '<span data-pagefind-filter="Năm học">2022-2023</span>' in out  # filters are shown, never searched: as printed
    assert '<span data-pagefind-filter="Phong trào">A</span><span data-pagefind-filter="Phong trào">B</span>' in out
    assert f'<div data-pagefind-weight="8"><p>Phòng GDD{STROKE}T quận D{STROKE}ống D{STROKE}a.</p></div>' in out
    assert out.index("data-pagefind-ignore") < out.index("data-pagefind-weight=\"8\"")


def test_pages_without_article_are_not_indexed():
    assert search.indexable_html("<html><body><p>Đang chuyển hướng…</p></body></html>") is None
    nested = page("<article><p>trong</p></article><p>sau</p>")
    out = search.indexable_html(nested)
    assert "trong" in out and "sau" in out and out.count("<article>") == out.count("</article>") == 1


def test_hostile_page_is_linear():
    deep = page("<div>" * 20000 + "Đ" * 100000 + "</div>" * 20000)
    out = search.indexable_html(deep)
    assert out.count(STROKE) == 100000


# ------------------------------------------------------------------------------ the index itself


def test_write_index_is_deterministic_and_replaces_the_bundle(tmp_path):
    pages = [
        search.Page("a/", page("<h1>Quận Đống Đa</h1><p>thi đua</p>"), search.SearchRecord(1.0, "Kế hoạch Đống Đa", ("Số 01",), {"Năm học": ("2023-2024",)})),
        search.Page("b/", page("<h1>Hướng dẫn</h1>")),
        search.Page("c/", page("<h1>Danh sách</h1>"), search.NOT_INDEXED),
    ]
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir(), second.mkdir()
    (first / "pagefind").mkdir()
    (first / "pagefind" / "stale.txt").write_text("old")
    assert search.write_index(first, pages) == 2
    assert search.write_index(second, list(reversed(pages))) == 2
    files = lambda root: {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    assert files(first) == files(second)  # same pages, same bytes, whatever the order
    assert not (first / "pagefind" / "stale.txt").exists()
    assert sorted(p.name for p in first.iterdir()) == ["pagefind"]  # nothing left beside it
    found = fragments(first)
    assert set(found) == {"/a/", "/b/"}
    assert found["/a/"]["meta"]["title"] == f"Kế hoạch D{STROKE}ống D{STROKE}a"
    assert found["/a/"]["filters"] == {"Năm học": ["2023-2024"]}


def year_page(url: str, year: str) -> search.Page:
    return search.Page(url, page(f"<h1>Kế hoạch {url}</h1><p>thi đua năm {year or 'không ghi'}</p>"), search.SearchRecord(1.0, url, year=year))


def test_bundles_are_equal_runs_in_year_order_and_the_main_one_last():
    pages = [year_page(f"{y}-{i}/", y) for y, n in (("2021-2022", 2), ("2019", 3), ("2020-2021", 1), ("", 2)) for i in range(n)]
    parts = search.bundles(pages, limit=3)
    assert [(b.name, [p.url for p in b.pages]) for b in parts] == [
        ("2019", ["2019-0/", "2019-1/"]),
        ("2019.2", ["2019-2/", "2020-2021-0/", "2021-2022-0/"]),  # runs of the same size, years cut where they fall
        ("", ["2021-2022-1/", "-0/", "-1/"]),  # the main bundle: the newest, then the pages of no year
    ]
    assert [len(b.pages) for b in search.bundles(pages, limit=8)] == [8]  # a small site: one bundle
    assert [len(b.pages) for b in search.bundles(pages, limit=7)] == [4, 4]  # never a small one beside a large one
    assert search.bundles([], limit=3) == [search.Bundle("", ())]


def test_bundles_hold_every_page_once_in_order_and_never_more_than_the_limit():
    pages = [year_page(f"a{i:04}/", "2022-2023") for i in range(1000)] + [year_page(f"b{i}/", "2023-2024") for i in range(7)]
    for limit in (1, 2, 3, 10, 333, 500, 1006, 1007):
        parts = search.bundles(pages, limit)
        sizes = [len(b.pages) for b in parts]
        assert max(sizes) <= limit and max(sizes) - min(sizes) <= 1, (limit, sizes)
        assert [p.url for b in parts for p in b.pages] == [p.url for p in pages]
        assert len({b.name for b in parts}) == len(parts)


def test_a_split_index_lists_its_bundles_and_indexes_every_page(tmp_path):
    pages = [year_page(f"k/{y}-{i}/", y) for y in ("2019-2020", "2020-2021", "2021-2022") for i in range(2)]
    pages.append(search.Page("huong-dan/", page("<h1>Hướng dẫn</h1>")))
    assert search.write_index(tmp_path, pages, bundle_pages=2) == 7
    bundle = tmp_path / "pagefind"
    others = json.loads((bundle / search.BUNDLES_FILE).read_text(encoding="utf-8"))
    assert others == ["2019-2020/", "2019-2020.2/", "2020-2021/"]  # 7 pages, bundles of 2: four runs of 1 or 2
    counts = {}
    for path in ["", *others]:
        entry = json.loads((bundle / path / "pagefind-entry.json").read_text(encoding="utf-8"))
        counts[path] = entry["languages"]["vi"]["page_count"]
        assert (bundle / path / "wasm.unknown.pagefind").is_file() == (path == "")  # merged bundles use the main one's
    assert counts == {"2019-2020/": 1, "2019-2020.2/": 2, "2020-2021/": 2, "": 2}
    assert (bundle / "pagefind-ui.js").is_file() and not list((bundle / "2019-2020").glob("*.js"))  # merged bundles: data only
    assert sorted(p.name for p in (bundle / "2019-2020").iterdir() if not p.is_dir()) == [
        "pagefind-entry.json", next(p.name for p in (bundle / "2019-2020").glob("*.pf_meta"))]
    assert set(fragments(tmp_path)) == {"/k/2021-2022-1/", "/huong-dan/"}  # the main bundle: the newest, the page of no year
    assert set(fragments(bundle, "2020-2021")) == {"/k/2020-2021-1/", "/k/2021-2022-0/"}
    again = tmp_path / "again"
    again.mkdir()
    search.write_index(again, list(reversed(pages)), bundle_pages=2)
    files = lambda root: {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    assert files(bundle) == files(again / "pagefind")  # deterministic, whatever the order given


@pytest.mark.parametrize("value", ["0", "-3", "true", "abc", "2.5"])
def test_a_bundle_size_that_is_not_a_positive_whole_number_is_refused_in_vietnamese(tmp_path, value):
    project = make_project(tmp_path / "project", FIXTURES / "mini" / "plans")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("\n  - planpub\n", f"\n  - planpub:\n      search_bundle_pages: {value}\n"), encoding="utf-8")
    done = mkdocs_build(project, tmp_path / "site")
    assert done.returncode == 1
    said = done.stdout + done.stderr
    assert "mkdocs.yml: plugins → planpub → search_bundle_pages phải là số nguyên dương" in said and "Traceback" not in said, said
    assert not (tmp_path / "site").exists()  # refused before anything is written


def test_a_single_bundle_lists_no_other(mini_site):
    assert json.loads((mini_site / "pagefind" / search.BUNDLES_FILE).read_text(encoding="utf-8")) == []


def test_built_site_ships_pagefind_not_lunr(mini_site):
    assert not (mini_site / "search" / "search_index.json").exists()  # Material's search plugin is off
    entry = json.loads((mini_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["vi"]
    found = fragments(mini_site)
    plan = found["/" + MINI_PLAN]
    corpus = load_project(mini_site.parent / "project")
    assert search.unfold(plan["meta"]["title"]) == search.result_title(corpus.by_id["2024-mau-01"], corpus)
    assert plan["meta"]["title"].startswith(f"01/KH-PGDD{STROKE}T — ")
    assert search.FILTER_YEAR in plan["filters"] and search.FILTER_ISSUER in plan["filters"]
    assert "/" not in found and "/ke-hoach/" not in found  # list pages are not indexed
    # the pages served are the pages written: the stand-in for đ is only in the index
    for html in mini_site.rglob("*.html"):
        assert STROKE not in html.read_text(encoding="utf-8"), html
    header = (mini_site / "index.html").read_text(encoding="utf-8")
    assert "data-pp-search-open" in header and 'id="pp-search"' in header and "assets/search.js" in header


def test_what_a_plan_page_repeats_is_not_indexed_again():
    repeated = "".join(f'<div class="{c} other">lặp lại</div>' for c in sorted(search.REPEATS))
    out = search.indexable_html(page(f'<p class="pp-keep">Nhiệm vụ</p>{repeated}'), search.SearchRecord(weight=1.0))
    assert "lặp lại" not in out and "other" not in out  # each repeated block is left out whole
    assert "Nhiệm vụ</p>" in out  # the plan's own text stays indexed
    nested = page('<div class="pp-timeline"><div class="pp-month">a<div class="pp-month">b</div></div></div><p>c</p>' * 3)
    out = search.indexable_html(nested, search.SearchRecord(weight=1.0))
    assert out.count("<p> c</p>") == 3 and "pp-month" not in out and "pp-timeline" not in out
