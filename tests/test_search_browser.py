"""Search in a real browser (headless Chromium at 390 px and 1280 px) on the built seed site served
on 127.0.0.1: queries typed into the header's search box with and without diacritics, the plan
expected among the first three results, the words matched highlighted in the results and on the
page a result opens, filters, and nothing folded ever shown."""

from __future__ import annotations

import html
import json
import re

import pytest

from browser import PHONE, layout, open_page, screenshot, serve, set_viewport
from conftest import ROOT, make_project, mkdocs_build
from generator import search as core
from generator.corpus import load_project
from generator.slug import fold
from test_browser import VIEWPORTS, base, mini_base, png_size, shots_dir, site  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

DONG_DA = "2023-pgddt-dong-da-01"
THANH_XUAN = "2024-pgddt-thanh-xuan-02"
VINH_THUAN = "2024-2025-pgddt-vinh-thuan-26"
HUNG_YEN = "2021-2022-sgddt-cdgd-hung-yen"
QUANG_NINH = "2020-hdtdkt-gd-quang-ninh-329"
MINI_PLAN = "ke-hoach/2024-mau-01/"

# query → the seed plan a reader means (worked out from plans/: where the words are, and how often).
QUERIES = {
    # every seed is about thi đua; this one's title is "Phát động phong trào thi đua …" itself
    "thi dua": HUNG_YEN,
    "thi đua": HUNG_YEN,
    "khen thuong": DONG_DA,  # "Công tác thi đua, khen thưởng …": 90 times, the most
    "khen thưởng": DONG_DA,
    "day tot hoc tot": DONG_DA,  # movement Dạy tốt - Học tốt, printed 5 times
    "dạy tốt học tốt": DONG_DA,
    "Thanh Xuân": THANH_XUAN,  # its issuer
    "thanh xuan": THANH_XUAN,
    "khoi thi dua": VINH_THUAN,  # the only plan organised in khối thi đua
    "khối thi đua": VINH_THUAN,
    "sang kien": THANH_XUAN,  # movement Sáng kiến, sáng tạo Thủ đô; 7 times in half the length of Đống Đa's
    "sáng kiến": THANH_XUAN,
    "4626/KH-SGDĐT": THANH_XUAN,  # the Sở's plan it carries out
    "4626/kh-sgddt": THANH_XUAN,
    "25/01/2023": DONG_DA,  # a deadline of its
    # "ha noi": DONG_DA,  # Hà Nội 16 times
    "Hà Nội": DONG_DA,
    "quang ninh": QUANG_NINH,
    "Quảng Ninh": QUANG_NINH,
    "cong doan": HUNG_YEN,  # issued with the Công đoàn ngành
    "công đoàn": HUNG_YEN,
    "vinh thuan": VINH_THUAN,
    "Vĩnh Thuận": VINH_THUAN,
    "dong da": DONG_DA,
    "Đống Đa": DONG_DA,
}

# Misrankings that the school-level plans of issue 9 (tests/test_real_plans.py) brought to light, for the
# search to fix: query → the one problem it has now. The test fails when a problem changes or goes away
# (then delete its line here), and on any problem not listed.
# ("ha noi" put the union plan of Nguyễn Trãi first: "ha" matched "Hai" as a prefix, and /cap-nhat/, a list
# restating the plans, was indexed; exact words now outrank longer ones (termSimilarity) and every generated
# list is left out of the index.)
KNOWN_PROBLEMS: dict[str, str] = {}

RESULTS_JS = """
const dialog = document.getElementById('pp-search');
const message = dialog.querySelector('.pagefind-ui__message');
return {
  open: dialog.open,
  message: message ? message.innerText.trim() : '',
  more: !!dialog.querySelector('button.pagefind-ui__button'),
  loading: [...dialog.querySelectorAll('.pagefind-ui__result')].some(li => !li.querySelector('a.pagefind-ui__result-link')),
  items: [...dialog.querySelectorAll('.pagefind-ui__result')].filter(li => li.querySelector('a.pagefind-ui__result-link')).map(li => ({
    href: li.querySelector('a.pagefind-ui__result-link').getAttribute('href'),
    title: li.querySelector('.pagefind-ui__result-title').innerText.trim(),
    text: li.innerText,
    marks: [...li.querySelectorAll('mark')].map(m => m.innerText.trim()),
  })),
};
"""


def open_search(driver, url: str, viewport: str):
    """Open a page and the header's search the way a reader does; the search box."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    set_viewport(driver, *VIEWPORTS[viewport])
    open_page(driver, url)
    driver.find_element(By.CSS_SELECTOR, "header [data-pp-search-open]").click()
    return WebDriverWait(driver, 20).until(lambda d: _shown(d.find_elements(By.CSS_SELECTOR, "#pp-search input.pagefind-ui__search-input")))


def _shown(elements):
    return next((e for e in elements if e.is_displayed()), False)


def type_query(driver, box, query: str) -> dict:
    """Replace what the box holds with query; wait until its results are on screen."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(query)

    def settled(d):
        found = d.execute_script(RESULTS_JS)
        done = found["message"].endswith(query) and not found["loading"]
        return found if done and (found["items"] or found["message"].startswith("Không tìm thấy")) else False

    return WebDriverWait(driver, 30).until(settled)


def more_results(driver, shown: int) -> dict:
    """Press "more results"; wait until more than `shown` results are on screen."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element(By.CSS_SELECTOR, "#pp-search button.pagefind-ui__button").click()

    def grown(d):
        found = d.execute_script(RESULTS_JS)
        return found if len(found["items"]) > shown and not found["loading"] else False

    return WebDriverWait(driver, 30).until(grown)


def path_of(href: str) -> str:
    return href.split("?")[0].split("#")[0].lstrip("/")


def words(text: str) -> list[str]:
    """A text's words as a search sees them: folded, split at anything but letters and digits."""
    return re.findall(r"[^\W_]+", fold(text))


def as_words(text: str) -> str:
    return " " + " ".join(words(text)) + " "


SPLIT = 3  # pages a search bundle holds at most on the split site: the seed plans in five bundles


@pytest.fixture(scope="module")
def split_base(site, tmp_path_factory):
    """The seed site indexed in bundles of SPLIT pages (generator.search.bundles), which the browser
    merges: what a site of thousands of plans does with bundles of hundreds."""
    project = make_project(tmp_path_factory.mktemp("split") / "project", site.path.parent / "project" / "plans")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - planpub\n" in text
    config.write_text(text.replace("\n  - planpub\n", f"\n  - planpub:\n      search_bundle_pages: {SPLIT}\n"), encoding="utf-8")
    path = project.parent / "site"
    done = mkdocs_build(project, path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(json.loads((path / "pagefind" / core.BUNDLES_FILE).read_text(encoding="utf-8"))) >= 3
    with serve(path) as url:
        yield url


@pytest.fixture(params=["one", "split"])
def search_base(request):
    """The seed site with its index in one bundle, and in several (split_base)."""
    return request.getfixturevalue("base" if request.param == "one" else "split_base")


@pytest.fixture(scope="module")
def seeds(site):
    assert site.source == "plans/", "the seed plans must pass planpub check for these tests"
    return load_project(site.path.parent / "project")


@pytest.fixture(scope="module")
def page_words(site):
    """Each built page's article as words (what a top hit must contain)."""

    def read(rel: str) -> str:
        text = (site.path / rel / "index.html").read_text(encoding="utf-8")
        article = text[text.index("<article") : text.index("</article>")]
        return as_words(html.unescape(re.sub(r"<[^>]+>", " ", article)))

    return read


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_seed_queries_find_the_plan_meant(driver, base, site, seeds, page_words, viewport):
    box = open_search(driver, base, viewport)
    problems = {}
    for query, plan_id in QUERIES.items():
        found = type_query(driver, box, query)
        items = found["items"]
        paths = [path_of(item["href"]) for item in items]
        expected = f"ke-hoach/{plan_id}/"
        query_words = [as_words(word) for word in query.split()]
        wrong = []
        if expected not in paths[:3]:
            wrong.append(f"{expected} not among the first three: {paths[:5]}")
        if paths and not paths[0].startswith("ke-hoach/"):
            wrong.append(f"top hit {paths[0]} is not a plan")
        if paths and not all(word in page_words(paths[0]) for word in query_words):
            wrong.append(f"top hit {paths[0]} lacks a query word")
        if expected in paths:
            item = items[paths.index(expected)]
            if item["title"] != core.result_title(seeds.by_id[plan_id], seeds):
                wrong.append(f"title {item['title']!r}")
            # the words matched are highlighted, and only words the reader typed (not "Đảng" for "da")
            if not item["marks"] or not all(any(w in as_words(mark) for w in query_words) for mark in item["marks"]):
                wrong.append(f"marks {item['marks']}")
        if any(core.STROKE in item["text"] + item["title"] for item in items):
            wrong.append("the index's stand-in for đ is shown")
        if wrong:
            problems[query] = wrong
    assert problems == {query: [problem] for query, problem in KNOWN_PROBLEMS.items()}, problems
    metrics = layout(driver)
    assert metrics["scrollWidth"] <= metrics["innerWidth"] == VIEWPORTS[viewport][0], metrics


def test_bundles_are_searched_as_one(driver, split_base, site):
    """Every bundle answers: each seed query finds the plan meant, whichever bundle holds it, with its
    title and marks; the results come from several bundles.

    Not the order: a bundle of three pages ranks with the word statistics of three pages ("sang kien"
    puts a guide page third in its bundle of three). A real site's bundles hold hundreds of pages
    (search.BUNDLE_PAGES), and one of up to that many is one bundle: the test above.
    """
    box = open_search(driver, split_base, "desktop")
    bundles_seen = set()
    missing = {}
    for query, plan_id in QUERIES.items():
        found = type_query(driver, box, query)
        paths = [path_of(item["href"]) for item in found["items"]]
        while f"ke-hoach/{plan_id}/" not in paths and found["more"]:
            found = more_results(driver, len(paths))
            paths = [path_of(item["href"]) for item in found["items"]]
        if f"ke-hoach/{plan_id}/" not in paths:
            missing[query] = paths
        bundles_seen.update(year_of(path) for path in paths if path.startswith("ke-hoach/"))
        assert not any(core.STROKE in item["text"] + item["title"] for item in found["items"]), found
    assert missing == {}, missing
    assert len(bundles_seen) >= 3, bundles_seen


AXE_ON_DIALOG = """
const done = arguments[arguments.length - 1];
axe.run(document.getElementById('pp-search'), {resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))])), e => done([['error', [String(e)]]]));
"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_search_dialog_with_results_has_no_accessibility_violation(driver, search_base, viewport):
    from benchmarks.a11y import AXE

    assert AXE.is_file(), f"axe-core is needed: npm ci --prefix tests/a11y ({AXE} is missing)"
    box = open_search(driver, search_base, viewport)
    assert type_query(driver, box, "khen thuong")["items"]
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    assert driver.execute_async_script(AXE_ON_DIALOG) == []


def year_of(path: str) -> str:
    return path.split("/")[1][:9]


@pytest.mark.parametrize(("query", "viewport"), [("dong da", "phone"), ("Đống Đa", "desktop")])
def test_the_page_opened_highlights_the_words_matched(driver, base, query, viewport):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    box = open_search(driver, base, viewport)
    found = type_query(driver, box, query)
    assert path_of(found["items"][0]["href"]) == f"ke-hoach/{DONG_DA}/", found
    driver.find_element(By.CSS_SELECTOR, "#pp-search a.pagefind-ui__result-link").click()
    marks = WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return [...document.querySelectorAll('article mark.pp-highlight')].map(m => m.textContent)")
    )  # textContent: a mark in a table not yet scrolled to is not laid out (content-visibility), so it has no innerText
    assert driver.current_url.split("?")[0].endswith(f"/ke-hoach/{DONG_DA}/")
    assert {"Đống", "Đa"} <= set(marks), marks  # the words as printed, found without or with diacritics
    assert all(fold(mark) in {"dong", "da"} for mark in marks), marks  # no "Đảng", "đạo" for "da"
    if query == "Đống Đa":  # typed with diacritics: exactly those, not "động" or "đồng"
        assert set(marks) <= {"Đống", "Đa", "đống", "đa", "ĐỐNG", "ĐA"}, marks
    assert "Đống Đa" in driver.find_element(By.CSS_SELECTOR, "article").text


def test_filters_narrow_the_results(driver, search_base):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    box = open_search(driver, search_base, "desktop")
    found = type_query(driver, box, "thi dua")
    assert len(found["items"]) >= 5, found
    names = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#pp-search .pagefind-ui__filter-name")]
    assert set(names) == {core.FILTER_YEAR, core.FILTER_ISSUER, core.FILTER_KIND, core.FILTER_UNIT, core.FILTER_MOVEMENT}, names
    block = driver.find_element(By.XPATH, f"//*[@id='pp-search']//details[.//*[contains(@class,'pagefind-ui__filter-name')][normalize-space()='{core.FILTER_ISSUER}']]")
    block.find_element(By.CSS_SELECTOR, "summary").click()
    label = block.find_element(By.XPATH, ".//label[contains(normalize-space(), 'Phòng GDĐT quận Đống Đa')]")
    label.click()

    def narrowed(d):
        now = d.execute_script(RESULTS_JS)
        paths = [path_of(i["href"]) for i in now["items"]]
        return paths if not now["loading"] and paths == [f"ke-hoach/{DONG_DA}/"] else False

    WebDriverWait(driver, 20).until(narrowed)


def test_nothing_found_for_an_absent_word(driver, base):
    box = open_search(driver, base, "desktop")
    found = type_query(driver, box, "xyzzyquux")
    assert found["items"] == [] and found["message"] == "Không tìm thấy kết quả cho xyzzyquux", found


def test_search_opens_from_any_page_and_closes(driver, base, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    plan = f"{base}ke-hoach/{site.busiest_plan().id}/"
    box = open_search(driver, plan, "phone")
    assert driver.execute_script("return document.activeElement") == box  # ready to type
    dialog = driver.find_element(By.ID, "pp-search")
    size = dialog.size
    assert size["width"] == PHONE[0] and size["height"] == PHONE[1], size  # the whole screen on a phone
    box.send_keys(Keys.ESCAPE)
    WebDriverWait(driver, 10).until(lambda d: not d.execute_script("return document.getElementById('pp-search').open"))
    # "/" opens it again, as on Material's
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.getElementById('pp-search').open"))


# ------------------------------------------------------------------- the fixture site, one plan


@pytest.mark.parametrize(("query", "original"), [("bao cao", "báo cáo"), ("tong ket", "Tổng kết"), ("doi moi", "Đổi mới")])
def test_search_forgives_missing_diacritics(driver, mini_base, query, original):
    box = open_search(driver, mini_base, "desktop")
    found = type_query(driver, box, query)
    plan = next((item for item in found["items"] if path_of(item["href"]) == MINI_PLAN), None)
    assert plan, found
    assert original.lower() in plan["text"].lower() and query not in plan["text"].lower(), plan["text"]
    assert {fold(mark.strip(".,;:")) for mark in plan["marks"]} <= set(query.split()), plan["marks"]


def test_accent_free_search_on_a_phone(driver, base, shots_dir, record_property):
    box = open_search(driver, base, "phone")
    found = type_query(driver, box, "bao cao")
    assert any({"báo", "cáo"} <= {m.lower().strip(".,;:") for m in item["marks"]} for item in found["items"]), found
    assert all("bao cao" not in item["text"].lower() for item in found["items"]), found
    metrics = layout(driver)
    assert metrics["scrollWidth"] <= metrics["innerWidth"] == PHONE[0], metrics
    path = screenshot(driver, shots_dir / "search-bao-cao-phone.png")
    record_property("screenshot-search-bao-cao-phone", str(path))
    assert png_size(path)[0] == PHONE[0], path
