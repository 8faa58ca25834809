"""axe-core finds no accessibility violation on the pages of the budget (issue #10), at 390 px and 1280 px.

The seed site is built with `mkdocs build --strict` and served on 127.0.0.1; axe-core (tests/a11y,
`npm ci --prefix tests/a11y`) runs in headless Chromium on the pages benchmarks/a11y.py audits:
home, the largest plan page, the units, movements and Lịch pages, and the unit, movement and
timeline pages once they exist. Lighthouse itself is slow: `python -m benchmarks.a11y` gives its scores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.a11y import AXE, audit_pages, plan_ids
from browser import DESKTOP, PHONE, open_page, serve, set_viewport
from conftest import ROOT


pytestmark = pytest.mark.browser

# Violations tolerated for now, each on exactly one element: (axe rule, CSS selector axe reports).
# Material's search dialog has no accessible name; search moves to Pagefind (issue #10, the search
# work), which replaces this element: delete the entry when it lands, so nothing else hides here.
NOT_OURS_YET: set[tuple[str, str]] = set()  # violations of code that is not ours: none left

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(
  (r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                        targets: v.nodes.map((n) => n.target.join(' '))}))),
  (e) => done({error: String(e)}));
"""


# Long blocks are laid out only near the screen (content-visibility in planpub.css); axe cannot
# measure the contrast of text not laid out, so every block is rendered before it looks.
RENDER_ALL = """const s = document.createElement('style');
s.textContent = '.md-typeset * { content-visibility: visible !important; }';
document.head.appendChild(s);"""


def violations(driver, url: str, axe_source: str) -> list[dict]:
    open_page(driver, url)
    driver.execute_script(RENDER_ALL)
    driver.execute_script(axe_source)
    driver.set_script_timeout(60)
    result = driver.execute_async_script(RUN_AXE)
    assert not isinstance(result, dict), result
    return result


def tolerated(violation: dict) -> bool:
    return all((violation["id"], target) in NOT_OURS_YET for target in violation["targets"])


def test_the_budget_covers_the_pages_issue_10_names(seed_site: Path) -> None:  # noqa: F811
    pages = audit_pages(seed_site, plan_ids(ROOT / "plans"))
    assert {"home", "plan", "units", "movements", "calendar"} <= pages.keys(), pages
    for page in pages.values():
        assert (seed_site / page / "index.html").is_file(), page


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_axe_finds_no_violation(driver, seed_site: Path, viewport: str) -> None:  # noqa: F811
    if not AXE.is_file():
        pytest.fail(f"axe-core is needed: npm ci --prefix tests/a11y ({AXE} is missing)")
    axe_source = AXE.read_text(encoding="utf-8")
    set_viewport(driver, *(PHONE if viewport == "phone" else DESKTOP))
    found = {}
    with serve(seed_site) as base:
        for name, page in audit_pages(seed_site, plan_ids(ROOT / "plans")).items():
            problems = [v for v in violations(driver, base + page, axe_source) if not tolerated(v)]
            if problems:
                found[f"{name} /{page}"] = [f"{v['id']} ({v['impact']}): {v['help']} — {v['targets'][:3]}" for v in problems]
    assert not found, "\n".join(f"{page}: {v}" for page, vs in found.items() for v in vs)
