"""The Zensical adapter: the pipeline's docs tree rendered by Zensical, which runs no hooks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from schulerfolg.pipeline.config import SiteConfig

VERSION = "0.0.73"
"""The Zensical release this adapter is written for (requirements.in pins it)."""

MKDOCS_ONLY_TEMPLATES = ("partials/nav.html",)
"""Overrides that only work under MkDocs' Jinja (the navigation cache needs on_env's loader and globals);
the Zensical build leaves them out and gets the theme's own."""

_DROPPED_KEYS = ("hooks", "watch")


class ZensicalError(Exception):
    """Zensical failed or is missing; the message says why, in German."""


def executable() -> list[str]:
    """How to run Zensical: the ``zensical`` command beside this Python, else ``python -m zensical``."""
    beside = Path(sys.executable).with_name("zensical")
    return [str(beside)] if beside.is_file() else [sys.executable, "-m", "zensical"]


def write_config(config: SiteConfig, work: Path, docs_tree: Path, site_dir: Path) -> Path:
    """``work/mkdocs.yml``: the project's mkdocs.yml for the prepared tree (no hooks), rendering into
    ``site_dir``, with the theme overrides minus ``MKDOCS_ONLY_TEMPLATES``."""
    overrides = work / "overrides"
    if overrides.exists():
        shutil.rmtree(overrides)
    theme: dict[str, Any] = dict(config.raw.get("theme") or {})
    if theme.get("custom_dir"):
        shutil.copytree(config.root / str(theme["custom_dir"]), overrides)
        for name in MKDOCS_ONLY_TEMPLATES:
            (overrides / name).unlink(missing_ok=True)
        theme["custom_dir"] = overrides.name
    data = {key: value for key, value in config.raw.items() if key not in _DROPPED_KEYS}
    # paths relative to the configuration: Zensical takes its folder as the project and writes only below it
    data.update(theme=theme, docs_dir=docs_tree.relative_to(work).as_posix(), site_dir=site_dir.relative_to(work).as_posix())
    target = work / "mkdocs.yml"
    target.write_text("# Written by the build (hooks/schulerfolg/adapters/zensical_build.py): do not edit.\n"
                      + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def render(config_file: Path, strict: bool) -> str:
    """``zensical build`` for ``config_file``; its output, or ``ZensicalError``."""
    command = [*executable(), "build", "--clean", "-f", str(config_file)] + (["--strict"] if strict else [])
    try:
        run = subprocess.run(command, capture_output=True, text=True, cwd=config_file.parent, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ZensicalError(f"Zensical ließ sich nicht ausführen ({error}). Bitte einrichten: bash tools/setup.sh") from None
    output = (run.stdout + run.stderr).strip()
    if run.returncode != 0:
        raise ZensicalError(f"Zensical ist mit Fehlercode {run.returncode} abgebrochen:\n{output[-3000:]}")
    return output


def serve(config_file: Path, address: str) -> subprocess.Popen[bytes]:
    """``zensical serve`` for ``config_file`` at ``address`` (host:port), running until it is stopped."""
    return subprocess.Popen([*executable(), "serve", "-f", str(config_file), "-a", address], cwd=config_file.parent)
