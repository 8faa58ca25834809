"""planpub's own files besides the code: page templates, site assets, the editors' guide, the seed
plans and the CI files a new site starts with.

They live at the same relative path in both places planpub runs from: at the top of a checkout of
this repository, and under `generator/_project/` in an installed wheel (pyproject.toml maps them
there). So the repository stays the one source of truth and nothing is copied by hand.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_WHEEL = PACKAGE / "_project"
BASE = _WHEEL if _WHEEL.is_dir() else PACKAGE.parent

THEME_DIR = "site_templates/theme"  # Material overrides: partials/header.html, partials/pagefind.html
ASSETS = "content/assets"  # served as assets/… on every site, unless its own docs hold the same path


def shipped(rel: str) -> Path:
    """A file or folder shipped with planpub, by its path in the repository."""
    return BASE / rel


def asset_files() -> dict[str, bytes]:
    """{docs path: bytes} of every shipped site asset (CSS, scripts …), whatever the folder holds."""
    root = shipped(ASSETS)
    return {
        "assets/" + path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
