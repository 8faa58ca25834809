"""Search that forgives missing diacritics: "bao cao" finds "báo cáo", "dong da" finds "Đống Đa".

Readers often type Vietnamese without diacritics (on a phone above all). The site search is
Material for MkDocs' lunr index, `search/search_index.json`: {"config": {..., "fields": {name:
{"boost": …}}}, "docs": [{"location", "title", "text" (HTML), …}]}. Material indexes every field
named in config.fields but shows only title, text and tags in a result. So each entry gets extra
fields holding the accent-free form of its words, indexed with the boost of the field they fold:
an accent-free query matches them, the reader still sees (and, for a query typed with diacritics,
sees highlighted) the original Vietnamese text, and queries with diacritics match as before.

Only words whose accent-free form differs are kept (ASCII words are already indexed as they are),
in order and with repeats, so a word weighs as often as it occurs. Pure functions: no mkdocs here.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata

from generator.slug import fold

# original field → field holding its accent-free words
FOLDED_FIELDS = {"title": "title_folded", "text": "text_folded"}

_TAG = re.compile(r"<[^<>]*>")  # stops at the next "<": linear
_WORD = re.compile(r"\w+")


def folded_words(markup: str) -> str:
    """The words of an index field (HTML) that change when folded, folded, space-separated.

    "<p>Báo cáo tổng kết năm 2024</p>" → "bao cao tong ket nam"; "" when no word changes.
    """
    text = unicodedata.normalize("NFC", html.unescape(_TAG.sub(" ", markup)))
    return " ".join(folded for word in _WORD.findall(text) if (folded := fold(word)) != word.lower())


def fold_entry(entry: dict) -> dict:
    """A copy of one index entry with its folded fields, each only when it holds a word."""
    result = {key: value for key, value in entry.items() if key not in FOLDED_FIELDS.values()}
    for source, target in FOLDED_FIELDS.items():
        value = entry.get(source)
        words = folded_words(value) if isinstance(value, str) else ""
        if words:
            result[target] = words
    return result


def fold_search_index(index: dict) -> dict:
    """A copy of a Material search index that also finds every word typed without diacritics.

    Idempotent; the original fields are untouched, the folded ones are indexed with their boost.
    """
    config = dict(index.get("config", {}))
    fields = dict(config.get("fields", {}))
    for source, target in FOLDED_FIELDS.items():
        fields[target] = dict(fields.get(source, {"boost": 1.0}))
    config["fields"] = fields
    return {**index, "config": config, "docs": [fold_entry(entry) for entry in index.get("docs", [])]}


def dumps(index: dict) -> str:
    """The index as JSON: compact like mkdocs writes it, UTF-8 text kept readable (and smaller)."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))
