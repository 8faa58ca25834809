"""Progress on a terminal (stage and count), and not a byte of it in a pipe or with -q."""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import subprocess
import sys

from conftest import FIXTURES, ROOT
from generator import progress


def run_on_terminal(*args: str) -> tuple[int, str, str]:
    """Run planpub with stderr on a pseudo-terminal; (exit code, stdout, what the terminal showed)."""
    controller, terminal = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=terminal, env=env
    )
    os.close(terminal)
    shown = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    stdout = process.communicate(timeout=120)[0]
    os.close(controller)
    return process.returncode, stdout.decode("utf-8"), shown.decode("utf-8", "replace")


def test_check_shows_stages_and_counts_on_a_terminal(tmp_path):
    project = shutil.copytree(FIXTURES / "mini", tmp_path / "mini", ignore=shutil.ignore_patterns(".cache"))  # no kept report
    code, stdout, shown = run_on_terminal("--project", str(project), "check")
    assert code == 0, shown
    assert "planpub: Đọc danh mục 2/2" in shown and "planpub: Đọc kế hoạch 1/1" in shown
    assert "planpub: Kiểm tra sổ lịch" in shown
    assert "\r\x1b[K" in shown  # the progress line is cleared: the report is what stays on screen
    assert stdout.startswith("planpub check: 1 kế hoạch")


def test_quiet_and_pipes_show_no_progress():
    code, _, shown = run_on_terminal("--project", str(FIXTURES / "mini"), "check", "-q")
    assert code == 0 and "Đọc kế hoạch" not in shown and "\x1b" not in shown
    piped = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(FIXTURES / "mini"), "check"],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert piped.returncode == 0 and "Đọc" not in piped.stderr and "\x1b" not in piped.stderr


def test_stage_counts_and_throttles(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv(progress.ENV, "0")  # restored after the test
    screen = Terminal()
    assert progress.enable(stream=screen)
    try:
        with progress.stage("Đọc kế hoạch", 5000) as step:
            for _ in range(5000):
                step()
    finally:
        progress.enable(quiet=True)
    text = screen.getvalue()
    assert "planpub: Đọc kế hoạch 5000/5000" in text
    assert text.count("\r") < 100  # redrawn a few times, not 5000
    assert not progress.enable(stream=io.StringIO())  # not a terminal: nothing shown
