"""`planpub init DIR` (a new site repository, ready to push) and `planpub new` (one new plan).

One source of truth: a new site gets this repository's own mkdocs.yml (with its name and address),
editors' guide, CI workflows and pre-commit hooks — the very files this repository publishes its
demo with, found through generator/resources.py in a checkout or in the wheel — and one of the
seed plans as its example, with the registry files that plan needs and its original document.
So whatever the model, the pages or the CI become, `init` gives the current version, and the test
that runs `init` → `check` → `build` keeps the example valid.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from jinja2 import Environment, StrictUndefined
from ruamel.yaml import YAML

from generator import __version__, atomic, ledger
from generator.corpus import PLANS_DIR, REGISTRY_DIR, SOURCES_DIR, link, load_project, source_path
from generator.dates import DateError, format_date, parse_date
from generator.load import LoadError, load_plan, load_registry
from generator.model import ID_MAX, plan_json_schema
from generator.resources import ASSETS, shipped
from generator.slug import slugify

EXAMPLE_PLAN = "plans/2024/2024-2025-pgddt-vinh-thuan-26.yaml"
# Byte for byte the same in this repository and in every site `init` makes (a test holds them equal).
SHARED_FILES = (".github/workflows/site.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml")
STARTER = "site_templates/starter"  # what only a new site gets: its README, .gitignore
SCHEMA_URLS = {"plan": "schema/plan.schema.json", "registry": "schema/registry.schema.json"}
SCHEMA_LINE = "# yaml-language-server: $schema="
DEFAULT_SITE_URL = "https://example.org/"
DEFAULT_SITE_NAME = "Kế hoạch ngành Giáo dục"


@dataclass(frozen=True)
class SiteOptions:
    site_name: str = DEFAULT_SITE_NAME
    site_url: str = DEFAULT_SITE_URL
    repo_url: str | None = None  # derived from a github.io address when not given
    requirement: str = f"planpub=={__version__}"  # how CI installs planpub (requirements.txt)

    @property
    def url(self) -> str:
        return self.site_url if self.site_url.endswith("/") else self.site_url + "/"

    @property
    def repository(self) -> str | None:
        return self.repo_url or github_repository(self.url)


def github_repository(site_url: str) -> str | None:
    """https://OWNER.github.io/REPO/ → https://github.com/OWNER/REPO (GitHub Pages' own rule)."""
    parts = urlsplit(site_url)
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host.endswith(".github.io") and len(segments) == 1:
        return f"https://github.com/{host[: -len('.github.io')]}/{segments[0]}"
    return None


def schema_line(site_url: str, kind: str = "plan") -> str:
    """The first line of a plan: VS Code's YAML extension completes and checks fields from it."""
    return f"{SCHEMA_LINE}{site_url}{SCHEMA_URLS[kind]}"


def with_schema_line(text: str, line: str) -> str:
    first, newline, rest = text.partition("\n")
    if first.startswith(SCHEMA_LINE):
        return line + newline + rest
    return line + "\n" + text


# ---- init -------------------------------------------------------------------------------------


def mkdocs_config(options: SiteOptions) -> str:
    """This repository's mkdocs.yml with the new site's name and addresses (comments kept)."""
    y = _ruamel()
    config = y.load(shipped("mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = options.site_name
    config["site_description"] = f"{options.site_name} — toàn văn kế hoạch, nhiệm vụ, thời hạn và lịch theo dõi."
    config["site_url"] = options.url
    for key in ("repo_url", "repo_name", "edit_uri"):
        config.pop(key, None)
    if options.repository:
        at = list(config).index("site_url") + 1
        config.insert(at, "repo_url", options.repository)
        config.insert(at + 1, "edit_uri", f"edit/main/{config.get('docs_dir', 'docs')}/")
    out = io.StringIO()
    y.dump(config, out)
    return out.getvalue()


def _ruamel() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 30
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def example_files(options: SiteOptions) -> dict[str, bytes]:
    """The example plan, the registry files it needs (no more) and its original document."""
    base = shipped("")
    plan = load_plan(shipped(EXAMPLE_PLAN), base)
    registries = [load_registry(p, base) for p in sorted(shipped(f"{PLANS_DIR}/{REGISTRY_DIR}").glob("*.yaml"))]
    needed = list(registries)
    for registry in registries:  # drop every file the plan can do without (its parents' files stay)
        trial = [r for r in needed if r is not registry]
        try:
            link([plan], trial)
        except LoadError:
            continue
        needed = trial
    text = shipped(EXAMPLE_PLAN).read_text(encoding="utf-8")
    files = {EXAMPLE_PLAN: with_schema_line(text, schema_line(options.url)).encode("utf-8")}
    for registry in needed:
        text = shipped(registry.doc.file).read_text(encoding="utf-8")
        files[registry.doc.file] = with_schema_line(text, schema_line(options.url, "registry")).encode("utf-8")
    source = plan.value.source
    if source and source.file:
        rel = f"{PLANS_DIR}/{SOURCES_DIR}/{source.file}"
        files[rel] = source_path(base, source.file).read_bytes()
    return files


def starter_files(options: SiteOptions) -> dict[str, bytes]:
    """Every file a new site starts with, by path (the calendar ledger is computed once they exist)."""
    files: dict[str, bytes] = {"mkdocs.yml": mkdocs_config(options).encode("utf-8")}
    for rel in SHARED_FILES:
        files[rel] = shipped(rel).read_bytes()
    content = shipped("content")
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(shipped("")).as_posix()
        if path.is_file() and not rel.startswith(ASSETS + "/"):  # assets come from the package, always current
            files[rel] = path.read_bytes()
    files.update(example_files(options))
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    values = {"options": options, "version": __version__, "example": EXAMPLE_PLAN, "schema": SCHEMA_URLS}
    for path in sorted(shipped(STARTER).iterdir()):
        name = path.name.removesuffix(".j2")
        name = "." + name.removeprefix("dot-") if name.startswith("dot-") else name
        text = path.read_text(encoding="utf-8")
        files[name] = (env.from_string(text).render(**values) if path.name.endswith(".j2") else text).encode("utf-8")
    files["requirements.txt"] = f"# Phiên bản planpub dùng để xây dựng trang (CI cài theo tệp này)\n{options.requirement}\n".encode("utf-8")
    return files


def init_command(target: Path, options: SiteOptions, out=sys.stdout, err=sys.stderr) -> int:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"planpub init: thư mục {target} đã có nội dung — hãy chọn một thư mục mới hoặc trống", file=err)
        return 2
    files = starter_files(options)
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if _is_text(rel):
            atomic.create_text(path, data.decode("utf-8"))
        else:
            path.write_bytes(data)
    corpus = load_project(target)
    entries, _ = ledger.update({}, _current(corpus))
    ledger.write(target, entries)
    print(f"planpub init: đã tạo trang “{options.site_name}” trong {target} ({len(files) + 1} tệp)", file=out)
    print(f"  tiếp theo: cd {target} && planpub serve   (xem trước tại http://127.0.0.1:8000/)", file=out)
    if options.site_url == DEFAULT_SITE_URL:
        print(f"  nhớ sửa site_url trong mkdocs.yml thành địa chỉ thật của trang (đang là {DEFAULT_SITE_URL})", file=out)
    return 0


def _current(corpus) -> ledger.Current:
    from generator.feeds import schedule  # feeds imports pages and icalendar: only when needed

    return schedule(corpus).current()


def _is_text(rel: str) -> bool:
    return not rel.lower().endswith((".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png"))


# ---- new --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPlan:
    title: str
    issuers: tuple[str, ...]
    period: str  # "2024" or "2024-2025"
    number: str | None = None
    issued: str | None = None  # as printed, dd/mm/yyyy
    kind: str = "Kế hoạch"
    plan_id: str | None = None
    updated: str | None = None  # default: today

    @property
    def school_year(self) -> bool:
        return "-" in self.period

    @property
    def first_year(self) -> int:
        return int(self.period.split("-")[0])


_PERIOD = re.compile(r"\d{4}(?:-\d{4})?")


def validate_new(plan: NewPlan) -> list[str]:
    """Vietnamese problems with the given values (empty: fine)."""
    problems = []
    if not plan.title.strip():
        problems.append("cần trích yếu (--title)")
    if not plan.issuers:
        problems.append("cần cơ quan ban hành (--issuer, mã trong danh mục)")
    if not _PERIOD.fullmatch(plan.period):
        problems.append(f"thời kỳ “{plan.period}” phải là một năm (2024) hoặc một năm học (2024-2025)")
    elif plan.school_year and int(plan.period[5:]) != plan.first_year + 1:
        problems.append(f"năm học “{plan.period}” phải gồm hai năm liên tiếp")
    for label, value in (("ngày ban hành (--date)", plan.issued), ("ngày cập nhật (--updated)", plan.updated)):
        if value:
            try:
                parse_date(value)
            except DateError as error:
                problems.append(f"{label}: {error}")
    return problems


def plan_id(plan: NewPlan) -> str:
    """<year or school year>-<first issuer>[-<number>]: 2024-2025-pgddt-vinh-thuan-26."""
    if plan.plan_id:
        return plan.plan_id
    digits = re.match(r"\s*(\d+)", plan.number or "")
    parts = [plan.period, plan.issuers[0], digits.group(1) if digits else ""]
    return slugify(" ".join(parts))[:ID_MAX].strip("-")


def plan_folder(plan: NewPlan) -> str:
    year = parse_date(plan.issued).year if plan.issued else plan.first_year
    return f"{PLANS_DIR}/{year}"


def new_plan_text(plan: NewPlan, site_url: str, today: date) -> str:
    """The skeleton: the given facts, then every other field of the model as a comment to fill in."""
    given: dict[str, list[str]] = {
        "id": [f"id: {plan_id(plan)}"],
        "number": [f"number: {_quoted(plan.number)}"] if plan.number else [],
        "kind": [f"kind: {_quoted(plan.kind)}"],
        "title": [f"title: {_quoted(plan.title)}"],
        "issuers": ["issuers:", *(f"  - {i}" for i in plan.issuers)],
        "issued": [f"issued: {_quoted(plan.issued)}"] if plan.issued else [],
        "period": ["period:", f"  school_year: {_quoted(plan.period)}" if plan.school_year else f"  year: {plan.period}"],
        "updated": [f"updated: {_quoted(plan.updated or format_date(today))}"],
    }
    schema = plan_json_schema()
    lines = [schema_line(site_url), "# Kế hoạch mới: điền nội dung đúng như văn bản gốc; bỏ dấu “#” ở các trường cần dùng.", ""]
    for name, node in schema["properties"].items():
        if given.get(name):
            lines.extend(given[name])
        elif name not in given:
            lines.extend(_commented(schema, name, node, "", set()))
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _commented(schema: dict, name: str, node: dict, indent: str, seen: set[str], first_item: bool = False) -> list[str]:
    """A field as comment lines, `# name: …  # description`, its parts below it; `indent` is where
    its key stands (the first key of a list item gets the item's "- ")."""
    from generator.fmt import _resolve

    resolved = _resolve(schema, node)
    ref = _ref_name(node)
    note = _note(node, resolved)
    prefix = f"# {indent[:-2] + '- ' if first_item else indent}{name}:"
    if resolved.get("type") == "object" and ref not in seen:
        lines = [prefix + note]
        for child, sub in resolved.get("properties", {}).items():
            lines.extend(_commented(schema, child, sub, indent + "  ", seen | {ref}))
        return lines
    if resolved.get("type") == "array":
        items = _resolve(schema, resolved.get("items", {}))
        item_ref = _ref_name(resolved.get("items", {}))
        if items.get("type") == "object" and item_ref not in seen:
            lines = [prefix + note]
            for i, (child, sub) in enumerate(items.get("properties", {}).items()):
                lines.extend(_commented(schema, child, sub, indent + "    ", seen | {item_ref}, first_item=i == 0))
            return lines
        return [prefix + note, f"# {indent}  - …"]
    return [f"{prefix} …{note}"]


def _ref_name(node: dict) -> str:
    for option in [node, *node.get("anyOf", []), node.get("items", {})]:
        if isinstance(option, dict) and "$ref" in option:
            return option["$ref"].rsplit("/", 1)[-1]
    return ""


def _note(node: dict, resolved: dict) -> str:
    text = node.get("description") or resolved.get("description") or ""
    text = " ".join(text.split())
    choices = resolved.get("enum")
    if choices:
        text = (text + "; " if text else "") + " | ".join(map(str, choices))
    return f"  # {text}" if text and "\n" not in text and len(text) <= 160 else ""


def new_command(root: Path, plan: NewPlan, out=sys.stdout, err=sys.stderr, ask: Callable[[str], str] | None = None) -> int:
    problems = validate_new(plan)
    if problems:
        for problem in problems:
            print(f"planpub new: {problem}", file=err)
        return 2
    pid = plan_id(plan)
    existing = next((p for p in (root / PLANS_DIR).rglob(f"{pid}.yaml")), None)
    target = root / plan_folder(plan) / f"{pid}.yaml"
    if existing is not None or target.exists():
        print(f"planpub new: đã có kế hoạch mã “{pid}” ({(existing or target).relative_to(root)}); chọn mã khác bằng --id", file=err)
        return 1
    known = _known_units(root)
    for issuer in plan.issuers:
        if issuer not in known:
            print(f"planpub new: cảnh báo: chưa có đơn vị mã “{issuer}” trong {PLANS_DIR}/{REGISTRY_DIR}/ — hãy thêm vào danh mục", file=err)
    try:
        atomic.create_text(target, new_plan_text(plan, _site_url(root), date.today()))
    except FileExistsError:
        print(f"planpub new: {target.relative_to(root)} đã có — không ghi đè", file=err)
        return 1
    rel = target.relative_to(root).as_posix()
    print(f"planpub new: đã tạo {rel}", file=out)
    print("  tiếp theo: điền nội dung, rồi chạy planpub fmt, planpub check và planpub calendar", file=out)
    return 0


def _known_units(root: Path) -> set[str]:
    units: set[str] = set()
    for path in sorted((root / PLANS_DIR / REGISTRY_DIR).glob("*.yaml")):
        try:
            units.update(u.id for u in load_registry(path, root).value.units)
        except LoadError:
            continue
    return units


def _site_url(root: Path) -> str:
    try:
        config: Any = _ruamel().load((root / "mkdocs.yml").read_text(encoding="utf-8"))
        url = str(config["site_url"])
    except Exception:  # no or unreadable mkdocs.yml: the schema line still helps with a placeholder
        url = DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"
