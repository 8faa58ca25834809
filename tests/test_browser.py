"""The built site in a real browser (headless Chromium): layout on a phone and a desktop (the
header's search on every page), console errors, and plan text that must stay literal. Search itself:
tests/test_search_browser.py.

The site is built from the repository's plans/ when they pass `planpub check` and hold at least one
plan; otherwise from the small fixture project. Screenshots go to $PLANPUB_SCREENSHOTS, or to the
session's temporary directory (never into the repository).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from browser import DESKTOP, PHONE, console_errors, layout, open_page, reveal, screenshot, serve, set_viewport
from conftest import ROOT, make_project, mkdocs_build

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
MINI_PLAN = "2024-mau-01"


@dataclass
class Site:
    path: Path
    plans: list  # generator.model.Plan, in corpus order
    source: str  # "plans/" or "fixture"

    def busiest_plan(self):
        """The plan with the most tasks: its table is the hardest to fit on a phone."""
        return max(self.plans, key=lambda p: (len(p.tasks), p.id))


def _repo_plans():
    """The repository's plans when `planpub check` passes on them and there is at least one."""
    from generator.corpus import load_project
    from generator.load import LoadError

    try:
        corpus = load_project(ROOT)
    except LoadError:
        return None
    return corpus.plans or None


@pytest.fixture(scope="session")
def site(request, tmp_path_factory) -> Site:
    plans = _repo_plans()
    if plans is None:
        from generator.corpus import load_project

        mini = request.getfixturevalue("mini_site")
        return Site(mini, load_project(mini.parent / "project").plans, "fixture")
    project = make_project(tmp_path_factory.mktemp("repo") / "project", ROOT / "plans")
    path = project.parent / "site"
    done = mkdocs_build(project, path)
    assert done.returncode == 0, done.stdout + done.stderr
    return Site(path, plans, "plans/")


@pytest.fixture(scope="module")
def base(site) -> str:
    with serve(site.path) as url:
        yield url


@pytest.fixture(scope="module")
def mini_base(mini_site) -> str:
    with serve(mini_site) as url:
        yield url


def plan_url(base: str, plan) -> str:
    return f"{base}ke-hoach/{plan.id}/"


def site_pages(site: Site) -> list[str]:
    """Every page of the built site (its directory URL relative to the root), home first."""
    pages = [f.parent.relative_to(site.path).as_posix() for f in site.path.rglob("index.html")]
    found = sorted("" if rel == "." else rel + "/" for rel in pages if not rel.startswith(("assets", "search")))
    required = ["", "ke-hoach/", *(f"ke-hoach/{p.id}/" for p in site.plans)]
    assert set(required) <= set(found), (required, found)
    return found


# ---------------------------------------------------------------------------------------- layout

PLAN_PAGE_JS = """
const vw = window.innerWidth;
function box(el) {
  if (!el) return null;
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return {left: r.left, right: r.right, width: r.width, height: r.height,
          shown: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && s.opacity !== '0',
          fontSize: parseFloat(s.fontSize), color: s.color, text: el.innerText.replace(/\u00b6/g, '').trim()};
}
const register = document.querySelector('.md-content dl.pp-register');
const tasksHeading = document.getElementById('nhiem-vu-va-thoi-han');
let table = null;
for (let el = tasksHeading && tasksHeading.nextElementSibling; el && !/^H[1-2]$/.test(el.tagName); el = el.nextElementSibling) {
  table = el.tagName === 'TABLE' ? el : el.querySelector('table');
  if (table) break;
}
const wrap = table && table.closest('.md-typeset__scrollwrap');
return {
  vw: vw,
  register: box(register),
  registerTerms: register ? [...register.querySelectorAll('dt')].map(box) : [],
  registerValues: register ? [...register.querySelectorAll('dd')].map(box) : [],
  headings: [...document.querySelectorAll('.md-content h1, .md-content h2')].map(box),
  table: box(table),
  header: table ? [...table.querySelectorAll('thead th')].map(box) : [],
  cells: table ? [...table.querySelectorAll('tbody td')].map(box) : [],
  rows: table ? table.querySelectorAll('tbody tr').length : 0,
  wrap: wrap ? {left: wrap.getBoundingClientRect().left, right: wrap.getBoundingClientRect().right,
                scrollable: getComputedStyle(wrap).overflowX} : null,
};
"""


def within(box: dict, width: int) -> bool:
    return box["left"] >= -0.5 and box["right"] <= width + 0.5


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_plan_page_fits_and_reads(driver, base, site, viewport):
    width, height = VIEWPORTS[viewport]
    plan = site.busiest_plan()
    set_viewport(driver, width, height)
    open_page(driver, plan_url(base, plan))

    metrics = layout(driver)
    assert metrics["scrollWidth"] <= metrics["innerWidth"] == width, metrics
    reveal(driver, "#nhiem-vu-va-thoi-han ~ .md-typeset__scrollwrap table")  # as a reader scrolls to it
    page = driver.execute_script(PLAN_PAGE_JS)

    register = page["register"]
    assert register and register["shown"] and within(register, width), register
    terms = [t["text"] for t in page["registerTerms"]]
    assert terms[:3] == ["Số ký hiệu", "Loại văn bản", "Cơ quan ban hành"]
    assert all(b["shown"] and within(b, width) for b in page["registerTerms"] + page["registerValues"])
    assert page["registerValues"][0]["text"] == (plan.number or "Không ghi số")

    headings = page["headings"]
    assert headings[0]["text"] == plan.display_name
    assert "Nhiệm vụ và thời hạn" in [h["text"] for h in headings]
    assert all(h["shown"] and within(h, width) for h in headings), headings

    # The task table: every task a row, text big enough and dark enough to read; it may scroll
    # inside its own wrapper, but on these two widths it fits whole, deadline column included.
    assert page["rows"] == len(plan.tasks) > 0
    assert [th["text"] for th in page["header"]] == ["TT", "Nội dung", "Thực hiện", "Thời gian, thời hạn"]
    assert page["wrap"] and page["wrap"]["scrollable"] == "auto" and within(page["wrap"], width)
    assert page["table"]["shown"] and within(page["table"], width), (page["table"], width)
    assert all(within(th, width) for th in page["header"]), page["header"]
    assert min(c["fontSize"] for c in page["cells"]) >= 12
    deadlines = [c["text"] for c in page["cells"][3::4]]
    expected = [t.deadline.text if t.deadline else "—" for t in plan.tasks]
    assert [d.splitlines()[0].strip() for d in deadlines] == expected


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_page_scrolls_sideways(driver, base, site, viewport):
    width, height = VIEWPORTS[viewport]
    set_viewport(driver, width, height)
    wide = {}
    for rel in site_pages(site):
        open_page(driver, base + rel)
        metrics = layout(driver)
        if metrics["scrollWidth"] > metrics["innerWidth"] or not metrics["h1"] or not metrics["search"]:
            wide[rel or "/"] = metrics
    assert not wide, wide


# --------------------------------------------------------------------------------- console errors


def test_no_console_errors_and_no_outside_requests(driver, base, site):
    set_viewport(driver, *DESKTOP)
    console_errors(driver)  # forget what earlier tests left in the log
    problems = {}
    for rel in site_pages(site):  # home, plan list and every plan page among them
        open_page(driver, base + rel)
        outside = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(u => !u.startsWith(arguments[0]))",
            base,
        )
        errors = [e["message"] for e in console_errors(driver)]
        if errors or outside:
            problems[rel or "/"] = {"console": errors, "requests outside the site": outside}
    assert not problems, problems


# ------------------------------------------------------------------------------ literal plan text


def test_template_syntax_and_script_in_plan_text_stay_literal(driver, mini_base):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    set_viewport(driver, *DESKTOP)
    console_errors(driver)
    open_page(driver, f"{mini_base}ke-hoach/{MINI_PLAN}/")
    article = driver.find_element(By.CSS_SELECTOR, ".md-content article")
    text = article.text
    assert "văn bản có {{ 7*7 }} và {% if x %} nguyên văn." in text
    assert "<script>alert(1)</script> và [bấm](javascript:alert(1))" in text
    literal = driver.find_element(By.XPATH, "//p[contains(., '{{ 7*7 }}')]")
    assert literal.is_displayed()
    assert driver.execute_script("return document.querySelectorAll('.md-content a[href^=\"javascript:\" i]').length") == 0
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert console_errors(driver) == []


# ----------------------------------------------------------------------------------- screenshots


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def shots_dir(tmp_path_factory) -> Path:
    chosen = os.environ.get("PLANPUB_SCREENSHOTS")
    return Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_screenshots(driver, base, site, shots_dir, viewport, record_property):
    width, height = VIEWPORTS[viewport]
    set_viewport(driver, width, height)
    pages = {"home": "", "list": "ke-hoach/", "plan": f"ke-hoach/{site.busiest_plan().id}/"}
    for name, rel in pages.items():
        open_page(driver, base + rel)
        path = screenshot(driver, shots_dir / f"{name}-{viewport}.png")
        record_property(f"screenshot-{name}-{viewport}", str(path))
        shot_width, shot_height = png_size(path)
        assert shot_width == width and shot_height >= min(height, 600), (path, shot_width, shot_height)


# ---------------------------------------------------------------------------- what a school does


def test_click_path_home_unit_task_plan_subscribe(driver, base, site):
    """A school's staff: from the home page to their unit, one of its tasks, its plan, the subscribe button."""
    if site.source != "plans/":
        pytest.skip("needs the repository's plans")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    set_viewport(driver, *PHONE)
    open_page(driver, base)
    # home → the units' list (from the home page's own link to it), then a unit with dated tasks
    driver.get(driver.find_element(By.CSS_SELECTOR, "a[href$='don-vi/']").get_attribute("href"))
    unit_link = next(
        li.find_element(By.TAG_NAME, "a") for li in driver.find_elements(By.CSS_SELECTOR, "article li")
        if "việc có thời hạn" in li.text
    )
    unit_href = unit_link.get_attribute("href")
    unit_link.click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url == unit_href)
    # the subscribe block leads the unit page; the months already over are folded at the end
    block = driver.find_element(By.CSS_SELECTOR, "article .pp-subscribe")
    assert block.is_displayed() and block.location["y"] < driver.find_element(By.ID, "viec-can-lam").location["y"]
    for fold in driver.find_elements(By.CSS_SELECTOR, "details.pp-past-months"):
        fold.find_element(By.TAG_NAME, "summary").click()
    task = driver.find_element(By.CSS_SELECTOR, ".pp-due li.pp-ev a[href*='ke-hoach/']")
    task_href = task.get_attribute("href")
    fragment = task_href.split("#", 1)[1]
    task.click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url == task_href)
    row = driver.find_element(By.ID, fragment)
    assert WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "const r = arguments[0].closest('tr').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight", row))
    button = driver.find_element(By.CSS_SELECTOR, "article .pp-subscribe a.md-button--primary")
    assert button.get_attribute("href").startswith("webcal://") and button.get_attribute("href").endswith(".ics")
    assert button.size["height"] >= 40 and button.size["width"] >= 100  # a thumb can hit it


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_timeline_pages_show_every_dated_item_of_the_seeds(driver, base, site, viewport):
    from generator import timeline as tl
    from generator.corpus import load_project
    from generator.pages import View, Settings

    if site.source != "plans/":
        pytest.skip("needs the repository's plans")
    corpus = load_project(ROOT)
    view = View(corpus, Settings("https://x/", "x", corpus.plans[0].updated))
    set_viewport(driver, *VIEWPORTS[viewport])
    seen = set()
    for key in view.year_keys():
        open_page(driver, f"{base}nam-hoc/{key}/")
        shown = driver.execute_script("""
          return [...document.querySelectorAll('.pp-due li.pp-ev')].filter(li => li.getBoundingClientRect().height > 0)
            .map(li => li.querySelector('a').getAttribute('href'));""")
        expected = tl.overlapping(corpus.events, view.year_window(key))
        assert len(shown) == len(expected), key
        assert sorted(h.split("ke-hoach/", 1)[1] for h in shown) == sorted(f"{e.plan.id}/#{e.anchor}" for e in expected)
        seen |= {(e.plan.id, e.anchor) for e in expected}
        marks = driver.execute_script("return document.querySelectorAll('svg.pp-tl-chart a').length")
        assert marks == len(expected), key
        metrics = layout(driver)
        assert metrics["scrollWidth"] <= metrics["innerWidth"], (key, metrics)
    assert seen == {(e.plan.id, e.anchor) for e in corpus.events}  # every dated item is on some timeline


# ------------------------------------------------------------------- what depends on today

# Date() and Date.now() answer a fixed day: what timeline.js writes on that day, tested on any day.
FAKE_TODAY = """(() => {
  const fixed = Date.parse(%r), Real = Date;
  class Fixed extends Real {
    constructor(...args) { super(...(args.length ? args : [fixed])); }
    static now() { return fixed; }
  }
  window.Date = Fixed;
})();"""

# The layout shifts of the page so far (what Lighthouse's CLS adds up), and the summary's height.
SHIFTS_JS = """
const done = arguments[arguments.length - 1];
const seen = [];
new PerformanceObserver((list) => { seen.push(...list.getEntries()); }).observe({type: 'layout-shift', buffered: true});
requestAnimationFrame(() => requestAnimationFrame(() => done({
  shift: seen.filter(e => !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0),
  summary: document.querySelector('.pp-summary').getBoundingClientRect().height,
})));
"""


def open_on(driver, url: str, day: str) -> None:
    """Open url as if today were day (yyyy-mm-dd, noon in Hà Nội)."""
    hook = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FAKE_TODAY % f"{day}T12:00:00+07:00"})
    try:
        open_page(driver, url)
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": hook["identifier"]})


def test_status_next_deadline_and_past_items_follow_the_readers_today(driver, base, site):
    """The page is the same every day; the browser writes the status, the next deadline, the today
    line and the past items from the reader's date, without moving anything on the screen."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from generator import timeline as tl
    from generator.corpus import load_project
    from generator.events import Kind

    assert site.source == "plans/", "the repository's plans pass check: the site shows them"
    corpus = load_project(ROOT)
    plan = max((p for p in corpus.plans if p.period and p.status.value == "published"),
               key=lambda p: (sum(e.kind in (Kind.TASK, Kind.ROW) for e in corpus.events_by_plan.get(p.id, [])), p.id))
    dues = [e for e in corpus.events_by_plan[plan.id] if e.kind in (Kind.TASK, Kind.ROW)]
    middle = dues[len(dues) // 2]
    assert plan.period.first_day < middle.last < plan.period.last_day, "the busiest plan's tasks lie within its period"
    set_viewport(driver, *PHONE)
    url = plan_url(base, plan)
    heights = set()
    one_day = timedelta(days=1)
    for day, word in [(plan.period.first_day - one_day, "Sắp bắt đầu"), (middle.last, "Đang thực hiện"),
                      (plan.period.last_day + one_day, "Đã kết thúc")]:
        open_on(driver, url, day.isoformat())
        assert driver.find_element(By.CSS_SELECTOR, ".pp-summary .pp-status").text == word, day
        nxt = driver.find_element(By.CSS_SELECTOR, ".pp-summary .pp-next")
        upcoming = [e for e in dues if e.last >= day]
        if upcoming:
            link = nxt.find_element(By.TAG_NAME, "a")
            assert link.get_attribute("href").endswith(f"#{upcoming[0].anchor}"), (day, link.get_attribute("href"))
            assert nxt.text.startswith(f"Thời hạn tiếp theo: {tl.when_text(upcoming[0])}"), (day, nxt.text)
        else:
            assert nxt.text == "Các thời hạn của kế hoạch đã qua.", day
        past = driver.execute_script("return [...document.querySelectorAll('.pp-due li.pp-ev.pp-past')].map(li => li.getAttribute('data-last'))")
        listed = driver.execute_script("return [...document.querySelectorAll('.pp-due li.pp-ev')].map(li => li.getAttribute('data-last'))")
        assert sorted(past) == sorted(d for d in listed if d < day.isoformat()), day
        today_lines = driver.find_elements(By.CSS_SELECTOR, "svg.pp-tl-chart .pp-tl-today")
        assert len(today_lines) == (1 if word == "Đang thực hiện" else 0), day
        driver.set_script_timeout(10)
        measured = WebDriverWait(driver, 10).until(lambda d: d.execute_async_script(SHIFTS_JS))
        assert measured["shift"] == 0, (day, measured)
        heights.add(round(measured["summary"], 1))
    assert len(heights) == 1, heights  # the same box whatever the day says
