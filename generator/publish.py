"""`planpub build`: run `mkdocs build --strict` into a staging folder and swap the result in.

The site and the project are never lost:
- the site folder may not be, contain or lie inside the project's sources (the project itself,
  plans/, the docs folder, site_templates/, generator/, .git), and an existing folder is replaced
  only when it is a built site;
- builds of one folder are serialised by a lock (flock on the folder that holds the site, released
  by the kernel even when a build is killed);
- the site is built beside its final place, in `.planpub-<name>-…`, and swapped in with one atomic
  exchange of the two folders (Linux renameat2 RENAME_EXCHANGE): at every instant `site/` is the
  old site or the new one, whole. `site/` stays a real folder, so a web server or `rsync` serving it
  sees nothing new. Where the exchange is not available (not Linux, or a file system without it),
  two renames are used and a reader may find no `site/` for the instant between them.
- SIGINT/SIGTERM stop the mkdocs child and remove the staging folder; a SIGKILL leaves them behind,
  the child dies with its parent (PR_SET_PDEATHSIG), and the next build removes the leftovers.
- mkdocs' own output is shown, and every warning fails the build (strict, never --quiet); a
  mkdocs.yml without the planpub plugin, which would publish a site without plans, is refused.
- full disk and read-only folders end in one Vietnamese sentence, exit 1, the old site untouched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import yaml

STAGING_PREFIX = ".planpub-"
# Folders of a project that a site must never replace (besides the project itself and its docs_dir).
SOURCES = ("plans", "site_templates", "generator", ".git")
SITE_MARKERS = ("index.html", "404.html", "sitemap.xml")
# For the fault tests only: stop at a named moment of the build until killed.
PAUSE_VARIABLE = "PLANPUB_TEST_PAUSE"


class PublishError(Exception):
    """A refusal or a failure, as one Vietnamese sentence; the old site is untouched."""


class Stopped(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass(frozen=True)
class Project:
    root: Path
    config: Path
    docs_dir: Path


# ---- checks before anything is written ------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its plain settings; tags (!!python/name:…, !ENV …) are left unresolved."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_project(root: Path) -> Project:
    config = root / "mkdocs.yml"
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except OSError:
        raise PublishError(f"không đọc được {config}: cần tệp mkdocs.yml ở thư mục dự án") from None
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise PublishError(f"mkdocs.yml không đọc được ({err.__class__.__name__}): hãy sửa cú pháp YAML") from None
    if not isinstance(data, dict):
        raise PublishError("mkdocs.yml phải là một bảng khóa–giá trị")
    plugins = data.get("plugins", ["search"])
    names = [next(iter(item)) if isinstance(item, dict) and item else item for item in plugins or []]
    if "planpub" not in names:
        raise PublishError(
            "mkdocs.yml không khai báo plugin planpub (mục “plugins:” cần có “- planpub”): "
            "trang dựng ra sẽ không có kế hoạch nào, nên planpub không xây dựng"
        )
    docs_dir = (root / str(data.get("docs_dir") or "docs")).resolve()
    return Project(root, config, docs_dir)


def site_dir_problem(project: Project, target: Path) -> str | None:
    """Why a folder may not receive the site, or None."""
    root = project.root
    if target == root or root.is_relative_to(target):
        return f"thư mục đích {target} là hoặc chứa thư mục dự án {root}: xây dựng vào đó sẽ xoá cả dự án"
    for source in (project.docs_dir, *(root / name for name in SOURCES)):
        if target == source or target.is_relative_to(source) or source.is_relative_to(target):
            return f"thư mục đích {target} trùng, chứa hoặc nằm trong {source}, nơi chứa mã nguồn của dự án"
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return f"{target} không phải thư mục: planpub chỉ thay một thư mục trang đã xây dựng"
    if target.is_dir() and any(target.iterdir()) and not any((target / name).is_file() for name in SITE_MARKERS):
        return f"thư mục {target} có nội dung nhưng không phải trang đã xây dựng (không có index.html): planpub không ghi đè"
    return None


# ---- the build ------------------------------------------------------------------------------------


def build(root: Path, site_dir: Path | None) -> int:
    """Check-free part of `planpub build` (the caller has run `check`): exit code, messages printed."""
    target = (site_dir or root / "site").resolve()
    try:
        project = read_project(root)
        problem = site_dir_problem(project, target)
        if problem:
            raise PublishError(problem)
        with _signals_raise(), _locked(target):
            _remove_leftovers(target)
            _build_and_swap(project, target)
    except PublishError as err:
        print(f"planpub build: {err}", file=sys.stderr)
        return 1
    except Stopped as stop:
        print(f"planpub build: đã dừng ({stop}) — trang cũ được giữ nguyên, thư mục tạm đã được xoá", file=sys.stderr)
        return 128 + stop.signum
    except OSError as err:
        reason = _REASONS.get(err.errno or 0)
        sentence = f"không ghi được trang vào {target}: {reason}" if reason else os_error_sentence(err)
        print(f"planpub build: {sentence} — trang cũ được giữ nguyên", file=sys.stderr)
        return 1
    print(f"planpub build: đã xây dựng trang vào {target}")
    return 0


def _build_and_swap(project: Project, target: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
    try:
        _readable_like_a_new_folder(staging)
        _pause("staging")
        _run_mkdocs(project, staging, target)
        if not (staging / "index.html").is_file():
            raise PublishError("mkdocs không tạo ra trang chủ (index.html) — trang cũ được giữ nguyên")
        _pause("staged")
        swap(staging, target)
        _pause("swapped")
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # the new site's staging folder, or the old site


def _readable_like_a_new_folder(path: Path) -> None:
    """mkdtemp makes a private (0700) folder; the site must be readable by the web server."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o777 & ~mask)


def _run_mkdocs(project: Project, staging: Path, target: Path) -> None:
    """mkdocs build --strict in a child that dies with us; its warnings shown as they come."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project.config), "-d", str(staging)]
    child = subprocess.Popen(
        command, cwd=project.root, stdout=sys.stdout, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        errors="replace", preexec_fn=_die_with_parent,
    )
    try:
        failure = _relay(child.stderr)
        code = child.wait()
    finally:
        _stop(child)
    if code == 0:
        return
    if isinstance(failure, int):
        raise PublishError(f"không ghi được trang vào {target}: {_REASONS[failure]} — trang cũ được giữ nguyên")
    if failure:
        raise PublishError(f"mkdocs dừng vì lỗi: {failure} — trang cũ được giữ nguyên")
    raise PublishError("mkdocs báo lỗi hoặc cảnh báo (xem ở trên) — trang cũ được giữ nguyên")


_ERRNO = re.compile(r"\[Errno (\d+)\]")


def _relay(stream) -> int | str | None:
    """Copy the child's warnings and errors to our stderr (mkdocs' progress lines, INFO, are left
    out). A Python traceback, and mkdocs' own line about a full disk or a read-only folder, are held
    back and summed up instead (PLANPUB_DEBUG=1 shows them): the errno of a write error, else the
    traceback's last line."""
    held: list[str] = []
    for line in stream:
        if held or line.startswith("Traceback (most recent call last):") or _write_errno(line):
            held.append(line)
        elif not line.startswith("INFO "):
            sys.stderr.write(line)
            sys.stderr.flush()
    if not held:
        return None
    if os.environ.get("PLANPUB_DEBUG"):
        sys.stderr.write("".join(held))
    return next((code for line in reversed(held) if (code := _write_errno(line))), held[-1].strip())


def _write_errno(line: str) -> int | None:
    found = _ERRNO.search(line)
    code = int(found.group(1)) if found else None
    return code if code in _REASONS else None


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _die_with_parent() -> None:  # in the child, before exec
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


# ---- the swap -------------------------------------------------------------------------------------


def swap(new: Path, target: Path) -> None:
    """Put the folder `new` at `target`; afterwards `new` holds the old site (or nothing)."""
    if not target.exists() and not target.is_symlink():
        os.rename(new, target)
        return
    if _exchange(new, target):
        return
    old = new.with_name(new.name + "-old")
    os.rename(target, old)  # the one instant without a site, where no exchange is available
    os.rename(new, target)
    os.rename(old, new)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _staging_prefix(target: Path) -> str:
    return f"{STAGING_PREFIX}{target.name}-"


def _remove_leftovers(target: Path) -> None:
    """Staging folders of builds that were killed (we hold the lock: no other build is running)."""
    for path in target.parent.glob(_staging_prefix(target) + "*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    import fcntl

    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"planpub build: một lần xây dựng khác đang ghi vào {target.parent}; đang chờ nó xong…", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP unwind like Ctrl+C, so `finally` blocks clean up."""

    def handler(signum, frame):
        raise Stopped(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _pause(moment: str) -> None:
    if os.environ.get(PAUSE_VARIABLE) == moment:
        print(f"planpub-test-pause: {moment}", file=sys.stderr, flush=True)
        while True:
            signal.pause()


# ---- messages -------------------------------------------------------------------------------------

_REASONS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.EROFS: "thư mục chỉ cho phép đọc (read-only)",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không được phép ghi",
}


WRITE_ERRORS = frozenset(_REASONS)


def os_error_sentence(err: OSError) -> str:
    """One Vietnamese sentence for a file-system failure."""
    reason = _REASONS.get(err.errno or 0, err.strerror or str(err))
    where = f" {err.filename}" if err.filename else ""
    return f"không ghi được{where}: {reason}"
