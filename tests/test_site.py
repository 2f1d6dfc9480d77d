"""The built site, read back as a visitor's browser would get it (one build per test session)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from schulerfolg.data.load import load_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project():
    return load_project(ROOT / "data", ROOT)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def main_text(page: BeautifulSoup) -> str:
    return page.select_one("article.md-content__inner").get_text(" ", strip=True)


def test_one_page_per_office_and_school(site: Path, project) -> None:
    offices = [p for p in (site / "netzwerkstellen").iterdir() if (p / "index.html").exists()]
    schools = [p for p in (site / "schulen").iterdir() if (p / "index.html").exists()]
    assert len(offices) == 14
    assert len(schools) == len(project.schools) > 0
    assert {p.name for p in schools} == {s.id for s in project.schools}
    assert (site / "koordinierungsstelle" / "index.html").exists()
    for page in ("index.html", "programm/index.html", "kontakt-finden/index.html", "schulen/index.html",
                 "netzwerkstellen/index.html", "daten/index.html", "impressum/index.html"):
        assert (site / page).exists(), page


def test_every_page_is_german(site: Path) -> None:
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert re.search(r'<html[^>]*\blang="de"', html), path


def test_every_school_is_linked_from_its_office_page(site: Path, project) -> None:
    for office in project.offices:
        page_dir = site / "netzwerkstellen" / office.id
        page = soup(page_dir / "index.html")
        base = f"https://x.test/netzwerkstellen/{office.id}/"
        linked = {urlparse(urljoin(base, a["href"])).path for a in page.select("article a[href]")}
        expected = {f"/schulen/{s.id}/" for s in project.schools if s.office == office.id}
        assert expected <= linked, office.id


def test_office_page_shows_contact_area_and_source(site: Path, project) -> None:
    stendal = soup(site / "netzwerkstellen" / "stendal" / "index.html")
    text = main_text(stendal)
    assert stendal.select_one('a[href="mailto:schulsozialarbeit@landkreis-stendal.de"]')
    assert "Hospitalstraße 1-2" in text and "39576 Hansestadt Stendal" in text
    assert "Tangermünde" in text and "Stand: 02.12.2026" in text
    # Without a confirmed phone or mailbox, the page says so, names what stays unconfirmed and shows the
    # Jugendamt as the authority, apart from the Netzwerkstelle.
    harz_page = soup(site / "netzwerkstellen" / "harz" / "index.html")
    harz = main_text(harz_page)
    assert "noch nicht öffentlich bestätigt" in harz and "Koordinierungsstelle" in harz
    authority = harz_page.select_one(".ss-authority")
    assert authority is not None and "Zuständiges Jugendamt" in authority.get_text()
    assert "nicht die Netzwerkstelle" in authority.get_text()
    saalekreis = soup(site / "netzwerkstellen" / "saalekreis" / "index.html")
    assert saalekreis.select_one('.ss-authority a[href="tel:+493461401501"]')


def test_school_pages_say_they_are_demo_data(site: Path, project) -> None:
    for school in project.schools[:40]:
        page = soup(site / "schulen" / school.id / "index.html")
        assert page.h1.get_text(strip=True) == school.name
        assert "Beispieldaten" in main_text(page)
        office_link = page.select_one(f'article a[href$="netzwerkstellen/{school.office}/"]')
        assert office_link is not None


def test_unpublished_names_and_internal_notes_stay_out(site: Path, project) -> None:
    hidden = {s.contact_person.name for s in project.schools if s.contact_person and not s.contact_person.publish}
    shown = {s.contact_person.name for s in project.schools if s.contact_person and s.contact_person.publish}
    notes = {r.internal for r in (*project.schools, *project.offices, project.coordination) if r.internal}
    assert hidden and notes
    for school in project.schools:
        text = (site / "schulen" / school.id / "index.html").read_text(encoding="utf-8")
        person = school.contact_person
        if person and not person.publish:
            assert person.name not in text
        if person and person.publish:
            assert person.name in text
        if school.internal:
            assert school.internal not in text
    all_html = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    for note in notes:
        assert note not in all_html
    assert shown  # at least one published name proves the flag works both ways


def test_directory_has_a_page_per_region_that_lists_its_schools_by_type(site: Path, project) -> None:
    index = soup(site / "schulen" / "index.html")
    regions = [a["href"] for a in index.select("ul.ss-regions a[href]")]
    assert len(regions) == len({project.office_for_school(s).id for s in project.schools})
    assert not index.select("ul.ss-list a")  # the first page lists regions, not 355 schools
    listed: dict[str, str] = {}
    for href in regions:
        page = soup(site / "schulen" / href / "index.html")
        for a in page.select("ul.ss-list a[href]"):
            school_id = a["href"].rstrip("/").split("/")[-1]
            assert school_id not in listed, (school_id, href, listed.get(school_id))
            listed[school_id] = href
    assert set(listed) == {s.id for s in project.schools}
    halle = soup(site / "schulen" / "regionen" / "halle-saale" / "index.html")
    assert halle.find(id="halle-saale") is not None
    assert halle.find(id="halle-saale-grundschule") is not None
    for school in project.schools[:40]:
        office = project.office_for_school(school)
        page = soup(site / "schulen" / listed[school.id] / "index.html")
        assert page.select_one(f'.ss-lead a[href$="netzwerkstellen/{office.id}/"]') is not None, school.id


def test_no_navigation_entry_per_school(site: Path) -> None:
    """The 355 school pages must not be in the navigation that Material renders into every page."""
    start = soup(site / "index.html")
    nav_links = [a["href"] for a in start.select("nav.md-nav--primary a[href]")]
    assert not [h for h in nav_links if "/schulen/" in h and h.rstrip("/").count("/") > 1]
    assert len(nav_links) < 60


EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def test_no_resource_is_loaded_from_another_host(site: Path) -> None:
    offenders = []
    for path in site.rglob("*.html"):
        page = soup(path)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                          ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")):
            for el in page.find_all(tag):
                value = el.get(attr)
                if tag == "link" and "stylesheet" not in (el.get("rel") or []) and "preload" not in (el.get("rel") or []) \
                        and "icon" not in (el.get("rel") or []):
                    continue
                if value and EXTERNAL.match(value):
                    offenders.append(f"{path.relative_to(site)}: <{tag} {attr}={value}>")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8", errors="replace")):
            if EXTERNAL.match(url):
                offenders.append(f"{css.relative_to(site)}: url({url})")
    assert offenders == []


def test_data_page_shows_the_required_attributions(site: Path) -> None:
    text = main_text(soup(site / "daten" / "index.html"))
    assert "© GeoBasis-DE / BKG 2021 (Daten verändert)" in text
    assert "OpenStreetMap" in text and "ODbL" in text
    assert "GeoNames" in text and "CC BY 4.0" in text
