"""The same site built by Zensical (the successor of Material for MkDocs, which runs no MkDocs hooks):
``python portal build --generator zensical`` gives the same pages, finder, downloads, search index and
PDF as ``mkdocs build``; the main content of the pages is compared, with the accepted differences named
in ``site_compare.ACCEPTED``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from site_compare import ACCEPTED, exists, internal_links, main_content

THEME_FILES = re.compile(r"^(assets/javascripts/(bundle|workers/|lunr/|LICENSE)|assets/stylesheets/(main|palette|classic/|modern/)|"
                         r"search\.json$|sitemap\.xml\.gz$|.*\.map$)")
"""Files of the theme itself, which each generator brings in its own version."""
SAMPLED = ["index.html", "kontakt-finden/index.html", "netzwerkstellen/index.html", "netzwerkstellen/harz/index.html",
           "koordinierungsstelle/index.html", "schulen/index.html", "daten/index.html", "publikationen/index.html",
           "qualitaetsstandards/05-schulabsentismus/index.html", "impressum/index.html", "404.html"]


def zensical_build(project: Path, site_dir: Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os
    return subprocess.run([sys.executable, str(project / "portal"), "build", "--generator", "zensical", "--site-dir",
                           str(site_dir)], capture_output=True, text=True, cwd=project,
                          env={**os.environ, **(env_extra or {})}, timeout=900)


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zensical") / "site"
    result = zensical_build(ROOT, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
            and not p.relative_to(site).as_posix().startswith("pagefind/")}


def test_both_builds_write_the_same_pages_downloads_and_handbook(site: Path, zensical_site: Path) -> None:
    ours = {f for f in _files(site) if not THEME_FILES.match(f)}
    theirs = {f for f in _files(zensical_site) if not THEME_FILES.match(f)}
    assert ours == theirs, (sorted(ours - theirs)[:20], sorted(theirs - ours)[:20])
    for name in ("downloads/handbuch-qualitaetsstandards.pdf", "assets/finder/index.json", "daten/schulen.csv",
                 "netzwerkstellen/burgenlandkreis/burgenlandkreis.vcf"):
        assert name in theirs, name
    pdf = (zensical_site / "downloads/handbuch-qualitaetsstandards.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf == (site / "downloads/handbuch-qualitaetsstandards.pdf").read_bytes()
    for name in ("assets/finder/index.json", "daten/schulen.csv", "netzwerkstellen/burgenlandkreis/burgenlandkreis.vcf"):
        assert (zensical_site / name).read_bytes() == (site / name).read_bytes(), name


@pytest.mark.parametrize("page", SAMPLED)
def test_sampled_pages_have_the_same_main_content(site: Path, zensical_site: Path, page: str) -> None:
    """Text, structure, ids, classes, search facets and where every link leads: equal (``ACCEPTED`` aside)."""
    assert ACCEPTED
    assert main_content(zensical_site, page) == main_content(site, page)


def test_every_page_has_the_same_main_content(site: Path, zensical_site: Path) -> None:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 400
    differing = [p for p in pages if main_content(zensical_site, p) != main_content(site, p)]
    assert differing == []


def test_no_link_of_the_zensical_site_leads_nowhere(zensical_site: Path) -> None:
    broken = []
    for path in sorted(zensical_site.rglob("*.html")):
        page = path.relative_to(zensical_site).as_posix()
        if page.startswith("pagefind/"):
            continue
        broken += [f"{page} → {t}" for t in internal_links(zensical_site, page) if not exists(zensical_site, t)]
    assert broken == [], broken[:20]


def test_the_zensical_site_has_its_search_index_and_no_search_of_its_own(site: Path, zensical_site: Path) -> None:
    entry = json.loads((zensical_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    ours = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["de"]["page_count"] == ours["languages"]["de"]["page_count"] > 400
    start = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert "md-search" not in start and "search.json" not in start  # only the site's Pagefind search
    assert re.search(r"<head>\s*<meta http-equiv=\"Content-Security-Policy\"", start)


def test_values_for_head_are_escaped_under_zensical_too(tmp_path: Path) -> None:
    """Zensical prints front matter into <head> as it is; the prepared tree carries it escaped."""
    project = copy_project(tmp_path / "p")
    page = project / "docs" / "impressum.md"
    text = page.read_text(encoding="utf-8")
    page.write_text('---\ndescription: Fragen & "Antworten" zum Programm\n---\n' + text.split("---\n", 2)[-1]
                    if text.startswith("---\n") else '---\ndescription: Fragen & "Antworten" zum Programm\n---\n' + text,
                    encoding="utf-8")
    result = zensical_build(project, tmp_path / "site", {"PORTAL_SKIP": "pdf,search"})
    assert result.returncode == 0, result.stderr[-3000:]
    head = (tmp_path / "site" / "impressum" / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert 'content="Fragen &amp; &quot;Antworten&quot; zum Programm"' in head


def test_a_data_error_stops_the_zensical_build_with_the_german_message(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    networks = project / "data" / "networks.yaml"
    networks.write_text(networks.read_text(encoding="utf-8").replace('plz: "38486"', 'plz: "3848"', 1), encoding="utf-8")
    result = zensical_build(project, tmp_path / "site", {"PORTAL_SKIP": "pdf,search"})
    assert result.returncode == 1
    assert "data/networks.yaml:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("path, text, expected", [
    ("docs/angriff.md", '# Angriff\n\nText.\n\n<script>alert("xss")</script>\n', r"docs/angriff\.md:5: .*Skript"),
    ("docs/kontakt-finden.md", "# Ersatz\n\nDiese Seite ersetzt eine erzeugte.\n", r"docs/kontakt-finden\.md.*dieselbe Datei"),
])
def test_the_zensical_build_refuses_what_the_mkdocs_build_refuses(tmp_path: Path, path: str, text: str,
                                                                 expected: str) -> None:
    """The checks before rendering are the pipeline's, not a generator's: the same refusals, the site untouched."""
    project = copy_project(tmp_path / "p")
    (project / path).write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("vorher", encoding="utf-8")
    result = zensical_build(project, site, {"PORTAL_SKIP": "pdf,search"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(expected, result.stderr), result.stderr[-2000:]
    assert [p.name for p in site.iterdir()] == ["previous.html"]


def test_completing_a_page_twice_changes_nothing(site: Path) -> None:
    """The preview's watcher may meet a page it completed before: no second set of search facets."""
    from schulerfolg.pipeline.prepare import Build
    from schulerfolg.site.pages import complete_page
    from schulerfolg.site.sources import SourcePage

    build = Build.load(ROOT, make_pdf=False, make_search_index=False)
    html = (site / "index.html").read_text(encoding="utf-8")
    source = build.source_pages()["index.html"]
    assert isinstance(source, SourcePage)
    once = complete_page(html, "index.md", frozenset(), build.search_data(source, html))  # the built page: completed already
    twice = complete_page(once, "index.md", frozenset(), build.search_data(source, once))
    assert once == twice and once.count('data-pagefind-meta="title:') == 1
