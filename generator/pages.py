"""Corpus → Markdown pages, through the Jinja2 templates in site_templates/.

Pure: `render_pages(corpus, settings)` returns {path inside the docs tree: Markdown text}. Any site
engine that turns a docs tree of Markdown into HTML can publish it; mkdocs is one adapter (plugin.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.corpus import Corpus, Due
from generator.dates import format_date, format_date_long
from generator.markup import html_text, markdown_block, markdown_inline, table_cell
from generator.model import DocumentRef, Plan, Section, Signer
from generator.slug import slugify

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"
PLANS_URL = "ke-hoach"
MOVEMENTS_URL = "phong-trao"
UNITS_URL = "don-vi"
DOCUMENTS_URL = "van-ban"
OTHER_PROVINCE = "Trung ương và khác"
HOME_LATEST = 10
HOME_DEADLINES = 12
HOME_RECENT = 5


@dataclass(frozen=True)
class Settings:
    site_url: str  # absolute, ends with "/"
    site_name: str
    today: date  # the reference day for "upcoming": the commit's date, never the clock


def environment(templates: Path = TEMPLATES) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_escape_by_default,
    )
    env.filters.update(
        md=markdown_block,
        inline=markdown_inline,
        h=html_text,
        cell=table_cell,
        date=format_date,
        date_long=format_date_long,
        yaml=_yaml_string,
    )
    return env


def _escape_by_default(value: Any) -> Any:
    """A plain string reaching the page unfiltered is escaped as inline Markdown."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return markdown_inline(value)
    return value


def _yaml_string(value: str) -> Markup:
    # A JSON string is a valid YAML double-quoted scalar: safe for mkdocs' front matter.
    return Markup(json.dumps(" ".join(str(value).split()), ensure_ascii=False))


def plan_path(plan: Plan) -> str:
    return f"{PLANS_URL}/{plan.id}.md"


def plan_url(plan: Plan) -> str:
    return f"{PLANS_URL}/{plan.id}/"


def render_pages(
    corpus: Corpus, settings: Settings, feeds: Iterable[str] = (), env: Environment | None = None
) -> dict[str, str]:
    """Every Markdown page; `feeds` are the calendar feed paths that exist, for the pages to link."""
    env = env or environment()
    view = View(corpus, settings, frozenset(feeds))
    pages = {
        "index.md": env.get_template("home.md.j2").render(v=view),
        f"{PLANS_URL}/index.md": env.get_template("plans_by_year.md.j2").render(v=view),
        f"{PLANS_URL}/theo-co-quan.md": env.get_template("plans_by_issuer.md.j2").render(v=view),
        f"{MOVEMENTS_URL}/index.md": env.get_template("movements.md.j2").render(v=view),
        f"{UNITS_URL}/index.md": env.get_template("units.md.j2").render(v=view),
        f"{DOCUMENTS_URL}/index.md": env.get_template("documents.md.j2").render(v=view),
    }
    template = env.get_template("plan.md.j2")
    for plan in corpus.plans:
        pages[plan_path(plan)] = template.render(v=view, plan=plan)
    return pages


def structured_data(corpus: Corpus, settings: Settings) -> dict[str, str]:
    """{page path: its schema.org JSON-LD}; the site engine puts it in the page's <head>, escaped
    for a <script> element (generator/theme.py), never into the page's Markdown."""
    return {plan_path(plan): plan_jsonld(plan, corpus, settings) for plan in corpus.plans}


class View:
    """What templates may ask of the corpus: labels, links, groupings. No I/O, no clock."""

    def __init__(self, corpus: Corpus, settings: Settings, feeds: frozenset[str] = frozenset()) -> None:
        self.corpus = corpus
        self.settings = settings
        self.feeds = feeds

    def has_feed(self, kind: str, item_id: str) -> bool:
        return f"lich/{kind}/{item_id}.ics" in self.feeds

    def anchor(self, item_id: str) -> str:
        """Registry ids are slugs already: the anchor of an entity on its list page is its id."""
        return item_id

    def movement_groups(self) -> list[tuple[Any, list[Any]]]:
        groups: dict[Any, list[Any]] = {}
        for m in sorted(self.corpus.movements.values(), key=lambda m: slugify(m.name)):
            groups.setdefault(m.kind, []).append(m)
        return sorted(groups.items(), key=lambda item: list(type(item[0])).index(item[0]))

    def document_groups(self) -> list[tuple[str, list[tuple[str, list[tuple[Plan, DocumentRef]]]]]]:
        """Cited documents by kind; newest first within a kind, undated last."""
        groups: dict[str, list[tuple[str, list[tuple[Plan, DocumentRef]]]]] = {}
        for key, mentions in self.corpus.citations.items():
            groups.setdefault(mentions[0][1].kind, []).append((key, mentions))
        for documents in groups.values():
            documents.sort(key=lambda item: (-(item[1][0][1].date or date.min).toordinal(), item[0]))
        return sorted(groups.items(), key=lambda item: slugify(item[0]))

    def unit_groups(self) -> list[tuple[str, list[Any]]]:
        groups: dict[str, list[Any]] = {}
        for u in sorted(self.corpus.units.values(), key=lambda u: slugify(u.name)):
            groups.setdefault(u.province or OTHER_PROVINCE, []).append(u)
        return sorted(groups.items(), key=lambda item: (item[0] == OTHER_PROVINCE, slugify(item[0])))

    def unit(self, unit_id: str) -> str:
        return self.corpus.units[unit_id].label

    def unit_name(self, unit_id: str) -> str:
        return self.corpus.units[unit_id].name

    def units(self, ids: Iterable[str]) -> str:
        return "; ".join(self.unit(i) for i in ids)

    def movement(self, movement_id: str):
        return self.corpus.movements[movement_id]

    def link(self, plan: Plan, here: str) -> str:
        """Relative Markdown link from page `here` (a docs path) to a plan page."""
        return _relative(here, plan_path(plan))

    def cited_by(self, plan: Plan) -> list[Plan]:
        """Plans in the corpus that name this plan among their bases or citations."""
        return self.corpus.cited_by.get(plan.id, [])

    def plan_for(self, ref: DocumentRef) -> Plan | None:
        return self.corpus.by_id.get(ref.plan) if ref.plan else None

    def latest(self) -> list[Plan]:
        return self.corpus.plans[:HOME_LATEST]

    def upcoming(self) -> list[Due]:
        today = self.settings.today
        return [d for d in self.corpus.deadlines if d.day >= today][:HOME_DEADLINES]

    def recent(self) -> list[Due]:
        """The last deadlines before the reference day, newest first (when none is upcoming)."""
        today = self.settings.today
        past = [d for d in self.corpus.deadlines if d.day < today]
        return past[::-1][:HOME_RECENT]

    def years(self) -> dict[str, list[Plan]]:
        return self.corpus.by_year

    def issuers(self) -> list[tuple[str, list[Plan]]]:
        return sorted(self.corpus.by_issuer.items(), key=lambda item: self.unit_name(item[0]))

    def year_label(self, key: str) -> str:
        return f"Năm học {key}" if "-" in key else f"Năm {key}"

    def signer(self, signer: Signer) -> str:
        return ", ".join(signer.title_lines) + f" — {signer.name}"

    def document(self, ref: DocumentRef) -> str:
        parts = [ref.label]
        if ref.issuer:
            parts.append(f"của {ref.issuer}")
        if ref.subject:
            parts.append(f"về {ref.subject}" if not ref.subject.lower().startswith("về") else ref.subject)
        return " ".join(parts)

    def description(self, plan: Plan) -> str:
        issuers = ", ".join(self.unit_name(i) for i in plan.issuers)
        when = f" ngày {format_date(plan.issued)}" if plan.issued else ""
        name = f"{plan.display_name}: {plan.title}" if plan.number else plan.title
        return f"{name}. {issuers}{when}. {plan.period.label}."

    def numbered(self, number: str | None, text: str) -> Markup:
        """A numbered paragraph without a heading ("4.1. Kiện toàn …"): the number leads its text."""
        body = markdown_block(text)
        if not number:
            return body
        label = Markup("**") + markdown_inline(number if number.endswith(".") else number + ".") + Markup("**")
        if body.lstrip().startswith(("- ", "+ ", "* ")):
            return label + Markup("\n\n") + body
        return label + Markup(" ") + body

    def hashes(self, level: int) -> Markup:
        """A Markdown heading marker; below h6 a heading stays an h6."""
        return Markup("#" * min(level, 6))

    def url(self, path: str) -> str:
        return self.settings.site_url + path



def _relative(here: str, target: str) -> str:
    depth = here.count("/")
    return "../" * depth + target


def plan_jsonld(plan: Plan, corpus: Corpus, settings: Settings) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": settings.site_url + plan_url(plan),
        "url": settings.site_url + plan_url(plan),
        "name": plan.display_name,
        "headline": plan.title,
        "legislationType": plan.kind,
        "inLanguage": "vi",
        "legislationJurisdiction": "VN",
        "legislationPassedBy": [{"@type": "GovernmentOrganization", "name": corpus.units[i].name} for i in plan.issuers],
        "dateModified": plan.updated.isoformat(),
        "legislationLegalForce": "InForce" if plan.status.value == "published" else "NotInForce",
        "temporalCoverage": f"{plan.period.first_day.isoformat()}/{plan.period.last_day.isoformat()}",
    }
    if plan.number:
        data["legislationIdentifier"] = plan.number
    if plan.issued:
        data["legislationDate"] = plan.issued.isoformat()
        data["datePublished"] = plan.issued.isoformat()
    if plan.place:
        data["spatialCoverage"] = plan.place
    if plan.signers:
        data["author"] = [{"@type": "Person", "name": s.name, "jobTitle": ", ".join(s.positions)} for s in plan.signers]
    basis = [ref.label for ref in plan.bases]
    if basis:
        data["isBasedOn"] = basis
    return json.dumps(data, ensure_ascii=True, sort_keys=True, indent=None)
