"""Build switches (PORTAL_SKIP, PORTAL_PDF_CACHE) and what the faster build must keep exactly as it was:
the PDF's size on the Publikationen page, the navigation on pages outside the nav, search under serve."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ROOT, run_mkdocs_build
from schulerfolg.handbook import book as handbook
from schulerfolg.pipeline.options import BuildOptions
from schulerfolg.site.pages import PDF_PAGES_PENDING, PDF_SIZE_PENDING, de_size, fill_publications


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --- the switches ----------------------------------------------------------------------------------


def test_by_default_everything_is_made() -> None:
    assert BuildOptions.from_environment({}) == BuildOptions(make_pdf=True, make_search_index=True, pdf_cache=True)


def test_the_switches_leave_out_pdf_and_search_or_bypass_the_cache() -> None:
    options = BuildOptions.from_environment({"PORTAL_SKIP": " PDF , search", "PORTAL_PDF_CACHE": "off"})
    assert options == BuildOptions(make_pdf=False, make_search_index=False, pdf_cache=False)
    assert BuildOptions.from_environment({"PORTAL_SKIP": "search"}).make_pdf


def test_serve_never_makes_the_pdf() -> None:
    assert not BuildOptions.from_environment({}, serve=True).make_pdf
    assert BuildOptions.from_environment({}, serve=True).make_search_index


@pytest.mark.parametrize("environ, name", [({"PORTAL_SKIP": "pdf,index"}, "PORTAL_SKIP"),
                                           ({"PORTAL_PDF_CACHE": "aus"}, "PORTAL_PDF_CACHE")])
def test_an_unknown_value_is_named_in_german(environ: dict[str, str], name: str) -> None:
    with pytest.raises(ValueError, match=f"^{name}: Unbekannter Wert") as raised:
        BuildOptions.from_environment(environ)
    assert "Erlaubt sind" in str(raised.value)


def test_the_site_alone_has_no_pdf_and_no_index_and_says_how_to_get_the_pdf(tmp_path: Path) -> None:
    result = run_mkdocs_build(ROOT, tmp_path / "site", {"PORTAL_SKIP": "pdf,search"})
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"
    assert (site / "index.html").is_file()
    assert not (site / "pagefind").exists()
    assert not (site / handbook.DOWNLOAD).exists()
    assert "mkdocs build" in soup(site / "publikationen" / "index.html").article.get_text(" ")


# --- the Publikationen page does not wait for the PDF -----------------------------------------------


def test_placeholders_are_filled_with_size_and_pages() -> None:
    html = f"<p>(PDF, {PDF_SIZE_PENDING}, {PDF_PAGES_PENDING} Seiten)</p>"
    assert fill_publications(html, 344_269, 62) == "<p>(PDF, 344 kB, 62 Seiten)</p>"
    with pytest.raises(ValueError, match="Platzhalter"):
        fill_publications("<p>(PDF)</p>", 1, 1)


def test_an_uncached_pdf_still_shows_its_size_and_pages(tmp_path: Path) -> None:
    """The page is written with placeholders while the PDF is made; the build fills them in."""
    result = run_mkdocs_build(ROOT, tmp_path / "site", {"PORTAL_PDF_CACHE": "off"})
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"
    pdf = site / handbook.DOWNLOAD
    page = (site / "publikationen" / "index.html").read_text(encoding="utf-8")
    text = BeautifulSoup(page, "html.parser").article.get_text(" ", strip=True)
    assert f"PDF, {de_size(pdf.stat().st_size)}, {len(PdfReader(pdf).pages)} Seiten" in text
    assert "%%" not in page
    assert not list((site / "publikationen").glob(".*"))  # no temporary file left behind


# --- the navigation rendered once per folder ---------------------------------------------------------


@pytest.mark.parametrize("page", ["schulen/gs-am-quellgrund-dessau-rosslau/index.html",
                                  "netzwerkstellen/harz/index.html", "impressum/index.html", "daten/index.html"])
def test_the_navigation_of_pages_outside_it_leads_to_the_right_pages(site: Path, page: str) -> None:
    base = "https://x.test/" + page.removesuffix("index.html")
    nav = soup(site / page).select_one("nav.md-nav--primary")
    targets = [urljoin(base, a["href"]) for a in nav.select("a[href]") if not a["href"].startswith("http")]
    assert len(targets) > 10
    for target in targets:
        path = site / target.removeprefix("https://x.test/").split("#")[0]
        assert (path / "index.html" if target.endswith("/") else path).is_file(), f"{page}: {target}"
    assert not nav.select(".md-nav__link--active")


def test_a_page_in_the_navigation_is_marked_active(site: Path) -> None:
    nav = soup(site / "qualitaetsstandards" / "07-kinderschutz" / "index.html").select_one("nav.md-nav--primary")
    assert "Kinderschutz" in nav.select_one(".md-nav__link--active").get_text()


# --- mkdocs serve ------------------------------------------------------------------------------------


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def test_under_serve_the_search_index_follows_the_page(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for name in ("docs", "data", "hooks", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                  stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        deadline = time.monotonic() + 120
        while "Suchindex:" not in log.read_text() and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.2)
        assert re.search(r"Suchindex: \d+ Seiten", log.read_text()), log.read_text()[-3000:]
        assert '"page_count":' in _get(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
