"""The editors' commands, run as editors run them: `python -m generator.cli …` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, make_project
from generator.load import read_yaml

MINI_PLANS = FIXTURES / "mini" / "plans"


def planpub(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PLANPUB_DEBUG"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr


def mini_counts() -> tuple[int, int, int, int]:
    """Plans, tasks, units and movements of the fixture, counted from the YAML itself."""
    plans = [p for p in MINI_PLANS.rglob("*.yaml") if "_registry" not in p.parts and "_ledger" not in p.parts]
    tasks = sum(len(read_yaml(p.name, p.read_bytes()).data.get("tasks", [])) for p in plans)
    registries = [read_yaml(p.name, p.read_bytes()).data for p in (MINI_PLANS / "_registry").glob("*.yaml")]
    units = sum(len(r.get("units", [])) for r in registries)
    movements = sum(len(r.get("movements", [])) for r in registries)
    return len(plans), tasks, units, movements


# ---- check ------------------------------------------------------------------------------------


def test_check_prints_counts_and_exits_0():
    done = planpub("--project", str(FIXTURES / "mini"), "check")
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    plans, tasks, units, movements = mini_counts()
    assert (plans, tasks, units, movements) == (1, 3, 3, 1)
    warnings = [line for line in done.stderr.splitlines() if ": cảnh báo: " in line]
    assert done.stdout.strip() == (
        f"planpub check: {plans} kế hoạch, {tasks} nhiệm vụ, {units} đơn vị, {movements} phong trào "
        f"— 0 lỗi, {len(warnings)} cảnh báo"
    )
    assert warnings and all(line.startswith("plans/2024/2024-mau-01.yaml:") for line in warnings)


def test_check_quiet_hides_warnings_but_counts_them():
    done = planpub("--project", str(FIXTURES / "mini"), "check", "--quiet")
    assert done.returncode == 0 and done.stderr == ""
    assert "0 lỗi, 2 cảnh báo" in done.stdout


def test_check_works_on_the_current_directory_like_mkdocs(tmp_path):
    project = tmp_path / "project"
    make_project(project, MINI_PLANS)
    done = planpub("check", cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("planpub check: 1 kế hoạch")


def test_check_reports_errors_with_exit_1(tmp_path):
    project = tmp_path / "project"
    make_project(project, MINI_PLANS)
    plan = project / "plans/2024/2024-mau-01.yaml"
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("updated:"))
    lines[row] = "updated: 30/02/2024\n"
    plan.write_text("".join(lines), encoding="utf-8")
    done = planpub("--project", str(project), "check")
    no_traceback(done)
    assert done.returncode == 1
    assert f"plans/2024/2024-mau-01.yaml:{row + 1}:10: lỗi: updated: ngày 30/02/2024 không tồn tại" in done.stderr
    assert done.stderr.rstrip().endswith("planpub check: 1 lỗi, 0 cảnh báo — cần sửa lỗi trước khi xây dựng trang")
    assert done.stdout == ""


# ---- build ------------------------------------------------------------------------------------


def test_build_into_site_dir_replaces_the_old_site(tmp_path):
    project = make_project(tmp_path / "project", MINI_PLANS)
    content_before = sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*"))
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("trang cũ", encoding="utf-8")  # an earlier build
    (site / "stale.html").write_text("cũ", encoding="utf-8")

    done = planpub("--project", str(project), "build", "--site-dir", str(site))
    no_traceback(done)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"planpub build: đã xây dựng trang vào {site.resolve()}" in done.stdout
    page = (site / "ke-hoach/2024-mau-01/index.html").read_text(encoding="utf-8")
    assert "Công tác thi đua năm 2024" in page
    assert (site / "index.html").is_file() and (site / "404.html").is_file()
    assert not (site / "stale.html").exists()  # the new site was swapped in whole
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]  # no staging or .old directory left
    assert not (project / "site").exists()  # --site-dir, not the default
    assert sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*")) == content_before


# ---- schema -----------------------------------------------------------------------------------


def test_schema_to_stdout():
    done = planpub("schema")
    assert done.returncode == 0 and done.stderr == ""
    schema = json.loads(done.stdout)
    assert schema["title"] == "planpub plan" and "tasks" in schema["properties"]
    registry = json.loads(planpub("schema", "--registry").stdout)
    assert registry["title"] == "planpub registry" and set(registry["properties"]) == {"units", "movements", "calendars"}


def test_schema_to_file(tmp_path):
    target = tmp_path / "plan.schema.json"
    done = planpub("schema", "-o", str(target))
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""
    assert target.read_text(encoding="utf-8") == planpub("schema").stdout
    assert [p.name for p in tmp_path.iterdir()] == ["plan.schema.json"]  # no .tmp left behind
    again = planpub("schema", "--output", str(target), "--registry")
    assert again.returncode == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "planpub registry"


def test_schema_output_is_deterministic():
    assert planpub("schema").stdout == planpub("schema").stdout


# ---- misuse: exit 2, Vietnamese, never a traceback --------------------------------------------


@pytest.mark.parametrize("command", [["check"], ["build"], ["serve"], ["build", "--site-dir", "x"]])
def test_unknown_project_dir_exits_2_in_vietnamese(tmp_path, command):
    missing = tmp_path / "khong-co"
    done = planpub("--project", str(missing), *command, cwd=tmp_path)
    no_traceback(done)
    assert done.returncode == 2
    assert "planpub: không thấy thư mục plans/ trong" in done.stderr
    assert str(missing) in done.stderr and "--project" in done.stderr
    assert not missing.exists() and not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["schema", "-o", "/nonexistent-dir/plan.schema.json"],
        ["lenh-la"],
        [],
        ["check", "--khong-co"],
    ],
)
def test_no_traceback_on_misuse(tmp_path, args):
    done = planpub("--project", str(tmp_path / "khong-co"), *args, cwd=tmp_path)
    no_traceback(done)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip()


def test_a_plans_dir_without_registry_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "plans/2024").mkdir(parents=True)
    source = (MINI_PLANS / "2024/2024-mau-01.yaml").read_text(encoding="utf-8")
    (tmp_path / "plans/2024/2024-mau-01.yaml").write_text(source, encoding="utf-8")
    row = next(i for i, line in enumerate(source.splitlines()) if line.startswith("issuers: [phong-gddt-mau"))
    done = planpub("--project", str(tmp_path), "check")
    no_traceback(done)
    assert done.returncode == 1
    assert f"plans/2024/2024-mau-01.yaml:{row + 1}:11: lỗi: issuers → mục 1: không có đơn vị mã “phong-gddt-mau”" in done.stderr
