"""The static gates (schulerfolg.qa.gates) over every file of the built site: nothing from other hosts,
only safe links, no executable markup, a CSP on every page, no broken internal link or anchor, no
live markup in data files, and no internal value in any file. Legal pages are linked from every page.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from schulerfolg.qa import gates
from schulerfolg.data.load import load_project
from schulerfolg.data.project import Project

RULES = {
    "privacy: nothing from another host": {"fremder-host"},
    "links: only https, http, mailto, tel": {"link-schema"},
    "security: no inline script, handler or javascript: URL": {"inline-script", "event-handler", "javascript-url", "srcdoc"},
    "security: a Content-Security-Policy on every page": {"csp"},
    "links: no broken internal link or anchor": {"toter-link", "toter-anker"},
    "security: no live markup in data files": {"markup-in-daten", "csv-formel", "vcard"},
}


@pytest.fixture(scope="module")
def built(site: Path) -> gates.Site:
    return gates.Site.read(site)


@pytest.fixture(scope="module")
def findings(built: gates.Site) -> list[gates.Finding]:
    return gates.site_findings(built)


def test_the_gates_read_the_whole_site(built: gates.Site) -> None:
    assert len(built.pages) > 390  # 355 schools, 14 offices, guide, legal pages, 404
    assert sum(1 for f in built.files if f.endswith(".css")) >= 3
    assert any(f.endswith(".json") for f in built.files)


@pytest.mark.parametrize("gate", RULES, ids=str)
def test_site_passes_gate(gate: str, findings: list[gates.Finding]) -> None:
    broken = [str(f) for f in findings if f.rule in RULES[gate]]
    assert broken == [], "\n".join(broken[:30])


def test_every_finding_belongs_to_a_gate(findings: list[gates.Finding]) -> None:
    assert {f.rule for f in findings} <= set().union(*RULES.values())


# --- personal data and internal notes -------------------------------------------------------------


def pdf_text(raw: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages)


EXTRACTORS = {".pdf": pdf_text}


def internal_values(project: Project) -> set[str]:
    """Values that must not be published: internal notes and the names of unpublished contact persons
    (without names that another record publishes with consent)."""
    records = (project.coordination, *project.offices, *project.schools)
    notes = {r.internal for r in records if r.internal}
    people = [r.contact_person for r in records if r.contact_person]
    published = {p.name for p in people if p.publish}
    hidden = {p.name for p in people if not p.publish} - published
    return notes | hidden


def test_internal_values_and_unpublished_names_reach_no_file(built: gates.Site) -> None:
    secrets = internal_values(load_project(ROOT / "data", ROOT))
    assert len(secrets) >= 5
    leaked = gates.leaks(built, secrets, EXTRACTORS)
    assert leaked == [], "\n".join(map(str, leaked[:20]))


# --- every page: footer with the legal pages, skip link ---------------------------------------------

LEGAL = {"impressum/", "datenschutz/", "barrierefreiheit/", "leichte-sprache/"}


def test_every_page_links_the_legal_pages_in_its_footer(built: gates.Site) -> None:
    missing = []
    for path, tags in built.pages.items():
        footer_links = {gates.resolve_target(path, t.attrs["href"])[0] for t in footer_anchors(tags)}
        expected = {f"{p}index.html" for p in LEGAL}
        if not expected <= footer_links:
            missing.append(f"{path}: {sorted(expected - footer_links)}")
    assert missing == [], missing[:10]


def footer_anchors(tags: list[gates.Tag]) -> list[gates.Tag]:
    start = next(i for i, t in enumerate(tags) if t.name == "footer")
    return [t for t in tags[start:] if t.name == "a" and "href" in t.attrs]


def test_every_page_has_a_skip_link_to_its_content(built: gates.Site) -> None:
    for path, tags in built.pages.items():
        # Material's own skip link (hidden by portal.css) may come first; ours precedes every other link.
        first_link = next(t for t in tags if t.name == "a" and t.get("class") != "md-skip")
        assert (first_link.get("href"), first_link.get("class")) == ("#inhalt", "md-skip ss-skip"), path
        assert "inhalt" in gates.element_ids(tags), path


# --- legal pages ---------------------------------------------------------------------------------------


def article_text(site: Path, page: str) -> str:
    from bs4 import BeautifulSoup

    html = (site / page / "index.html").read_text(encoding="utf-8")
    return " ".join(BeautifulSoup(html, "html.parser").select_one("article").get_text(" ").split())


def test_legal_pages_name_their_legal_basis_and_mark_what_is_unconfirmed(site: Path) -> None:
    imprint = article_text(site, "impressum")
    assert "§ 5 DDG" in imprint and "§ 18 Abs. 2 MStV" in imprint
    assert imprint.count("noch nicht bestätigt") >= 5
    privacy = article_text(site, "datenschutz")
    for promise in ("setzt keine Cookies", "keine Analyse- oder Tracking-Werkzeuge", "nichts von anderen Servern",
                    "Server-Protokolle"):
        assert promise in privacy, promise
    statement = article_text(site, "barrierefreiheit")
    for part in ("§ 16b BGG LSA", "§ 16d BGG LSA", "teilweise vereinbar", "Nicht barrierefreie Inhalte",
                 "Barrieren melden", "Zuletzt überprüft am: 29.11.2026"):
        assert part in statement, part
    easy = article_text(site, "leichte-sprache")
    assert "Was gibt es auf dieser Internet-Seite?" in easy and "Wie finde ich eine Ansprech-Person?" in easy


def test_accessibility_statement_names_the_axe_version_that_tests_run() -> None:
    import json

    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    assert f"axe-core (Version {pinned})" in (ROOT / "docs" / "barrierefreiheit.md").read_text(encoding="utf-8")
