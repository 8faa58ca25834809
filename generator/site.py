"""The whole pipeline as one pure call, for any site engine: project → {docs path: content}.

plans/*.yaml ─load→ model ─link→ corpus ─render→ pages (Markdown) + feeds and data (bytes).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path

from generator import progress
from generator.bulk import Packed, paused_collector, unpacked
from generator.corpus import Corpus, load_project
from generator.feeds import FEED_BUDGET, PAGE as CALENDAR_PAGE, calendar_feeds, feed_groups, plan_feed_sizes, project_schedule
from generator.data import data_files
from generator.load import LoadError
from generator.pages import Settings, calendar_page, plan_pages, plan_path, render_pages, structured_data
from generator.paging import DEFAULT as DEFAULT_LAYOUT, Layout
from generator.resources import asset_files
from generator.updates import update_files

DEFAULT_SITE_NAME = "Kế hoạch thi đua ngành Giáo dục"


@dataclass
class Build:
    corpus: Corpus
    settings: Settings
    files: dict[str, str | bytes | Packed]  # generated files, by path inside the docs tree (Markdown pages packed)
    # planpub's assets (CSS, scripts): added unless the project's own docs hold the same path
    defaults: dict[str, bytes] = field(default_factory=dict)
    # generated page → the file an editor changes to change it (plans/<year>/<id>.yaml), for "edit"
    edit_paths: dict[str, str] = field(default_factory=dict)
    structured_data: dict[str, str] = field(default_factory=dict)  # page path -> JSON-LD for its <head>
    feed_sizes: dict[str, int] = field(default_factory=dict)  # feed path -> events, as the pages show them
    layout: Layout = DEFAULT_LAYOUT

    @property
    def source_date_epoch(self) -> int:
        """For SOURCE_DATE_EPOCH: the site engine's dates (sitemap, gzip headers) follow the commit."""
        return int(datetime.combine(self.settings.today, time(), timezone.utc).timestamp())


def build(root: Path, site_url: str, site_name: str = DEFAULT_SITE_NAME, today: date | None = None,
          layout: Layout = DEFAULT_LAYOUT) -> Build:
    """`layout`: how long a list page grows before it is split (generator/paging.py)."""
    with paused_collector():
        corpus = load_project(root)
        settings = Settings(_with_slash(site_url), site_name, today or reference_day(root, corpus))
        with progress.stage("Tạo lịch"):
            # feeds and QR codes; checks the ledger. The pages show the feeds as published.
            feeds, sched = calendar_feeds(root, corpus, settings, project_schedule(root, corpus, settings.today))
        sizes = {f.path: len(sched.members[f.path]) for f in sched.feeds}
        with progress.stage("Tạo trang"):
            files: dict[str, str | bytes | Packed] = dict(render_pages(corpus, settings, feeds=sizes, layout=layout, packed=True))
            files[CALENDAR_PAGE] = calendar_page(corpus, settings, feed_groups(sched, settings.site_url), len(sched.events), FEED_BUDGET // 1000)
        files.update(feeds)
        with progress.stage("Tạo dữ liệu mở"):
            files.update(data_files(root, corpus, settings))  # du-lieu/, schema/, van-ban-goc/
            files.update(update_files(corpus, settings, layout))  # cap-nhat/ and its Atom feed
        edit = {plan_path(plan): corpus.plan_files[plan.id] for plan in corpus.plans if plan.id in corpus.plan_files}
        return Build(corpus, settings, files, asset_files(), edit, structured_data(corpus, settings), sizes, layout)


PREVIEW_AT_MOST = 20  # plans changed at once (a checkout of another branch): then only the full rebuild


@dataclass
class Preview:
    """The pages of the plans an edit changed, made before the rest of the site is rebuilt."""

    pages: dict[str, str]  # docs path -> Markdown, as the full build of the edited project makes it
    structured_data: dict[str, str]  # docs path -> JSON-LD


def preview(previous: Build, root: Path) -> Preview | None:
    """After an edit under `planpub serve`: the new pages of the plans whose files changed since
    the `previous` build, exactly as the full build of the edited project will make them, so the
    editor sees an edit in about a second while the rest is rebuilt.

    None when the edit is more than a change inside plan files (a plan added, removed or renamed,
    a registry or the ledger, an error, many plans at once): then only the full rebuild shows it.
    A plan's page depends on the other plans (who cites it, its movements), so the whole corpus
    is linked again; the files not edited are held in memory (corpus._HELD), not read again.
    """
    with paused_collector():
        try:
            corpus = load_project(root)
        except LoadError:
            return None  # the full rebuild reports the problems
        before = previous.corpus
        if reference_day(root, corpus) != previous.settings.today:  # a commit since: every window moves
            return None
        if [p.id for p in corpus.plans] != [p.id for p in before.plans] or corpus.plan_files != before.plan_files:
            return None
        if corpus.units != before.units or corpus.movements != before.movements:
            return None
        changed = [plan for plan in corpus.plans if plan is not before.by_id[plan.id]]
        if not changed or len(changed) > PREVIEW_AT_MOST:
            return None
        sizes = dict(previous.feed_sizes)
        for path, count in plan_feed_sizes(corpus, changed).items():
            if count:
                sizes[path] = count
            else:
                sizes.pop(path, None)
        pages = plan_pages(corpus, previous.settings, changed, sizes, previous.layout)
        return Preview(pages, structured_data(corpus, previous.settings, changed))


def reference_day(root: Path, corpus: Corpus) -> date:
    """'Upcoming' is counted from the date of the commit being built, so a build is reproducible.

    Outside git (a tarball), the newest `updated` date of the plans stands in.
    """
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%cs"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        if out:
            return date.fromisoformat(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return max((p.updated for p in corpus.plans), default=date(2000, 1, 1))


def write_tree(files: dict[str, str | bytes | Packed], content_dir: Path, out: Path, defaults: dict[str, bytes] | None = None) -> None:
    """A complete docs tree (hand-written content + generated files), for engines other than mkdocs."""
    if content_dir.is_dir():
        shutil.copytree(content_dir, out, dirs_exist_ok=True)
    missing = {rel: data for rel, data in (defaults or {}).items() if not (out / rel).exists()}
    for rel, value in {**missing, **files}.items():
        data = unpacked(value)
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"
