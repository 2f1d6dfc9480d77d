"""Kontakt finden in a real browser: typing postcodes, places and schools shows the right offices."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from finder_lookup import FinderIndex, name_keys, query_keys, school_tokens, school_words
from schulerfolg.site.finder import PROGRAMME_OVERVIEW, index_json
from schulerfolg.data.load import load_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "data", ROOT)


def open_finder(page, site_url: str) -> None:
    page.goto(site_url + "kontakt-finden/")
    page.wait_for_function("() => window.SchulerfolgFinder !== undefined")
    page.evaluate("window.SchulerfolgFinder.ready")


def type_query(page, text: str) -> None:
    box = page.get_by_label("Postleitzahl, Ort oder Schule")
    box.fill("")
    box.press_sequentially(text)


def offices_shown(page) -> list[str]:
    return page.locator("[data-finder-results] .ss-finder__section").first.locator("a[href*='netzwerkstellen/']") \
        .evaluate_all("links => links.map(a => a.pathname)")


def office_names(page) -> list[str]:
    return [t.strip() for t in page.locator("[data-finder-results] [data-field=office-link]").all_inner_texts()]


@pytest.mark.parametrize(("query", "office", "place"), [
    ("39576", "Stendal", "Stendal"),
    ("Köthen", "Anhalt-Bitterfeld", "Köthen (Anhalt)"),
    ("Roßlau", "Dessau-Roßlau", "Roßlau"),
    ("Lieskau", "Saalekreis", "Lieskau"),
    ("Koethen", "Anhalt-Bitterfeld", "Köthen (Anhalt)"),
    ("Rosslau", "Dessau-Roßlau", "Roßlau"),
    ("Lutherstadt Wittenberg", "Wittenberg", "Wittenberg"),
    ("Halle", "Halle (Saale)", "Halle (Saale)"),
    ("Wittenbreg", "Wittenberg", "Wittenberg"),
    ("Stendl", "Stendal", "Stendal"),
    ("Landkreis Harz", "Harz", "Harz"),
])
def test_typing_a_postcode_or_place_shows_its_office(page, site_url: str, project, query: str, office: str, place: str) -> None:
    district = next(d for d in project.districts if d.name == office)
    expected = project.office_by_district[district.key]
    open_finder(page, site_url)
    type_query(page, query)
    card = page.locator("[data-finder-results] .ss-finder__card").first
    link = card.locator("[data-field=office-link]")
    expect(link).to_have_text(expected.name)
    assert link.evaluate("a => a.pathname") == f"/netzwerkstellen/{expected.id}/"
    expect(card.locator("[data-field=district]")).to_contain_text(district.name)
    expect(card.locator(".ss-finder__places li").first.locator("[data-field=name]")).to_have_text(place)
    if expected.email:
        expect(card.locator("a[href^='mailto:']").first).to_have_attribute("href", f"mailto:{expected.email}")
    expect(card.locator("a[data-field=page]")).to_have_attribute("href", expected.programme_page)
    # The map highlights the district of the result.
    assert page.locator(".ss-map a.is-match").evaluate_all("links => links.map(a => a.dataset.district)") == [district.key]


def test_a_postcode_of_two_districts_offers_both(page, site_url: str) -> None:
    open_finder(page, site_url)
    type_query(page, "06120")
    expect(page.locator(".ss-finder__notice")).to_contain_text("gilt in zwei Regionen")
    assert office_names(page)[:2] == ["Netzwerkstelle „Schulerfolg für Halle“",
                                      "Netzwerkstelle „Schulerfolg sichern“ im Saalekreis"]
    cards = page.locator("[data-finder-results] .ss-finder__list").first.locator(":scope > li")
    expect(cards.nth(0).locator(".ss-finder__places")).to_contain_text("Halle (Saale)")
    expect(cards.nth(1).locator(".ss-finder__places")).to_contain_text("Lieskau")
    assert sorted(page.locator(".ss-map a.is-match").evaluate_all("l => l.map(a => a.dataset.district)")) == ["15002", "15088"]
    # The schools with that postcode, each marked as demo data: their invented contacts are text, not links.
    school = page.locator("[data-finder-results] [data-field=school-link]").first
    expect(school).to_be_visible()
    item = page.locator("[data-finder-results] .ss-finder__card:has([data-field=school-link])").first
    expect(item.locator(".ss-badge")).to_have_text("Beispiel")
    expect(item).to_contain_text("Telefon (Beispiel)")
    expect(item.locator("a[href^='tel:'], a[href^='mailto:']")).to_have_count(0)


def test_a_postcode_outside_the_land_points_to_the_coordination(page, site_url: str) -> None:
    open_finder(page, site_url)
    type_query(page, "10115")
    notice = page.locator(".ss-finder__notice")
    expect(notice).to_contain_text("Zur Postleitzahl 10115 kennen wir keinen Ort in Sachsen-Anhalt")
    expect(page.get_by_role("status")).to_have_text("Zu dieser Postleitzahl kennen wir keinen Ort in Sachsen-Anhalt.")
    expect(page.locator(".ss-finder__card")).to_have_count(0)
    link = notice.get_by_role("link", name="Zur Landesweiten Koordinierungsstelle")
    link.click()
    page.wait_for_url("**/koordinierungsstelle/")


def test_a_school_name_leads_to_the_schools_page(page, site_url: str, project) -> None:
    school = next(s for s in project.schools if "Lerche" in s.name and "Köthen" not in s.name)
    open_finder(page, site_url)
    type_query(page, school.name.split(" (")[0])
    link = page.get_by_role("link", name=school.name)
    expect(link).to_have_count(1)
    link.click()
    page.wait_for_url(f"**/schulen/{school.id}/")
    assert page.locator("h1").inner_text() == school.name


def test_the_result_is_announced_politely(page, site_url: str) -> None:
    open_finder(page, site_url)
    status = page.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite"
    type_query(page, "Köthen")
    expect(status).to_have_text(re.compile(r"^1 zuständige Netzwerkstelle und \d+ Schulen gefunden\.$"))
    type_query(page, "Xyzabc")
    expect(status).to_contain_text("Nichts gefunden")
    expect(page.locator("[data-finder-results]")).to_contain_text("Kein Ort und keine Schule")


def test_keyboard_only(page, site_url: str) -> None:
    open_finder(page, site_url)
    for _ in range(40):  # from the top of the page to the search box with Tab alone
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "ss-finder-input":
            break
    else:
        pytest.fail("the search box is not reachable with Tab")
    page.keyboard.type("Koethen")
    expect(page.locator("[data-finder-results] [data-field=office-link]").first).to_be_visible()
    page.keyboard.press("Tab")  # the next stop after the box is the first result
    focused = page.evaluate("document.activeElement.closest('[data-finder-results]') !== null")
    assert focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Enter in the box jumps to the first result …
    assert page.evaluate("document.activeElement.pathname") == "/netzwerkstellen/anhalt-bitterfeld/"
    page.keyboard.press("Enter")  # … and Enter there follows it
    page.wait_for_url("**/netzwerkstellen/anhalt-bitterfeld/")


def test_map_districts_are_keyboard_links(page, site_url: str) -> None:
    open_finder(page, site_url)
    first = page.locator(".ss-map a").first
    first.focus()
    assert page.evaluate("document.activeElement.dataset.district") == first.get_attribute("data-district")
    name = page.evaluate("document.activeElement.querySelector('title').textContent")
    assert name == "Altmarkkreis Salzwedel"
    page.keyboard.press("Enter")
    page.wait_for_url("**/netzwerkstellen/altmarkkreis-salzwedel/")


@pytest.mark.parametrize("width", [360, 390])
def test_the_page_fits_a_phone(page, site_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 780})
    open_finder(page, site_url)
    type_query(page, "06120")
    expect(page.locator("[data-finder-results] .ss-finder__card").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator(".ss-finder__input").bounding_box()
    assert box["width"] >= width - 40 and box["height"] >= 44
    for link in page.locator("[data-finder-results] .ss-finder__card a").all()[:12]:
        if link.is_visible():
            assert link.bounding_box()["height"] >= 44, link.inner_text()


def test_without_javascript_the_list_is_there_and_the_box_is_not(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(site_url + "kontakt-finden/")
    expect(page.get_by_role("heading", name="Alle Netzwerkstellen mit ihren Gemeinden")).to_be_visible()
    expect(page.locator(".ss-region").filter(has_text="Köthen (Anhalt)")).to_be_visible()
    expect(page.get_by_text("Tangermünde").first).to_be_visible()
    expect(page.get_by_label("Postleitzahl, Ort oder Schule")).to_be_hidden()
    expect(page.locator(".ss-map a")).to_have_count(14)
    context.close()


def test_the_javascript_normalises_every_name_like_python(page, site_url: str, project) -> None:
    names = sorted({m.name for m in project.municipalities} | {v for m in project.municipalities for v in m.variants}
                   | {loc.name for m in project.municipalities for loc in m.localities})
    names += ["Ko\u0308then", "  HALLE (saa", "Lutherstadt-Wittenberg", "Zerbst/Anhalt", "Sankt Élan"]
    schools = [s.name for s in project.schools]
    open_finder(page, site_url)
    got = page.evaluate("""([names, schools]) => ({
        keys: names.map(n => window.SchulerfolgFinder.nameKeys(n)),
        queries: names.map(n => window.SchulerfolgFinder.queryKeys(n)),
        tokens: schools.map(n => window.SchulerfolgFinder.schoolTokens(n)),
        words: schools.map(n => window.SchulerfolgFinder.schoolWords(n)),
    })""", [names, schools])
    assert got["keys"] == [name_keys(n) for n in names]
    assert got["queries"] == [query_keys(n) for n in names]
    assert got["tokens"] == [school_tokens(n) for n in schools]
    assert got["words"] == [school_words(n) for n in schools]


def test_the_javascript_finds_what_python_finds(page, site_url: str, project) -> None:
    """Every postcode, municipality and Ortsteil, typos and school names: the same answer from both lookups."""
    index = FinderIndex(json.loads(index_json(project)))
    queries = sorted({code for m in project.municipalities for code in (*m.postcodes, *(l.postcode for l in m.localities))})
    queries += sorted({m.name for m in project.municipalities} | {loc.name for m in project.municipalities for loc in m.localities})
    queries += [d.name for d in project.districts] + ["Landkreis Börde", "Koethen", "Rosslau", "Wittenbreg", "Stendl", "Magdebrug", "Halle Saale", "10115", "0612", "", "K", "des",
                "Hansestadt Gardelegen", "Lutherstadt W", "39576 Stendal", *(s.name for s in project.schools[::5])]
    open_finder(page, site_url)
    got = page.evaluate("qs => qs.map(q => window.SchulerfolgFinder.search(q))", queries)
    expected = [index.search(q).as_json() for q in queries]
    mismatches = [(q, g, e) for q, g, e in zip(queries, got, expected) if g != e]
    assert mismatches == []


def test_a_link_with_a_query_opens_with_its_answer(page, site_url: str) -> None:
    page.goto(site_url + "kontakt-finden/?suche=Koethen")
    expect(page.get_by_label("Postleitzahl, Ort oder Schule")).to_have_value("Koethen")
    expect(page.locator("[data-finder-results] [data-field=office-link]").first).to_have_text(
        "Netzwerkstelle Schulerfolg im Landkreis Anhalt-Bitterfeld")
    type_query(page, "39576")
    assert page.evaluate("new URL(location.href).searchParams.get('suche')") == "39576"  # shareable, and kept on Back
    assert page.evaluate("document.activeElement.id") == "ss-finder-input"  # Material's search stayed closed


@pytest.mark.parametrize("width", [360, 1280])
def test_the_header_leads_to_the_finder_from_any_page(page, site_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 780})
    page.goto(site_url + "qualitaetsstandards/")
    link = page.get_by_role("link", name="Kontakt finden", exact=True).and_(page.locator("header a"))
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    label = page.locator(".ss-finder-link__label").bounding_box()
    assert (label["width"] > 20) == (width >= 720)  # the text shows from tablet width on; on phones the icon
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/kontakt-finden/")
    expect(page.get_by_label("Postleitzahl, Ort oder Schule")).to_be_visible()


# --- every district: something a parent can act on today ----------------------------------------

# One real place per district, chosen by hand (a town, not the district's name).
PLACE_PER_DISTRICT = {
    "altmarkkreis-salzwedel": "Gardelegen", "anhalt-bitterfeld": "Zerbst/Anhalt", "boerde": "Oschersleben (Bode)",
    "burgenlandkreis": "Zeitz", "harz": "Wernigerode", "jerichower-land": "Genthin", "mansfeld-suedharz": "Sangerhausen",
    "saalekreis": "Merseburg", "salzlandkreis": "Bernburg (Saale)", "stendal": "Tangermünde",
    "wittenberg": "Jessen (Elster)", "dessau-rosslau": "Roßlau", "halle-saale": "Halle (Saale)", "magdeburg": "Magdeburg",
}


def _demo_targets(project) -> set[str]:
    from schulerfolg.site.contactcard import tel_uri
    out = set()
    for s in project.schools:
        if s.demo:
            out |= {f"mailto:{s.email}"} if s.email else set()
            out |= {f"tel:{tel_uri(s.phone)}"} if s.phone else set()
    return out


def test_every_district_has_a_place(project) -> None:
    assert set(PLACE_PER_DISTRICT) == {o.id for o in project.offices}


@pytest.mark.parametrize("office_id", sorted(PLACE_PER_DISTRICT))
def test_a_real_place_of_each_district_answers_with_a_way_to_reach_someone(page, site_url: str, project,
                                                                            office_id: str) -> None:
    from schulerfolg.site.contactcard import tel_uri
    office = project.office_by_id[office_id]
    open_finder(page, site_url)
    type_query(page, PLACE_PER_DISTRICT[office_id])
    answer = page.locator("[data-finder-results] .ss-finder__section").first
    expect(answer.locator(".ss-finder__heading")).to_have_text("Zuständig für Ihren Ort")
    cards = answer.locator(".ss-finder__card")
    expect(cards).to_have_count(1)  # one clear answer
    card = cards.first
    expect(card.locator("[data-field=office-link]")).to_have_text(office.name)
    # Always: the office's official regional page (or, where none is confirmed, the programme's list of offices).
    label = "Übersicht der Netzwerkstellen" if office.programme_page == PROGRAMME_OVERVIEW else "Seite der Netzwerkstelle"
    expect(card.get_by_role("link", name=label)).to_have_attribute("href", office.programme_page)
    # Wherever a public source confirms one: a tel: or mailto: of the office or its Jugendamt, never demo data.
    confirmed = set()
    for record in (office, office.youth_office):
        if record is not None:
            confirmed |= {f"tel:{tel_uri(record.phone)}"} if record.phone else set()
            confirmed |= {f"mailto:{record.email}"} if record.email else set()
    shown = set(card.locator("a[href^='tel:'], a[href^='mailto:']").evaluate_all("ls => ls.map(a => a.href)"))
    assert not shown & _demo_targets(project)
    assert shown == confirmed
    if office.youth_office:
        youth = card.locator(".ss-finder__authority")
        expect(youth.get_by_role("heading", name="Zuständiges Jugendamt")).to_be_visible()
        expect(youth).to_contain_text(office.youth_office.name)
        expect(youth).to_contain_text("nicht die Netzwerkstelle")
    # And always the help numbers, tappable.
    expect(page.locator(".ss-help a[href='tel:116111']")).to_be_visible()


def test_with_the_keyboard_open_the_first_result_is_visible(page, site_url: str) -> None:
    """A phone with its on-screen keyboard open leaves about 500 px: typing must show an answer there."""
    page.set_viewport_size({"width": 390, "height": 500})
    open_finder(page, site_url)
    box = page.get_by_label("Postleitzahl, Ort oder Schule")
    box.click()
    box.press_sequentially("Köthen")
    name = page.locator("[data-finder-results] .ss-finder__card [data-field=office-link]").first
    expect(name).to_be_visible()
    top = name.bounding_box()["y"]
    assert 0 <= top and top + 30 <= 500, top


def test_on_a_phone_the_field_sits_right_under_the_title(page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_finder(page, site_url)
    title = page.locator("article h1").bounding_box()
    field = page.get_by_label("Postleitzahl, Ort oder Schule").bounding_box()
    assert field["y"] - (title["y"] + title["height"]) < 120
    assert field["y"] + field["height"] < 300


def test_start_page_postcode_answer_with_javascript(page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url)
    form = page.get_by_role("search", name="Kontakt finden").and_(page.locator("article form"))
    field = form.get_by_role("searchbox")
    assert field.bounding_box()["y"] < 844
    field.fill("39576")
    field.press("Enter")
    page.wait_for_url("**/kontakt-finden/?suche=39576")
    expect(page.get_by_label("Postleitzahl, Ort oder Schule")).to_have_value("39576")
    expect(page.locator("[data-finder-results] [data-field=office-link]").first).to_have_text(
        "Netzwerkstelle für den Schulerfolg im Landkreis Stendal")
    expect(page.locator("[data-finder-nojs]")).to_be_hidden()  # the no-JavaScript notice is gone


def test_start_page_postcode_answer_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url)
    field = page.locator("article form[role=search] input[name=suche]")
    field.fill("39576")
    field.press("Enter")
    page.wait_for_url("**/kontakt-finden/?suche=39576")
    # At the top: what to do without the search box, with jump links.
    notice = page.locator("[data-finder-nojs]")
    expect(notice).to_be_visible()
    assert notice.bounding_box()["y"] < 400
    expect(notice.get_by_role("link", name="Karte der Kreise")).to_have_attribute("href", "#karte")
    expect(notice.get_by_role("link", name="Liste nach Kreisen mit allen Orten")).to_have_attribute("href", "#verzeichnis")
    # Two taps to the answer: the postcode index, then the first three digits.
    notice.get_by_role("link", name="Nach Postleitzahl").click()
    page.get_by_role("link", name="395…", exact=True).click()
    entry = page.locator("#plz-39576")
    expect(entry).to_be_in_viewport()
    expect(entry).to_contain_text("Stendal")
    entry.get_by_role("link", name="Stendal").click()
    page.wait_for_url("**/netzwerkstellen/stendal/")
    context.close()
