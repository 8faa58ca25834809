"""Addresses inside the site, and the links that subscribe a calendar to a feed."""

from __future__ import annotations

import re
from urllib.parse import quote


def page_url(docs_path: str) -> str:
    """The address of a Markdown page, relative to the site root (directory URLs): a/b.md → a/b/."""
    if docs_path == "index.md":
        return ""
    if docs_path.endswith("/index.md"):
        return docs_path[: -len("index.md")]
    return docs_path[: -len(".md")] + "/"


def relative(here: str, target: str) -> str:
    """A link from the page at docs path `here` to `target`, an address relative to the site root."""
    return "../" * page_url(here).count("/") + target


def webcal(url: str) -> str:
    return re.sub(r"^https?://", "webcal://", url, count=1)


def google_link(url: str) -> str:
    return "https://calendar.google.com/calendar/render?cid=" + quote(webcal(url), safe="")
