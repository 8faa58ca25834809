"""Lists that grow with the corpus are split (generator/lists.py, generator/paging.py): on a synthetic
corpus built through the core pipeline with a small layout, every list page stays within its layout,
every link of the docs tree resolves, and every plan, dated item, document and unit's task is still
reached from its list. The seeds keep their single pages."""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections import Counter, deque
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from benchmarks import synth
from conftest import ROOT
from generator import lists as lists_module, search, timeline as tl
from generator.bulk import unpacked
from generator.corpus import load_project
from generator.paging import Layout, folder, numbered_path, paginate
from generator.paths import document_path, plan_path, unit_path, movement_path, year_path
from generator.site import build
from generator.slug import slugify

SMALL = Layout(items=12, marks=10, plans=5, inline_plans=3, documents=10, mentions=3, units=15, updates=10)
PLANS = 40
URL = "https://example.org/kh/"
EXTERNAL = ("http:", "https:", "mailto:", "tel:", "webcal:", "data:", "javascript:")


# ---- paging ----------------------------------------------------------------------------------------


def test_paginate_puts_every_item_on_exactly_one_numbered_page():
    items = list(range(23))
    chunks = paginate(items, 10, "cap-nhat/index.md")
    assert [c.path for c in chunks] == ["cap-nhat/index.md", "cap-nhat/trang-2.md", "cap-nhat/trang-3.md"]
    assert [list(c.items) for c in chunks] == [items[:10], items[10:20], items[20:]]
    assert [(c.first, c.last, c.count, c.total) for c in chunks] == [(1, 10, 3, 23), (11, 20, 3, 23), (21, 23, 3, 23)]
    assert paginate([], 10, "a/b.md")[0].items == [] and len(paginate([], 10, "a/b.md")) == 1
    assert numbered_path("nam-hoc/2023-2024/thang-2023-09.md", 2) == "nam-hoc/2023-2024/thang-2023-09/trang-2.md"
    assert folder("don-vi/x.md") == "don-vi/x/" and folder("cap-nhat/index.md") == "cap-nhat/"
    with pytest.raises(ValueError):
        Layout(items=0)


def test_pager_links_every_page_and_marks_the_current_one():
    second = paginate(list(range(25)), 10, "ke-hoach/theo-nam/2023.md")[1]
    pager = str(second.pager())
    assert '<span aria-current="page">2</span>' in pager
    hrefs = re.findall(r'href="([^"]+)"', pager)
    here = "ke-hoach/theo-nam/2023/trang-2/"
    resolved = {posixpath.normpath(posixpath.join(here, h)) for h in hrefs}
    assert resolved == {"ke-hoach/theo-nam/2023", "ke-hoach/theo-nam/2023/trang-3"}
    assert str(paginate([1], 10, "a.md")[0].pager()) == ""


# ---- a synthetic corpus through the core pipeline, small layout -----------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return synth.generate(tmp_path_factory.mktemp("lists") / "project", PLANS)


@pytest.fixture(scope="module")
def built(project):
    made = build(project, URL, today=date(2024, 10, 1), layout=SMALL)
    return dataclasses.replace(made, files={path: unpacked(value) for path, value in made.files.items()})


@pytest.fixture(scope="module")
def docs(built) -> dict[str, str]:
    return {path: text for path, text in built.files.items() if path.endswith(".md")}


def _target_of(here: str, ref: str, markdown: bool) -> tuple[str, str]:
    """(docs path or file, fragment) a link of page `here` names; markdown: a Markdown link (docs-relative)."""
    parts = urlsplit(ref)
    path = unquote(parts.path)
    if not path:
        return here, parts.fragment
    if markdown:
        return posixpath.normpath(posixpath.join(posixpath.dirname(here), path)), parts.fragment
    base = here[: -len("index.md")] if here.endswith("index.md") else here[: -len(".md")] + "/"
    target = posixpath.normpath(posixpath.join(base, path))
    return target, parts.fragment


def _resolve(files, target: str) -> str | None:
    for candidate in (target, f"{target}.md", f"{target}/index.md", "index.md" if target == "." else None):
        if candidate in files:
            return candidate
    return None


_MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HREF = re.compile(r'(?:href|src)="([^"]+)"')
_DOCUMENT_ROW = re.compile(r"^- \*\*(.+?)\*\*", re.MULTILINE)  # a cited document on a list of documents
_HEADING = re.compile(r"^#{1,6} (.+?)\s*$", re.MULTILINE)
_IDS = re.compile(r'\bid="([^"]+)"|\{ #([^ }]+) \}')


def links(files, here: str) -> list[tuple[str, str | None, str]]:
    """(ref, resolved file or None, fragment) of every relative link of a generated page."""
    text = files[here]
    found = []
    for pattern, markdown in ((_MD_LINK, True), (_HREF, False)):
        for ref in pattern.findall(text):
            if ref.startswith(EXTERNAL) or ref.startswith("//"):
                continue
            target, fragment = _target_of(here, ref, markdown)
            found.append((ref, _resolve(files, target), fragment))
    return found


def anchors(text: str) -> set[str]:
    ids = {a or b for a, b in _IDS.findall(text)}
    ids |= {slugify(re.sub(r"\\(.)", r"\1", h)) for h in _HEADING.findall(text)}
    return ids


def graph(files) -> dict[str, list[tuple[str, str]]]:
    return {page: [(target, fragment) for _, target, fragment in links(files, page) if target] for page in files if page.endswith(".md")}


def reached(edges, roots: list[str], inside: tuple[str, ...]) -> set[tuple[str, str]]:
    """Every (page, fragment) linked from the pages reached from `roots`, following only pages under `inside`."""
    seen_pages, found = set(roots), set()
    queue = deque(roots)
    while queue:
        page = queue.popleft()
        for target, fragment in edges.get(page, ()):
            found.add((target, fragment))
            if target not in seen_pages and target.endswith(".md") and target.startswith(inside):
                seen_pages.add(target)
                queue.append(target)
    return found | {(p, "") for p in seen_pages}


@pytest.fixture(scope="module")
def edges(built):
    return graph(built.files)


def test_the_small_layout_splits_every_kind_of_list(docs):
    paths = set(docs)
    assert any(p.startswith("ke-hoach/theo-nam/") for p in paths)
    assert any(re.fullmatch(r"ke-hoach/theo-nam/[^/]+/trang-\d+\.md", p) for p in paths)
    assert any(re.fullmatch(r"nam-hoc/\d{4}-\d{4}/thang-\d{4}-\d{2}\.md", p) for p in paths)
    assert any(re.fullmatch(r"nam-hoc/[^/]+/thang-[^/]+/trang-\d+\.md", p) for p in paths)
    assert any(re.fullmatch(r"nam-hoc/[^/]+/ke-hoach\.md", p) for p in paths)
    assert any(re.fullmatch(r"don-vi/[^/]+/\d{4}-\d{4}\.md", p) for p in paths)
    assert any(re.fullmatch(r"phong-trao/[^/]+/\d{4}-\d{4}\.md", p) for p in paths)
    assert any(p.startswith("don-vi/theo-tinh/") for p in paths)
    assert any(p.startswith("van-ban/loai/") for p in paths) and any(p.startswith("van-ban/chi-tiet/") for p in paths)
    assert any(re.fullmatch(r"van-ban/loai/[^/]+/(\d{4}|khong-ghi-ngay)\.md", p) for p in paths)
    assert "cap-nhat/trang-2.md" in paths and "ke-hoach/theo-co-quan/trang-2.md" in paths
    assert any("pp-tl-summary" in text for text in docs.values())  # a chart of months' counts


def _count_plan_rows(path: str, text: str, plans: set[str]) -> int:
    """Rows of a list or table of plans: lines that begin with a link to a plan page."""
    rows = re.findall(r"^(?:- |\| )\[[^\]]*\]\(([^)]+)\)", text, re.MULTILINE)
    return sum(_target_of(path, ref, markdown=True)[0] in plans for ref in rows)


def test_no_list_page_holds_more_than_its_layout(built, docs):
    plans = {plan_path(p) for p in built.corpus.plans}
    for path, text in docs.items():
        if path.startswith("ke-hoach/") and path.count("/") == 1 and path not in ("ke-hoach/index.md", "ke-hoach/theo-co-quan.md"):
            continue  # a plan's own page: bounded by the plan
        if path == "index.md":
            continue  # the home page: the latest plans and deadlines, a fixed number
        assert len(re.findall(r'<li class="pp-ev ', text)) <= SMALL.items, path
        chart = re.search(r"<svg class=\"pp-tl-chart.*?</svg>", text, re.S)
        if chart:
            drawn = chart.group(0).count('tabindex="-1"')
            assert drawn <= SMALL.marks or ("pp-tl-summary" in chart.group(0) and drawn <= 36), path
        assert _count_plan_rows(path, text, plans) <= SMALL.plans, path
        if path.startswith("van-ban/"):
            assert len(_DOCUMENT_ROW.findall(text)) <= SMALL.documents, path
        if path != "phong-trao/index.md":  # the movements of the registry: tens, whatever the number of plans
            assert len(re.findall(r"^- \[[^\]]+\]\([^)]+\)\{ #", text, re.MULTILINE)) <= SMALL.units, path
        if path.startswith("cap-nhat/"):
            assert len(re.findall(r"^\| \d\d/\d\d/\d{4} \|", text, re.MULTILINE)) <= SMALL.updates, path


def test_every_link_and_anchor_of_the_docs_tree_resolves(built, docs, project):
    content = project / "content"
    files = {**{p.relative_to(content).as_posix(): p.read_text(encoding="utf-8") if p.suffix == ".md" else ""
                for p in content.rglob("*") if p.is_file()}, **built.defaults, **built.files}
    ids = {}
    broken = []
    checked = 0
    for page in docs:
        for ref, target, fragment in links(files, page):
            checked += 1
            if target is None:
                broken.append(f"{page}: {ref}")
            elif fragment and target.endswith(".md"):
                if target not in ids:
                    ids[target] = anchors(files[target])
                if fragment not in ids[target]:
                    broken.append(f"{page}: {ref} (no #{fragment})")
    assert checked > 10_000
    assert not broken, f"{len(broken)} broken:\n" + "\n".join(broken[:30])


def test_every_plan_is_reached_from_each_list_of_plans(built, edges):
    plans = {plan_path(p) for p in built.corpus.plans}
    by_year = {t for t, _ in reached(edges, ["ke-hoach/index.md"], ("ke-hoach/theo-nam/",))}
    updates = {t for t, _ in reached(edges, ["cap-nhat/index.md"], ("cap-nhat/",))}
    # by issuer: the issuers' list, then each issuer's unit page and its school years
    by_issuer = {t for t, _ in reached(edges, ["ke-hoach/theo-co-quan.md"], ("ke-hoach/theo-co-quan/", "don-vi/"))}
    assert plans <= by_year and plans <= updates
    issued = {plan_path(p) for p in built.corpus.plans if p.issuers}
    assert issued <= by_issuer


def test_every_dated_item_is_reached_from_its_school_year_unit_and_movement(built, edges):
    corpus = built.corpus
    lists = lists_module.Lists(corpus, SMALL)
    for key in lists.year_keys():
        found = reached(edges, [year_path(key)], (year_path(key)[: -len(".md")] + "/",))
        window = lists_module.year_window(key)
        for event in tl.overlapping(corpus.events, window):
            assert (plan_path(event.plan), event.anchor) in found, (key, event.plan.id, event.anchor)
    for unit, events in corpus.events_by_unit.items():
        found = reached(edges, [unit_path(unit)], (unit_path(unit)[: -len(".md")] + "/",))
        assert {(plan_path(e.plan), e.anchor) for e in events} <= found, unit
        assert {plan_path(p) for p in lists.unit_plans(unit)} <= {t for t, _ in found}, unit
    for movement, events in corpus.events_by_movement.items():
        found = reached(edges, [movement_path(movement)], (movement_path(movement)[: -len(".md")] + "/",))
        assert {(plan_path(e.plan), e.anchor) for e in events} <= found, movement
        assert {plan_path(p) for p in corpus.by_movement.get(movement, [])} <= {t for t, _ in found}, movement


def test_every_cited_document_and_the_plans_citing_it_are_reached(built, edges, docs):
    corpus = built.corpus
    found = reached(edges, ["van-ban/index.md"], ("van-ban/",))
    pages = {t for t, _ in found}
    listed = Counter(label for p in pages if p.startswith("van-ban/") for label in _DOCUMENT_ROW.findall(docs[p]))
    documents = lists_module.Lists(corpus, SMALL).document_groups()
    assert Counter(d.ref.label for _, group in documents for d in group) == listed
    for _, group in documents:
        for doc in group:
            mentions = {plan_path(plan) for plan, _ in doc.mentions}
            assert mentions <= pages, doc.key
            if doc.path:  # cited by more plans than a list names: its own page lists them all
                assert doc.path == document_path(doc.key) and doc.path in pages
                assert mentions <= {t for t, _ in reached(edges, [doc.path], (doc.path[: -len(".md")] + "/",))}


def test_every_unit_is_reached_from_the_list_of_units(built, edges):
    found = {t for t, _ in reached(edges, ["don-vi/index.md"], ("don-vi/theo-tinh/",))}
    assert {unit_path(u) for u in built.corpus.units} <= found


def test_a_split_unit_page_shows_its_current_school_years_and_links_every_other(built, docs):
    lists = lists_module.Lists(built.corpus, SMALL, date(2024, 10, 1))
    split = [u for u in built.corpus.units if any(p.startswith(unit_path(u)[: -len(".md")] + "/") for p in docs)]
    assert split
    for unit in split:
        page = docs[unit_path(unit)]
        assert "các năm học 2023-2024, 2024-2025, 2025-2026" in page
        events, plans = lists.entity_items("unit", unit)
        for key in lists_module.school_years_of(events, plans):
            assert f"]({unit}/{key}.md)" in page, (unit, key)
        window = tl.Window(date(2023, 9, 1), date(2026, 8, 31))
        shown = set(re.findall(r'data-first="([\d-]+)" data-last="([\d-]+)"', page.split("## Theo năm học")[0]))
        for first, last in shown:
            assert date.fromisoformat(last) >= window.first and date.fromisoformat(first) <= window.last


def test_list_pages_and_their_parts_are_never_search_results(built, docs):
    records = search.search_records(built.corpus, SMALL)
    plans = {plan_path(p) for p in built.corpus.plans}
    hand_written = {"du-lieu/index.md"}  # documentation of the open data: indexed lightly, like the guides
    for path in docs:
        if path in plans:
            assert records[path].weight == search.FULL
        elif path not in hand_written:
            assert path in records and records[path].weight == 0, path


def test_the_seeds_keep_their_single_list_pages():
    corpus = load_project(ROOT)
    from generator.pages import Settings, render_pages

    pages = render_pages(corpus, Settings(URL, "x", date(2026, 11, 23)))
    split = [p for p in pages if re.search(r"/(theo-nam|theo-tinh|loai|chi-tiet|trang-\d+|thang-\d{4}-\d\d)(/|\.md)", p)
             or re.fullmatch(r"(don-vi|phong-trao|nam-hoc)/[^/]+/.+\.md", p)]
    assert split == []
