"""Every field of the plan model is shown on the plan page (issue: "nothing saved but never shown").

The test walks the model's JSON Schema and fills EVERY field of a plan — every optional field, one
item in every list, nested sections and schedule groups — with a unique marker (or, where the field
has a format, a unique value of that format), builds the site with mkdocs, and asserts that each
marker is visible on the plan page. A field added to the model is filled automatically; if it is not
displayed, this test fails until the page shows it or it is added to NOT_DISPLAYED with its reason.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from conftest import FIXTURES, make_project, mkdocs_build
from generator.model import plan_json_schema

PLAN_ID = "2031-mau-moi-truong"
OTHER_ID = "2031-mau-thay-the"

# Registry entries the references point to; their names are what the page shows for them.
UNITS = {"don-vi-mk-a": "Trường Mẫu MKUA", "don-vi-mk-b": "Trường Mẫu MKUB", "don-vi-mk-c": "Phòng Mẫu MKUC"}
MOVEMENTS = {"phong-trao-mk": "Phong trào MKMV"}

# Fields with a format: a unique, valid value, and what the page shows for it.
VALUES: dict[str, tuple[Any, str]] = {
    "id": (PLAN_ID, f'ke-hoach/{PLAN_ID}/'),  # the page's own address
    "issuers[]": ("don-vi-mk-a", UNITS["don-vi-mk-a"]),
    "issued": ("ngày 17 tháng 03 năm 2031", "ngày 17 tháng 03 năm 2031"),
    "period.year": (2031, "Năm 2031"),
    "period.school_year": ("2030-2031", "năm học 2030-2031"),
    "period.start": ("05/09/2030", "05/09/2030"),
    "period.end": ("30/06/2031", "30/06/2031"),
    "status": ("superseded", "Đã được thay thế"),
    "superseded_by": (OTHER_ID, "Kế hoạch MKOTHER"),
    "updated": ("02/04/2031", "02/04/2031"),
    "source.url": ("https://example.org/mk-nguon", "https://example.org/mk-nguon"),
    "bases[].relation": ("ban-hanh-kem-theo", None),
    "bases[].date": ("12/3/2030", "ngày 12/3/2030"),
    "bases[].issuer_units[]": ("don-vi-mk-c", None),
    "bases[].plan": (OTHER_ID, f'href="../{OTHER_ID}/"'),
    "cites[].relation": ("trich-dan", None),
    "cites[].date": ("13/3/2030", "ngày 13/3/2030"),
    "cites[].issuer_units[]": ("don-vi-mk-c", None),
    "cites[].plan": (OTHER_ID, f'href="../{OTHER_ID}/"'),
    "movements[]": ("phong-trao-mk", MOVEMENTS["phong-trao-mk"]),
    "phases[].id": ("gd-mk", 'id="gd-gd-mk"'),
    "phases[].when": ("Từ 01/10/2030 đến 15/01/2031", "Từ 01/10/2030 đến 15/01/2031"),
    "phases[].anniversaries[]": ("kn-mk", "Ngày kỷ niệm MK"),  # the anniversary's name
    "schedules[].id": ("lich-mk", None),
    "schedules[].groups[].label": ("Tháng 10/2030", "Tháng 10/2030"),
    "schedules[].groups[].when": ("Từ 01/10/2030 đến 31/10/2030", "Từ 01/10/2030 đến 31/10/2030"),
    "schedules[].groups[].groups[].label": ("Tuần MKWEEK", "Tuần MKWEEK"),
    "schedules[].groups[].groups[].when": ("Từ 07/10/2030 đến 12/10/2030", "Từ 07/10/2030 đến 12/10/2030"),
    "anniversaries[].id": ("kn-mk", 'id="kn-kn-mk"'),
    "anniversaries[].name": ("Ngày kỷ niệm MK", "Ngày kỷ niệm MK"),
    "anniversaries[].years": (47, "47 năm"),
    "anniversaries[].event": ("14/02/1984", "14/02/1984"),
    "anniversaries[].date": ("14/02/2031", "14/02/2031"),
    "targets[].value": (4711, "4711"),
    "targets[].comparator": (">=", "≥ 4711"),
    "statistics[].value": (4712, "4712"),
    "signers[].authority": ("KT.", "KT."),
    "signers[].unit": ("don-vi-mk-b", None),
}

# Task-like items (tasks and schedule rows) get their own id, units and a deadline each.
TASK_VALUES = {
    "id": lambda n: (f"nv-mk-{n}", f'id="nv-nv-mk-{n}"'),
    "units[]": lambda n: ("don-vi-mk-b", UNITS["don-vi-mk-b"]),
    "partners[]": lambda n: ("don-vi-mk-c", UNITS["don-vi-mk-c"]),
    "movements[]": lambda n: ("phong-trao-mk", MOVEMENTS["phong-trao-mk"]),
    "deadline": lambda n: (f"Trước ngày {10 + n:02d}/11/2030", f"Trước ngày {10 + n:02d}/11/2030"),
}

# Fields the page deliberately does not print, each with its reason.
NOT_DISPLAYED = {
    "bases[].relation": "its printed form is `verb` (“Căn cứ vào”); the relation is the structured reading of it",
    "cites[].relation": "cited documents are listed under their own heading; the relation says so",
    "bases[].issuer_units[]": "the issuer as printed stands on the page; the ids link the document to the unit in data",
    "cites[].issuer_units[]": "the issuer as printed stands on the page; the ids link the document to the unit in data",
    "signers[].unit": "the printed positions say whom the signer signs for; the id links the signer to the registry",
    "schedules[].id": "an id for data and anchors; the schedule's printed title heads it",
}

SECTION_DEPTH = 2  # sections inside sections: two levels filled


def resolve(schema: dict, node: dict) -> dict:
    if "$ref" in node:
        return schema["$defs"][node["$ref"].split("/")[-1]]
    if "anyOf" in node:
        return resolve(schema, next(n for n in node["anyOf"] if n.get("type") != "null"))
    return node


class Filler:
    """Walks the schema and fills every field; records (path, shown text) for each leaf."""

    def __init__(self, schema: dict) -> None:
        self.schema = schema
        self.count = 0
        self.expected: list[tuple[str, str]] = []  # (field path, text the page must show)
        self.tasks = 0

    def marker(self) -> str:
        self.count += 1
        return f"MK{self.count:03d}"

    def fill(self, node: dict, path: str, depth: dict[str, int], task: int | None = None) -> Any:
        node = resolve(self.schema, node)
        if node.get("type") == "object":
            name = node.get("title", "")
            if name in ("Section", "ScheduleGroup"):
                depth = {**depth, name: depth.get(name, 0) + 1}
            if name == "Task":
                self.tasks += 1
                task = self.tasks
            result = {}
            for key, sub in node["properties"].items():
                sub_node = resolve(self.schema, sub)
                child = f"{path}.{key}" if path else key
                if sub_node.get("type") == "array" and resolve(self.schema, sub_node["items"]).get("title") in ("Section", "ScheduleGroup"):
                    kind = resolve(self.schema, sub_node["items"])["title"]
                    if depth.get(kind, 0) >= SECTION_DEPTH:
                        continue
                result[key] = self.fill(sub, child, depth, task)
            return result
        if node.get("type") == "array":
            return [self.fill(node["items"], path + "[]", depth, task)]
        return self.leaf(node, path, task)

    def leaf(self, node: dict, path: str, task: int | None) -> Any:
        last = path.rsplit(".", 1)[-1]
        if task is not None and ("tasks[]." in path) and last in TASK_VALUES:
            value, shown = TASK_VALUES[last](task)
        elif path in VALUES:
            value, shown = VALUES[path]
        elif node.get("type") in ("integer", "number"):
            raise AssertionError(f"add a value for the number field {path} to VALUES")
        elif "enum" in node or node.get("pattern"):
            raise AssertionError(f"add a value for the field {path} (enum or pattern) to VALUES")
        else:
            value = shown = self.marker()
        if shown is not None:
            self.expected.append((path, shown))
        elif path not in NOT_DISPLAYED:
            raise AssertionError(f"{path} shows nothing: give it a displayed value or a reason in NOT_DISPLAYED")
        return value


def visible(page: str) -> str:
    body = page[page.index("<article"):page.index("</article>")]
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Filler, dict, Path]:
    filler = Filler(plan_json_schema())
    data = filler.fill(plan_json_schema(), "", {})
    root = tmp_path_factory.mktemp("every-field")
    project = make_project(root / "project", FIXTURES / "mini" / "plans")
    shutil.rmtree(project / "plans" / "_ledger")  # a preview would be needed otherwise: write it below
    registry = {
        "units": [{"id": i, "name": n} for i, n in UNITS.items()],
        "movements": [{"id": i, "name": n, "kind": "phong-trao-thi-dua"} for i, n in MOVEMENTS.items()],
    }
    (project / "plans/_registry/every-field.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    (project / "plans/2031").mkdir()
    (project / f"plans/2031/{PLAN_ID}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    other = {"id": OTHER_ID, "number": "MKOTHER", "title": "Kế hoạch thay thế", "updated": "02/04/2031"}
    (project / f"plans/2031/{OTHER_ID}.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    from generator.feeds import calendar_command

    assert calendar_command(project) == 0
    site = root / "site"
    done = mkdocs_build(project, site)
    assert done.returncode == 0, done.stdout + done.stderr
    return filler, data, site


def test_every_field_of_the_schema_is_filled(filled):
    filler, data, _ = filled
    assert filler.count > 60 and filler.tasks >= 3  # tasks, a schedule's own rows and its groups' rows


def test_every_field_is_shown_on_the_plan_page(filled):
    filler, _, site = filled
    page = (site / "ke-hoach" / PLAN_ID / "index.html").read_text(encoding="utf-8")
    text = visible(page)
    missing = [(path, shown) for path, shown in filler.expected if shown not in text and shown not in page]
    assert not missing, "fields not shown on the plan page:\n" + "\n".join(f"  {p}: {s!r}" for p, s in missing)


def test_markers_are_text_not_attributes(filled):
    """A marker counts as shown only when a reader sees it: markers are found in the visible text."""
    filler, _, site = filled
    text = visible((site / "ke-hoach" / PLAN_ID / "index.html").read_text(encoding="utf-8"))
    markers = [shown for _, shown in filler.expected if re.fullmatch(r"MK\d{3}", shown)]
    assert markers and all(m in text for m in markers)


def test_not_displayed_lists_only_fields_of_the_model(filled):
    filler, _, _ = filled
    filled_paths = set(_paths(filled[1], ""))
    assert set(NOT_DISPLAYED) <= filled_paths


def _paths(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _paths(sub, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from _paths(item, path + "[]")
    else:
        yield path
