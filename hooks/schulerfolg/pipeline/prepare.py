"""Prepare: the data loaded and validated once, every page and file generated from it, and what the theme needs per page."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from schulerfolg.data.geometry import DistrictMap, make_district_map
from schulerfolg.data.load import check_project
from schulerfolg.data.problems import DataError, Problem, format_problems
from schulerfolg.data.project import Project
from schulerfolg.data.search_terms import SearchTerms
from schulerfolg.handbook import book as handbook
from schulerfolg.handbook.pdf import PdfJob
from schulerfolg.qa.docs import check_docs
from schulerfolg.search.index import IndexJob, PageSearchData, page_search_data
from schulerfolg.site import forms, urls
from schulerfolg.site.files import GeneratedFile, generated_files
from schulerfolg.site.headmeta import escape_head_values
from schulerfolg.site.pages import Page, render_pages, render_publications
from schulerfolg.site.sources import (EXCLUDED_DOCS, SourcePage, docs_files, docs_pages, dump_front_matter,
                                      front_matter_of, page_title, split_front_matter)
from schulerfolg.site.targets import duplicate_outputs, generated_targets, page_dest
from schulerfolg.site.urls import Feedback

CORRECTION_KEY = "correction_url"
"""The front-matter key that carries „Korrektur melden“ to the footer (overrides/partials/editorial.html)."""

HANDBOOK_CACHE = Path(".cache") / "handbook"
"""Finished PDFs, by content hash, relative to the project root (ignored by git)."""


@dataclass
class Build:
    """State of one build, created fresh for each build (also under ``mkdocs serve``)."""

    root: Path
    project: Project
    warnings: list[Problem] = field(default_factory=list)
    stand: datetime.datetime = handbook.FALLBACK_TIME
    handbook: PdfJob | None = None
    feedback: Feedback | None = None  # where „Korrektur melden“ leads (from mkdocs.yml repo_url)
    site_url: str = ""
    search_terms: SearchTerms = field(default_factory=lambda: SearchTerms(()))
    district_map: DistrictMap | None = None
    make_search_index: bool = True
    publications_pending: bool = False  # the built Publikationen page still has placeholders for the PDF
    indexing: IndexJob | None = None
    notes: list[str] = field(default_factory=list)  # about the machine, not the content (logged, never fatal)
    nav_titles: dict[str, str] = field(default_factory=dict)  # titles given in mkdocs.yml's nav
    _pages: list[Page] | None = None
    _files: list[GeneratedFile | forms.BinaryFile] | None = None
    _sources: dict[str, SourcePage] | None = None

    @classmethod
    def load(cls, root: Path, site_url: str = "", make_pdf: bool = True, feedback: Feedback | None = None,
             make_search_index: bool = True, pdf_cache: bool = True,
             nav_titles: dict[str, str] | None = None) -> "Build":
        """Load and validate ``root/data``; raises ``DataError`` listing every problem.

        With ``make_pdf`` the PDF handbook starts rendering in the background right away (or
        comes from the cache unless ``pdf_cache`` is off); only ``finish`` waits for it. Without
        ``make_search_index`` no Pagefind index is made (the site alone, for measurements).
        """
        project, problems = check_project(root / "data", root)
        if project is None:
            raise DataError(problems)
        build = cls(root, project, [p for p in problems if p.warning], handbook.stand(root), feedback=feedback, site_url=site_url,
                    search_terms=SearchTerms.of(project.search_rules), make_search_index=make_search_index,
                    nav_titles=dict(nav_titles or {}))
        if project.geometry is not None:
            build.district_map = make_district_map(project.geometry, project.sources)
        if make_pdf:
            book = handbook.make_book(root / "docs", project.handbook, build.stand, site_url)
            build.handbook = PdfJob.start(book.html, book.base_url, [handbook.STYLESHEET], root / HANDBOOK_CACHE,
                                          use_cache=pdf_cache)
        return build

    def pages(self) -> list[Page]:
        """Every generated page, the Publikationen page included (made once per build)."""
        if self._pages is None:
            self._pages = [*render_pages(self.project, self.district_map), self.publications_page()]
        return self._pages

    def files(self) -> list[GeneratedFile | forms.BinaryFile]:
        """Non-page files: the finder index, the offices' vCards, the open-data downloads and the
        templates as DOCX (docs/vorlagen/*.md); made once per build."""
        if self._files is None:
            try:
                docx = forms.form_files(self.root / "docs", self.stand, self.site_url)
            except forms.FormError as error:
                raise ValueError(str(error)) from None
            self._files = [*generated_files(self.project), *docx]
        return self._files

    def check_docs(self) -> list[Problem]:
        """The pages in docs/ (``qa.docs``): unsafe markup and addresses, front matter, links, images,
        headings. Run before any page is rendered."""
        return check_docs(self.root / "docs", self.root, generated_targets(self.project, self.root / "docs"))

    def publications_page(self) -> Page:
        """The Publikationen page, with the PDF's size and page count if it came from the cache, else
        with placeholders that ``finish`` fills in (nothing waits for the PDF before the site is written)."""
        pdf = None
        if self.handbook is not None:
            result = self.handbook.cached_result()
            pdf = (handbook.DOWNLOAD, result.size, result.pages) if result else (handbook.DOWNLOAD, None, None)
            self.publications_pending = result is None
        return render_publications(self.project, self.stand.date(), pdf, forms.read_forms(self.root / "docs"))

    def source_pages(self) -> dict[str, SourcePage]:
        """Every Markdown page of the site by the file it becomes (``schulen/x/index.html``): the pages in
        docs/ and the generated ones. What the finish step completes, and where a gate locates a finding."""
        if self._sources is None:
            sources: dict[str, SourcePage] = {}
            for src_uri, text in docs_pages(self.root / "docs"):
                sources[page_dest(src_uri)] = SourcePage(src_uri, f"docs/{src_uri}", text, False)
            for page in self.pages():
                sources[page_dest(page.src_uri)] = SourcePage(page.src_uri, f"die erzeugte Seite {page.src_uri}",
                                                              page.content, True)
            self._sources = sources
        return self._sources

    def refusal(self, docs_outputs: list[tuple[str, str]]) -> str | None:
        """Why the build must stop before anything is rendered, in German (None: it may go on): unsafe or
        broken pages in docs/, or two sources that would write the same file (``output_problems``)."""
        problems = self.check_docs()
        if any(not p.warning for p in problems):
            return format_problems(problems, "Die Seiten in docs/")
        clashes = self.output_problems(docs_outputs)
        return format_problems(clashes, "Die Seiten und Daten") if clashes else None

    def output_problems(self, docs_outputs: list[tuple[str, str]]) -> list[Problem]:
        """Two sources that would write the same file of the site (``docs_outputs``: the site path of every
        file from docs/ and its origin): an error, never a silent replacement."""
        outputs = list(docs_outputs)
        outputs += [(page_dest(p.src_uri), f"die erzeugte Seite {p.src_uri}") for p in self.pages()]
        outputs += [(f.uri, f"die erzeugte Datei {f.uri}") for f in self.files()]
        outputs.append((urls.HANDBOOK_PDF, "das PDF-Handbuch"))
        return duplicate_outputs(outputs)

    def page_meta(self, src_uri: str, meta: Mapping[str, Any], markdown: str) -> dict[str, Any]:
        """A page's front matter as the theme gets it, under every generator: the values that reach
        ``<head>`` escaped once (``headmeta``), and „Korrektur melden“ for the footer once a repository is set."""
        completed = escape_head_values(dict(meta))
        if self.feedback is not None:
            completed[CORRECTION_KEY] = self.feedback.correction_url(
                src_uri, page_title(meta, markdown, src_uri, nav_titles=self.nav_titles))
        return completed

    def search_data(self, page: SourcePage, html: str) -> PageSearchData | None:
        """What a rendered page tells the search index (facets, title, extra keywords); None for a page
        without a searchable body."""
        article = _article(html)
        if article is None:
            return None
        meta = front_matter_of(page.text)
        return page_search_data(page.src_uri, meta, page_title(meta, page.text, page.src_uri, article, self.nav_titles), article,
                                self.search_terms)

    def write_tree(self, tree: Path, rewrite: Callable[[str, str], str] | None = None) -> None:
        """The docs tree for a generator that reads a folder (Zensical): docs/ and the generated pages and
        files, every page's front matter completed by ``page_meta`` and its text passed through ``rewrite``
        (``src_uri``, text → text) if given. Files that did not change keep their time stamps, so that a
        watching generator rebuilds only what changed."""
        wanted: dict[Path, bytes] = {}
        for src_uri, path in docs_files(self.root / "docs"):
            data = path.read_bytes()
            if src_uri.endswith(".md") and not src_uri.startswith(EXCLUDED_DOCS):
                data = self._with_meta(src_uri, data.decode("utf-8"), rewrite).encode("utf-8")
            wanted[tree / src_uri] = data
        for page in self.pages():
            wanted[tree / page.src_uri] = self._with_meta(page.src_uri, page.content, rewrite).encode("utf-8")
        for file in self.files():
            content = file.content
            wanted[tree / file.uri] = content.encode("utf-8") if isinstance(content, str) else content
        _sync_tree(tree, wanted)

    def _with_meta(self, src_uri: str, text: str, rewrite: Callable[[str, str], str] | None) -> str:
        meta, body = split_front_matter(text)
        completed = self.page_meta(src_uri, meta, body)
        return (dump_front_matter(completed) if completed else "") + (rewrite(src_uri, body) if rewrite else body)

    def cancel(self) -> None:
        """Stop a PDF or an index that is still being made (the build failed elsewhere)."""
        if self.handbook is not None:
            self.handbook.cancel()
        if self.indexing is not None:
            self.indexing.cancel()


_ARTICLE = re.compile(r"<article\b[^>]*>(.*)</article>", re.S)


def _article(html: str) -> str | None:
    """The rendered content of a page: its ``<article>`` (the theme writes one per page)."""
    match = _ARTICLE.search(html)
    return match.group(1) if match else None


def _sync_tree(tree: Path, wanted: dict[Path, bytes]) -> None:
    """Make the folder ``tree`` hold exactly ``wanted``; unchanged files are not rewritten."""
    tree.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in tree.rglob("*") if p.is_file() or p.is_symlink()):
        if path not in wanted:
            path.unlink()
    for path, data in wanted.items():
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    for folder in sorted((p for p in tree.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
