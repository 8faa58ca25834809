"""Property (issue 8): hostile values in every field of the model never crash `check`; when `check`
passes, `calendar` and `build` succeed, and the built site has no live script, event handler or
non-allowlisted URL (the HTML is parsed), and every feed parses.

The fields come from the JSON Schema of a plan and of a registry file, walked here, so a field added
to the model later is covered without touching this file. The budget is fixed (derandomised,
max_examples below), so CI runs the same examples every time.
"""

from __future__ import annotations

import contextlib
import copy
import io
import itertools
import json
import shutil
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import icalendar
from ical.calendar_stream import IcsCalendarStream
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, make_project
from generator import cli
from generator.load import _text_problem
from generator.model import ID_PATTERN, plan_json_schema, registry_json_schema
from test_xss import Page, pages_of, url_is_safe

MINI_PLANS = FIXTURES / "mini" / "plans"
PLAN_FILE = "plans/2024/2024-mau-01.yaml"
REGISTRY_FILES = {"units": "plans/_registry/units.yaml", "movements": "plans/_registry/movements.yaml"}
EXAMPLES = 30
FORBIDDEN_IN_BODY = {"script", "style", "iframe", "object", "embed", "form", "input", "base", "meta", "link"}

HOSTILE_TEXT = [
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea></noscript><script>alert(1)</script>",
    "javascript:alert(1)",
    "[bấm](javascript:alert(1))",
    "- [x]: javascript:alert(1)\n\n[bấm][x]",
    "[a](jav\nascript:alert(1))",
    "[y]:\n  javascript:alert(2)\n\n[t][y]",
    "<a href=javascript:alert(1)>x</a><iframe src=//example.org>",
    "Mẫu <!--<script>",
    "]]></script><script>alert(1)</script>",
    "{{ 7*7 }} {% raw %} {: onclick=alert(1) }",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x3c;",
    "<style>body{display:none}</style>",
    "data:text/html,<script>alert(1)</script>",
    "!!! danger\n    <script>alert(1)</script>",
    "| a | b |\n| --- | --- |\n| <img src=x onerror=alert(1)> | c |",
    "a\\|b `c` \\",
    "\u202eevil\u202c",
    "a\x00b",
    "\x1b[31mđỏ",
    "chuông\x07",
    "xoá\x7f",
    "dòng\u2028mới",
    "Công\u200btác",
    unicodedata.normalize("NFD", "Kế hoạch thi đua"),
    "line 1\nline 2\n\n- item\n  - nested",
    "[" * 3_000,
    "![" * 1_500,
    "*x " * 2_000,
    "x" * 25_000,
    " ",
    "",
    "2024-01-02",
    "Trước ngày 25/01/2024",
    "Tháng 12/9999",
    "31/12/9999",
    "01/01/1800",
]
HOSTILE_OTHER = [0, -1, 10**16, 2**31, -(10**20), 1e300, 0.5, True, None, [], {}, ["a"], {"a": 1}]


# ---- the fields, from the JSON Schema -------------------------------------------------------------

Path_ = tuple[str | int, ...]


def _resolve(root: dict, node: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].split("/")[-1]]
    return node


def _branches(root: dict, node: dict) -> list[dict]:
    node = _resolve(root, node)
    if "anyOf" in node:
        return [b for sub in node["anyOf"] for b in _branches(root, sub) if b.get("type") != "null"]
    return [node]


def leaves(root: dict, node: dict | None = None, path: Path_ = (), seen: tuple[str, ...] = ()) -> Iterator[tuple[Path_, dict]]:
    """Every scalar field of a schema, as (path, schema); list items are item 0; a recursive type
    (sections within sections) is entered twice."""
    node = root if node is None else node
    for branch in _branches(root, node):
        kind = branch.get("type")
        if kind == "object" and "properties" in branch:
            title = branch.get("title", "")
            if seen.count(title) >= 2:
                continue
            for name, sub in branch["properties"].items():
                yield from leaves(root, sub, path + (name,), seen + (title,))
        elif kind == "array":
            yield from leaves(root, branch["items"], path + (0,), seen)
        else:
            yield path, branch
            return  # one leaf per path, even with several scalar branches


def minimal(root: dict, node: dict) -> Any:
    """A small value of the schema's shape (required fields only), to hang a hostile value on."""
    branch = _branches(root, node)[0]
    kind = branch.get("type")
    if "enum" in branch:
        return branch["enum"][0]
    if kind == "object":
        return {name: minimal(root, branch["properties"][name]) for name in branch.get("required", [])}
    if kind == "array":
        return [minimal(root, branch["items"]) for _ in range(branch.get("minItems", 0))]
    if kind in ("integer", "number"):
        return branch.get("minimum", 1)
    if kind == "boolean":
        return False
    pattern = branch.get("pattern")
    if pattern == ID_PATTERN:
        return f"x-{next(_IDS)}"  # ids are unique within a plan
    return {r"^\d{4}-\d{4}$": "2023-2024"}.get(pattern, "02/01/2024" if pattern else "x")


_IDS = itertools.count(1)


def put(root: dict, data: Any, path: Path_, value: Any, node: dict | None = None) -> Any:
    """`data` with `value` at `path`, creating what is missing on the way (from the schema)."""
    node = root if node is None else node
    branch = next((b for b in _branches(root, node) if b.get("type") in ("object", "array")), None)
    if not path:
        return value
    step = path[0]
    if branch is None:
        return data
    if branch["type"] == "array":
        items = list(data) if isinstance(data, list) else []
        if not items:
            items = [minimal(root, branch["items"])]
        items[0] = put(root, items[0], path[1:], value, branch["items"])
        return items
    mapping = dict(data) if isinstance(data, dict) else {}
    sub = branch["properties"][step]
    mapping[step] = put(root, mapping.get(step, minimal(root, sub) if len(path) > 1 else None), path[1:], value, sub)
    return mapping


PLAN_SCHEMA = plan_json_schema()
REGISTRY_SCHEMA = registry_json_schema()
PLAN_LEAVES = list(leaves(PLAN_SCHEMA))
REGISTRY_LEAVES = list(leaves(REGISTRY_SCHEMA))


def test_the_walk_reaches_every_field_of_the_model():
    from pydantic import BaseModel

    from generator import model

    def fields(cls: type[BaseModel], seen: set) -> set[str]:
        names = set()
        for name, info in cls.model_fields.items():
            names.add(name)
            for sub in _models(info.annotation):
                if sub not in seen:
                    seen.add(sub)
                    names |= fields(sub, seen)
        return names

    walked = {name for path, _ in PLAN_LEAVES + REGISTRY_LEAVES for name in path if isinstance(name, str)}
    assert fields(model.Plan, set()) | fields(model.Registry, set()) <= walked
    assert ("tasks", 0, "text") in dict(PLAN_LEAVES) and ("units", 0, "name") in dict(REGISTRY_LEAVES)
    assert ("sections", 0, "sections", 0, "text") in dict(PLAN_LEAVES)


def _models(annotation: Any) -> Iterator[type]:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models(arg)


# ---- the property ---------------------------------------------------------------------------------


class _NoAliases(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter: 100 KB values fast
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=10**9)


def value_for(schema: dict) -> st.SearchStrategy:
    """Mostly hostile: for a string field, hostile text; for any field, a value of the wrong type."""
    text = st.sampled_from(HOSTILE_TEXT) | st.text(max_size=40)
    if schema.get("type") == "string" and not schema.get("pattern") and "enum" not in schema:
        return text
    return text | st.sampled_from(HOSTILE_OTHER)


def run_cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(list(args))
    return code, err.getvalue()


def mkdocs_build(project: Path, site: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with contextlib.redirect_stderr(io.StringIO()):
        build(load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site), strict=True))


def assert_safe(site: Path, theme_scripts: set[str]) -> None:
    for path, page in pages_of(site).items():
        assert not FORBIDDEN_IN_BODY & set(page.body), path
        for tag, attrs in page.elements:
            assert not [n for n in attrs if n.startswith("on")], (path, tag, attrs)
            for name in ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster"):
                if name in attrs:
                    assert url_is_safe(attrs[name]), (path, tag, attrs)
        for attrs, text in page.scripts:
            if attrs.get("type") == "application/ld+json":
                json.loads(text)
            elif "src" not in attrs:
                assert text in theme_scripts, (path, text[:200])
    for feed in site.rglob("*.ics"):
        icalendar.Calendar.from_ical(feed.read_bytes())
        IcsCalendarStream.calendar_from_ics(feed.read_text(encoding="utf-8"))  # strict RFC 5545


@pytest.fixture(scope="module")
def theme_scripts(mini_site) -> set[str]:
    return {text for page in pages_of(mini_site).values() for attrs, text in page.scripts if "src" not in attrs}


def test_hostile_values_in_every_field(tmp_path_factory, theme_scripts):
    base_project = make_project(tmp_path_factory.mktemp("property") / "base", MINI_PLANS)
    base_plan = yaml.safe_load((base_project / PLAN_FILE).read_text(encoding="utf-8"))
    base_registry = {key: yaml.safe_load((base_project / rel).read_text(encoding="utf-8"))[key] for key, rel in REGISTRY_FILES.items()}
    stats: Counter[str] = Counter()
    hostile_paths: set[Path_] = set()
    counter = iter(range(10**6))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def run(data):
        plan, registry = copy.deepcopy(base_plan), copy.deepcopy(base_registry)
        # "gate": any field may get any hostile value (check must refuse it, never crash);
        # "text": a few free-text fields get hostile text that passes check (the build must be safe)
        mode = data.draw(st.sampled_from(["gate", "text", "text"]))
        for schema_root, leaf_list, target in ((PLAN_SCHEMA, PLAN_LEAVES, "plan"), (REGISTRY_SCHEMA, REGISTRY_LEAVES, "registry")):
            for path, schema in leaf_list:
                free_text = schema.get("type") == "string" and not schema.get("pattern") and "enum" not in schema
                if mode == "gate":
                    if not data.draw(st.sampled_from([True, True, False] if free_text else [True] + [False] * 3)):
                        continue
                    value = data.draw(value_for(schema))
                else:
                    if not free_text or not data.draw(st.sampled_from([False] * 7 + [True])):
                        continue
                    value = data.draw(st.sampled_from([t for t in HOSTILE_TEXT if t and _text_problem(t, path) is None]))
                hostile_paths.add(path)
                if target == "plan":
                    plan = put(schema_root, plan, path, value)
                else:
                    registry = put(schema_root, registry, path, value)
        project = tmp_path_factory.mktemp("example") / f"p{next(counter)}"
        shutil.copytree(base_project, project)
        (project / PLAN_FILE).write_text(dump(plan), encoding="utf-8")
        for key, rel in REGISTRY_FILES.items():
            (project / rel).write_text(dump({key: registry[key]} if key in registry else {}), encoding="utf-8")

        # as an editor does: bring the calendar ledger up to date (refused when the plans have errors), then check
        code, err = run_cli("--project", str(project), "calendar")
        assert code in (0, 1) and "lỗi không mong đợi" not in err, err
        code, err = run_cli("--project", str(project), "check")
        assert code in (0, 1) and "lỗi không mong đợi" not in err, err  # check never raises
        if code == 1:
            stats["refused by check"] += 1
            return
        site = project / "site-out"
        mkdocs_build(project, site)  # raises on any error or warning (strict)
        assert_safe(site, theme_scripts)
        stats["built"] += 1
        shutil.rmtree(project, ignore_errors=True)

    run()
    assert stats["built"] >= 3 and stats["refused by check"] >= 3, stats
    every = {path for path, _ in PLAN_LEAVES} | {path for path, _ in REGISTRY_LEAVES}
    assert every - hostile_paths == set()  # every field got a hostile value in some example
