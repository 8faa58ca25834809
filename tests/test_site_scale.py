"""A site of a few hundred synthetic plans (benchmarks/synth.py), built with `mkdocs build --strict` at
the default layout: its long lists are split (generator/lists.py), no page is above the page budget,
and every link and anchor of the built site resolves."""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

import pytest

from benchmarks import synth
from conftest import mkdocs_build
from generator.paging import DEFAULT
from test_links import _parse, _target

PLANS = 250
PAGE_BUDGET = 200_000  # bytes of HTML, theme and navigation included (issue #12)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return synth.generate(tmp_path_factory.mktemp("scale") / "project", PLANS)


@pytest.fixture(scope="module")
def site(project) -> Path:
    site = project.parent / "site"
    done = mkdocs_build(project, site)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return site


def test_long_lists_are_split(site):
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    assert any(p.startswith("nam-hoc/2023-2024/thang-") for p in pages)  # a school year's months
    assert any(p.startswith("phong-trao/") and p.count("/") == 3 for p in pages)  # a movement's school years
    assert any(p.startswith("van-ban/loai/") for p in pages) and any(p.startswith("van-ban/chi-tiet/") for p in pages)
    assert "cap-nhat/trang-2/index.html" in pages


def test_no_page_is_above_the_page_budget(site):
    sizes = sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)
    assert len(sizes) > PLANS + 100  # every plan, and the lists split into pages
    assert sizes[0][0] <= PAGE_BUDGET, sizes[:5]


def test_every_link_and_anchor_resolves(site):
    parsed = {}
    broken = []
    for page in sorted(site.rglob("*.html")):
        for ref in _parse(page).refs:
            if ref.startswith(("http:", "https:", "mailto:", "tel:", "webcal:", "data:", "javascript:", "//")):
                continue
            target, fragment = _target(site, page, ref)
            if target is None:
                broken.append(f"{page.relative_to(site)}: {ref}")
            elif fragment and target.suffix == ".html":
                if target not in parsed:
                    parsed[target] = _parse(target).ids
                if fragment not in parsed[target]:
                    broken.append(f"{page.relative_to(site)}: {ref} (no #{fragment})")
    assert not broken, f"{len(broken)} broken:\n" + "\n".join(broken[:30])


_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
_HREF = re.compile(r'href="([^"#?]*)[^"]*"')


def _content_links(site: Path, page: Path) -> set[Path]:
    """The pages the content of a page links to (not the theme's navigation, which lists sections)."""
    found = set()
    for article in _ARTICLE.findall(page.read_text(encoding="utf-8")):
        for ref in _HREF.findall(article):
            if ref and not ref.startswith(("http:", "https:", "mailto:", "webcal:", "//")):
                target, _ = _target(site, page, ref)
                if target is not None and target.suffix == ".html":
                    found.add(target)
    return found


def _reached(site: Path, root: str, inside: tuple[str, ...]) -> set[str]:
    """Pages linked from `root`'s content, following only pages under the folders `inside`."""
    start = (site / root).resolve()
    seen, queue, found = {start}, deque([start]), set()
    while queue:
        page = queue.popleft()
        for target in _content_links(site, page):
            rel = target.relative_to(site.resolve()).as_posix()
            found.add(rel)
            if target not in seen and rel.startswith(inside):
                seen.add(target)
                queue.append(target)
    return found


def test_every_plan_is_reached_from_the_list_of_plans_and_from_the_issuers(site, project):
    from generator.corpus import load_project

    corpus = load_project(project)
    plans = {f"ke-hoach/{p.id}/index.html" for p in corpus.plans}
    assert len(corpus.plans) > DEFAULT.plans  # /ke-hoach/ is split by year
    assert plans <= _reached(site, "ke-hoach/index.html", ("ke-hoach/theo-nam/",))
    issued = {f"ke-hoach/{p.id}/index.html" for p in corpus.plans if p.issuers}
    assert issued <= _reached(site, "ke-hoach/theo-co-quan/index.html", ("ke-hoach/theo-co-quan/", "don-vi/"))


def test_an_unsplit_school_year_would_be_above_the_budget(site, project):
    """Measured, not assumed: a school year's items at what one of its month pages spends per item
    would not fit on one page, so the split is needed at this size already."""
    months = sorted(site.glob("nam-hoc/2023-2024/thang-*/index.html"))
    assert months
    chrome = (site / "nam-hoc" / "index.html").stat().st_size  # theme, navigation, a short list
    page = max(months, key=lambda p: p.stat().st_size)
    items = page.read_text(encoding="utf-8").count('<li class="pp-ev ')
    assert items > 0
    per_item = (page.stat().st_size - chrome) / items
    year = (site / "nam-hoc" / "2023-2024" / "index.html").read_text(encoding="utf-8")
    total = int(re.search(r"(\d+) mốc thời gian, theo tháng trên", year).group(1))
    assert chrome + per_item * total > PAGE_BUDGET, (per_item, total)


def test_a_qr_code_is_made_only_for_a_feed_a_page_offers(site):
    linked = set()
    for page in site.rglob("*.html"):
        for ref in _parse(page).refs:
            if ref.endswith(".svg"):
                target, _ = _target(site, page, ref)
                if target is not None:
                    linked.add(target)
    qr = (site / "lich" / "qr").resolve()
    made = {p.resolve() for p in qr.rglob("*.svg")}
    assert len(made) > PLANS  # a plan's feed, offered on its page
    assert made == {p for p in linked if qr in p.parents}
