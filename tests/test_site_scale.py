"""A site of a few hundred synthetic plans (benchmarks/synth.py), built with `mkdocs build --strict` at
the default layout: its long lists are split (generator/lists.py), no page is above the page budget,
and every link and anchor of the built site resolves."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import synth
from conftest import mkdocs_build
from test_links import _parse, _target

PLANS = 250
PAGE_BUDGET = 200_000  # bytes of HTML, theme and navigation included (issue #12)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = synth.generate(tmp_path_factory.mktemp("scale") / "project", PLANS)
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
    assert len(sizes) > 1000
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
