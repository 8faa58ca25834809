"""Progress of long work (`check`, `build`, `calendar` on thousands of plans): stage and count.

Shown on one terminal line that rewrites itself and is cleared at the end of each stage; nothing at
all unless the command enabled it *and* standard error is a terminal, so logs, pipes, CI and tests
see exactly the output they saw before. `planpub build` passes the choice to its mkdocs child
through PLANPUB_PROGRESS=1 or 0. The rest of the code only calls `stage()`; it never knows whether
anything is shown.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TextIO

ENV = "PLANPUB_PROGRESS"
_INTERVAL = 0.1  # seconds between two redraws: thousands of steps cost nothing
_stream: TextIO | None = None


def enable(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """Show progress on `stream` (standard error) if it is a terminal and not `quiet`; remember it
    in the environment for child processes. Returns whether progress is shown."""
    global _stream
    stream = stream or sys.stderr
    on = not quiet and _is_terminal(stream)
    _stream = stream if on else None
    os.environ[ENV] = "1" if on else "0"
    return on


def enable_from_environment(stream: TextIO | None = None) -> None:
    """For a child process (the mkdocs plugin): do what the planpub command decided."""
    if os.environ.get(ENV) == "1":
        global _stream
        stream = stream or sys.stderr
        _stream = stream if _is_terminal(stream) else None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _noop(count: int = 1) -> None:
    pass


@contextmanager
def stage(name: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """`with stage("Đọc kế hoạch", n) as step: … step()`: a counted stage (total may be unknown)."""
    stream = _stream
    if stream is None:
        yield _noop
        return
    done = 0
    shown = 0.0

    def draw() -> None:
        count = f" {done}/{total}" if total is not None else (f" {done}" if done else "…")
        stream.write(f"\r\x1b[Kplanpub: {name}{count}")
        stream.flush()

    def step(count: int = 1) -> None:
        nonlocal done, shown
        done += count
        now = time.monotonic()
        if now - shown >= _INTERVAL or done == total:
            shown = now
            draw()

    draw()
    try:
        yield step
    finally:
        stream.write("\r\x1b[K")
        stream.flush()
