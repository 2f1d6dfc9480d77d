"""The settings of mkdocs.yml the pipeline itself needs (both generators read the same file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "mkdocs.yml"


class _Loader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' tags (``!ENV``, ``!!python/name:…``) as plain values."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    site_url: str = ""
    repo_url: str | None = None
    docs_dir: str = "docs"
    site_dir: str = "site"
    strict: bool = False
    nav_titles: dict[str, str] = field(default_factory=dict)  # src_uri → title given in ``nav``
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path, name: str = CONFIG_FILE) -> "SiteConfig":
        data = yaml.load((root / name).read_text(encoding="utf-8"), Loader=_Loader) or {}
        return cls(root, str(data.get("site_url") or ""), data.get("repo_url"), str(data.get("docs_dir") or "docs"),
                   str(data.get("site_dir") or "site"), bool(data.get("strict")), nav_titles(data.get("nav") or []),
                   data)


def nav_titles(nav: Any) -> dict[str, str]:
    """``Titel: seite.md`` entries of a ``nav`` list, at any depth."""
    titles: dict[str, str] = {}
    for entry in nav if isinstance(nav, list) else []:
        if isinstance(entry, dict):
            for title, value in entry.items():
                if isinstance(value, str):
                    titles[value] = str(title)
                else:
                    titles.update(nav_titles(value))
    return titles
