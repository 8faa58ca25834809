"""Every link of the built site resolves: each relative href/src names a file that exists, and each
#fragment an element of that page (mkdocs --strict checks Markdown links only, not the HTML the
templates write: timelines, subscribe blocks, unit links)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import ROOT

# Absolute paths (the 404 page has them) start with the path of site_url.
BASE = urlsplit(re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)).path
EXTERNAL = ("http:", "https:", "mailto:", "tel:", "webcal:", "data:", "javascript:")


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name"):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for name in ("href", "src"):
            value = attrs.get(name)
            if value and tag != "link" or (value and tag == "link" and attrs.get("rel") == "stylesheet"):
                self.refs.append(value)


def _parse(page: Path) -> _Refs:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _target(site: Path, page: Path, ref: str) -> tuple[Path | None, str]:
    parts = urlsplit(ref)
    base = page.parent if page.name == "index.html" else page.parent
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    if path.startswith(BASE):
        path = "/" + path[len(BASE):]
    target = (site / path.lstrip("/")) if path.startswith("/") else (base / path)
    target = target.resolve()
    if target.is_dir():
        target = target / "index.html"
    return (target if target.is_file() else None), parts.fragment


def test_every_relative_link_and_anchor_of_the_built_site_resolves(seed_site):
    pages = sorted(seed_site.rglob("*.html"))
    parsed = {page.resolve(): _parse(page) for page in pages}
    broken = []
    checked = 0
    for page, refs in parsed.items():
        for ref in refs.refs:
            if ref.startswith(EXTERNAL) or ref.startswith("//"):
                continue
            target, fragment = _target(seed_site, page, ref)
            checked += 1
            if target is None:
                broken.append(f"{page.relative_to(seed_site.resolve())}: {ref} (no such file)")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if fragment not in ids:
                    broken.append(f"{page.relative_to(seed_site.resolve())}: {ref} (no #{fragment} there)")
    assert checked > 1000
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:40])


def test_every_qr_code_of_the_site_is_offered_by_a_page(seed_site):
    """A QR code is made for a feed a page offers (its subscribe block, or the Lịch page), and only then."""
    linked = set()
    for page in seed_site.rglob("*.html"):
        for ref in _parse(page).refs:
            target, _ = _target(seed_site, page, ref)
            if target is not None and target.suffix == ".svg":
                linked.add(target)
    made = {p.resolve() for p in (seed_site / "lich" / "qr").rglob("*.svg")}
    assert len(made) > 50
    assert made == {p for p in linked if (seed_site / "lich" / "qr").resolve() in p.parents}
