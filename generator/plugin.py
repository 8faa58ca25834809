"""The thin mkdocs adapter: `mkdocs build` runs the whole pipeline, `mkdocs serve` watches plans/.

Everything else lives in the core (generator.site and below), which never imports mkdocs, so the
site engine stays replaceable (MkDocs 1.x is unmaintained; MkDocs 2 drops plugins).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from generator import progress, search, theme
from generator.load import LoadError
from generator.resources import THEME_DIR, shipped
from generator.sanitize import clean_html
from generator.site import DEFAULT_SITE_NAME, Build, build

log = get_plugin_logger(__name__)


class PlanpubConfig(Config):
    project = config_options.Type(str, default=".")  # relative to mkdocs.yml


class PlanpubPlugin(BasePlugin[PlanpubConfig]):
    def on_config(self, config):
        self.root = (Path(config.config_file_path).parent / self.config.project).resolve()
        # planpub's theme overrides (the header's Pagefind search box …) come with planpub, in a
        # checkout or a wheel: after the site's own custom_dir, before Material's templates.
        ours = str(shipped(THEME_DIR))
        if ours not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, ours)
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
        for path, content in sorted(self.result.files.items()):
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            generated = File.generated(config, path, content=content)
            if path in self.result.edit_paths:  # "edit this page" opens the plan's YAML file
                generated.edit_uri = os.path.relpath(self.root / self.result.edit_paths[path], config.docs_dir).replace(os.sep, "/")
            files.append(generated)
        for path, content in sorted(self.result.defaults.items()):
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        # docs path -> (written file, URL) of every page, for the search index
        self.pages = {f.src_uri: (f.dest_uri, f.url) for f in files.documentation_pages()}
        return files

    @event_priority(-100)  # last: whatever another plugin added is cleaned too
    def on_page_content(self, html: str, page, config, files) -> str:
        """The allowlist sanitiser on every page; values the theme prints outside the body escaped.

        Runs for every page before any template is rendered, so the navigation of one page never
        shows another page's title unescaped (mkdocs renders theme templates without autoescaping).
        """
        theme.escape_page(page)
        return clean_html(html)

    def on_post_page(self, output: str, page, config) -> str:
        """Structured data (JSON-LD) goes in <head>: the sanitised body can hold no script."""
        data = self.result.structured_data.get(page.file.src_uri)
        return theme.add_structured_data(output, data) if data else output

    @event_priority(-50)  # after other plugins wrote their files: the index is built from the pages as served
    def on_post_build(self, config) -> None:
        """Index the written (sanitised) pages with Pagefind (generator.search)."""
        records = search.search_records(self.result.corpus)
        site = Path(config.site_dir)
        pages = (
            search.Page(url, (site / dest).read_text(encoding="utf-8"), records.get(src, search.DEFAULT))
            for src, (dest, url) in sorted(self.pages.items())
        )
        count = search.write_index(site, pages)
        log.info(f"planpub: {count} trang trong chỉ mục tìm kiếm")

    def on_serve(self, server, config, builder):
        server.watch(str(self.root / "plans"))
        server.watch(str(self.root / "site_templates"))
        return server
