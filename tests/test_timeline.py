"""The events list (generator/events.py) and the timelines drawn from it (generator/timeline.py),
on the seed plans: every dated task, phase and anniversary on its day, nothing undated placed."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from conftest import ROOT
from generator import timeline as tl
from generator.corpus import load_project
from generator.dates import DeadlineKind
from generator.events import Kind, anniversary_day, span


@pytest.fixture(scope="module")
def corpus():
    return load_project(ROOT)


def test_every_dated_task_is_one_event_on_its_due_day(corpus):
    for plan in corpus.plans:
        events = {e.item_id: e for e in corpus.events_by_plan.get(plan.id, []) if e.kind in (Kind.TASK, Kind.ROW)}
        dated = plan.dated_tasks
        assert set(events) == {t.id for t in dated}, plan.id
        for task in dated:
            event = events[task.id]
            assert event.last == task.deadline.end
            if task.deadline.kind is DeadlineKind.RANGE:
                assert event.first == task.deadline.start
            elif task.deadline.kind is DeadlineKind.DAYS:  # several days printed in one row: each a day
                assert event.spans == tuple((d, d) for d in task.deadline.days) and event.first == task.deadline.days[0]
            else:
                assert event.first == event.last


def test_undated_and_unreadable_deadlines_are_not_placed(corpus):
    placed = {(e.plan.id, e.item_id) for e in corpus.events}
    undated = [(p.id, t.id) for p in corpus.plans for t in p.all_tasks if t.deadline is None or t.deadline.end is None]
    assert undated  # Đống Đa's row 14 has no deadline; Hưng Yên's "ngay từ đầu năm học" is unreadable
    assert not placed & set(undated)


def test_phases_cover_their_days(corpus):
    hung_yen = corpus.by_id["2021-2022-sgddt-cdgd-hung-yen"]
    phases = [e for e in corpus.events_by_plan[hung_yen.id] if e.kind is Kind.PHASE]
    assert [(e.item_id, e.first, e.last) for e in phases] == [
        ("dot-1", date(2021, 9, 5), date(2022, 1, 16)),
        ("dot-2", date(2022, 1, 18), date(2022, 5, 25)),
    ]


def test_anniversaries_with_a_day_are_placed_and_yearless_ones_in_the_plans_period(corpus):
    for plan in corpus.plans:
        placed = {e.item_id: e for e in corpus.events_by_plan.get(plan.id, []) if e.kind is Kind.ANNIVERSARY}
        for a in plan.anniversaries:
            found = anniversary_day(a, plan)
            if a.date is None or a.date.day is None:
                assert a.id not in placed and found is None
                continue
            day, yearly = found
            assert placed[a.id].first == placed[a.id].last == day
            assert yearly == (a.date.year is None) == placed[a.id].yearly
            if yearly:
                assert plan.period.first_day <= day <= plan.period.last_day


def test_events_are_sorted_and_indexed_by_plan_unit_and_movement(corpus):
    keys = [e.sort_key for e in corpus.events]
    assert keys == sorted(keys)
    assert sum(len(v) for v in corpus.events_by_plan.values()) == len(corpus.events)
    for unit, events in corpus.events_by_unit.items():
        assert all(unit in e.units for e in events)
    dong_da = corpus.events_by_unit["pgddt-dong-da"]
    assert len(dong_da) >= 15 and all(e.plan.id == "2023-pgddt-dong-da-01" for e in dong_da)
    for movement, events in corpus.events_by_movement.items():
        assert all(movement in e.movements for e in events)


def test_span_is_the_one_rule_of_the_calendar_days():
    from generator.dates import Deadline

    assert span(Deadline("Trước ngày 25/01/2023", DeadlineKind.BEFORE, None, date(2023, 1, 24))) == (date(2023, 1, 24),) * 2
    assert span(Deadline("Tháng 02/2023", DeadlineKind.MONTH, date(2023, 2, 1), date(2023, 2, 28))) == (date(2023, 2, 28),) * 2
    assert span(Deadline("Từ 05/9/2021 đến 16/01/2022", DeadlineKind.RANGE, date(2021, 9, 5), date(2022, 1, 16))) == (
        date(2021, 9, 5), date(2022, 1, 16))
    assert span(Deadline("", DeadlineKind.NONE, None, None)) is None


# ---- the chart and the list ---------------------------------------------------------------------


class _Svg(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.titles: list[str] = []
        self._title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs)
        self._title = tag == "title"

    def handle_data(self, data):
        if self._title:
            self.titles.append(data)

    def handle_endtag(self, tag):
        self._title = False


def test_the_chart_draws_every_event_inside_its_window_and_links_it(corpus):
    window = tl.school_year_window(2022)
    events = corpus.events
    inside = tl.overlapping(events, window)
    assert inside and len(inside) < len(events)
    svg = tl.chart(events, window, lambda e: f"#{e.plan.id}/{e.anchor}", lambda e: f"{e.last:%d/%m/%Y} {e.item_id}")
    parsed = _Svg()
    parsed.feed(svg)
    assert [a["href"] for a in parsed.links] and all(a["tabindex"] == "-1" for a in parsed.links)
    assert sorted(a["href"] for a in parsed.links) == sorted(f"#{e.plan.id}/{e.anchor}" for e in inside)
    assert len(parsed.titles) == len(inside)
    assert 'aria-hidden="true"' in svg  # a picture of the list, which is what assistive technology reads
    # one tick per month of the school year, labelled T9 … T8, the first and January with their year
    labels = re.findall(r'class="pp-tl-month"[^>]*>([^<]+)<', svg)
    assert labels == ["T9/2022", "T10", "T11", "T12", "T1/2023", "T2", "T3", "T4", "T5", "T6", "T7", "T8"]
    assert tl.chart(events, window, lambda e: "#", lambda e: "x") == tl.chart(events, window, lambda e: "#", lambda e: "x")


def test_marks_sit_on_their_day(corpus):
    window = tl.school_year_window(2022)
    due = next(e for e in corpus.events if e.kind is Kind.TASK and window.first <= e.last <= window.last)
    svg = tl.chart([due], window, lambda e: "#x", lambda e: "x")
    cx = float(re.search(r'<circle[^>]*cx="([0-9.]+)"', svg).group(1))
    assert window.x(due.last) <= cx <= window.x_end(due.last)
    assert 0 <= cx <= tl.WIDTH


def test_the_list_groups_by_month_in_order_with_the_days_for_the_browser(corpus):
    events = corpus.events_by_plan["2023-pgddt-dong-da-01"]
    html = tl.item_list(events, lambda e: tl.list_item(e, f"#{e.anchor}", e.item_id))
    months = re.findall(r'<h3 class="pp-month-title">Tháng (\d+)/(\d+)</h3>', html)
    as_dates = [date(int(y), int(m), 1) for m, y in months]
    assert as_dates == sorted(as_dates) and len(as_dates) == len(set(as_dates))
    assert html.count("<li ") == len(events)
    for e in events:
        assert f'data-first="{e.first.isoformat()}" data-last="{e.last.isoformat()}"' in html


def test_overlapping_lanes_never_overlap():
    placed = tl._lanes([(f"e{i}", float(i * 5), float(i * 5 + 40)) for i in range(30)], 2, None)
    by_lane: dict[int, list] = {}
    for p in placed:
        by_lane.setdefault(p.lane, []).append((p.x1, p.x2))
    for spans in by_lane.values():
        spans.sort()
        assert all(a[1] + 2 <= b[0] for a, b in zip(spans, spans[1:]))
