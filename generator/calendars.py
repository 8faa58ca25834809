"""Which school-year calendar applies to a plan, and the date context its deadlines are read in.

A plan's calendar is its province's for its school year (the province of its first issuer that
has one), else the Bộ GDĐT's framework for that school year (the calendar with no province).
Calendars that differ by education level (``level``) are recorded but never applied: a plan does
not say which level its semester deadlines mean.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from pydantic import ValidationError

from generator import model
from generator.dates import DateContext, DateError, parse_date


class CalendarIndex:
    def __init__(self, registries: Iterable[model.Registry]) -> None:
        self.provinces: dict[str, str | None] = {}
        self.calendars: dict[tuple[str, str | None], model.SchoolCalendar] = {}
        for registry in registries:
            for unit in registry.units:
                self.provinces.setdefault(unit.id, unit.province)
            for cal in registry.calendars:
                if cal.level is None:
                    self.calendars.setdefault((cal.school_year, cal.province), cal)

    def for_plan(self, school_year: str | None, issuers: Iterable[str]) -> model.SchoolCalendar | None:
        if school_year is None:
            return None
        for issuer in issuers:
            province = self.provinces.get(issuer) if isinstance(issuer, str) else None
            if province and (school_year, province) in self.calendars:
                return self.calendars[(school_year, province)]
        return self.calendars.get((school_year, None))


def plan_context(data: Any, index: CalendarIndex | None) -> DateContext | None:
    """The context a plan's deadlines are read in, from its raw data: period (year, school year,
    first and last day), issue date and calendar.  None when the period cannot be read."""
    if not isinstance(data, dict) or not isinstance(data.get("period"), dict):
        return None
    try:
        period = model.Period.model_validate(data["period"])
    except (ValidationError, ValueError):
        return None
    issued = None
    if isinstance(data.get("issued"), str):
        try:
            issued = parse_date(data["issued"])
        except DateError:
            issued = None
    issuers = data.get("issuers") if isinstance(data.get("issuers"), list) else []
    cal = index.for_plan(period.school_year, issuers) if index is not None else None
    return DateContext(
        year=period.year,
        school_year=period.school_years,
        calendar=cal.terms if cal is not None else None,
        issued=issued,
        period=(period.first_day, period.last_day),
    )


def context_reader(registries: Iterable[model.Registry]) -> Callable[[Any], DateContext | None]:
    """``plan data -> DateContext`` for the loader, given the project's registries."""
    index = CalendarIndex(registries)
    return lambda data: plan_context(data, index)
