"""MkDocs wiring: the only module that knows MkDocs. Each event delegates to the ``schulerfolg`` package.

Moving to another generator means rewriting this file, nothing else.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from schulerfolg.build import Build
from schulerfolg.problems import DataError
from schulerfolg.urls import Feedback
from schulerfolg.search import SearchIndexError, build_index, page_search_data
from schulerfolg.search_terms import SearchTerms, load_search_terms

log = logging.getLogger("mkdocs.hooks.schulerfolg")
_build: Build | None = None  # per-build state, made fresh in on_config (hooks are not reloaded by `mkdocs serve`)
_search_terms: SearchTerms | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build, _search_terms
    root = Path(config.config_file_path).parent
    try:
        feedback = Feedback(config.repo_url, config.site_url or "") if config.repo_url else None
        _build = Build.load(root, feedback)
        _search_terms = load_search_terms(root / "data", root)
    except DataError as error:
        raise PluginError(str(error)) from None
    for problem in _build.warnings:
        log.warning(str(problem))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _build is not None
    for page in _build.pages():
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    assert _search_terms is not None
    try:
        context["search_data"] = page_search_data(
            page.file.src_uri, page.meta, page.title or "", page.content or "", _search_terms
        )
    except ValueError as error:
        raise PluginError(str(error)) from None
    return context


def on_post_build(config: MkDocsConfig) -> None:
    try:
        report = build_index(Path(config.site_dir))
    except SearchIndexError as error:
        raise PluginError(str(error)) from None
    log.info("Suchindex: %d Seiten in %s", report.pages, report.bundle)
