"""Corpus → Markdown pages, through the Jinja2 templates in site_templates/.

Pure: `render_pages(corpus, settings)` returns {path inside the docs tree: Markdown text}. Any site
engine that turns a docs tree of Markdown into HTML can publish it; mkdocs is one adapter (plugin.py).
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator import timeline as tl
from generator.bulk import Packed
from generator.corpus import NO_YEAR, Corpus, plan_texts, year_key
from generator.dates import DeadlineKind, calendar_days, format_date, format_date_long
from generator.events import Event, Kind, anchor
from generator.lists import OTHER_PROVINCE, Lists, Month, Span, chunk_of  # noqa: F401 (OTHER_PROVINCE: re-exported)
from generator.markup import html_text, markdown_block, markdown_inline, table_cell
from generator.model import DocumentRef, Movement, Plan, Signer, Unit
from generator.paging import DEFAULT as DEFAULT_LAYOUT, Layout, folder
from generator.parallel import map_forked
from generator.paths import (  # noqa: F401 (re-exported: the site's addresses)
    DOCUMENTS_URL, FEEDS_URL, MOVEMENTS_URL, PLANS_URL, SOURCES_URL, UNITS_URL, YEARS_URL, movement_path, plan_path,
    plan_url, unit_path, year_path,
)
from generator.resources import shipped
from generator.slug import fold, slugify
from generator.text import capitalised, html, one_line, plain
from generator.urls import google_link, page_url, relative, webcal

TEMPLATES = shipped("site_templates")
HOME_LATEST = 10
HOME_DEADLINES = 12
HOME_RECENT = 5


@dataclass(frozen=True)
class Settings:
    site_url: str  # absolute, ends with "/"
    site_name: str
    today: date  # the reference day for "upcoming": the commit's date, never the clock


def environment(templates: Path = TEMPLATES) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_escape_by_default,
    )
    env.filters.update(
        md=markdown_block,
        inline=markdown_inline,
        h=html_text,
        cell=table_cell,
        date=format_date,
        date_long=format_date_long,
        yaml=_yaml_string,
    )
    return env


def _escape_by_default(value: Any) -> Any:
    """A plain string reaching the page unfiltered is escaped as inline Markdown."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return markdown_inline(value)
    return value


def _yaml_string(value: str) -> Markup:
    # A JSON string is a valid YAML double-quoted scalar: safe for mkdocs' front matter.
    return Markup(json.dumps(" ".join(str(value).split()), ensure_ascii=False))


def plan_title(plan: Plan, corpus: Corpus) -> str:
    """The title of a plan in a browser tab, a search result or a shared link: number (or trích yếu),
    issuers, year — '01/KH-PGDĐT — Phòng GDĐT quận Đống Đa — 2023'."""
    issuers = ", ".join(corpus.units[i].label for i in plan.issuers)
    if plan.period is None:
        when = ""
    elif plan.period.year is not None:
        when = str(plan.period.year)
    else:
        when = f"năm học {plan.period.school_year}"
    return " — ".join(part for part in (plan.number or plan.title, issuers, when) if part)


PAGES_PER_WORKER = 200  # below this many pages a worker costs more than it saves


def render_pages(
    corpus: Corpus,
    settings: Settings,
    feeds: Mapping[str, int] | Iterable[str] = (),
    env: Environment | None = None,
    layout: Layout = DEFAULT_LAYOUT,
    packed: bool = False,
) -> dict[str, str] | dict[str, Packed]:
    """Every Markdown page; `feeds` are the calendar feeds that exist (path → number of events), for
    the pages to link and count; `layout` how long a list page may grow (generator/paging.py);
    `packed`: each page compressed as soon as it is rendered (generator.bulk.Packed)."""
    env = env or environment()
    view = View(corpus, settings, feeds if isinstance(feeds, Mapping) else dict.fromkeys(feeds, 0), layout, env)
    lists: list[tuple[str, Callable[[], str]]] = [("index.md", lambda: env.get_template("home.md.j2").render(v=view))]
    for part in view.lists.parts():
        lists.append((part.path, lambda part=part: env.get_template(part.template).render(v=view, here=part.path, **part.context)))
    template = env.get_template("plan.md.j2")
    plans = [(plan_path(plan), lambda plan=plan: _plan_page(template, view, plan)) for plan in corpus.plans]
    # Each page depends on the corpus only, never on another page: both cores render them. The plans
    # come first and the lists last: a forked worker takes the first pages, so it reads (and copies)
    # only the plans it renders, while this process, which holds the corpus anyway, renders the lists
    # that read every plan.
    finish = Packed if packed else str
    jobs = plans + lists
    texts = dict(zip((path for path, _ in jobs), map_forked(lambda job: finish(job[1]()), jobs, PAGES_PER_WORKER)))
    return {path: texts[path] for path, _ in lists + plans}


def plan_pages(corpus: Corpus, settings: Settings, plans: Iterable[Plan], feeds: Mapping[str, int],
               layout: Layout = DEFAULT_LAYOUT) -> dict[str, str]:
    """The pages of these plans only, exactly as `render_pages` makes them from the same inputs
    (under `planpub serve`, an edited plan's page is shown before the whole site is rebuilt)."""
    env = environment()
    view = View(corpus, settings, feeds, layout, env)
    template = env.get_template("plan.md.j2")
    return {plan_path(plan): _plan_page(template, view, plan) for plan in plans}


def _plan_page(template, view: View, plan: Plan) -> str:
    return with_toc(template.render(v=view, plan=plan))


def calendar_page(corpus: Corpus, settings: Settings, groups: list, events: int, budget_kb: int) -> str:
    """The Lịch page: every feed under its heading (`feeds.feed_groups`), with how to subscribe;
    `events`: how many dated items the feeds hold; `budget_kb`: a subscribed feed's size limit."""
    return environment().get_template("calendar.md.j2").render(
        v=View(corpus, settings), groups=groups, total=events, budget_kb=budget_kb
    )


def list_pages(corpus: Corpus, layout: Layout = DEFAULT_LAYOUT) -> list[str]:
    """The docs paths of the generated list pages (home, lists, units, movements, timelines, and
    the pages they are split into): which exist depends on the corpus and the layout only."""
    return ["index.md", *Lists(corpus, layout).paths()]


def structured_data(corpus: Corpus, settings: Settings, plans: Iterable[Plan] | None = None) -> dict[str, str]:
    """{page path: its schema.org JSON-LD} of every plan page (or of `plans`' only); the site engine
    puts it in the page's <head>, escaped for a <script> element (generator/theme.py), never into
    the page's Markdown."""
    return {plan_path(plan): plan_jsonld(plan, corpus, settings) for plan in (corpus.plans if plans is None else plans)}


class View:
    """What templates may ask of the corpus: labels, links, groupings. No I/O, no clock."""

    def __init__(self, corpus: Corpus, settings: Settings, feeds: Mapping[str, int] | None = None,
                 layout: Layout = DEFAULT_LAYOUT, env: Environment | None = None) -> None:
        self.corpus = corpus
        self.env = env  # the templates' environment, for the pieces a View renders itself
        self.settings = settings
        self.feeds = dict(feeds or {})  # feed path -> number of events in it
        self.layout = layout
        self.lists = Lists(corpus, layout, settings.today)
        self._sentence: dict[tuple[str, str], str | None] = {}  # (plan id, movement id) -> its sentence
        self._sentences: dict[str, list[tuple[str, str]]] = {}  # plan id -> its sentences, folded and as printed
        # (event, depth of the page, options) -> its <li>: an item is listed on its plan's, units',
        # movements' and years' pages alike (the events are the corpus's own objects: id() is stable)
        self._items: dict[tuple[int, int, bool, bool], Markup] = {}
        self._plan_items: dict[tuple[str, str, str | None], Markup] = {}  # (plan, link, movement) -> its list item

    def plan_item(self, plan: Plan, here: str, movement: str | None) -> Markup:
        """A plan in a list of plans (plan_item_body.md.j2), made once per link and movement: a plan is
        listed on every page of its units, movements and years."""
        link = self.md(here, plan_path(plan))
        key = (plan.id, link, movement)
        made = self._plan_items.get(key)
        if made is None:
            self.env = self.env or environment()
            template = self.env.get_template("plan_item_body.md.j2")
            made = self._plan_items[key] = Markup(template.render(v=self, p=plan, here=here, movement=movement))
        return made

    def has_feed(self, kind: str, item_id: str) -> bool:
        return f"lich/{kind}/{item_id}.ics" in self.feeds

    def anchor(self, item_id: str) -> str:
        """Registry ids are slugs already: the anchor of an entity on its list page is its id."""
        return item_id

    def movement_groups(self) -> list[tuple[Any, list[Any]]]:
        groups: dict[Any, list[Any]] = {}
        for m in sorted(self.corpus.movements.values(), key=lambda m: slugify(m.name)):
            groups.setdefault(m.kind, []).append(m)
        return sorted(groups.items(), key=lambda item: list(type(item[0])).index(item[0]))

    def unit(self, unit_id: str) -> str:
        return self.corpus.units[unit_id].label

    def unit_name(self, unit_id: str) -> str:
        return self.corpus.units[unit_id].name

    def units(self, ids: Iterable[str]) -> str:
        return "; ".join(self.unit(i) for i in ids)

    def movement(self, movement_id: str):
        return self.corpus.movements[movement_id]

    def link(self, plan: Plan, here: str) -> str:
        """Relative Markdown link from page `here` (a docs path) to a plan page."""
        return _relative(here, plan_path(plan))

    def cited_by(self, plan: Plan) -> list[Plan]:
        """Plans in the corpus that name this plan among their bases or citations."""
        return self.corpus.cited_by.get(plan.id, [])

    def plan_for(self, ref: DocumentRef) -> Plan | None:
        return self.corpus.by_id.get(ref.plan) if ref.plan else None

    def latest(self) -> list[Plan]:
        return self.corpus.plans[:HOME_LATEST]

    def upcoming(self) -> list[Event]:
        today = self.settings.today
        return [d for d in self.corpus.deadlines if d.day >= today][:HOME_DEADLINES]

    def recent(self) -> list[Event]:
        """The last deadlines before the reference day, newest first (when none is upcoming)."""
        today = self.settings.today
        past = [d for d in self.corpus.deadlines if d.day < today]
        return past[::-1][:HOME_RECENT]

    def years(self) -> dict[str, list[Plan]]:
        return self.corpus.by_year

    def year_label(self, key: str) -> str:
        if key == NO_YEAR:
            return "Không ghi năm"
        return f"Năm học {key}" if "-" in key else f"Năm {key}"

    def signer(self, signer: Signer) -> str:
        return ", ".join(signer.title_lines) + f" — {signer.name}"

    def document(self, ref: DocumentRef) -> str:
        parts = [ref.label]
        if ref.issuer:
            parts.append(f"của {ref.issuer}")
        if ref.subject:
            parts.append(f"về {ref.subject}" if not ref.subject.lower().startswith("về") else ref.subject)
        return " ".join(parts)

    def description(self, plan: Plan) -> str:
        issuers = ", ".join(self.unit_name(i) for i in plan.issuers) or "Không ghi cơ quan ban hành"
        when = f" {plan.issued.text}" if plan.issued else ""
        name = f"{plan.display_name}: {plan.title}" if plan.number else plan.title
        period = f" {plan.period.label}." if plan.period else ""
        return f"{name}. {issuers}{when}.{period}"

    def plan_title(self, plan: Plan) -> str:
        return plan_title(plan, self.corpus)

    def plan_summary(self, plan: Plan, here: str) -> Markup:
        """Status and next deadline at the top of a plan page. The words depend on today, so the
        reader's browser writes them (timeline.js); the page itself states the dates they come from."""
        # The word the browser writes replaces one of the same line ("Đã ban hành", true on any day),
        # and the period has its own line: the summary keeps its height, nothing below it moves.
        # A draft or superseded plan says so whatever the day.
        if plan.period:
            period = html("Thời gian thực hiện: {} – {}", format_date(plan.period.first_day), format_date(plan.period.last_day))
        else:
            period = Markup("Không ghi thời gian thực hiện")
        if plan.status.value == "published" and plan.period:
            word = html('<span class="pp-status" data-first="{}" data-last="{}">{}</span>',
                plan.period.first_day.isoformat(), plan.period.last_day.isoformat(), plan.status.label)
        else:
            word = Markup(plan.status.label)
        status = html("{}<br>{}", word, period)
        dues = [e for e in self.corpus.events_by_plan.get(plan.id, []) if e.kind in (Kind.TASK, Kind.ROW)]
        if dues:
            first = dues[0]
            nxt = html('<span class="pp-next" data-plan="{}">Thời hạn đầu tiên: <a href="#{}">{}</a> — {}</span>',
                plan.id, first.anchor, tl.when_text(first), self.event_text(first))
        else:
            nxt = Markup("Kế hoạch không có thời hạn nào đọc được ngày.")
        return html('<div class="pp-summary"><p><strong>Tình trạng:</strong> {}</p><p>{}</p></div>', status, nxt)

    def issued_short(self, plan: Plan) -> str:
        """The issue date in a list: dd/mm/yyyy when complete, else as printed."""
        if plan.issued is None:
            return ""
        return format_date(plan.issued.day) if plan.issued.day else plan.issued.text

    def task_anchor(self, task) -> str:
        return anchor(Kind.TASK, task.id)

    def phase_anchor(self, phase) -> str:
        return anchor(Kind.PHASE, phase.id)

    def anniversary_names(self, plan: Plan, ids: Iterable[str]) -> str:
        names = {a.id: a.name for a in plan.anniversaries}
        return "; ".join(names[i] for i in ids)

    def target_reading(self, target) -> str:
        """The structured reading of a target, in words: “≥ 15 % (sáng kiến) — đến năm 2025”."""
        parts = []
        if target.value is not None:
            sign = {">=": "≥ ", "<=": "≤ ", "=": ""}.get(target.comparator or "=", "")
            value = f"{target.value:g}" if isinstance(target.value, float) else str(target.value)
            parts.append(f"{sign}{value}{' ' + target.unit if target.unit else ''}")
        if target.subject:
            parts.append(target.subject)
        if target.by:
            parts.append(target.by)
        return " — ".join(parts)

    def statistic_reading(self, stat) -> str:
        parts = [stat.label] if stat.label else []
        if stat.value is not None:
            value = f"{stat.value:g}" if isinstance(stat.value, float) else str(stat.value)
            parts.append(f"{value}{' ' + stat.unit if stat.unit else ''}")
        return ": ".join(parts)

    def reading(self, d) -> str:
        """The calendar reading of a printed deadline, under it: “hạn: 24/01/2023”, “ngày 31/08/2022,
        01/09/2022 · 08:00–09:00”, “hằng năm”; "" when it gives no day."""
        spans = calendar_days(d)
        if not spans:
            return ""
        if d.kind is DeadlineKind.RANGE:
            when = f"từ {format_date(spans[0][0])} đến {format_date(spans[0][1])}"
        elif d.kind is DeadlineKind.DAYS:
            when = "ngày " + ", ".join(format_date(a) for a, _ in spans)
        elif d.kind is DeadlineKind.ON:
            when = f"ngày {format_date(spans[0][1])}"
        else:
            when = f"hạn: {format_date(spans[-1][1])}"
        if d.start_time is not None:
            when += f" · {d.start_time:%H:%M}" + (f"–{d.end_time:%H:%M}" if d.end_time else "")
        if d.recurrence is not None:
            when += f" ({d.recurrence.label})"
        return when

    def task_who(self, task) -> Markup:
        """The “Thực hiện” cell: units as printed (else their names), people, who coordinates; then,
        when the printed words stand for registry units, links to those units' pages."""
        who = [task.units_text] if task.units_text else [self.unit(u) for u in task.units]
        who += task.people
        partners = task.partners_text or "; ".join(self.unit(u) for u in task.partners)
        if partners:
            who.append(f"Phối hợp: {partners}")
        cell = [markdown_inline(w) for w in who]
        linked = [*task.units, *task.partners] if (task.units_text or task.partners_text) else []
        if linked:
            links = Markup("; ").join(self.unit_link(u) for u in dict.fromkeys(linked))
            cell.append(Markup('<small class="pp-meta">Đơn vị: ') + links + Markup("</small>"))
        return Markup("<br>").join(cell)

    def unit_href(self, unit_id: str) -> Markup:
        """A unit's page, relative to a plan page (ids are slugs: safe in an attribute as they are)."""
        return Markup(f"../../{page_url(unit_path(unit_id))}")

    def unit_links(self, unit_ids: Iterable[str], here: str) -> Markup:
        """Markdown links to the units' pages, from the Markdown page `here`."""
        return Markup("; ").join(
            Markup("[") + markdown_inline(self.unit(u)) + Markup("](") + Markup(_relative(here, unit_path(u))) + Markup(")")
            for u in unit_ids
        )

    def unit_link(self, unit_id: str) -> Markup:
        return html('<a href="{}">{}</a>', self.unit_href(unit_id), self.unit(unit_id))

    def task_details(self, task) -> list[tuple[str, str]]:
        """The lines under a task's text, as (css class, Markup): what the plan prints about it (where
        it happens, its notes), then the editors' own pointers (class pp-meta: where the plan states
        it, the movements it serves)."""
        lines = []
        if task.location:
            lines.append(("pp-printed", "Địa điểm: " + markdown_inline(task.location)))
        if task.remarks:
            lines.append(("pp-printed", "Ghi chú: " + markdown_inline(task.remarks)))
        if task.where:
            lines.append(("pp-meta", "Nêu tại: " + markdown_inline(task.where)))
        if task.movements:
            names = "; ".join(self.corpus.movements[m].name for m in task.movements)
            lines.append(("pp-meta", "Phong trào: " + markdown_inline(names)))
        if task.notes:
            lines.append(("pp-meta", "Ghi chú của biên tập viên: " + markdown_inline(task.notes)))
        return [(css, Markup(line)) for css, line in lines]

    def numbered(self, number: str | None, text: str) -> Markup:
        """A numbered paragraph without a heading ("4.1. Kiện toàn …"): the number leads its text."""
        body = markdown_block(text)
        if not number:
            return body
        label = Markup("**") + markdown_inline(section_number(number)) + Markup("**")
        if body.lstrip().startswith(("- ", "+ ", "* ")):
            return label + Markup("\n\n") + body
        return label + Markup(" ") + body

    def section_number(self, number: str) -> str:
        return section_number(number)

    def hashes(self, level: int) -> Markup:
        """A Markdown heading marker; below h6 a heading stays an h6."""
        return Markup("#" * min(level, 6))

    def url(self, path: str) -> str:
        return self.settings.site_url + path

    # ---- links between pages (relative, so the site works under any base path) ----------------

    def rel(self, here: str, target: str) -> Markup:
        """A link from docs page `here` to `target` (relative to the site root; slugs and ids only)."""
        return Markup(relative(here, target))

    def unit_page(self, unit_id: str, here: str) -> Markup:
        return self.rel(here, page_url(unit_path(unit_id)))

    def movement_page(self, movement_id: str, here: str) -> Markup:
        return self.rel(here, page_url(movement_path(movement_id)))

    def plan_page(self, plan: Plan, here: str) -> Markup:
        return self.rel(here, plan_url(plan))

    def year_page(self, key: str, here: str) -> Markup:
        return self.rel(here, page_url(year_path(key)))

    # ---- dated items ------------------------------------------------------------------------------

    def event_href(self, event: Event, here: str) -> Markup:
        return self.rel(here, f"{plan_url(event.plan)}#{event.anchor}")

    def event_text(self, event: Event) -> str:
        return capitalised(tl.shorten(plain(event.summary)))

    def event_label(self, event: Event) -> str:
        """The tooltip of a mark on a chart: when, what, which plan."""
        return f"{tl.when_text(event)} — {self.event_text(event)} ({self.plan_ref(event.plan)})"

    def plan_ref(self, plan: Plan) -> str:
        if plan.number:
            return plan.number
        if plan.issuers:
            return self.unit(plan.issuers[0])
        return tl.shorten(plan.title, 40)

    def event_extra(self, event: Event, here: str, plan: bool = True, units: bool = False) -> Markup:
        parts = []
        if event.headers:
            parts.append(html('<span class="pp-ev-group">{}</span>', " › ".join(event.headers)))
        if units and event.task is not None:
            who = event.task.units_text or "; ".join(self.unit(u) for u in event.task.units)
            if who:
                parts.append(html('<span class="pp-ev-who">{}</span>', one_line(who)))
        if plan:
            parts.append(html('<a class="pp-ev-plan" href="{}">{}</a>', self.plan_page(event.plan, here), self.plan_ref(event.plan)))
        return Markup("").join(Markup(" — ") + part for part in parts)

    def timeline(self, events: list[Event], window: tl.Window, here: str, caption: str) -> Markup:
        return tl.timeline(events, window, lambda e: self.event_href(e, here), self.event_label, caption)

    def event_list(self, events: list[Event], here: str, plan: bool = True, units: bool = False, heading: int = 3,
                   ids: bool = True) -> Markup:
        depth = page_url(here).count("/")  # an item's links depend on how deep its page is, nothing else

        def item(e: Event) -> Markup:
            key = (id(e), depth, plan, units)
            made = self._items.get(key)
            if made is None:
                made = self._items[key] = tl.list_item(e, self.event_href(e, here), self.event_text(e), self.event_extra(e, here, plan, units))
            return made

        return tl.item_list(events, item, heading, ids)

    def window_of(self, events: list[Event]) -> tl.Window | None:
        return tl.window_of(events)

    def window_label(self, window: tl.Window) -> str:
        first, last = window.first, window.last
        return f"tháng {first.month}/{first.year} – tháng {last.month}/{last.year}"

    def plan_window(self, plan: Plan) -> tl.Window | None:
        period = (plan.period.first_day, plan.period.last_day) if plan.period else None
        return tl.window_of(self.corpus.events_by_plan.get(plan.id, []), period)

    # ---- lists split across pages (generator/lists.py) ----------------------------------------------

    def md(self, here: str, target: str) -> Markup:
        """A Markdown link from docs page `here` to docs page `target` (mkdocs checks and rewrites it)."""
        return Markup(posixpath.relpath(target, posixpath.dirname(here) or "."))

    def page(self, here: str, target: str) -> Markup:
        """An HTML link from docs page `here` to docs page `target`."""
        return self.rel(here, page_url(target))

    def chart(self, events: list[Event], window: tl.Window, here: str, caption: str,
              months: Callable[[date], str] | None = None) -> Markup:
        """The chart of a window: a mark per item while they are few (Layout.marks), else each month's
        count, linking to where that month is listed (`months`; by default its section on this page)."""
        inside = tl.overlapping(events, window)
        if len(inside) <= self.layout.marks:
            return self.timeline(inside, window, here, caption)
        return tl.summary_timeline(inside, window, months or (lambda m: f"#{tl.month_anchor(m)}"), caption + ", số mốc mỗi tháng")

    def month_href(self, spans: Iterable[Span], here: str) -> Callable[[date], str]:
        """Where a month's items are listed, among the pages of these spans (school years or years)."""
        spans = list(spans)

        def href(month: date) -> str:
            span = next((s for s in spans if s.window and s.window.first <= month <= s.window.last), None)
            if span is None:
                return f"#{tl.month_anchor(month)}"
            if span.months is None:
                target = "" if span.path == here else self.page(here, span.path)
                return f"{target}#{tl.month_anchor(month)}"
            found = next((m for m in span.months if m.month == month), None)
            if found is None:
                return self.page(here, span.path)
            target = "" if found.path == here else self.page(here, found.path)
            return f"{target}#{tl.month_anchor(month)}"

        return href

    def span_chart(self, span: Span, here: str, caption: str) -> Markup:
        if span.window is None:
            return Markup("")
        return self.chart(span.events, span.window, here, caption, self.month_href([span], here))

    def plan_path(self, plan: Plan) -> str:
        return plan_path(plan)

    def unit_path(self, unit_id: str) -> str:
        return unit_path(unit_id)

    def document_year_label(self, year: str) -> str:
        return f"Năm {year}" if year.isdigit() else "Không ghi ngày"

    def counts(self, events: int, plans: int) -> str:
        """“65 việc có thời hạn, 40 kế hoạch”, leaving out what is none."""
        parts = [f"{events} mốc thời gian" if events else "", f"{plans} kế hoạch" if plans else ""]
        return ", ".join(p for p in parts if p) or "không có mốc thời gian nào"

    def kind_counts(self, events: list[Event]) -> str:
        return tl.counts_text(events)

    def month_label(self, month: date) -> str:
        return tl.month_label(month)

    def entity_name(self, entity: Mapping[str, str]) -> str:
        if entity["kind"] == "unit":
            return self.corpus.units[entity["id"]].name
        return self.corpus.movements[entity["id"]].name

    def sentence(self, plan: Plan, movement_id: str | None) -> str | None:
        """The plan's own sentence about a movement (None without a movement or a sentence)."""
        if not movement_id:
            return None
        key = (plan.id, movement_id)  # a plan is listed on its movement's page and on a school year's
        if key not in self._sentence:
            if plan.id not in self._sentences:  # folded once, not once per movement of the plan
                self._sentences[plan.id] = plan_sentences(plan)
            self._sentence[key] = movement_sentence(plan, self.corpus.movements[movement_id], self._sentences[plan.id])
        return self._sentence[key]

    def year_keys(self) -> list[str]:
        return self.lists.year_keys()

    def year_window(self, key: str) -> tl.Window:
        return tl.school_year_window(int(key[:4])) if "-" in key else tl.year_window(int(key))

    # ---- units -------------------------------------------------------------------------------------

    def children(self, unit_id: str) -> list[Unit]:
        return sorted((u for u in self.corpus.units.values() if u.parent == unit_id), key=lambda u: slugify(u.name))

    def unit_events(self, unit_id: str) -> list[Event]:
        return self.corpus.events_by_unit.get(unit_id, [])

    def unit_plans(self, unit_id: str) -> list[Plan]:
        """Plans the unit issued, then plans that give it a task, newest first."""
        return self.lists.unit_plans(unit_id)

    # ---- movements ---------------------------------------------------------------------------------

    def movement_events(self, movement_id: str) -> list[Event]:
        return self.corpus.events_by_movement.get(movement_id, [])

    def movement_plans(self, movement_id: str) -> list[tuple[str, list[tuple[Plan, str | None]]]]:
        """The plans implementing a movement, by year key, each with its own sentence about it."""
        movement = self.corpus.movements[movement_id]
        groups: dict[str, list[tuple[Plan, str | None]]] = {}
        for plan in self.corpus.by_movement.get(movement_id, []):
            groups.setdefault(self.year_key(plan), []).append((plan, self.sentence(plan, movement.id)))
        return sorted(groups.items(), key=lambda item: item[0], reverse=True)

    def year_key(self, plan: Plan) -> str:
        return year_key(plan)

    # ---- subscribing -------------------------------------------------------------------------------

    def feed_path(self, kind: str, item_id: str) -> str | None:
        path = f"{FEEDS_URL}/{kind}/{item_id}.ics"
        return path if path in self.feeds else None

    def subscribe(self, kind: str, item_id: str, here: str, name: str, count: int | None = None) -> Markup:
        """The subscribe block of a plan, unit, movement or school-year page: webcal, Google, copy, QR."""
        path = self.feed_path(kind, item_id)
        if path is None:
            return Markup('<p class="pp-subscribe pp-no-feed">Chưa có thời hạn nào đọc được ngày để đưa lên lịch.</p>')
        count = self.feeds[path]
        url = self.settings.site_url + path
        qr = self.rel(here, f"{FEEDS_URL}/qr/{kind}/{item_id}.svg")
        guide = self.rel(here, f"{FEEDS_URL}/#cach-dang-ky")
        return html(
            '<div class="pp-subscribe">'
            '<p class="pp-subscribe-title"><strong>Theo dõi trên lịch của bạn</strong> — {count} sự kiện{window}; lịch tự cập nhật khi kế hoạch được sửa.</p>'
            '<p class="pp-feed-links"><a class="md-button md-button--primary" href="{webcal}">Đăng ký lịch</a> '
            '<a class="md-button" href="{google}" rel="nofollow">Thêm vào Google Calendar</a> '
            '<button type="button" class="md-button pp-copy" data-copy="{url}">Sao chép địa chỉ</button></p>'
            '<p class="pp-feed-url"><small>Địa chỉ lịch: <code>{url}</code> · <a href="{guide}">cách đăng ký trên Google, Outlook, Apple</a></small></p>'
            '<details class="pp-qr pp-plain"><summary>Mã QR để quét bằng điện thoại</summary>'
            '<img src="{qr}" alt="Mã QR đăng ký lịch {name}" width="200" height="200" loading="lazy"></details>'
            '</div>'
        , count=count, webcal=webcal(url), google=google_link(url), url=url, guide=guide, qr=qr, name=name,
                 window=FEED_WINDOWS.get(kind, ""))


    def source_link(self, plan: Plan) -> Markup:
        """Markdown link target from a plan page to its original document."""
        return Markup(f"../{SOURCES_URL}/{quote(plan.source.file)}") if plan.source and plan.source.file else Markup("")



def section_number(number: str) -> str:
    """A section's number as printed, with a full stop after it when it prints none ("II" → "II.";
    "II/", "2)", "a." and "1.2." stay as they are)."""
    return number if number.endswith((".", "/", ")", ":", "-")) else number + "."


# What a subscribed feed holds (generator.feeds.windows), said where it is offered.
FEED_WINDOWS = {
    "don-vi": " của năm học trước, năm học này và năm học sau",
    "phong-trao": " của năm học trước, năm học này và năm học sau",
}

TOC_MARK = "<!--pp-toc-->"
_H2 = re.compile(r"^## (.+)$", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\(.)")


def with_toc(page: str) -> str:
    """Replace the page's TOC mark with a list of its sections (the h2 headings), for phones, where
    Material shows no table of contents for a page without navigation. Slugs are the toc
    extension's own (generator.slug.slugify), so the links land on its anchors."""
    if TOC_MARK not in page:
        return page
    items = []
    seen: dict[str, int] = {}
    for match in _H2.finditer(page):
        text = _MD_ESCAPE.sub(r"\1", match.group(1)).strip()
        slug = slugify(text)
        if slug in seen:  # the toc extension numbers repeated slugs: name_1, name_2 …
            seen[slug] += 1
            slug = f"{slug}_{seen[slug]}"
        else:
            seen[slug] = 0
        items.append(html('<li><a href="#{}">{}</a></li>', slug, text))
    if len(items) < 3:
        return page.replace(TOC_MARK, "")
    toc = html('<details class="pp-toc pp-plain"><summary>Mục lục</summary><ol>{}</ol></details>', Markup("").join(items))
    return page.replace(TOC_MARK, toc)


_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n+")


def plan_sentences(plan: Plan) -> list[tuple[str, str]]:
    """Every sentence of the plan's text, in order: (folded, as printed)."""
    return [(fold(sentence), sentence) for _, text in plan_texts(plan) for sentence in _SENTENCE_END.split(text)]


def movement_sentence(plan: Plan, movement: Movement, sentences: list[tuple[str, str]] | None = None) -> str | None:
    """The first sentence of the plan that names the movement (any spelling), as printed.

    `sentences`: plan_sentences(plan), when already made."""
    names = [fold(n) for n in [movement.name, *movement.aliases] if len(n) >= 4]
    for folded, sentence in sentences if sentences is not None else plan_sentences(plan):
        if any(name in folded for name in names):
            return tl.shorten(plain(sentence).strip(" -+*•"), 320)
    return None


def _relative(here: str, target: str) -> str:
    depth = here.count("/")
    return "../" * depth + target


def plan_jsonld(plan: Plan, corpus: Corpus, settings: Settings) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": settings.site_url + plan_url(plan),
        "url": settings.site_url + plan_url(plan),
        "name": plan.display_name,
        "headline": plan.title,
        "legislationType": plan.kind,
        "inLanguage": "vi",
        "legislationJurisdiction": "VN",
        "dateModified": plan.updated.isoformat(),
        "legislationLegalForce": "InForce" if plan.status.value == "published" else "NotInForce",
    }
    if plan.issuers:
        data["legislationPassedBy"] = [{"@type": "GovernmentOrganization", "name": corpus.units[i].name} for i in plan.issuers]
    if plan.period:
        data["temporalCoverage"] = f"{plan.period.first_day.isoformat()}/{plan.period.last_day.isoformat()}"
    if plan.number:
        data["legislationIdentifier"] = plan.number
    if plan.issued_day:
        data["legislationDate"] = plan.issued_day.isoformat()
        data["datePublished"] = plan.issued_day.isoformat()
    if plan.place:
        data["spatialCoverage"] = plan.place
    if plan.signers:
        data["author"] = [{"@type": "Person", "name": s.name, "jobTitle": ", ".join(s.positions)} for s in plan.signers]
    basis = [ref.label for ref in plan.bases]
    if basis:
        data["isBasedOn"] = basis
    return json.dumps(data, ensure_ascii=True, sort_keys=True, indent=None)
