"""All plans together: registries, cross-references, indices and the checks that span files.

`load_project` reads every file and collects every problem of the run before failing; `link` is the
pure part (loaded objects in, `Corpus` out) and builds every index in one pass over the plans, so the
whole stage is linear in the number of plans and tasks.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from generator import cache, ledger, progress
from generator.bulk import paused_collector
from generator.calendars import context_reader
from generator.dates import DateContext, DeadlineKind, find_deadlines
from generator.events import Event, Kind, corpus_events
from generator.load import NOT_REGULAR_MESSAGE, SYMLINK_MESSAGE, Loaded, LoadError, Problem, load_plan, load_registry, read_source
from generator.parallel import map_forked
from generator.model import DocumentRef, Movement, Plan, ScheduleGroup, Section, Unit
from generator.slug import slugify

PLANS_DIR = "plans"
REGISTRY_DIR = "_registry"
SOURCES_DIR = "_sources"  # the original documents, as text: never plans
# Kinds of original document published beside their plan (never HTML, SVG or Markdown: they would run
# or be rendered as pages of the site).
SOURCE_TYPES = frozenset({".txt", ".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png"})
LEDGER_DIR = "_ledger"  # generator/ledger.py
# Entity pages live beside their list pages (ke-hoach/<id>/, don-vi/<id>/, phong-trao/<id>/): an
# id may not take a list page's name (tests/test_hardening.py checks this against pages.py).
PLAN_LIST_PAGES = ("index", "theo-co-quan", "theo-nam")  # theo-nam/: plans by year, when /ke-hoach/ is split
LIST_PAGES = {"plans": PLAN_LIST_PAGES, "units": ("index", "theo-tinh"), "movements": ("index",)}


@dataclass
class Corpus:
    plans: list[Plan]  # newest first
    units: dict[str, Unit]
    movements: dict[str, Movement]
    warnings: list[Problem] = field(default_factory=list)
    by_id: dict[str, Plan] = field(default_factory=dict)
    by_year: dict[str, list[Plan]] = field(default_factory=dict)
    by_issuer: dict[str, list[Plan]] = field(default_factory=dict)
    by_movement: dict[str, list[Plan]] = field(default_factory=dict)
    citations: dict[str, list[tuple[Plan, DocumentRef]]] = field(default_factory=dict)
    cited_by: dict[str, list[Plan]] = field(default_factory=dict)  # plan id -> plans that cite it
    events: list[Event] = field(default_factory=list)  # every dated item, sorted (generator/events.py)
    events_by_plan: dict[str, list[Event]] = field(default_factory=dict)
    events_by_unit: dict[str, list[Event]] = field(default_factory=dict)  # tasks and rows a unit does or joins
    events_by_movement: dict[str, list[Event]] = field(default_factory=dict)
    plan_files: dict[str, str] = field(default_factory=dict)  # plan id -> its file, plans/<year>/<id>.yaml
    # plan id -> the key its file was loaded under (Loaded.key): what is made of the plan alone is kept under it
    plan_keys: dict[str, str] = field(default_factory=dict)

    def unit_label(self, unit_id: str) -> str:
        return self.units[unit_id].label

    @property
    def deadlines(self) -> list[Event]:
        """The dated tasks and schedule rows, by day."""
        return [e for e in self.events if e.kind in (Kind.TASK, Kind.ROW)]


def load_project(root: Path) -> Corpus:
    """Read plans/ and plans/_registry/ under root; raise LoadError with every problem found.

    The calendar ledger is read too (its own problems are the build's), not compared with the plans.
    """
    with paused_collector():
        problems: list[Problem] = []
        warnings: list[Problem] = []  # of the files that failed; link() gathers the others'
        registry_files, plan_files = _project_files(root, problems)
        registries = list(_load_all(registry_files, root, load_registry, problems, warnings, "Đọc danh mục"))
        plans = _load_plans(plan_files, root, registries, problems, warnings)
        problems.extend(missing_sources(root, plans))
        try:
            ledger.read(root)
        except LoadError as err:
            problems.extend(err.problems)
        try:
            corpus = link(plans, registries)
        except LoadError as err:
            problems.extend(err.problems)
            warnings.extend(err.warnings)
            corpus = None
        if problems:
            if corpus is not None:
                warnings.extend(corpus.warnings)
            raise LoadError(sorted(problems), sorted(warnings))
        assert corpus is not None
        return corpus


def _load_all(paths: Iterable[Path], root: Path, loader, problems: list[Problem], warnings: list[Problem], label: str) -> Iterator[Loaded]:
    with progress.stage(label, len(paths := list(paths))) as step:
        for path in paths:
            step()
            try:
                yield loader(path, root)
            except LoadError as err:
                problems.extend(err.problems)
                warnings.extend(err.warnings)


PLAN_CACHE = "plans.sqlite"  # under .cache/planpub/: each plan file as loaded and checked
# The same, held in this process (by the same keys) once `hold_plans()` is called: a long-running
# `planpub serve` reloads an unchanged file without unpickling it (1.7 s at 1,000 plans), and an
# unchanged plan is the same object from build to build (site.preview compares them so). Only this
# project's current files are held. Nothing downstream changes a loaded plan.
_HELD: dict[str, Loaded] = {}
_HOLDING = False
PARALLEL_FROM = 64  # plan files to load before a second process is worth starting


def hold_plans() -> None:
    """Keep the loaded plans in this process between loads (`planpub serve`; a one-off build or
    check does not, so a `planpub build` does not hold them while its mkdocs child runs)."""
    global _HOLDING
    _HOLDING = True


def _load_plans(paths: list[Path], root: Path, registries: list[Loaded], problems: list[Problem], warnings: list[Problem]) -> list[Loaded]:
    """Every plan file, loaded and checked on its own (`_plan_warnings`), in order.

    What a plan file loads to depends only on its bytes, its name, the registries (the calendars
    its dates are read against) and the code, so the result is kept under that key
    (generator/cache.py) and a file that has not changed is not parsed or validated again. The
    files not kept are loaded on every core.
    """
    context = cache.key(cache.code_version(), *(part for r in registries for part in (r.doc.file, json.dumps(r.doc.data, ensure_ascii=False, default=str))))
    with progress.stage("Đọc kế hoạch", len(paths)) as step, cache.Store(root / cache.CACHE_DIR / PLAN_CACHE, "plans") as store:
        sources: list[tuple[Path, bytes, str]] = []
        for path in paths:
            try:
                raw = read_source(path, root)
            except LoadError as err:
                problems.extend(err.problems)
                continue
            sources.append((path, raw, cache.key(context, path.relative_to(root).as_posix(), raw)))
        held = {k: _HELD[k] for _, _, k in sources if k in _HELD}
        results = {k: (data, None) for k, data in store.get(k for _, _, k in sources if k not in held).items()}
        missing = [(path, raw, k) for path, raw, k in sources if k not in results and k not in held]
        results.update(_load_fresh(missing, root, registries))
        store.put({k: results[k][0] for _, _, k in missing if results[k][1] is None})
        store.keep_only(k for _, _, k in sources)
        loaded: list[Loaded] = []
        for path, raw, k in sources:
            step()
            if k in held:
                loaded.append(held[k])
                continue
            data, error = results[k]
            plan = cache.loads(data) if error is None else None
            if error is None and not isinstance(plan, Loaded):  # a kept value that does not read back
                data, error = _load_one(path, root, raw, context_reader(r.value for r in registries))
                plan = cache.loads(data) if error is None else None
            if error is not None:
                problems.extend(error[0])
                warnings.extend(error[1])
                continue
            plan.key = k
            loaded.append(plan)
            if _HOLDING:
                _HELD[k] = plan
    for k in set(_HELD) - {k for _, _, k in sources}:
        del _HELD[k]
    return loaded


Failure = tuple[list[Problem], list[Problem]]  # a file that does not load: its errors and warnings


def _load_one(path: Path, root: Path, raw: bytes, dates) -> tuple[bytes, Failure | None]:
    """One plan file, loaded and checked: (its pickled Loaded, None) or (b"", its problems)."""
    try:
        plan = load_plan(path, root, dates, raw)
    except LoadError as err:
        return b"", (err.problems, err.warnings)
    plan.checks = list(_plan_warnings(plan, dates(plan.doc.data)))
    return cache.dumps(plan), None


def _load_fresh(missing: list[tuple[Path, bytes, str]], root: Path, registries: list[Loaded]) -> dict[str, tuple[bytes, Failure | None]]:
    """Load the files not kept, split over the cores when there are enough of them
    (generator/parallel.py: forked workers only where no other thread runs)."""
    dates = context_reader(r.value for r in registries)
    done = map_forked(lambda item: _load_one(item[0], root, item[1], dates), missing, (PARALLEL_FROM + 1) // 2)
    return {k: result for (_, _, k), result in zip(missing, done)}


def source_path(root: Path, name: str) -> Path:
    """Where a plan's `source.file` lives: plans/_sources/<name>."""
    return root / PLANS_DIR / SOURCES_DIR / name


def missing_sources(root: Path, plans: list[Loaded]) -> Iterator[Problem]:
    """A `source.file` that is not a plain file of plans/_sources/ (the plan page links it)."""
    sources = (root / PLANS_DIR / SOURCES_DIR).resolve()
    for loaded in plans:
        source = loaded.value.source
        if source is None or source.file is None:
            continue
        path = source_path(root, source.file)
        inside = path.resolve().parent == sources and not path.is_symlink()
        if not inside or not path.is_file():
            yield loaded.doc.problem(
                ("source", "file"),
                f"không thấy văn bản gốc “{source.file}” trong {PLANS_DIR}/{SOURCES_DIR}/ (ghi tên tệp nằm ngay trong thư mục đó)",
            )
        elif path.suffix.lower() not in SOURCE_TYPES:
            yield loaded.doc.problem(
                ("source", "file"),
                f"văn bản gốc “{source.file}” phải là tệp {', '.join(sorted(SOURCE_TYPES))} (tệp khác không được đăng lên trang)",
            )
def _project_files(root: Path, problems: list[Problem]) -> tuple[list[Path], list[Path]]:
    """(registry files, plan files) under plans/, in order. Only real files inside the project count:
    a symlink (to /etc/passwd, to a plan elsewhere, to a directory) or a FIFO is an error, never read;
    a plan written as .yml or .YAML is an error, never silently left out."""
    plans_dir = root / PLANS_DIR
    if plans_dir.is_symlink():
        problems.append(Problem(PLANS_DIR, 1, 1, "", SYMLINK_MESSAGE))
        return [], []
    registries: list[Path] = []
    plans: list[Path] = []
    for folder, dirs, names in os.walk(plans_dir):  # never follows a symlinked directory
        here = Path(folder)
        depth = here.relative_to(plans_dir).parts
        if depth[:1] in ((SOURCES_DIR,), (LEDGER_DIR,)):
            dirs.clear()
            continue
        for name in sorted(dirs):
            if (here / name).is_symlink():
                problems.append(Problem((here / name).relative_to(root).as_posix(), 1, 1, "", SYMLINK_MESSAGE))
        dirs.sort()
        for name in sorted(names):
            path = here / name
            file = path.relative_to(root).as_posix()
            suffix = path.suffix
            if suffix.lower() not in (".yaml", ".yml"):
                continue
            if path.is_symlink():
                problems.append(Problem(file, 1, 1, "", SYMLINK_MESSAGE))
            elif suffix != ".yaml":
                problems.append(Problem(file, 1, 1, "", f"tệp kế hoạch phải có đuôi “.yaml” (chữ thường): hãy đổi tên thành “{path.stem}.yaml”"))
            elif not path.is_file():
                problems.append(Problem(file, 1, 1, "", NOT_REGULAR_MESSAGE))
            elif depth == (REGISTRY_DIR,):
                registries.append(path)
            elif REGISTRY_DIR not in depth:
                plans.append(path)
    return registries, plans


def link(plans: list[Loaded], registries: list[Loaded]) -> Corpus:
    """Resolve every reference between files and build the indices."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    units = _merge_registry(registries, "units", problems)
    movements = _merge_registry(registries, "movements", problems)
    _merge_registry(registries, "calendars", problems)
    dates = context_reader(r.value for r in registries)
    for loaded in registries:
        warnings.extend(loaded.doc.warnings)
        same_file = [unit.id for unit in loaded.value.units]
        for i, unit in enumerate(loaded.value.units):
            if unit.parent is not None:
                _ref(loaded, ("units", i, "parent"), unit.parent, units, "đơn vị", problems, same_file)

    by_id: dict[str, Plan] = {}
    files: dict[str, str] = {}
    for loaded in plans:
        plan = loaded.value
        if plan.id in LIST_PAGES["plans"]:
            problems.append(loaded.doc.problem(("id",), _list_page_message(plan.id)))
            continue
        if plan.id in by_id:
            problems.append(
                loaded.doc.problem(("id",), f"mã kế hoạch “{plan.id}” đã được dùng cho kế hoạch trong {files[plan.id]}")
            )
            continue
        by_id[plan.id] = plan
        files[plan.id] = loaded.doc.file

    for loaded in plans:
        warnings.extend(loaded.doc.warnings)
        _check_refs(loaded, units, movements, by_id, problems)
        warnings.extend(loaded.checks if loaded.checks is not None else _plan_warnings(loaded, dates(loaded.doc.data)))
    if problems:
        raise LoadError(sorted(problems), sorted(warnings))

    ordered = sorted((p.value for p in plans), key=_newest_first)
    keys = {loaded.value.id: loaded.key for loaded in plans if loaded.key and by_id.get(loaded.value.id) is loaded.value}
    corpus = Corpus(ordered, units, movements, sorted(warnings), by_id=by_id, plan_files=files, plan_keys=keys)
    _index(corpus)
    return corpus


def _newest_first(plan: Plan) -> tuple:
    day = plan.issued_day or (plan.period.first_day if plan.period else date.min)
    return (-day.toordinal(), plan.id)


def _merge_registry(registries: list[Loaded], kind: str, problems: list[Problem]) -> dict:
    merged: dict = {}
    where: dict[str, str] = {}
    for loaded in registries:
        for i, item in enumerate(getattr(loaded.value, kind)):
            if item.id in LIST_PAGES.get(kind, ()):
                problems.append(loaded.doc.problem((kind, i, "id"), _list_page_message(item.id)))
                continue
            if item.id in merged:
                problems.append(
                    loaded.doc.problem((kind, i, "id"), f"mã “{item.id}” đã được khai báo trong {where[item.id]}")
                )
                continue
            merged[item.id] = item
            line, _ = loaded.doc.where((kind, i, "id"))
            where[item.id] = f"{loaded.doc.file}:{line}"
    return merged


def _list_page_message(item_id: str) -> str:
    return f"mã “{item_id}” trùng tên một trang danh sách của trang web; hãy chọn mã khác"


def _ref(
    loaded: Loaded, path: tuple, ref: str, known: dict, label: str, problems: list[Problem], near: Iterable[str] = ()
) -> None:
    if ref in known:
        return
    problems.append(loaded.doc.problem(path, f"không có {label} mã “{ref}” trong danh mục{_suggest(ref, known, near)}"))


def _suggest(ref: str, known: dict, near: Iterable[str] = ()) -> str:
    """"Did you mean": ids close to `ref`, those `near` it (same province or registry file) first."""
    nearby = {key: known[key] for key in near if key in known}
    ids = _close(ref, nearby) or _close(ref, known)
    return " — có phải " + " hoặc ".join(f"“{i}”" for i in ids) + "?" if ids else ""


def _close(ref: str, known: dict) -> list[str]:
    candidates = {key: key for key in known}
    for key, item in known.items():
        for name in [getattr(item, "name", None), getattr(item, "short", None), *getattr(item, "aliases", [])]:
            if name:
                candidates.setdefault(_fold(name), key)
    hits = difflib.get_close_matches(_fold(ref), list(candidates), n=3, cutoff=0.6)
    return list(dict.fromkeys(candidates[h] for h in hits))


def _same_province(plan: Plan, units: dict[str, Unit]) -> list[str]:
    """Units of the province(s) of the plan's known issuers: the likely meaning of a mistyped id."""
    provinces = {units[i].province for i in plan.issuers if i in units and units[i].province}
    return [key for key, unit in units.items() if unit.province in provinces]


def _fold(text: str) -> str:
    return slugify(text)


def _check_refs(loaded: Loaded, units: dict, movements: dict, plans: dict, problems: list[Problem]) -> None:
    plan: Plan = loaded.value
    near = _same_province(plan, units)
    for i, ref in enumerate(plan.issuers):
        _ref(loaded, ("issuers", i), ref, units, "đơn vị", problems, near)
    for i, ref in enumerate(plan.movements):
        _ref(loaded, ("movements", i), ref, movements, "phong trào", problems)
    for path, task in plan.task_paths():
        for j, ref in enumerate(task.units):
            _ref(loaded, path + ("units", j), ref, units, "đơn vị", problems, near)
        for j, ref in enumerate(task.partners):
            _ref(loaded, path + ("partners", j), ref, units, "đơn vị", problems, near)
        for j, ref in enumerate(task.movements):
            _ref(loaded, path + ("movements", j), ref, movements, "phong trào", problems)
    for i, signer in enumerate(plan.signers):
        if signer.unit:
            _ref(loaded, ("signers", i, "unit"), signer.unit, units, "đơn vị", problems, near)
    for field_name in ("bases", "cites"):
        for i, doc in enumerate(getattr(plan, field_name)):
            for j, ref in enumerate(doc.issuer_units):
                _ref(loaded, (field_name, i, "issuer_units", j), ref, units, "đơn vị", problems, near)
            if doc.plan:
                _ref(loaded, (field_name, i, "plan"), doc.plan, plans, "kế hoạch", problems)
    if plan.superseded_by:
        _ref(loaded, ("superseded_by",), plan.superseded_by, plans, "kế hoạch", problems)


# ---- warnings: things that build but an editor should look at ---------------------------------

# One quantifier per alternative (linear on any text): a tag start, a javascript: link, an event
# handler, template syntax. The page shows all of these as the characters typed (tests/test_xss.py).
_MARKUP = re.compile(r"<[\s/]*[a-z]|javascript\s*:|\bon[a-z]+\s*=|\{\{|\{%", re.IGNORECASE)


def _plan_warnings(loaded: Loaded, context: DateContext | None = None) -> Iterator[Problem]:
    plan: Plan = loaded.value
    doc = loaded.doc
    yield from _absent_warnings(plan, doc)
    for path, task in plan.task_paths():
        if task.deadline is not None and task.deadline.kind is DeadlineKind.UNPARSED:
            why = f" ({task.deadline.warning})" if task.deadline.warning else ""
            yield doc.problem(
                path + ("deadline",),
                f"không đọc được thời hạn “{task.deadline.text}”{why}: nhiệm vụ vẫn được hiển thị nhưng không có trên lịch",
                severity="warning",
            )
        elif task.deadline is not None and task.deadline.warning:
            yield doc.problem(path + ("deadline",), task.deadline.warning, severity="warning")
    for i, phase in enumerate(plan.phases):
        if phase.when is not None and phase.when.warning:
            yield doc.problem(("phases", i, "when"), phase.when.warning, severity="warning")
        elif phase.when is not None and phase.when.end is None:
            yield doc.problem(
                ("phases", i, "when"),
                f"không đọc được ngày của “{phase.when.text}”: giai đoạn vẫn được hiển thị nhưng không có trên lịch",
                severity="warning",
            )
    for path, group in _group_paths(plan):
        header = group.header
        if header is not None and header.warning:
            yield doc.problem(path + ("when" if group.when else "label",), header.warning, severity="warning")
    recorded = {(t.deadline.kind, t.deadline.end) for t in plan.all_tasks if t.deadline is not None}
    recorded |= {(p.when.kind, p.when.end) for p in plan.phases if p.when is not None}
    for path, text in plan_texts(plan):
        if _MARKUP.search(text):
            yield doc.problem(
                path,
                "văn bản có mã HTML, liên kết “javascript:” hoặc “{{ }}”/“{% %}”: trang hiển thị đúng các ký tự đã gõ, "
                "không chạy mã — nếu muốn định dạng, hãy dùng Markdown",
                severity="warning",
            )
        if path and path[0] in ("sections", "closing", "purpose", "requirements"):
            for _, _, found in find_deadlines(text, context or plan.context):
                if found.end is not None and (found.kind, found.end) not in recorded:
                    yield doc.problem(
                        path,
                        f"thời hạn “{found.text}” trong nội dung chưa được ghi thành nhiệm vụ (tasks)",
                        severity="warning",
                    )


def _absent_warnings(plan: Plan, doc) -> Iterator[Problem]:
    """What a document may omit is left empty, never invented; the editor is told what the page will say."""
    if plan.period is None:
        yield doc.problem(
            (),
            "kế hoạch không ghi năm hoặc năm học (period): trang ghi “không ghi”; ngày không ghi năm sẽ không có trên lịch",
            severity="warning",
        )
    if not plan.issuers:
        yield doc.problem(
            (),
            "kế hoạch không ghi cơ quan ban hành trong danh mục (issuers): trang ghi “không ghi”",
            severity="warning",
        )
    if plan.issued is not None and plan.issued.day is None:
        yield doc.problem(
            ("issued",),
            f"ngày ban hành “{plan.issued.text}” không đầy đủ hoặc không có thật: được giữ nguyên văn, không có ngày cụ thể",
            severity="warning",
        )
    for field_name in ("bases", "cites"):
        for i, ref in enumerate(getattr(plan, field_name)):
            if ref.date is not None and ref.date.day is None:
                yield doc.problem(
                    (field_name, i, "date"),
                    f"ngày “{ref.date.text}” của văn bản không đầy đủ hoặc không có thật: được giữ nguyên văn",
                    severity="warning",
                )


def _group_paths(plan: Plan) -> Iterator[tuple[tuple, "ScheduleGroup"]]:
    def walk(groups, path):
        for i, group in enumerate(groups):
            yield path + (i,), group
            yield from walk(group.groups, path + (i, "groups"))

    for i, schedule in enumerate(plan.schedules):
        yield from walk(schedule.groups, ("schedules", i, "groups"))


def plan_texts(plan: Plan) -> Iterator[tuple[tuple, str]]:
    """Every free text of a plan with its path."""
    for name in ("title", "preamble", "purpose", "requirements", "closing", "theme"):
        value = getattr(plan, name)
        if value:
            yield (name,), value
    yield from _section_texts(plan.sections, ("sections",))
    yield from _section_texts(plan.appendices, ("appendices",))
    for path, task in plan.task_paths():
        if task.text:
            yield path + ("text",), task.text
        if task.notes:
            yield path + ("notes",), task.notes
    for i, schedule in enumerate(plan.schedules):
        for name in ("text", "notes"):
            if getattr(schedule, name):
                yield ("schedules", i, name), getattr(schedule, name)
    for i, phase in enumerate(plan.phases):
        if phase.focus:
            yield ("phases", i, "focus"), phase.focus
    for i, note in enumerate(plan.notes):
        yield ("notes", i), note
    for i, target in enumerate(plan.targets):
        yield ("targets", i, "text"), target.text


def _section_texts(sections: list[Section], path: tuple) -> Iterator[tuple[tuple, str]]:
    for i, section in enumerate(sections):
        here = path + (i,)
        if section.heading:
            yield here + ("heading",), section.heading
        if section.text:
            yield here + ("text",), section.text
        yield from _section_texts(section.sections, here + ("sections",))


# ---- indices ----------------------------------------------------------------------------------


def _index(corpus: Corpus) -> None:
    by_year: dict[str, list[Plan]] = defaultdict(list)
    by_issuer: dict[str, list[Plan]] = defaultdict(list)
    by_movement: dict[str, list[Plan]] = defaultdict(list)
    citations: dict[str, list[tuple[Plan, DocumentRef]]] = defaultdict(list)
    cited_by: dict[str, list[Plan]] = defaultdict(list)
    citing: set[tuple[str, str]] = set()
    for plan in corpus.plans:
        by_year[year_key(plan)].append(plan)
        for unit in plan.issuers:
            by_issuer[unit].append(plan)
        for movement in dict.fromkeys([*plan.movements, *(m for t in plan.all_tasks for m in t.movements)]):
            by_movement[movement].append(plan)
        for ref in [*plan.bases, *plan.cites]:
            citations[citation_key(ref)].append((plan, ref))
            if ref.plan and (ref.plan, plan.id) not in citing:
                citing.add((ref.plan, plan.id))
                cited_by[ref.plan].append(plan)
    corpus.by_year = dict(sorted(by_year.items(), reverse=True))
    corpus.by_issuer = dict(by_issuer)
    corpus.by_movement = dict(by_movement)
    corpus.citations = _merge_undated(citations)
    corpus.cited_by = dict(cited_by)
    _index_events(corpus)


def _index_events(corpus: Corpus) -> None:
    corpus.events = corpus_events(corpus.plans)
    by_plan: dict[str, list[Event]] = defaultdict(list)
    by_unit: dict[str, list[Event]] = defaultdict(list)
    by_movement: dict[str, list[Event]] = defaultdict(list)
    for event in corpus.events:  # sorted, so every index is sorted too
        by_plan[event.plan.id].append(event)
        for unit in event.units:
            by_unit[unit].append(event)
        for movement in event.movements:
            by_movement[movement].append(event)
    corpus.events_by_plan = dict(by_plan)
    corpus.events_by_unit = dict(by_unit)
    corpus.events_by_movement = dict(by_movement)


NO_YEAR = ""


def year_key(plan: Plan) -> str:
    """The list page groups by school year when the plan has one, else by calendar year."""
    if plan.period is None:
        return NO_YEAR
    return plan.period.school_year or str(plan.period.year)


def _merge_undated(citations: dict[str, list[tuple[Plan, DocumentRef]]]) -> dict[str, list[tuple[Plan, DocumentRef]]]:
    """A numbered document cited once with its date and once without is one document.

    Numbers repeat from year to year, so the date is part of a document's identity; a mention
    without a date joins the dated document of that number when there is exactly one.
    """
    dated: dict[str, list[str]] = defaultdict(list)
    for key, mentions in citations.items():
        ref = mentions[0][1]
        if ref.number and ref.day:
            dated[citation_key(ref, with_date=False)].append(key)
    merged = {key: list(mentions) for key, mentions in citations.items()}
    for key, mentions in citations.items():
        ref = mentions[0][1]
        candidates = dated.get(citation_key(ref, with_date=False), []) if ref.number and not ref.day else []
        if len(candidates) == 1:
            merged[candidates[0]].extend(merged.pop(key))
    return merged


def citation_key(ref: DocumentRef, with_date: bool = True) -> str:
    """Documents are the same when kind, number and date are (numbers repeat every year).

    Without a number (Nghị quyết Đại hội …), the issuer and subject as printed identify it.
    """
    day = ref.day.isoformat() if ref.day and with_date else (ref.date.text if ref.date and with_date else "")
    if ref.number:
        return slugify(f"{ref.kind} {ref.number} {day}")
    return slugify(f"{ref.kind} {ref.issuer or ''} {ref.subject or ''} {day}")
