"""`planpub fmt`: canonical layout, and nothing lost — data, comments, blank lines, Vietnamese text."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from generator import atomic, fmt
from generator.load import read_yaml
from generator.model import plan_json_schema, registry_json_schema
from test_cli import no_traceback, planpub

SHIPPED = sorted(
    p
    for base in (ROOT / "plans", FIXTURES)
    for p in base.rglob("*.yaml")
    if "_ledger" not in p.parts and "_sources" not in p.parts
)


def full_line_comments(text: str) -> Counter[str]:
    """The test's own count of comment lines (independent of fmt.comments)."""
    return Counter(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


def schema_of(path: Path) -> dict:
    return registry_json_schema() if "_registry" in path.parts else plan_json_schema()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_fmt_of_every_shipped_file_keeps_data_and_comments(path):
    before = path.read_text(encoding="utf-8")
    after = fmt.format_text(before, schema_of(path))
    assert read_yaml("a", after.encode()).data == read_yaml("b", before.encode()).data
    assert full_line_comments(after) == full_line_comments(before)
    assert after.count("\n\n") == before.count("\n\n")  # blank-line grouping kept
    assert fmt.format_text(after, schema_of(path)) == after  # idempotent


def test_the_repository_is_formatted():
    """CI runs `planpub fmt --check` on this repository (.github/workflows/site.yml)."""
    done = planpub("fmt", "--check")
    no_traceback(done)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    files = len(fmt.project_files(ROOT))
    assert done.stderr.strip() == f"planpub fmt: {files} tệp, cần định dạng lại 0, 0 lỗi"


MESSY = """\
# yaml-language-server: $schema=https://example.org/schema/plan.schema.json
# Kế hoạch mẫu: đầu tệp

title: 'Công tác thi đua năm 2024'   # trích yếu
id: 2024-mau-01

# thời kỳ của kế hoạch
period:
  school_year: "2023-2024"
  # năm dương lịch
  year: 2024
updated: "02/01/2024"
issuers:
    - phong-gddt-mau
issued: 2024-01-02
tasks:
  # nhiệm vụ thứ nhất
  - text: Gửi báo cáo
    id: gui-bao-cao  # mã cố định

    # hạn như văn bản ghi
    deadline: Trước ngày 19/01/2024
  - units: [truong-mau]
    # nội dung
    text: |
      # Không phải chú thích: một dòng của đoạn văn

      Đoạn thứ hai, giữ nguyên.
    id: tong-ket
place: no
# cuối tệp
"""


def test_fmt_orders_keys_as_the_schema_and_comments_travel_with_their_key():
    after = fmt.format_text(MESSY, plan_json_schema())
    data = read_yaml("a", after.encode()).data
    assert data == read_yaml("b", MESSY.encode()).data
    assert list(data) == ["id", "title", "issuers", "place", "issued", "period", "updated", "tasks"]
    assert list(data["period"]) == ["year", "school_year"]
    assert [list(t) for t in data["tasks"]] == [["id", "text", "deadline"], ["id", "text", "units"]]
    lines = after.splitlines()
    assert lines[:3] == MESSY.splitlines()[:3]  # the file's opening comments stay on top
    assert lines[-1] == "# cuối tệp"  # and its closing comment at the end
    assert lines[lines.index("period:") - 1] == "# thời kỳ của kế hoạch"
    assert lines[lines.index("  year: 2024") - 1] == "  # năm dương lịch"
    assert lines[lines.index("    deadline: Trước ngày 19/01/2024") - 1] == "    # hạn như văn bản ghi"
    assert "  - id: gui-bao-cao  # mã cố định" in lines and "  - id: tong-ket" in lines  # "- " moved to the new first key
    assert lines[lines.index("    text: |") - 1] == "    # nội dung"
    assert 'title: "Công tác thi đua năm 2024"' in after  # one quote style
    assert "issued: 2024-01-02" in after and "place: no" in after  # typed as printed: text stays text
    assert "  - phong-gddt-mau" in lines  # list items indented "  - "
    assert "      # Không phải chú thích: một dòng của đoạn văn" in lines  # block text untouched
    assert full_line_comments(after) == full_line_comments(MESSY)
    assert fmt.format_text(after, plan_json_schema()) == after


def test_fmt_refuses_to_write_what_would_change_data():
    with pytest.raises(fmt.FormatError):
        fmt.verify("a: 1\n", "a: 2\n")
    with pytest.raises(fmt.FormatError, match="chú thích"):
        fmt.verify("a: 1  # giữ\n", "a: 1\n")
    assert fmt.comments('a: "# trong chuỗi"  # thật\nb: x#y\n# dòng\n') == Counter({"# thật": 1, "# dòng": 1})


def project_with(tmp_path: Path, text: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini" / "plans", project / "plans")
    (project / "plans/2024/2024-mau-01.yaml").write_text(text, encoding="utf-8")
    return project


def test_fmt_check_prints_a_diff_exits_1_and_writes_nothing(tmp_path):
    project = project_with(tmp_path, MESSY)
    plan = project / "plans/2024/2024-mau-01.yaml"
    done = planpub("--project", str(project), "fmt", "--check")
    no_traceback(done)
    assert done.returncode == 1
    assert "--- a/plans/2024/2024-mau-01.yaml" in done.stdout and "+++ b/plans/2024/2024-mau-01.yaml" in done.stdout
    assert "-title: 'Công tác thi đua năm 2024'   # trích yếu" in done.stdout
    assert "cần định dạng lại 1" in done.stderr
    assert plan.read_text(encoding="utf-8") == MESSY


def test_fmt_writes_in_place_then_check_passes_and_no_temporary_file_is_left(tmp_path):
    project = project_with(tmp_path, MESSY)
    plan = project / "plans/2024/2024-mau-01.yaml"
    done = planpub("--project", str(project), "fmt")
    assert done.returncode == 0, done.stderr
    assert "đã định dạng plans/2024/2024-mau-01.yaml" in done.stderr
    assert plan.read_text(encoding="utf-8") == fmt.format_text(MESSY, plan_json_schema())
    assert planpub("--project", str(project), "fmt", "--check").returncode == 0
    assert not [p for p in project.rglob("*") if p.name.endswith(".tmp")]
    # one file given: only that one is looked at
    other = project / "plans/_registry/units.yaml"
    done = planpub("--project", str(project), "fmt", "--check", str(other))
    assert done.returncode == 0 and "1 tệp" in done.stderr


def test_fmt_leaves_a_broken_file_alone_with_a_located_error(tmp_path):
    broken = MESSY.replace("  year: 2024", "\tyear: 2024")
    project = project_with(tmp_path, broken)
    done = planpub("--project", str(project), "fmt")
    no_traceback(done)
    assert done.returncode == 1
    assert "plans/2024/2024-mau-01.yaml:11:1: lỗi: có ký tự tab" in done.stderr
    assert (project / "plans/2024/2024-mau-01.yaml").read_text(encoding="utf-8") == broken


def test_an_interrupted_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "plan.yaml"
    target.write_text("id: cu\n", encoding="utf-8")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.replace_text(target, "id: moi\n" * 1000)
    assert target.read_text(encoding="utf-8") == "id: cu\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]


def test_create_never_overwrites(tmp_path):
    target = tmp_path / "a" / "new.yaml"
    atomic.create_text(target, "id: a\n")
    with pytest.raises(FileExistsError):
        atomic.create_text(target, "id: b\n")
    assert target.read_text(encoding="utf-8") == "id: a\n"
    assert [p.name for p in target.parent.iterdir()] == ["new.yaml"]
