"""The allowlist sanitiser: the HTML of every page is cleaned by nh3 (Ammonia) after rendering.

Whatever Markdown or a template made of plan text, only the elements, attributes and URL schemes of
these tables reach a reader: no script, no event handler, no `javascript:` or `data:` URL, no style
sheet, no form. This, not the escaping before rendering (generator/markup.py), is the guarantee.

The tables hold what Python-Markdown and Material make of our Markdown (headings with their
permalink `<a class="headerlink">`, tables, admonitions, `md-button` links, attribute-list classes),
the register block (`<dl>`), the Lịch page (`<details>`, `<img>` of the QR codes, the copy button),
`<time datetime>` and every `data-*` attribute (Pagefind reads `data-pagefind-*`).

To allow more, add rows. Inline SVG (the timeline's chart) is its own table, SVG, joined to HTML in
ALLOWED: the elements and attributes a drawn chart needs, no `style`, no `<foreignObject>`, no
`<use>`, no event; a link inside a drawing is the HTML `<a>` row, with its URL schemes.
"""

from __future__ import annotations

import nh3

# Attributes every allowed element may carry, besides data-* and aria-* (GENERIC_PREFIXES).
GLOBAL = frozenset({"class", "id", "title", "lang", "dir", "role"})
GENERIC_PREFIXES = frozenset({"data-", "aria-"})

# element: the attributes it may carry besides GLOBAL
HTML: dict[str, frozenset[str]] = {
    **{tag: frozenset() for tag in (
        "p", "br", "hr", "div", "span", "section", "article", "aside", "header", "footer", "nav",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "li", "dl", "dt", "dd",
        "blockquote", "pre", "code", "kbd", "samp", "var", "em", "strong", "b", "i", "u", "s", "del", "ins",
        "mark", "small", "sub", "sup", "abbr", "cite", "q", "dfn", "figure", "figcaption", "caption",
        "table", "thead", "tbody", "tfoot", "tr", "colgroup", "details", "summary",
    )},
    "a": frozenset({"href", "rel", "download", "hreflang", "type", "tabindex"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "th": frozenset({"style", "colspan", "rowspan", "scope", "align"}),
    "td": frozenset({"style", "colspan", "rowspan", "align"}),
    "col": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "time": frozenset({"datetime"}),
    "button": frozenset({"type"}),
}

# Inline SVG for drawings such as the timeline's chart.
SVG: dict[str, frozenset[str]] = {
    "svg": frozenset({"viewBox", "width", "height", "preserveAspectRatio", "xmlns", "focusable"}),
    "g": frozenset({"transform"}),
    "title": frozenset(),
    "desc": frozenset(),
    "line": frozenset({"x1", "y1", "x2", "y2", "stroke", "stroke-width", "stroke-dasharray"}),
    "rect": frozenset({"x", "y", "width", "height", "rx", "ry", "fill", "stroke", "stroke-width"}),
    "circle": frozenset({"cx", "cy", "r", "fill", "stroke", "stroke-width"}),
    "path": frozenset({"d", "fill", "stroke", "stroke-width"}),
    "polyline": frozenset({"points", "fill", "stroke", "stroke-width"}),
    "text": frozenset({"x", "y", "dx", "dy", "text-anchor", "font-size", "fill"}),
    "tspan": frozenset({"x", "y", "dx", "dy"}),
}

ALLOWED: dict[str, frozenset[str]] = {**HTML, **SVG}

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "webcal"})  # webcal: the site's own feeds
STYLE_PROPERTIES = frozenset({"text-align"})  # Python-Markdown's aligned table columns
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed"})



def cleaner(allowed: dict[str, frozenset[str]]) -> nh3.Cleaner:
    """An nh3 cleaner for these elements (and GLOBAL attributes, URL_SCHEMES, STYLE_PROPERTIES)."""
    return nh3.Cleaner(
        tags=set(allowed),
        clean_content_tags=set(REMOVED_WITH_CONTENT - set(allowed)),
        attributes={"*": set(GLOBAL), **{tag: set(attrs) for tag, attrs in allowed.items()}},
        generic_attribute_prefixes=set(GENERIC_PREFIXES),
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,  # internal links keep their markup; nothing opens a new window (no `target`)
        strip_comments=True,
    )


_CLEANER = cleaner(ALLOWED)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=set(REMOVED_WITH_CONTENT), attributes={}, link_rel=None)


def clean_html(html: str) -> str:
    """A page body with everything outside the allowlist removed."""
    return _CLEANER.clean(html)


def text_only(html: str) -> str:
    """An HTML fragment reduced to its text, still escaped as HTML (for titles, TOC entries)."""
    return _TEXT_ONLY.clean(html)
