"""How long a generated list page may grow, and how a list too long for one page is split.

A site that keeps ten years of a province's plans holds thousands of plans, tens of thousands of
dated items and of cited documents; a page listing them all would weigh megabytes (issue #12: no
page above ~200 KB of HTML). Every list that grows with the corpus is therefore either one page,
when it is short (the seeds' site keeps its single pages), or split: by a key that means something
to a reader (school year, month, kind of document, province), and, where one part is still too
long, into numbered pages of at most `Layout` items.

Pure: sequences in, chunks and docs paths out. Nothing here renders a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, Sequence, TypeVar

from markupsafe import Markup

from generator.text import html
from generator.urls import page_url, relative

T = TypeVar("T")

PAGE_SEGMENT = "trang"  # the k-th page of a list at <list>/trang-<k>/


@dataclass(frozen=True)
class Layout:
    """The most items one generated page lists. The defaults keep every page under ~200 KB of HTML,
    from what each weighs once built (measured on synthetic plans, benchmarks/synth.py): the theme
    and navigation ~21 KB; a dated item 0.5 KB; a mark on a chart 0.4 KB; a plan 0.3 KB in a table,
    up to 0.75 KB with a movement's sentence; a document 0.35 KB, up to 1 KB with its plans named.
    The fullest page — a unit's or movement's page with its items, its chart and its plans — is
    21 + 150 × 0.5 + 120 × 0.4 + 50 × 0.75 ≈ 180 KB."""

    items: int = 150  # dated items (tasks, schedule rows, phases, anniversaries) of a list
    marks: int = 120  # marks on a chart; beyond, the chart shows each month's count
    plans: int = 200  # plans on a page that lists plans only
    inline_plans: int = 50  # plans listed on a page that also lists dated items
    documents: int = 150  # cited documents of a list
    mentions: int = 5  # plans named under one document; beyond, its own page lists them all
    units: int = 300  # names on the list of units or of issuers
    updates: int = 100  # plans on each page of /cap-nhat/

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"Layout.{name} must be a positive integer, not {value!r}")


DEFAULT = Layout()


def folder(path: str) -> str:
    """The folder of the pages under a docs page: a/index.md → a/, a/b.md → a/b/."""
    if path == "index.md" or path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[: -len(".md")] + "/"


def numbered_path(base: str, number: int) -> str:
    """The docs path of page `number` (from 1) of the list whose first page is `base`."""
    return base if number == 1 else f"{folder(base)}{PAGE_SEGMENT}-{number}.md"


@dataclass(frozen=True)
class Chunk(Generic[T]):
    """One page of a list."""

    base: str  # docs path of the list's first page
    number: int  # from 1
    count: int  # how many pages the list has
    items: Sequence[T]
    first: int  # 1-based position of items[0] in the whole list
    total: int  # items in the whole list

    @property
    def path(self) -> str:
        return numbered_path(self.base, self.number)

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1

    def title_suffix(self) -> str:
        """" — trang 2/5" for a page after the first of several; "" otherwise."""
        return f" — trang {self.number}/{self.count}" if self.number > 1 else ""

    def pager(self) -> Markup:
        """Links to every page of the list ("Trang: 1 2 3 …"), the current one marked; "" for one page."""
        if self.count == 1:
            return Markup("")
        here = self.path
        parts = []
        for n in range(1, self.count + 1):
            if n == self.number:
                parts.append(html('<span aria-current="page">{}</span>', n))
            else:
                parts.append(html('<a href="{}">{}</a>', relative(here, page_url(numbered_path(self.base, n))), n))
        around = []
        if self.number > 1:
            around.append(html('<a href="{}" rel="prev">Trang trước</a>',
                relative(here, page_url(numbered_path(self.base, self.number - 1)))))
        if self.number < self.count:
            around.append(html('<a href="{}" rel="next">Trang sau</a>',
                relative(here, page_url(numbered_path(self.base, self.number + 1)))))
        return html('<nav class="pp-pager" aria-label="Các trang của danh sách"><span>Trang:</span> {} {}</nav>',
            Markup(" ").join(parts), Markup(" · ").join(around)
        )


def paginate(items: Sequence[T], size: int, base: str) -> list[Chunk[T]]:
    """Pages of at most `size` items, in order: the first at `base`, the k-th at <base>/trang-<k>.md.
    An empty list is one empty page."""
    if size < 1:
        raise ValueError("a page holds at least one item")
    count = max(1, -(-len(items) // size))
    return [
        Chunk(base, n + 1, count, items[n * size:(n + 1) * size], n * size + 1, len(items))
        for n in range(count)
    ]


def month_segment(month: date) -> str:
    """The address segment of a month: thang-2023-09."""
    return f"thang-{month.year}-{month.month:02d}"


def school_year_of(day: date) -> int:
    """The first calendar year of the school year (01/09–31/08) a day is in."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_key(first_year: int) -> str:
    return f"{first_year}-{first_year + 1}"


def current_school_years(today: date) -> list[str]:
    """The previous, current and next school year of the reference day, as the subscribed feeds
    of units and movements hold them (generator.feeds.windows), oldest first."""
    first = school_year_of(today)
    return [school_year_key(y) for y in (first - 1, first, first + 1)]
