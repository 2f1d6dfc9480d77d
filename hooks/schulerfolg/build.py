"""One build: the data loaded once, and everything generated from it."""

from __future__ import annotations

import datetime
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import forms, handbook, urls
from .assets import GeneratedFile, generated_files
from .districtmap import DistrictMap, make_district_map
from .load import check_project
from .pages import Page, fill_publications, render_pages, render_publications
from .pdf import PdfJob
from .problems import DataError, Problem
from .project import Project
from .search import IndexJob, IndexReport, PageSearchData, SearchIndexError, page_search_data
from .search_terms import SearchTerms
from .urls import Feedback

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

    @classmethod
    def load(cls, root: Path, site_url: str = "", make_pdf: bool = True, feedback: Feedback | None = None,
             make_search_index: bool = True, pdf_cache: bool = True) -> "Build":
        """Load and validate ``root/data``; raises ``DataError`` listing every problem.

        With ``make_pdf`` the PDF handbook starts rendering in the background right away (or
        comes from the cache unless ``pdf_cache`` is off); only ``finish`` waits for it. Without
        ``make_search_index`` no Pagefind index is made (the site alone, for measurements).
        """
        project, problems = check_project(root / "data", root)
        if project is None:
            raise DataError(problems)
        build = cls(root, project, [p for p in problems if p.warning], handbook.stand(root), feedback=feedback, site_url=site_url,
                    search_terms=SearchTerms.of(project.search_rules), make_search_index=make_search_index)
        if project.geometry is not None:
            build.district_map = make_district_map(project.geometry, project.sources)
        if make_pdf:
            book = handbook.make_book(root / "docs", project.handbook, build.stand, site_url)
            build.handbook = PdfJob.start(book.html, book.base_url, [handbook.STYLESHEET], root / HANDBOOK_CACHE,
                                          use_cache=pdf_cache)
        return build

    def pages(self) -> list[Page]:
        """Every generated page, the Publikationen page included."""
        return [*render_pages(self.project, self.feedback, self.district_map), self.publications_page()]

    def files(self) -> list[GeneratedFile | forms.BinaryFile]:
        """Non-page files: the finder index, the offices' vCards, the open-data downloads and the
        templates as DOCX (docs/vorlagen/*.md)."""
        try:
            docx = forms.form_files(self.root / "docs", self.stand, self.site_url)
        except forms.FormError as error:
            raise ValueError(str(error)) from None
        return [*generated_files(self.project), *docx]

    def search_data(self, src_uri: str, meta: dict, title: str, content_html: str) -> PageSearchData:
        """What a rendered page tells the search index (facets, title, extra keywords)."""
        return page_search_data(src_uri, meta, title, content_html, self.search_terms)

    def publications_page(self) -> Page:
        """The Publikationen page, with the PDF's size and page count if it came from the cache, else
        with placeholders that ``finish`` fills in (nothing waits for the PDF before the site is written)."""
        pdf = None
        if self.handbook is not None:
            result = self.handbook.cached_result()
            pdf = (handbook.DOWNLOAD, result.size, result.pages) if result else (handbook.DOWNLOAD, None, None)
            self.publications_pending = result is None
        return render_publications(self.project, self.stand.date(), pdf, forms.read_forms(self.root / "docs"))

    def finish(self, site_dir: Path, when_indexed: Callable[[IndexReport | SearchIndexError], None] | None = None
               ) -> tuple[list[str], IndexReport | None]:
        """After the site is written: the search index and the PDF, which run side by side.

        Returns WeasyPrint's warnings (e.g. CSS it ignored) and what Pagefind indexed (None if skipped);
        raises ``SearchIndexError`` or ``PdfError`` if either fails. With ``when_indexed`` it does not
        wait for the index but hands its outcome to that function when Pagefind is done.
        """
        self.indexing = IndexJob.start(site_dir) if self.make_search_index else None
        warnings = self.write_handbook(site_dir)
        if self.indexing is None:
            return warnings, None
        if when_indexed is not None:
            self.indexing.notify(when_indexed)
            return warnings, None
        return warnings, self.indexing.result()

    def write_handbook(self, site_dir: Path) -> list[str]:
        """Wait for the PDF, copy it into the site and fill in its size on the Publikationen page."""
        if self.handbook is None:
            return []
        result = self.handbook.result()
        target = site_dir / handbook.DOWNLOAD
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(result.path, target)
        if self.publications_pending:
            page = site_dir / urls.page_url(urls.PUBLICATIONS) / "index.html"
            _replace_text(page, fill_publications(page.read_text(encoding="utf-8"), result.size, result.pages))
        return result.warnings

    def cancel(self) -> None:
        """Stop a PDF or an index that is still being made (the build failed elsewhere)."""
        if self.handbook is not None:
            self.handbook.cancel()
        if self.indexing is not None:
            self.indexing.cancel()


def _replace_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step: Pagefind may be reading the file meanwhile."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
