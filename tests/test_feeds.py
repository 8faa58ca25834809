"""iCalendar feeds: real feeds built from fixture projects, read back by four independent parsers.

Parsers: icalendar (which wrote them), `ical` (strict RFC 5545), vobject, and Mozilla's ical.js
through node (tests/js/). On CI a missing node or ical.js fails the test (conftest turns skips into
failures there, and the test fails outright when CI is set).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import icalendar
import pytest
import segno
import vobject
from ical.calendar_stream import IcsCalendarStream
from icalendar.parser.string import _unescape_char

from conftest import FIXTURES, ROOT, STRICT, check_golden
from generator import feeds, ledger
from generator.bulk import unpacked
from generator.corpus import load_project
from generator.feeds import calendar_command, qr_svg, schedule, school_years, shorten
from generator.load import LoadError
from generator.site import build

# The feeds people subscribe to cover a window around the build's reference day; a plan's own feed
# holds all its events. Tests of what an event says read the plan's feed. The mini fixture's day:
PLAN_FEED = "lich/ke-hoach/2024-mau-01.ics"
MINI_TODAY = date(2024, 1, 2)  # its newest `updated`, the reference day of a copy outside git

SITE_URL = "https://planpub.github.io/planpub/"
MINI = FIXTURES / "mini"
GOLDENS = Path(__file__).resolve().parent / "goldens" / "feeds"
JS_DIR = Path(__file__).resolve().parent / "js"
PLAN = "plans/2024/2024-mau-01.yaml"

MINI_FEEDS = {
    "lich/tat-ca.ics",
    "lich/ngay-ky-niem.ics",
    "lich/ke-hoach/2024-mau-01.ics",
    "lich/phong-trao/day-tot-hoc-tot.ics",
    "lich/don-vi/truong-mau.ics",
    "lich/don-vi/phong-gddt-mau.ics",
    "lich/nam-hoc/2023-2024.ics",
}


# ---- helpers -------------------------------------------------------------------------------------


def feeds_of(files: dict) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.endswith(".ics")}


def project_copy(tmp_path: Path, name: str = "project") -> Path:
    """A copy of the mini fixture project (plans and ledger) that a test may edit."""
    root = tmp_path / name
    shutil.copytree(MINI / "plans", root / "plans")
    return root


def edit(root: Path, old: str, new: str, path: str = PLAN) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def node_available() -> bool:
    return shutil.which("node") is not None and (JS_DIR / "node_modules" / "ical.js").is_dir()


def require_node() -> None:
    if node_available():
        return
    message = "node and tests/js/node_modules/ical.js are needed (npm ci --prefix tests/js)"
    if STRICT:
        pytest.fail(message)
    pytest.skip(message)


def moment(value) -> str:
    """A DATE or a DATE-TIME as local wall time ("2022-08-31T08:00:00"), the zone compared apart."""
    return value.replace(tzinfo=None).isoformat() if hasattr(value, "hour") else value.isoformat()


def offset(value) -> int | None:
    return int(value.utcoffset().total_seconds()) if hasattr(value, "hour") and value.utcoffset() is not None else None


def read_icalendar(data: bytes) -> dict:
    cal = icalendar.Calendar.from_ical(data)

    def rdates(e) -> list[str]:
        found = e.get("RDATE")
        lists = found if isinstance(found, list) else [found] if found is not None else []
        return [moment(d.dt) for item in lists for d in item.dts]

    events = [
        {
            "uid": str(e["UID"]),
            "summary": str(e["SUMMARY"]),
            "description": str(e["DESCRIPTION"]),
            "start": moment(e.decoded("DTSTART")),
            "end": moment(e.decoded("DTEND")) if "DTEND" in e else moment(e.decoded("DTSTART")),
            "offset": offset(e.decoded("DTSTART")),
            "rdate": rdates(e),
            "sequence": int(e["SEQUENCE"]),
            "categories": [str(c) for c in e["CATEGORIES"].cats],
            "rrule": e["RRULE"].to_ical().decode() if e.get("RRULE") else None,
        }
        for e in cal.walk("VEVENT")
    ]
    # icalendar reads NAME and X-* properties as raw (still escaped) values: unescape them as TEXT
    return {"name": text_value(cal["X-WR-CALNAME"]), "name7986": text_value(cal["NAME"]), "events": events}


def text_value(prop) -> str:
    if isinstance(prop, icalendar.vText):  # already read as TEXT
        return str(prop)
    return _unescape_char(prop.to_ical().decode("utf-8"))


def read_ical(data: bytes) -> dict:
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    events = [
        {
            "uid": e.uid,
            "summary": e.summary,
            "description": e.description,
            "start": moment(e.dtstart),
            "end": moment(e.dtend) if e.dtend else moment(e.dtstart),
            "offset": offset(e.dtstart),
            "rdate": [moment(d) for d in e.rdate],
            "sequence": e.sequence,
            "categories": list(e.categories),
            "rrule": e.rrule.as_rrule_str() if e.rrule else None,
        }
        for e in cal.events
    ]
    return {"events": events}


def read_vobject(data: bytes) -> dict:
    cal = vobject.readOne(data.decode("utf-8"))
    events = [
        {
            "uid": e.uid.value,
            "summary": e.summary.value,
            "description": e.description.value,
            "start": moment(e.dtstart.value),
            "end": moment(e.dtend.value) if hasattr(e, "dtend") else moment(e.dtstart.value),
            "offset": offset(e.dtstart.value),
            "rdate": [moment(d) for r in getattr(e, "rdate_list", []) for d in r.value],
            "sequence": int(e.sequence.value),
            "categories": list(e.categories.value),
            "rrule": e.rrule.value if hasattr(e, "rrule") else None,
        }
        for e in getattr(cal, "vevent_list", [])
    ]
    return {"name": cal.contents["x-wr-calname"][0].value, "name7986": cal.contents["name"][0].value, "events": events}


def read_icaljs(feeds: dict[str, bytes], tmp_path: Path) -> dict[str, dict]:
    require_node()
    names = {}
    for i, (path, data) in enumerate(sorted(feeds.items())):
        file = tmp_path / f"feed-{i}.ics"
        file.write_bytes(data)
        names[str(file)] = path
    done = subprocess.run(
        ["node", str(JS_DIR / "parse.mjs"), *names], capture_output=True, text=True, timeout=120, cwd=JS_DIR
    )
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    return {names[file]: value for file, value in parsed.items()}


def comparable(parsed: dict, keys=("uid", "summary", "description", "start", "end", "offset", "rdate", "sequence", "categories", "rrule")) -> list:
    return [tuple(json.dumps(e[k], ensure_ascii=False) for k in keys) for e in parsed["events"]]


def assert_parsers_agree(feeds: dict[str, bytes], tmp_path: Path) -> dict[str, dict]:
    """Every feed read by the four parsers: same events, same text, same days, same order."""
    js = read_icaljs(feeds, tmp_path)
    result = {}
    for path, data in feeds.items():
        ours = read_icalendar(data)
        strict = read_ical(data)
        vobj = read_vobject(data)
        mozilla = js[path]
        assert comparable(ours) == comparable(strict) == comparable(vobj), path
        # ical.js: dates are "yyyy-mm-dd" too, and all-day on both ends
        assert comparable(ours) == comparable(mozilla), path
        # all-day events are all-day on both ends; timed ones carry their zone, Asia/Ho_Chi_Minh
        assert all(e["isDate"] == (e["offset"] is None) for e in mozilla["events"]), path
        assert all(e["alarms"] == 0 for e in mozilla["events"]), path
        assert ours["name"] == ours["name7986"] == vobj["name"] == vobj["name7986"] == mozilla["name"] == mozilla["name7986"]
        assert mozilla["method"] == "PUBLISH" and mozilla["refresh"] == "PT6H"
        result[path] = ours
    return result


def events_by_uid(parsed: dict) -> dict[str, dict]:
    return {e["uid"]: e for e in parsed["events"]}


# ---- the mini project ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mini_files() -> dict:
    return {path: unpacked(value) for path, value in build(MINI, SITE_URL, today=MINI_TODAY).files.items()}


def test_the_mini_project_has_one_feed_per_plan_unit_movement_year_and_anniversaries(mini_files):
    assert set(feeds_of(mini_files)) == MINI_FEEDS


def test_all_feeds_parse_alike_in_icalendar_ical_vobject_and_icaljs(mini_files, tmp_path):
    parsed = assert_parsers_agree(feeds_of(mini_files), tmp_path)
    every = events_by_uid(parsed[PLAN_FEED])
    assert set(every) == {"gui-bao-cao@2024-mau-01.planpub", "tong-ket@2024-mau-01.planpub", "dot-1.dot@2024-mau-01.planpub"}
    assert [e["uid"] for e in parsed["lich/ngay-ky-niem.ics"]["events"]] == ["nha-giao.ky-niem@2024-mau-01.planpub"]
    assert [e["uid"] for e in parsed["lich/don-vi/truong-mau.ics"]["events"]] == ["gui-bao-cao@2024-mau-01.planpub"]
    assert [e["uid"] for e in parsed["lich/don-vi/phong-gddt-mau.ics"]["events"]] == ["tong-ket@2024-mau-01.planpub"]
    # "Việc không có hạn" has no deadline: on no calendar
    assert not any("Việc không có hạn" in e["summary"] for p in parsed.values() for e in p["events"])


def test_days_follow_the_due_day_rule(mini_files):
    every = events_by_uid(read_icalendar(mini_files[PLAN_FEED]))
    # "Trước ngày 19/01/2024": due 18/01/2024, a one-day event (DTEND exclusive)
    assert (every["gui-bao-cao@2024-mau-01.planpub"]["start"], every["gui-bao-cao@2024-mau-01.planpub"]["end"]) == (
        "2024-01-18",
        "2024-01-19",
    )
    # "Tháng 05/2024": due on the month's last day, one day
    assert (every["tong-ket@2024-mau-01.planpub"]["start"], every["tong-ket@2024-mau-01.planpub"]["end"]) == (
        "2024-05-31",
        "2024-06-01",
    )
    # a phase "Từ 05/9/2023 đến 16/01/2024" covers all its days, both ends included
    assert (every["dot-1.dot@2024-mau-01.planpub"]["start"], every["dot-1.dot@2024-mau-01.planpub"]["end"]) == (
        "2023-09-05",
        "2024-01-17",
    )
    raw = mini_files[PLAN_FEED].decode("utf-8")
    assert "DTSTART;VALUE=DATE:20240118\r\nDTEND;VALUE=DATE:20240119\r\n" in raw


def test_event_text_summary_description_url_categories(mini_files):
    event = events_by_uid(read_icalendar(mini_files[PLAN_FEED]))["gui-bao-cao@2024-mau-01.planpub"]
    assert event["summary"] == "Gửi báo cáo (01/KH-PGDĐT)"
    description = event["description"].split("\n")
    assert "Thời hạn (nguyên văn): Trước ngày 19/01/2024" in description
    assert "Hạn cuối (ngày cuối cùng còn thực hiện): 18/01/2024" in description
    assert "Đơn vị thực hiện: Các trường thuộc huyện Mẫu" in description
    assert "Kế hoạch 01/KH-PGDĐT: Công tác thi đua năm 2024" in description
    assert description[-1] == "Xem kế hoạch: https://planpub.github.io/planpub/ke-hoach/2024-mau-01/"
    assert event["categories"] == ["Thời hạn nhiệm vụ", "01/KH-PGDĐT"]
    cal = icalendar.Calendar.from_ical(mini_files[PLAN_FEED])
    vevent = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == "gui-bao-cao@2024-mau-01.planpub")
    assert str(vevent["URL"]) == "https://planpub.github.io/planpub/ke-hoach/2024-mau-01/"
    assert str(vevent["TRANSP"]) == "TRANSPARENT"
    # stamps come from the ledger: the plan's `updated` date, never the clock
    assert vevent.decoded("DTSTAMP").isoformat() == "2024-01-02T00:00:00+00:00"
    assert vevent.decoded("LAST-MODIFIED") == vevent.decoded("DTSTAMP")


def test_calendar_properties(mini_files):
    for path, data in feeds_of(mini_files).items():
        text = data.decode("utf-8")
        head = text.replace("\r\n ", "")  # unfolded
        head = head[: head.index("BEGIN:VEVENT")] if "BEGIN:VEVENT" in head else head
        for line in (
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//planpub//Lịch kế hoạch thi đua ngành Giáo dục//VI",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
            "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
            "X-PUBLISHED-TTL:PT6H",
            f"SOURCE;VALUE=URI:{SITE_URL}{path}",
        ):
            assert f"\r\n{line}\r\n" in "\r\n" + head, (path, line)
        cal = icalendar.Calendar.from_ical(data)
        assert text_value(cal["NAME"]) == text_value(cal["X-WR-CALNAME"])
        assert text_value(cal["DESCRIPTION"]) == text_value(cal["X-WR-CALDESC"])
        assert text.endswith("END:VCALENDAR\r\n") and text.count("BEGIN:VCALENDAR") == 1
        assert "VALARM" not in text
    unit = icalendar.Calendar.from_ical(mini_files["lich/don-vi/truong-mau.ics"])
    assert str(unit["X-WR-CALNAME"]) == "Thời hạn: Các trường thuộc huyện Mẫu"


def test_lines_are_folded_at_75_octets_without_splitting_a_character(mini_files):
    for path, data in feeds_of(mini_files).items():
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b""), path
        for line in data.split(b"\r\n")[:-1]:
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")  # a fold inside a character would leave half of it: UnicodeDecodeError
    # the fold really happens inside Vietnamese text
    assert any(line.startswith(b" ") for line in mini_files[PLAN_FEED].split(b"\r\n"))


def test_feeds_match_goldens(mini_files, update_goldens):
    feeds = feeds_of(mini_files)
    for path, data in sorted(feeds.items()):
        check_golden(GOLDENS / path.removeprefix("lich/"), data, update_goldens)
    if update_goldens:
        for stale in GOLDENS.rglob("*.ics"):
            if f"lich/{stale.relative_to(GOLDENS).as_posix()}" not in feeds:
                stale.unlink()
    goldens = {f"lich/{p.relative_to(GOLDENS).as_posix()}" for p in GOLDENS.rglob("*.ics")}
    assert goldens == set(feeds)


# ---- ledger: UID, SEQUENCE, stamps -------------------------------------------------------------


NEW_TASK = """tasks:
  - id: viec-moi
    number: "0."
    text: Việc mới chèn lên đầu
    units: [truong-mau]
    deadline: Ngày 10/01/2024
"""


def test_uids_and_content_survive_inserting_a_task_above_others(tmp_path):
    root = project_copy(tmp_path)
    before = {e.uid: e.digest() for e in schedule(load_project(root)).events}
    edit(root, "tasks:\n", NEW_TASK)
    after = {e.uid: e.digest() for e in schedule(load_project(root)).events}
    assert set(after) == set(before) | {"viec-moi@2024-mau-01.planpub"}
    assert {uid: after[uid] for uid in before} == before  # nothing else changed, not even the hash


def test_sequence_and_modified_move_only_for_the_changed_event(tmp_path):
    root = project_copy(tmp_path)
    first = build(root, SITE_URL).files[PLAN_FEED]
    edit(root, "deadline: Tháng 05/2024", "deadline: Tháng 06/2024")
    edit(root, 'updated: "02/01/2024"', 'updated: "15/03/2024"')
    with pytest.raises(LoadError):
        build(root, SITE_URL)  # the ledger no longer matches
    assert calendar_command(root) == 0
    second = build(root, SITE_URL).files[PLAN_FEED]

    old, new = events_by_uid(read_icalendar(first)), events_by_uid(read_icalendar(second))
    changed = [uid for uid in new if new[uid] != old.get(uid)]
    assert changed == ["tong-ket@2024-mau-01.planpub"]
    assert (old[changed[0]]["sequence"], new[changed[0]]["sequence"]) == (0, 1)
    assert new[changed[0]]["start"] == "2024-06-30"
    stamps = {str(e["UID"]): e.decoded("LAST-MODIFIED").date() for e in icalendar.Calendar.from_ical(second).walk("VEVENT")}
    assert stamps == {
        "tong-ket@2024-mau-01.planpub": date(2024, 3, 15),
        "gui-bao-cao@2024-mau-01.planpub": date(2024, 1, 2),
        "dot-1.dot@2024-mau-01.planpub": date(2024, 1, 2),
    }
    # the untouched events are byte for byte the same
    for uid in ("gui-bao-cao@2024-mau-01.planpub", "dot-1.dot@2024-mau-01.planpub"):
        assert vevent_bytes(first, uid) == vevent_bytes(second, uid)
    # running it again changes nothing
    text = ledger.ledger_path(root).read_text(encoding="utf-8")
    assert calendar_command(root) == 0
    assert ledger.ledger_path(root).read_text(encoding="utf-8") == text


def vevent_bytes(feed: bytes, uid: str) -> bytes:
    for block in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", feed, re.S):
        if f"\r\nUID:{uid}\r\n".encode() in block:
            return block
    raise AssertionError(uid)


def test_a_stale_ledger_stops_the_build_with_a_vietnamese_message(tmp_path):
    root = project_copy(tmp_path)
    edit(root, "text: Gửi báo cáo\n", "text: Gửi báo cáo tổng kết\n")
    with pytest.raises(LoadError) as caught:
        build(root, SITE_URL)
    message = str(caught.value)
    assert message.startswith("plans/_ledger/calendar.json:")
    assert "sổ lịch chưa cập nhật" in message and "planpub calendar" in message
    assert "1 sự kiện đã thay đổi" in message and "gui-bao-cao@2024-mau-01.planpub" in message

    # the editors' commands: --check reports it (exit 1), calendar fixes it, then the build passes
    check = run_planpub(root, "calendar", "--check")
    assert check.returncode == 1 and "planpub calendar" in check.stderr and "Traceback" not in check.stderr
    assert run_planpub(root, "calendar").returncode == 0
    assert run_planpub(root, "calendar", "--check").returncode == 0
    assert "lich/tat-ca.ics" in build(root, SITE_URL).files


def test_a_preview_on_a_local_address_builds_with_a_warning(tmp_path):
    root = project_copy(tmp_path)
    edit(root, "text: Gửi báo cáo\n", "text: Gửi báo cáo tổng kết\n")
    result = build(root, "http://127.0.0.1:8000/planpub/")
    assert "Gửi báo cáo tổng kết" in result.files[PLAN_FEED].decode("utf-8")
    assert any("sổ lịch chưa cập nhật" in w.message and w.severity == "warning" for w in result.corpus.warnings)


def test_a_missing_or_broken_ledger_is_reported_with_its_place(tmp_path):
    root = project_copy(tmp_path)
    ledger.ledger_path(root).unlink()
    with pytest.raises(LoadError, match="chưa có sổ lịch cho 4 sự kiện"):
        build(root, SITE_URL)
    ledger.ledger_path(root).write_text('{\n  "version": 1,\n  "events": {\n    "x": [1,\n', encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        build(root, SITE_URL)
    assert str(caught.value).startswith("plans/_ledger/calendar.json:5:") and "JSON" in str(caught.value)
    ledger.ledger_path(root).write_text('{"version": 1, "events": {"x@y.planpub": {"hash": "zz"}}}', encoding="utf-8")
    with pytest.raises(LoadError, match="“hash”, “sequence”"):
        build(root, SITE_URL)


def test_calendar_command_reports_plan_errors_and_writes_nothing(tmp_path):
    root = project_copy(tmp_path)
    before = ledger.ledger_path(root).read_bytes()
    edit(root, "text: Gửi báo cáo\n", "text: Gửi báo cáo\n    titel: gõ nhầm\n")
    done = run_planpub(root, "calendar")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert re.search(r"plans/2024/2024-mau-01\.yaml:\d+:\d+: lỗi:", done.stderr), done.stderr
    assert ledger.ledger_path(root).read_bytes() == before


def test_the_ledger_folder_is_not_read_as_plans(tmp_path):
    root = project_copy(tmp_path)
    (root / "plans/_ledger/notes.yaml").write_text("không phải kế hoạch: [\n", encoding="utf-8")
    assert [p.id for p in load_project(root).plans] == ["2024-mau-01"]


def run_planpub(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(root), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


# ---- determinism -------------------------------------------------------------------------------


BUILD_SCRIPT = """
import hashlib, json, sys
from pathlib import Path
from generator.bulk import unpacked
from generator.site import build
files = build(Path(sys.argv[1]), sys.argv[2]).files
out = {p: hashlib.sha256(d if isinstance(d, bytes) else d.encode()).hexdigest()
       for p, d in ((p, unpacked(v)) for p, v in files.items()) if p.startswith("lich/")}
print(json.dumps(out, sort_keys=True))
"""


def test_two_builds_in_fresh_processes_are_byte_identical():
    runs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", BUILD_SCRIPT, str(MINI), SITE_URL],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=dict(os.environ, PYTHONHASHSEED=seed),
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]
    assert {p for p in runs[0] if p.endswith(".ics")} == MINI_FEEDS
    assert "lich/index.md" in runs[0] and any(p.endswith(".svg") for p in runs[0])


# ---- escaping ------------------------------------------------------------------------------------


TRICKY_TEXT = "Báo cáo, tổng kết; thư mục C:\\du-lieu\\n (không phải xuống dòng)\nBEGIN:VEVENT\nEND:VCALENDAR"
TRICKY_UNIT = "Trường A, B; C\\D"


def test_commas_semicolons_backslashes_newlines_and_begin_lines_stay_text(tmp_path):
    root = project_copy(tmp_path)
    edit(root, "text: Gửi báo cáo\n", "text: " + json.dumps(TRICKY_TEXT, ensure_ascii=False) + "\n")
    edit(root, "name: Các trường thuộc huyện Mẫu", "name: " + json.dumps(TRICKY_UNIT, ensure_ascii=False), "plans/_registry/units.yaml")
    assert calendar_command(root) == 0
    feeds = feeds_of(build(root, SITE_URL).files)
    parsed = assert_parsers_agree(feeds, tmp_path)

    every = events_by_uid(parsed[PLAN_FEED])
    assert len(every) == 3  # the text's BEGIN:VEVENT did not start a fourth event
    event = every["gui-bao-cao@2024-mau-01.planpub"]
    assert event["description"].startswith(TRICKY_TEXT + "\n")
    assert f"Đơn vị thực hiện: {TRICKY_UNIT}" in event["description"]
    assert event["summary"] == shorten(" ".join(TRICKY_TEXT.split()), 60) + " (01/KH-PGDĐT)"
    assert "," in event["summary"] and ";" in event["summary"] and "\\" in event["summary"]
    # a calendar name with , ; \ (a unit's name) is escaped and read back whole by every parser
    assert parsed["lich/don-vi/truong-mau.ics"]["name"] == f"Thời hạn: {TRICKY_UNIT}"
    raw = feeds["lich/don-vi/truong-mau.ics"].decode("utf-8")
    assert "X-WR-CALNAME:Thời hạn: Trường A\\, B\\; C\\\\D\r\n" in raw
    assert raw.count("\r\nBEGIN:VEVENT\r\n") == 1


def test_text_is_nfc_in_the_feeds(tmp_path):
    root = project_copy(tmp_path)
    nfd = unicodedata.normalize("NFD", "Tổng kết cuối năm")
    assert nfd != "Tổng kết cuối năm"
    edit(root, "text: Tổng kết\n", "text: " + nfd + "\n")
    assert calendar_command(root) == 0
    data = build(root, SITE_URL).files[PLAN_FEED].decode("utf-8")
    assert unicodedata.normalize("NFC", data) == data
    assert "SUMMARY:Tổng kết cuối năm (01/KH-PGDĐT)\r\n" in data


# ---- anniversaries, school years -------------------------------------------------------------------


ANNIVERSARIES = """anniversaries:
  - id: nha-giao
    name: Ngày Nhà giáo Việt Nam
    years: 41
    event: "20/11/1982"
    date: "20/11/2023"
  - id: khong-nam
    name: Ngày thành lập Quân đội nhân dân Việt Nam
    date: "22/12"
  - id: chi-thang
    name: Giải phóng Thủ đô
    date: "10/2024"
"""


def test_anniversaries_with_a_day_are_on_the_calendar_and_yearless_ones_repeat(tmp_path):
    root = project_copy(tmp_path)
    text = (root / PLAN).read_text(encoding="utf-8")
    start = text.index("anniversaries:\n")
    end = text.index("targets:")
    (root / PLAN).write_text(text[:start] + ANNIVERSARIES + text[end:], encoding="utf-8")
    sched = schedule(load_project(root))
    events = [e for e in sched.events if e.kind == "anniversary"]
    # 22/12 has no year: it repeats every year from its first day in the plan's period (year 2024);
    # "10/2024" has no day, so it is on no calendar
    assert [(e.uid, e.start.isoformat(), e.rrule == "FREQ=YEARLY") for e in events] == [
        ("nha-giao.ky-niem@2024-mau-01.planpub", "2023-11-20", False),
        ("khong-nam.ky-niem@2024-mau-01.planpub", "2024-12-22", True),
    ]
    assert all(e.feeds == ("lich/ngay-ky-niem.ics",) for e in events)
    entries = ledger.update({}, sched.current())[0]
    ics = feeds.event_bytes(events[1], entries[events[1].uid], "https://example.org/")
    assert b"RRULE:FREQ=YEARLY\r\n" in ics and b"DTSTART;VALUE=DATE:20241222\r\n" in ics
    assert b"RRULE" not in feeds.event_bytes(events[0], entries[events[0].uid], "https://example.org/")


def test_the_seed_feeds_parse_alike_in_the_four_parsers_yearly_anniversaries_included(tmp_path):
    parsed = assert_parsers_agree(feeds_of(build(ROOT, SITE_URL).files), tmp_path)
    yearly = [e for e in parsed["lich/ngay-ky-niem.ics"]["events"] if e["rrule"]]
    assert yearly and all(e["rrule"] == "FREQ=YEARLY" for e in yearly)
    # Quốc khánh 2/9, printed without a year in the Hưng Yên plan (school year 2021-2022)
    assert any(e["summary"].startswith("Quốc khánh") or "2/9" in e["description"] for e in yearly), [e["summary"] for e in yearly]


def test_school_years_of_an_event():
    assert school_years(date(2023, 9, 1), date(2023, 9, 2)) == ["2023-2024"]
    assert school_years(date(2024, 8, 31), date(2024, 9, 1)) == ["2023-2024"]
    assert school_years(date(2024, 8, 20), date(2024, 9, 10)) == ["2023-2024", "2024-2025"]


def test_shorten_cuts_at_a_word_with_an_ellipsis():
    assert shorten("Gửi báo cáo", 60) == "Gửi báo cáo"
    cut = shorten("Tổ chức hội nghị tổng kết phong trào thi đua Dạy tốt - Học tốt năm học 2023-2024", 40)
    assert cut.endswith("…") and len(cut) <= 40 and cut[:-1] == cut[:-1].rstrip() and "2023-2024" not in cut


# ---- the Lịch page and links on the site ----------------------------------------------------------


def test_calendar_page_lists_the_feeds_that_do_not_grow_with_the_corpus(mini_files):
    """The Lịch page lists the whole-site feeds and the school-year archives, each with its four ways
    to subscribe; units, movements and plans offer theirs on their own pages (at a province's size a
    list of every feed was a 4 MB page)."""
    page = mini_files["lich/index.md"]
    for heading in ("## Toàn bộ", "## Ngày kỷ niệm", "## Theo năm học (bản lưu đầy đủ)"):
        assert f"\n{heading}\n" in page
    assert "Theo đơn vị" not in page and "lich/don-vi/" not in page and "lich/ke-hoach/" not in page
    for path in MINI_FEEDS:
        if not path.startswith(("lich/tat-ca", "lich/ngay-ky-niem", "lich/nam-hoc/")):
            assert mini_files[path.replace("lich/", "lich/qr/", 1).removesuffix(".ics") + ".svg"]  # on its page
            continue
        https = SITE_URL + path
        webcal = https.replace("https://", "webcal://")
        assert f'href="{https}"' in page and f'href="{webcal}"' in page and f'data-copy="{https}"' in page
        google = "https://calendar.google.com/calendar/render?cid=" + webcal.replace(":", "%3A").replace("/", "%2F")
        assert f'href="{google}"' in page, google
        qr = path.replace("lich/", "lich/qr/", 1).removesuffix(".ics") + ".svg"
        assert f'src="{qr.removeprefix("lich/")}"' in page
        assert mini_files[qr] == qr_svg(webcal, f"Mã QR: {name_of(mini_files, path)}")
        assert mini_files[qr].startswith(b"<svg") and b"<path" in mini_files[qr]
    for client in ("Google Calendar", "Outlook", "Lịch Apple", "Thunderbird"):
        assert f"**{client}**" in page
    assert "vài giờ" in page and "ngày hạn" in page and "24/01/2023" in page
    words = " ".join(page.split())
    assert "năm học trước, năm học này và năm học sau" in words and "120 ngày sau" in words
    assert "<script" not in page and "<style" not in page  # page bodies hold no script (sanitised)


def name_of(files: dict, path: str) -> str:
    return text_value(icalendar.Calendar.from_ical(files[path])["X-WR-CALNAME"])


def test_qr_codes_are_deterministic_and_hold_the_webcal_address():
    url = "webcal://planpub.github.io/planpub/lich/tat-ca.ics"
    assert qr_svg(url, "x") == qr_svg(url, "x")
    code = segno.make_qr(url, error="m")
    assert code.error == "M" and code.designator  # a real QR symbol was made for exactly this text


def test_qr_codes_are_made_once_and_taken_from_the_cache_after(tmp_path, monkeypatch):
    root = project_copy(tmp_path)
    corpus = load_project(root)
    links = feeds.feed_links(schedule(corpus, MINI_TODAY), SITE_URL)
    first = feeds.qr_codes(root, links)
    assert first == {item.feed.qr_path: qr_svg(item.webcal, f"Mã QR: {item.feed.name}") for item in links}
    assert (root / feeds.CACHE_FILE).is_file()

    def never(*args):
        raise AssertionError("a QR code made again")

    monkeypatch.setattr(feeds, "qr_svg", never)
    assert feeds.qr_codes(root, links) == first  # every code from the cache, byte for byte
    renamed = [dataclasses.replace(links[0], feed=dataclasses.replace(links[0].feed, name="Tên mới"))]
    with pytest.raises(AssertionError, match="made again"):  # a new title is a new code
        feeds.qr_codes(root, renamed)


@pytest.mark.slow
def test_site_has_feeds_page_nav_and_plan_link(mini_site):
    assert (mini_site / "lich/tat-ca.ics").read_bytes() == build(MINI, SITE_URL, today=MINI_TODAY).files["lich/tat-ca.ics"]
    assert (mini_site / "lich/qr/tat-ca.svg").is_file() and (mini_site / "assets/calendar.js").is_file()
    page = (mini_site / "lich/index.html").read_text(encoding="utf-8")
    assert 'class="pp-copy"' in page and "Thêm vào Google Calendar" in page
    assert 'id="lich-tat-ca"' in page and 'id="lich-nam-hoc-2023-2024"' in page
    home = (mini_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a[^>]*href="lich/"[^>]*>\s*Theo dõi các thời hạn trên lịch của bạn', home)
    assert re.search(r'<a[^>]*href="lich/"[^>]*>\s*Lịch\s*</a>', home)  # the nav tab
    plan = (mini_site / "ke-hoach/2024-mau-01/index.html").read_text(encoding="utf-8")
    assert 'href="webcal://planpub.github.io/planpub/lich/ke-hoach/2024-mau-01.ics"' in plan
    assert "Đăng ký lịch" in plan and "Thêm vào Google Calendar" in plan
    assert 'src="../../lich/qr/ke-hoach/2024-mau-01.svg"' in plan
    assert (mini_site / "lich/qr/ke-hoach/2024-mau-01.svg").is_file()
    assert 'href="../../lich/#cach-dang-ky"' in plan


def test_the_benchmark_runs_on_a_small_number_of_events():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/feeds_bench.py"), "--events", "300", "--repeat", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "300 events" in done.stdout and "assemble the all-deadlines feed" in done.stdout


def test_the_committed_ledger_matches_the_shipped_plans():
    """What CI verifies: an editor who changed a plan also ran `planpub calendar`."""
    done = run_planpub(ROOT, "calendar", "--check")
    assert done.returncode == 0, done.stdout + done.stderr


# ---- windows: subscribed feeds do not grow with history --------------------------------------------


def test_subscribed_feeds_cover_a_window_and_plan_feeds_and_archives_stay_whole():
    from generator.feeds import windows

    corpus = load_project(MINI)
    whole = schedule(corpus)
    # seen from 02/01/2024: the all-deadlines feed keeps 30 days back and 120 ahead (18/01 and the
    # phase ending 16/01, not 31/05); units keep three school years; the plan and the archive all
    windowed = schedule(corpus, date(2024, 1, 2))
    assert set(windowed.members[PLAN_FEED]) == set(whole.members[PLAN_FEED]) == {
        "gui-bao-cao@2024-mau-01.planpub", "tong-ket@2024-mau-01.planpub", "dot-1.dot@2024-mau-01.planpub"}
    assert windowed.members["lich/tat-ca.ics"] == ["dot-1.dot@2024-mau-01.planpub", "gui-bao-cao@2024-mau-01.planpub"]
    assert windowed.members["lich/nam-hoc/2023-2024.ics"] == whole.members["lich/nam-hoc/2023-2024.ics"]
    assert windowed.members["lich/don-vi/phong-gddt-mau.ics"] == ["tong-ket@2024-mau-01.planpub"]
    # ten years on, the plan is history: only its own feed and its school year's archive hold it
    later = schedule(corpus, date(2034, 1, 2))
    assert later.members["lich/tat-ca.ics"] == [] and later.members["lich/don-vi/phong-gddt-mau.ics"] == []
    assert later.members[PLAN_FEED] == whole.members[PLAN_FEED]
    bounds = windows(date(2024, 10, 15))
    assert bounds["unit"] == (date(2023, 9, 1), date(2026, 8, 31)) and bounds["all"] == (date(2024, 9, 15), date(2025, 2, 12))


def test_events_are_serialised_once_across_builds(tmp_path):
    """The event store: a second build takes every event's bytes from it, and they are the same bytes."""
    from generator.feeds import CACHE_FILE, EventStore, event_bytes, event_key, render_feeds

    corpus = load_project(MINI)
    sched = schedule(corpus)
    entries = ledger.update({}, sched.current())[0]
    store = EventStore(tmp_path / "feeds.sqlite")
    first = render_feeds(sched, entries, SITE_URL, store)
    keys = {e.uid: event_key(e, entries[e.uid], SITE_URL) for e in sched.events}
    stored = store.get(keys.values())
    assert set(stored) == set(keys.values())
    assert all(stored[keys[e.uid]] == event_bytes(e, entries[e.uid], SITE_URL) for e in sched.events)
    second = render_feeds(sched, entries, SITE_URL, store)
    assert second == first and render_feeds(sched, entries, SITE_URL) == first
    # another site address, another key: never the bytes of the first site
    assert not set(store.get(event_key(e, entries[e.uid], "https://other.example/") for e in sched.events))
    store.close()
    # a store that cannot be written is not used, and the build is the same
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder", encoding="utf-8")
    assert render_feeds(sched, entries, SITE_URL, EventStore(blocked / "feeds.sqlite")) == first
    assert CACHE_FILE.parts[0] == ".cache"  # under .gitignore'd .cache/, never committed


# ---- the budget: a subscribed feed stays small however many plans the site holds -------------------


@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    """A synthetic province (benchmarks/synth.py), its schedule seen from a day among its events."""
    from benchmarks import synth

    corpus = load_project(synth.generate(tmp_path_factory.mktemp("dense") / "project", 120, site=False))
    starts = sorted(e.start for e in schedule(corpus).events)
    today = starts[len(starts) // 2]
    sched = schedule(corpus, today)
    return sched, feeds.serialise(sched, ledger.update({}, sched.current())[0], SITE_URL)


def test_a_subscribed_feed_over_its_budget_keeps_the_days_nearest_the_reference_day(dense):
    sched, data = dense
    today, budget = sched.today, 20_000
    fitted = feeds.fit(sched, data, SITE_URL, budget)
    out = feeds.assemble(fitted, data, SITE_URL)
    by_uid = {e.uid: e for e in sched.events}

    def day(uid):  # the day an event starts or is due; a recurring one counts as today's
        return today if by_uid[uid].rrule else by_uid[uid].start

    assert "lich/tat-ca.ics" in fitted.spans and any(p.startswith("lich/don-vi/") for p in fitted.spans)
    for feed in sched.feeds:
        path, kept = feed.path, fitted.members[feed.path]
        if feed.group not in feeds.WINDOWED:
            assert kept == sched.members[path] and path not in fitted.spans  # plan feeds and archives whole
            continue
        assert len(out[path]) <= budget, path
        if path not in fitted.spans:
            assert kept == sched.members[path]
            continue
        first, last = fitted.spans[path]
        assert first <= last and (first <= today or first == min(day(u) for u in sched.members[path] if day(u) >= today))
        dropped = [u for u in sched.members[path] if u not in set(kept)]
        assert dropped and all(first <= day(u) <= last for u in kept)
        assert all(not first <= day(u) <= last for u in dropped)  # whole days: a day is kept or dropped
        assert kept == [u for u in sched.members[path] if u in set(kept)]  # in event order
        if first < today:  # the past only once every day ahead up to the window's end is in
            assert all(day(u) < first for u in dropped)
        cal = icalendar.Calendar.from_ical(out[path])
        assert [str(c["UID"]) for c in cal.walk("VEVENT")] == kept
        assert f"chỉ gồm các việc từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}" in str(cal["DESCRIPTION"])
        assert f"chỉ gồm các việc từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}" in str(cal["X-WR-CALDESC"])


def test_the_stated_budget_keeps_every_event_of_a_feed_that_fits(dense):
    sched, data = dense
    fitted = feeds.fit(sched, data, SITE_URL)
    out = feeds.assemble(fitted, data, SITE_URL)
    for feed in sched.feeds:
        if feed.group in feeds.WINDOWED:
            assert len(out[feed.path]) <= feeds.FEED_BUDGET
            if feed.path not in fitted.spans:
                assert fitted.members[feed.path] == sched.members[feed.path]
    whole = dataclasses.replace(sched, today=None)  # no reference day (the ledger): every feed whole
    assert feeds.fit(whole, data, SITE_URL, 1_000).members == sched.members


def test_a_plans_feed_size_from_its_own_events_is_the_whole_schedules(root):
    """site.preview counts an edited plan's feed from that plan alone: the same number the whole
    schedule gives, for every plan of the repository (with and without dated items)."""
    corpus = load_project(root)
    members = schedule(corpus, date(2024, 3, 1)).members
    sizes = feeds.plan_feed_sizes(corpus, corpus.plans)
    assert len(sizes) == len(corpus.plans) >= 5
    assert sizes == {path: len(members.get(path, ())) for path in sizes}
    assert 0 in sizes.values() and max(sizes.values()) > 10  # plans without a dated item have no feed
    assert all(path.startswith("lich/ke-hoach/") for path in sizes)
