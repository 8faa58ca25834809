"""Shared fixtures. On CI (PLANPUB_REQUIRE_BROWSER=1 or CI=true) a skipped test is a failed test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT / "plans" / "_sources"  # the original documents the seed plans were transcribed from
sys.path.insert(0, str(ROOT))

STRICT = bool(os.environ.get("PLANPUB_REQUIRE_BROWSER") or os.environ.get("CI"))

# Property tests explore at random while developing; on CI they replay the same examples every run,
# so a red build always means a change, never bad luck.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if STRICT:
    _hypothesis_settings.load_profile("ci")


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/goldens/ from the current output (review the diff before committing)",
    )


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def check_golden(path: Path, actual: str | bytes, update: bool) -> None:
    """Compare output with its golden file; with --update-goldens, rewrite the golden instead."""
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    if update or not path.exists():
        if not update:
            pytest.fail(f"missing golden {path}: run pytest --update-goldens and review the diff")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    expected = path.read_bytes()
    if expected != data:
        import difflib

        diff = "".join(
            difflib.unified_diff(
                expected.decode("utf-8", "replace").splitlines(True),
                data.decode("utf-8", "replace").splitlines(True),
                str(path),
                "actual",
                n=2,
            )
        )
        pytest.fail(f"output differs from {path} (pytest --update-goldens to accept):\n{diff[:6000]}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped on CI, which counts as a failure here: {report.longrepr}"


@pytest.fixture(scope="module")
def driver():
    """Headless Chromium (tests/browser.py), one per test module. Skipped only where no browser is
    installed, which CI turns into a failure (above)."""
    pytest.importorskip("selenium", reason="selenium is not installed")
    from browser import chromium, chromium_paths

    paths = chromium_paths()
    if paths is None:
        pytest.skip("chromium or chromedriver is not installed")
    with chromium(*paths) as drv:
        yield drv


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def make_project(dest: Path, plans: Path) -> Path:
    """A project in a temp dir: the repo's mkdocs.yml, content/ and templates, with other plans."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "site_templates", dest / "site_templates")
    shutil.copytree(plans, dest / "plans")
    return dest


def mkdocs_build(project: Path, site: Path) -> "subprocess.CompletedProcess[str]":
    import subprocess

    # PYTHONPATH: the mkdocs plugin must import this checkout's generator, whatever pip installed last.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The small fixture project built once with `mkdocs build --strict`."""
    project = make_project(tmp_path_factory.mktemp("mini") / "project", FIXTURES / "mini" / "plans")
    site = project.parent / "site"
    done = mkdocs_build(project, site)
    assert done.returncode == 0, done.stdout + done.stderr
    return site


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The repository itself (its plans/, content/, mkdocs.yml) built once per session."""
    site = tmp_path_factory.mktemp("seeds") / "site"
    done = mkdocs_build(ROOT, site)
    assert done.returncode == 0, done.stdout + done.stderr
    return site
