"""Every regular expression of the code base runs in linear time (issue 8): each compiled pattern of
a generator module searches 50,000 characters of every repeated printable character, and of the
two- and three-character shapes that broke before, in well under a second. A pattern with nested or
adjacent unbounded quantifiers over the same characters takes minutes on one of these."""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
import time

import pytest

import generator

N = 50_000
# dates.py has its own worst-shape test (tests/test_dates.py); every other module is here.
SKIP = {"generator.dates"}
SHAPES = [c * N for c in string.printable] + [
    s * (N // len(s))
    for s in ("*x ", "**x ", "__x ", "_x ", "[a](", "![", "[]", "<a", "< ", "on", "a-", "-a", "0/", "1 ", "&#", "{{", "{%", "\\[", "`a", "a\n", ". ", "Errno ")
] + ["<" + " " * N, "javascript" + " " * N, "[" * N + "a](", "1" * N + "e"]


def patterns() -> list[tuple[str, re.Pattern]]:
    found = []
    for info in pkgutil.iter_modules(generator.__path__):
        name = f"generator.{info.name}"
        if name in SKIP:
            continue
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.append((f"{name}.{attr}", value))
    return found


PATTERNS = patterns()


def test_the_patterns_are_found():
    names = {name for name, _ in PATTERNS}
    assert {"generator.markup._LINK", "generator.corpus._MARKUP", "generator.text._EMPHASIS", "generator.load.CONTROL"} <= names


@pytest.mark.parametrize("name, pattern", PATTERNS, ids=[name for name, _ in PATTERNS])
def test_pattern_is_linear_on_the_worst_shapes(name, pattern):
    slowest = (0.0, "")
    for shape in SHAPES:
        started = time.perf_counter()
        for _ in pattern.finditer(shape):
            pass
        pattern.fullmatch(shape)
        elapsed = time.perf_counter() - started
        slowest = max(slowest, (elapsed, repr(shape[:12])))
    assert slowest[0] < 1.0, f"{name} took {slowest[0]:.2f} s on {slowest[1]}… ({N:,} characters)"
