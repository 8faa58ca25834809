"""Timelines: a span of months with phases as bars and deadlines, schedule rows and anniversaries as
marks, rendered at build time as inline SVG, next to the same items as an accessible list.

Pure and deterministic: the same events give the same bytes. Nothing here knows "today"; the
reader's browser marks it (content/assets/timeline.js reads the data-* attributes written here).
The chart is a picture of the list (aria-hidden, its links out of the tab order); the list, grouped
by month, is what screen readers, phones and printers read.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterable

from markupsafe import Markup, escape

from generator.dates import format_date
from generator.events import Event, Kind
from generator.text import html

WIDTH = 1000  # SVG user units across the window
AXIS = 26  # height of the month axis
LANE = 18  # height of one lane
GAP = 6
MAX_MARK_LANES = 6  # marks closer than MARK_SPACING share a lane beyond this many
MARK_SPACING = 12
TITLE_MAX = 140
MONTHS_SHORT = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12")

CSS_CLASS = {Kind.PHASE: "pp-tl-phase", Kind.TASK: "pp-tl-task", Kind.ROW: "pp-tl-row", Kind.ANNIVERSARY: "pp-tl-ann"}


@dataclass(frozen=True)
class Window:
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def x(self, day: date) -> float:
        return round(WIDTH * (day - self.first).days / self.days, 1)

    def x_end(self, day: date) -> float:
        """The right edge of a day."""
        return round(WIDTH * ((day - self.first).days + 1) / self.days, 1)

    def months(self) -> list[date]:
        found, day = [], self.first.replace(day=1)
        while day <= self.last:
            found.append(day)
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return found


def school_year_window(first_year: int) -> Window:
    return Window(date(first_year, 9, 1), date(first_year + 1, 8, 31))


def year_window(year: int) -> Window:
    return Window(date(year, 1, 1), date(year, 12, 31))


def month_bounds(first: date, last: date) -> Window:
    """From the first day of `first`'s month to the last day of `last`'s month."""
    end = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    return Window(first.replace(day=1), end)


def window_of(events: Iterable[Event], period: tuple[date, date] | None = None) -> Window | None:
    """The months a set of events (and a period, when given) spans; None when there is nothing."""
    days = [d for e in events for d in (e.first, e.last)]
    if period:
        days += list(period)
    if not days:
        return None
    return month_bounds(min(days), max(days))


def overlapping(events: Iterable[Event], window: Window) -> list[Event]:
    return [e for e in events if e.last >= window.first and e.first <= window.last]


# ---- the chart ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    event: Event
    lane: int
    x1: float
    x2: float


def _lanes(items: list[tuple[Event, float, float]], spacing: float, max_lanes: int | None) -> list[_Placed]:
    """Greedy interval partitioning: each item in the first lane free at its start (linear in items × lanes)."""
    ends: list[float] = []
    placed = []
    for event, x1, x2 in items:
        lane = next((i for i, end in enumerate(ends) if end + spacing <= x1), None)
        if lane is None:
            if max_lanes is None or len(ends) < max_lanes:
                ends.append(x2)
                lane = len(ends) - 1
            else:
                lane = min(range(len(ends)), key=lambda i: ends[i])
        ends[lane] = max(ends[lane], x2)
        placed.append(_Placed(event, lane, x1, x2))
    return placed


def chart(events: list[Event], window: Window, href: Callable[[Event], str], label: Callable[[Event], str]) -> Markup:
    """The SVG picture of the events inside the window."""
    inside = overlapping(events, window)
    clip = lambda d: min(max(d, window.first), window.last)  # noqa: E731
    bars = [(e, window.x(clip(e.first)), window.x_end(clip(e.last))) for e in inside if e.kind is Kind.PHASE]
    marks = [(e, round(window.x(clip(e.last)) + WIDTH / window.days / 2, 1), 0.0) for e in inside if e.kind is not Kind.PHASE]
    marks = [(e, x, x) for e, x, _ in marks]
    anniversaries = [m for m in marks if m[0].kind is Kind.ANNIVERSARY]
    dues = [m for m in marks if m[0].kind is not Kind.ANNIVERSARY]
    placed_bars = _lanes(sorted(bars, key=lambda b: (b[1], -b[2])), 2, None)
    placed_anns = _lanes(sorted(anniversaries, key=lambda m: m[1]), MARK_SPACING, 2)
    placed_dues = _lanes(sorted(dues, key=lambda m: m[1]), MARK_SPACING, MAX_MARK_LANES)

    rows = 0
    parts: list[Markup] = []
    top = AXIS + GAP
    for group, kind in ((placed_anns, "ann"), (placed_bars, "bar"), (placed_dues, "due")):
        if not group:
            continue
        lanes = max(p.lane for p in group) + 1
        for p in group:
            y = top + p.lane * LANE
            parts.append(_item(p, y, kind, href(p.event), label(p.event)))
        top += lanes * LANE + GAP
        rows += lanes
    height = top + 2
    axis = _axis(window, height)
    return html(
        '<svg class="pp-tl-chart" viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">{axis}{items}</svg>'
    , w=WIDTH, h=round(height), axis=axis, items=Markup("").join(parts))


def _axis(window: Window, height: float) -> Markup:
    """The months: one path of all their ticks (a line each is a tenth of a unit page), a label each."""
    ticks, labels = [], []
    for i, month in enumerate(window.months()):
        x = window.x(month)
        label = f"{MONTHS_SHORT[month.month - 1]}/{month.year}" if i == 0 or month.month == 1 else MONTHS_SHORT[month.month - 1]
        ticks.append(f"M{x} {AXIS - 6}V{round(height)}")
        labels.append(html('<text class="pp-tl-month" x="{tx}" y="16">{label}</text>', tx=round(x + 4, 1), label=label))
    return html('<path class="pp-tl-tick" d="{d}"/>', d="".join(ticks)) + Markup("").join(labels)


def _item(p: _Placed, y: float, kind: str, href: str, label: str) -> Markup:
    css = CSS_CLASS[p.event.kind]
    title = html("<title>{}</title>", label)
    if kind == "bar":
        width = max(p.x2 - p.x1, 2)
        text = p.event.item.label if hasattr(p.event.item, "label") else ""
        shown = Markup("")
        if len(text) * 7 < width - 6:  # the label fits inside the bar
            shown = html('<text class="pp-tl-bar-label" x="{x}" y="{y}">{t}</text>',
                x=round(p.x1 + 4, 1), y=round(y + LANE - 6, 1), t=text
            )
        shape = html('<rect class="{c}" x="{x}" y="{y}" width="{w}" height="{h}" rx="3"/>',
            c=css, x=p.x1, y=round(y + 1, 1), w=round(width, 1), h=LANE - 3
        )
        return html('<a href="{href}" tabindex="-1">{title}{shape}{shown}</a>', href=href, title=title, shape=shape, shown=shown)
    cy = round(y + LANE / 2, 1)
    if kind == "ann":
        r = 5
        shape = html('<path class="{c}" d="M{x} {t}L{r} {cy}L{x} {b}L{l} {cy}Z"/>',
            c=css, x=p.x1, t=round(cy - r, 1), b=round(cy + r, 1), l=round(p.x1 - r, 1), r=round(p.x1 + r, 1), cy=cy
        )
    else:
        shape = html('<circle class="{c}" cx="{x}" cy="{cy}" r="4.5"/>', c=css, x=p.x1, cy=cy)
    return html('<a href="{href}" tabindex="-1">{title}{shape}</a>', href=href, title=title, shape=shape)


# ---- the list ------------------------------------------------------------------------------------


def when_text(event: Event) -> str:
    if event.first == event.last:
        return format_date(event.first)
    return f"{format_date(event.first)} – {format_date(event.last)}"


def by_month(events: Iterable[Event]) -> list[tuple[date, list[Event]]]:
    """Events grouped by the month of their due day (a phase by the month it starts), in order."""
    groups: dict[date, list[Event]] = {}
    for e in sorted(events, key=lambda e: e.sort_key):
        key = (e.first if e.kind is Kind.PHASE else e.last).replace(day=1)
        groups.setdefault(key, []).append(e)
    return sorted(groups.items())


def month_label(month: date) -> str:
    return f"Tháng {month.month}/{month.year}"


def month_anchor(month: date) -> str:
    """The id of a month's section in a list: thang-2023-09."""
    return f"thang-{month.year}-{month.month:02d}"


def kind_counts(events: Iterable[Event]) -> dict[Kind, int]:
    """How many items of each kind, in the legend's order, kinds with none left out."""
    counts = {kind: 0 for kind in SUMMARY_ORDER}
    for e in events:
        counts[e.kind] += 1
    return {kind: n for kind, n in counts.items() if n}


def counts_text(events: list[Event]) -> str:
    """“523 mốc: 480 thời hạn, 30 lịch, 12 giai đoạn, 1 ngày kỷ niệm”."""
    parts = [f"{n} {KIND_WORDS[kind]}" for kind, n in kind_counts(events).items()]
    return f"{len(events)} mốc" + (": " + ", ".join(parts) if parts else "")


def item_list(events: list[Event], item: Callable[[Event], Markup], heading: int = 3, ids: bool = True) -> Markup:
    """Events grouped by month, as headed lists of their items (`item`: an event's <li>, made by
    list_item). With `ids`, each month's section has an id (month_anchor), for the months of a
    chart to link to."""
    out = []
    for month, items in by_month(events):
        last = max(e.last for e in items)
        out.append(
            html('<section class="pp-month"{id} data-last="{last}"><h{h} class="pp-month-title">{label}</h{h}><ul>',
                id=html(' id="{}"', month_anchor(month)) if ids else "", last=last.isoformat(), label=month_label(month), h=heading
            )
        )
        out.extend(item(e) for e in items)
        out.append(Markup("</ul></section>"))
    return Markup("\n").join(out)


def list_item(e: Event, href: str, text: str, extra: Markup = Markup("")) -> Markup:
    """An event in a list: its days (for timeline.js), kind and text, linked to where it is printed."""
    return html('<li class="pp-ev {css}" data-first="{first}" data-last="{last}">'
                '<time datetime="{first}">{when}</time> <span class="pp-ev-kind">{kind}</span> '
                '<a href="{href}">{text}</a>{extra}</li>',
        css=CSS_CLASS[e.kind], first=e.first.isoformat(), last=e.last.isoformat(), when=when_text(e),
        kind=e.kind.label, href=href, text=text, extra=extra
    )


def timeline(events: list[Event], window: Window, href: Callable[[Event], str], label: Callable[[Event], str],
             caption: str) -> Markup:
    """The figure: a caption, the chart, and the data timeline.js needs to mark today."""
    return _figure(window, caption, chart(events, window, href, label), "")


def _figure(window: Window, caption: str, drawing: Markup, legend: str) -> Markup:
    return html(
        '<figure class="pp-timeline" data-first="{first}" data-last="{last}">'
        '<figcaption>{caption}</figcaption><div class="pp-tl-scroll">{chart}</div>'
        '<p class="pp-tl-legend" aria-hidden="true">{legend}<span class="pp-key pp-tl-phase"></span> giai đoạn '
        '<span class="pp-key pp-tl-task"></span> thời hạn <span class="pp-key pp-tl-row"></span> lịch '
        '<span class="pp-key pp-tl-ann"></span> ngày kỷ niệm</p></figure>'
    , first=window.first.isoformat(), last=window.last.isoformat(), caption=caption, chart=drawing, legend=legend)


# ---- the chart of a span holding too many items for marks: each month's count ------------------

SUMMARY_ORDER = (Kind.PHASE, Kind.TASK, Kind.ROW, Kind.ANNIVERSARY)  # bottom to top of a column
KIND_WORDS = {Kind.PHASE: "giai đoạn", Kind.TASK: "thời hạn", Kind.ROW: "lịch", Kind.ANNIVERSARY: "ngày kỷ niệm"}
COLUMN_HEIGHT = 120  # SVG units of the tallest month's column


def summary_chart(events: list[Event], window: Window, href: Callable[[date], str]) -> Markup:
    """The SVG of a window's months, each a column as high as its number of items, stacked by kind
    (a phase counts in the month it starts, any other item in the month it is due, as in the list);
    each column links to its month (`href`). Bounded by the months, whatever the number of items."""
    months = {month: items for month, items in by_month(events) if window.first <= month <= window.last}
    top = max((len(items) for items in months.values()), default=0)
    base = AXIS + GAP + 14 + COLUMN_HEIGHT
    parts = []
    for month, items in months.items():
        x1 = window.x(month) + 3
        x2 = window.x_end(min(month_bounds(month, month).last, window.last)) - 3
        y = float(base)
        shapes = []
        for kind, n in kind_counts(items).items():
            h = round(COLUMN_HEIGHT * n / top, 1)
            y = round(y - h, 1)
            shapes.append(html('<rect class="{c}" x="{x}" y="{y}" width="{w}" height="{h}"/>',
                c=CSS_CLASS[kind], x=round(x1, 1), y=y, w=round(max(x2 - x1, 2), 1), h=max(h, 0.5)))
        label = html('<text class="pp-tl-count" x="{x}" y="{y}">{n}</text>',
            x=round(x1 + 2, 1), y=round(y - 3, 1), n=len(items))
        title = html("<title>{}</title>", f"{month_label(month)}: {counts_text(items)}")
        parts.append(html('<a href="{href}" tabindex="-1">{title}{shapes}{label}</a>',
            href=href(month), title=title, shapes=Markup("").join(shapes), label=label))
    height = base + 4
    return html(
        '<svg class="pp-tl-chart pp-tl-summary" viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">{axis}{items}</svg>'
    , w=WIDTH, h=round(height), axis=_axis(window, height), items=Markup("").join(parts))


def summary_timeline(events: list[Event], window: Window, href: Callable[[date], str], caption: str) -> Markup:
    """The figure of `summary_chart`, in the same frame as `timeline` (timeline.js marks today on both)."""
    return _figure(window, caption, summary_chart(events, window, href), "Số mốc mỗi tháng: ")


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–-") + "…"


__all__ = ["Window", "chart", "item_list", "list_item", "timeline", "summary_timeline", "school_year_window", "year_window", "window_of", "escape"]
