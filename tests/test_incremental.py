"""`planpub serve` rebuilds incrementally (`mkdocs serve --dirty`, generator/plugin.py): after each
edit the site it serves is, file for file and byte for byte, the site a full build of the same
project gives, while the pages the edit does not touch are not written again.

The builds run as `mkdocs serve` runs them (one process, the plugin kept across rebuilds, the local
address as site_url), without the HTTP server: tests/test_serve.py covers that part.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT, make_project
from test_cli import planpub

URL = "http://127.0.0.1:8000/planpub/"
FIRST, SECOND = "plans/2024/2024-mau-01.yaml", "plans/2024/2024-mau-02.yaml"

# Builds the project into a folder as `mkdocs serve [--dirty]` does; with edits, rebuilds after
# each one (a JSON list of [file, old, new]) and records the mtime of every written file.
BUILDER = r"""
import json, logging, os, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

project, site, mode, edits = Path(sys.argv[1]), sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
dirty = mode != "full"
url = sys.argv[5]
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")

def config():
    c = load_config(config_file=str(project / "mkdocs.yml"), site_dir=site)
    c.site_url = url
    return c

first = config()
first.plugins.on_startup(command="serve", dirty=dirty)
build(first, serve_url=url, dirty=dirty)
for file, old, new in edits:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = {str(p): p.stat().st_mtime_ns for p in Path(site).rglob("*") if p.is_file()}
    if mode == "preview":  # as planpub serve does: the edited plans' pages first (plugin.show_edited_plans)
        shown = first.plugins["planpub"].show_edited_plans()
        written = {os.path.relpath(p, site): p.read_text(encoding="utf-8") for p in Path(site).rglob("*")
                   if p.is_file() and before.get(str(p)) != p.stat().st_mtime_ns}
    build(config(), serve_url=url, dirty=dirty)
    if mode == "preview":
        rebuilt = {path: (Path(site) / path).read_text(encoding="utf-8") for path in written}
        print("PREVIEW " + json.dumps({"shown": shown, "written": written, "rebuilt": rebuilt}))
    after = {str(p): p.stat().st_mtime_ns for p in Path(site).rglob("*") if p.is_file()}
    print(json.dumps(sorted(os.path.relpath(p, site) for p in after if before.get(p) == after[p])))
"""


def serve_build(project: Path, site: Path, dirty: bool, edits: list[list[str]] = (), preview: list | None = None) -> list[list[str]]:
    """The builds' lists of files left untouched by each rebuild. With `preview` (a list), each
    edit first shows the edited plans' pages as planpub serve does; what that wrote is appended."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    mode = "preview" if preview is not None else "dirty" if dirty else "full"
    done = subprocess.run(
        [sys.executable, "-c", BUILDER, str(project), str(site), mode, json.dumps(list(edits)), URL],
        cwd=project, capture_output=True, text=True, encoding="utf-8", env=env, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    if preview is not None:
        preview.extend(json.loads(line[len("PREVIEW "):]) for line in done.stdout.splitlines() if line.startswith("PREVIEW "))
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("[")]


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def two_plans(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project", FIXTURES / "mini" / "plans")
    text = (project / FIRST).read_text(encoding="utf-8")
    (project / SECOND).write_text(
        text.replace("id: 2024-mau-01", "id: 2024-mau-02").replace("number: 01/KH-PGDĐT", "number: 02/KH-PGDĐT"),
        encoding="utf-8",
    )
    assert planpub("--project", str(project), "calendar").returncode == 0
    return project


def test_an_incremental_rebuild_gives_the_files_of_a_full_build(tmp_path):
    project = two_plans(tmp_path)
    edits = [
        [SECOND, "title: Công tác thi đua năm 2024", "title: Công tác thi đua năm 2024 (sửa lần một)"],
        [SECOND, "deadline: Tháng 05/2024", "deadline: Tháng 06/2024"],  # its feeds and the calendar lists
        ["content/huong-dan/han-chot.md", "\n", "\n\nMột đoạn mới của trang hướng dẫn.\n"],  # a hand-written page
    ]
    untouched = serve_build(project, tmp_path / "served", dirty=True, edits=edits)
    full = tmp_path / "full"
    serve_build(project, full, dirty=False)  # the edited project, built whole
    served = tree(tmp_path / "served")
    assert served.keys() == tree(full).keys()
    assert [path for path, data in served.items() if tree(full)[path] != data] == []

    # Only what an edit touches is written again: the other plan's page and feed stay as they were.
    kept = ("ke-hoach/2024-mau-01/index.html", "lich/ke-hoach/2024-mau-01.ics")
    for files in untouched:
        assert all(path in files for path in kept), files
    assert "ke-hoach/2024-mau-02/index.html" not in untouched[0]
    assert "huong-dan/han-chot/index.html" not in untouched[2]


def test_a_changed_setting_rebuilds_everything(tmp_path):
    project = two_plans(tmp_path)
    edits = [["mkdocs.yml", "site_name:", "site_name: Bản sửa —"]]
    untouched = serve_build(project, tmp_path / "served", dirty=True, edits=edits)
    assert not any(path.endswith(".html") for path in untouched[0])
    full = tmp_path / "full"
    serve_build(project, full, dirty=False)
    assert tree(tmp_path / "served") == tree(full)


def test_serve_shows_an_edited_plan_first_exactly_as_the_full_build_will(tmp_path):
    """The page written before the rebuild (plugin.show_edited_plans, site.preview) is the page the
    rebuild then writes, byte for byte: nothing the editor sees early is a draft of it."""
    project = two_plans(tmp_path)
    edits = [
        [SECOND, "title: Công tác thi đua năm 2024", "title: Công tác thi đua năm 2024 (sửa lần một)"],
        # one more dated task: the page's subscribe block counts one more event in the plan's feed
        [SECOND, "    units: [phong-gddt-mau]\nphases:", "    units: [phong-gddt-mau]\n    deadline: Tháng 06/2024\nphases:"],
        # a unit renamed in the registry: every page naming it changes, nothing is shown early
        ["plans/_registry/units.yaml", "name: Các trường thuộc huyện Mẫu", "name: Các trường học thuộc huyện Mẫu"],
    ]
    previews: list = []
    serve_build(project, tmp_path / "served", dirty=True, edits=edits, preview=previews)
    assert [p["shown"] for p in previews] == [True, True, False]
    page = "ke-hoach/2024-mau-02/index.html"
    assert list(previews[0]["written"]) == [page] == list(previews[1]["written"])
    assert "sửa lần một" in previews[0]["written"][page]
    assert "4 sự kiện" in previews[1]["written"][page] and "3 sự kiện" in previews[0]["written"][page]
    assert previews[2]["written"] == {}

    for shown in previews:  # the rebuild after it wrote the same bytes (and equals a full build: above)
        assert shown["rebuilt"] == shown["written"]
    full = tmp_path / "full"
    serve_build(project, full, dirty=False)
    assert tree(tmp_path / "served") == tree(full)
