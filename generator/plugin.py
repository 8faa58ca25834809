"""The thin mkdocs adapter: `mkdocs build` runs the whole pipeline, `mkdocs serve` watches plans/.

Everything else lives in the core (generator.site and below), which never imports mkdocs, so the
site engine stays replaceable (MkDocs 1.x is unmaintained; MkDocs 2 drops plugins).

Under `mkdocs serve --dirty` (what `planpub serve` runs) a rebuild renders only the pages whose
inputs changed since the last build that succeeded: a page is kept when its Markdown, its "edit"
link and its JSON-LD are the same and its HTML is still there. Pages of the navigation are always
rendered (each page's navigation shows their titles); anything else that every page shows (the
config, the theme's files, the set of files) changing makes the rebuild a full one. A full build
(`mkdocs build`, `planpub build`) never keeps anything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import sys
from pathlib import Path
from typing import Any, Iterator

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from generator import corpus, progress, search, site, theme
from generator.bulk import Packed, give_back_memory, unpacked
from generator.parallel import map_forked
from generator.load import LoadError
from generator.resources import THEME_DIR, shipped
from generator.sanitize import clean_html
from generator.site import DEFAULT_SITE_NAME, Build, build

log = get_plugin_logger(__name__)


class PlanpubConfig(Config):
    project = config_options.Type(str, default=".")  # relative to mkdocs.yml
    # Pages in one search bundle at most (generator.search.bundles), for a build machine short of
    # memory: Pagefind's indexer holds every page of a bundle. Unset: one bundle.
    # Checked in on_config (a Vietnamese message; mkdocs' own would take `true` for 1).
    search_bundle_pages = config_options.Optional(config_options.Type(object))


class _Kept(File):
    """A file whose output from the previous build is still right: not rendered or written again."""

    def is_modified(self) -> bool:
        return False


class _Changed(File):
    def is_modified(self) -> bool:
        return True


class _PackedPage(File):
    """A generated page whose Markdown stays compressed (generator.bulk.Packed) until mkdocs reads
    it to render the page; then _HeldPages lets it go. Only in a build: serve compares the texts."""

    @property
    def content_string(self) -> str:
        content = self._content
        return content.text() if isinstance(content, Packed) else File.content_string.fget(self)

    @content_string.setter
    def content_string(self, value: str) -> None:
        File.content_string.fset(self, value)

    @property
    def content_bytes(self) -> bytes:
        content = self._content
        return content.text().encode("utf-8") if isinstance(content, Packed) else File.content_bytes.fget(self)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        File.content_bytes.fset(self, value)


class PlanpubPlugin(BasePlugin[PlanpubConfig]):
    incremental = False  # `mkdocs serve --dirty`: rebuild only what changed
    previous: dict[str, str] | None = None  # docs path -> fingerprint, of the last build that succeeded
    setting: str | None = None  # fingerprint of what every page shows, of that build

    def on_startup(self, command, dirty) -> None:
        """Defining this keeps the plugin (and what it knows of the last build) across rebuilds."""
        self.incremental = command == "serve" and dirty
        if self.incremental:  # its navigation stays right (see above): not a warning, which strict would refuse
            logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)
            corpus.hold_plans()  # an unchanged plan file is not read again (site.preview)

    def on_config(self, config):
        self.root = (Path(config.config_file_path).parent / self.config.project).resolve()
        # planpub's theme overrides (the header's Pagefind search box …) come with planpub, in a
        # checkout or a wheel: after the site's own custom_dir, before Material's templates.
        ours = str(shipped(THEME_DIR))
        if ours not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, ours)
        pages = self.config.search_bundle_pages
        if pages is not None and (type(pages) is not int or pages < 1):
            raise Abort(
                "mkdocs.yml: plugins → planpub → search_bundle_pages phải là số nguyên dương "
                f"(số trang tối đa của mỗi phần chỉ mục tìm kiếm), đang là {pages!r}"
            )
        if not config.site_url:
            raise Abort("mkdocs.yml: cần khai báo site_url (địa chỉ gốc của trang, dùng cho lịch và liên kết tuyệt đối)")
        progress.enable_from_environment()
        try:
            self.result: Build = build(self.root, config.site_url, config.site_name or DEFAULT_SITE_NAME)
        except LoadError as err:
            for problem in err.problems:
                print(problem, file=sys.stderr)
            raise Abort(f"planpub: {len(err.problems)} lỗi trong kế hoạch — chưa xây dựng trang") from None
        except Exception as err:  # a bug of ours: a short message, not a traceback, unless asked for
            if os.environ.get("PLANPUB_DEBUG"):
                raise
            raise Abort(
                f"planpub: lỗi không mong đợi khi xây dựng trang: {type(err).__name__}: {err} "
                "(chạy lại với PLANPUB_DEBUG=1 để xem chi tiết)"
            ) from None
        # Reproducible: mkdocs dates the sitemap and gzip headers from this, not from the clock.
        # An empty or malformed value (SOURCE_DATE_EPOCH= in a CI file) would crash mkdocs.
        if not os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
            os.environ["SOURCE_DATE_EPOCH"] = str(self.result.source_date_epoch)
        for warning in self.result.corpus.warnings:
            log.info(str(warning))
        return config

    def on_files(self, files: Files, config) -> Files:
        # a build lets go of each page once it is written; serve keeps them to compare the next build with
        self.held = _KeptPages() if self.incremental else _HeldPages()
        for path, content in sorted(self.result.files.items()):
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            generated = self.held.file(config, path, content)
            if path in self.result.edit_paths:  # "edit this page" opens the plan's YAML file
                generated.edit_uri = os.path.relpath(self.root / self.result.edit_paths[path], config.docs_dir).replace(os.sep, "/")
            files.append(generated)
        for path, content in sorted(self.result.defaults.items()):
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        # docs path -> (written file, URL) of every page, for the search index
        self.pages = {f.src_uri: (f.dest_uri, f.url) for f in files.documentation_pages()}
        self.files = files
        self.records = search.search_records(self.result.corpus)  # for the index, in on_post_build
        if self.incremental:
            self._keep_unchanged(files, config)
        else:  # mkdocs holds the files now, and the records are all that is needed of the corpus
            self.result = dataclasses.replace(self.result, files={}, defaults={}, corpus=None)
        give_back_memory()  # what the pipeline used and freed, before mkdocs renders the pages
        return files

    def _keep_unchanged(self, files: Files, config) -> None:
        """Mark each file kept or changed since the last build (`mkdocs serve --dirty`)."""
        self.current = {f.src_uri: self._fingerprint(f) for f in files if f.is_documentation_page() or f.generated_by}
        self.next_setting = _setting(config, self.current)
        previous = self.previous if self.next_setting is not None and self.setting == self.next_setting else None
        if previous is None:  # the first build, or something every page shows changed: all again
            clean_directory(config.site_dir)
        in_nav = set(_nav_paths(config.nav))
        for file in files:
            if file.src_uri not in self.current:
                continue
            same = previous is not None and previous.get(file.src_uri) == self.current[file.src_uri]
            kept = same and file.src_uri not in in_nav and os.path.isfile(file.abs_dest_path)
            file.__class__ = _Kept if kept else _Changed

    def _fingerprint(self, file: File) -> str:
        digest = hashlib.sha256(file.content_bytes)
        for extra in (file.edit_uri or "", self.result.structured_data.get(file.src_uri, "")):
            digest.update(b"\0" + extra.encode("utf-8"))
        return digest.hexdigest()

    def on_build_error(self, error) -> None:
        self.previous = None  # the site folder may be half written: the next build is a full one

    @event_priority(-100)  # last: whatever another plugin added is cleaned too
    def on_page_content(self, html: str, page, config, files) -> str:
        """The allowlist sanitiser on every page; values the theme prints outside the body escaped.

        Runs for every page before any template is rendered, so the navigation of one page never
        shows another page's title unescaped (mkdocs renders theme templates without autoescaping).
        The body is cleaned here under serve, and for a build once every page's body is made, on
        both cores (on_env, _HeldPages.clean); a page never reaches its template uncleaned.
        """
        theme.escape_page(page)
        return self.held.hold(page, html)

    @event_priority(100)  # first: the other plugins and the template see the page's HTML
    def on_page_context(self, context, page, config, nav):
        self.held.restore(page)
        return context

    @event_priority(-100)  # last: the page's HTML is let go after every other plugin saw it
    def on_post_page(self, output: str, page, config) -> str:
        """Structured data (JSON-LD) goes in <head>: the sanitised body can hold no script."""
        data = self.result.structured_data.get(page.file.src_uri)
        output = theme.add_structured_data(output, data) if data else output
        self.held.written(page)
        return output

    @event_priority(-50)  # after other plugins wrote their files: the index is built from the pages as served
    def on_post_build(self, config) -> None:
        """Index the written (sanitised) pages with Pagefind (generator.search)."""
        if not self.incremental:
            # The feeds, QR codes and data files are written: their bytes are not needed again.
            # With the pages' texts let go (on_post_page), the memory goes back before Pagefind starts.
            for file in self.files:
                if file.generated_by and not file.is_documentation_page():
                    file.content_bytes = b""
            self.result = dataclasses.replace(self.result, structured_data={})
            give_back_memory()
        site = Path(config.site_dir)
        pages = (
            search.Page(url, site / dest, self.records.get(src, search.DEFAULT))
            for src, (dest, url) in sorted(self.pages.items())
        )
        count = search.write_index(site, pages, self.config.search_bundle_pages)
        log.info(f"planpub: {count} trang trong chỉ mục tìm kiếm")
        if self.incremental:
            self.previous, self.setting = self.current, self.next_setting

    def on_nav(self, nav, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, config, files):
        self.held.clean()  # every page's body is made: clean them all before any template
        self.engine = (config, files, env)  # what a page of this build was rendered with
        return env

    def on_serve(self, server, config, builder):
        server.watch(str(self.root / "plans"))
        server.watch(str(self.root / "site_templates"))
        rebuild = server.builder

        def edited_pages_first() -> None:
            if not self.show_edited_plans():
                return rebuild()
            _reload_browsers(server)
            rebuild()
            _reload_browsers_when_done(server)

        server.builder = edited_pages_first
        return server

    def show_edited_plans(self) -> bool:
        """Write the pages of the plans just edited (`site.preview`), as the full rebuild will write
        them, before it runs: an edit shows in about a second, the rest follows. False when there
        is nothing to show early; never fails the rebuild that follows."""
        if not self.incremental:  # a build that let go of what it made (_HeldPages) has nothing to compare
            return False
        try:
            preview = site.preview(self.result, self.root)
            if preview is None:
                return False
            config, files, env = self.engine
            targets = {path: files.get_file_from_path(path) for path in sorted(preview.pages)}
            if None in targets.values():  # not a page of the last build: only the rebuild can show it
                return False
            for path, file in targets.items():
                file.content_string = preview.pages[path]
                self.result.structured_data[path] = preview.structured_data[path]
                page = Page(None, file, config)
                _populate_page(page, config, files)
                _build_page(page, config, files.documentation_pages(), self.nav, env)
            log.info(f"planpub: đã hiện trang của {len(preview.pages)} kế hoạch vừa sửa; đang xây dựng lại phần còn lại")
            return True
        except Exception as err:  # the full rebuild is the reference: it runs (and reports) anyway
            log.info(f"planpub: không hiện trước được trang vừa sửa ({type(err).__name__}: {err})")
            if os.environ.get("PLANPUB_DEBUG"):
                raise
            return False


class _KeptPages:
    """Under serve: every page's Markdown and HTML kept as mkdocs made them (site.preview compares
    and re-renders with them, the dirty rebuild compares the texts)."""

    def file(self, config, path: str, content: str | bytes | Packed) -> File:
        return File.generated(config, path, content=unpacked(content))

    def hold(self, page: Page, html: str) -> str:
        return clean_html(html)

    def clean(self) -> None:
        pass

    def restore(self, page: Page) -> None:
        pass

    def written(self, page: Page) -> None:
        pass


CLEAN_PER_WORKER = 100  # pages to clean: below this many per core, one process does it


def _cleaned(html: Packed) -> Packed:
    return Packed(clean_html(html.text()))


class _HeldPages(_KeptPages):
    """Every page's HTML, compressed, between mkdocs' two passes of a build.

    mkdocs renders the Markdown of every page before it renders any template (a page's navigation
    shows the titles of the others), so it holds all pages' HTML, Markdown and source at once: at
    1,000 plans 3,473 pages, ≈ 575 MiB of the 924 MiB the process had. Here the Markdown and the
    source are let go as soon as the HTML is made, and the HTML is kept compressed (≈ 8× smaller)
    until the page's own template needs it. Only in a build: serve keeps everything (site.preview).
    """

    def __init__(self) -> None:
        self.pages: dict[str, Packed] = {}  # cleaned
        self.raw: dict[str, Packed] = {}  # not cleaned yet (clean, or restore, cleans them)

    def file(self, config, path: str, content: str | bytes | Packed) -> File:
        if not isinstance(content, Packed):
            return super().file(config, path, content)
        generated = File.generated(config, path, content="")
        generated.__class__ = _PackedPage
        generated._content = content
        return generated

    def hold(self, page: Page, html: str) -> str:
        page.markdown = None  # the title is set already (theme.escape_page)
        if page.file.generated_by:
            page.file.content_string = ""
        self.raw[page.file.src_uri] = Packed(html)
        return ""  # page.content until on_page_context gives it back

    def clean(self) -> None:
        """Every held page's body through the sanitiser, on every core (generator/parallel.py):
        6.7 s of one core at 1,000 plans when each page was cleaned as mkdocs made it."""
        paths = sorted(self.raw)
        cleaned = map_forked(_cleaned, [self.raw[path] for path in paths], CLEAN_PER_WORKER)
        self.pages.update(zip(paths, cleaned))
        self.raw.clear()

    def restore(self, page: Page) -> None:
        raw = self.raw.pop(page.file.src_uri, None)
        if raw is not None:  # held after clean() (a page another plugin rendered late): cleaned now
            page.content = clean_html(raw.text())
            return
        held = self.pages.pop(page.file.src_uri, None)
        if held is not None:
            page.content = held.text()

    def written(self, page: Page) -> None:
        page.content = None  # written next and never read again


# mkdocs' LiveReloadServer (1.6, frozen) holds every request while a rebuild runs, then tells the
# open pages to reload: it serves version _visible_epoch and builds _wanted_epoch.


def _reload_browsers(server) -> None:
    """Serve again and reload the open pages now, in the middle of the rebuild: the edited pages
    are written, the rest of the site is the previous build's until the rebuild rewrites it."""
    with server._epoch_cond:
        server._visible_epoch = server._wanted_epoch
        server._epoch_cond.notify_all()


def _reload_browsers_when_done(server) -> None:
    """Make the finished rebuild a newer version, so the open pages reload once more (the lists
    and feeds that show the edit are written by then)."""
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch + 1


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _nav_paths(nav: Any) -> Iterator[str]:
    """The docs paths the configured navigation names."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


def _setting(config, files: dict[str, str]) -> str | None:
    """What every page shows besides its own content: the config file, the theme's templates and the
    set of pages. Without a configured navigation every page lists every page: None, nothing kept."""
    if not config.nav:
        return None
    digest = hashlib.sha256(repr(sorted(files)).encode())
    digest.update(Path(config.config_file_path).read_bytes())
    for folder in map(Path, config.theme.dirs):
        for path in sorted(folder.rglob("*")):
            # not hidden folders: Material's .icons (13,000 SVGs) are for the emoji extension, not templates
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
                info = path.stat()
                digest.update(f"{path}\0{info.st_mtime_ns}\0{info.st_size}\0".encode())
    return digest.hexdigest()
