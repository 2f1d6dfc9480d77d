"""The registry of what a build writes: every generated page and file, and where a page lands in the site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schulerfolg.data.problems import Problem
from schulerfolg.data.project import Project
from schulerfolg.site import finder, forms, opendata, urls
from schulerfolg.site.contactcard import has_vcard
from schulerfolg.site.files import vcard_uri
from schulerfolg.site.pages import school_region_sources
from schulerfolg.site.sources import EXCLUDED_DOCS, docs_files


@dataclass(frozen=True)
class DocsSite:
    """What links in docs/ may point to besides the Markdown files: generated pages and files.

    ``None`` means unknown (the data did not load): links to such targets are then not checked."""

    pages: frozenset[str] | None = None
    files: frozenset[str] | None = None


def generated_targets(project: Project, docs_dir: Path) -> DocsSite:
    """The generated pages (src_uri) and files (site path) of a build, without rendering them: what links
    in docs/ may point to besides docs/ itself (``validate`` uses it; a test compares it with a build)."""
    pages = {urls.OFFICES_INDEX, urls.COORDINATION, urls.SCHOOLS_INDEX, urls.FINDER, urls.DATA, urls.PUBLICATIONS}
    pages |= {urls.office_src(o.id) for o in project.offices} | {urls.school_src(s.id) for s in project.schools}
    pages |= school_region_sources(project)
    files = {finder.INDEX_URI, urls.HANDBOOK_PDF}
    files |= {f.docx_uri for f in forms.read_forms(docs_dir)}
    files |= {vcard_uri(project, o) for o in (*project.offices, project.coordination) if has_vcard(o)}
    files |= {d.uri(fmt) for d in opendata.datasets(project) for fmt in d.formats}
    return DocsSite(frozenset(pages), frozenset(files))


def docs_outputs(docs_dir: Path) -> list[tuple[str, str]]:
    """Every file of docs/ that reaches the site: (site path, „docs/<file>“), pages at their directory URL."""
    return [(page_dest(rel) if rel.endswith(".md") else rel, f"docs/{rel}") for rel, _ in docs_files(docs_dir)
            if not rel.startswith(EXCLUDED_DOCS)]


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
