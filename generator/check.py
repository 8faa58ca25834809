"""`planpub check`: everything `build` would refuse, reported first, errors and warnings together.

The gate of the editors' workflow (and of CI): the plans and registries as `load_project` reads them
(with the original documents their `source.file` names), then the calendar ledger exactly as
`build` checks it. Output formats: text for people (file:line:column: …), JSON for editors' tools,
GitHub workflow commands for annotations on a pull request.

A check depends only on the files under plans/ and on the code, so its report is kept under a key
of both (generator/cache.py): checking a project that has not changed reads and hashes its files,
nothing more. A project with a symlink or a special file anywhere under plans/ is always checked
afresh (what such a link points to is not part of the key).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator import cache, progress
from generator.bulk import paused_collector
from generator.corpus import PLAN_CACHE, PLANS_DIR, SOURCES_DIR, Corpus, load_project
from generator.feeds import checked_entries, project_schedule
from generator.load import LoadError, Problem


@dataclass
class Report:
    errors: list[Problem]
    warnings: list[Problem]
    corpus: Corpus | None = None  # None when the plans could not be read, or the report was kept
    counts: tuple[int, int, int, int] | None = None  # plans, tasks, units, movements (None: not read)
    problems: list[Problem] = field(init=False)

    def __post_init__(self) -> None:
        self.problems = sorted([*self.errors, *self.warnings])
        if self.counts is None and self.corpus is not None:
            corpus = self.corpus
            tasks = sum(len(p.tasks) for p in corpus.plans)
            self.counts = (len(corpus.plans), tasks, len(corpus.units), len(corpus.movements))

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def check_project(root: Path) -> Report:
    """Every error and warning of the project; the kept report when its files have not changed."""
    key = inputs_key(root)
    with cache.Store(root / cache.CACHE_DIR / PLAN_CACHE, "checks") as store:
        kept = cache.loads(store.get([key]).get(key, b"")) if key else None
        if isinstance(kept, tuple) and len(kept) == 3:
            return Report(*kept[:2], counts=kept[2])
        report = _check(root)
        if key:
            store.put({key: cache.dumps((report.errors, report.warnings, report.counts))})
            store.keep_only([key])
    return report


def inputs_key(root: Path) -> str | None:
    """A key of everything a check reads: the bytes of every file under plans/ (the original
    documents of plans/_sources/ by name only: a check looks at their names, never their bytes),
    and the code. None (never kept) when something under plans/ is a symlink, a special file or
    unreadable."""
    plans = root / PLANS_DIR
    digest = hashlib.sha256(cache.code_version().encode())
    try:
        if plans.is_symlink():
            return None
        for folder, dirs, names in os.walk(plans, onerror=_raise):
            dirs.sort()
            here = Path(folder)
            relative = here.relative_to(root).as_posix()
            sources = here.relative_to(plans).parts[:1] == (SOURCES_DIR,)
            for name in [*dirs, *sorted(names)]:
                info = os.lstat(here / name)
                if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
                    return None
                kind = b"d" if stat.S_ISDIR(info.st_mode) else b"f"
                data = b"" if kind == b"d" or sources else (here / name).read_bytes()
                digest.update(cache.key(kind, f"{relative}/{name}", data).encode())
    except OSError:
        return None
    return digest.hexdigest()


def _raise(err: OSError) -> None:
    raise err


def _check(root: Path) -> Report:
    with paused_collector():
        try:
            corpus = load_project(root)
        except LoadError as err:
            return Report(list(err.problems), list(err.warnings))
        errors: list[Problem] = []
        with progress.stage("Kiểm tra sổ lịch"):
            try:
                checked_entries(root, project_schedule(root, corpus), preview=False)
            except LoadError as err:
                errors.extend(err.problems)
        return Report(errors, list(corpus.warnings), corpus)


def summary(report: Report, strict: bool = False) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    if report.counts is not None and not report.failed(strict):
        plans, tasks, units, movements = report.counts
        return (
            f"planpub check: {plans} kế hoạch, {tasks} nhiệm vụ, {units} đơn vị, "
            f"{movements} phong trào — 0 lỗi, {warnings} cảnh báo"
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
