"""Every dated item of the corpus, computed once, in one place: tasks, schedule rows, phases, anniversaries.

The home page, unit and movement pages, timelines, open data and calendar feeds all read
`Corpus.events`; none of them reads a deadline on its own. Which calendar days an item covers is
the one rule of content/huong-dan/han-chot.md (`dates.calendar_days`): a task is on its due day —
the last day to act —, a range of days, a phase or a row written as a span covers all its days,
several separate days are each a day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Iterable, Iterator

from generator.dates import Deadline, DeadlineKind, calendar_days
from generator.model import Anniversary, Phase, Plan, Task


class Kind(str, Enum):
    TASK = "task"  # a task (nhiệm vụ) with a deadline
    ROW = "row"  # a row of a schedule (lịch, chương trình)
    PHASE = "phase"  # a phase, period or semester the plan names (đợt, giai đoạn, học kỳ)
    ANNIVERSARY = "anniversary"  # a day the plan celebrates

    @property
    def label(self) -> str:
        return {"task": "Thời hạn", "row": "Lịch", "phase": "Giai đoạn", "anniversary": "Ngày kỷ niệm"}[self.value]


# Order of kinds on a day: what spans first, then what is due.
_KIND_ORDER = {Kind.PHASE: 0, Kind.ANNIVERSARY: 1, Kind.ROW: 2, Kind.TASK: 3}


@dataclass(frozen=True)
class Event:
    """One dated item of one plan, with the calendar days it covers (inclusive)."""

    kind: Kind
    plan: Plan
    item: Task | Phase | Anniversary
    when: Deadline
    first: date
    last: date
    headers: tuple[str, ...] = ()  # the schedule headers above a row, as printed
    units: tuple[str, ...] = field(default=())
    movements: tuple[str, ...] = field(default=())
    yearly: bool = False  # an anniversary printed without a year: every year
    spans: tuple[tuple[date, date], ...] = ()  # the separate spans of days (several days printed in one row)

    @property
    def item_id(self) -> str:
        return self.item.id

    @property
    def task(self) -> Task | None:
        return self.item if isinstance(self.item, Task) else None

    @property
    def summary(self) -> str:
        """What the item is, as printed, in one line: a task's text (list marks dropped), else —
        for a term calendar's row that prints none — its group header and row label."""
        item = self.item
        if isinstance(item, Task):
            text = " ".join(line.lstrip("-+*• ").strip() for line in item.summary.splitlines() if line.strip())
            if item.text is None and self.headers:
                return f"{self.headers[-1]}: {text}"
            return text
        if isinstance(item, Phase):
            return " ".join(item.label.split())
        name = " ".join(item.name.split())
        return f"Kỷ niệm {item.years} năm {name}" if item.years else name

    @property
    def day(self) -> date:
        """The due day: the last day an item covers."""
        return self.last

    @property
    def anchor(self) -> str:
        """The item's fragment on its plan page."""
        return anchor(self.kind, self.item.id)

    @property
    def sort_key(self) -> tuple:
        return (self.first, self.last, self.plan.id, _KIND_ORDER[self.kind], self.item.id)


def anchor(kind: Kind, item_id: str) -> str:
    prefix = {Kind.TASK: "nv", Kind.ROW: "nv", Kind.PHASE: "gd", Kind.ANNIVERSARY: "kn"}[kind]
    return f"{prefix}-{item_id}"


def span(deadline: Deadline) -> tuple[date, date] | None:
    """The first and last calendar day a deadline covers, inclusive; None when it gives no day."""
    spans = calendar_days(deadline)
    return (spans[0][0], spans[-1][1]) if spans else None


def plan_events(plan: Plan) -> list[Event]:
    """Every dated item of one plan, sorted."""
    found = [*_task_events(plan), *_phase_events(plan), *_anniversary_events(plan)]
    found.sort(key=lambda e: e.sort_key)
    return found


def corpus_events(plans: Iterable[Plan]) -> list[Event]:
    found = [event for plan in plans for event in plan_events(plan)]
    found.sort(key=lambda e: e.sort_key)
    return found


def _task_events(plan: Plan) -> Iterator[Event]:
    rows = {id(task): headers for headers, task in _schedule_rows(plan)}
    for task in plan.all_tasks:
        if task.deadline is None:
            continue
        spans = calendar_days(task.deadline)
        if not spans:
            continue
        days = (spans[0][0], spans[-1][1])
        headers = rows.get(id(task))
        yield Event(
            kind=Kind.TASK if headers is None else Kind.ROW,
            plan=plan,
            item=task,
            when=task.deadline,
            first=days[0],
            last=days[1],
            headers=headers or (),
            units=tuple(dict.fromkeys([*task.units, *task.partners])),
            movements=tuple(task.movements or plan.movements),
            spans=spans,
        )


def _schedule_rows(plan: Plan) -> Iterator[tuple[tuple[str, ...], Task]]:
    for schedule in plan.schedules:
        for groups, task in schedule.rows():
            yield tuple(g.label for g in groups), task


def _phase_events(plan: Plan) -> Iterator[Event]:
    for phase in plan.phases:
        if phase.when is None or phase.when.start is None or phase.when.end is None:
            continue
        yield Event(Kind.PHASE, plan, phase, phase.when, phase.when.start, phase.when.end, movements=tuple(plan.movements))


def anniversary_day(a: Anniversary, plan: Plan) -> tuple[date, bool] | None:
    """(the day, every year?) of an anniversary with a day and a month.

    A date printed without a year ("22/12") is celebrated every year: its first occurrence inside
    the plan's period stands for it (the feeds repeat it yearly). Month-only dates ("10/2024") have
    no day to put on a calendar.
    """
    d = a.date
    if d is None or d.month is None or d.day is None:
        return None
    if d.year is not None:
        return date(d.year, d.month, d.day), False
    if plan.period is None:
        return None
    start = plan.period.first_day
    for year in (start.year, start.year + 1):
        try:
            day = date(year, d.month, d.day)
        except ValueError:  # 29/02 in a common year
            continue
        if day >= start:
            return day, True
    return None


def _anniversary_events(plan: Plan) -> Iterator[Event]:
    for a in plan.anniversaries:
        found = anniversary_day(a, plan)
        if found is None:
            continue
        day, yearly = found
        when = Deadline(a.date.text if a.date else "", DeadlineKind.ON, day, day)
        yield Event(Kind.ANNIVERSARY, plan, a, when, day, day, yearly=yearly)


def end_exclusive(day: date) -> date:
    return day + timedelta(days=1)
