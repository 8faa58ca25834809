"""`mkdocs serve` (what `planpub serve` runs) rebuilds when a plan changes, and survives a broken plan."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, make_project

PLAN = "plans/2024/2024-mau-01.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, seconds: float = 40.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture()
def served(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "mini" / "plans")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],  # as planpub serve runs it
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        # PYTHONPATH: this checkout's generator, not whatever planpub pip installed last
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT)),
    )
    base = f"http://127.0.0.1:{port}/planpub/ke-hoach/2024-mau-01/"
    try:
        assert wait_for(lambda: "Công tác thi đua năm 2024" in fetch(base)), (tmp_path / "serve.log").read_text()
        yield project, base, tmp_path / "serve.log"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def edit(project: Path, old: str, new: str) -> None:
    path = project / PLAN
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_serve_reloads_on_plan_change_and_recovers_from_errors(served):
    project, url, log = served
    edit(project, "title: Công tác thi đua năm 2024", "title: Công tác thi đua năm 2024 (sửa lần một)")
    assert wait_for(lambda: "sửa lần một" in fetch(url)), log.read_text()

    edit(project, "place: Mẫu", "place: Mẫu\ntitel: gõ nhầm")
    assert wait_for(lambda: "có phải “title”?" in log.read_text()), log.read_text()
    assert "Traceback" not in log.read_text()

    edit(project, "titel: gõ nhầm\n", "")
    edit(project, "(sửa lần một)", "(sửa lần hai)")
    assert wait_for(lambda: "sửa lần hai" in fetch(url)), log.read_text()


def long_poll(url: str) -> int:
    """What an open page's live-reload script waits on: the site's version, once it is newer."""
    with urllib.request.urlopen(url, timeout=90) as response:
        return int(response.read())


def test_an_edited_plan_shows_before_the_rest_is_rebuilt_and_open_pages_reload_again_after(served):
    project, url, log = served
    epoch = int(re.search(r"livereload\((\d+), \d+\)", fetch(url))[1])
    origin = url[: url.index("/planpub/")]
    edit(project, "title: Công tác thi đua năm 2024", "title: Công tác thi đua năm 2024 (sửa lần một)")

    shown = long_poll(f"{origin}/livereload/{epoch}/1")  # the open page reloads: its plan's page is written
    assert shown > epoch
    assert "sửa lần một" in fetch(url)
    assert "đã hiện trang của 1 kế hoạch vừa sửa" in log.read_text()

    # and once more when the whole site is rebuilt: by then the pages that list the plan show the edit
    rebuilt = long_poll(f"{origin}/livereload/{shown}/2")
    assert rebuilt > shown, log.read_text()
    assert "sửa lần một" in fetch(url) and "sửa lần một" in fetch(origin + "/planpub/ke-hoach/")
