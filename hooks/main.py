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

from schulerfolg.build import Build
from schulerfolg.problems import DataError
from schulerfolg.publish import StagedSite

log = logging.getLogger("mkdocs.hooks.schulerfolg")
_build: Build | None = None  # per-build state, made fresh in on_config (hooks are not reloaded by `mkdocs serve`)
_staged: StagedSite | None = None  # the folder this build writes to until it is complete
_command: str | None = None  # "build", "gh-deploy" or "serve" (serve builds into its own temp folder)
_dirty = False


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    root = Path(config.config_file_path).parent
    try:
        _build = Build.load(root)
    except DataError as error:
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
    return files


@event_priority(-100)  # last: after every plugin has written its files into the staging folder
def on_post_build(config: MkDocsConfig) -> None:
    if _staged is not None:
        config.site_dir = str(_staged.target)
        if _staged.commit(strict=config.strict):
            log.info(f"Fertige Website nach {_staged.target} verschoben.")
        else:
            log.error("Die Website wurde wegen Warnungen im strict-Modus nicht aktualisiert.")


def on_build_error(error: Exception) -> None:
    if _staged is not None:
        _staged.discard()


def on_shutdown() -> None:
    if _staged is not None and _staged.staging.exists():
        _staged.discard()
