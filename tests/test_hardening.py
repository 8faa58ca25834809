"""Hardening (issue 8) cases a copied bad-input folder cannot carry, and the pieces of the defence:
files that are not plain files, the sanitiser's allowlist, escaping for each context, limits."""

from __future__ import annotations

import json
import os
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from generator import limits, sanitize, theme
from generator.corpus import LIST_PAGES, PLANS_DIR, load_project
from generator.load import LoadError, read_bounded
from generator.markup import markdown_block, table_cell
from test_load import lines_with, planpub

MINI_PLANS = FIXTURES / "mini" / "plans"
PLAN = MINI_PLANS / "2024" / "2024-mau-01.yaml"


def plans_only(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(MINI_PLANS, project / PLANS_DIR)
    return project


def check_errors(project: Path) -> list[str]:
    done = planpub(project, "check")
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    return lines_with(done.stderr, ": lỗi:")


# ---- only regular files inside the project ---------------------------------------------------------


def test_symlink_to_etc_passwd_is_refused_and_never_read(tmp_path):
    project = plans_only(tmp_path)
    os.symlink("/etc/passwd", project / "plans/2024/x.yaml")
    errors = check_errors(project)
    assert errors == [f"plans/2024/x.yaml:1:1: lỗi: {errors[0].split(': lỗi: ', 1)[1]}"]
    assert "symlink" in errors[0]
    assert "root:" not in planpub(project, "check").stderr  # nothing of the file reaches the log


def test_symlink_to_dev_zero_is_refused_at_once(tmp_path):
    project = plans_only(tmp_path)
    os.symlink("/dev/zero", project / "plans/2024/zero.yaml")
    started = time.perf_counter()
    errors = check_errors(project)
    assert time.perf_counter() - started < 30
    assert len(errors) == 1 and errors[0].startswith("plans/2024/zero.yaml:1:1: lỗi:")


def test_a_fifo_is_refused_without_hanging(tmp_path):
    project = plans_only(tmp_path)
    os.mkfifo(project / "plans/2024/fifo.yaml")
    errors = check_errors(project)
    assert len(errors) == 1 and errors[0].startswith("plans/2024/fifo.yaml:1:1: lỗi:") and "FIFO" in errors[0]


def test_a_plan_outside_the_project_is_not_published(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(PLAN, elsewhere / "2024-mau-09.yaml")
    project = plans_only(tmp_path)
    os.symlink(elsewhere / "2024-mau-09.yaml", project / "plans/2024/2024-mau-09.yaml")
    os.symlink(elsewhere, project / "plans/2025")  # a symlinked folder is refused too, never walked
    errors = check_errors(project)
    assert [e.split(":")[0] for e in errors] == ["plans/2024/2024-mau-09.yaml", "plans/2025"], errors


def test_a_symlinked_ledger_is_refused(tmp_path):
    project = plans_only(tmp_path)
    ledger = project / "plans/_ledger/calendar.json"
    ledger.rename(tmp_path / "calendar.json")
    os.symlink(tmp_path / "calendar.json", ledger)
    errors = check_errors(project)
    assert len(errors) == 1 and errors[0].startswith("plans/_ledger/calendar.json:1:1: lỗi:")


def test_reading_is_bounded_before_the_content_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(limits.MAX_BYTES + 1)  # sparse: no byte is written or read
    with pytest.raises(LoadError, match="tệp quá lớn"):
        read_bounded(big, "big.yaml", limits.MAX_BYTES)
    assert read_bounded(PLAN, "x", limits.MAX_BYTES) == PLAN.read_bytes()


def test_list_page_names_are_reserved_ids(tmp_path):
    """Every generated page beside the plan, unit and movement pages has its name reserved."""
    from conftest import make_project
    from generator.pages import MOVEMENTS_URL, PLANS_URL, UNITS_URL
    from generator.site import build

    from generator.paging import Layout

    project = make_project(tmp_path / "p", ROOT / "plans")
    # the smallest layout splits every list, so every folder of a split list is there too
    files = build(project, "https://example.org/", layout=Layout(*[1] * len(Layout.__dataclass_fields__))).files
    corpus = load_project(project)
    ids = {"plans": {p.id for p in corpus.plans}, "units": set(corpus.units), "movements": set(corpus.movements)}
    for kind, folder in (("plans", PLANS_URL), ("units", UNITS_URL), ("movements", MOVEMENTS_URL)):
        # the first name under the folder: a page (x.md) or a folder of pages (x/…)
        beside = {path[len(folder) + 1:].split("/")[0].removesuffix(".md") for path in files
                  if path.startswith(folder + "/") and path.endswith(".md")}
        assert beside - ids[kind] == set(LIST_PAGES[kind]), kind


def test_a_unit_or_movement_named_index_is_refused(tmp_path):
    project = plans_only(tmp_path)
    (project / "plans/_registry/units-index.yaml").write_text("units:\n  - id: index\n    name: Trang\n", encoding="utf-8")
    (project / "plans/_registry/movements-index.yaml").write_text(
        "movements:\n  - id: index\n    name: Trang\n    kind: cuoc-van-dong\n", encoding="utf-8"
    )
    errors = check_errors(project)
    assert [e.split(":")[0] for e in errors] == ["plans/_registry/movements-index.yaml", "plans/_registry/units-index.yaml"], errors
    assert all("trùng tên một trang danh sách" in e for e in errors)


# ---- the sanitiser ---------------------------------------------------------------------------------


class Tree(HTMLParser):
    """Tags, attributes and text of an HTML fragment, to compare two fragments as a browser would."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", " ".join(data.split())))


def test_the_sanitiser_keeps_every_element_of_the_seed_pages(seed_pages_html):
    """What Python-Markdown and Material make of every real page passes the allowlist unchanged."""
    assert len(seed_pages_html) >= 10
    for path, html in seed_pages_html.items():
        assert Tree(sanitize.clean_html(html)).items == Tree(html).items, path


@pytest.fixture(scope="module")
def seed_pages_html() -> dict[str, str]:
    """The body HTML of every page of the repository's site, rendered as mkdocs renders it."""
    import markdown

    from conftest import ROOT
    from generator.bulk import unpacked
    from generator.site import build
    from generator.slug import slugify

    result = build(ROOT, "https://example.org/")
    pages = {path: unpacked(text) for path, text in result.files.items() if path.endswith(".md")}
    for path in (ROOT / "content").rglob("*.md"):
        pages[path.relative_to(ROOT / "content").as_posix()] = path.read_text(encoding="utf-8")
    rendered = {}
    for path, text in pages.items():
        body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
        rendered[path] = markdown.markdown(
            body,
            extensions=["toc", "tables", "attr_list", "admonition"],
            extension_configs={"toc": {"permalink": True, "slugify": slugify}},
        )
    return rendered


@pytest.mark.parametrize(
    "dirty, clean",
    [
        ('<img src=x onerror="alert(1)">', '<img src="x">'),
        ("<script>alert(1)</script>x", "x"),
        ("<style>*{}</style>x", "x"),
        ('<a href="javascript:alert(1)">a</a>', "<a>a</a>"),
        ('<a href="JaVaScRiPt:alert(1)">a</a>', "<a>a</a>"),
        ('<a href="java&#10;script:alert(1)">a</a>', "<a>a</a>"),
        ('<a href="data:text/html,x">a</a>', "<a>a</a>"),
        ('<a href="vbscript:x">a</a>', "<a>a</a>"),
        ('<svg onload="alert(1)"><circle r="1" onclick="x"></circle></svg>', '<svg><circle r="1"></circle></svg>'),
        ('<iframe src="https://example.org"></iframe>x', "x"),
        ('<form action="https://example.org"><input name="a"></form>', ""),
        ('<p style="color: red" onclick="x">a</p>', "<p>a</p>"),
        ('<td style="text-align: left; background: url(x)">a</td>', "a"),
        ("<!--<script>-->a", "a"),
        ('<a href="https://example.org/" target="_blank">a</a>', '<a href="https://example.org/">a</a>'),
    ],
)
def test_the_sanitiser_removes_what_is_not_allowed(dirty, clean):
    assert sanitize.clean_html(dirty) == clean


@pytest.mark.parametrize(
    "html",
    [
        '<h2 id="x">Tiêu đề<a class="headerlink" href="#x" title="Permanent link">¶</a></h2>',
        '<div class="admonition note"><p class="admonition-title">Ghi chú</p><p>x</p></div>',
        '<p><a class="md-button md-button--primary" href="webcal://example.org/lich/a.ics">Lịch</a></p>',
        '<dl class="pp-register"><dt>Số</dt><dd>1<br><small>a</small></dd></dl>',
        # an aligned column (nh3 writes the style as "text-align:center")
        '<table><thead><tr><th style="text-align:center">a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>',
        '<p><a href="mailto:a@example.org">a</a> <a href="tel:+84123">b</a> <a href="../x/#y">c</a></p>',
        '<div data-pagefind-body="" data-pagefind-meta="title:x"><time datetime="2024-01-02">02/01/2024</time></div>',
        '<details class="pp-qr"><summary>QR</summary><img src="qr/a.svg" alt="QR" width="200" height="200" loading="lazy"></details>',
        '<button type="button" class="pp-copy" data-copy="https://example.org/a.ics">Sao chép</button><code>x</code>',
    ],
)
def test_the_sanitiser_keeps_what_the_site_needs(html):
    assert Tree(sanitize.clean_html(html)).items == Tree(html).items


def test_the_timeline_svg_passes_and_hostile_svg_is_cleaned():
    drawing = (
        '<svg class="pp-tl-chart" viewBox="0 0 1000 58" width="100%" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<path class="pp-tl-tick" d="M0.0 20V58M11.3 20V58"></path><text class="pp-tl-month" x="4.0" y="16">T1/2023</text>'
        '<a href="../../ke-hoach/x/#nv-a" tabindex="-1"><title>Nhiệm vụ</title><rect x="1" y="1" width="2" height="2" rx="1"></rect>'
        '<circle cx="1" cy="1" r="1"></circle><path d="M0 0L1 1"></path></a></svg>'
    )
    assert Tree(sanitize.clean_html(drawing)).items == Tree(drawing).items
    hostile = (
        '<svg onload="x"><a href="javascript:x"><rect style="x"></rect></a><script>x</script>'
        '<foreignObject><img src=x onerror=y></foreignObject><use href="#x"></use><animate attributeName="href"></animate></svg>'
    )
    assert sanitize.clean_html(hostile) == "<svg><a><rect></rect></a></svg>"
    assert "<svg" not in sanitize.cleaner(sanitize.HTML).clean(drawing)  # SVG is one table, joined in ALLOWED


def test_text_only_keeps_entities_and_drops_tags():
    assert sanitize.text_only('A &amp; B <img src=x onerror=alert(1)><b>c</b>') == "A &amp; B c"
    assert sanitize.text_only("&lt;script&gt;") == "&lt;script&gt;"


# ---- escaping for each context ---------------------------------------------------------------------


def test_structured_data_cannot_leave_its_script_element():
    data = json.dumps({"spatialCoverage": "Mẫu <!--<script></script>&"}, ensure_ascii=True)
    safe = theme.script_json(data)
    assert "<" not in safe and ">" not in safe and "&" not in safe
    assert json.loads(safe) == json.loads(data)
    page = theme.add_structured_data("<html><head><title>x</title></head><body></body></html>", data)
    assert page.index('<script type="application/ld+json">') < page.index("</head>")


def test_front_matter_and_titles_are_escaped_for_the_theme():
    class Link:
        def __init__(self, title, children=()):
            self.title, self.children = title, list(children)

    class Page:
        def __init__(self):
            self.meta = {"title": 'Công tác"><img src=x onerror=alert(1)>', "hide": ["navigation"], "n": 3}
            self.toc = [Link("A &amp; B <img src=x>", [Link("<b>c</b>")])]
            self._title_from_render = None

        @property
        def title(self):
            return self.__dict__.get("title", self.meta.get("title"))

        @title.setter
        def title(self, value):
            self.__dict__["title"] = value

    page = Page()
    theme.escape_page(page)
    theme.escape_page(page)  # once only: no double escaping
    assert page.meta == {"title": "Công tác&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", "hide": ["navigation"], "n": 3}
    assert page.title == page.meta["title"]
    assert [page.toc[0].title, page.toc[0].children[0].title] == ["A &amp; B ", "c"]


# ---- plan text stays text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "- [x]: javascript:alert(1)\n\n[bấm][x]",
        "[a](jav\nascript:alert(1))",
        "[y]:\n  javascript:alert(2)\n\n[t][y]",
        "![ảnh](https://example.org/x.png)",
        "[a](javascript:alert(1))",
        "<a href='javascript:x'>b</a>",
        "`code` \\*",
    ],
)
def test_markdown_from_plan_text_has_no_live_link_other_than_web_links(text):
    import markdown

    html = markdown.markdown(str(markdown_block(text)))
    assert "<a" not in html and "<img" not in html and "<code" not in html, html


def test_web_links_and_emphasis_still_work():
    import markdown

    html = markdown.markdown(str(markdown_block("**Gửi** [báo cáo](https://example.org/a?b=1&c=2) và [thư](mailto:a@example.org)")))
    assert html == (
        '<p><strong>Gửi</strong> <a href="https://example.org/a?b=1&amp;c=2">báo cáo</a> và '
        '<a href="mailto:a@example.org">thư</a></p>'
    )


def test_a_pipe_in_a_task_stays_in_its_cell():
    import markdown

    typed = "a | b và c \\| d"  # a pipe, then a backslash and a pipe
    row = f"| 1 | {table_cell(typed)} | x |"
    html = markdown.markdown("| TT | Nhiệm vụ | Hạn |\n| --- | --- | --- |\n" + row, extensions=["tables"])
    cells = [c for c in Tree(html).items if c[0] == "text"]
    assert cells[3:] == [("text", "1"), ("text", "a | b và c \\| d"), ("text", "x")], html
