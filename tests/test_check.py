"""`planpub check` as the gate: errors and warnings together, the ledger, --strict, JSON and GitHub
output, "did you mean" that only proposes what is valid there, Vietnamese parser messages only."""

from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURES
from generator.load import LoadError, read_yaml, validate
from generator.model import Plan, Registry
from test_cli import no_traceback, planpub
from test_feeds import edit, project_copy

MINI = FIXTURES / "mini"
PLAN = "plans/2024/2024-mau-01.yaml"


def test_warnings_are_reported_with_the_errors(tmp_path):
    project = project_copy(tmp_path)
    # an error in a registry; the plan's warnings (HTML and template syntax in its text) must still show
    edit(project, "name: Các trường thuộc huyện Mẫu", "nam: Các trường thuộc huyện Mẫu", "plans/_registry/units.yaml")
    done = planpub("--project", str(project), "check")
    no_traceback(done)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if ": lỗi: " in line]
    warnings = [line for line in done.stderr.splitlines() if ": cảnh báo: " in line]
    assert any(e.startswith("plans/_registry/units.yaml:10:5: lỗi:") for e in errors), done.stderr
    assert len(warnings) == 2 and all(w.startswith(PLAN) for w in warnings)
    assert done.stderr.rstrip().endswith(f"planpub check: {len(errors)} lỗi, 2 cảnh báo — cần sửa lỗi trước khi xây dựng trang")


def test_a_failing_file_keeps_its_own_warnings():
    raw = "id: x\ntitle: Cu\u0301ng\nkhong_co: 1\n".encode("utf-8")  # NFD text (a warning) and an unknown field
    with pytest.raises(LoadError) as caught:
        validate(read_yaml("t.yaml", raw), Registry)
    assert caught.value.problems and caught.value.warnings == []  # validate alone: no file warnings yet
    from generator.load import _validated

    with pytest.raises(LoadError) as caught:
        _validated(read_yaml("t.yaml", raw), Registry)
    assert [w.severity for w in caught.value.warnings] == ["warning"] and "NFD" in caught.value.warnings[0].message


def test_check_refuses_a_stale_ledger_like_build(tmp_path):
    project = project_copy(tmp_path)
    edit(project, "deadline: Tháng 05/2024", "deadline: Tháng 06/2024")
    done = planpub("--project", str(project), "check")
    no_traceback(done)
    assert done.returncode == 1
    assert "plans/_ledger/calendar.json:" in done.stderr and "planpub calendar" in done.stderr
    assert planpub("--project", str(project), "calendar").returncode == 0
    assert planpub("--project", str(project), "check").returncode == 0


def test_strict_makes_warnings_fail(tmp_path):
    project = project_copy(tmp_path)
    assert planpub("--project", str(project), "check").returncode == 0  # the fixture has 2 warnings
    done = planpub("--project", str(project), "check", "--strict")
    assert done.returncode == 1
    assert "planpub check: 2 cảnh báo — với --strict" in done.stderr


def test_json_format_lists_every_problem(tmp_path):
    project = project_copy(tmp_path)
    edit(project, "updated: \"02/01/2024\"", "updated: \"31/02/2024\"")
    done = planpub("--project", str(project), "check", "--format", "json")
    no_traceback(done)
    assert done.returncode == 1 and done.stderr == ""
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["errors"] == 1
    problem = report["problems"][0]
    assert problem["file"] == PLAN and problem["field"] == "updated" and problem["severity"] == "error"
    assert problem["line"] == 10 and problem["column"] == 10 and "31/02/2024" in problem["message"]
    clean = json.loads(planpub("--project", str(MINI), "check", "--format", "json").stdout)
    assert clean["ok"] is True and clean["errors"] == 0 and clean["warnings"] == 2
    assert {p["severity"] for p in clean["problems"]} == {"warning"}


def test_github_format_annotates_lines(tmp_path):
    done = planpub("--project", str(MINI), "check", "--format", "github")
    assert done.returncode == 0
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 2
    assert re.fullmatch(r"::warning file=plans/2024/2024-mau-01\.yaml,line=\d+,col=\d+,title=preamble::.+", annotations[0])
    assert "%25" in annotations[0]  # "{% %}" escaped for the workflow command


def test_check_reports_a_missing_original_document(tmp_path):
    project = project_copy(tmp_path)
    edit(project, 'updated: "02/01/2024"\n', 'updated: "02/01/2024"\nsource:\n  file: "khong-co.txt"\n')
    done = planpub("--project", str(project), "check")
    no_traceback(done)
    assert done.returncode == 1
    assert f"{PLAN}:12:9: lỗi: source → file: không thấy văn bản gốc “khong-co.txt” trong plans/_sources/" in done.stderr
    for name, message in [("../../etc/passwd", "không thấy văn bản gốc"), ("trang.html", "phải là tệp")]:
        edit(project, re.search(r'file: "[^"]*"', (project / PLAN).read_text(encoding="utf-8")).group(), f'file: "{name}"')
        (project / "plans/_sources").mkdir(exist_ok=True)
        (project / "plans/_sources/trang.html").write_text("<script>alert(1)</script>", encoding="utf-8")
        done = planpub("--project", str(project), "check")
        assert done.returncode == 1 and message in done.stderr, done.stderr


# ---- "did you mean" ----------------------------------------------------------------------------


def unknown_field_message(data: dict, cls=Plan) -> str:
    with pytest.raises(LoadError) as caught:
        validate(read_yaml("t.yaml", json.dumps(data, ensure_ascii=False).encode()), cls)
    extra = [p for p in caught.value.problems if "không có trong mẫu" in p.message]
    assert len(extra) == 1, caught.value.problems
    return extra[0].message


BASE = {"id": "2024-a", "title": "T", "issuers": ["x"], "period": {"year": 2024}, "updated": "01/01/2024"}


@pytest.mark.parametrize(
    "data, suggestion",
    [
        ({**BASE, "period": {"year": 2024, "ened": "31/12/2024"}}, "end"),  # a Period field, not Target's "unit"
        ({**BASE, "tasks": [{"id": "a", "text": "b", "unts": ["x"]}]}, "units"),
        ({**BASE, "source": {"fiel": "a.txt"}}, "file"),
        ({**BASE, "targets": [{"text": "a", "valeu": 1}]}, "value"),
        ({**BASE, "sections": [{"sections": [{"headin": "a"}]}]}, "heading"),
    ],
)
def test_did_you_mean_proposes_only_fields_of_that_object(data, suggestion):
    assert unknown_field_message(data).endswith(f"— có phải “{suggestion}”?")


def test_did_you_mean_never_proposes_a_field_of_another_object():
    # "phases" is a Plan field: inside a task it is no suggestion for "phase"
    message = unknown_field_message({**BASE, "tasks": [{"id": "a", "text": "b", "phase": "x"}]})
    assert "phases" not in message
    registry = unknown_field_message({"units": [{"id": "a", "name": "b", "titel": "c"}]}, Registry)
    assert "title" not in registry  # Plan.title is not a field of a unit


def test_did_you_mean_prefers_units_of_the_same_province(tmp_path):
    project = project_copy(tmp_path)
    (project / "plans/_registry/units.yaml").write_text(
        "units:\n"
        "  - {id: so-gddt-mau, name: Sở GDĐT tỉnh Mẫu, province: Mẫu}\n"
        "  - {id: phong-gddt-mau, name: Phòng GDĐT huyện Mẫu, parent: so-gddt-mau, province: Mẫu}\n"
        "  - {id: truong-mau, name: Các trường thuộc huyện Mẫu, province: Mẫu}\n"
        "  - {id: truong-mau-b2, name: Trường B2, province: Mẫu}\n"
        "  - {id: truong-mau-a, name: Trường A, province: Tỉnh Khác}\n",
        encoding="utf-8",
    )
    # "truong-mau-a2" is closest to truong-mau-a, of another province than the plan's issuer
    edit(project, "units: [truong-mau]", "units: [truong-mau-a2]")
    done = planpub("--project", str(project), "check")
    line = next(line for line in done.stderr.splitlines() if "“truong-mau-a2”" in line)
    suggested = re.findall(r"“([a-z0-9-]+)”", line.split("có phải", 1)[1])
    assert suggested[0] == "truong-mau-b2" and "truong-mau-a" not in suggested, line


# ---- the YAML parser speaks Vietnamese ---------------------------------------------------------

BROKEN = [
    "a:\n\tb: 1\n", 'a: "abc\nb: 1\n', "a: 'abc\n", "a: b: c\n", "a:\n  - x\n b: 1\n", "a: [1, 2\nb: 1\n",
    "a: {x: 1\n", 'a: "\\q"\n', "a: |x\n  t\n", "a: @x\n", "- a\nb: 1\n", "a: 1\n- b\n", "a: 1\n...\nb: 2\n",
    "a: 'it''s' x\n", 'a: "x" y\n', "key: - a\n", "a:\n  b: 1\n c: 2\n", "a: >-2x\n  t\n", "{a: 1, b\n",
    "a: [b, {c: d]\n", "a: |\n  x\n y: 1\n",
]
ENGLISH = re.compile(r"\b(while|found|expected|scanning|parsing|could not|character|mapping|sequence|block|token|stream|scalar)\b")


@pytest.mark.parametrize("raw", BROKEN)
def test_yaml_parser_messages_are_vietnamese_only(raw):
    with pytest.raises(LoadError) as caught:
        read_yaml("t.yaml", raw.encode("utf-8"))
    for problem in caught.value.problems:
        assert not ENGLISH.search(problem.message), str(problem)
        assert "[" not in problem.message, str(problem)


def test_unclosed_quote_says_where_it_started():
    with pytest.raises(LoadError) as caught:
        read_yaml("t.yaml", 'a: 1\nb: "chưa đóng\nc: 2\n'.encode("utf-8"))
    assert "(phần này bắt đầu từ dòng 2, cột 4)" in caught.value.problems[0].message
