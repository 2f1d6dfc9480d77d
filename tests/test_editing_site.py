"""Feedback and editing links on the built site: „Korrektur melden“, „Seite bearbeiten“, no request elsewhere."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from schulerfolg.load import load_project

ROOT = Path(__file__).resolve().parent.parent


class _AnyTag(yaml.SafeLoader):
    """Reads mkdocs.yml even with tags like !!python/name: or !ENV (their values are not needed here)."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)
REPO_URL = CONFIG["repo_url"].rstrip("/")


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "data", ROOT)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def correction_link(page: BeautifulSoup):
    links = [a for a in page.select("article a[href]") if a.get_text(strip=True) == "Korrektur melden"]
    assert len(links) == 1
    return urlparse(links[0]["href"])


def record_pages(project) -> list[tuple[str, str]]:
    pages = [(f"netzwerkstellen/{o.id}/", o.name) for o in project.offices]
    pages += [(f"schulen/{s.id}/", s.name) for s in project.schools]
    return [("koordinierungsstelle/", project.coordination.name), *pages]


def test_every_office_and_school_page_links_to_the_prefilled_correction_form(site: Path, project) -> None:
    for path, name in record_pages(project):
        link = correction_link(soup(site / path / "index.html"))
        assert f"{link.scheme}://{link.netloc}{link.path}" == f"{REPO_URL}/issues/new", path
        query = parse_qs(link.query)
        assert query["template"] == ["korrektur.yml"]
        assert query["seite"] == [CONFIG["site_url"] + path]
        assert query["title"] == [f"Korrektur: {name}"]
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "korrektur.yml").is_file()


def test_correction_link_warns_that_reports_are_public(site: Path) -> None:
    text = soup(site / "netzwerkstellen" / "harz" / "index.html").select_one(".ss-correction").get_text(" ", strip=True)
    assert "GitHub-Konto" in text and "öffentlich" in text


def test_content_pages_have_a_labelled_edit_link_to_their_markdown_file(site: Path) -> None:
    # docs/includes/ holds snippets (the glossary), excluded from the site by exclude_docs in mkdocs.yml
    sources = sorted(p for p in (ROOT / "docs").rglob("*.md") if p.relative_to(ROOT / "docs").parts[0] != "includes")
    assert len(sources) > 10
    for source in sources:
        rel = source.relative_to(ROOT / "docs").as_posix()
        is_index = rel == "index.md" or rel.endswith("/index.md")
        built = site / rel.replace(".md", ".html") if is_index else site / rel[:-3] / "index.html"
        edit = soup(built).select('a[rel~="edit"]')
        assert len(edit) == 1, rel
        assert edit[0]["href"] == f"{REPO_URL}/{CONFIG['edit_uri']}{rel}"
        assert edit[0].get_text(" ", strip=True) == "Seite bearbeiten"


def test_generated_pages_have_no_edit_link(site: Path, project) -> None:
    for path, _ in record_pages(project)[:20]:
        assert not soup(site / path / "index.html").select('a[rel~="edit"]'), path
    for path in ("schulen/", "netzwerkstellen/", "kontakt-finden/", "daten/"):
        assert not soup(site / path / "index.html").select('a[rel~="edit"]'), path


def test_no_page_embeds_the_repository_widget(site: Path) -> None:
    """Material's widget fetches stars and forks from api.github.com on every page view."""
    for path in site.rglob("*.html"):
        assert 'data-md-component="source"' not in path.read_text(encoding="utf-8"), path


def test_pages_with_editing_links_request_nothing_from_other_hosts(page, site_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in ("programm/", "netzwerkstellen/harz/", "qualitaetsstandards/05-schulabsentismus/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="Seite bearbeiten").count() == 1
    hosts = {urlparse(url).netloc for url in requests if not url.startswith("data:")}
    assert hosts == {urlparse(site_url).netloc}


def test_edit_and_correction_links_are_large_enough_to_tap(page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "netzwerkstellen/harz/")
    correction = page.get_by_role("link", name="Korrektur melden").bounding_box()
    page.goto(site_url + "programm/")
    edit = page.get_by_role("link", name="Seite bearbeiten").bounding_box()
    for box in (correction, edit):
        assert box is not None and box["height"] >= 44 and box["width"] >= 44


def test_every_office_and_school_page_shows_when_it_was_last_checked(site: Path, project) -> None:
    records = [project.coordination, *project.offices, *project.schools]
    for (path, _), record in zip(record_pages(project), records):
        text = soup(site / path / "index.html").select_one(".ss-checked").get_text(" ", strip=True)
        assert text.startswith(f"Stand: {record.checked_on:%d.%m.%Y}"), path
