"""Plan text as plain text, for feeds, summaries and lists: Markdown marks dropped, the words kept."""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

# Linear on any text: the inside of an emphasis never holds its own marker, so every attempt stops
# at the next marker; a link's text and URL stop at the next bracket or parenthesis.
_EMPHASIS = re.compile(r"\*\*([^\s*](?:[^*\n]*[^\s*])?)\*\*|__([^\s_](?:[^_\n]*[^\s_])?)__|\*([^\s*](?:[^*\n]*[^\s*])?)\*")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)")
_BULLET = re.compile(r"^\s*[-+*]\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def plain(text: str) -> str:
    """Plan Markdown as plain text: emphasis markers and link syntax dropped, the words kept."""
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text)
    return _LINK.sub(r"\1 (\2)", text)


def plain_lines(text: str) -> list[str]:
    lines = [_BULLET.sub("• ", line).rstrip() for line in plain(text).splitlines()]
    return [line for line in lines if line.strip()]


def capitalised(text: str) -> str:
    """A summary starts with a capital, even when the plan's row continues a sentence."""
    return text[:1].upper() + text[1:]


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–-") + "…"


def html(template: str, *args: object, **kwargs: object) -> Markup:
    """`Markup(template).format(...)`, at the speed of str.format: each value is escaped first
    (markupsafe.escape, which keeps Markup as it is); numbers go in as numbers, for format specs.
    Pages print hundreds of thousands of these at a province's size."""

    def safe(value: object) -> object:
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else escape(value)

    return Markup(template.format(*map(safe, args), **{k: safe(v) for k, v in kwargs.items()}))
