"""What the adapter hands the theme outside a page's body, escaped for where it lands.

mkdocs renders theme templates with autoescaping off, and Material prints a page's title (in
<title>, the header, the navigation, the footer), its front matter (`<meta name="description"
content="…">`) and the table of contents as they are. So before any template runs, every such
value becomes HTML text: front matter and configured titles (plain text) are escaped for an
attribute, titles and TOC entries taken from rendered headings (already HTML) are reduced to their
text by the sanitiser. Duck-typed on mkdocs' Page and TOC objects; no mkdocs import.
"""

from __future__ import annotations

import html
from typing import Any

from generator.sanitize import text_only


def escape_value(value: Any) -> Any:
    """Front matter as the theme may print it: every string escaped, in lists and mappings too."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [escape_value(item) for item in value]
    if isinstance(value, dict):
        return {key: escape_value(item) for key, item in value.items()}
    return value


def escape_page(page: Any) -> None:
    """Escape a rendered page's title, front matter and TOC in place (once per page)."""
    if getattr(page, "_planpub_escaped", False):
        return
    plain = "title" in vars(page) or "title" in page.meta or not getattr(page, "_title_from_render", None)
    title = page.title
    page.meta = escape_value(page.meta)
    if title is not None:
        page.title = html.escape(title, quote=True) if plain else text_only(title)
    _escape_toc(page.toc or [])
    page._planpub_escaped = True


def _escape_toc(items: Any) -> None:
    for item in items:
        item.title = text_only(item.title)
        _escape_toc(item.children)


def script_json(text: str) -> str:
    """JSON made safe inside <script>: `<`, `>` and `&` as \\u escapes (valid JSON, no `</script>`,
    no `<!--`)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def add_structured_data(page_html: str, data: str) -> str:
    """A JSON-LD block at the end of <head>."""
    block = f'<script type="application/ld+json">{script_json(data)}</script>\n'
    cut = page_html.find("</head>")
    return page_html[:cut] + block + page_html[cut:] if cut >= 0 else page_html
