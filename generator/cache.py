"""Content-keyed stores kept between builds, under the project's .cache/planpub/ (git-ignored).

A store maps a key to bytes. A key names everything the bytes were made from (the input's bytes,
the code that made them, the library versions), so a key found always holds what the code would
make again: a cache can make a build faster, never different. A store that cannot be opened, read
or written (read-only disk, a corrupt or foreign file, a folder in the way) is simply not used:
every lookup misses and nothing is kept.

Kept values are our own objects (pickled) or bytes we serialised; the folder is the project's own,
like its .git, and never published.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sqlite3
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

CACHE_DIR = Path(".cache") / "planpub"
OFF = "PLANPUB_CACHE"  # PLANPUB_CACHE=0: no store is opened (every lookup misses, nothing is kept)
PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "icalendar", "segno", "nh3", "Jinja2", "Markdown")
CHUNK = 500  # keys per SQL query (SQLite's limit on parameters is 999 in old builds)


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of planpub's own code, Python's version and the libraries that shape its output."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    return digest.hexdigest()


def key(*parts: str | bytes) -> str:
    """One key for several parts (never ambiguous: each part's length is hashed before it)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class Store:
    """key → bytes in one SQLite table of a file under .cache/planpub/."""

    def __init__(self, path: Path, table: str) -> None:
        self.path, self.table = path, table
        self.db: sqlite3.Connection | None = None
        if os.environ.get(OFF, "").strip() == "0":
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=10)
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        except (OSError, sqlite3.Error):
            self.close()

    def get(self, keys: Iterable[str]) -> dict[str, bytes]:
        if self.db is None:
            return {}
        wanted = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}
        try:
            for i in range(0, len(wanted), CHUNK):
                chunk = wanted[i : i + CHUNK]
                rows = self.db.execute(f"SELECT key, value FROM {self.table} WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                found.update((k, bytes(v)) for k, v in rows)
        except sqlite3.Error:
            return {}
        return found

    def put(self, items: Mapping[str, bytes]) -> None:
        if self.db is None or not items:
            return
        try:
            with self.db:
                self.db.executemany(f"INSERT OR REPLACE INTO {self.table} (key, value) VALUES (?, ?)", items.items())
        except sqlite3.Error:
            pass

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget every value but these (what this project's last build used), once the store holds
        more than twice as many: an old code version's values never pile up."""
        if self.db is None:
            return
        live = list(dict.fromkeys(keys))
        try:
            (count,) = self.db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()
            if count <= 2 * len(live) + 16:
                return
            with self.db:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
                self.db.execute("DELETE FROM live")
                self.db.executemany("INSERT OR IGNORE INTO live (key) VALUES (?)", ((k,) for k in live))
                self.db.execute(f"DELETE FROM {self.table} WHERE key NOT IN (SELECT key FROM live)")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> Any | None:
    """A kept object, or None when its bytes cannot be read back (then it is made again)."""
    try:
        return pickle.loads(data)
    except Exception:  # a truncated or foreign value: a miss, never a failure
        return None
