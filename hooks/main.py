"""MkDocs wiring: the only module that knows MkDocs. Each event delegates to the ``schulerfolg`` package.

Moving to another generator means rewriting this file, nothing else.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from schulerfolg import urls
from schulerfolg.build import Build
from schulerfolg.handbook import DOWNLOAD, HandbookError
from schulerfolg.pdf import PdfError
from schulerfolg.problems import DataError
from schulerfolg.publish import StagedSite
from schulerfolg.search import SearchIndexError
from schulerfolg.urls import Feedback

log = logging.getLogger("mkdocs.hooks.schulerfolg")
BUILD_ERRORS = (DataError, HandbookError, PdfError, SearchIndexError, ValueError)
_build: Build | None = None  # per-build state, made fresh in on_config (hooks are not reloaded by `mkdocs serve`)
_staged: StagedSite | None = None  # the folder this build writes to until it is complete
_command: str | None = None  # "build", "gh-deploy" or "serve" (serve builds into its own temp folder)
_dirty = False


class _WrittenByHook(File):
    """A file that on_post_build writes into site/ itself; registered so that MkDocs checks links to it."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty  # `mkdocs serve` skips the PDF handbook: seconds per rebuild while editing


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    root = Path(config.config_file_path).parent
    feedback = Feedback(config.repo_url, config.site_url or "") if config.repo_url else None
    try:
        _build = Build.load(root, config.site_url or "", make_pdf=_command != "serve", feedback=feedback)
    except BUILD_ERRORS as error:
        raise PluginError(str(error)) from None
    _stage(config)
    for problem in _build.warnings:
        log.warning(str(problem))
    return config


def _stage(config: MkDocsConfig) -> None:
    """Build into a staging folder beside site_dir; on_post_build puts it in place (not for serve or --dirty)."""
    global _staged
    _staged = None
    if _command != "serve" and not _dirty:
        _staged = StagedSite.begin(Path(config.site_dir), logging.getLogger("mkdocs"))
        config.site_dir = str(_staged.staging)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _build is not None
    for page in _build.pages():
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
    for generated in _build.files():
        files.append(File.generated(config, generated.uri, content=generated.content))
    files.append(File.generated(config, urls.PUBLICATIONS, content=""))  # filled in on_pre_page
    files.append(_WrittenByHook.generated(config, DOWNLOAD, content=b""))
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    # Read last of all pages: it shows the PDF's size, so it waits for the PDF made meanwhile.
    if page.file.src_uri == urls.PUBLICATIONS:
        assert _build is not None
        try:
            page.file.content_string = _build.publications_page().content
        except BUILD_ERRORS as error:
            raise PluginError(str(error)) from None
    return page


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    assert _build is not None
    try:
        context["search_data"] = _build.search_data(page.file.src_uri, page.meta, page.title or "", page.content or "")
    except BUILD_ERRORS as error:
        raise PluginError(str(error)) from None
    return context


@event_priority(-100)  # last: after every plugin has written its files into the staging folder
def on_post_build(config: MkDocsConfig) -> None:
    assert _build is not None
    try:
        warnings = _build.write_handbook(Path(config.site_dir))
        report = _build.index_site(Path(config.site_dir))
    except BUILD_ERRORS as error:
        raise PluginError(str(error)) from None
    for warning in warnings:
        log.warning(f"PDF-Handbuch: {warning}")
    log.info("Suchindex: %d Seiten in %s", report.pages, report.bundle)
    if _staged is not None:
        config.site_dir = str(_staged.target)
        if _staged.commit(strict=config.strict):
            log.info(f"Fertige Website nach {_staged.target} verschoben.")
        else:
            log.error("Die Website wurde wegen Warnungen im strict-Modus nicht aktualisiert.")


def on_build_error(error: Exception) -> None:
    if _build is not None:
        _build.cancel()
    if _staged is not None:
        _staged.discard()


def on_shutdown() -> None:
    if _staged is not None and _staged.staging.exists():
        _staged.discard()
