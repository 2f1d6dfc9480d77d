"""MkDocs wiring: the only module that knows MkDocs. Each event delegates to the ``schulerfolg`` package.

Moving to another generator means rewriting this file, nothing else.
"""

from __future__ import annotations

import logging
import os
import posixpath
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from schulerfolg.build import Build, duplicate_outputs, page_dest, site_gate_problems
from schulerfolg.headmeta import escape_head_values
from schulerfolg.handbook import DOWNLOAD, HandbookError
from schulerfolg.options import BuildOptions
from schulerfolg.pages import insert_start_form
from schulerfolg.pdf import PdfError
from schulerfolg.problems import DataError, format_problems
from schulerfolg.publish import StagedSite
from schulerfolg.search import IndexReport, SearchIndexError
from schulerfolg.urls import Feedback

log = logging.getLogger("mkdocs.hooks.schulerfolg")
BUILD_ERRORS = (DataError, HandbookError, PdfError, SearchIndexError, ValueError)
_build: Build | None = None  # per-build state, made fresh in on_config (hooks are not reloaded by `mkdocs serve`)
_staged: StagedSite | None = None  # the folder this build writes to until it is complete
_command = "build"  # "build", "gh-deploy" or "serve" (serve builds into its own temp folder)
_dirty = False
_docs_sources: dict[str, tuple[str, str]] = {}  # site path of a docs/ page → (docs/<file>, its text), for the gates


class _WrittenByHook(File):
    """A file that on_post_build writes into site/ itself; registered so that MkDocs checks links to it."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty  # `mkdocs serve` skips the PDF handbook: seconds per rebuild while editing


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    if _build is not None:
        _build.cancel()  # a rebuild under `mkdocs serve`: the previous search index may still be running
    root = Path(config.config_file_path).parent
    _docs_sources.clear()
    feedback = Feedback.from_config(config.repo_url, config.site_url)
    if feedback is None:  # no repository yet, or the placeholder: no edit link, no repository link anywhere
        config.repo_url = None
        config.edit_uri = None
    try:
        options = BuildOptions.from_environment(os.environ, serve=_command == "serve")  # PORTAL_SKIP, PORTAL_PDF_CACHE
        _build = Build.load(root, config.site_url or "", make_pdf=options.make_pdf, feedback=feedback,
                            make_search_index=options.make_search_index, pdf_cache=options.pdf_cache)
    except BUILD_ERRORS as error:
        raise PluginError(str(error)) from None
    _stage(config)
    for problem in _build.warnings:
        log.warning(str(problem))
    return config


def _stage(config: MkDocsConfig) -> None:
    """Build into a staging folder beside site_dir; on_post_build puts it in place (not for serve or --dirty)."""
    global _staged
    _staged = None
    if _command != "serve" and not _dirty:
        _staged = StagedSite.begin(Path(config.site_dir), logging.getLogger("mkdocs"))
        config.site_dir = str(_staged.staging)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The generated pages and files join docs/; first the pages in docs/ are checked (``docscheck``), and
    two sources that would write the same file of the site stop the build (no silent replacement)."""
    assert _build is not None
    problems = _build.check_docs()
    if any(not p.warning for p in problems):
        raise PluginError(format_problems(problems, "Die Seiten in docs/")) from None
    outputs = [(f.dest_uri, f"docs/{f.src_uri}") for f in files]
    new: list[File] = []
    for page in _build.pages():
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        new.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
        outputs.append((page_dest(page.src_uri), f"die erzeugte Seite {page.src_uri}"))
    for generated in _build.files():
        new.append(File.generated(config, generated.uri, content=generated.content))
        outputs.append((generated.uri, f"die erzeugte Datei {generated.uri}"))
    new.append(_WrittenByHook.generated(config, DOWNLOAD, content=b""))
    outputs.append((DOWNLOAD, "das PDF-Handbuch"))
    clashes = duplicate_outputs(outputs)
    if clashes:
        raise PluginError(format_problems(clashes, "Die Seiten und Daten")) from None
    for file in new:
        files.append(file)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Title, description and author reach <head> unescaped in Material's templates: escaped here, for every
    page. Pages from docs/ were checked before (no markup there at all); generated ones carry data."""
    page.meta = escape_head_values(page.meta)
    if page.file.generated_by is None and page.file.abs_src_path:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8", errors="replace")
        _docs_sources[page.file.dest_uri] = (f"docs/{page.file.src_uri}", text)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return insert_start_form(html, page.file.src_uri)  # the contact search at its marker in docs/index.md


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    # "theme/…": the theme without our overrides, so that overrides/partials/nav.html can wrap Material's own
    env.loader = ChoiceLoader([PrefixLoader({"theme": FileSystemLoader(config.theme.dirs[1:])}), env.loader])
    env.globals["nav_cache"] = {}  # rendered navigation by folder; MkDocs makes a fresh env for every build
    # which pages exist: the theme links to a page only once it is there (overrides/partials/content.html)
    env.globals["site_pages"] = frozenset(f.src_uri for f in files.documentation_pages())
    return env


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    assert _build is not None
    # Pages outside the nav share their folder's rendered navigation (overrides/partials/nav.html)
    context["nav_cache_key"] = None if page in nav.pages else posixpath.dirname(page.url.rstrip("/"))
    # „Korrektur melden“ in the footer (overrides/main.html), only once the repository is configured
    feedback = _build.feedback
    context["correction_url"] = feedback.correction_url(page.file.src_uri, page.title or "") if feedback else None
    try:
        context["search_data"] = _build.search_data(page.file.src_uri, page.meta, page.title or "", page.content or "")
    except BUILD_ERRORS as error:
        raise PluginError(str(error)) from None
    return context


@event_priority(-100)  # last: after every plugin has written its files into the staging folder
def on_post_build(config: MkDocsConfig) -> None:
    assert _build is not None
    # Under `mkdocs serve` the browser reloads at once; the search index follows and is logged when done.
    background = _log_index if _command == "serve" else None
    try:
        gates = (lambda: _run_gates(Path(config.site_dir))) if _staged is not None else None
        warnings, report = _build.finish(Path(config.site_dir), when_indexed=background, meanwhile=gates)
    except BUILD_ERRORS as error:
        raise PluginError(str(error)) from None
    for warning in warnings:
        log.warning(f"PDF-Handbuch: {warning}")
    for note in _build.notes:
        log.info(f"PDF-Handbuch: {note}")
    if report is not None:
        _log_index(report)
    if _staged is not None:
        config.site_dir = str(_staged.target)
        if _staged.commit(strict=config.strict):
            log.info(f"Fertige Website nach {_staged.target} verschoben.")
        else:
            log.error("Die Website wurde wegen Warnungen im strict-Modus nicht aktualisiert.")


def _run_gates(site_dir: Path) -> None:
    """The site's gates over the staged site, before it is put in place: what the tests would refuse
    (scripts, handlers, javascript: links, other hosts, a missing CSP, …) the build refuses."""
    problems = site_gate_problems(site_dir, _docs_sources)
    if problems:
        raise PluginError(format_problems(problems, "Die gebaute Website"))


def _log_index(outcome: IndexReport | SearchIndexError) -> None:
    if isinstance(outcome, SearchIndexError):
        log.error(str(outcome))
    else:
        log.info("Suchindex: %d Seiten in %s", outcome.pages, outcome.bundle)


def on_build_error(error: Exception) -> None:
    if _build is not None:
        _build.cancel()
    if _staged is not None:
        _staged.discard()


def on_shutdown() -> None:
    if _build is not None:
        _build.cancel()  # `mkdocs serve` stopped while the search index was still being made
    if _staged is not None and _staged.staging.exists():
        _staged.discard()
