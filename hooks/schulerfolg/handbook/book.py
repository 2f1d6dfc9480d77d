"""The quality-standards handbook as one HTML document for print: chapter Markdown → book HTML.

Pure: reads ``docs/qualitaetsstandards/NN-*.md`` in file-name order (the only place that defines the
chapter order; a test checks that mkdocs.yml's nav lists the same files), renders each chapter with
the site's Markdown extensions and fills ``handbook/book.html.j2``. Everything about pages – sizes,
running heads, page numbers, the table of contents' numbers – lives in ``handbook/print.css``.
``pdf.py`` turns the result into the PDF.
"""

from __future__ import annotations

import datetime
import os
import posixpath
import re
import subprocess
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from schulerfolg.site import urls
from schulerfolg.data.model import HandbookMeta

CHAPTER_DIR = "qualitaetsstandards"
"""The handbook's folder inside docs/; its index.md is the online introduction, not a chapter."""
CHAPTER_PATTERN = "[0-9][0-9]-*.md"
DOWNLOAD = urls.HANDBOOK_PDF
"""Where the PDF lands in the site (links in docs/ point here)."""

ASSETS = Path(__file__).parent
TEMPLATE = "book.html.j2"
STYLESHEET = ASSETS / "print.css"

MARKDOWN_EXTENSIONS = ("abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc",
                       "pymdownx.details", "pymdownx.superfences")
"""The site's Markdown extensions that chapters use (a test checks they are all in mkdocs.yml), so that
``??? note`` blocks and fenced code print as they look on the web."""
GLOSSARY = "includes/abkuerzungen.md"
"""The glossary (abbreviations), appended to every chapter as on the web (pymdownx.snippets in mkdocs.yml)."""
FORMS_DIR = "vorlagen"
"""Fill-in templates, printed as the handbook's appendix (``docs/vorlagen/*.md`` without index.md)."""
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)

FALLBACK_TIME = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
"""The handbook's date when neither SOURCE_DATE_EPOCH nor git history is available."""

_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember")


class HandbookError(Exception):
    """A problem in the handbook's sources, explained in German for editors."""


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Chapter:
    """One chapter, rendered: its number and title come from the file name and the Markdown H1."""

    number: int
    id: str
    title: str
    html: Markup
    sections: tuple[Section, ...]
    label: str = ""  # "Kapitel 3" or "Anhang A"


def chapter_paths(docs_dir: Path) -> list[Path]:
    """The chapter files in reading order (file-name order: 01-…, 02-…)."""
    return sorted((docs_dir / CHAPTER_DIR).glob(CHAPTER_PATTERN))


def chapter_id(path: Path) -> str:
    return "kap-" + path.name[:2]


def read_chapters(docs_dir: Path, site_url: str) -> list[Chapter]:
    """Every chapter as print HTML; links between chapters become links inside the PDF."""
    paths = chapter_paths(docs_dir)
    if not paths:
        raise HandbookError(f"docs/{CHAPTER_DIR}/: Keine Kapitel gefunden (Dateien „01-titel.md“, „02-titel.md“ …).")
    ids = {p.name: chapter_id(p) for p in paths}
    return [_render_chapter(p, docs_dir, ids, site_url, int(p.name[:2]), ids[p.name], f"Kapitel {int(p.name[:2])}")
            for p in paths]


def appendix_paths(docs_dir: Path) -> list[Path]:
    """The templates printed as appendix, in file-name order."""
    return sorted(p for p in (docs_dir / FORMS_DIR).glob("*.md") if p.name != "index.md")


def read_appendix(docs_dir: Path, site_url: str) -> list[Chapter]:
    ids = {p.name: chapter_id(p) for p in chapter_paths(docs_dir)}
    appendix = []
    for number, path in enumerate(appendix_paths(docs_dir)):
        letter = chr(ord("A") + number)
        appendix.append(_render_chapter(path, docs_dir, ids, site_url, number + 1, f"anh-{path.stem}",
                                        f"Anhang {letter}"))
    return appendix


def _markdown_source(path: Path, docs_dir: Path) -> str:
    """The page's Markdown as the site sees it: front matter removed, the glossary appended."""
    text = _FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)
    glossary = docs_dir / GLOSSARY
    if glossary.is_file():
        text = text.rstrip("\n") + "\n\n" + glossary.read_text(encoding="utf-8")
    return text


def _render_chapter(path: Path, docs_dir: Path, ids: dict[str, str], site_url: str, number: int, own_id: str,
                    label: str) -> Chapter:
    src_uri = path.relative_to(docs_dir).as_posix()
    links = _PrintLinks(own_id, src_uri, ids, site_url)
    md = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, links])
    html = md.convert(_markdown_source(path, docs_dir))
    if not links.title:
        raise HandbookError(f"docs/{src_uri}:1: Das Kapitel braucht eine Überschrift der ersten Ebene "
                            "in der ersten Zeile, z. B. „# Kinderschutz“.")
    return Chapter(number, own_id, links.title, Markup(html), tuple(links.sections), label)


class _PrintLinks(Extension):
    """Prefixes every id with the chapter's id and points links where they work in print."""

    def __init__(self, chapter: str, src_uri: str, ids: dict[str, str], site_url: str) -> None:
        super().__init__()
        self.chapter, self.src_uri, self.ids, self.site_url = chapter, src_uri, ids, site_url
        self.title = ""
        self.sections: list[Section] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_PrintLinksProcessor(md, self), "print_links", 4)  # after toc (5)


def _scope_headers(root: etree.Element) -> None:
    """Header cells with a scope, so that the PDF's /TH cells name the cells they head (PDF/UA 7.5):
    cells in the head row head their column, a header cell starting a body row heads its row."""
    for table in root.iter("table"):
        for section in table:
            for tr in section.iter("tr"):
                for index, cell in enumerate(tr):
                    if cell.tag == "th" and "scope" not in cell.attrib:
                        cell.set("scope", "col" if section.tag == "thead" else "row" if index == 0 else "col")


class _PrintLinksProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, ext: _PrintLinks) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        ext = self.ext
        _scope_headers(root)
        for el in root.iter():
            if el.tag == "h1" and not ext.title:
                ext.title = "".join(el.itertext()).strip()
                el.set("id", ext.chapter)
            elif "id" in el.attrib:
                el.set("id", f"{ext.chapter}-{el.get('id')}")
            if el.tag == "h2":
                ext.sections.append(Section(el.get("id", ""), "".join(el.itertext()).strip()))
            elif el.tag == "a" and el.get("href"):
                self._relink(el)

    def _relink(self, a: etree.Element) -> None:  # noqa: C901 (one branch per kind of link)
        href = a.get("href", "")
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            text = "".join(a.itertext()).strip()
            a.set("class", "external" if text == href or parts.scheme == "mailto" else "external labelled")
            return
        if not parts.path:  # a section of this chapter: the link is enough
            a.set("href", f"#{self.ext.chapter}-{parts.fragment}")
            a.set("class", "xref")
            return
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.ext.src_uri), parts.path))
        chapter = self.ext.ids.get(posixpath.basename(target)) if posixpath.dirname(target) == CHAPTER_DIR else None
        if chapter:
            a.set("href", f"#{chapter}-{parts.fragment}" if parts.fragment else f"#{chapter}")
            a.set("class", "xref")
            if chapter != self.ext.chapter:
                # Print says "[Kap. 4]", not a page number: a page number would be a forward
                # target-counter, and WeasyPrint lays out every page holding one (and every page
                # they point to) again, twice – 0.85 s of a 4.7 s PDF. The table of contents has the pages.
                a.set("data-kapitel", str(int(chapter.removeprefix("kap-"))))
        else:  # another page or file of the portal: link to it online
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            path = urls.page_url(target) if target.endswith(".md") else target
            a.set("href", self.ext.site_url.rstrip("/") + "/" + path + fragment)
            a.set("class", "external labelled")


# --- the book ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Book:
    """The whole handbook as one HTML document, ready for WeasyPrint (relative URLs resolve against base_url)."""

    html: str = field(repr=False)
    base_url: str


def make_book(docs_dir: Path, meta: HandbookMeta, stand: datetime.datetime, site_url: str) -> Book:
    """Cover, imprint, table of contents and all chapters, from the handbook's data and Markdown."""
    chapters = tuple(read_chapters(docs_dir, site_url))
    appendix = tuple(read_appendix(docs_dir, site_url))
    env = Environment(loader=FileSystemLoader(ASSETS), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["long_date"] = long_date
    html = env.get_template(TEMPLATE).render(
        meta=meta.public(), chapters=chapters, appendix=appendix, stand=stand, stand_iso=stand.strftime("%Y-%m-%dT%H:%M:%SZ"),
        site_url=site_url, portal=urls.page_url(f"{CHAPTER_DIR}/index.md"),
    )
    return Book(html, (docs_dir / CHAPTER_DIR).resolve().as_uri() + "/")


def long_date(value: datetime.date) -> str:
    """``12. März 2026`` (German month names without depending on the machine's locale)."""
    return f"{value.day}. {_MONTHS[value.month - 1]} {value.year}"


def source_paths(root: Path) -> list[Path]:
    """The files the handbook is made from (their last commit dates the handbook)."""
    return [root / "docs" / CHAPTER_DIR, root / "docs" / FORMS_DIR, root / "docs" / GLOSSARY,
            root / "data" / "publications.yaml", ASSETS, Path(__file__)]


def stand(root: Path) -> datetime.datetime:
    """The handbook's date: SOURCE_DATE_EPOCH, else the last commit of its sources, else a constant.

    Never the clock: the same sources must give the same PDF, byte for byte.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        epoch = _last_commit(root, source_paths(root))
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
    return FALLBACK_TIME


def _last_commit(root: Path, paths: list[Path]) -> str:
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct", "--", *map(str, paths)], cwd=root,
                                capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""

