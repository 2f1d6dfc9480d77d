"""The file MkDocs loads (mkdocs.yml, ``hooks:``): it hands every event to the MkDocs adapter
(``schulerfolg/adapters/mkdocs_hooks.py``). Under ``mkdocs serve`` a rebuild first re-imports the code if a
Python file of ``schulerfolg/`` changed, so that the rebuild runs the code as saved (MkDocs itself keeps
the module it loaded first)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))
from schulerfolg.adapters.reloading import Reloader  # noqa: E402  (needs the path above)

_log = logging.getLogger("mkdocs.hooks.schulerfolg")


def _stop(adapter: ModuleType) -> None:
    adapter.cancel()


_code = Reloader("schulerfolg.adapters.mkdocs_hooks", Path(__file__).resolve().parent / "schulerfolg", _stop)
_startup: tuple[str, bool] = ("build", False)  # handed to a re-imported adapter


def on_startup(command: str, dirty: bool) -> None:
    global _startup
    _startup = (command, dirty)
    _code.module().on_startup(command, dirty)


def on_config(config: Any) -> Any:
    changed = _code.refresh()
    if changed:
        _log.info("Python-Code geändert (%s): neu geladen.", ", ".join(changed))
        _code.module().on_startup(*_startup)
    return _code.module().on_config(config)


def on_files(files: Any, config: Any) -> Any:
    return _code.module().on_files(files, config)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    return _code.module().on_page_markdown(markdown, page, config, files)


def on_env(env: Any, config: Any, files: Any) -> Any:
    return _code.module().on_env(env, config, files)


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    return _code.module().on_page_context(context, page, config, nav)


@event_priority(-100)  # last: after every plugin has written its files into the staging folder
def on_post_build(config: Any) -> None:
    _code.module().on_post_build(config)


def on_build_error(error: Exception) -> None:
    _code.module().on_build_error(error)


def on_shutdown() -> None:
    _code.module().on_shutdown()
