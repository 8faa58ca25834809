"""Helpers for the real-browser tests: serve a built site over http, drive headless Chromium.

The machine running the tests may have no network: Chromium starts with background networking,
component updates and sync off, in a fresh profile, and only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import socketserver
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
PHONE = (390, 844)
DESKTOP = (1280, 900)

# Facts about the page measured in one round trip; layout problems show up here first.
LAYOUT_JS = """
const doc = document.documentElement;
function visible(el) {
  if (!el) return false;
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
}
const wider = [...document.querySelectorAll('.md-content *')]
  .filter(el => el.getBoundingClientRect().right > doc.clientWidth + 1 && !el.closest('.md-typeset__scrollwrap, .pp-tl-scroll'))
  .slice(0, 5).map(el => el.tagName + '.' + el.className);
return {
  scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, clientWidth: doc.clientWidth,
  wider: wider,
  h1: visible(document.querySelector('.md-content h1')),
  search: visible(document.querySelector('[data-pp-search-open]')),
};
"""


def chromium_paths() -> tuple[str, str] | None:
    """(browser, driver) executables, or None when either is missing."""
    browser = next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 at a free port, in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="planpub-test-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium(browser: str, driver: str) -> Iterator["webdriver.Chrome"]:
    """Headless Chromium in a fresh profile with no background networking; browser console logged."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="planpub-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--lang=vi",
        f"--user-data-dir={profile}",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_viewport(driver, width: int, height: int) -> None:
    """Make the layout viewport exactly width×height CSS pixels (what a phone of that size shows)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def open_page(driver, url: str) -> None:
    """Load url and wait until the document and Material's bundle are ready."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return typeof document$ !== 'undefined'"))


def reveal(driver, css: str) -> None:
    """Scroll the first element matching css into view and wait until the browser has laid it out:
    long tables, timelines and month lists are only rendered near the screen (content-visibility)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("document.querySelector(arguments[0]).scrollIntoView({block: 'start'})", css)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return document.querySelector(arguments[0]).checkVisibility({contentVisibilityAuto: true})", css))


def layout(driver) -> dict:
    return driver.execute_script(LAYOUT_JS)


def console_errors(driver) -> list[dict]:
    """Console entries of level SEVERE since the last call (reading the log empties it)."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def screenshot(driver, path: Path, max_height: int = 16000) -> Path:
    """A full-page PNG of the current page at the current viewport width (header stays on top)."""
    import base64

    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = driver.execute_script(
        "return [window.innerWidth, Math.min(document.documentElement.scrollHeight, arguments[0])]", max_height
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
