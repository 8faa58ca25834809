"""The pages that list what grows with the corpus, decided before any is rendered.

Each list is one page while it is short — the seeds' site keeps its single pages — and is split when
it outgrows its `Layout` (generator/paging.py), so no page of a province's ten years weighs more
than ~200 KB:

| page | split |
| --- | --- |
| /ke-hoach/ | the year keys with their counts; each year's plans at /ke-hoach/theo-nam/<năm>/ |
| /ke-hoach/theo-co-quan/ | the issuers with their counts, linking to their unit pages |
| /don-vi/ | the provinces with their counts; each province's units at /don-vi/theo-tinh/<tỉnh>/ |
| /van-ban/ | the kinds of document; a kind at /van-ban/loai/<loại>/, by year when still long |
| a document cited by many plans | its first plans, all of them at /van-ban/chi-tiet/<văn bản>/ |
| /nam-hoc/<y>/, a unit's or movement's school year | its chart (months' counts when too many for marks); its months' items on pages of whole consecutive months |
| /don-vi/<id>/, /phong-trao/<id>/ | the previous, current and next school year; every school year at <id>/<năm học>/ |

Any part still longer than its layout is paginated (<list>/trang-2/ …). Pure: the corpus, the
layout and the reference day in; `Part`s (a docs path, a template and what it shows) out.
`paths` gives the pages that exist, which never depend on the reference day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Sequence

from generator import timeline as tl
from generator.corpus import NO_YEAR, Corpus
from generator.events import Event
from generator.model import DocumentRef, Plan
from generator.paging import (
    DEFAULT, Chunk, Layout, current_school_years, folder, month_segment, paginate, school_year_of,
)
from generator.paths import (
    DOCUMENTS_INDEX, MOVEMENTS_INDEX, NO_DATE_SEGMENT, NO_YEAR_SEGMENT, PLANS_BY_ISSUER, PLANS_BY_YEAR,
    UNITS_INDEX, YEARS_INDEX, document_kind_path, document_path, movement_path, plan_year_path, province_path,
    segment, unit_path, year_path,
)
from generator.slug import slugify

OTHER_PROVINCE = "Trung ương và khác"

Mention = tuple[Plan, DocumentRef]


@dataclass(frozen=True)
class Part:
    """One generated page: where it goes, the template that renders it and what it shows."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Month:
    """A month of a split list of dated items: its items and the page that lists them."""

    month: date
    events: list[Event]
    path: str


@dataclass(frozen=True)
class MonthPage:
    """A page of a split list of dated items: consecutive whole months, as many as fit on a page
    (a page per month would spend most of a site's bytes on the theme around a few items); a month
    with more items than a page holds is alone on its page, numbered on."""

    path: str
    months: list[Month]

    @property
    def events(self) -> list[Event]:
        return [e for m in self.months for e in m.events]

    @property
    def label(self) -> str:
        first, last = self.months[0].month, self.months[-1].month
        if first == last:
            return tl.month_label(first)
        if first.year == last.year:
            return f"Tháng {first.month}–{last.month}/{last.year}"
        return f"Tháng {first.month}/{first.year} – {last.month}/{last.year}"


@dataclass(frozen=True)
class Span:
    """A span of time of a list of dated items (a school year, a year, a unit's school year): its
    items, its plans, and where they are listed when they do not fit on its page."""

    key: str  # school year, year or NO_YEAR
    path: str
    events: list[Event]
    plans: list[Plan]
    window: tl.Window | None
    months: list[Month] | None  # None: the items are listed on the span's page
    pages: list[MonthPage] | None  # the pages of the months, in order (None with months)
    plans_path: str | None  # None: the plans are listed on the span's page


@dataclass(frozen=True)
class Document:
    key: str
    mentions: list[Mention]
    path: str | None  # its own page, when more plans cite it than a list shows

    @property
    def ref(self) -> DocumentRef:
        return self.mentions[0][1]

    @property
    def year(self) -> str:
        return str(self.ref.day.year) if self.ref.day else NO_DATE_SEGMENT


class Lists:
    def __init__(self, corpus: Corpus, layout: Layout = DEFAULT, today: date | None = None) -> None:
        self.corpus = corpus
        self.layout = layout
        self.today = today
        self._unit_plans: dict[str, list[Plan]] | None = None

    def parts(self) -> list[Part]:
        return [
            *self.plans_by_year(),
            *self.plans_by_issuer(),
            *self.units_index(),
            *self.movements_index(),
            *self.documents(),
            *self.years(),
            *(p for u in self.corpus.units for p in self.entity("unit", u)),
            *(p for m in self.corpus.movements for p in self.entity("movement", m)),
        ]

    def paths(self) -> list[str]:
        return [part.path for part in self.parts()]

    # ---- plans ---------------------------------------------------------------------------------

    def plans_by_year(self) -> list[Part]:
        years = self.corpus.by_year
        if len(self.corpus.plans) <= self.layout.plans:
            return [Part(PLANS_BY_YEAR, "plans_by_year.md.j2", {"years": years, "links": None})]
        links = {key: plan_year_path(key) for key in years}
        parts = [Part(PLANS_BY_YEAR, "plans_by_year.md.j2", {"years": years, "links": links})]
        others = [(key, len(plans), links[key]) for key, plans in years.items()]  # the years' bar on each page
        for key, plans in years.items():
            for chunk in paginate(plans, self.layout.plans, links[key]):
                parts.append(Part(chunk.path, "plan_table.md.j2", {"key": key, "chunk": chunk, "up": PLANS_BY_YEAR, "others": others}))
        return parts

    def issuers(self) -> list[tuple[str, list[Plan]]]:
        units = self.corpus.units
        return sorted(self.corpus.by_issuer.items(), key=lambda item: (slugify(units[item[0]].name), item[0]))

    def plans_by_issuer(self) -> list[Part]:
        issuers = self.issuers()
        if len(self.corpus.plans) <= self.layout.plans:
            return [Part(PLANS_BY_ISSUER, "plans_by_issuer.md.j2", {"issuers": issuers, "chunk": None})]
        return [
            Part(chunk.path, "plans_by_issuer.md.j2", {"issuers": chunk.items, "chunk": chunk})
            for chunk in paginate(issuers, self.layout.units, PLANS_BY_ISSUER)
        ]

    # ---- units and movements: the lists ---------------------------------------------------------

    def unit_groups(self) -> list[tuple[str, list[Any]]]:
        groups: dict[str, list[Any]] = {}
        for u in sorted(self.corpus.units.values(), key=lambda u: (slugify(u.name), u.id)):
            groups.setdefault(u.province or OTHER_PROVINCE, []).append(u)
        return sorted(groups.items(), key=lambda item: (item[0] == OTHER_PROVINCE, slugify(item[0])))

    def units_index(self) -> list[Part]:
        groups = self.unit_groups()
        if len(self.corpus.units) <= self.layout.units:
            return [Part(UNITS_INDEX, "units.md.j2", {"groups": groups, "links": None})]
        links = {province: province_path(province) for province, _ in groups}
        parts = [Part(UNITS_INDEX, "units.md.j2", {"groups": groups, "links": links})]
        for province, units in groups:
            for chunk in paginate(units, self.layout.units, links[province]):
                parts.append(Part(chunk.path, "units_of_province.md.j2", {"province": province, "chunk": chunk}))
        return parts

    def movements_index(self) -> list[Part]:
        return [Part(MOVEMENTS_INDEX, "movements.md.j2")]  # bounded by the registry, not by the plans

    def unit_plans(self, unit_id: str) -> list[Plan]:
        """Plans the unit issued, then plans that give it a task, newest first."""
        if self._unit_plans is None:
            tasked: dict[str, dict[str, Plan]] = {}
            for plan in self.corpus.plans:
                for task in plan.all_tasks:
                    for u in (*task.units, *task.partners):
                        tasked.setdefault(u, {})[plan.id] = plan
            self._unit_plans = {}
            for u in self.corpus.units:
                issued = self.corpus.by_issuer.get(u, [])
                ids = {p.id for p in issued}
                self._unit_plans[u] = [*issued, *(p for p in tasked.get(u, {}).values() if p.id not in ids)]
        return self._unit_plans.get(unit_id, [])

    # ---- documents ------------------------------------------------------------------------------

    def document_groups(self) -> list[tuple[str, list[Document]]]:
        """Cited documents by kind; newest first within a kind, undated last."""
        groups: dict[str, list[Document]] = {}
        for key, mentions in self.corpus.citations.items():
            path = document_path(key) if len(mentions) > self.layout.mentions else None
            groups.setdefault(mentions[0][1].kind, []).append(Document(key, mentions, path))
        for documents in groups.values():
            documents.sort(key=lambda d: (-(d.ref.day or date.min).toordinal(), d.key))
        return sorted(groups.items(), key=lambda item: slugify(item[0]))

    def documents(self) -> list[Part]:
        groups = self.document_groups()
        total = sum(len(docs) for _, docs in groups)
        parts = []
        if total <= self.layout.documents:
            parts.append(Part(DOCUMENTS_INDEX, "documents.md.j2", {"groups": groups, "links": None, "total": total}))
        else:
            links = {kind: document_kind_path(kind) for kind, _ in groups}
            parts.append(Part(DOCUMENTS_INDEX, "documents.md.j2", {"groups": groups, "links": links, "total": total}))
            for kind, docs in groups:
                parts += self.document_kind(kind, docs, links[kind])
        for _, docs in groups:
            for doc in docs:
                if doc.path:
                    for chunk in paginate(doc.mentions, self.layout.plans, doc.path):
                        parts.append(Part(chunk.path, "document.md.j2", {"document": doc, "chunk": chunk}))
        return parts

    def document_kind(self, kind: str, docs: list[Document], base: str) -> list[Part]:
        if len(docs) <= self.layout.documents:
            return [Part(base, "document_list.md.j2", {"kind": kind, "year": None, "chunk": chunk_of(docs, base), "years": None})]
        years: dict[str, list[Document]] = {}
        for doc in docs:  # newest first already; undated last
            years.setdefault(doc.year, []).append(doc)
        links = {year: f"{folder(base)}{year}.md" for year in years}
        parts = [Part(base, "document_list.md.j2", {"kind": kind, "year": None, "chunk": None,
                                                   "years": [(y, len(d), links[y]) for y, d in years.items()]})]
        for year, items in years.items():
            for chunk in paginate(items, self.layout.documents, links[year]):
                parts.append(Part(chunk.path, "document_list.md.j2", {"kind": kind, "year": year, "chunk": chunk, "years": None, "up": base}))
        return parts

    # ---- dated items: spans of time ------------------------------------------------------------------

    def span(self, key: str, path: str, events: list[Event], plans: list[Plan], window: tl.Window | None) -> Span:
        months = pages = None
        if len(events) > self.layout.items:
            pages = self.month_pages(tl.by_month(events), folder(path))
            months = [m for page in pages for m in page.months]
        plans_path = f"{folder(path)}ke-hoach.md" if len(plans) > self.layout.inline_plans else None
        return Span(key, path, events, plans, window, months, pages, plans_path)

    def month_pages(self, months: list[tuple[date, list[Event]]], under: str) -> list[MonthPage]:
        """Consecutive months on a page while their items fit; each page named by its first month."""
        groups: list[list[tuple[date, list[Event]]]] = []
        size = 0
        for month, items in months:
            if not groups or size + len(items) > self.layout.items:
                groups.append([])
                size = 0
            groups[-1].append((month, items))
            size += len(items)
        pages = []
        for group in groups:
            path = f"{under}{month_segment(group[0][0])}.md"
            pages.append(MonthPage(path, [Month(month, items, path) for month, items in group]))
        return pages

    def span_parts(self, span: Span, template: str, context: dict[str, Any]) -> list[Part]:
        """The span's page, and the pages of its months and of its plans when they do not fit on it."""
        context = {**context, "span": span}
        parts = [Part(span.path, template, context)]
        pages = span.pages or []
        for i, page in enumerate(pages):
            around = {"previous": pages[i - 1] if i else None, "next": pages[i + 1] if i + 1 < len(pages) else None}
            for chunk in paginate(page.events, self.layout.items, page.path):
                parts.append(Part(chunk.path, "month.md.j2", {**context, "group": page, "chunk": chunk, **around}))
        if span.plans_path:
            for chunk in paginate(span.plans, self.layout.plans, span.plans_path):
                parts.append(Part(chunk.path, "plan_list.md.j2", {**context, "chunk": chunk}))
        return parts

    def year_keys(self) -> list[str]:
        """Every school year and calendar year of the corpus, newest first."""
        keys = set()
        for plan in self.corpus.plans:
            if plan.period and plan.period.school_year:
                keys.add(plan.period.school_year)
            if plan.period and plan.period.year is not None:
                keys.add(str(plan.period.year))
        return sorted(keys, key=lambda k: (int(k[:4]), "-" in k), reverse=True)

    def year_span(self, key: str) -> Span:
        window = year_window(key)
        return self.span(key, year_path(key), tl.overlapping(self.corpus.events, window), overlapping_plans(self.corpus.plans, window), window)

    def years(self) -> list[Part]:
        spans = [self.year_span(key) for key in self.year_keys()]
        parts = [Part(YEARS_INDEX, "years.md.j2", {"spans": spans})]
        for span in spans:
            parts += self.span_parts(span, "year.md.j2", {"entity": None})
        return parts

    # ---- a unit's or a movement's page ---------------------------------------------------------------

    def entity_items(self, kind: str, item_id: str) -> tuple[list[Event], list[Plan]]:
        if kind == "unit":
            return self.corpus.events_by_unit.get(item_id, []), self.unit_plans(item_id)
        return self.corpus.events_by_movement.get(item_id, []), self.corpus.by_movement.get(item_id, [])

    def entity(self, kind: str, item_id: str) -> list[Part]:
        """A unit's or a movement's page: whole while it fits; else its current school years, and a
        page per school year (and one for the plans that print no year)."""
        path = unit_path(item_id) if kind == "unit" else movement_path(item_id)
        template = "unit.md.j2" if kind == "unit" else "movement.md.j2"
        events, plans = self.entity_items(kind, item_id)
        entity = {"kind": kind, "id": item_id, "path": path}
        if len(events) <= self.layout.items and len(plans) <= self.layout.inline_plans:
            return [Part(path, template, {"entity": entity, "events": events, "plans": plans, "split": None})]
        spans = []
        for key in school_years_of(events, plans):
            window = year_window(key)
            spans.append(self.span(key, f"{folder(path)}{key}.md", tl.overlapping(events, window), overlapping_plans(plans, window), window))
        undated = [p for p in plans if p.period is None]
        if undated:
            spans.append(self.span(NO_YEAR, f"{folder(path)}{NO_YEAR_SEGMENT}.md", [], undated, None))
        parts = [Part(path, template, {"entity": entity, "events": events, "plans": plans, "split": self.current(events, plans, spans)})]
        for span in spans:
            parts += self.span_parts(span, "entity_year.md.j2", {"entity": entity})
        return parts

    def current(self, events: list[Event], plans: list[Plan], spans: list[Span]) -> dict[str, Any]:
        """What a split unit's or movement's own page shows: its previous, current and next school
        year (the window of its feed), when they fit; then every school year, linked."""
        keys = current_school_years(self.today) if self.today else []
        window = tl.Window(year_window(keys[0]).first, year_window(keys[-1]).last) if keys else None
        now_events = tl.overlapping(events, window) if window else []
        now_plans = overlapping_plans(plans, window) if window else []
        return {
            "keys": keys,
            "window": window,
            "events": now_events,
            "plans": now_plans,
            "events_fit": len(now_events) <= self.layout.items,
            "plans_fit": len(now_plans) <= self.layout.inline_plans,
            "spans": sorted(spans, key=lambda s: (s.key != NO_YEAR, s.key), reverse=True),
        }


def year_window(key: str) -> tl.Window:
    return tl.school_year_window(int(key[:4])) if "-" in key else tl.year_window(int(key))


def overlapping_plans(plans: Iterable[Plan], window: tl.Window) -> list[Plan]:
    return [p for p in plans if p.period and p.period.first_day <= window.last and p.period.last_day >= window.first]


def school_years_of(events: Sequence[Event], plans: Sequence[Plan]) -> list[str]:
    """The school years (01/09–31/08) the items and the plans' periods touch, newest first."""
    firsts: set[int] = set()
    spans = [(e.first, e.last) for e in events] + [(p.period.first_day, p.period.last_day) for p in plans if p.period]
    for first, last in spans:
        firsts.update(range(school_year_of(first), school_year_of(last) + 1))
    return [f"{y}-{y + 1}" for y in sorted(firsts, reverse=True)]


def chunk_of(items: Sequence[Any], path: str) -> Chunk:
    """All the items as the one page of a list (for templates that also show pages of a longer list)."""
    return paginate(items, max(1, len(items)), path)[0]
