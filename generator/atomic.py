"""Writing editors' files so that no interruption (Ctrl-C, a kill, a full disk) leaves half a file.

The text goes to a temporary file in the same folder, is flushed to disk, and only then takes the
file's name in one step (os.replace, or os.link when an existing file must never be overwritten).
The temporary name ends in `.tmp`, which no planpub loader reads, and is removed on any failure.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _temporary(path: Path, text: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def replace_text(path: Path, text: str) -> None:
    """Write `text` to `path`, replacing it whole (keeps the old file's permission bits)."""
    tmp = _temporary(path, text)
    try:
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def create_text(path: Path, text: str) -> None:
    """Write a new file; FileExistsError if `path` exists (never overwritten, even in a race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path, text)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
