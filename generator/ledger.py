"""The calendar ledger: what makes SEQUENCE, DTSTAMP and LAST-MODIFIED honest and reproducible.

A calendar client keeps a subscribed event and replaces it when the feed shows a newer version of
it: SEQUENCE must go up, and LAST-MODIFIED/DTSTAMP must move, when — and only when — the event
changes. A build cannot know that by itself: it sees one commit, and the clock is not allowed (two
builds of the same commit must give the same bytes). So the history lives in a small committed file,
`plans/_ledger/calendar.json`, one line per event:

    "gui-bao-cao@2024-mau-01.planpub": {"hash": "…", "modified": "2024-01-02", "sequence": 0}

- `hash` is a digest of what the event shows (summary, description, dates, page, categories), with
  the site address left out: moving the site is deployment, not a change of the plan.
- `sequence` counts the changes of the event; `modified` is the date of the last change, taken from
  the plan's own `updated` field (never the clock), and never moves backwards.

`planpub calendar` rewrites the ledger from the plans (the editor commits it with the plan). The
build only READS it and stops with a Vietnamese message when it no longer matches the plans, so CI
catches a forgotten `planpub calendar` instead of publishing an event whose SEQUENCE did not move.

Why a committed file and not git history: the build then works from a tarball or a shallow clone,
the numbers are reviewed in the pull request like the plan itself, and the rule "this commit → these
bytes" holds with nothing outside the tree. Why under plans/_ledger/: it belongs with the data it
describes and changes with it; the plan loader skips that folder (generator/corpus.py).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from generator.limits import LEDGER_BYTES, SEQUENCE_MAX
from generator.load import LoadError, Problem, read_bounded

LEDGER_FILE = PurePosixPath("plans/_ledger/calendar.json")
FORMAT_VERSION = 1
_HASH = re.compile(r"^[0-9a-f]{16,64}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Entry:
    hash: str
    sequence: int
    modified: date


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        return f"{len(self.added)} sự kiện mới, {len(self.changed)} sự kiện đã thay đổi, {len(self.removed)} sự kiện đã bỏ"


# Current state of the events, as the feeds see it: uid -> (hash, the plan's `updated` date).
Current = Mapping[str, tuple[str, date]]


def ledger_path(root: Path) -> Path:
    return root / LEDGER_FILE


def read(root: Path) -> dict[str, Entry]:
    """The committed ledger; empty when the file does not exist. Raises LoadError when unreadable."""
    path = ledger_path(root)
    if not path.exists() and not path.is_symlink():
        return {}
    raw = read_bounded(path, str(LEDGER_FILE), LEDGER_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise LoadError([Problem(str(LEDGER_FILE), 1, 1, "", f"không đọc được sổ lịch: {err}")]) from None
    return parse(text)


def read_text(root: Path) -> str:
    """The ledger's text ("" when there is none), read like read()."""
    path = ledger_path(root)
    if not path.exists() and not path.is_symlink():
        return ""
    return read_bounded(path, str(LEDGER_FILE), LEDGER_BYTES).decode("utf-8", "replace")


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Duplicate(key)
        found[key] = value
    return found


def _bounded_int(digits: str) -> int | None:
    """JSON integers past SEQUENCE_MAX's size are not read (Python refuses 4,300 digits and more)."""
    return int(digits) if len(digits.lstrip("-")) <= 12 else None


def parse(text: str) -> dict[str, Entry]:
    """The ledger's entries (a new dict each time: callers may change it; the entries are frozen)."""
    return dict(_parsed(text))


@functools.lru_cache(maxsize=1)  # `check` and `build` read it while loading, then to compare: parsed once
def _parsed(text: str) -> dict[str, Entry]:
    file = str(LEDGER_FILE)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_bounded_int)
    except json.JSONDecodeError as err:
        raise LoadError([Problem(file, err.lineno, err.colno, "", f"sổ lịch không phải JSON hợp lệ: {err.msg}")]) from None
    except _Duplicate as dup:
        raise LoadError(
            [Problem(file, line_of(text, dup.key, last=True), 1, dup.key,
                     "mục bị lặp lại trong sổ lịch (thường do gộp nhánh git): hãy xoá một trong hai dòng rồi chạy “planpub calendar”")]
        ) from None
    except RecursionError:
        raise LoadError([Problem(file, 1, 1, "", "sổ lịch lồng nhau quá sâu, không phải sổ lịch của planpub: hãy lấy lại tệp từ git")]) from None
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or not isinstance(data.get("events"), dict):
        raise LoadError(
            [Problem(file, 1, 1, "", f"sổ lịch phải có dạng {{\"version\": {FORMAT_VERSION}, \"events\": {{…}}}}; hãy chạy “planpub calendar”")]
        )
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    for uid, raw in data["events"].items():
        entry = _entry(raw)
        if entry is None:
            problems.append(
                Problem(file, line_of(text, uid), 1, uid,
                        f"mục của sổ lịch phải có “hash”, “sequence” (số từ 0 đến {SEQUENCE_MAX}) và “modified” (yyyy-mm-dd)")
            )
            continue
        entries[uid] = entry
    if problems:
        raise LoadError(problems)
    return entries


def _entry(raw: Any) -> Entry | None:
    if not isinstance(raw, dict) or set(raw) != {"hash", "sequence", "modified"}:
        return None
    digest, sequence, modified = raw["hash"], raw["sequence"], raw["modified"]
    if not isinstance(digest, str) or not _HASH.match(digest):
        return None
    if not isinstance(sequence, int) or isinstance(sequence, bool) or not 0 <= sequence <= SEQUENCE_MAX:
        return None
    if not isinstance(modified, str) or not _DAY.match(modified):
        return None
    try:
        return Entry(digest, sequence, date.fromisoformat(modified))
    except ValueError:
        return None


def line_of(text: str, uid: str, last: bool = False) -> int:
    """The line of an event in the ledger's text (its last occurrence with last=True); 1 if none."""
    needle = json.dumps(uid, ensure_ascii=False) + ":"
    found = 1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(needle):
            found = number
            if not last:
                break
    return found


def dumps(entries: Mapping[str, Entry]) -> str:
    """One event per line, sorted: small, stable diffs in review."""
    lines = [
        f"    {json.dumps(uid, ensure_ascii=False)}: "
        + json.dumps({"hash": e.hash, "modified": e.modified.isoformat(), "sequence": e.sequence}, sort_keys=True)
        for uid, e in sorted(entries.items())
    ]
    body = ",\n".join(lines)
    events = "{\n" + body + "\n  }" if lines else "{}"
    return f'{{\n  "version": {FORMAT_VERSION},\n  "events": {events}\n}}\n'


def diff(entries: Mapping[str, Entry], current: Current) -> Changes:
    changes = Changes()
    for uid in sorted(current):
        if uid not in entries:
            changes.added.append(uid)
        elif entries[uid].hash != current[uid][0]:
            changes.changed.append(uid)
    changes.removed = sorted(uid for uid in entries if uid not in current)
    return changes


def update(entries: Mapping[str, Entry], current: Current) -> tuple[dict[str, Entry], Changes]:
    """The new ledger: a new event starts at SEQUENCE 0; a changed one goes up by one."""
    changes = diff(entries, current)
    result: dict[str, Entry] = {}
    for uid, (digest, updated) in current.items():
        old = entries.get(uid)
        if old is None:
            result[uid] = Entry(digest, 0, updated)
        elif old.hash == digest:
            result[uid] = old
        else:
            result[uid] = Entry(digest, min(old.sequence + 1, SEQUENCE_MAX), max(old.modified, updated))
    return dict(sorted(result.items())), changes


def stale_problem(entries: Mapping[str, Entry], current: Current, text: str = "") -> Problem | None:
    """A Vietnamese error when the ledger does not describe the current events, else None."""
    changes = diff(entries, current)
    if not changes.any:
        return None
    examples = (changes.changed + changes.added + changes.removed)[:3]
    first = changes.changed[0] if changes.changed else (changes.removed[0] if changes.removed else None)
    line = line_of(text, first) if first and text else 1
    message = (
        f"sổ lịch chưa cập nhật theo kế hoạch ({changes.summary()}, ví dụ {', '.join(examples)}): "
        f"hãy chạy “planpub calendar” rồi commit tệp {LEDGER_FILE} cùng kế hoạch"
    )
    return Problem(str(LEDGER_FILE), line, 1, "", message)


def missing_problem(count: int) -> Problem:
    return Problem(
        str(LEDGER_FILE), 1, 1, "",
        f"chưa có sổ lịch cho {count} sự kiện: hãy chạy “planpub calendar” rồi commit tệp {LEDGER_FILE} cùng kế hoạch",
    )


def write(root: Path, entries: Mapping[str, Entry]) -> Path:
    """Write atomically: a reader never sees half a ledger."""
    path = ledger_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dumps(entries))
        os.replace(tmp, path)
    except BaseException:  # disk full, read-only folder, Ctrl+C: the old ledger stays, no .tmp is left
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    return path
