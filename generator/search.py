"""Search records and the pages Pagefind indexes: plans first, Vietnamese typed with or without diacritics.

The site search is Pagefind (https://pagefind.app): a static index split in chunks, of which a
query fetches only those it needs. Two things it lacks for Vietnamese are added here:

- **đ/Đ.** Pagefind matches a word with or without its diacritics ("thuong" finds "thưởng"),
  because it strips combining marks; but đ is a letter of its own, not d plus a mark, so "dong da"
  would never find "Đống Đa". The page given to the indexer spells đ as "d" + U+0335 COMBINING
  SHORT STROKE OVERLAY (Đ as "D" + U+0335): a d carrying a mark, which Pagefind folds to d like
  any other mark. The change is one-to-one and keeps every word where it was, so the site's script
  (content/assets/search.js) turns the pair back into đ in titles and excerpts (nobody ever sees
  the stand-in) and spells a typed đ the same way, so "Đống Đa" typed with diacritics is an exact
  match, "dong da" a folded one. The served pages are never changed.
- **Ranking.** A plan's record gives it a descriptive title ("01/KH-PGDĐT — Phòng GDĐT quận
  Đống Đa — 2023"; Pagefind searches titles and weights them high), its number, issuers and
  movements as heavily weighted text, and filters (school year, issuer, kind, unit, movement).
  List pages (home, plans by year or issuer, the movement, unit, document and calendar lists) only
  repeat names that the plans carry, so they are not indexed; any other page (the guides, pages
  added later) is indexed lightly, below the plans.

Pure functions: the corpus in, records out; a built page and its record in, the HTML to index out.
No mkdocs here; the adapter (generator/plugin.py) hands the written pages to `write_index`.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from selectolax.lexbor import LexborHTMLParser

from generator.corpus import Corpus, year_key
from generator.model import Plan
from generator.pages import (
    DOCUMENTS_URL, MOVEMENTS_URL, PLANS_URL, UNITS_URL, YEARS_URL, list_pages, plan_path, plan_title,
)
from generator.paging import DEFAULT as DEFAULT_LAYOUT, Layout
from generator.parallel import map_forked
from generator.updates import update_pages

STROKE = "\u0335"  # COMBINING SHORT STROKE OVERLAY: "d" + STROKE is how the index spells đ
INDEX_DIR = "pagefind"  # the search bundle, under the site root
LANGUAGE = "vi"

FULL = 1.0  # a plan page: Pagefind's own weights
LIGHT = 0.2  # a page without a record: every weight halved, so plans come first
BOOST = 8.0  # number, issuers and movement names on a plan page (Pagefind: text 1, h1 7, max 10)
HEADING_WEIGHTS = {"h1": 7.0, "h2": 6.0, "h3": 5.0, "h4": 4.0, "h5": 3.0, "h6": 2.0}  # Pagefind's defaults

# Facet names, as the reader sees them above the results.
FILTER_YEAR = "Năm học"
FILTER_ISSUER = "Cơ quan ban hành"
FILTER_KIND = "Loại văn bản"
FILTER_UNIT = "Đơn vị thực hiện"
FILTER_MOVEMENT = "Phong trào"

# Generated list pages (docs paths): names and links only, never a search result.
LIST_PAGES = (
    "index.md",
    f"{PLANS_URL}/index.md",
    f"{PLANS_URL}/theo-co-quan.md",
    f"{MOVEMENTS_URL}/index.md",
    f"{UNITS_URL}/index.md",
    f"{DOCUMENTS_URL}/index.md",
    "lich/index.md",
    f"{YEARS_URL}/index.md",
)

# Where the text of a built page is (Material for MkDocs: the article of the main column).
CONTENT_TAG = "article"
CONTENT_CLASS = "md-content__inner"
SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript"})
# What a plan page repeats from its own text (the timeline and its month lists, the summary and its next
# deadline, the subscribe block, the contents): not indexed again. At 3,000 plans these were a quarter
# of the words indexed, and a common word's index chunk, which a query downloads whole, grows with them.
REPEATS = frozenset({"pp-timeline", "pp-month", "pp-summary", "pp-subscribe", "pp-toc"})
# Elements that break words apart on screen even with no space between them in the HTML (<dt>x</dt><dd>y</dd>).
BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)


@dataclass(frozen=True)
class SearchRecord:
    """What the index knows of one page besides its text."""

    weight: float = LIGHT  # 0: not indexed; LIGHT: below plans; FULL: a plan
    title: str | None = None  # the result's title; None: the page's first heading
    boosted: tuple[str, ...] = ()  # texts indexed with weight BOOST (never shown apart from the excerpt)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    year: str = ""  # a plan's school (or calendar) year: the bundle it is indexed in (see write_index); "": the newest


NOT_INDEXED = SearchRecord(weight=0.0)
DEFAULT = SearchRecord()


# ---------------------------------------------------------------------------------- the records


def search_records(corpus: Corpus, layout: Layout = DEFAULT_LAYOUT) -> dict[str, SearchRecord]:
    """A record per generated page that is not indexed like any other page, by docs path.

    Every generated list is left out: the lists of plans, documents and updates, and the pages they
    are split into (generator/lists.py), as they only repeat what the plans say. So are unit and
    movement pages, which restate their plans under a short title made of the query's words: indexed
    even at 1/20 of a plan's weight they outrank the plan ("Hà Nội" put three of them first), so they
    are reached from the plans that name them; and the timelines of school years, which restate the
    plans' dated items.
    """
    records = {path: NOT_INDEXED for path in LIST_PAGES}
    records.update({path: NOT_INDEXED for path in list_pages(corpus, layout)})
    records.update({chunk.path: NOT_INDEXED for chunk in update_pages(corpus, layout)})
    for plan in corpus.plans:
        records[plan_path(plan)] = plan_record(plan, corpus)
    return records


def plan_record(plan: Plan, corpus: Corpus) -> SearchRecord:
    issuers = [corpus.units[i] for i in plan.issuers]
    movement_ids = _unique([*plan.movements, *(m for task in plan.all_tasks for m in task.movements)])
    movements = [corpus.movements[m] for m in movement_ids]
    units = [corpus.units[u] for u in _unique(u for task in plan.all_tasks for u in task.units)]
    boosted = [
        " ".join(filter(None, [plan.kind, plan.number])),
        plan.title,
        *_unique(name for unit in issuers for name in (unit.name, unit.short) if name),
        *(m.name for m in movements),
    ]
    filters = {
        FILTER_YEAR: (year_label(plan),),
        FILTER_ISSUER: tuple(unit.label for unit in issuers),
        FILTER_KIND: (plan.kind,),
        FILTER_UNIT: tuple(unit.label for unit in units),
        FILTER_MOVEMENT: tuple(m.name for m in movements),
    }
    return SearchRecord(
        FULL, result_title(plan, corpus), tuple(boosted), {k: v for k, v in filters.items() if v}, year_key(plan)
    )


def result_title(plan: Plan, corpus: Corpus) -> str:
    """'01/KH-PGDĐT — Phòng GDĐT quận Đống Đa — 2023': the plan page's own title."""
    return plan_title(plan, corpus)


def year_label(plan: Plan) -> str:
    """The school year, or the calendar year for a plan that has none (as the plan list groups)."""
    key = year_key(plan)
    if not key:
        return "Không ghi năm"
    return key if "-" in key else f"Năm {key}"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# -------------------------------------------------------------------------- the page to index


def fold_for_index(text: str) -> str:
    """đ/Đ spelled as d/D + U+0335, which Pagefind folds to d like any diacritic (see the module doc)."""
    return unicodedata.normalize("NFC", text).replace("đ", "d" + STROKE).replace("Đ", "D" + STROKE)


def unfold(text: str) -> str:
    """The inverse of fold_for_index (what the site's script does to results)."""
    return text.replace("d" + STROKE, "đ").replace("D" + STROKE, "Đ")


def indexable_html(page: str, record: SearchRecord = DEFAULT) -> str | None:
    """The document Pagefind indexes for a built page, or None when the page is not indexed.

    Only the page's article is kept (not the header, navigation or footer), without its scripts,
    comments and what a plan page repeats (REPEATS), its text spelled with fold_for_index (never
    its attributes); the record adds the title, the boosted names and the filters. A page with no
    article (a redirect, the 404 page) is not indexed.

    The page is parsed by lexbor (selectolax), an HTML5 parser, and the article serialised again
    from its tree, so what Pagefind reads is well formed whatever the page holds. At 1,000 plans
    this is 4-5x faster than Python's html.parser was, and Pagefind builds the same bundle.
    """
    if record.weight <= 0:
        return None
    article = LexborHTMLParser(page).css_first(f"{CONTENT_TAG}.{CONTENT_CLASS}")
    if article is None:
        return None
    _drop(article)
    if record.weight != FULL:
        for heading in article.css(_HEADINGS):
            if "data-pagefind-weight" not in heading.attrs:
                heading.attrs["data-pagefind-weight"] = _weight(HEADING_WEIGHTS[heading.tag] * record.weight)
    # The tree is changed only after it has been walked (lexbor crashes on a tree changed under a walk).
    for node in [n for n in article.traverse(include_text=True) if n.is_text_node]:
        text = node.text_content
        folded = fold_for_index(text)
        if folded != text:
            node.replace_with(folded)
    # Serialised by lexbor, a "<" inside an attribute or a text is "&lt;": every match is a real tag.
    body = _BLOCK_TAG.sub(r"\1 ", article.inner_html)
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body>'
        f'<main data-pagefind-body data-pagefind-weight="{_weight(record.weight)}">'
        f"{_record_html(record)}{body}</main></body></html>"
    )


_DROPPED = ", ".join([*sorted(SKIPPED_TAGS), *(f".{name}" for name in sorted(REPEATS))])
_HEADINGS = ", ".join(HEADING_WEIGHTS)
# A space after each tag that breaks words apart on screen, so that Pagefind reads them apart too.
_BLOCK_TAG = re.compile(r"(</?(?:%s)\b[^>]*>)" % "|".join(sorted(BLOCK_TAGS, key=len, reverse=True)))


def _drop(article) -> None:
    """Remove the comments, scripts and repeated blocks of the article.

    Last match first: a block inside another comes after it in document order, so it is removed
    before the block that holds it, never after (that would touch freed memory), and each is
    removed once, whatever the nesting.
    """
    for node in reversed([n for n in article.traverse(include_text=True) if n.is_comment_node]):
        node.decompose()
    for node in reversed(article.css(_DROPPED)):
        node.decompose()


def _record_html(record: SearchRecord) -> str:
    out = []
    hidden = []  # inside data-pagefind-ignore: read for title and filters, its text not indexed
    if record.title:
        hidden.append(f'<span data-pagefind-meta="title">{_text(record.title)}</span>')
    for name, values in record.filters.items():
        hidden.extend(f'<span data-pagefind-filter="{html.escape(name)}">{_filter_text(value)}</span>' for value in values)
    if hidden:
        out.append("<div data-pagefind-ignore>" + "".join(hidden) + "</div>")
    if record.boosted:
        texts = "".join(f"<p>{_text(t)}.</p>" for t in record.boosted)
        out.append(f'<div data-pagefind-weight="{_weight(BOOST * record.weight)}">{texts}</div>')
    return "".join(out)


def _filter_text(value: str) -> str:
    """A filter value, escaped three times: for this HTML, for Pagefind 1.5, which decodes the
    entities of a filter's text once more, and for its UI, which shows filter values with innerHTML
    (a unit named "<svg onload=…>" must stay text there; tests/test_xss.py checks it in Chromium)."""
    for _ in range(3):
        value = html.escape(value, quote=False)
    return value


def _text(value: str) -> str:
    return html.escape(fold_for_index(value), quote=False)


def _weight(value: float) -> str:
    return f"{min(value, 10.0):g}"


# ------------------------------------------------------------------------------------ the index


@dataclass(frozen=True)
class Page:
    """One built page: its URL (relative to the site root, "ke-hoach/x/") and its HTML, or the file
    that holds it (read when the page is indexed, by whichever worker indexes it)."""

    url: str
    html: str | Path
    record: SearchRecord = DEFAULT

    def text(self) -> str:
        return self.html.read_text(encoding="utf-8") if isinstance(self.html, Path) else self.html


PAGES_PER_WORKER = 100  # pages to index: below this many per core, one process does it


def _write_document(scratch: Path, page: Page) -> bool:
    """The document Pagefind reads for the page, written into the scratch tree; False: not indexed."""
    if page.record.weight <= 0:
        return False
    document = indexable_html(page.text(), page.record)
    if document is None:
        return False
    path = scratch / _document_path(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, encoding="utf-8")
    return True


def _document_path(page: Page) -> str:
    """Where the page's document is in a scratch tree: the file its URL is served from."""
    return page.url + "index.html" if page.url in ("", ".") or page.url.endswith("/") else page.url


SIGNATURE = b"pagefind_dcd"  # what Pagefind's gzipped CBOR files begin with
META_FILTERS = 3  # in pagefind.<hash>.pf_meta: the [name, chunk] of each filter


def _canonical_meta(bundle: Path) -> None:
    """Make Pagefind's filters byte-identical from build to build.

    Pagefind 1.5 lists filters, and the values of a filter, in the order of a Rust hash map, which
    changes with every run. Both are put in name order, and each file renamed after its content
    (the metadata names the filter files, the entry file names the metadata).
    """
    import cbor2

    def read(path: Path):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(SIGNATURE):
            raise RuntimeError(f"Pagefind: tệp chỉ mục không đúng định dạng: {path.name}")
        return cbor2.loads(data[len(SIGNATURE) :])

    def write(folder: Path, prefix: str, suffix: str, value, digits: int) -> str:
        data = SIGNATURE + cbor2.dumps(value)
        name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
        (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        return name

    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        prefix = language["hash"].split("_")[0]
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = read(meta_path)
        filters = []
        for name, chunk in sorted(meta[META_FILTERS], key=lambda item: item[0]):
            chunk_path = bundle / "filter" / f"{chunk}.pf_filter"
            values = read(chunk_path)
            values[1] = sorted(values[1], key=lambda item: item[0])
            chunk_path.unlink()
            filters.append([name, write(bundle / "filter", prefix, ".pf_filter", values, 7)])
        meta[META_FILTERS] = filters
        meta_path.unlink()
        language["hash"] = write(bundle, prefix, "", meta, 10)
        (bundle / language["hash"]).rename(bundle / f"pagefind.{language['hash']}.pf_meta")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# Pagefind's indexer options (https://pagefind.app/docs/config-options/).
INDEX_OPTIONS = (
    "--force-language", LANGUAGE,
    "--exclude-selectors", ".headerlink",  # the ¶ after every heading
    "--silent",
)


# Pages in one Pagefind bundle at most; None: one bundle, whatever the size. Pagefind's indexer holds
# ≈ 0.6 MiB a page until it writes, so a build machine short of memory splits the index (the site's
# setting search_bundle_pages). Not by default, as a split index answers less well: where a bundle
# has no word beginning with a query word, Pagefind matches the longest word it has that begins it
# ("421" for "4213"), so a plan number found in one bundle brings pages of the others too.
BUNDLE_PAGES: int | None = None
BUNDLES_FILE = "planpub-bundles.json"  # in the main bundle: where the others are, for the site's script to merge
OTHER = "khac"  # a bundle that begins with pages that are not of a year (only when those are more than a bundle)


@dataclass(frozen=True)
class Bundle:
    """Pages indexed together: the main bundle (name "", at pagefind/) or another (at pagefind/<name>/)."""

    name: str
    pages: tuple[Page, ...]


def bundles(pages: Iterable[Page], limit: int | None = BUNDLE_PAGES) -> list[Bundle]:
    """The pages to index in bundles of at most `limit` pages, of about the same size, by year, oldest
    first; the last is the main one.

    Pagefind's indexer holds every page it indexes until it writes the bundle (1.7 GB at 3,000 plans),
    so a large site is indexed in parts, one after the other, and the reader's browser merges them
    (PagefindUI's mergeIndex). Each bundle ranks with its own word statistics, so the bundles are made
    the same size: a small bundle beside large ones would put its pages first for every common word
    (measured at 1,000 plans with a main bundle of 62 pages beside two of ~470). The pages are taken in
    year order (the pages of no year, such as the guides, last; by URL within a year) and cut in equal runs: the main bundle
    holds the newest. A site of up to `limit` pages (any site, with no limit) is one bundle, ranked as one index.
    """
    groups: dict[str, list[Page]] = {}
    for page in pages:
        groups.setdefault(page.record.year, []).append(page)
    ordered = [
        page
        for year in sorted(groups, key=lambda year: (year == "", year))
        for page in sorted(groups[year], key=lambda page: page.url)  # the same bundles whatever the order given
    ]
    count = max(1, -(-len(ordered) // limit)) if limit else 1
    return _named([ordered[len(ordered) * k // count : len(ordered) * (k + 1) // count] for k in range(count)])


_YEAR_NAME = re.compile(r"[0-9]{4}(?:-[0-9]{4})?")


def _named(parts: list[list[Page]]) -> list[Bundle]:
    names: set[str] = set()
    out = []
    for index, part in enumerate(parts):
        if index == len(parts) - 1:
            out.append(Bundle("", tuple(part)))
            break
        year = part[0].record.year
        base = year if _YEAR_NAME.fullmatch(year) else OTHER  # a folder name: digits only (the model checks years)
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base}.{n}"
        names.add(name)
        out.append(Bundle(name, tuple(part)))
    return out


def write_index(site_dir: Path, pages: Iterable[Page], bundle_pages: int | None = BUNDLE_PAGES) -> int:
    """Index the pages with Pagefind into site_dir/pagefind/, replaced whole; the number indexed.

    The documents to index are written to a scratch tree (one file per page URL, a tree per bundle)
    that Pagefind's indexer reads, one bundle after the other, and that is removed afterwards. (Its
    Python API's service is stopped as soon as it answers, which can cut off files still being
    written; the command finishes its writes.) The main bundle is at pagefind/, each other one at
    pagefind/<name>/, and pagefind/planpub-bundles.json lists the others, oldest first. The whole is
    written beside the old index and swapped in, so a server never hands out half an index.
    """
    site_dir = Path(site_dir)
    target = site_dir / INDEX_DIR
    fresh, stale, scratch = (site_dir / f".{INDEX_DIR}.{name}" for name in ("new", "old", "src"))
    for leftover in (fresh, stale, scratch):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        documents = scratch / "documents"
        candidates = [page for page in pages if page.record.weight > 0]
        made = map_forked(functools.partial(_write_document, documents), candidates, PAGES_PER_WORKER)
        parts = bundles([page for page, done in zip(candidates, made) if done], bundle_pages)
        for part in parts:  # each bundle's documents in a tree of its own, for its own run of the indexer
            tree = scratch / "bundles" / (part.name or "_")
            tree.mkdir(parents=True, exist_ok=True)
            for page in part.pages:
                moved = tree / _document_path(page)
                moved.parent.mkdir(parents=True, exist_ok=True)
                os.replace(documents / _document_path(page), moved)
            output = fresh / part.name if part.name else fresh
            _run_pagefind(tree, output)
            if part.name:  # a merged bundle is data only: scripts, styles and WebAssembly are the main bundle's
                for script in output.glob("*"):
                    if script.suffix in (".js", ".css", ".pagefind"):
                        script.unlink()
        others = [f"{part.name}/" for part in parts if part.name]
        (fresh / BUNDLES_FILE).write_text(json.dumps(others, ensure_ascii=False), encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if target.exists():
        os.replace(target, stale)
    os.replace(fresh, target)
    shutil.rmtree(stale, ignore_errors=True)
    return sum(len(part.pages) for part in parts)


def _run_pagefind(source: Path, output: Path) -> None:
    """One bundle: Pagefind's indexer over the documents in `source`, written to `output`."""
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(output), *INDEX_OPTIONS],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        raise RuntimeError(f"Pagefind không tạo được chỉ mục tìm kiếm: {(done.stderr or done.stdout).strip()[-2000:]}")
    _canonical_meta(output)
