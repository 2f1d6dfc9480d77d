"""Finish: after a generator has rendered the site: pages completed, search index, PDF, gates, publish."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from schulerfolg.data.problems import DataError, Problem
from schulerfolg.handbook import book as handbook
from schulerfolg.pipeline.prepare import Build
from schulerfolg.pipeline.publish import StagedSite
from schulerfolg.qa.site import site_gate_problems
from schulerfolg.search.index import IndexJob, IndexReport, SearchIndexError
from schulerfolg.site import urls
from schulerfolg.site.pages import complete_page, fill_publications


class GateError(DataError):
    """The built site failed a gate; ``problems`` name the docs/ file and line where known."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, "Die gebaute Website")


@dataclass
class Outcome:
    """What the finish step did."""

    index: IndexReport | None = None  # None: no index, or it is still running (``when_indexed``)
    published: bool | None = None  # None: not staged (serve); False: refused in strict mode
    pdf_warnings: list[str] = field(default_factory=list)


def complete_pages(build: Build, site_dir: Path) -> int:
    """Every rendered page gets what no template makes (``pages.complete_page``); the pages changed."""
    sources = build.source_pages()
    page_names = frozenset(page.src_uri for page in sources.values())
    changed = 0
    for dest, page in sources.items():
        path = site_dir / dest
        if not path.is_file():
            continue  # a page the generator left out (e.g. a draft): nothing to complete
        html = path.read_text(encoding="utf-8")
        completed = complete_page(html, page.src_uri, page_names, build.search_data(page, html))
        if completed != html:
            _replace_text(path, completed)
            changed += 1
    return changed


def finish(build: Build, site_dir: Path, log: logging.Logger, staged: StagedSite | None = None,
           strict: bool = False, when_indexed: Callable[[IndexReport | SearchIndexError], None] | None = None
           ) -> Outcome:
    """The steps after rendering, on the site in ``site_dir`` (the staging folder unless ``staged`` is None).

    The search index and the PDF run side by side in their own processes; meanwhile the gates check the
    staged site (not under serve). Warnings are logged to ``log`` before the site is put in place, so that
    a strict build refuses them. With ``when_indexed`` nothing waits for the index (serve): its outcome
    goes to that function. Raises ``GateError``, ``SearchIndexError`` or ``PdfError``; the staged folder
    is then removed and the previous site left as it was.
    """
    outcome = Outcome()
    try:
        complete_pages(build, site_dir)
        build.indexing = IndexJob.start(site_dir) if build.make_search_index else None
        if staged is not None:
            problems = site_gate_problems(site_dir, {dest: (page.origin, page.text)
                                                     for dest, page in build.source_pages().items()
                                                     if not page.generated})
            if problems:
                raise GateError(problems)
        outcome.pdf_warnings = write_handbook(build, site_dir)
        for warning in outcome.pdf_warnings:
            log.warning(f"PDF-Handbuch: {warning}")
        for note in build.notes:
            log.info(f"PDF-Handbuch: {note}")
        if build.indexing is not None:
            if when_indexed is not None:
                build.indexing.notify(when_indexed)
            else:
                outcome.index = build.indexing.result()
                log.info("Suchindex: %d Seiten in %s", outcome.index.pages, outcome.index.bundle)
    except BaseException:
        build.cancel()
        if staged is not None:
            staged.discard()
        raise
    if staged is not None:
        outcome.published = staged.commit(strict=strict)
        if outcome.published:
            log.info(f"Fertige Website nach {staged.target} verschoben.")
        else:
            log.error("Die Website wurde wegen Warnungen im strict-Modus nicht aktualisiert.")
    return outcome


def write_handbook(build: Build, site_dir: Path) -> list[str]:
    """Wait for the PDF, copy it into the site and fill in its size on the Publikationen page."""
    if build.handbook is None:
        return []
    result = build.handbook.result()
    target = site_dir / handbook.DOWNLOAD
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(result.path, target)
    build.handbook.discard()  # a result with warnings is not kept in the cache
    build.notes = result.notes
    if build.publications_pending:
        page = site_dir / urls.page_url(urls.PUBLICATIONS) / "index.html"
        _replace_text(page, fill_publications(page.read_text(encoding="utf-8"), result.size, result.pages))
    return result.warnings


def _replace_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step: Pagefind may be reading the file meanwhile."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
