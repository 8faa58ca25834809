"""What a build lets go of between mkdocs' passes (generator/plugin.py, generator/bulk.py): the
page comes back exactly as it was made, and nothing is given back that a page still needs."""

import platform
from types import SimpleNamespace

import pytest

from generator import bulk
from generator.sanitize import clean_html
from generator.plugin import _HeldPages


def _page(path: str, generated: bool = True) -> SimpleNamespace:
    file = SimpleNamespace(src_uri=path, generated_by="planpub" if generated else None, content_string="# Nguồn")
    return SimpleNamespace(file=file, markdown="# Nguồn", content=None)


def test_a_held_page_comes_back_as_it_was_made_and_cleaned():
    held, page = _HeldPages(), _page("ke-hoach/01-kh.md")
    html = '<h1 id="x">Kế hoạch số 01/KH-PGDĐT — Đống Đa</h1>\n<p>Thời hạn: 15/9/2024 &amp; “trước”</p>' * 200
    page.content = held.hold(page, html)
    assert page.content == "" and page.markdown is None and page.file.content_string == ""
    assert len(held.raw["ke-hoach/01-kh.md"].data) < len(html.encode("utf-8")) // 4  # kept compressed
    held.clean()  # every page at once, before any template (on_env)
    assert held.raw == {} and len(held.pages["ke-hoach/01-kh.md"].data) < len(html.encode("utf-8")) // 4
    held.restore(page)
    assert page.content == clean_html(html) == html  # nothing here for the sanitiser to remove
    assert held.pages == {}
    held.restore(page)  # a page restored once keeps its HTML
    assert page.content == html


@pytest.mark.parametrize("cleaned_first", [True, False])
def test_a_held_page_never_comes_back_uncleaned(cleaned_first):
    held, page = _HeldPages(), _page("ke-hoach/02-kh.md")
    page.content = held.hold(page, '<p>Việc</p><script>alert(1)</script><img src="x" onerror="alert(2)">')
    if cleaned_first:
        held.clean()
    held.restore(page)  # without clean(): cleaned as it comes back
    assert "<p>Việc</p>" in page.content
    assert "script" not in page.content and "onerror" not in page.content and "alert" not in page.content


def test_pages_cleaned_together_come_back_each_as_its_own():  # 300: enough for a forked worker
    held = _HeldPages()
    pages = [_page(f"ke-hoach/{i:04}.md") for i in range(300)]
    for i, page in enumerate(pages):
        page.content = held.hold(page, f"<p>Trang {i}</p><script>x()</script>")
    held.clean()
    for i, page in enumerate(pages):
        held.restore(page)
        assert page.content == f"<p>Trang {i}</p>"


def test_a_page_of_the_project_keeps_its_source_file():
    held, page = _HeldPages(), _page("gioi-thieu.md", generated=False)
    held.hold(page, "<p>Giới thiệu</p>")
    assert page.file.content_string == "# Nguồn"  # read from disk by mkdocs, not ours to empty
    held.restore(page)
    assert page.content == "<p>Giới thiệu</p>"


def test_freed_memory_is_given_back_where_there_is_glibc():
    assert bulk.give_back_memory() is (platform.libc_ver()[0] == "glibc")
    assert bulk.give_back_memory() is (platform.libc_ver()[0] == "glibc")  # the looked-up function, again
