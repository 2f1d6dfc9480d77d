"""The built finder page, office pages and contact cards, read back as HTML and text."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from schulerfolg.site.contactcard import json_for_script, office_jsonld, vcard
from schulerfolg.data.load import load_project
from schulerfolg.data.model import Office

from page_kinds import PAGE_KINDS

ROOT = Path(__file__).resolve().parent.parent
FINDER_URL = "https://x.test/kontakt-finden/"


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "data", ROOT)


@pytest.fixture(scope="module")
def finder_page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "kontakt-finden" / "index.html").read_text(encoding="utf-8"), "html.parser")


def site_path(base: str, href: str) -> str:
    return urlparse(urljoin(base, href)).path


def test_the_list_without_javascript_has_every_office_municipality_and_postcode(finder_page, project) -> None:
    heading = finder_page.find(id="verzeichnis")
    sections = heading.find_all_next("section", class_="ss-region")
    assert len(sections) == 14
    for office in project.offices:
        district = project.district_by_key[office.district]
        section = finder_page.find("section", attrs={"aria-labelledby": f"region-{office.id}"})
        link = section.find("h3").find("a")
        assert link.get_text(strip=True) == district.name
        assert site_path(FINDER_URL, link["href"]) == f"/netzwerkstellen/{office.id}/"
        text = section.get_text(" ", strip=True)
        for m in project.municipalities_by_district[office.district]:
            assert m.name in text
            for code in m.postcodes:
                assert code in text
            for loc in m.localities:
                assert loc.name in text


def test_the_search_box_is_labelled_and_announces_politely(finder_page) -> None:
    box = finder_page.select_one("[data-finder] input[type=search]")
    label = finder_page.find("label", attrs={"for": box["id"]})
    assert label.get_text(strip=True) == "Postleitzahl, Ort oder Schule"
    status = finder_page.select_one("[data-finder-status]")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    # Visitors without JavaScript see no dead search box: test_browser_finder.py, "without JavaScript".
    script = finder_page.find("script", src=lambda s: s and s.endswith("finder.js"))
    assert site_path(FINDER_URL, script["src"]) == "/assets/javascripts/finder.js"
    index = finder_page.select_one("[data-finder]")["data-index"]
    assert site_path(FINDER_URL, index) == "/assets/finder/index.json"
    templates = {t["data-finder-template"] for t in finder_page.find_all("template")}
    assert templates == {"offices", "more", "office", "place", "place-entry", "schools", "school", "choice",
                         "outside", "none"}


def test_the_map_links_every_district_to_its_office(finder_page, project, site: Path) -> None:
    svg = finder_page.select_one("figure.ss-map svg")
    links = svg.select("a[data-district]")
    assert len(links) == 14
    for link in links:
        office = project.office_by_district[link["data-district"]]
        assert link.find("title").get_text() == project.district_by_key[office.district].name
        path = site_path(FINDER_URL, link["href"])
        assert path == f"/netzwerkstellen/{office.id}/" and (site / path.strip("/") / "index.html").exists()
        assert link.find("path")["d"].startswith("M")
    saalekreis = svg.select_one('a[data-district="15088"] path')
    assert saalekreis["fill-rule"] == "evenodd" and saalekreis["d"].count("M") == 2  # the hole for Halle
    caption = finder_page.select_one("figure.ss-map figcaption").get_text(" ", strip=True)
    assert "© GeoBasis-DE / BKG 2021 (Daten verändert)" in caption


def test_the_index_is_published(site: Path) -> None:
    data = json.loads((site / "assets" / "finder" / "index.json").read_text(encoding="utf-8"))
    assert len(data["offices"]) == 14 and len(data["municipalities"]) == 218


# --- office pages: JSON-LD and vCard ------------------------------------------------------------------


def _jsonld(page: BeautifulSoup) -> dict:
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_office_pages_describe_the_office_in_json_ld(site: Path, project) -> None:
    for office in project.offices:
        html = (site / "netzwerkstellen" / office.id / "index.html").read_text(encoding="utf-8")
        data = _jsonld(BeautifulSoup(html, "html.parser"))
        district = project.district_by_key[office.district]
        assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
        assert data["name"] == office.name
        assert data["areaServed"] == {"@type": "AdministrativeArea", "name": district.name, "identifier": district.key}
        assert data["contactPoint"]["@type"] == "ContactPoint"
        assert data["contactPoint"].get("email") == office.email
        if office.internal:
            assert office.internal not in html
    stendal = _jsonld(BeautifulSoup((site / "netzwerkstellen" / "stendal" / "index.html").read_text(), "html.parser"))
    assert stendal["address"]["postalCode"] == "39576"  # the Kreis's own postcode (the programme page prints 39567)


def test_json_ld_cannot_end_its_script_element() -> None:
    office = Office.model_validate({
        "id": "x", "name": "Stelle </script><script>alert(1)</script> & Co", "kreis": "15001",
        "quelle": {"url": "https://example.org/", "titel": "t"}, "geprueft_am": "2026-01-01",
    })
    text = str(json_for_script(office_jsonld(office, None, "d")))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == office.name


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_every_office_with_something_to_save_has_a_vcard_4_with_public_fields_only(site: Path, project) -> None:
    with_card = 0
    for office in (*project.offices, project.coordination):
        page_dir = site / ("koordinierungsstelle" if office is project.coordination else f"netzwerkstellen/{office.id}")
        page = BeautifulSoup((page_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
        link = page.select_one(".ss-vcard a[download]")
        if not (office.phone or office.email or office.street or office.postcode):
            # Nothing to save: no empty card, and no link promising one.
            assert link is None and not (page_dir / f"{office.id}.vcf").exists(), office.id
            continue
        with_card += 1
        raw = (page_dir / link["href"]).read_bytes()
        text = raw.decode("utf-8")
        assert "\n" not in text.replace("\r\n", "")
        assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
        lines = _unfold(text)
        assert lines[:3] == ["BEGIN:VCARD", "VERSION:4.0", "KIND:org"] and lines[-2:] == ["END:VCARD", ""]
        assert f"FN:{office.name}".replace(",", "\\,") in lines
        if office.email:
            assert f"EMAIL;TYPE=work:{office.email}" in lines
        if office.phone:
            assert any(line.startswith("TEL;VALUE=uri") and line.endswith("tel:+49" + office.phone.replace(" ", "").replace("-", "")[1:])
                       for line in lines)
        if office.internal:
            assert office.internal not in text
    assert with_card >= 7


def test_vcard_escapes_text_and_folds_long_lines() -> None:
    office = Office.model_validate({
        "id": "x", "name": "Netzwerkstelle; Süd, Ost \\ " + "ä" * 60, "kreis": "15001", "telefon": "0345 1234-5",
        "quelle": {"url": "https://example.org/", "titel": "t"}, "geprueft_am": "2026-01-01",
        "ansprechperson": {"name": "Geheim Person", "veroeffentlichen": False}, "intern": "nur intern",
    })
    text = vcard(office, "Notiz")
    lines = _unfold(text)
    assert "FN:Netzwerkstelle\\; Süd\\, Ost \\\\ " + "ä" * 60 in lines
    assert 'TEL;VALUE=uri;TYPE="work,voice":tel:+4934512345' in lines
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert "Geheim" not in text and "intern" not in text


@pytest.mark.parametrize("kind", [k for k in PAGE_KINDS if k.prepare is None], ids=str)
def test_every_page_links_the_finder_from_its_header(site: Path, kind) -> None:
    file = site / kind.path if kind.path.endswith(".html") else site / kind.path / "index.html"
    link = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").select_one("header.md-header nav a.ss-finder-link")
    assert link is not None and link.get_text(" ", strip=True) == "Kontakt finden"
    assert site_path("https://x.test/" + kind.path, link["href"]).endswith("/kontakt-finden/")
    assert (link.get("aria-current") == "page") == (kind.path == "kontakt-finden/")


# --- demo data is never clickable, anywhere in the site -------------------------------------------


def _demo_links(project) -> set[str]:
    """Every tel:/mailto: target a demo record's contact would make (as typed and in E.164 form)."""
    from schulerfolg.site.contactcard import tel_uri
    targets = set()
    for school in project.schools:
        if not school.demo:
            continue
        if school.email:
            targets.add(f"mailto:{school.email}".lower())
        if school.phone:
            targets.update({f"tel:{tel_uri(school.phone)}", f"tel:{school.phone}".replace(" ", "")})
    return targets


def test_no_demo_contact_is_a_link_anywhere_in_the_site(site: Path, project) -> None:
    import re
    targets = _demo_links(project)
    assert len(targets) > 300  # the demo schools do carry contacts: the check has something to find
    link = re.compile(r"(?:tel|mailto):[^\s\"'<>),;]+", re.I)
    offenders, scanned = [], 0
    for path in site.rglob("*"):
        if path.suffix not in {".html", ".vcf", ".json", ".js", ".xml", ".csv"} or not path.is_file():
            continue
        scanned += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [(str(path.relative_to(site)), m) for m in link.findall(text)
                      if m.lower().rstrip(".") in targets or m.replace(" ", "").lower() in targets]
    assert scanned > 300
    assert offenders == []


def test_a_demo_school_page_shows_its_contacts_as_marked_text(site: Path, project) -> None:
    school = next(s for s in project.schools if s.demo and s.phone and s.email)
    page = BeautifulSoup((site / "schulen" / school.id / "index.html").read_text(encoding="utf-8"), "html.parser")
    card = page.select_one(".ss-card")
    text = card.get_text(" ", strip=True)
    assert school.phone in text and school.email in text and "Beispiel" in text
    assert not card.select("a[href^='tel:'], a[href^='mailto:']")
    assert not page.select("script[type='application/ld+json']")  # no structured data for a fictitious school


def test_help_numbers_are_tappable_on_the_finder_and_the_coordination_page(site: Path) -> None:
    for path in ("kontakt-finden/index.html", "koordinierungsstelle/index.html"):
        page = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        hrefs = {a["href"] for a in page.select(".ss-help a")}
        assert {"tel:116111", "tel:+498001110550", "tel:110", "tel:112"} <= hrefs, path
        assert "Nummer gegen Kummer" in page.select_one(".ss-help").get_text()
