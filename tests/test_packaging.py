"""The wheel alone makes a site: build it, install it into a fresh venv, then, in a folder outside
the repository, `planpub init demo && cd demo && planpub check && planpub build`.

The venv is made with --system-site-packages and the wheel installed with --no-deps: planpub's
dependencies (mkdocs, Material, pydantic …) come from the machine, which keeps the test fast and
offline, while everything of planpub itself — code, templates, assets, the seed example, the CI
files — can only come from the wheel: nothing runs from this checkout (no PYTHONPATH, another
working directory, and the test asserts where `generator` was imported from).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from generator import __version__
from generator.scaffold import SHARED_FILES

pytestmark = pytest.mark.slow

IGNORED = shutil.ignore_patterns(".git", "node_modules", "site", "site.old", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", ".planpub-*")


def run(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("src") / "planpub"
    shutil.copytree(ROOT, source, ignore=IGNORED)  # build from a copy: the checkout gets no build/ folder
    dist = source.parent / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", "-w", str(dist), str(source)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (found,) = dist.glob("planpub-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    home = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(home)], check=True, timeout=300)
    bin_dir = home / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PLANPUB_DEBUG", "VIRTUAL_ENV"}}
    env["PATH"] = str(bin_dir) + os.pathsep + env.get("PATH", "")
    env["NO_MKDOCS_2_WARNING"] = "1"
    done = run(bin_dir / "python", "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "-q", wheel, cwd=home, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return bin_dir, env


def test_the_wheel_carries_everything_a_site_needs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = "generator/_project/"
    assert {f"{shipped}site_templates/plan.md.j2", f"{shipped}content/assets/planpub.css", f"{shipped}mkdocs.yml"} <= names
    assert {f"{shipped}{rel}" for rel in SHARED_FILES} <= names
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "site_templates").rglob("*") if p.is_file()}
    assets = {p.relative_to(ROOT).as_posix() for p in (ROOT / "content/assets").rglob("*") if p.is_file()}
    assert {shipped + rel for rel in templates | assets} <= names  # every file of those folders, none listed by hand
    assert not any(n.startswith((f"{shipped}tests/", "tests/", f"{shipped}generator/")) for n in names)
    entry_points = zipfile.ZipFile(wheel).read(f"planpub-{__version__}.dist-info/entry_points.txt").decode()
    assert "planpub = generator.cli:run" in entry_points and "planpub = generator.plugin:PlanpubPlugin" in entry_points


def test_installed_planpub_inits_checks_and_builds_a_site_outside_the_repository(venv, tmp_path):
    bin_dir, env = venv
    work = tmp_path / "work"
    work.mkdir()
    where = run(bin_dir / "python", "-c", "import generator; print(generator.__file__)", cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(bin_dir.parent), where.stdout  # the wheel's code, not the checkout's
    version = run(bin_dir / "planpub", "--version", cwd=work, env=env)
    assert version.stdout.strip() == f"planpub {__version__}"

    done = run(bin_dir / "planpub", "init", "demo", cwd=work, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    demo = work / "demo"
    for command in (["check"], ["fmt", "--check"], ["build"]):
        done = run(bin_dir / "planpub", *command, cwd=demo, env=env)
        assert done.returncode == 0, (command, done.stdout + done.stderr)
    site = demo / "site"
    assert (site / "index.html").is_file() and (site / "ke-hoach/2024-2025-pgddt-vinh-thuan-26/index.html").is_file()
    assert (site / "assets/planpub.css").read_bytes() == (ROOT / "content/assets/planpub.css").read_bytes()
    assert not (demo / "content/assets").exists()  # the assets came from the installed package
    assert (site / "lich/tat-ca.ics").is_file() and (site / "cap-nhat/atom.xml").is_file() and (site / "du-lieu/han-chot.csv").is_file()
    for rel in SHARED_FILES:  # the installed package writes this repository's own CI files
        assert (demo / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
