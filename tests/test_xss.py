"""Hostile plan text on the built site (issue 8): every reproduced case built with `planpub build`,
the HTML parsed (never grepped) for live scripts, handlers and URLs, then loaded in headless
Chromium, where no alert may fire and no element may carry an event handler."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from browser import open_page, serve
from conftest import FIXTURES, make_project
from test_load import CASES_DIR, planpub

MINI_PLANS = FIXTURES / "mini" / "plans"
# bad-input case → the plan id it gets on this site (each case's plan is 2024-mau-02 in its folder)
CASES = {
    "xss-title": "2024-mau-11",
    "xss-number": "2024-mau-12",
    "xss-kind": "2024-mau-13",
    "xss-unit-name": "2024-mau-14",
    "jsonld-breakout": "2024-mau-15",
    "javascript-reference-links": "2024-mau-16",
    "pipe-in-task-text": "2024-mau-17",
    "raw-html": "2024-mau-03",
    "template-syntax": "2024-mau-04",
}
SAFE_SCHEMES = {"http", "https", "mailto", "tel", "webcal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data"}


def _add_case(project: Path, case: str, plan_id: str) -> None:
    source = CASES_DIR / case / "plans"
    for path in source.rglob("*.yaml"):
        rel = path.relative_to(source)
        if rel.parts[0] == "_registry":
            shutil.copy(path, project / "plans" / rel)
            continue
        text = path.read_text(encoding="utf-8")
        old_id = path.stem
        target = project / "plans" / rel.parent / f"{plan_id}.yaml"
        target.write_text(text.replace(f"id: {old_id}\n", f"id: {plan_id}\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    project = make_project(base / "project", MINI_PLANS)
    for case, plan_id in CASES.items():
        _add_case(project, case, plan_id)
    done = planpub(project, "calendar")
    assert done.returncode == 0, done.stdout + done.stderr
    site = base / "site"
    done = planpub(project, "build", "--site-dir", str(site))
    assert done.returncode == 0, done.stdout + done.stderr
    return site


class Page(HTMLParser):
    """Every element of a page with its attributes; the text of scripts, of <title> and of the body."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.body: list[str] = []  # tags inside the page body (<article>), where plan text lands
        self._article = 0
        self._body_started = False
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.title = ""
        self.text: list[str] = []
        self._open: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        self._body_started = self._body_started or tag == "body"
        self._article += tag == "article"
        if self._article:
            self.body.append(tag)
        self._open = tag
        if tag == "script":
            self.scripts.append((values, ""))

    def handle_endtag(self, tag):
        self._open = None
        self._article -= tag == "article"

    def handle_data(self, data):
        if self._open == "script" and self.scripts:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._open == "title" and not self._body_started:
            self.title += data  # the document's <title>, not an SVG drawing's
        else:
            self.text.append(data)

    def meta(self, name: str) -> str | None:
        return next((a.get("content") for t, a in self.elements if t == "meta" and a.get("name") == name), None)


def pages_of(site: Path) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): Page(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def theme_scripts(mini_site) -> set[str]:
    """The inline scripts Material writes on a site built from benign plans."""
    return {text for page in pages_of(mini_site).values() for attrs, text in page.scripts if "src" not in attrs}


def url_is_safe(url: str) -> bool:
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme == "" or scheme in SAFE_SCHEMES


def test_no_page_has_a_live_script_handler_or_unsafe_url(hostile_site, theme_scripts):
    pages = pages_of(hostile_site)
    assert len(pages) >= 10 + len(CASES)
    for path, page in pages.items():
        for tag, attrs in page.elements:
            handlers = [name for name in attrs if name.startswith("on")]
            assert not handlers, (path, tag, attrs)
            for name in URL_ATTRIBUTES & set(attrs):
                assert url_is_safe(attrs[name]), (path, tag, name, attrs[name])
        assert not {"iframe", "object", "embed", "form", "base", "input", "style", "script"} & set(page.body), path
        for attrs, text in page.scripts:
            if "src" in attrs:
                assert not urlsplit(attrs["src"]).scheme and "assets/" in attrs["src"], (path, attrs)
            elif attrs.get("type") == "application/ld+json":
                json.loads(text)
            else:
                assert text in theme_scripts, (path, text[:200])


def test_titles_and_descriptions_show_the_text_as_typed(hostile_site):
    pages = pages_of(hostile_site)
    typed = {
        "2024-mau-11": 'Công tác"><img src=x onerror=alert(1)>',  # title
        "2024-mau-12": "02</title><script>alert(1)</script>",  # number
        "2024-mau-13": '"><svg onload=alert(1)>',  # kind
        "2024-mau-14": '"><img src=x onerror=alert(1)>',  # the issuer's name
    }
    for plan_id, text in typed.items():
        page = pages[f"ke-hoach/{plan_id}/index.html"]
        assert text in page.meta("description"), plan_id
        assert text in " ".join(page.text), plan_id
    assert pages["ke-hoach/2024-mau-12/index.html"].title.startswith("02</title><script>alert(1)</script> — ")
    assert "— </title><script>alert(2)</script> —" in pages["ke-hoach/2024-mau-14/index.html"].title  # short name
    unit = pages["don-vi/don-vi-xss/index.html"]  # the unit's own page
    assert unit.title.startswith('"><img src=x onerror=alert(1)> - ')
    assert "</title><script>alert(2)</script>" in " ".join(unit.text)


def test_structured_data_is_whole_and_in_the_head(hostile_site):
    html = (hostile_site / "ke-hoach/2024-mau-15/index.html").read_text(encoding="utf-8")
    page = Page(html)
    blocks = [text for attrs, text in page.scripts if attrs.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    assert json.loads(blocks[0])["spatialCoverage"] == "Mẫu <!--<script>"
    assert html.index("application/ld+json") < html.index("</head>")
    assert "<!--" not in blocks[0] and "<" not in blocks[0]
    assert page.elements[-1][0] != "script" or "bundle" not in page.elements[-1][1].get("src", "")  # page continues
    assert any("md-footer" in a.get("class", "") for t, a in page.elements)  # nothing swallowed the rest


def test_reference_links_and_split_schemes_make_no_link(hostile_site):
    page = pages_of(hostile_site)["ke-hoach/2024-mau-16/index.html"]
    text = " ".join(" ".join(page.text).split())
    for typed in ("[x]: javascript:alert(1)", "[bấm vào đây][x]", "[y]:", "[a](jav"):
        assert typed in text, typed
    links = [a for t, a in page.elements if t == "a"]
    assert all(url_is_safe(a.get("href", "")) for a in links)


def test_a_pipe_in_a_task_keeps_its_row(hostile_site):
    html = (hostile_site / "ke-hoach/2024-mau-17/index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    task_rows = [Page(row) for row in rows if "Gửi a" in row]
    assert len(task_rows) == 1
    cells = [t for t, a in task_rows[0].elements if t == "td"]
    assert len(cells) == 4
    assert "Gửi a | b và c \\| d" in " ".join(task_rows[0].text)


def test_search_index_and_sitemap_carry_no_markup(hostile_site):
    ElementTree.parse(hostile_site / "sitemap.xml")  # well-formed
    index = hostile_site / "search" / "search_index.json"
    if not index.is_file():  # another search engine may replace this index (it indexes the sanitised pages)
        return
    for entry in json.loads(index.read_text(encoding="utf-8"))["docs"]:
        for field in ("title", "text"):
            fragment = Page(entry.get(field, ""))
            for tag, attrs in fragment.elements:
                assert tag not in {"script", "img", "svg", "iframe"}, (entry["location"], tag)
                assert not [n for n in attrs if n.startswith("on")], (entry["location"], attrs)


# ---- in a real browser -----------------------------------------------------------------------------

HOOK = """
window.__fired = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__fired.push(name + ':' + args.join(',')); };
}
"""

DOM_JS = """
const handlers = [];
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.attributes) {
    if (attr.name.toLowerCase().startsWith('on')) handlers.push(el.tagName + ' ' + attr.name);
  }
}
const bad = [...document.querySelectorAll('a[href], img[src], iframe, object, embed')]
  .map(el => el.getAttribute('href') || el.getAttribute('src') || el.tagName)
  .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u) || /^(IFRAME|OBJECT|EMBED)$/.test(u));
return {
  fired: window.__fired || null,
  handlers: handlers,
  bad: bad,
  footer: !!document.querySelector('.md-footer'),
  titles: document.querySelectorAll('head > title').length,
  material: typeof document$ !== 'undefined',
};
"""


@pytest.fixture(scope="module")
def driver(driver):
    """The shared browser (conftest.py), with the hook that reports any script run from plan text."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    yield driver


@pytest.mark.browser
def test_no_alert_fires_and_no_handler_exists_in_the_browser(hostile_site, driver):
    pages = ["", "ke-hoach/", "ke-hoach/theo-co-quan/", "don-vi/", "don-vi/don-vi-xss/", "lich/", "van-ban/"]
    pages += [f"ke-hoach/{plan_id}/" for plan_id in CASES.values()]
    with serve(hostile_site) as base:
        for rel in pages:
            open_page(driver, base + rel)
            state = driver.execute_script(DOM_JS)
            assert state["fired"] == [], (rel, state)
            assert state["handlers"] == [] and state["bad"] == [], (rel, state)
            assert state["footer"] and state["material"], (rel, state)  # the page is whole, the theme runs
            assert state["titles"] == 1, (rel, state)  # <title> was not closed early


@pytest.mark.browser
def test_search_results_for_hostile_text_run_nothing(hostile_site, driver):
    """The search shows the hostile plans (their words are indexed) and nothing of them runs."""
    from test_search_browser import open_search, type_query

    with serve(hostile_site) as base:
        box = open_search(driver, base, "desktop")
        for query in ("onerror", "script alert", "javascript"):
            found = type_query(driver, box, query)
            assert found["items"], (query, found)
            state = driver.execute_script(DOM_JS)
            assert state["fired"] == [] and state["handlers"] == [] and state["bad"] == [], (query, state)
        labels = driver.execute_script("return [...document.querySelectorAll('.pagefind-ui__filter-label')].map(l => l.textContent)")
        assert any(label.startswith('"><svg onload=alert(1)> (') for label in labels), labels  # a filter value, as typed
        assert any(label.startswith("</title><script>alert(2)</script> (") for label in labels), labels
        first = found["items"][0]["href"]
        open_page(driver, first if first.startswith("http") else base + first.lstrip("/"))  # highlighted words
        state = driver.execute_script(DOM_JS)
        assert state["fired"] == [] and state["handlers"] == [] and state["bad"] == [], (first, state)
