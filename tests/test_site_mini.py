"""Build the small fixture project with mkdocs into a temp dir and assert on the real HTML."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_plan_page_exists_with_register_block(mini_site):
    body = page(mini_site, "ke-hoach/2024-mau-01/index.html")
    register = body[body.index('class="pp-register"') : body.index("</dl>")]
    text = text_of(register)
    for expected in ["01/KH-PGDĐT", "Phòng Giáo dục và Đào tạo huyện Mẫu", "02/01/2024", "TRƯỞNG PHÒNG — Nguyễn Văn A", "Năm 2024"]:
        assert expected in text


def test_task_table_has_deadlines_as_written_and_due_day(mini_site):
    text = text_of(page(mini_site, "ke-hoach/2024-mau-01/index.html"))
    assert "Trước ngày 19/01/2024" in text and "hạn: 18/01/2024" in text
    assert "Tháng 05/2024" in text and "hạn: 31/05/2024" in text


def test_template_syntax_and_html_in_plan_text_stay_literal(mini_site):
    body = page(mini_site, "ke-hoach/2024-mau-01/index.html")
    assert "{{ 7*7 }}" in text_of(body) and "49" not in text_of(body).split("văn bản có")[1][:20]
    assert "{% if x %}" in text_of(body)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="javascript:' not in body.lower()


def test_jsonld_is_valid_legislation(mini_site):
    body = page(mini_site, "ke-hoach/2024-mau-01/index.html")
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "01/KH-PGDĐT"
    assert data["url"].endswith("/ke-hoach/2024-mau-01/")


def test_every_page_has_a_meta_description(mini_site):
    for path in mini_site.rglob("*.html"):
        if path.name == "404.html":
            continue
        assert re.search(r'<meta name="description" content="[^"]+"', page(mini_site, str(path.relative_to(mini_site)))), path


def test_vietnamese_anchors_keep_d(mini_site):
    body = page(mini_site, "ke-hoach/2024-mau-01/index.html")
    assert 'id="1-doi-moi"' in body
    assert 'id="i-muc-dich-yeu-cau"' in body


def test_lists_and_home(mini_site):
    assert "2024-mau-01/" in page(mini_site, "ke-hoach/index.html")
    assert "2024-mau-01/" in page(mini_site, "ke-hoach/theo-co-quan/index.html")
    home = text_of(page(mini_site, "index.html"))
    assert "Kế hoạch mới nhất" in home and "Kế hoạch 01/KH-PGDĐT" in home


def test_two_builds_are_byte_identical(mini_site, tmp_path):
    from conftest import FIXTURES, make_project, mkdocs_build

    project = make_project(tmp_path / "again", FIXTURES / "mini" / "plans")
    second = tmp_path / "site2"
    done = mkdocs_build(project, second)
    assert done.returncode == 0, done.stderr
    first_files = sorted(p.relative_to(mini_site) for p in mini_site.rglob("*") if p.is_file())
    second_files = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert first_files == second_files
    differing = [p for p in first_files if (mini_site / p).read_bytes() != (second / p).read_bytes()]
    assert differing == []


def test_site_dates_follow_the_data_not_the_clock(mini_site):
    # Outside git, the reference day is the newest `updated` of the plans (02/01/2024 in the fixture).
    sitemap = page(mini_site, "sitemap.xml")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2024-01-02"}


def test_a_plan_lists_the_plans_based_on_it(tmp_path):
    """A base that names a plan of the corpus links both ways: down to it, and back from it."""
    from conftest import FIXTURES, make_project, mkdocs_build
    from generator.cli import main

    project = make_project(tmp_path / "project", FIXTURES / "mini" / "plans")
    source = (project / "plans/2024/2024-mau-01.yaml").read_text(encoding="utf-8")
    school = (
        source.replace("id: 2024-mau-01", "id: 2024-mau-truong-01")
        .replace("number: 01/KH-PGDĐT", "number: 05/KH-THCS")
        .replace("    subject: công tác thi đua năm 2024\n", "    subject: công tác thi đua năm 2024\n  - kind: Kế hoạch\n    number: 01/KH-PGDĐT\n    plan: 2024-mau-01\n")
    )
    (project / "plans/2024/2024-mau-truong-01.yaml").write_text(school, encoding="utf-8")
    assert main(["--project", str(project), "calendar"]) == 0
    done = mkdocs_build(project, tmp_path / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    base = page(tmp_path / "site", "ke-hoach/2024-mau-01/index.html")
    followers = base[base.index('id="ke-hoach-can-cu-vao-ke-hoach-nay"') :]
    assert 'href="../2024-mau-truong-01/"' in followers[: followers.index("</ul>")]
    school_page = page(tmp_path / "site", "ke-hoach/2024-mau-truong-01/index.html")
    assert 'href="../2024-mau-01/"' in school_page
