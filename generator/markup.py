"""Plan text → Markdown that means what the editor typed. Plan text is data: it never runs as HTML,
a link or a template.

This is the first line of defence and the bound on Markdown's work; the guarantee is the allowlist
sanitiser that cleans the rendered HTML of every page (generator/sanitize.py). Every string a
template prints goes through one of these (the Jinja environment escapes any plain string by
default), so raw HTML shows as text and `{{ … }}`, `{% … %}` or attribute lists `{: … }` reach
the page as the characters the editor typed.

In a Markdown block, lists, emphasis and inline web links `[text](https://…)` work. Every other
bracket, backslash and backtick is escaped: reference links and definitions, images, code spans and
links to other schemes show as typed. Python-Markdown scans from every `[` for its closing bracket
(quadratic on "[[[[…"); after this step only the `[` of a well-formed short link is left, so its
work stays linear in the length of the text.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
# An inline link: no bracket, backslash or line break in its text, no space or parenthesis in its
# URL. Each quantifier stops at the next bracket or parenthesis, so matching is linear.
_LINK = re.compile(r"\[([^\[\]\\\n]{1,500})\]\(([^()\s\\]{1,2000})\)")
_SCHEME = re.compile(r"\A([a-zA-Z][a-zA-Z0-9+.\-]*):")
_BLOCK_SPECIAL = re.compile(r"([\\`\[\]])")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#!~])")


def _escape_html(text: str) -> str:
    # `{` and `}` become entities so Markdown extensions and templates never see them as syntax.
    return html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")


def safe_url(url: str) -> bool:
    """A web, mail or phone link, or a relative one (no scheme at all)."""
    match = _SCHEME.match(url)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def _escape_block(text: str) -> str:
    return _BLOCK_SPECIAL.sub(r"\\\1", text)


def markdown_block(text: str) -> Markup:
    """A Markdown block from a plan: lists, emphasis and web links work; nothing else executes."""
    text = _escape_html(str(text))
    out: list[str] = []
    done = 0
    for match in _LINK.finditer(text):
        label, url = match.groups()
        if not safe_url(html.unescape(url)) or text[match.start() - 1 : match.start()] == "!":
            continue  # an image or another scheme: shown as typed
        out.append(_escape_block(text[done : match.start()]))
        out.append(f"[{_escape_block(label)}]({url})")
        done = match.end()
    out.append(_escape_block(text[done:]))
    return Markup("".join(out).strip())


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
