"""MkDocs wiring: the only module that knows MkDocs. Each event delegates to the ``schulerfolg`` package.

Moving to another generator means rewriting this file, nothing else.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from schulerfolg.build import Build
from schulerfolg.problems import DataError

log = logging.getLogger("mkdocs.hooks.schulerfolg")
_build: Build | None = None  # per-build state, made fresh in on_config (hooks are not reloaded by `mkdocs serve`)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    root = Path(config.config_file_path).parent
    try:
        _build = Build.load(root)
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
    for generated in _build.files():
        files.append(File.generated(config, generated.uri, content=generated.content))
    return files
