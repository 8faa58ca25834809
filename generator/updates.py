"""/cap-nhat/: plans added or changed, newest first, and the same as an Atom feed (cap-nhat/atom.xml).

Deterministic by construction: the order and the dates come from the plans themselves — `updated`
(the date of the last substantive change, which every plan must carry and the editor moves when the
plan changes), then `issued` — never from the clock or from git. Git history would say when a file
was committed, but CI builds from a shallow clone (one commit, no history), a tarball has none, and
a reformatting commit is not a change of the plan; the plan's own date has none of these problems
and is reviewed with the plan. Whether a plan was added or changed on that date is not known from the
plan alone, so neither is claimed: each entry says the date of the change.

The feed is written with ElementTree (escaping is the library's), in UTF-8, with the Atom elements a
validator requires: feed id, title, updated, author, self link; entry id, title, updated, link.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

from generator import __version__
from generator.corpus import Corpus
from generator.model import Plan
from generator.pages import Settings, View, environment, plan_url
from generator.paging import DEFAULT, Chunk, Layout, paginate
from generator.paths import UPDATES_PAGE, UPDATES_URL

UPDATES_DIR = UPDATES_URL
PAGE = UPDATES_PAGE
FEED = f"{UPDATES_DIR}/atom.xml"
FEED_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"
OFFSET = "+07:00"  # the plans' dates are Vietnamese calendar days


@dataclass(frozen=True)
class Update:
    plan: Plan
    day: date  # the plan's `updated`


def updates(corpus: Corpus) -> list[Update]:
    """Every plan, most recently changed first (ties: newest issue date, then id)."""
    ordered = sorted(corpus.plans, key=lambda p: (-p.updated.toordinal(), -(p.issued_day or date.min).toordinal(), p.id))
    return [Update(p, p.updated) for p in ordered]


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00{OFFSET}"


def atom_feed(corpus: Corpus, settings: Settings) -> bytes:
    view = View(corpus, settings)
    entries = updates(corpus)[:FEED_ENTRIES]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "vi"})

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    page = settings.site_url + UPDATES_DIR + "/"
    add(feed, "id", page)
    add(feed, "title", f"{settings.site_name}: kế hoạch mới và cập nhật")
    add(feed, "updated", _stamp(max((u.day for u in entries), default=settings.today)))
    add(feed, "link", rel="self", type="application/atom+xml", href=settings.site_url + FEED)
    add(feed, "link", rel="alternate", type="text/html", href=page)
    author = add(feed, "author")
    add(author, "name", settings.site_name)
    add(feed, "generator", "planpub", version=__version__)
    for update in entries:
        plan = update.plan
        url = settings.site_url + plan_url(plan)
        entry = add(feed, "entry")
        add(entry, "id", url)
        title = f"{plan.display_name}: {plan.title}" if plan.number else plan.title
        add(entry, "title", title)
        add(entry, "link", rel="alternate", type="text/html", href=url)
        add(entry, "updated", _stamp(update.day))
        if plan.issued_day:
            add(entry, "published", _stamp(plan.issued_day))
        add(entry, "summary", view.description(plan))
        for issuer in plan.issuers:
            add(entry, "category", term=issuer, label=corpus.units[issuer].name)
    ET.indent(feed, space=" ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def update_pages(corpus: Corpus, layout: Layout = DEFAULT) -> list[Chunk[Update]]:
    """The pages of /cap-nhat/: the newest `layout.updates` plans first, then the older ones, paginated."""
    return paginate(updates(corpus), layout.updates, PAGE)


def update_files(corpus: Corpus, settings: Settings, layout: Layout = DEFAULT) -> dict[str, str | bytes]:
    template = environment().get_template("updates.md.j2")
    view = View(corpus, settings, layout=layout)
    files: dict[str, str | bytes] = {
        chunk.path: template.render(v=view, here=chunk.path, chunk=chunk, feed=view.md(chunk.path, FEED))
        for chunk in update_pages(corpus, layout)
    }
    files[FEED] = atom_feed(corpus, settings)
    return files
