"""Acceptance on the shipped plans: planpub check, the built site's pages, and golden Markdown pages."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, check_golden, mkdocs_build

GOLDENS = Path(__file__).resolve().parent / "goldens" / "pages"

# plan id → (number or title shown as the page heading, issuer, issued date, signer name)
SEEDS = {
    "2024-pgddt-thanh-xuan-02": ("02/KH-PGDĐT", "Phòng Giáo dục và Đào tạo quận Thanh Xuân", "02/01/2024", "Phạm Gia Hữu"),
    "2023-pgddt-dong-da-01": ("01/KH-PGDĐT", "Phòng Giáo dục và Đào tạo quận Đống Đa", "06/01/2023", "Trịnh Đan Ly"),
    "2021-2022-sgddt-cdgd-hung-yen": ("Phát động phong trào thi đua năm học 2021 - 2022", "Công đoàn Giáo dục tỉnh Hưng Yên", None, "Đỗ Văn Khải"),
    "2024-2025-pgddt-vinh-thuan-26": ("26 /KH-PGDĐT", "Phòng Giáo dục và Đào tạo huyện Vĩnh Thuận", "15/10/2024", "Mai Thúy Oanh"),
    "2020-hdtdkt-gd-quang-ninh-329": ("329 /KH-HĐTĐKT", "Hội đồng Thi đua - Khen thưởng ngành Giáo dục", "18/02/2020", "Nguyễn Thị Thúy"),
}


def text_of(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_check_passes_on_shipped_plans():
    done = subprocess.run([sys.executable, "-m", "generator.cli", "--project", str(ROOT), "check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    plans = [p for p in (ROOT / "plans").rglob("*.yaml") if not p.relative_to(ROOT / "plans").parts[0].startswith("_")]
    assert len(plans) >= 11  # the five seeds and the school-level plans of tests/test_real_plans.py
    assert re.search(rf"planpub check: {len(plans)} kế hoạch, \d+ nhiệm vụ", done.stdout), done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("plan_id", sorted(SEEDS))
def test_each_seed_has_its_page_with_register_facts(seed_site, plan_id):
    heading, issuer, issued, signer = SEEDS[plan_id]
    body = (seed_site / "ke-hoach" / plan_id / "index.html").read_text(encoding="utf-8")
    h1 = text_of(re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1))
    assert heading in h1
    register = text_of(body[body.index('class="pp-register"') : body.index("</dl>")])
    assert issuer in register
    assert signer in register
    if issued:
        assert issued in register
    else:
        assert "Không ghi ngày" in register and "Không ghi số" in register


def test_dong_da_page_lists_its_18_appendix_tasks_with_deadlines_as_written(seed_site):
    body = (seed_site / "ke-hoach" / "2023-pgddt-dong-da-01" / "index.html").read_text(encoding="utf-8")
    section = body[body.index('id="nhiem-vu-va-thoi-han"') :]
    table = section[: section.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    cells = [[text_of(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]
    appendix = [c for c in cells if re.fullmatch(r"\d+\.", c[0])]
    assert [c[0] for c in appendix] == [f"{i}." for i in range(1, 19)]
    assert appendix[0][3].startswith("Tháng 01/2023")
    assert appendix[1][3].startswith("Trước ngày 25/01/2023") and "hạn: 24/01/2023" in appendix[1][3]
    assert appendix[13][3] == "—"  # row 14 has no deadline
    assert appendix[17][3].startswith("Trước ngày 30/11/2023")
    deadlines = " ".join(c[3] for c in cells)
    assert "trước ngày 19/01/2023" in deadlines.lower()  # body deadlines are tasks too


def test_plan_pages_match_goldens(update_goldens):
    from generator.corpus import load_project
    from generator.pages import Settings, plan_path, render_pages

    from generator.feeds import schedule

    corpus = load_project(ROOT)
    settings = Settings("https://planpub.github.io/planpub/", "Kế hoạch thi đua ngành Giáo dục", date(2026, 11, 23))
    pages = render_pages(corpus, settings, feeds=(f.path for f in schedule(corpus).feeds))
    for plan in corpus.plans:
        check_golden(GOLDENS / f"{plan.id}.md", pages[plan_path(plan)], update_goldens)
    check_golden(GOLDENS / "index.md", pages["index.md"], update_goldens)
    check_golden(GOLDENS / "ke-hoach-index.md", pages["ke-hoach/index.md"], update_goldens)
    check_golden(GOLDENS / "phong-trao-index.md", pages["phong-trao/index.md"], update_goldens)
    check_golden(GOLDENS / "don-vi-index.md", pages["don-vi/index.md"], update_goldens)
    check_golden(GOLDENS / "van-ban-index.md", pages["van-ban/index.md"], update_goldens)


def section_of(body: str, anchor: str) -> str:
    """The HTML from the heading with this id to the next heading of the same or higher level."""
    start = body.index(f'id="{anchor}"')
    rest = body[start:]
    end = re.search(r"<h[1-3][ >]", rest[5:])
    return rest[: end.start() + 5] if end else rest


def test_movement_page_groups_spellings_and_links_plans(seed_site):
    index = (seed_site / "phong-trao" / "index.html").read_text(encoding="utf-8")
    assert 'href="day-tot-hoc-tot/"' in index  # the list is short: names, counts, links
    body = (seed_site / "phong-trao" / "day-tot-hoc-tot" / "index.html").read_text(encoding="utf-8")
    text = text_of(body)
    assert "Dạy tốt - Học tốt" in text and "“Dạy tốt- học tốt”" in text  # Hưng Yên's spelling, as printed
    linked = set(re.findall(r'href="\.\./\.\./ke-hoach/([^/"#]+)/"', body))
    assert {"2024-pgddt-thanh-xuan-02", "2023-pgddt-dong-da-01", "2021-2022-sgddt-cdgd-hung-yen"} <= linked
    # plans by year, each with its own sentence about the movement
    assert "Năm học 2021-2022" in text and "Năm 2024 (năm học 2023-2024)" not in text
    quotes = [text_of(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", body, re.S)]
    assert quotes and all("ạy tốt" in q or "ay tot" in q.lower() or "Dạy" in q for q in quotes), quotes
    # its feed, as a subscription, and its timeline
    assert 'href="webcal://planpub.github.io/planpub/lich/phong-trao/day-tot-hoc-tot.ics"' in body
    assert 'class="pp-timeline"' in body
    # the plan page links its movements to their pages
    plan = (seed_site / "ke-hoach" / "2023-pgddt-dong-da-01" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../phong-trao/day-tot-hoc-tot/"' in plan


def test_unit_page_lists_what_the_unit_must_do_with_its_feed_first(seed_site):
    index = (seed_site / "don-vi" / "index.html").read_text(encoding="utf-8")
    assert 'href="pgddt-dong-da/"' in index
    body = (seed_site / "don-vi" / "pgddt-dong-da" / "index.html").read_text(encoding="utf-8")
    article = body[body.index("<article"):]
    # the subscribe block comes before the list of tasks
    assert article.index("pp-subscribe") < article.index("Việc cần làm")
    assert 'href="webcal://planpub.github.io/planpub/lich/don-vi/pgddt-dong-da.ics"' in body
    assert 'href="../../don-vi/ubnd-quan-dong-da/"' in body  # its parent
    assert 'href="../../ke-hoach/2023-pgddt-dong-da-01/"' in body  # its plan
    # every dated task of the plan given to the unit is listed, on its day, linked to its row
    from generator.corpus import load_project

    corpus = load_project(ROOT)
    mine = corpus.events_by_unit["pgddt-dong-da"]
    assert len(mine) >= 15
    for event in mine:
        assert f'data-last="{event.last.isoformat()}"' in body
        assert f'href="../../ke-hoach/{event.plan.id}/#{event.anchor}"' in body
        assert f'id="{event.anchor}"' in (seed_site / "ke-hoach" / event.plan.id / "index.html").read_text(encoding="utf-8")
    assert (seed_site / "lich" / "don-vi" / "pgddt-dong-da.ics").is_file()


def test_every_school_year_and_year_has_a_timeline_page(seed_site):
    from generator.corpus import load_project

    corpus = load_project(ROOT)
    dated = [p for p in corpus.plans if p.period]
    assert len(dated) < len(corpus.plans)  # a plan that prints no year or school year has no year page
    keys = {p.period.school_year for p in dated} | {str(p.period.year) for p in dated if p.period.year}
    keys.discard(None)
    assert {"2021-2022", "2022-2023", "2023-2024", "2024-2025", "2020", "2023", "2024"} <= keys
    index = (seed_site / "nam-hoc" / "index.html").read_text(encoding="utf-8")
    for key in keys:
        page = (seed_site / "nam-hoc" / key / "index.html").read_text(encoding="utf-8")
        assert f'href="{key}/"' in index
        assert 'class="pp-timeline"' in page and 'class="pp-tl-chart"' in page


def test_documents_page_lists_each_cited_document_once_with_its_plans(seed_site):
    body = (seed_site / "van-ban" / "index.html").read_text(encoding="utf-8")
    items = [text_of(li) for li in re.findall(r"<li>(.*?)</li>", body, re.S)]
    chi_thi_34 = [item for item in items if item.startswith("Chỉ thị số 34-CT/TW")]
    # cited with its date by Quảng Ninh and without one by Đống Đa: one document, two plans
    assert len(chi_thi_34) == 1, chi_thi_34
    assert "ngày 07/4/2014" in chi_thi_34[0]  # as printed
    assert "Kế hoạch 329 /KH-HĐTĐKT" in chi_thi_34[0] and "Kế hoạch 01/KH-PGDĐT" in chi_thi_34[0]
    assert any("4626/KH-SGDĐT" in item and "(thực hiện)" in item for item in items)


def test_plan_pages_carry_open_graph_and_twitter_tags(seed_site):
    """Shared in a chat or a social network, a plan shows its title (number, issuer, year) and summary."""
    from generator.corpus import load_project
    from generator.pages import plan_title

    corpus = load_project(ROOT)
    for plan in corpus.plans:
        page = (seed_site / "ke-hoach" / plan.id / "index.html").read_text(encoding="utf-8")
        head = page[: page.index("</head>")]
        title = html.escape(" ".join(plan_title(plan, corpus).split()), quote=True)
        assert f'<meta property="og:title" content="{title}">' in head, plan.id
        assert f'<meta name="twitter:title" content="{title}">' in head
        assert '<meta property="og:type" content="article">' in head and '<meta name="twitter:card" content="summary">' in head
        assert f'<meta property="og:url" content="https://planpub.github.io/planpub/ke-hoach/{plan.id}/">' in head
        assert re.search(r'<meta property="og:description" content="[^"<>]{40,}">', head)
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:type" content="website">' in home and 'property="og:locale" content="vi_VN"' in home
