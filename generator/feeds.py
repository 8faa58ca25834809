"""iCalendar feeds of the deadlines, and the page that lists them (/lich/).

Feeds (all under lich/):

| feed | events |
| --- | --- |
| `tat-ca.ics` | every dated task and every phase |
| `ke-hoach/<plan id>.ics` | the tasks and phases of one plan |
| `phong-trao/<movement id>.ics` | tasks of a movement (the task's own movements, else its plan's) and phases of its plans |
| `don-vi/<unit id>.ics` | the tasks a unit is responsible for: what a school subscribes to |
| `nam-hoc/<yyyy-yyyy>.ics` | events that fall (even partly) in the school year 01/09–31/08 |
| `ngay-ky-niem.ics` | anniversaries with a full date (one event per day and name) |

Which days an event covers (the rule stated on the Lịch page, the same as the plan pages and
content/huong-dan/han-chot.md): a task is shown on its **due day** — the last day to act,
`Deadline.end` — as a one-day event ("Trước ngày 25/01/2023" on 24/01/2023, "Tháng 02/2023" on
28/02/2023); a task written as a range of days ("Từ … đến …") and a phase cover all their days.
All events are all-day: DTSTART;VALUE=DATE and an exclusive DTEND.

Every byte is written by the `icalendar` library (escaping, folding, value types); nothing here
writes ICS by hand. icalendar is slow, and an event is in up to five feeds, so each event is
serialised once to bytes, and a feed is the icalendar-made calendar header, the cached events and
the closing line. UIDs are `<task id>@<plan id>.planpub` (phases `<id>.dot@…`, anniversaries
`<id>.ky-niem@…`): ids never change when rows move, so a client keeps the right event.
SEQUENCE, DTSTAMP and LAST-MODIFIED come from the committed ledger (generator/ledger.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping
from urllib.parse import urlsplit

# icalendar and segno are imported where feeds and QR codes are written: `planpub check` makes events
# but writes none (icalendar was 75 ms of the 0.45 s it spends importing).
if TYPE_CHECKING:
    from icalendar import Timezone

from generator import cache, ledger
from generator.corpus import PLAN_CACHE, Corpus, load_project
from generator.dates import format_date
from generator.load import LoadError, Problem
from generator.events import Event, Kind
from generator.parallel import map_forked
from generator.text import capitalised, nfc, one_line, plain, plain_lines, shorten
from generator.urls import google_link, webcal
from generator.model import Anniversary, Phase, Plan, Task
from generator.pages import Settings, plan_url
from generator.slug import slugify

FEEDS_DIR = "lich"
PAGE = f"{FEEDS_DIR}/index.md"
QR_DIR = f"{FEEDS_DIR}/qr"
QR_MASK = 4
PRODID = "-//planpub//Lịch kế hoạch thi đua ngành Giáo dục//VI"
TIMEZONE = "Asia/Ho_Chi_Minh"
REFRESH = timedelta(hours=6)
ALL_BEFORE = timedelta(days=30)  # the all-deadlines feed's window around the reference day
ALL_AFTER = timedelta(days=120)
# The most bytes a feed people subscribe to may hold (units, movements, all deadlines,
# anniversaries): calendar clients re-download a subscription every few hours, and some give up on
# feeds of megabytes. A window holding more keeps the days nearest the reference day (`fit`).
FEED_BUDGET = 500_000
UID_DOMAIN = "planpub"
SUMMARY_MAX = 60
END_CALENDAR = b"END:VCALENDAR\r\n"

TASK, PHASE, ANNIVERSARY = "task", "phase", "anniversary"
CATEGORY = {TASK: "Thời hạn nhiệm vụ", PHASE: "Giai đoạn", ANNIVERSARY: "Ngày kỷ niệm"}

# Groups of the Lịch page, in order: (key, heading).
# Only the feeds whose number does not grow with the corpus are listed on the Lịch page; each unit,
# movement and plan offers its own feed on its page.
GROUPS = (
    ("all", "Toàn bộ"),
    ("anniversary", "Ngày kỷ niệm"),
    ("year", "Theo năm học (bản lưu đầy đủ)"),
)


# ---- the model of the calendars ----------------------------------------------------------------


@dataclass(frozen=True)
class CalEvent:
    """One event, independent of the site address (pages are paths relative to the site root)."""

    uid: str
    kind: str
    summary: str
    body: tuple[str, ...]  # description lines, before the links
    links: tuple[tuple[str, str], ...]  # (label, page path) of the plans it comes from
    start: date
    end: date  # exclusive
    page: str
    categories: tuple[str, ...]
    updated: date  # the plan's `updated`: the modification date when this content changes
    location: str | None = None
    rrule: str | None = None  # "FREQ=YEARLY": a recurring item (a yearless anniversary, "hằng năm")
    start_time: time | None = None  # a timed event: local time in Asia/Ho_Chi_Minh
    end_time: time | None = None
    rdates: tuple[date, ...] = ()  # the other days of an item printed with several days
    feeds: tuple[str, ...] = field(default=(), compare=False)  # paths of the feeds it belongs to

    def digest(self) -> str:
        """The hash of what the event says (the ledger's), made once: kept with the event (kept_events)."""
        found = self.__dict__.get("_digest")
        if found is None:
            found = self._digest_of_content()
            object.__setattr__(self, "_digest", found)
        return found

    def _digest_of_content(self) -> str:
        content = {
            "v": 1,
            "uid": self.uid,
            "summary": self.summary,
            "body": list(self.body),
            "links": [list(link) for link in self.links],
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "page": self.page,
            "categories": list(self.categories),
        }
        # Fields added after the first ledger count only when set, so older events keep their hash.
        if self.location:
            content["location"] = self.location
        if self.rrule:
            content["rrule"] = self.rrule
        if self.start_time:
            content["times"] = [self.start_time.isoformat(), self.end_time.isoformat() if self.end_time else None]
        if self.rdates:
            content["rdates"] = [d.isoformat() for d in self.rdates]
        raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def description(self, site_url: str) -> str:
        lines = list(self.body)
        lines += [f"{label}: {site_url}{path}" for label, path in self.links]
        return "\n".join(lines)


@dataclass(frozen=True)
class Feed:
    path: str  # inside the docs tree, e.g. lich/tat-ca.ics
    group: str
    title: str  # shown on the page
    name: str  # the calendar's name in the client
    description: str

    @property
    def qr_path(self) -> str:
        return f"{QR_DIR}/{self.path[len(FEEDS_DIR) + 1:-len('.ics')]}.svg"


@dataclass
class Schedule:
    events: list[CalEvent]  # sorted
    feeds: list[Feed]  # in page order
    members: dict[str, list[str]]  # feed path -> uids, in event order
    today: date | None = None  # the reference day of the windows; None: every feed whole
    # feeds cut to FEED_BUDGET (`fit`): path -> (first, last) day of what they keep; None: not one day fits
    spans: dict[str, tuple[date, date] | None] = field(default_factory=dict)

    def current(self) -> dict[str, tuple[str, date]]:
        return {e.uid: (e.digest(), e.updated) for e in self.events}


# ---- corpus -> events ----------------------------------------------------------------------------


EVENTS_TABLE = "events"  # in the plan cache (corpus.PLAN_CACHE): each plan's calendar events, by the plan's key


def plan_calendar_events(plan: Plan, corpus: Corpus) -> list[CalEvent]:
    """The calendar events of one plan's tasks, schedule rows and phases, in the corpus's order
    (anniversaries are not one plan's: plans that celebrate the same day share its event)."""
    return [_plan_item_event(e, corpus) for e in corpus.events_by_plan.get(plan.id, ()) if e.kind is not Kind.ANNIVERSARY]


def kept_events(root: Path, corpus: Corpus) -> dict[str, list[CalEvent]]:
    """Each plan's calendar events (plan_calendar_events) with their digests, kept between runs.

    A plan's events depend on the plan, the registries (unit and movement names) and the code, and
    so does the key its file was loaded under (corpus.plan_keys): they are kept under that key in
    the plan cache. At 1,000 plans, making every event and its digest was 1.3 s of the 2.7 s of a
    `planpub check` after one plan changed; now it is that plan's. A plan with no key (not loaded
    from a project) is made afresh.
    """
    keys = corpus.plan_keys
    made: dict[str, list[CalEvent]] = {}
    fresh: dict[str, bytes] = {}
    with cache.Store(root / cache.CACHE_DIR / PLAN_CACHE, EVENTS_TABLE) as store:
        found = store.get(keys.values())
        for plan in corpus.plans:
            key = keys.get(plan.id, "")
            events = cache.loads(found[key]) if key in found else None
            if not (isinstance(events, list) and all(isinstance(e, CalEvent) for e in events)):
                events = plan_calendar_events(plan, corpus)
                for event in events:
                    event.digest()
                if key:
                    fresh[key] = cache.dumps(events)
            made[plan.id] = events
        store.put(fresh)
        store.keep_only(keys.values())
    return made


def project_schedule(root: Path, corpus: Corpus, today: date | None = None) -> Schedule:
    """`schedule` of a project's corpus, with each plan's events kept between runs (kept_events)."""
    return schedule(corpus, today, kept_events(root, corpus))


def schedule(corpus: Corpus, today: date | None = None, kept: Mapping[str, list[CalEvent]] | None = None) -> Schedule:
    """Every event of the corpus and the feeds they belong to. Pure and deterministic.

    `kept`: plan id -> that plan's events as plan_calendar_events made them (kept_events keeps them between runs).

    With `today` (the build's reference day: the commit's date), the feeds people subscribe to keep
    only the events of their window (`windows`), so a feed no longer grows with history; a plan's
    own feed and the archive of each school year keep all theirs. Without it every feed is whole
    (the ledger, `planpub calendar`).
    """
    kept = kept or {}
    events = [made for plan_id in dict.fromkeys(e.plan.id for e in corpus.events) if plan_id in kept for made in kept[plan_id]]
    events += [_plan_item_event(e, corpus) for e in corpus.events if e.kind is not Kind.ANNIVERSARY and e.plan.id not in kept]
    events += _anniversary_events(corpus)
    events.sort(key=lambda e: (e.start, e.end, e.uid))
    feeds = _feeds(corpus, events)
    bounds = windows(today) if today is not None else {}
    group = {f.path: f.group for f in feeds}
    members: dict[str, list[str]] = {f.path: [] for f in feeds}
    for event in events:
        for path in event.feeds:
            window = bounds.get(group[path])
            if window is None or _overlaps(event, window):
                members[path].append(event.uid)
    return Schedule(events, feeds, members, today)


def plan_feed_sizes(corpus: Corpus, plans: Iterable[Plan]) -> dict[str, int]:
    """{path of each plan's own feed: its number of events}, as `schedule` counts them for the whole
    corpus (a plan's feed is whole, never windowed or cut), from these plans' events only; a plan
    without a dated item has no feed (0)."""
    sizes = {}
    for plan in plans:
        path = f"{FEEDS_DIR}/ke-hoach/{plan.id}.ics"
        own = replace(corpus, events=corpus.events_by_plan.get(plan.id, []))
        sizes[path] = len(schedule(own).members.get(path, ()))
    return sizes


def windows(today: date) -> dict[str, tuple[date, date]]:
    """The days each kind of subscribed feed covers, counted from the build's reference day.

    - units and movements (what a school subscribes to): the previous, current and next school
      year — a school year's plans are published over its course, and last year's results are still
      reported on;
    - the all-deadlines feed: 30 days back and 120 days ahead, because at a province's size a school
      year of every plan is thousands of events, more than calendar clients take from one feed;
    - the anniversaries: the current and next school year.
    A plan's feed (bounded by the plan) and the school-year archives are whole.
    """
    first_year = today.year if today.month >= 9 else today.year - 1
    school = (date(first_year - 1, 9, 1), date(first_year + 2, 8, 31))
    return {
        "unit": school,
        "movement": school,
        "all": (today - ALL_BEFORE, today + ALL_AFTER),
        "anniversary": (date(first_year, 9, 1), date(first_year + 2, 8, 31)),
    }


WINDOWED = ("unit", "movement", "all", "anniversary")  # the groups of `windows`: what people subscribe to


def fit(sched: Schedule, data: Mapping[str, bytes], site_url: str, budget: int = FEED_BUDGET) -> Schedule:
    """The schedule with every subscribed feed within `budget` bytes, given each event's bytes.

    A windowed feed whose events do not fit keeps whole days (an event's day: the day it starts or
    is due; a recurring one counts as the reference day's), nearest the reference day first: the
    days ahead in order, then, once every day ahead is in, the days before it going back. It stops
    at the first day that does not fit, so what it keeps is one run of days, stated in the feed's
    description (`calendar_head`). Plan feeds and the school-year archives are whole.
    """
    if sched.today is None:
        return sched
    today = sched.today
    by_uid = {e.uid: e for e in sched.events}
    members, spans = dict(sched.members), {}
    for feed in sched.feeds:
        uids = members[feed.path]
        room = budget - len(calendar_head(feed, site_url, (today, today))) - len(END_CALENDAR)
        if feed.group not in WINDOWED or sum(len(data[u]) for u in uids) <= room:
            continue
        days: dict[date, list[str]] = {}
        for uid in uids:
            days.setdefault(today if by_uid[uid].rrule else by_uid[uid].start, []).append(uid)
        kept: list[date] = []
        for order in (sorted(d for d in days if d >= today), sorted((d for d in days if d < today), reverse=True)):
            for day in order:
                size = sum(len(data[u]) for u in days[day])
                if size > room:
                    break
                room -= size
                kept.append(day)
            else:
                continue
            break  # a day that did not fit: the run of days ends there
        keep = {uid for day in kept for uid in days[day]}
        members[feed.path] = [u for u in uids if u in keep]
        spans[feed.path] = (min(kept), max(kept)) if kept else None
    return replace(sched, members=members, spans=spans)


def _overlaps(event: CalEvent, window: tuple[date, date]) -> bool:
    if event.rrule:  # a recurring event is on every calendar it repeats into
        return event.start <= window[1]
    return event.start <= window[1] and event.end > window[0]


def _uid(plan: Plan, item_id: str, suffix: str = "") -> str:
    return f"{item_id}{suffix}@{plan.id}.{UID_DOMAIN}"


def plan_ref(plan: Plan, corpus: Corpus) -> str:
    """Short reference of a plan for a summary: its number, else its first issuer, else its title."""
    if plan.number:
        return plan.number
    if plan.issuers:
        return corpus.unit_label(plan.issuers[0])
    return shorten(one_line(plan.title), 40)


def _plan_link(plan: Plan, label: str = "Xem kế hoạch") -> tuple[str, str]:
    return (label, plan_url(plan))


def _plan_name(plan: Plan) -> str:
    return f"{plan.display_name}: {one_line(plan.title)}" if plan.number else f"{plan.kind}: {one_line(plan.title)}"


def _plan_lines(plan: Plan, corpus: Corpus) -> list[str]:
    issuers = ", ".join(corpus.units[i].name for i in plan.issuers) or "không ghi"
    return [_plan_name(plan), f"Cơ quan ban hành: {issuers}"]


def school_years(start: date, end: date) -> list[str]:
    """School years (01/09–31/08) that the days start .. end (exclusive) touch."""
    first = start.year if start.month >= 9 else start.year - 1
    last_day = end - timedelta(days=1)
    last = last_day.year if last_day.month >= 9 else last_day.year - 1
    return [f"{y}-{y + 1}" for y in range(first, last + 1)]


def _plan_item_event(event: Event, corpus: Corpus) -> CalEvent:
    if event.kind is Kind.PHASE:
        return _phase_event(event, corpus)
    return _task_event(event, corpus)


def _task_event(event: Event, corpus: Corpus) -> CalEvent:
    plan, task, deadline = event.plan, event.item, event.when
    assert isinstance(task, Task) and deadline.end is not None
    units = task.units_text or "; ".join(corpus.unit_label(u) for u in task.units)
    body = [*plain_lines(task.summary)]
    if event.headers:
        body.append("Lịch: " + " › ".join(one_line(h) for h in event.headers))
    body.append(f"Thời hạn (nguyên văn): {deadline.text}")
    if deadline.start is not None and deadline.start != deadline.end:
        body.append(f"Thời gian: từ {format_date(deadline.start)} đến {format_date(deadline.end)}")
    body.append(f"Hạn cuối (ngày cuối cùng còn thực hiện): {format_date(deadline.end)}")
    if units:
        body.append(f"Đơn vị thực hiện: {one_line(units)}")
    if task.people:
        body.append(f"Người thực hiện: {one_line('; '.join(task.people))}")
    partners = task.partners_text or "; ".join(corpus.unit_label(u) for u in task.partners)
    if partners:
        body.append(f"Phối hợp: {one_line(partners)}")
    if task.location:
        body.append(f"Địa điểm: {one_line(task.location)}")
    if task.where:
        body.append(f"Nêu tại: {task.where}")
    if task.remarks:
        body.append(f"Ghi chú: {one_line(task.remarks)}")
    if task.notes:
        body.append(f"Ghi chú của biên tập viên: {one_line(task.notes)}")
    body += _plan_lines(plan, corpus)
    summary = shorten(capitalised(one_line(plain(event.summary))), SUMMARY_MAX)
    return _plan_event(
        event, corpus, _uid(plan, task.id), TASK, summary, body, [*task.units, *task.partners], task.location
    )


def _phase_event(event: Event, corpus: Corpus) -> CalEvent:
    plan, phase = event.plan, event.item
    assert isinstance(phase, Phase)
    label = one_line(phase.label)
    body = [
        f"{label}: {phase.when.text}",
        f"Thời gian: từ {format_date(event.first)} đến {format_date(event.last)}",
    ]
    if phase.focus:
        body += ["Trọng tâm:", *plain_lines(phase.focus)]
    names = {a.id: a for a in plan.anniversaries}
    if phase.anniversaries:
        body.append("Ngày kỷ niệm trong giai đoạn: " + "; ".join(_anniversary_title(names[a]) for a in phase.anniversaries))
    body += _plan_lines(plan, corpus)
    return _plan_event(event, corpus, _uid(plan, phase.id, ".dot"), PHASE, shorten(label, SUMMARY_MAX), body, (), None)


def _plan_event(
    event: Event,
    corpus: Corpus,
    uid: str,
    kind: str,
    summary: str,
    body: list[str],
    units: Iterable[str],
    location: str | None,
) -> CalEvent:
    """An event of one plan (task, row or phase): in the whole feed, the plan's, its movements',
    its units' and its school years' feeds."""
    plan = event.plan
    ref = plan_ref(plan, corpus)
    deadline = event.when
    separate = event.spans if len(event.spans) > 1 and all(a == b for a, b in event.spans) else ()
    start = event.first
    end = (separate[0][0] if separate else event.last) + timedelta(days=1)
    timed = deadline.start_time is not None and (event.first == event.last or separate)
    feeds = [
        f"{FEEDS_DIR}/tat-ca.ics",
        f"{FEEDS_DIR}/ke-hoach/{plan.id}.ics",
        *(f"{FEEDS_DIR}/phong-trao/{m}.ics" for m in event.movements),
        *(f"{FEEDS_DIR}/don-vi/{u}.ics" for u in units),
        *(f"{FEEDS_DIR}/nam-hoc/{y}.ics" for y in school_years(event.first, event.last + timedelta(days=1))),
    ]
    return CalEvent(
        uid=uid,
        kind=kind,
        summary=f"{summary} ({ref})",
        body=tuple(body),
        links=(_plan_link(plan),),
        start=start,
        end=end,
        page=plan_url(plan),
        categories=(CATEGORY[kind], ref),
        updated=plan.updated,
        location=one_line(location) if location else None,
        rrule=f"FREQ={deadline.recurrence.name}" if deadline.recurrence else None,
        start_time=deadline.start_time if timed else None,
        end_time=deadline.end_time if timed else None,
        rdates=tuple(a for a, _ in separate[1:]),
        feeds=tuple(dict.fromkeys(feeds)),
    )


def _anniversary_title(a: Anniversary) -> str:
    name = one_line(a.name)
    return f"Kỷ niệm {a.years} năm {name}" if a.years else name


def _anniversary_events(corpus: Corpus) -> list[CalEvent]:
    """One event per (day, name): plans that celebrate the same day share it.

    A date printed without a year repeats every year (RRULE:FREQ=YEARLY from its first occurrence
    in the plan's period); one printed with a year happens once.
    """
    found: dict[tuple[date, bool, str], list[Event]] = {}
    for event in sorted((e for e in corpus.events if e.kind is Kind.ANNIVERSARY), key=lambda e: (e.plan.id, e.item_id)):
        a = event.item
        assert isinstance(a, Anniversary)
        found.setdefault((event.first, event.yearly, slugify(_anniversary_title(a))), []).append(event)
    result = []
    for (day, yearly, _), sources in found.items():
        first = sources[0]
        plan, a = first.plan, first.item
        assert isinstance(a, Anniversary)
        body = [_anniversary_title(a)]
        if a.text:
            body.append(f"Nguyên văn: {one_line(a.text)}")
        if a.event:
            body.append(f"Sự kiện gốc: {a.event}")
        body.append(f"Ngày kỷ niệm: {a.date} (hằng năm)" if yearly else f"Ngày kỷ niệm: {format_date(day)}")
        result.append(
            CalEvent(
                uid=_uid(plan, a.id, ".ky-niem"),
                kind=ANNIVERSARY,
                summary=shorten(_anniversary_title(a), SUMMARY_MAX + 20),
                body=tuple(body),
                links=tuple(dict.fromkeys(_plan_link(e.plan, e.plan.display_name) for e in sources)),
                start=day,
                end=day + timedelta(days=1),
                page=plan_url(plan),
                categories=(CATEGORY[ANNIVERSARY],),
                updated=max(e.plan.updated for e in sources),
                rrule="FREQ=YEARLY" if yearly else None,
                feeds=(f"{FEEDS_DIR}/ngay-ky-niem.ics",),
            )
        )
    return result


_ABOUT = "các kế hoạch thi đua, khen thưởng ngành Giáo dục"


def _feeds(corpus: Corpus, events: list[CalEvent]) -> list[Feed]:
    """The feeds that have events (the two whole feeds always), in the Lịch page's order."""
    used = {path for e in events for path in e.feeds}
    return [
        Feed(f"{FEEDS_DIR}/tat-ca.ics", "all", "Tất cả thời hạn", "Thời hạn kế hoạch thi đua ngành Giáo dục",
             f"Các thời hạn nhiệm vụ và giai đoạn trong {_ABOUT}, từ 30 ngày trước đến 120 ngày sau lần cập nhật trang."),
        Feed(f"{FEEDS_DIR}/ngay-ky-niem.ics", "anniversary", "Ngày kỷ niệm", "Ngày kỷ niệm (kế hoạch thi đua ngành Giáo dục)",
             f"Các ngày kỷ niệm có ngày cụ thể được nêu trong {_ABOUT}."),
        *_unit_feeds(corpus, used),
        *_movement_feeds(corpus, used),
        *_plan_feeds(corpus, used),
        *_year_feeds(used),
    ]


def _unit_feeds(corpus: Corpus, used: set[str]) -> Iterable[Feed]:
    units = [u for u in corpus.units if f"{FEEDS_DIR}/don-vi/{u}.ics" in used]
    for u in sorted(units, key=lambda u: slugify(corpus.unit_label(u))):
        label = corpus.unit_label(u)
        yield Feed(f"{FEEDS_DIR}/don-vi/{u}.ics", "unit", label, f"Thời hạn: {label}",
                   f"Các nhiệm vụ mà {corpus.units[u].name} được giao thực hiện, theo {_ABOUT}.")


def _movement_feeds(corpus: Corpus, used: set[str]) -> Iterable[Feed]:
    movements = [m for m in corpus.movements if f"{FEEDS_DIR}/phong-trao/{m}.ics" in used]
    for m in sorted(movements, key=lambda m: slugify(corpus.movements[m].name)):
        mv = corpus.movements[m]
        yield Feed(f"{FEEDS_DIR}/phong-trao/{m}.ics", "movement", f"{mv.kind.label} “{mv.name}”", f"Thời hạn: {mv.name}",
                   f"Các thời hạn và đợt thi đua của {mv.kind.label.lower()} “{mv.name}”, theo {_ABOUT}.")


def _plan_feeds(corpus: Corpus, used: set[str]) -> Iterable[Feed]:
    for plan in corpus.plans:  # newest first, as everywhere on the site
        path = f"{FEEDS_DIR}/ke-hoach/{plan.id}.ics"
        if path in used:
            title = _plan_name(plan) if plan.number else one_line(plan.title)
            yield Feed(path, "plan", title, f"Thời hạn: {shorten(title, 80)}", f"Các thời hạn và đợt thi đua của {title}.")


def _year_feeds(used: set[str]) -> Iterable[Feed]:
    prefix = f"{FEEDS_DIR}/nam-hoc/"
    for y in sorted((p[len(prefix):-len(".ics")] for p in used if p.startswith(prefix)), reverse=True):
        yield Feed(f"{prefix}{y}.ics", "year", f"Năm học {y}", f"Thời hạn năm học {y}",
                   f"Các thời hạn và đợt thi đua trong năm học {y} (01/09/{y[:4]} – 31/08/{y[5:]}), theo {_ABOUT}.")


# ---- serialisation (icalendar) -------------------------------------------------------------------


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)


def event_bytes(event: CalEvent, entry: ledger.Entry, site_url: str) -> bytes:
    """One VEVENT, serialised by icalendar, with the ledger's SEQUENCE and modification date."""
    from icalendar import Event as VEvent, vRecur, vText, vUri

    vevent = VEvent()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", _stamp(entry.modified))
    vevent.add("last-modified", _stamp(entry.modified))
    vevent.add("sequence", entry.sequence)
    if event.start_time is None:  # all day: DTSTART;VALUE=DATE and an exclusive DTEND
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.end)
        if event.rdates:
            vevent.add("rdate", list(event.rdates))
    else:  # local time of the plan's place: TZID=Asia/Ho_Chi_Minh, its VTIMEZONE in the feed's head
        zone = {"TZID": TIMEZONE}
        vevent.add("dtstart", datetime.combine(event.start, event.start_time), parameters=zone)
        if event.end_time is not None and event.end_time > event.start_time:
            vevent.add("dtend", datetime.combine(event.start, event.end_time), parameters=zone)
        if event.rdates:
            vevent.add("rdate", [datetime.combine(d, event.start_time) for d in event.rdates], parameters=zone)
    vevent.add("summary", vText(nfc(event.summary)))
    vevent.add("description", vText(nfc(event.description(site_url))))
    if event.location:
        vevent.add("location", vText(nfc(event.location)))
    if event.rrule:
        vevent.add("rrule", vRecur.from_ical(event.rrule))
    vevent.add("url", vUri(site_url + event.page))
    vevent.add("categories", [nfc(c) for c in event.categories])
    vevent.add("transp", "TRANSPARENT")
    return vevent.to_ical()


def vietnam_timezone() -> Timezone:
    """Asia/Ho_Chi_Minh as a VTIMEZONE: UTC+7 since 13/06/1975, no daylight saving. Written out here
    rather than read from the machine's tz database, so every machine writes the same bytes."""
    from icalendar import Timezone, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", TIMEZONE)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1975, 6, 13))
    standard.add("tzoffsetfrom", timedelta(hours=8))
    standard.add("tzoffsetto", timedelta(hours=7))
    standard.add("tzname", "+07")
    zone.add_component(standard)
    return zone


SERIALISER = "1"  # bump when event_bytes writes differently: every stored event is then written anew


def event_key(event: CalEvent, entry: ledger.Entry, site_url: str) -> str:
    """What an event's bytes depend on: its content (the ledger's digest), version and date, the
    site's address and this serialiser. The same key always gives the same bytes."""
    raw = "\x1f".join((SERIALISER, event.digest(), str(entry.sequence), entry.modified.isoformat(), site_url, event.uid))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class EventStore(cache.Store):
    """Serialised events kept between builds (an SQLite file under .cache/planpub/, never committed).

    icalendar takes about half a millisecond per event: with thousands of events every build would
    spend seconds writing bytes it wrote the build before. A store that cannot be read or written
    (read-only disk, corrupt file) is simply not used (generator/cache.py): the build is then as
    slow as without one, never different.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path, "ics_events")


CACHE_FILE = Path(".cache") / "planpub" / "feeds.sqlite"


def calendar_head(feed: Feed, site_url: str, span: tuple[date, date] | None | bool = False) -> bytes:
    """The calendar's own properties, serialised by icalendar, without the closing line.

    `span`: the feed was cut to its budget (`fit`) and keeps only these days (None: none); its
    description says so. False: the feed is whole.
    """
    description = feed.description
    if span is not False:
        kept = f"chỉ gồm các việc từ {format_date(span[0])} đến {format_date(span[1])}" if span else "để trống"
        description += (f" Vì có quá nhiều việc, lịch này {kept}; các việc khác có trong lịch theo năm học: "
                        f"{site_url}{FEEDS_DIR}/")
    from icalendar import Calendar, vDuration, vText, vUri

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # Plain strings are not escaped for these properties: always pass vText.
    cal.add("name", vText(nfc(feed.name)))
    cal.add("x-wr-calname", vText(nfc(feed.name)))
    cal.add("description", vText(nfc(description)))
    cal.add("x-wr-caldesc", vText(nfc(description)))
    cal.add("x-wr-timezone", vText(TIMEZONE))
    cal.add("url", vUri(site_url + FEEDS_DIR + "/"))
    cal.add("source", vUri(site_url + feed.path), parameters={"VALUE": "URI"})
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add_component(vietnam_timezone())
    data = cal.to_ical()
    if not data.endswith(END_CALENDAR):  # pragma: no cover - icalendar always ends a calendar so
        raise RuntimeError("icalendar did not end the calendar with END:VCALENDAR")
    return data[: -len(END_CALENDAR)]


def render_feeds(
    sched: Schedule, entries: Mapping[str, ledger.Entry], site_url: str, store: EventStore | None = None
) -> dict[str, bytes]:
    """{feed path: ICS bytes}, every subscribed feed within FEED_BUDGET (`fit`)."""
    data = serialise(sched, entries, site_url, store)
    return assemble(fit(sched, data, site_url), data, site_url)


def serialise(
    sched: Schedule, entries: Mapping[str, ledger.Entry], site_url: str, store: EventStore | None = None
) -> dict[str, bytes]:
    """{uid: the event's ICS bytes}. Each event is serialised once and shared by the feeds it is in;
    with a store, an event serialised by an earlier build is taken from it (same key, same bytes)."""
    keys = {e.uid: event_key(e, entries[e.uid], site_url) for e in sched.events}
    known = store.get(keys.values()) if store else {}
    serialised = {}
    for e in sched.events:
        key = keys[e.uid]
        serialised[e.uid] = known.get(key) or event_bytes(e, entries[e.uid], site_url)
    if store:
        store.put({keys[uid]: data for uid, data in serialised.items() if keys[uid] not in known})
        store.keep_only(keys.values())
    return serialised


def assemble(sched: Schedule, data: Mapping[str, bytes], site_url: str) -> dict[str, bytes]:
    """{feed path: ICS bytes}: each feed's header, its events' bytes and the closing line."""
    return {
        feed.path: calendar_head(feed, site_url, sched.spans.get(feed.path, False))
        + b"".join(data[uid] for uid in sched.members[feed.path])
        + END_CALENDAR
        for feed in sched.feeds
    }


def checked_entries(root: Path, sched: Schedule, preview: bool = False) -> tuple[dict[str, ledger.Entry], Problem | None]:
    """The ledger, after checking it describes exactly these events.

    Stale: a LoadError — except in a preview, which gets provisional numbers and a warning.
    """
    entries = ledger.read(root)
    path = ledger.ledger_path(root)
    text = ledger.read_text(root)
    current = sched.current()
    problem = ledger.stale_problem(entries, current, text)
    if problem is not None and not path.is_file():
        problem = ledger.missing_problem(len(sched.events))
    if problem is None:
        return entries, None
    if not preview:
        raise LoadError([problem])
    warning = replace(problem, severity="warning", message=problem.message + " (bản xem trước dùng số thứ tự tạm)")
    return ledger.update(entries, current)[0], warning


def is_preview(site_url: str) -> bool:
    """`mkdocs serve` replaces site_url with its local address: such a build is a preview.

    A preview of an edited plan must show, so there a stale ledger is a warning; any build for a
    real address (planpub build, mkdocs build, CI) requires the committed ledger to be current.
    """
    host = (urlsplit(site_url).hostname or "").lower()
    return host in {"localhost", "::1"} or host.startswith("127.")


# ---- what the Lịch page lists (generator.pages.calendar_page renders it) ----------------------------


@dataclass(frozen=True)
class FeedLinks:
    feed: Feed
    count: int
    https: str
    webcal: str
    google: str
    qr: str  # relative to the Lịch page


QR_MAKER = "qr_svg"  # with the code version (planpub's and segno's): what a kept QR code was made by
QR_PER_WORKER = 300


def qr_svg(data: str, title: str) -> bytes:
    """A QR code as SVG, made at build time (segno is deterministic)."""
    out = io.BytesIO()
    # A fixed mask: any mask is valid and scans; segno's search for the "best" one is 70% of its time.
    import segno

    segno.make_qr(data, error="m", mask=QR_MASK).save(
        out, kind="svg", border=2, omitsize=True, xmldecl=False, svgclass=None, lineclass=None, title=title, dark="#000", light="#fff"
    )
    return out.getvalue()


def qr_codes(root: Path, links: list[FeedLinks]) -> dict[str, bytes]:
    """{path: SVG} of every feed's QR code. A code depends on its address and title only: one made by
    an earlier build is taken from the cache (the same SQLite file as the events); new ones are made
    on both cores (a thousand plans have a few thousand feeds)."""
    wanted = {item.feed.qr_path: (item.webcal, f"Mã QR: {item.feed.name}") for item in links}
    version = cache.code_version()
    keys = {path: cache.key(version, QR_MAKER, *args) for path, args in wanted.items()}
    with cache.Store(root / CACHE_FILE, "qr_svg") as store:
        known = store.get(keys.values())
        missing = [path for path in wanted if keys[path] not in known]
        made = dict(zip(missing, map_forked(lambda path: qr_svg(*wanted[path]), missing, QR_PER_WORKER)))
        store.put({keys[path]: svg for path, svg in made.items()})
        store.keep_only(keys.values())
    return {path: made[path] if path in made else known[keys[path]] for path in wanted}


def feed_links(sched: Schedule, site_url: str) -> list[FeedLinks]:
    result = []
    for feed in sched.feeds:
        url = site_url + feed.path
        result.append(
            FeedLinks(feed, len(sched.members[feed.path]), url, webcal(url), google_link(url), feed.qr_path[len(FEEDS_DIR) + 1:])
        )
    return result


def feed_groups(sched: Schedule, site_url: str) -> list[tuple[str, list[FeedLinks]]]:
    """The feeds the Lịch page lists, under its headings (generator.pages.calendar_page renders it)."""
    links = feed_links(sched, site_url)
    return [(heading, [f for f in links if f.feed.group == key]) for key, heading in GROUPS]


def calendar_feeds(
    root: Path, corpus: Corpus, settings: Settings, sched: Schedule | None = None
) -> tuple[dict[str, str | bytes], Schedule]:
    """{path: bytes} of every feed and QR code, and the schedule as published (feeds cut to their
    budget), whose counts the pages show. Fails when the ledger is stale."""
    sched = sched or schedule(corpus, settings.today)
    entries, warning = checked_entries(root, sched, is_preview(settings.site_url))
    if warning is not None:
        corpus.warnings.append(warning)
    store = EventStore(root / CACHE_FILE)
    try:
        data = serialise(sched, entries, settings.site_url, store)
    finally:
        store.close()
    sched = fit(sched, data, settings.site_url)
    files: dict[str, str | bytes] = dict(assemble(sched, data, settings.site_url))
    files.update(qr_codes(root, feed_links(sched, settings.site_url)))
    return files, sched


# ---- planpub calendar ----------------------------------------------------------------------------


def calendar_command(root: Path, check_only: bool = False) -> int:
    """Bring plans/_ledger/calendar.json up to date with the plans (or only check it)."""
    if not (root / "plans").is_dir():
        print(f"planpub: không thấy thư mục plans/ trong {root.resolve()} (dùng --project DIR)", file=sys.stderr)
        return 2
    try:
        corpus = load_project(root)
        entries = ledger.read(root)
    except LoadError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print("planpub calendar: cần sửa các lỗi trên trước khi cập nhật sổ lịch", file=sys.stderr)
        return 1
    current = project_schedule(root, corpus).current()
    new, changes = ledger.update(entries, current)
    if check_only:
        if changes.any:
            print(ledger.stale_problem(entries, current), file=sys.stderr)
            return 1
        print(f"planpub calendar: sổ lịch đã cập nhật ({len(new)} sự kiện)")
        return 0
    path = ledger.ledger_path(root)
    if not changes.any and path.is_file() and ledger.read_text(root) == ledger.dumps(new):
        print(f"planpub calendar: {len(new)} sự kiện — sổ lịch {ledger.LEDGER_FILE} đã đúng, không cần ghi")
        return 0
    ledger.write(root, new)
    print(f"planpub calendar: {len(new)} sự kiện — {changes.summary()}; đã ghi {ledger.LEDGER_FILE}")
    return 0
