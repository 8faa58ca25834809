"""`planpub fmt`: one canonical layout for plan and registry files, through a ruamel.yaml round trip.

What changes: keys follow the order of the model's JSON Schema (derived from the model, so a field
added there is placed too), indentation is 2 spaces for mappings and `  - ` for list items,
single-quoted text becomes double-quoted, line breaks are LF, long lines are never re-wrapped.
What never changes: the data (every value reads back identical with planpub's own loader: dates as
printed stay the strings they were), every comment, blank lines, block texts (`|`), Vietnamese text.
Both are verified on each file before it is written; a file that would lose anything is left alone
with an error. Writes are atomic (generator/atomic.py): never a truncated file, even on Ctrl-C.

How keys move with their comments: the round trip first gives a canonical text; each mapping's
keys are then reordered as blocks of lines in that text — a key's block starts at the comment and
blank lines just above it (at its own indentation or less) and ends before the next key's block —
so a comment introducing a key travels with it, and a mapping's opening and closing comments stay put.
"""

from __future__ import annotations

import bisect
import difflib
import io
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.tag import Tag

from generator import atomic, load
from generator.corpus import PLANS_DIR, REGISTRY_DIR, SOURCES_DIR
from generator.model import plan_json_schema, registry_json_schema

SKIPPED_DIRS = {"_ledger", SOURCES_DIR}
_WIDTH = 1 << 30  # never re-wrap a line


class FormatError(Exception):
    """A file that cannot be formatted without losing something (the message is Vietnamese)."""


# ---- the round trip ---------------------------------------------------------------------------


class _Resolver(VersionedResolver):
    """Plain scalars typed exactly as generator/load.py types them (YAML 1.2 core, nothing more).

    ruamel's own rules would read `2021-09-05` as a timestamp or `0x1F` as a number, and could then
    write them back in another form; here they stay text, as planpub reads them.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            if value in load._NULL:
                return Tag(suffix="tag:yaml.org,2002:null")
            if value in load._TRUE or value in load._FALSE:
                return Tag(suffix="tag:yaml.org,2002:bool")
            if load._INT.fullmatch(value):
                return Tag(suffix="tag:yaml.org,2002:int")
            if load._FLOAT.fullmatch(value):
                return Tag(suffix="tag:yaml.org,2002:float")
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Resolver = _Resolver
    y.preserve_quotes = True
    y.width = _WIDTH
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    return y


def _double_quotes(node: Any) -> Any:
    """'text' → "text": one quote style (the same string; text with `"` or `\\` keeps its quotes)."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            node[key] = _double_quotes(value)
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(node):
            node[i] = _double_quotes(value)
    elif isinstance(node, SingleQuotedScalarString) and not {'"', "\\"} & set(node):
        return DoubleQuotedScalarString(str(node))
    return node


def format_text(text: str, schema: dict[str, Any]) -> str:
    """The canonical form of one YAML file (pure; raises FormatError rather than lose anything)."""
    y = _yaml()
    data = y.load(text)
    if not isinstance(data, CommentedMap):
        return text  # not a mapping: the loader reports it; nothing to order
    out = io.StringIO()
    y.dump(_double_quotes(data), out)
    canonical = out.getvalue()
    lines = canonical.splitlines(keepends=True)
    _order(lines, y.load(canonical), schema, schema, 0, len(lines))
    result = "".join(lines)
    verify(text, result)
    return result


def verify(before: str, after: str) -> None:
    """The same data as planpub reads it, and the same comments, or FormatError."""
    try:
        old = load.read_yaml("a", before.encode("utf-8")).data
        new = load.read_yaml("b", after.encode("utf-8")).data
    except load.LoadError as err:
        raise FormatError(f"định dạng lại sẽ làm tệp không đọc được ({err.problems[0].message})") from None
    if old != new:
        raise FormatError("định dạng lại sẽ làm thay đổi dữ liệu: tệp được giữ nguyên, hãy báo lỗi này cho nhóm phát triển")
    lost = comments(before) - comments(after)
    if lost:
        sample = next(iter(lost))
        raise FormatError(f"định dạng lại sẽ làm mất chú thích “{sample[:60]}”: tệp được giữ nguyên")


def comments(text: str) -> Counter[str]:
    """Every comment of a YAML text (a `#` outside any scalar, at a line start or after a space)."""
    spans = sorted(
        (token.start_mark.index, token.end_mark.index)
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        if isinstance(token, yaml.ScalarToken)
    )
    starts = [s for s, _ in spans]
    found: Counter[str] = Counter()
    offset = 0
    for line in text.splitlines(keepends=True):
        column = line.find("#")
        while column != -1:
            at = offset + column
            i = bisect.bisect_right(starts, at) - 1
            inside = i >= 0 and spans[i][0] <= at < spans[i][1]
            if not inside and (column == 0 or line[column - 1] in " \t"):
                found[line[column:].rstrip()] += 1
                break
            column = line.find("#", column + 1)
        offset += len(line)
    return found


# ---- key order --------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], node: dict[str, Any] | None) -> dict[str, Any]:
    """Follow $ref and optional (`X | None`) wrappers to the schema that describes a value."""
    for _ in range(32):
        if not node:
            return {}
        if "$ref" in node:
            node = schema.get("$defs", {}).get(node["$ref"].rsplit("/", 1)[-1])
            continue
        options = [n for n in node.get("anyOf", []) if n.get("type") != "null"]
        if len(options) == 1:
            node = options[0]
            continue
        return node
    return {}


def _is_filler(line: str, column: int) -> bool:
    """A blank line, or a comment line at `column` or further left: what may introduce a key."""
    stripped = line.strip()
    if not stripped:
        return True
    return stripped.startswith("#") and len(line) - len(line.lstrip(" ")) <= column


def _back(lines: list[str], at: int, floor: int, column: int) -> int:
    """Walk up from line `at` over filler lines, never above `floor`."""
    while at - 1 > floor and _is_filler(lines[at - 1], column):
        at -= 1
    return at


def _order(lines: list[str], node: Any, schema: dict, here: dict, start: int, end: int) -> None:
    """Reorder every mapping under `node`, which spans lines[start:end]; children first."""
    here = _resolve(schema, here)
    if isinstance(node, CommentedSeq):
        if node.fa.flow_style() or not node:
            return
        rows = [node.lc.item(i)[0] for i in range(len(node))]
        column = max(node.lc.item(0)[1] - 2, 0)
        bounds = [rows[0]] + [_back(lines, r, prev, column) for prev, r in zip(rows, rows[1:])] + [end]
        for i, value in enumerate(node):
            _order(lines, value, schema, here.get("items", {}), bounds[i], bounds[i + 1])
        return
    if not isinstance(node, CommentedMap) or node.fa.flow_style() or not node:
        return
    keys = list(node)
    properties = here.get("properties", {})
    rows = [node.lc.key(k)[0] for k in keys]
    column = node.lc.key(keys[0])[1]
    stop = _back(lines, end, rows[-1], column)
    bounds = [rows[0]] + [_back(lines, r, prev, column) for prev, r in zip(rows, rows[1:])] + [stop]
    for i, key in enumerate(keys):
        _order(lines, node[key], schema, properties.get(key, {}), bounds[i], bounds[i + 1])
    rank = {name: i for i, name in enumerate(properties)}
    order = sorted(range(len(keys)), key=lambda i: (rank.get(keys[i], len(rank)), i))
    if order == list(range(len(keys))):
        return
    blocks = [lines[bounds[i] : bounds[i + 1]] for i in range(len(keys))]
    dash = column - 2
    first_line = rows[0] - bounds[0]  # 0: the first key opens its block
    if dash >= 0 and lines[rows[0]][dash:column] == "- ":  # a list item: "- " goes to the new first key
        blocks[0][first_line] = lines[rows[0]][:dash] + "  " + lines[rows[0]][column:]
        new_first = order[0]
        at = rows[new_first] - bounds[new_first]
        row = blocks[new_first][at]
        blocks[new_first][at] = row[:dash] + "- " + row[column:]
    lines[bounds[0] : bounds[-1]] = [line for i in order for line in blocks[i]]


# ---- files and the command --------------------------------------------------------------------


def schema_for(rel: Path) -> dict[str, Any]:
    return registry_json_schema() if REGISTRY_DIR in rel.parts else plan_json_schema()


def project_files(root: Path) -> list[Path]:
    """Every plan and registry file under plans/ (not the ledger, not the original documents)."""
    plans = root / PLANS_DIR
    return sorted(p for p in plans.rglob("*.yaml") if not SKIPPED_DIRS & set(p.relative_to(plans).parts))


@dataclass
class Outcome:
    path: Path
    name: str
    before: str
    after: str | None  # None: not formatted (see error)
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before


def format_file(path: Path, root: Path, schemas: dict[str, dict]) -> Outcome:
    name = _relative(path, root)
    try:
        doc = load.read_file(path, root)  # the project's YAML rules first: fmt never "fixes" a broken file
    except load.LoadError as err:
        return Outcome(path, name, "", None, "\n".join(map(str, err.problems)))
    before = path.read_bytes().decode("utf-8-sig")
    del doc
    kind = "registry" if REGISTRY_DIR in Path(name).parts else "plan"
    try:
        return Outcome(path, name, before, format_text(before.replace("\r\n", "\n"), schemas[kind]))
    except FormatError as err:
        return Outcome(path, name, before, None, f"{name}:1:1: lỗi: {err}")


def fmt_command(root: Path, paths: Iterable[Path] = (), check_only: bool = False, out=sys.stdout, err=sys.stderr) -> int:
    """Format every plan and registry (or the given files); `check_only`: print a diff, exit 1 if any."""
    files = [p.resolve() for p in paths] or project_files(root)
    schemas = {"plan": plan_json_schema(), "registry": registry_json_schema()}
    changed = failed = 0
    for path in files:
        outcome = format_file(path, root, schemas)
        if outcome.error:
            print(outcome.error, file=err)
            failed += 1
            continue
        if not outcome.changed:
            continue
        changed += 1
        if check_only:
            out.writelines(
                difflib.unified_diff(
                    outcome.before.splitlines(True), outcome.after.splitlines(True), f"a/{outcome.name}", f"b/{outcome.name}"
                )
            )
        else:
            atomic.replace_text(path, outcome.after)
            print(f"đã định dạng {outcome.name}", file=err)
    verb = "cần định dạng lại" if check_only else "đã định dạng lại"
    print(f"planpub fmt: {len(files)} tệp, {verb} {changed}, {failed} lỗi", file=err)
    return 1 if failed or (check_only and changed) else 0


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
