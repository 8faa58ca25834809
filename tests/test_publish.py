"""`planpub build` can lose neither the site nor the project (issue 8): refused site folders, strict
mode, kill -9 at every moment of a build, SIGTERM/SIGINT, concurrent builds, a full disk and
read-only folders (real tmpfs and read-only bind mounts: the tests run as root, like CI)."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from conftest import FIXTURES, ROOT, make_project
from generator.publish import PAUSE_VARIABLE, STAGING_PREFIX
from test_load import planpub, snapshot

MINI_PLANS = FIXTURES / "mini" / "plans"
PAGE = "content/huong-dan/bien-tap.md"


def build_command(project: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "generator.cli", "--project", str(project), "build", "--site-dir", str(site)]


def env(**extra: str) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if k not in ("PLANPUB_DEBUG", PAUSE_VARIABLE)}
    values.update(PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1", **extra)
    return values


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(STAGING_PREFIX))


def one_sentence(stderr: str, *fragments: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    for fragment in fragments:
        assert fragment in lines[0], stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    """A project and its site, built once: (project, site, the site's files)."""
    base = tmp_path_factory.mktemp("publish")
    project = make_project(base / "project", MINI_PLANS)
    site = base / "out" / "site"
    done = planpub(project, "build", "--site-dir", str(site))
    assert done.returncode == 0, done.stdout + done.stderr
    return project, site, snapshot(site)


@pytest.fixture
def fresh(built, tmp_path) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of the built project and site, with a changed page so that a new build differs."""
    project, site, files = built
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    target = tmp_path / "out" / "site"
    shutil.copytree(site, target)
    page = copy / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\nĐoạn mới của bản dựng sau.\n", encoding="utf-8")
    return copy, target, files


# ---- folders a build must never replace -----------------------------------------------------------


@pytest.mark.parametrize("where", [".", "plans", "content", ".git", "site_templates", "plans/2024", "..", "mkdocs.yml", "notes"])
def test_site_dir_that_would_replace_the_project_is_refused(tmp_path, where):
    project = make_project(tmp_path / "project", MINI_PLANS)
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (project / "notes").mkdir()
    (project / "notes" / "ghi-chu.txt").write_text("không phải trang web", encoding="utf-8")
    before = snapshot(tmp_path)
    done = planpub(project, "build", "--site-dir", str(project / where))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("planpub build: ")
    assert snapshot(tmp_path) == before  # nothing written, nothing removed


def test_a_built_site_or_an_empty_folder_is_replaced(tmp_path):
    project = make_project(tmp_path / "project", MINI_PLANS)
    empty = tmp_path / "empty"
    empty.mkdir()
    done = planpub(project, "build", "--site-dir", str(empty))
    assert done.returncode == 0, done.stderr
    assert (empty / "index.html").is_file() and leftovers(empty) == []
    mask = os.umask(0)
    os.umask(mask)
    assert empty.stat().st_mode & 0o777 == 0o777 & ~mask  # like any new folder (mkdtemp's is private)


# ---- strict means strict -------------------------------------------------------------------------


def test_a_broken_link_in_content_fails_the_build_and_is_shown(fresh):
    project, site, old = fresh
    page = project / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n[hỏng](khong-co-trang-nay.md)\n", encoding="utf-8")
    done = planpub(project, "build", "--site-dir", str(site))
    assert done.returncode == 1
    assert "khong-co-trang-nay.md" in done.stderr and "WARNING" in done.stderr  # mkdocs' warning, shown
    assert "trang cũ được giữ nguyên" in done.stderr
    assert snapshot(site) == old and leftovers(site) == []


def test_a_config_without_the_planpub_plugin_is_refused(fresh):
    project, site, old = fresh
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - planpub\n" in text
    config.write_text(text.replace("\n  - planpub\n", "\n"), encoding="utf-8")
    done = planpub(project, "build", "--site-dir", str(site))
    assert done.returncode == 1
    one_sentence(done.stderr, "plugin planpub")
    assert snapshot(site) == old and leftovers(site) == []


def test_an_empty_source_date_epoch_does_not_crash(fresh):
    project, site, _ = fresh
    done = subprocess.run(build_command(project, site), capture_output=True, text=True, env=env(SOURCE_DATE_EPOCH=""), timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    direct = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project.parent / "direct")],
        cwd=project, capture_output=True, text=True, env=env(SOURCE_DATE_EPOCH=""), timeout=300,
    )
    assert direct.returncode == 0, direct.stderr
    assert snapshot(project.parent / "direct") == snapshot(site)  # the commit's date, as without the variable


# ---- kill -9, SIGTERM, SIGINT at every moment -----------------------------------------------------


class Build:
    """`planpub build` running in the background, its stderr read line by line."""

    def __init__(self, project: Path, site: Path, pause: str | None = None) -> None:
        extra = {PAUSE_VARIABLE: pause} if pause else {}
        self.process = subprocess.Popen(
            build_command(project, site), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env(**extra)
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.stderr.append(line)
            self.lines.put(line)

    def wait_for_line(self, fragment: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if fragment in self.lines.get(timeout=0.5):
                    return
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.stderr)
        raise AssertionError(f"no line with {fragment!r}: {''.join(self.stderr)}")

    def wait_for_mkdocs(self, timeout: float = 120) -> int:
        """The pid of the mkdocs child, as soon as it runs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for pid in children(self.process.pid):
                if "mkdocs" in cmdline(pid):
                    return pid
            assert self.process.poll() is None, "".join(self.stderr)
            time.sleep(0.02)
        raise AssertionError("mkdocs never started")

    def finish(self, timeout: float = 120) -> int:
        return self.process.wait(timeout=timeout)


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
        except OSError:
            return True
        if state == "Z":  # dead, waiting for its (new) parent to reap it
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("moment", ["staging", "mkdocs", "staged", "swapped"])
def test_kill_9_at_any_moment_leaves_a_whole_site(fresh, moment):
    project, site, old = fresh
    build = Build(project, site, pause=None if moment == "mkdocs" else moment)
    child = None
    if moment == "mkdocs":
        child = build.wait_for_mkdocs()
    else:
        build.wait_for_line(f"planpub-test-pause: {moment}")
    build.process.kill()
    build.finish()
    if child is not None:
        assert gone(child), f"mkdocs child {child} outlived its parent"
    after = snapshot(site)
    if moment == "swapped":
        assert after != old and "Đoạn mới của bản dựng sau." in after["huong-dan/bien-tap/index.html"].decode()
    else:
        assert after == old  # the previous site, whole
    done = subprocess.run(build_command(project, site), capture_output=True, text=True, env=env(), timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert leftovers(site) == []  # the next build removed what the killed one left
    assert "Đoạn mới của bản dựng sau." in (site / "huong-dan/bien-tap/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_stop_mkdocs_and_clean_up(fresh, signum, code):
    project, site, old = fresh
    build = Build(project, site)
    child = build.wait_for_mkdocs()
    build.process.send_signal(signum)
    assert build.finish() == code, "".join(build.stderr)
    assert gone(child), "mkdocs still runs"
    assert "đã dừng" in "".join(build.stderr) and "Traceback" not in "".join(build.stderr)
    assert snapshot(site) == old and leftovers(site) == []


def test_concurrent_builds_are_serialised_and_both_succeed(fresh):
    project, site, _ = fresh
    builds = [Build(project, site) for _ in range(2)]
    codes = [b.finish() for b in builds]
    assert codes == [0, 0], ["".join(b.stderr) for b in builds]
    assert (site / "index.html").is_file() and leftovers(site) == []
    assert "Đoạn mới của bản dựng sau." in (site / "huong-dan/bien-tap/index.html").read_text(encoding="utf-8")


# ---- a full disk, a read-only folder ----------------------------------------------------------------


def run_root(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)}: {done.stderr} (these tests need root, as on CI)"


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    run_root("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextmanager
def read_only(path: Path) -> Iterator[Path]:
    run_root("mount", "--bind", str(path), str(path))
    try:
        run_root("mount", "-o", "remount,bind,ro", str(path))
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def fill(disk: Path, keep: int) -> None:
    """Fill a file system until only `keep` bytes (about) are free."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(disk / "filler", "wb") as handle:
        handle.write(b"\0" * max(free - keep, 0))


def test_a_full_disk_ends_in_one_sentence_and_keeps_the_old_site(fresh, tmp_path):
    project, site, old = fresh
    with tmpfs(tmp_path / "disk", "64m") as disk:
        target = disk / "site"
        shutil.copytree(site, target)
        fill(disk, keep=256 * 1024)
        done = subprocess.run(build_command(project, target), capture_output=True, text=True, env=env(), timeout=300)
        assert done.returncode == 1, done.stdout + done.stderr
        one_sentence(done.stderr, f"planpub build: không ghi được trang vào {target}: ổ đĩa đã đầy", "trang cũ được giữ nguyên")
        assert snapshot(target) == old and leftovers(target) == []


def test_a_read_only_folder_ends_in_one_sentence(fresh):
    project, site, old = fresh
    with read_only(site.parent):
        done = subprocess.run(build_command(project, site), capture_output=True, text=True, env=env(), timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    one_sentence(done.stderr, "planpub build:", "chỉ cho phép đọc", "trang cũ được giữ nguyên")
    assert snapshot(site) == old and leftovers(site) == []


def _stale_ledger(project: Path) -> bytes:
    """Change a task's deadline so that `planpub calendar` has to write; the ledger as it was."""
    plan = project / "plans/2024/2024-mau-01.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Tháng 05/2024", "Tháng 06/2024"), encoding="utf-8")
    return (project / "plans/_ledger/calendar.json").read_bytes()


def test_calendar_on_a_read_only_plans_folder_ends_in_one_sentence(fresh):
    project, _, _ = fresh
    ledger = _stale_ledger(project)
    with read_only(project / "plans"):
        done = planpub(project, "calendar")
    assert done.returncode == 1, done.stdout + done.stderr
    one_sentence(done.stderr, "chỉ cho phép đọc", "calendar.json")
    assert (project / "plans/_ledger/calendar.json").read_bytes() == ledger
    assert not list((project / "plans").rglob("*.tmp"))


def test_calendar_on_a_full_disk_leaves_no_tmp_file(fresh):
    project, _, _ = fresh
    ledger_dir = project / "plans/_ledger"
    ledger = _stale_ledger(project)
    saved = ledger_dir.parent / "ledger-saved"
    shutil.copytree(ledger_dir, saved)
    with tmpfs(ledger_dir, "1m") as disk:
        shutil.copy(saved / "calendar.json", disk / "calendar.json")
        fill(disk, keep=0)
        done = planpub(project, "calendar")
        assert done.returncode == 1, done.stdout + done.stderr
        one_sentence(done.stderr, "ổ đĩa đã đầy")
        assert (disk / "calendar.json").read_bytes() == ledger
        assert sorted(p.name for p in disk.iterdir()) == ["calendar.json", "filler"]  # no calendar.json.tmp
