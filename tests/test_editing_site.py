"""Feedback and editing links: one „Für die Redaktion“ place in the footer; links to the repository only once
mkdocs.yml names a real one; no request elsewhere."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import copy_project, run_mkdocs_build
from schulerfolg.data.load import load_project
from schulerfolg.site.urls import Feedback, configured_repo

ROOT = Path(__file__).resolve().parent.parent


class _AnyTag(yaml.SafeLoader):
    """Reads mkdocs.yml even with tags like !!python/name: or !ENV (their values are not needed here)."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)
REAL_REPO = "https://github.com/sachsen-anhalt-test/schulerfolg-wissensportal"


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "data", ROOT)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def record_pages(project) -> list[tuple[str, str]]:
    pages = [(f"netzwerkstellen/{o.id}/", o.name) for o in project.offices]
    pages += [(f"schulen/{s.id}/", s.name) for s in project.schools]
    return [("koordinierungsstelle/", project.coordination.name), *pages]


def built(site: Path, rel: str) -> Path:
    """The HTML file of a docs/ source: ``a/index.md`` → ``a/index.html``, ``a/b.md`` → ``a/b/index.html``."""
    is_index = rel == "index.md" or rel.endswith("/index.md")
    return site / rel.replace(".md", ".html") if is_index else site / rel[:-3] / "index.html"


def editorial(page: BeautifulSoup):
    boxes = page.select("footer .ss-editorial")
    assert len(boxes) == 1
    return boxes[0]


@pytest.mark.parametrize("url", [
    None, "", "https://github.com/example/schulerfolg-wissensportal", "https://github.com/Example/x/",
    "https://git.example.org/team/portal", "https://example.com/repo", "http://github.com/land/portal",
])
def test_a_missing_or_placeholder_repository_gives_no_feedback_links(url) -> None:
    assert configured_repo(url) is None
    assert Feedback.from_config(url, "https://portal.test/") is None


def test_a_real_repository_is_taken_as_it_is() -> None:
    assert configured_repo(REAL_REPO + "/") == REAL_REPO


def test_while_no_repository_is_configured_no_page_links_to_one(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 300
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "github.com/example" not in html, path
        assert "/issues/new" not in html and 'rel="edit' not in html, path


def test_every_page_says_in_its_footer_where_to_report_a_correction_without_an_account(site: Path) -> None:
    for path in [*sorted(site.glob("*/index.html")), site / "index.html", site / "schulen" / "index.html"]:
        box = editorial(soup(path))
        assert box.find(["h2"]).get_text(strip=True) == "Für die Redaktion", path
        here = "http://portal.test/" + path.relative_to(site).as_posix()
        targets = [urljoin(here, a["href"]) for a in box.select("a[href]")]
        assert "http://portal.test/koordinierungsstelle/" in targets, path
        assert box.find_parent(attrs={"data-pagefind-ignore": True}) is not None or box.has_attr("data-pagefind-ignore")
        # nothing of it inside the article, where visitors read
        assert not soup(path).select("article .ss-editorial, article a[rel~=edit]"), path


@pytest.fixture(scope="module")
def configured_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with a real repository and a confirmed mailbox (search and PDF left out: not needed)."""
    root = copy_project(tmp_path_factory.mktemp("configured") / "project")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("edit_uri:", f"repo_url: {REAL_REPO}\nedit_uri:", 1)
    config = config.replace('postfach: ""', 'postfach: "redaktion@portal.test"', 1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    # the newcomers' page another change brings: the start page links to it only once it exists
    (root / "docs" / "neu-in-der-schulsozialarbeit.md").write_text("# Neu in der Schulsozialarbeit\n\nText.\n",
                                                                   encoding="utf-8")
    out = root / "site"
    result = run_mkdocs_build(root, out, {"PORTAL_SKIP": "pdf,search"})
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def test_once_configured_every_record_page_links_to_the_prefilled_correction_form(configured_site: Path, project) -> None:
    for path, name in record_pages(project)[1:60]:  # offices and schools (the coordination is titled by the nav)
        links = [a for a in editorial(soup(configured_site / path / "index.html")).select("a[href]")
                 if a.get_text(strip=True) == "Korrektur melden"]
        assert len(links) == 1, path
        link = urlparse(links[0]["href"])
        assert f"{link.scheme}://{link.netloc}{link.path}" == f"{REAL_REPO}/issues/new", path
        query = parse_qs(link.query)
        assert query["template"] == ["korrektur.yml"]
        assert query["seite"] == [CONFIG["site_url"] + path]
        assert query["title"] == [f"Korrektur: {name}"]
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "korrektur.yml").is_file()


def test_once_configured_content_pages_have_one_edit_link_in_the_footer(configured_site: Path) -> None:
    # docs/includes/ holds snippets (the glossary), excluded from the site by exclude_docs in mkdocs.yml
    sources = sorted(p for p in (ROOT / "docs").rglob("*.md") if p.relative_to(ROOT / "docs").parts[0] != "includes")
    assert len(sources) > 10
    for source in sources:
        rel = source.relative_to(ROOT / "docs").as_posix()
        page = soup(built(configured_site, rel))
        edit = page.select('a[rel~="edit"]')
        assert len(edit) == 1, rel
        assert edit[0].find_parent(class_="ss-editorial") is not None, rel
        assert edit[0]["href"] == f"{REAL_REPO}/{CONFIG['edit_uri']}{rel}"
        assert edit[0].get_text(" ", strip=True) == "Seite bearbeiten"


def test_once_confirmed_the_mailbox_replaces_the_pointer_to_the_coordination(configured_site: Path) -> None:
    box = editorial(soup(configured_site / "programm" / "index.html"))
    mail = box.select_one('a[href^="mailto:"]')
    assert mail is not None and mail.get_text(strip=True) == "redaktion@portal.test"
    assert "subject=Korrektur" in mail["href"]


def test_generated_pages_have_no_edit_link(configured_site: Path, project) -> None:
    for path, _ in record_pages(project)[:20]:
        assert not soup(configured_site / path / "index.html").select('a[rel~="edit"]'), path
    for path in ("schulen/", "netzwerkstellen/", "kontakt-finden/", "daten/"):
        assert not soup(configured_site / path / "index.html").select('a[rel~="edit"]'), path


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
    hosts = {urlparse(url).netloc for url in requests if not url.startswith("data:")}
    assert hosts == {urlparse(site_url).netloc}


def test_every_office_and_school_page_shows_when_it_was_last_checked(site: Path, project) -> None:
    records = [project.coordination, *project.offices, *project.schools]
    for (path, _), record in zip(record_pages(project), records):
        text = soup(site / path / "index.html").select_one(".ss-checked").get_text(" ", strip=True)
        assert text.startswith(f"Stand: {record.checked_on:%d.%m.%Y}"), path


def test_the_start_page_links_to_the_newcomers_page_only_once_it_exists(site: Path, configured_site: Path) -> None:
    def newcomer_links(root: Path) -> list[str]:
        return [a["href"] for a in soup(root / "index.html").select("article a[href]")
                if "neu-in-der-schulsozialarbeit" in a["href"]]

    assert newcomer_links(site) == [] or (ROOT / "docs" / "neu-in-der-schulsozialarbeit.md").exists()
    assert newcomer_links(configured_site) == ["neu-in-der-schulsozialarbeit/"]
