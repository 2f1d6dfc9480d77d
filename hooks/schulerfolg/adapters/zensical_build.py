"""The Zensical adapter: the pipeline's docs tree rendered by Zensical, which runs no hooks."""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from schulerfolg.pipeline.config import SiteConfig
from schulerfolg.site import urls

VERSION = "0.0.73"
"""The Zensical release this adapter is written for (requirements.in pins it)."""

_DROPPED_KEYS = ("hooks", "watch")
ZENSICAL_SETTINGS: dict[str, Any] = {"plugins": [{"search": {"enabled": False}}]}
"""Settings only the Zensical build gets: no search of its own (the site's search is Pagefind; with
``plugins: []`` Zensical would still add its search and index). Its classic look is Material's."""
THEME_SETTINGS = {"variant": "classic"}

_HTML_LINK = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])([^"']*)\2""")
_NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?|$)")


def source_relative_links(src_uri: str, text: str) -> str:
    """A page's raw-HTML links rebased for Zensical: MkDocs leaves ``href``/``src`` in HTML as they are
    (relative to the page's URL, ``schulen/x/``), Zensical reads them relative to the page's source file
    (``schulen/x.md``) and rewrites them. Markdown links (to ``.md`` files) mean the same to both."""
    here = urls.page_url(src_uri)
    source_dir = posixpath.dirname(src_uri)

    def rebase(match: re.Match[str]) -> str:
        link = match.group(3)
        if _NOT_RELATIVE.match(link):
            return match.group(0)
        cut = min((i for i in (link.find("#"), link.find("?")) if i >= 0), default=len(link))
        path, rest = link[:cut], link[cut:]
        target = posixpath.normpath(posixpath.join(here, path))
        rebased = posixpath.relpath(target, source_dir or ".")
        if path.endswith("/") and not rebased.endswith("/"):
            rebased += "/"
        return f"{match.group(1)}{match.group(2)}{rebased}{rest}{match.group(2)}"

    return _HTML_LINK.sub(rebase, text)


class ZensicalError(Exception):
    """Zensical failed or is missing; the message says why, in German."""


def executable() -> list[str]:
    """How to run Zensical: the ``zensical`` command beside this Python, else ``python -m zensical``."""
    beside = Path(sys.executable).with_name("zensical")
    return [str(beside)] if beside.is_file() else [sys.executable, "-m", "zensical"]


def write_config(config: SiteConfig, work: Path, docs_tree: Path, site_dir: Path) -> Path:
    """``work/mkdocs.yml``: the project's mkdocs.yml for the prepared tree (no hooks), rendering into
    ``site_dir``, with a copy of the theme overrides (Zensical reads them from its own folder)."""
    overrides = work / "overrides"
    if overrides.exists():
        shutil.rmtree(overrides)
    theme: dict[str, Any] = {**(config.raw.get("theme") or {}), **THEME_SETTINGS}
    if theme.get("custom_dir"):
        shutil.copytree(config.root / str(theme["custom_dir"]), overrides)
        theme["custom_dir"] = overrides.name
    data = {key: value for key, value in config.raw.items() if key not in _DROPPED_KEYS} | ZENSICAL_SETTINGS
    # paths relative to the configuration: Zensical takes its folder as the project and writes only below it
    data.update(theme=theme, docs_dir=docs_tree.relative_to(work).as_posix(), site_dir=site_dir.relative_to(work).as_posix())
    target = work / "mkdocs.yml"
    target.write_text("# Written by the build (hooks/schulerfolg/adapters/zensical_build.py): do not edit.\n"
                      + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def render(config_file: Path, strict: bool) -> str:
    """``zensical build`` for ``config_file``; its output, or ``ZensicalError``.

    Zensical keeps a cache beside its configuration and then renders only what changed (1.5 s instead
    of 7 s for today's site); it is cleared whenever the configuration or a template changed."""
    stamp_file = config_file.with_name(".templates.sha256")
    stamp = _templates_stamp(config_file)
    clean = not stamp_file.is_file() or stamp_file.read_text(encoding="utf-8") != stamp
    command = [*executable(), "build", "-f", str(config_file)] + (["--clean"] if clean else []) \
        + (["--strict"] if strict else [])
    try:
        run = subprocess.run(command, capture_output=True, text=True, cwd=config_file.parent, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ZensicalError(f"Zensical ließ sich nicht ausführen ({error}). Bitte einrichten: bash tools/setup.sh") from None
    output = (run.stdout + run.stderr).strip()
    if run.returncode != 0:
        stamp_file.unlink(missing_ok=True)
        raise ZensicalError(f"Zensical ist mit Fehlercode {run.returncode} abgebrochen:\n{output[-3000:]}")
    stamp_file.write_text(stamp, encoding="utf-8")
    return output


def _templates_stamp(config_file: Path) -> str:
    """A hash of the configuration and every file of the theme overrides beside it."""
    digest = hashlib.sha256(config_file.read_bytes())
    for path in sorted((config_file.parent / "overrides").rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(config_file.parent).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def serve(config_file: Path, address: str) -> subprocess.Popen[bytes]:
    """``zensical serve`` for ``config_file`` at ``address`` (host:port), running until it is stopped."""
    return subprocess.Popen([*executable(), "serve", "-f", str(config_file), "-a", address], cwd=config_file.parent)
