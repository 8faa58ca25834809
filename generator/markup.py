"""Plan text → safe Markdown. Plan text is data: it never runs as HTML, a link or a template.

Every string a template prints goes through one of these (the Jinja environment escapes any plain
string by default), so raw HTML shows as text, `javascript:` and other non-web links are inert, and
`{{ … }}`, `{% … %}` or attribute lists `{: … }` reach the page as the characters the editor typed.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")
_INLINE_LINK = re.compile(r"(\]\()(\s*<?)([^)\s>]*)")
_REF_DEF = re.compile(r"^(\s{0,3})\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?=\s|$)", re.MULTILINE)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#!~])")


def _escape_html(text: str) -> str:
    # `{` and `}` become entities so Markdown extensions and templates never see them as syntax.
    return html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")


def _unsafe(url: str) -> bool:
    match = _SCHEME.match(url)
    return bool(match) and match.group(1).lower() not in SAFE_SCHEMES


def markdown_block(text: str) -> Markup:
    """A Markdown block from a plan: lists, emphasis and web links work; nothing else executes."""
    text = _escape_html(text)
    text = _INLINE_LINK.sub(lambda m: (r"]\(" + m.group(2) + m.group(3)) if _unsafe(m.group(3)) else m.group(0), text)
    text = _REF_DEF.sub(lambda m: (m.group(1) + "\\[" + m.group(2) + "\\]: " + m.group(3)) if _unsafe(m.group(3)) else m.group(0), text)
    return Markup(text.strip())


def markdown_inline(text: str) -> Markup:
    """A plain string printed inside a Markdown line (heading, table cell, list item): shown as is."""
    one_line = " ".join(str(text).split())
    return Markup(_escape_html(_MD_SPECIAL.sub(r"\\\1", one_line)))


def html_text(text: str) -> Markup:
    """A plain string printed inside raw HTML in a page."""
    return Markup(html.escape(str(text), quote=True))


def table_cell(text: str) -> Markup:
    """A Markdown block squeezed into one table cell: inline Markdown (emphasis, web links) works,
    line breaks become <br>, and a `|` stays text instead of ending the cell."""
    lines = [markdown_block(line).replace("|", "\\|") for line in str(text).splitlines() if line.strip()]
    return Markup("<br>".join(lines))
