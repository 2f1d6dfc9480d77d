"""One build: the data loaded once, and everything generated from it."""

from __future__ import annotations

import datetime
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import finder, forms, gates, handbook, opendata, urls
from .assets import GeneratedFile, generated_files, vcard_uri
from .contactcard import has_vcard
from .docscheck import DocsSite, check_docs
from .districtmap import DistrictMap, make_district_map
from .load import check_project
from .pages import Page, fill_publications, render_pages, render_publications, school_region_sources
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
    notes: list[str] = field(default_factory=list)  # about the machine, not the content (logged, never fatal)

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
        return [*render_pages(self.project, self.district_map), self.publications_page()]

    def files(self) -> list[GeneratedFile | forms.BinaryFile]:
        """Non-page files: the finder index, the offices' vCards, the open-data downloads and the
        templates as DOCX (docs/vorlagen/*.md)."""
        try:
            docx = forms.form_files(self.root / "docs", self.stand, self.site_url)
        except forms.FormError as error:
            raise ValueError(str(error)) from None
        return [*generated_files(self.project), *docx]

    def check_docs(self) -> list[Problem]:
        """The pages in docs/ (``docscheck``): unsafe markup and addresses, front matter, links, images,
        headings. Run before any page is rendered."""
        return check_docs(self.root / "docs", self.root, generated_targets(self.project, self.root / "docs"))

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

    def finish(self, site_dir: Path, when_indexed: Callable[[IndexReport | SearchIndexError], None] | None = None,
               meanwhile: Callable[[], None] | None = None) -> tuple[list[str], IndexReport | None]:
        """After the site is written: the search index and the PDF, which run side by side.

        ``meanwhile`` runs after the index was started and before the PDF is waited for.
        Returns WeasyPrint's warnings (e.g. CSS it ignored) and what Pagefind indexed (None if skipped);
        raises ``SearchIndexError`` or ``PdfError`` if either fails. With ``when_indexed`` it does not
        wait for the index but hands its outcome to that function when Pagefind is done.
        """
        self.indexing = IndexJob.start(site_dir) if self.make_search_index else None
        if meanwhile is not None:
            meanwhile()  # e.g. the site's gates, while Pagefind and WeasyPrint work in their own processes
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
        self.handbook.discard()  # a result with warnings is not kept in the cache
        self.notes = result.notes
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


def generated_targets(project: Project, docs_dir: Path) -> DocsSite:
    """The generated pages (src_uri) and files (site path) of a build, without rendering them: what links
    in docs/ may point to besides docs/ itself (``validate`` uses it; a test compares it with a build)."""
    pages = {urls.OFFICES_INDEX, urls.COORDINATION, urls.SCHOOLS_INDEX, urls.FINDER, urls.DATA, urls.PUBLICATIONS}
    pages |= {urls.office_src(o.id) for o in project.offices} | {urls.school_src(s.id) for s in project.schools}
    pages |= school_region_sources(project)
    files = {finder.INDEX_URI, handbook.DOWNLOAD}
    files |= {f.docx_uri for f in forms.read_forms(docs_dir)}
    files |= {vcard_uri(project, o) for o in (*project.offices, project.coordination) if has_vcard(o)}
    files |= {d.uri(fmt) for d in opendata.datasets(project) for fmt in d.formats}
    return DocsSite(frozenset(pages), frozenset(files))


def page_dest(src_uri: str) -> str:
    """Where MkDocs writes a Markdown page (directory URLs): ``schulen/x.md`` → ``schulen/x/index.html``."""
    return urls.page_url(src_uri) + "index.html"


def duplicate_outputs(outputs: list[tuple[str, str]]) -> list[Problem]:
    """Two sources that would be written to the same file of the site: an error, never a silent replacement.

    ``outputs`` are (site path, what writes it, e.g. „docs/schulen/index.md“ or „erzeugte Seite schulen/x.md“)."""
    first: dict[str, str] = {}
    problems = []
    for dest, origin in outputs:
        if dest in first:
            problems.append(Problem(origin.split(" ")[-1] if origin.startswith("docs/") else "site/" + dest, 0, "",
                                    f"{origin} und {first[dest]} ergäben dieselbe Datei {dest}: eine würde die andere "
                                    "ersetzen. Bitte eine davon umbenennen (bei Daten: die Kennung ändern)."))
        else:
            first[dest] = origin
    return problems


GATE_MESSAGES = {
    "fremder-host": "lädt etwas von einem anderen Server",
    "link-schema": "enthält einen Link mit unsicherem Schema",
    "inline-script": "enthält ein Skript im HTML",
    "event-handler": "enthält ein on…-Attribut (Skript)",
    "javascript-url": "enthält eine javascript:-Adresse",
    "srcdoc": "enthält einen eingebetteten Rahmen (srcdoc)",
    "csp": "hat keine gültige Content-Security-Policy",
    "markup-in-daten": "enthält HTML-Markup in Daten",
    "csv-formel": "enthält eine Zelle, die eine Tabellenkalkulation als Formel ausführen würde",
    "vcard": "hat eine beschädigte vCard-Struktur",
}
"""The build's gates (``gates.site_findings`` without the link check, which MkDocs does itself)."""

_KEYWORDS = {"inline-script": "<script", "javascript-url": "script:", "srcdoc": "srcdoc"}


def site_gate_problems(site_dir: Path, sources: dict[str, tuple[str, str]]) -> list[Problem]:
    """The site's static gates over the built site, as German problems; ``sources`` maps a page's
    site path to its docs/ file and text, so that a finding there is located at a line of that file."""
    site = _read_site(site_dir)
    findings = []
    for path, tags in site.pages.items():
        findings += gates.external_resources(path, tags) + gates.link_schemes(path, tags) + gates.unsafe_markup(path, tags)
        findings += gates.content_security_policy(path, tags)
    for path in site.with_suffix(".css"):
        findings += gates.external_css(path, (site.root / path).read_text(encoding="utf-8", errors="replace"))
    for path in site.with_suffix(*gates.DATA_SUFFIXES):
        findings += gates.markup_in_data(path, gates.file_text(site.root / path))
    for path in site.with_suffix(".csv"):
        findings += gates.csv_formulas(path, gates.file_text(site.root / path))
    for path in site.with_suffix(".vcf"):
        findings += gates.vcard_structure(path, gates.file_text(site.root / path))
    problems = []
    for finding in sorted(findings):
        what = GATE_MESSAGES.get(finding.rule, finding.rule)
        if finding.file in sources:
            display, text = sources[finding.file]
            problems.append(Problem(display, _line_in(text, finding), "", f"Die Seite {what} ({finding.detail}). "
                                                                          "Bitte entfernen."))
        else:
            problems.append(Problem(f"site/{finding.file}", 0, "", f"Die erzeugte Datei {what} ({finding.detail}). Das "
                                                                   "ist ein Fehler im Programm, nicht in Ihren Daten: "
                                                                   "bitte der Koordinierungsstelle melden."))
    return problems


def _read_site(root: Path) -> gates.Site:
    """``gates.Site.read``, but the parts that every page of a folder shares (navigation, footer) are parsed
    once: every byte of every page is still read, each distinct text only once (5x faster on today's site)."""
    site = gates.Site(root)
    cache: dict[str, list[gates.Tag]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        site.files.append(rel)
        if path.suffix == ".html":
            site.pages[rel] = _page_tags(path.read_text(encoding="utf-8"), cache)
    return site


def _page_tags(text: str, cache: dict[str, list[gates.Tag]]) -> list[gates.Tag]:
    """The tags of a page parsed in four parts cut at ``</head>``, ``<article`` and the last ``</article>``
    (boundaries the theme writes, outside any script or comment); the 2nd and 4th parts are cached."""
    head = text.find("</head>")
    start = text.find("<article", head)
    end = text.rfind("</article>")
    if min(head, start, end) < 0 or not head < start < end:
        return gates.parse_html(text)
    tags: list[gates.Tag] = []
    offset = 0
    for i, (a, b) in enumerate(((0, head), (head, start), (start, end), (end, len(text)))):
        part = text[a:b]
        parsed = cache.get(part) if i % 2 else None
        if parsed is None:
            parsed = gates.parse_html(part)
            if i % 2:
                cache[part] = parsed
        tags += [gates.Tag(t.name, t.attrs, t.line + offset, t.text) for t in parsed] if offset else parsed
        offset += part.count("\n")
    return tags


def _line_in(text: str, finding: gates.Finding) -> int:
    """The line of a docs/ file that most likely caused a finding in its built page (1 if unknown)."""
    detail = finding.detail.split(": ", 1)[-1]
    needles = [_KEYWORDS.get(finding.rule, "")]
    attr = detail.split(">", 1)[-1].strip().split("=", 1)
    if len(attr) == 2:
        needles += [attr[0].strip(), attr[1][:20]]
    needles.append(detail.split(" ")[-1][:30])
    for needle in (n for n in needles if n and len(n) > 2):
        at = text.lower().find(needle.lower())
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1


def _replace_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step: Pagefind may be reading the file meanwhile."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
