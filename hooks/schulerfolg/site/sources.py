"""The Markdown sources of the site: the pages in docs/, their front matter and their titles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml
from markupsafe import Markup

EXCLUDED_DOCS = ("includes/",)
"""Folders of docs/ that hold snippets, not pages (``exclude_docs`` in mkdocs.yml)."""

_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*(?:\n|\Z)", re.S)
_ATX_H1 = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_ATTR_LIST = re.compile(r"\s*\{:?[^{}]*\}\s*$")
_HTML_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]*>")
_PERMALINK = re.compile(r"<a\b[^>]*class=\"headerlink\"[^>]*>.*?</a>", re.S)


@dataclass(frozen=True)
class SourcePage:
    """A Markdown page of the site: its path in the docs tree, where it comes from, its text."""

    src_uri: str
    origin: str  # "docs/x.md" or "die erzeugte Seite x.md": for messages
    text: str
    generated: bool


def docs_files(docs_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every file of docs/ (site path, file), sorted; hidden files left out as the generators do."""
    for path in sorted(p for p in docs_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(docs_dir).as_posix()
        if not any(part.startswith(".") for part in rel.split("/")):
            yield rel, path


def docs_pages(docs_dir: Path) -> Iterator[tuple[str, str]]:
    """The Markdown pages of docs/ (``src_uri``, text), without the snippets of ``EXCLUDED_DOCS``."""
    for rel, path in docs_files(docs_dir):
        if rel.endswith(".md") and not rel.startswith(EXCLUDED_DOCS):
            yield rel, path.read_text(encoding="utf-8", errors="replace")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, the rest) of a Markdown page; no or unreadable front matter gives ``{}``
    (docs/ pages were checked before: ``qa.docs``)."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        meta = yaml.load(match.group(1) or "", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), text[match.end():]


def front_matter_of(text: str) -> dict[str, Any]:
    return split_front_matter(text)[0]


def dump_front_matter(meta: Mapping[str, Any]) -> str:
    """Front matter written by the YAML dumper, ending in a newline: every value arrives as the same text,
    whatever quotes, backslashes, ``\\x3c`` escapes or line breaks it holds, and no value can end the
    block, add a key or be read back as another type (text is always double-quoted)."""
    body = yaml.dump(dict(meta), Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                     default_flow_style=False)
    return f"---\n{body}---\n"


class _FrontMatterDumper(yaml.SafeDumper):
    """Text values always double-quoted (with YAML's escapes), so no value is read back as another type."""


def _quoted_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_FrontMatterDumper.add_representer(str, _quoted_str)
_FrontMatterDumper.add_representer(Markup, _quoted_str)


def page_title(meta: Mapping[str, Any], markdown: str, src_uri: str, html: str | None = None,
               nav_titles: Mapping[str, str] | None = None) -> str:
    """A page's title as MkDocs determines it: the title given in the navigation, the front matter's
    ``title``, the first heading (rendered, else in the Markdown), else the file's name."""
    if nav_titles and src_uri in nav_titles:
        return nav_titles[src_uri]
    if meta.get("title"):
        return str(meta["title"])
    if html is not None:
        heading = _HTML_H1.search(html)
        if heading:
            return " ".join(unescape(_TAG.sub("", _PERMALINK.sub("", heading.group(1)))).split())
    heading = _ATX_H1.search(split_front_matter(markdown)[1])
    if heading:
        return _ATTR_LIST.sub("", heading.group(1)).strip()
    if src_uri == "index.md":
        return "Home"
    name = src_uri.rsplit("/", 1)[-1].removesuffix(".md")
    if name == "index" and "/" in src_uri:
        name = src_uri.rsplit("/", 2)[-2]
    name = name.replace("-", " ").replace("_", " ")
    return name.capitalize() if name.islower() else name
