"""The MkDocs adapter: MkDocs' events mapped onto the pipeline (prepare, render by MkDocs, finish)."""

from __future__ import annotations

import logging
import os
import posixpath
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from schulerfolg.data.problems import format_problems
from schulerfolg.pipeline import finish as finishing
from schulerfolg.pipeline.config import SiteConfig
from schulerfolg.pipeline.errors import BUILD_ERRORS
from schulerfolg.pipeline.options import BuildOptions
from schulerfolg.pipeline.prepare import Build
from schulerfolg.pipeline.publish import StagedSite
from schulerfolg.search.index import IndexReport, SearchIndexError
from schulerfolg.site import urls
from schulerfolg.site.urls import Feedback

log = logging.getLogger("mkdocs.hooks.schulerfolg")
_build: Build | None = None  # per-build state, made fresh in on_config
_staged: StagedSite | None = None  # the folder this build writes to until it is complete
_command = "build"  # "build", "gh-deploy" or "serve" (serve builds into its own temp folder)
_dirty = False


class _WrittenByHook(File):
    """A file that the finish step writes into the site itself; registered so that MkDocs checks links to it."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty  # `mkdocs serve` skips the PDF handbook: seconds per rebuild while editing


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Prepare: load and validate the data; render into a staging folder (not for serve or --dirty)."""
    global _build, _staged
    cancel()  # a rebuild under `mkdocs serve`: the previous search index may still be running
    feedback = Feedback.from_config(config.repo_url, config.site_url)
    if feedback is None:  # no repository yet, or the placeholder: no edit link, no repository link anywhere
        config.repo_url = None
        config.edit_uri = None
    try:
        options = BuildOptions.from_environment(os.environ, serve=_command == "serve")
        root = Path(config.config_file_path).parent
        _build = Build.load(root, config.site_url or "", make_pdf=options.make_pdf,
                            feedback=feedback, make_search_index=options.make_search_index,
                            pdf_cache=options.pdf_cache, nav_titles=SiteConfig.read(root).nav_titles)
    except BUILD_ERRORS as error:
        raise PluginError(str(error)) from None
    _staged = None
    if _command != "serve" and not _dirty:
        _staged = StagedSite.begin(Path(config.site_dir), logging.getLogger("mkdocs"))
        config.site_dir = str(_staged.staging)
    for problem in _build.warnings:
        log.warning(str(problem))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The generated pages and files join docs/, once docs/ passed its checks and no two sources would
    write the same file of the site."""
    build = _current()
    try:
        refusal = build.refusal([(f.dest_uri, f"docs/{f.src_uri}") for f in files])
        if refusal:
            raise PluginError(refusal) from None
        for page in build.pages():
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
        for generated in build.files():
            files.append(File.generated(config, generated.uri, content=generated.content))
    except BUILD_ERRORS as error:
        raise PluginError(str(error)) from None
    files.append(_WrittenByHook.generated(config, urls.HANDBOOK_PDF, content=b""))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    page.meta = _current().page_meta(page.file.src_uri, page.meta, markdown)
    return markdown


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.globals["nav_cache"] = {}  # rendered navigation by folder; MkDocs makes a fresh env for every build
    return env


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    # Pages outside the nav share their folder's rendered navigation (overrides/partials/nav.html)
    context["nav_cache_key"] = None if page in nav.pages else posixpath.dirname(page.url.rstrip("/"))
    return context


def on_post_build(config: MkDocsConfig) -> None:
    """Finish: complete the pages, the search index, the PDF, the gates, and the site put in place."""
    build = _current()
    staged = _staged
    # Under `mkdocs serve` the browser reloads at once; the search index follows and is logged when done.
    background = _log_index if _command == "serve" else None
    try:
        finishing.finish(build, Path(config.site_dir), log, staged, strict=bool(config.strict), when_indexed=background)
    except BUILD_ERRORS as error:
        raise PluginError(str(error)) from None
    finally:
        if staged is not None:
            config.site_dir = str(staged.target)


def _log_index(outcome: IndexReport | SearchIndexError) -> None:
    if isinstance(outcome, SearchIndexError):
        log.error(str(outcome))
    else:
        log.info("Suchindex: %d Seiten in %s", outcome.pages, outcome.bundle)


def on_build_error(error: Exception) -> None:
    cancel()


def on_shutdown() -> None:
    cancel()  # `mkdocs serve` stopped while the search index was still being made


def cancel() -> None:
    """Stop what a build still runs (PDF, index) and remove its staging folder."""
    if _build is not None:
        _build.cancel()
    if _staged is not None and _staged.staging.exists():
        _staged.discard()


def _current() -> Build:
    if _build is None:
        raise PluginError("Interner Fehler: Der Build wurde nicht vorbereitet (on_config lief nicht).")
    return _build
