"""Memory in bulk: the cyclic garbage collector paused while planpub makes its objects, freed
memory given back before a second process needs it, and generated pages kept compressed.

Loading a thousand plans makes millions of objects that all stay alive; the collector, which runs
every few hundred allocations, walks them again and again for nothing: it was half the time of
loading the corpus (measured at 1,000 plans: load_project 2.2–2.6 s → 1.0–1.25 s, `planpub check`
after one edit about a third faster; peak memory the same, since these stages make almost no cycles).
Reference counting still frees everything as usual; the collector runs again afterwards.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import zlib
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def give_back_memory() -> bool:
    """Return the freed parts of the heap to the system (glibc's malloc_trim); False where there is
    no glibc (macOS, musl), which changes nothing else.

    Freed memory stays in the process otherwise: the pages' HTML is made of blocks of tens of KB,
    which glibc keeps for later, so a build that has let go of every page still holds their memory
    while Pagefind, a second process, indexes them. Measured at 300 plans: the mkdocs process from
    360 to 151 MiB at that point, the peak of the whole build from 540 to 358 MiB.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@functools.cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


class Packed:
    """A generated page's text kept compressed until it is read: its Markdown until the site engine
    renders it, its HTML between the engine's two passes (generator/plugin.py).

    Python holds Vietnamese text at two bytes a character (ư, ế are beyond Latin-1): the Markdown of
    every page of 1,000 plans is 94 M characters, 188 MiB, held from the render until the engine
    has rendered the last page. Compressed (zlib, fastest level) it is about a tenth of that, and it
    is compressed where it is rendered, so a forked worker sends back the small form.
    """

    __slots__ = ("data",)

    def __init__(self, text: str) -> None:
        self.data = zlib.compress(text.encode("utf-8"), 1)

    def text(self) -> str:
        return zlib.decompress(self.data).decode("utf-8")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Packed) and self.text() == other.text()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Packed({len(self.data)} bytes)"


def unpacked(value: "str | bytes | Packed") -> "str | bytes":
    """A generated file's content as text (or bytes, for a binary file), whether packed or not."""
    return value.text() if isinstance(value, Packed) else value
