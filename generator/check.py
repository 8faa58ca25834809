"""`planpub check`: everything `build` would refuse, reported first, errors and warnings together.

The gate of the editors' workflow (and of CI): the plans and registries as `load_project` reads them
(with the original documents their `source.file` names), then the calendar ledger exactly as
`build` checks it. Output formats: text for people (file:line:column: …), JSON for editors' tools,
GitHub workflow commands for annotations on a pull request.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator import progress
from generator.corpus import Corpus, load_project
from generator.feeds import checked_entries, schedule
from generator.load import LoadError, Problem


@dataclass
class Report:
    errors: list[Problem]
    warnings: list[Problem]
    corpus: Corpus | None = None  # None when the plans could not be read
    problems: list[Problem] = field(init=False)

    def __post_init__(self) -> None:
        self.problems = sorted([*self.errors, *self.warnings])

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def check_project(root: Path) -> Report:
    try:
        corpus = load_project(root)
    except LoadError as err:
        return Report(list(err.problems), list(err.warnings))
    errors: list[Problem] = []
    with progress.stage("Kiểm tra sổ lịch"):
        try:
            checked_entries(root, schedule(corpus), preview=False)
        except LoadError as err:
            errors.extend(err.problems)
    return Report(errors, list(corpus.warnings), corpus)


def summary(report: Report, strict: bool = False) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    if report.corpus is not None and not report.failed(strict):
        corpus = report.corpus
        tasks = sum(len(p.tasks) for p in corpus.plans)
        return (
            f"planpub check: {len(corpus.plans)} kế hoạch, {tasks} nhiệm vụ, {len(corpus.units)} đơn vị, "
            f"{len(corpus.movements)} phong trào — 0 lỗi, {warnings} cảnh báo"
        )
    if not errors:
        return f"planpub check: {warnings} cảnh báo — với --strict, cảnh báo cũng phải sửa trước khi xây dựng trang"
    return f"planpub check: {errors} lỗi, {warnings} cảnh báo — cần sửa lỗi trước khi xây dựng trang"


def to_json(report: Report, strict: bool = False) -> str:
    """One object: counts, `ok`, and every problem with its file, line, column, field and severity."""
    data = {
        "ok": not report.failed(strict),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "problems": [asdict(p) for p in report.problems],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def github_annotations(report: Report) -> str:
    """GitHub Actions workflow commands: each problem shows on its line of the pull request."""
    lines = []
    for p in report.problems:
        level = "error" if p.severity == "error" else "warning"
        props = f"file={_prop(p.file)},line={p.line},col={p.column}"
        if p.field:
            props += f",title={_prop(p.field)}"
        lines.append(f"::{level} {props}::{_data(p.message)}")
    return "".join(line + "\n" for line in lines)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
