"""The strict YAML loader: every bad-input case through `planpub check`, and read_yaml itself.

Each case of tests/bad_input/ is laid over the mini fixture project and checked by the real command
in a subprocess, exactly as an editor runs it (see tests/bad_input/README.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, make_project
from generator.load import MAX_DEPTH, LoadError, Problem, load_plan, read_yaml

CASES_DIR = Path(__file__).resolve().parent / "bad_input"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
MINI_PLANS = FIXTURES / "mini" / "plans"
FIXTURE_FILE = "plans/2024/2024-mau-01.yaml"


# ---- helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    prefix: str  # "file:line:column: lỗi:"
    rest: str
    severity: str

    def found_in(self, lines: list[str]) -> bool:
        return any(line.startswith(self.prefix) and self.rest in line[len(self.prefix) :] for line in lines)


def read_expected(case: str) -> list[Expected]:
    found = []
    for line in (CASES_DIR / case / "expected").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        for severity in ("lỗi", "cảnh báo"):
            marker = f": {severity}:"
            if marker in line:
                cut = line.index(marker) + len(marker)
                found.append(Expected(line[:cut], line[cut:].strip(), severity))
                break
        else:
            raise AssertionError(f"{case}/expected: no severity in {line!r}")
    return found


def overlay(project: Path, case: str) -> None:
    shutil.copytree(CASES_DIR / case / "plans", project / "plans", dirs_exist_ok=True)


def plans_project(tmp_path: Path, *cases: str) -> Path:
    """A project with only plans/: the fixture's plans plus the cases' files (enough for `check`)."""
    project = tmp_path / "project"
    shutil.copytree(MINI_PLANS, project / "plans")
    for case in cases:
        overlay(project, case)
    return project


def planpub(project: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PLANPUB_DEBUG"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(project), *args],
        cwd=cwd or project,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )


def lines_with(text: str, marker: str) -> list[str]:
    return [line for line in text.splitlines() if marker in line]


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file, but the git-ignored cache a check keeps (a project's .cache/: not its content)."""
    files = (p for p in sorted(directory.rglob("*")) if p.is_file() and ".cache" not in p.relative_to(directory).parts)
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in files}


# ---- the corpus -------------------------------------------------------------------------------


def test_corpus_has_every_required_case():
    required = {
        "duplicate-key", "zero-width-key", "alias-bomb", "deep-nesting", "tag-python", "tag-custom", "tab-indent",
        "not-utf8", "impossible-date-iso", "impossible-date-vn", "timestamp-date", "id-slash", "id-dotdot",
        "id-space", "id-uppercase", "id-too-long", "id-reserved-con", "id-reserved-nul", "nfd-text", "raw-html",
        "template-syntax", "unknown-field", "missing-field", "phase-end-before-start", "period-end-before-start",
        "unknown-issuer", "duplicate-plan-id", "duplicate-task-id", "number-as-text", "yaml11-strings",
        "empty-file", "top-level-list", "two-documents", "unreadable-deadline",
        # issue 8 (hardening): hostile text, values check must refuse before build or calendar crash
        "xss-title", "xss-number", "xss-kind", "xss-unit-name", "jsonld-breakout", "javascript-reference-links",
        "id-trailing-newline", "deadline-year-9999", "anniversary-year-9999", "date-before-1900",
        "integer-5000-digits", "float-infinite", "control-characters", "reserved-id-index",
        "reserved-id-theo-co-quan", "yml-extension", "text-too-long", "deadline-75000-spaces",
        "closing-lt-spaces", "emphasis-bomb", "image-bracket-bomb", "too-many-lines", "list-nested-too-deep",
        "long-key", "pipe-in-task-text", "ledger-duplicate-uid", "ledger-sequence-2-31",
        "ledger-sequence-5000-digits", "ledger-nested-deep",
    }
    assert required <= set(CASES)
    for case in CASES:
        assert (CASES_DIR / case / "expected").is_file(), case
        assert [p for p in (CASES_DIR / case / "plans").rglob("*") if p.is_file()], case


def test_corpus_files_are_what_they_claim():
    deep = (CASES_DIR / "deep-nesting/plans/2024/2024-mau-02.yaml").read_bytes()
    assert b"[" * 30_000 + b"]" * 30_000 in deep
    with pytest.raises(UnicodeDecodeError):
        (CASES_DIR / "not-utf8/plans/2024/2024-mau-02.yaml").read_bytes().decode("utf-8")
    assert "\u200b" in (CASES_DIR / "zero-width-key/plans/2024/2024-mau-02.yaml").read_text(encoding="utf-8")
    nfd = (CASES_DIR / "nfd-text/plans/2024/2024-mau-02.yaml").read_text(encoding="utf-8")
    assert "\u0302" in nfd  # a combining circumflex: the file really is decomposed
    assert "\t" in (CASES_DIR / "tab-indent/plans/2024/2024-mau-02.yaml").read_text(encoding="utf-8")
    assert (CASES_DIR / "empty-file/plans/2024/2024-mau-02.yaml").read_bytes() == b""


@pytest.mark.parametrize("case", CASES)
def test_bad_input_case(case, tmp_path):
    expected = read_expected(case)
    project = plans_project(tmp_path, case)
    planpub(project, "calendar")  # as an editor does after adding a plan; refused when the plans have errors
    started = time.perf_counter()
    done = planpub(project, "check")
    elapsed = time.perf_counter() - started
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert elapsed < 30, f"{case}: check took {elapsed:.1f} s"  # hostile input is refused in seconds, not minutes
    stderr = done.stderr.splitlines()
    for item in expected:
        assert item.found_in(stderr), f"{case}: missing {item.prefix} {item.rest}\n{done.stderr}"
    errors = lines_with(done.stderr, ": lỗi:")
    warnings = [line for line in lines_with(done.stderr, ": cảnh báo:") if not line.startswith(FIXTURE_FILE)]
    assert len(errors) == sum(e.severity == "lỗi" for e in expected), done.stderr
    assert len(warnings) == sum(e.severity == "cảnh báo" for e in expected), done.stderr
    if errors:
        assert done.returncode == 1, output
        assert f"planpub check: {len(errors)} lỗi" in done.stderr
    else:
        assert done.returncode == 0, output
        assert "— 0 lỗi" in done.stdout


def test_python_tag_is_never_executed(tmp_path):
    project = plans_project(tmp_path, "tag-python")
    done = planpub(project, "check", cwd=project)
    assert done.returncode == 1
    assert not (project / "pwned").exists()


def test_alias_bomb_and_deep_nesting_are_refused_fast():
    for case in ("alias-bomb", "deep-nesting"):
        raw = (CASES_DIR / case / "plans/2024/2024-mau-02.yaml").read_bytes()
        started = time.perf_counter()
        with pytest.raises(LoadError):
            read_yaml("x.yaml", raw)
        assert time.perf_counter() - started < 1.0, case


def test_all_errors_of_a_run_are_reported_together(tmp_path):
    """Three broken files, each at a different stage (YAML, model, cross-reference): three errors, one run."""
    project = plans_project(tmp_path, "unknown-issuer", "id-reserved-con")
    shutil.copy(CASES_DIR / "tab-indent/plans/2024/2024-mau-02.yaml", project / "plans/2024/2024-mau-07.yaml")
    done = planpub(project, "check")
    errors = lines_with(done.stderr, ": lỗi:")
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert [e.split(":")[0] for e in errors] == [
        "plans/2024/2024-mau-02.yaml",
        "plans/2024/2024-mau-07.yaml",
        "plans/2024/reserved-con.yaml",
    ], done.stderr
    assert "phong-gddt-mao" in errors[0] and "tab" in errors[1] and "Windows" in errors[2]
    assert "planpub check: 3 lỗi" in done.stderr


def test_build_of_a_broken_project_writes_nothing(tmp_path):
    project = make_project(tmp_path / "project", MINI_PLANS)
    overlay(project, "duplicate-key")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("trang cũ", encoding="utf-8")
    before_site, before_project = snapshot(site), snapshot(project)
    before_tmp = sorted(p.name for p in tmp_path.iterdir())

    done = planpub(project, "build", "--site-dir", str(site))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "plans/2024/2024-mau-02.yaml:9:1: lỗi:" in done.stderr
    assert snapshot(site) == before_site
    assert snapshot(project) == before_project
    assert sorted(p.name for p in tmp_path.iterdir()) == before_tmp  # no staging dir, no new site

    fresh = tmp_path / "never-built"
    done = planpub(project, "build", "--site-dir", str(fresh))
    assert done.returncode == 1 and not fresh.exists()
    assert not (project / "site").exists()


# ---- warning-only cases on the built site -----------------------------------------------------


@pytest.fixture(scope="module")
def warned_site(tmp_path_factory) -> Path:
    """The mini project plus every warning-only case, built once with `planpub build`."""
    base = tmp_path_factory.mktemp("warned")
    project = make_project(base / "project", MINI_PLANS)
    for case in ("nfd-text", "raw-html", "template-syntax", "unreadable-deadline", "yaml11-strings"):
        overlay(project, case)
    site = base / "site"
    done = planpub(project, "calendar")  # the new plans add events: record them, as an editor would
    assert done.returncode == 0, done.stdout + done.stderr
    done = planpub(project, "build", "--site-dir", str(site))
    assert done.returncode == 0, done.stdout + done.stderr
    return site


def plan_page(site: Path, plan_id: str) -> str:
    return (site / "ke-hoach" / plan_id / "index.html").read_text(encoding="utf-8")


def test_nfd_title_is_published_in_nfc(warned_site, tmp_path):
    body = plan_page(warned_site, "2024-mau-02")
    nfc = "Công tác khen thưởng năm 2024"
    assert nfc in body
    assert "\u0302" not in body and "\u0303" not in body  # no combining marks left anywhere on the page
    project = plans_project(tmp_path, "nfd-text")
    plan = load_plan(project / "plans/2024/2024-mau-02.yaml", project).value
    assert plan.title == nfc


class _Tags(HTMLParser):
    """Every real tag of a page with its attributes, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_raw_html_and_javascript_links_are_inert(warned_site):
    body = plan_page(warned_site, "2024-mau-03")
    assert "<script>alert" not in body.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # shown, as the editor typed it
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    page = _Tags()
    page.feed(body)
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert not [t for t, a in page.tags if t == "img" and a.get("src") == "x"]
    assert not [s for s in page.scripts if "alert(" in s]
    assert "liên kết" in body  # the link's words stay, without the link


def test_template_syntax_is_shown_literally(warned_site):
    body = plan_page(warned_site, "2024-mau-04")
    text = body.replace("&#123;", "{").replace("&#125;", "}").replace("&#x7B;", "{").replace("&#x7D;", "}")
    assert "{{ 7*7 }}" in text
    assert "{% raw %}{{ config }}{% endraw %}" in text
    assert "Kết quả 49" not in text


def test_unreadable_deadline_keeps_the_task(warned_site):
    body = plan_page(warned_site, "2024-mau-05")
    assert "Sau khi có hướng dẫn của Sở" in body
    assert "Gửi danh sách đề nghị khen thưởng" in body


def test_yaml11_words_stay_text_on_the_page(warned_site):
    body = plan_page(warned_site, "2024-mau-06")
    assert "12:30" in body and "2021-09-05" in body


# ---- read_yaml: one YAML semantics ------------------------------------------------------------


def value_of(source: str):
    return read_yaml("t.yaml", f"a: {source}\n".encode("utf-8")).data["a"]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("", None), ("~", None), ("null", None), ("Null", None), ("NULL", None),
        ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
        ("0", 0), ("42", 42), ("-7", -7), ("+3", 3), ("2024", 2024),
        ("1.5", 1.5), ("-0.25", -0.25), (".5", 0.5), ("1e3", 1000.0), ("2.5E-1", 0.25),
    ],
)
def test_yaml_12_core_scalars(source, expected):
    value = value_of(source)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    "source",
    ["no", "yes", "No", "YES", "on", "off", "y", "n", "12:30", "2021-09-05", "1_000", "0b101", "2024-01-05T10:00:00",
     "Mẫu", "nul", "=", "<<"],
)
def test_other_plain_scalars_stay_text(source):
    assert value_of(source) == source


@pytest.mark.parametrize(
    "source, expected",
    [('"true"', "true"), ("'42'", "42"), ('"null"', "null"), ('""', ""), ("''", ""), ('"1.5"', "1.5"),
     ("'no'", "no"), ('"2021-09-05"', "2021-09-05"), ('"it\'s"', "it's"), ("'it''s'", "it's")],
)
def test_quoted_scalars_stay_strings(source, expected):
    assert value_of(source) == expected


def test_block_scalars_are_text():
    doc = read_yaml("t.yaml", "a: |\n  42\n  true\nb: >-\n  no\n  yes\n".encode())
    assert doc.data == {"a": "42\ntrue\n", "b": "no yes"}


def test_positions_of_keys_and_values():
    doc = read_yaml("t.yaml", "id: x\ntasks:\n  - id: a\n    units: [u1, u2]\n".encode())
    assert doc.where(("id",)) == (1, 5)
    assert doc.where(("id",), key=True) == (1, 1)
    assert doc.where(("tasks", 0, "id")) == (3, 9)
    assert doc.where(("tasks", 0, "units", 1)) == (4, 17)
    assert doc.where(("tasks", 0, "missing")) == (3, 5)  # falls back to the enclosing item


def test_columns_count_characters_not_bytes():
    with pytest.raises(LoadError) as caught:
        read_yaml("t.yaml", "tiêu_đề: Hà Nội: x\n".encode())
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (1, 16)


def test_problem_prints_as_file_line_column():
    problem = Problem("plans/a.yaml", 3, 7, "tasks → mục 2 → id", "mã bị trùng")
    assert str(problem) == "plans/a.yaml:3:7: lỗi: tasks → mục 2 → id: mã bị trùng"
    warning = Problem("plans/a.yaml", 1, 1, "", "chú ý", "warning")
    assert str(warning) == "plans/a.yaml:1:1: cảnh báo: chú ý"


def test_every_duplicate_key_is_reported():
    with pytest.raises(LoadError) as caught:
        read_yaml("t.yaml", "a:\n  b: 1\n  b: 2\nc: 1\nc: 2\n".encode())
    assert [(p.line, p.column, p.field) for p in caught.value.problems] == [(3, 3, "a → b"), (5, 1, "c")]


def test_invisible_characters_are_stripped_from_values_with_a_warning():
    doc = read_yaml("t.yaml", "a: Mẫu\u200b\u00ad\n".encode())
    assert doc.data == {"a": "Mẫu"}
    assert [(w.severity, w.line, w.column, w.field) for w in doc.warnings] == [("warning", 1, 4, "a")]


def test_nfd_values_are_normalised_with_a_warning():
    doc = read_yaml("t.yaml", ("a:\n  - " + unicodedata.normalize("NFD", "Nồ") + "\n").encode())
    assert doc.data == {"a": ["Nồ"]}
    assert doc.warnings and doc.warnings[0].field == "a → mục 1"


def test_bom_at_start_is_accepted():
    assert read_yaml("t.yaml", "\ufeffa: 1\n".encode()).data == {"a": 1}


def test_comments_only_is_no_data():
    assert read_yaml("t.yaml", b"# only a comment\n").data is None


@pytest.mark.parametrize(
    "raw, position, fragment",
    [
        ("a: b\x07c\n", (1, 5), "ký tự điều khiển U+0007"),
        ("a: 1\n\x00", (2, 1), "ký tự điều khiển U+0000"),
        ("%YAML 1.1\n---\na: 1\n", (1, 1), "chỉ thị YAML"),
        ("a: [1, 2\n", (2, 1), "thiếu “]”"),
        ("a: {b: 1\n", (2, 1), "thiếu “}”"),
        ("a: \"chưa đóng\n", (2, 1), "thiếu dấu ngoặc kép đóng"),
        ("a: @x\n", (1, 4), "không được bắt đầu bằng “@”"),
        ("a: `x\n", (1, 4), "không được bắt đầu bằng “`”"),
        ("a:\n\tb: 1\n", (2, 1), "có ký tự tab"),
        ("a: b: c\n", (1, 5), "dấu “:” không hợp lệ ở đây"),
        ("a:\n  b: 1\n c: 2\n", (3, 2), "thụt lề không khớp"),
        ("key: - a\n", (1, 6), "không thể mở danh sách"),
        ("a: *x\n", (1, 4), "bí danh YAML"),
        ("a: &x 1\n", (1, 4), "neo YAML"),
        ("a: !!str 1\n", (1, 4), "thẻ YAML (tag “!!str”)"),
        ("? [a]\n: b\n", (1, 3), "tên trường phải là văn bản"),
        ("a: 1\n---\nb: 2\n", (2, 1), "một tài liệu YAML"),
    ],
)
def test_yaml_errors_are_vietnamese_and_located(raw, position, fragment):
    with pytest.raises(LoadError) as caught:
        read_yaml("t.yaml", raw.encode("utf-8"))
    first = caught.value.problems[0]
    assert (first.line, first.column) == position, str(first)
    assert fragment in first.message, str(first)
    assert first.severity == "error"


def test_not_utf8_is_located_at_the_first_bad_byte():
    with pytest.raises(LoadError) as caught:
        read_yaml("t.yaml", "a: ok\nb: Mẫu\n".encode("utf-8") + b"c: \xe0\n")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (3, 4)
    assert "UTF-8" in problem.message


def test_nesting_limit_is_a_located_error_not_a_crash():
    raw = ("a: " + "[" * 30_000 + "]" * 30_000 + "\n").encode()
    with pytest.raises(LoadError) as caught:
        read_yaml("t.yaml", raw)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (1, 4 + MAX_DEPTH - 1)
    assert "lồng nhau quá sâu" in problem.message
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert read_yaml("t.yaml", ok.encode()).data["a"] is not None


def test_oversized_file_is_refused():
    with pytest.raises(LoadError) as caught:
        read_yaml("t.yaml", b"a: " + b"x" * 2_000_001)
    assert "tệp quá lớn" in caught.value.problems[0].message
