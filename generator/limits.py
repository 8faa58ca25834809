"""Every size limit of the project, in one table: what a plan file may hold before any work is done.

The loader (generator/load.py) applies these to every value while it reads a YAML file, before any
regular expression, date reader or Markdown renderer sees the text, so the work of every later stage
is bounded by them. A text field is looked up by its path without list positions, most specific
first: `tasks → mục 3 → text` tries "tasks.text", then "text"; a field that is not listed (one added
to the model later) gets DEFAULT. Add a field here when its natural size differs from the default:
a long Markdown field needs MARKDOWN.

Figures (see the README and benchmarks): the longest text of the seed plans is 5,482 characters on
18 lines (a section's text); the longest title 80 characters; the longest deadline 29.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Limit:
    chars: int  # characters, after NFC
    lines: int  # lines of text
    indent: int = 0  # deepest indentation of a line, in spaces (Markdown nesting); 0: not checked
    markup: int = 0  # characters Markdown treats as markup (MARKUP_CHARS), at most; 0: not checked


# Markdown: plan body text. 20,000 characters is almost 4 times the longest seed text; 400 lines;
# 16 spaces of indentation is a list nested 4 deep (Python-Markdown recurses once per level).
# Python-Markdown rebuilds a paragraph's text for every inline element it finds (an escaped bracket,
# an entity, an emphasis): its time grows with elements × length, so the elements are bounded too
# (the seed plans have at most 24 in a field).
MARKDOWN = Limit(20_000, 400, indent=16, markup=2_000)
MARKUP_CHARS = "\\`[]*_&<>"
ONE_LINE = Limit(200, 1)  # numbers, kinds, deadlines, labels, dates
NAME = Limit(500, 3)  # names of people, units, movements; titles
DEFAULT = Limit(2_000, 20)  # any other text

TEXT_LIMITS: dict[str, Limit] = {
    # Markdown fields (model.Markdown)
    "text": MARKDOWN,
    "preamble": MARKDOWN,
    "purpose": MARKDOWN,
    "requirements": MARKDOWN,
    "closing": MARKDOWN,
    "focus": MARKDOWN,
    "description": MARKDOWN,
    "notes": MARKDOWN,  # the plan's editor's notes; a task's notes are below
    # short texts of a task, target or anniversary
    "tasks.notes": DEFAULT,
    "targets.text": DEFAULT,
    "anniversaries.text": DEFAULT,
    # one line, as printed
    "number": ONE_LINE,
    "kind": ONE_LINE,
    "deadline": ONE_LINE,
    "when": ONE_LINE,
    "label": ONE_LINE,
    "place": ONE_LINE,
    "issued": ONE_LINE,
    "updated": ONE_LINE,
    "date": ONE_LINE,
    "event": ONE_LINE,
    "start": ONE_LINE,
    "end": ONE_LINE,
    "school_year": ONE_LINE,
    "status": ONE_LINE,
    "relation": ONE_LINE,
    "authority": ONE_LINE,
    "comparator": ONE_LINE,
    "unit": ONE_LINE,
    "where": ONE_LINE,
    "by": ONE_LINE,
    "province": ONE_LINE,
    # names and titles
    "title": NAME,
    "name": NAME,
    "short": NAME,
    "aliases": NAME,
    "heading": NAME,
    "theme": NAME,
    "subject": NAME,
    "issuer": NAME,
    "launched_by": NAME,
    "period": NAME,
    "positions": NAME,
    "on_behalf_of": NAME,
    "recipients": NAME,
    "units_text": NAME,
}

KEY_CHARS = 64  # a field name (key) longer than this is no field of the model
NUMBER_DIGITS = 15  # integers and decimals: at most 15 significant digits (exact in a float)
MAX_BYTES = 2_000_000  # one YAML file
MAX_DEPTH = 32  # nesting of YAML lists and mappings
LEDGER_BYTES = 20_000_000  # the calendar ledger (one short line per event)
SEQUENCE_MAX = 2**31 - 1  # iCalendar SEQUENCE is a 32-bit signed integer in most clients

# Every date a plan schedules (issue day, deadlines, phases, periods) lies in this range, so date
# arithmetic (the day after a deadline, a whole month, a school year) never leaves Python's dates.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
# The original event an anniversary celebrates may be older (a founding year such as 1831).
EVENT_YEAR_MIN = 1


def text_limit(path: tuple[str | int, ...]) -> Limit:
    """The limit of the text at this path (list positions are ignored)."""
    names = [step for step in path if isinstance(step, str) and step != "sections"]
    for start in range(len(names)):
        found = TEXT_LIMITS.get(".".join(names[start:]))
        if found is not None:
            return found
    return DEFAULT
