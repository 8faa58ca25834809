"""Time the all-deadlines feed (lich/tat-ca.ics) of N synthetic events (default 20,000).

    python benchmarks/feeds_bench.py [--events 20000] [--repeat 3] [--naive]

A build serialises each event ONCE with icalendar (generator.feeds.event_bytes) and assembles every
feed — an event is in up to five — from those cached bytes. Printed, best of --repeat:

  serialise   every event to bytes with icalendar, once (shared by all feeds)
  assemble    the all-deadlines feed from the cached bytes: the cost of each further feed
  cold        serialise + assemble: the all-deadlines feed from nothing
  five feeds  cold, plus the four other feeds an event is in (plan, unit, movement, school year)

--naive also times the textbook way (one icalendar Calendar holding every event, to_ical()),
which re-serialises every event for every feed it is in.
The events look like real ones: Vietnamese summaries and descriptions with diacritics, commas and
semicolons (escaped), long lines (folded), 200 plans, 150 units, 30 movements. Deterministic.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator import ledger  # noqa: E402
from generator.feeds import FEEDS_DIR, TASK, CalEvent, Feed, Schedule, calendar_head, event_bytes, render_feeds  # noqa: E402

SITE = "https://planpub.github.io/planpub/"
TARGET_SECONDS = 1.0
VERBS = ["Gửi báo cáo", "Tổ chức", "Xây dựng kế hoạch", "Tổng kết", "Đăng ký thi đua", "Hoàn thiện hồ sơ", "Kiểm tra"]
OBJECTS = [
    "phong trào thi đua “Dạy tốt - Học tốt”",
    "công tác thi đua, khen thưởng năm học",
    "sáng kiến kinh nghiệm; đề tài khoa học",
    "danh sách cá nhân, tập thể đề nghị khen thưởng",
    "hội thi giáo viên dạy giỏi cấp huyện",
]


def synthetic(n: int) -> Schedule:
    rng = random.Random(0)
    events: list[CalEvent] = []
    for i in range(n):
        plan = f"2024-synth-{i % 200:03d}"
        unit = f"truong-{rng.randrange(150):03d}"
        movement = f"phong-trao-{rng.randrange(30):02d}"
        due = date(2023, 9, 1) + timedelta(days=rng.randrange(365))
        text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (đợt {i})"
        year = f"{due.year if due.month >= 9 else due.year - 1}-{(due.year if due.month >= 9 else due.year - 1) + 1}"
        events.append(
            CalEvent(
                uid=f"nhiem-vu-{i}@{plan}.planpub",
                kind=TASK,
                summary=f"{text} ({i % 200}/KH-PGDĐT)",
                body=(
                    text,
                    f"Thời hạn (nguyên văn): Trước ngày {format(due + timedelta(days=1))}",
                    f"Hạn cuối (ngày cuối cùng còn thực hiện): {format(due)}",
                    "Đơn vị thực hiện: Các trường Mầm non, Tiểu học, THCS; Tổ chuyên môn",
                    f"Kế hoạch {i % 200}/KH-PGDĐT: Công tác thi đua, khen thưởng năm học 2023-2024",
                    "Cơ quan ban hành: Phòng Giáo dục và Đào tạo quận Thanh Xuân",
                ),
                links=(("Xem kế hoạch", f"ke-hoach/{plan}/"),),
                start=due,
                end=due + timedelta(days=1),
                page=f"ke-hoach/{plan}/",
                categories=("Thời hạn nhiệm vụ", f"{i % 200}/KH-PGDĐT"),
                updated=date(2024, 1, 2),
                feeds=(
                    f"{FEEDS_DIR}/tat-ca.ics",
                    f"{FEEDS_DIR}/ke-hoach/{plan}.ics",
                    f"{FEEDS_DIR}/don-vi/{unit}.ics",
                    f"{FEEDS_DIR}/phong-trao/{movement}.ics",
                    f"{FEEDS_DIR}/nam-hoc/{year}.ics",
                ),
            )
        )
    events.sort(key=lambda e: (e.start, e.end, e.uid))
    paths = sorted({p for e in events for p in e.feeds})
    feeds = [Feed(p, "all", p, f"Thời hạn: {p}", f"Lịch {p}; thử, đo") for p in paths]
    members: dict[str, list[str]] = {p: [] for p in paths}
    for e in events:
        for p in e.feeds:
            members[p].append(e.uid)
    return Schedule(events, feeds, members)


def format(day: date) -> str:  # noqa: A001 - local helper, dd/mm/yyyy as printed
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def best(repeat: int, fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive", action="store_true", help="also time one icalendar Calendar with every event")
    args = parser.parse_args(argv)

    sched = synthetic(args.events)
    entries = ledger.update({}, sched.current())[0]
    everything = next(f for f in sched.feeds if f.path == f"{FEEDS_DIR}/tat-ca.ics")

    serialise, cache = best(args.repeat, lambda: {e.uid: event_bytes(e, entries[e.uid], SITE) for e in sched.events})
    assemble, feed = best(
        args.repeat,
        lambda: calendar_head(everything, SITE) + b"".join(cache[u] for u in sched.members[everything.path]) + b"END:VCALENDAR\r\n",
    )
    five = best(1, lambda: render_feeds(sched, entries, SITE))[0]
    cold = serialise + assemble

    print(f"{args.events} events, {len(sched.feeds)} feeds, all-deadlines feed {len(feed) / 1e6:.1f} MB")
    print(f"  serialise each event once (icalendar) {serialise:8.3f} s   ({serialise / args.events * 1e6:.0f} µs/event)")
    print(f"  assemble the all-deadlines feed       {assemble:8.3f} s   target ≤ {TARGET_SECONDS:.1f} s: "
          f"{'met' if assemble <= TARGET_SECONDS else 'MISSED'}")
    print(f"  cold: all-deadlines feed from nothing {cold:8.3f} s")
    print(f"  every feed (render_feeds, 5 per event){five:8.3f} s")
    if args.naive:
        from icalendar import Calendar

        def naive() -> bytes:
            cal = Calendar.from_ical(calendar_head(everything, SITE) + b"END:VCALENDAR\r\n")
            for e in sched.events:
                cal.add_component(Calendar.from_ical(cache[e.uid]))
            return cal.to_ical()

        seconds = best(1, naive)[0]
        print(f"  naive: one Calendar.to_ical()         {seconds:8.3f} s   (and again for each of the other feeds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
