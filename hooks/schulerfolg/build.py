"""One build: the data loaded once, and everything generated from it."""

from __future__ import annotations

import datetime
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import handbook
from .assets import GeneratedFile, generated_files
from .districtmap import DistrictMap, make_district_map
from .load import check_project
from .pages import Page, render_pages, render_publications
from .pdf import PdfJob
from .problems import DataError, Problem
from .project import Project
from .search import IndexReport, PageSearchData, build_index, page_search_data
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
    search_terms: SearchTerms = field(default_factory=lambda: SearchTerms(()))
    district_map: DistrictMap | None = None

    @classmethod
    def load(cls, root: Path, site_url: str = "", make_pdf: bool = True, feedback: Feedback | None = None) -> "Build":
        """Load and validate ``root/data``; raises ``DataError`` listing every problem.

        With ``make_pdf`` the PDF handbook starts rendering in the background right away
        (or comes from the cache); ``publications_page`` and ``write_handbook`` wait for it.
        """
        project, problems = check_project(root / "data", root)
        if project is None:
            raise DataError(problems)
        build = cls(root, project, [p for p in problems if p.warning], handbook.stand(root), feedback=feedback,
                    search_terms=SearchTerms.of(project.search_rules))
        if project.geometry is not None:
            build.district_map = make_district_map(project.geometry, project.sources)
        if make_pdf:
            book = handbook.make_book(root / "docs", project.handbook, build.stand, site_url)
            build.handbook = PdfJob.start(book.html, book.base_url, [handbook.STYLESHEET], root / HANDBOOK_CACHE)
        return build

    def pages(self) -> list[Page]:
        return render_pages(self.project, self.feedback, self.district_map)

    def files(self) -> list[GeneratedFile]:
        """Non-page files: the finder index, the offices' vCards and the open-data downloads."""
        return generated_files(self.project)

    def search_data(self, src_uri: str, meta: dict, title: str, content_html: str) -> PageSearchData:
        """What a rendered page tells the search index (facets, title, extra keywords)."""
        return page_search_data(src_uri, meta, title, content_html, self.search_terms)

    def index_site(self, site_dir: Path) -> IndexReport:
        """Run Pagefind over the finished site; raises ``SearchIndexError`` if that fails."""
        return build_index(site_dir)

    def publications_page(self) -> Page:
        """The Publikationen page; waits for the PDF, whose size and page count it shows."""
        result = self.handbook.result() if self.handbook else None
        pdf = (handbook.DOWNLOAD, result.size, result.pages) if result else None
        return render_publications(self.project, self.stand.date(), pdf)

    def write_handbook(self, site_dir: Path) -> list[str]:
        """Copy the PDF into the site; returns WeasyPrint's warnings (e.g. CSS it ignored)."""
        if self.handbook is None:
            return []
        result = self.handbook.result()
        target = site_dir / handbook.DOWNLOAD
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(result.path, target)
        return result.warnings

    def cancel(self) -> None:
        """Stop a PDF that is still being made (the build failed elsewhere)."""
        if self.handbook is not None:
            self.handbook.cancel()
