"""ASCII slugs that keep Vietnamese words readable: "Đổi mới" → "doi-moi" (đ → d, not dropped)."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics: what a search box or a URL sees."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def slugify(value: str, separator: str = "-") -> str:
    """Also used as Python-Markdown's toc slugify (value, separator)."""
    return _NON_WORD.sub(" ", fold(value)).strip().replace(" ", separator)
