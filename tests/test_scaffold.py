"""`planpub init` and `planpub new`, run as editors run them, then check, fmt, calendar and build.

The Done-when of adoption in a temp repo: a new site from `init` checks and builds; a plan made with
`new`, filled in, formatted and checked appears on its page, in the feeds, in /cap-nhat/ and in the
open data. The CI files a site gets are this repository's own, and they are valid.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml

from conftest import ROOT, STRICT
from generator.scaffold import EXAMPLE_PLAN, SHARED_FILES, github_repository
from test_cli import no_traceback, planpub

SITE_URL = "https://pgd-mau.github.io/ke-hoach/"
NEW_ID = "2024-2025-pgddt-vinh-thuan-31"
NEW_FILE = f"plans/2024/{NEW_ID}.yaml"


@pytest.fixture(scope="module")
def site_repo(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "demo"
    done = planpub("init", str(target), "--site-url", SITE_URL, "--site-name", "Kế hoạch Phòng GDĐT Mẫu", cwd=target.parent)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert f"đã tạo trang “Kế hoạch Phòng GDĐT Mẫu” trong {target}" in done.stdout
    return target


def test_init_makes_a_site_repository(site_repo):
    files = {p.relative_to(site_repo).as_posix() for p in site_repo.rglob("*") if p.is_file()}
    assert {"mkdocs.yml", "README.md", "requirements.txt", ".gitignore", *SHARED_FILES} <= files
    assert {EXAMPLE_PLAN, "plans/_ledger/calendar.json", "content/huong-dan/bien-tap.md"} <= files
    assert any(f.startswith("plans/_registry/units-") for f in files) and any(f.startswith("plans/_sources/") for f in files)
    assert not any(f.startswith("content/assets/") for f in files)  # the package serves them, always current
    config = (site_repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_name: Kế hoạch Phòng GDĐT Mẫu\n" in config and f"site_url: {SITE_URL}\n" in config
    assert "repo_url: https://github.com/pgd-mau/ke-hoach\n" in config and "edit_uri: edit/main/content/\n" in config
    assert "language: vi" in config and "- planpub" in config
    for plan in (site_repo / "plans").rglob("*.yaml"):
        if "_ledger" not in plan.parts:
            kind = "registry" if "_registry" in plan.parts else "plan"
            first = plan.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema={SITE_URL}schema/{kind}.schema.json", plan
    readme = (site_repo / "README.md").read_text(encoding="utf-8")
    for command in ("planpub new", "planpub fmt", "planpub check", "planpub calendar", "planpub serve"):
        assert command in readme
    assert "planpub==" in (site_repo / "requirements.txt").read_text(encoding="utf-8")


def test_init_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("giữ", encoding="utf-8")
    done = planpub("init", str(tmp_path))
    no_traceback(done)
    assert done.returncode == 2 and "đã có nội dung" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["old.txt"]


def test_this_repository_uses_the_files_init_writes(site_repo):
    for rel in SHARED_FILES:
        assert (site_repo / rel).read_bytes() == (ROOT / rel).read_bytes(), rel


def test_github_pages_address_gives_the_repository():
    assert github_repository("https://owner.github.io/repo/") == "https://github.com/owner/repo"
    assert github_repository("https://example.org/ke-hoach/") is None


# ---- the workflow files are valid ----------------------------------------------------------------


def tool(name: str) -> str:
    path = shutil.which(name) or (Path(sys.executable).parent / name)
    if not Path(path).exists():
        message = f"{name} is needed (pip install -e '.[test]')"
        if STRICT:
            pytest.fail(message)
        pytest.skip(message)
    return str(path)


def test_github_workflow_checks_formats_builds_and_deploys_in_order(site_repo):
    flow = yaml.safe_load((site_repo / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    triggers = flow[True]  # PyYAML reads the key `on` as a boolean
    assert triggers["push"]["branches"] == ["main"]
    assert flow["concurrency"]["cancel-in-progress"] is False and "group" in flow["concurrency"]
    steps = [s.get("run", s.get("uses", "")) for s in flow["jobs"]["build"]["steps"]]
    order = [next(i for i, s in enumerate(steps) if s.startswith(cmd)) for cmd in ("planpub check", "planpub fmt --check", "planpub build")]
    assert order == sorted(order)
    assert any(s.startswith("actions/upload-pages-artifact") for s in steps)
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"]["pages"] == "write"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_workflows_pass_actionlint_and_their_schemas(site_repo):
    done = subprocess.run([tool("actionlint"), ".github/workflows/site.yml"], cwd=site_repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    for schema, rel in (("vendor.github-workflows", ".github/workflows/site.yml"), ("vendor.gitlab-ci", ".gitlab-ci.yml")):
        done = subprocess.run(
            [tool("check-jsonschema"), "--builtin-schema", schema, rel], cwd=site_repo, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"], cwd=site_repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    gitlab = yaml.safe_load((site_repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert "public" in gitlab["pages"]["artifacts"]["paths"]
    assert gitlab["pages"]["script"][1:] == ["planpub build", "mv site public"]
    assert gitlab["check"]["script"][1:] == ["planpub check", "planpub fmt --check"]


# ---- a new plan, from `new` to every output -------------------------------------------------------

TASK = """\
tasks:
  - id: nop-danh-sach
    text: Nộp danh sách vận động viên dự Hội khỏe Phù Đổng
    units:
      - truong-vinh-thuan
    deadline: Trước ngày 20/12/2024
"""


@pytest.fixture(scope="module")
def built(site_repo) -> Path:
    done = planpub(
        "new", "--title", "Tổ chức Hội khỏe Phù Đổng cấp huyện", "--issuer", "pgddt-vinh-thuan", "--period", "2024-2025",
        "--number", "31/KH-PGDĐT", "--date", "02/12/2024", "--updated", "02/12/2026", cwd=site_repo,
    )
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert f"đã tạo {NEW_FILE}" in done.stdout
    plan = site_repo / NEW_FILE
    text = plan.read_text(encoding="utf-8")
    assert "# tasks:" in text and "# signers:" in text  # every section of the model, to fill in
    plan.write_text(text.replace("# tasks:", TASK + "# tasks:", 1), encoding="utf-8")  # the editor fills it in
    for command in (["fmt"], ["fmt", "--check"], ["calendar"], ["check", "--strict"]):
        done = planpub(*command, cwd=site_repo)
        no_traceback(done)
        assert done.returncode == 0, (command, done.stdout + done.stderr)
    done = planpub("build", cwd=site_repo)
    no_traceback(done)
    assert done.returncode == 0, done.stdout + done.stderr
    return site_repo / "site"


def test_new_refuses_to_overwrite(built, site_repo):
    before = (site_repo / NEW_FILE).read_bytes()
    done = planpub("new", "--title", "Khác", "--issuer", "pgddt-vinh-thuan", "--period", "2024-2025", "--number", "31/KH", cwd=site_repo)
    assert done.returncode == 1 and f"đã có kế hoạch mã “{NEW_ID}”" in done.stderr
    assert (site_repo / NEW_FILE).read_bytes() == before


def test_new_without_the_needed_facts_says_which(tmp_path, site_repo):
    done = planpub("new", "--title", "X", cwd=site_repo)
    assert done.returncode == 2 and "thiếu --issuer, --period" in done.stderr
    done = planpub("new", "--title", "X", "--issuer", "pgddt-vinh-thuan", "--period", "2024-2026", cwd=site_repo)
    assert done.returncode == 2 and "hai năm liên tiếp" in done.stderr


def test_the_new_plan_is_on_its_page_with_the_edit_link(built):
    page = (built / f"ke-hoach/{NEW_ID}/index.html").read_text(encoding="utf-8")
    assert "Nộp danh sách vận động viên dự Hội khỏe Phù Đổng" in page and "Trước ngày 20/12/2024" in page
    assert f'href="https://github.com/pgd-mau/ke-hoach/edit/main/{NEW_FILE}"' in page
    assert NEW_ID in (built / "ke-hoach/index.html").read_text(encoding="utf-8")


def test_the_new_plan_is_in_the_feeds(built):
    uid = f"UID:nop-danh-sach@{NEW_ID}.planpub"
    assert uid in (built / f"lich/ke-hoach/{NEW_ID}.ics").read_text(encoding="utf-8")
    assert uid in (built / "lich/nam-hoc/2024-2025.ics").read_text(encoding="utf-8")  # its school year's archive
    # the unit's and the all-deadlines feeds cover a window around the site's last update (02/12/2026):
    # a deadline of 2024 is history there
    assert (built / "lich/don-vi/truong-vinh-thuan.ics").is_file()
    assert uid not in (built / "lich/tat-ca.ics").read_text(encoding="utf-8")


def test_the_new_plan_leads_the_updates_page_and_feed(built):
    page = (built / "cap-nhat/index.html").read_text(encoding="utf-8")
    assert page.index(NEW_ID) < page.index("2024-2025-pgddt-vinh-thuan-26")
    feed = feedparser.parse((built / "cap-nhat/atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.title.endswith("kế hoạch mới và cập nhật")
    first = feed.entries[0]
    assert first.link == f"{SITE_URL}ke-hoach/{NEW_ID}/" and first.id == first.link
    assert first.title == "Kế hoạch 31/KH-PGDĐT: Tổ chức Hội khỏe Phù Đổng cấp huyện"
    assert first.updated.startswith("2026-12-02") and first.published.startswith("2024-12-02")


def test_the_new_plan_is_in_the_open_data(built):
    plans = json.loads((built / "du-lieu/ke-hoach.json").read_text(encoding="utf-8"))
    record = next(r for r in plans if r["id"] == NEW_ID)
    assert record["number"] == "31/KH-PGDĐT" and record["issued"] == "2024-12-02" and record["school_year"] == "2024-2025"
    assert record["url"] == f"{SITE_URL}ke-hoach/{NEW_ID}/" and record["tasks"] == 1 and record["dated_items"] == 1
    items = json.loads((built / "du-lieu/han-chot.json").read_text(encoding="utf-8"))
    task = next(r for r in items if r["plan_id"] == NEW_ID)
    assert task["kind"] == "nhiem-vu" and task["item_id"] == "nop-danh-sach" and task["end"] == "2024-12-19"
    assert task["as_printed"] == "Trước ngày 20/12/2024" and task["units"] == ["truong-vinh-thuan"]
    raw = (built / "du-lieu/han-chot.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))  # Excel reads the Vietnamese as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(items)
    row = next(r for r in rows if r["plan_id"] == NEW_ID)
    assert row["label"] == "Nộp danh sách vận động viên dự Hội khỏe Phù Đổng" and row["units"] == "truong-vinh-thuan"


def test_the_site_of_a_new_repository_has_assets_and_schemas(built, site_repo):
    assert (built / "assets/planpub.css").read_bytes() == (ROOT / "content/assets/planpub.css").read_bytes()
    assert (built / "assets/calendar.js").is_file()
    schema = (built / "schema/plan.schema.json").read_text(encoding="utf-8")
    assert schema == planpub("schema").stdout  # the address the plans' first line names
    example = (built / "ke-hoach/2024-2025-pgddt-vinh-thuan-26/index.html").read_text(encoding="utf-8")
    assert 'Văn bản gốc: <a href="../../van-ban-goc/003_2a8f14cf576b2174.txt">' in example
    source = (built / "van-ban-goc/003_2a8f14cf576b2174.txt").read_bytes()
    assert source == (site_repo / "plans/_sources/003_2a8f14cf576b2174.txt").read_bytes()
