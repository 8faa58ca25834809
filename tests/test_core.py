"""The pipeline core stands alone: a complete docs tree for any site engine, without mkdocs."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from conftest import FIXTURES, ROOT, make_project


def test_core_never_imports_mkdocs():
    code = (
        "import sys; import generator.site, generator.cli, generator.feeds, generator.pages, generator.corpus;"
        "print(sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_build_writes_a_complete_docs_tree(tmp_path):
    from generator.site import build, write_tree

    project = make_project(tmp_path / "project", FIXTURES / "mini" / "plans")
    result = build(project, "https://example.org/kh", today=date(2024, 1, 2))
    out = tmp_path / "docs"
    write_tree(result.files, project / "content", out)
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    # hand-written pages, generated pages and feeds side by side
    assert {"huong-dan/han-chot.md", "huong-dan/bien-tap.md", "assets/planpub.css"} <= written
    assert {"index.md", "ke-hoach/index.md", "ke-hoach/theo-co-quan.md", "ke-hoach/2024-mau-01.md", "lich/index.md"} <= written
    assert "lich/tat-ca.ics" in written and "lich/ke-hoach/2024-mau-01.ics" in written
    page = (out / "ke-hoach/2024-mau-01.md").read_text(encoding="utf-8")
    assert "webcal://example.org/kh/lich/ke-hoach/2024-mau-01.ics" in page  # absolute URLs from the given base
    # structured data travels beside the page, for the engine to put in <head> (never in the body)
    assert '"url": "https://example.org/kh/ke-hoach/2024-mau-01/"' in result.structured_data["ke-hoach/2024-mau-01.md"]
    assert "ld+json" not in page
    assert "Mẫu, 02/01/2024" in page  # the issue date as printed, after the place
