"""Search that opens at the answer: a result links to the section that matches (Pagefind's sub-results
and their #anchors), the page it opens marks the terms (Pagefind's highlight script from this site's own
bundle), excerpts hold no interface text, and a postcode or place hands over to the contact finder."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

UI_TEXT = ("Seite bearbeiten", "Korrektur melden", "Kontakt speichern", "vCard", "Für die Redaktion", "¶",
           "Link zu diesem Abschnitt", "Postleitzahl, Ort oder Schule")


@pytest.fixture()
def search(page, site_url: str):
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(site_url)
    page.get_by_role("button", name="Suche").click()
    page.get_by_role("dialog", name="Suche im Wissensportal").wait_for()

    def run(query: str):
        page.fill("#ss-search-input", query)
        page.wait_for_function("q => document.getElementById('ss-search-status').dataset.query === q", arg=query)
        page.locator(".ss-search__result").first.wait_for(state="visible")
        return page.locator(".ss-search__result")

    run.page = page
    run.csp = csp
    return run


def test_a_result_opens_the_chapter_at_the_matching_section_with_the_terms_marked(search) -> None:
    page = search.page
    results = search("Stufen")
    link = results.locator('a.ss-search__link[href*="05-schulabsentismus"]').first
    href = link.get_attribute("href")
    target = urlsplit(href)
    assert target.fragment, href  # a section, not the top of a chapter thousands of pixels long
    assert parse_qs(target.query)["highlight"] == ["stufen"]
    assert "Abschnitt" in link.inner_text()
    link.click()
    page.wait_for_url("**/05-schulabsentismus/**")
    page.locator("mark.ss-highlight").first.wait_for(state="attached")
    where = page.evaluate("""id => { const e = document.getElementById(id); const r = e.getBoundingClientRect();
        return {top: r.top, height: innerHeight, scrolled: scrollY}; }""", target.fragment)
    assert 0 <= where["top"] < where["height"] / 2 and where["scrolled"] > 1000, where
    marks = page.evaluate("""() => [...document.querySelectorAll('mark.ss-highlight')].map(m => {
        const r = m.getBoundingClientRect(); return {text: m.textContent, seen: r.top >= 0 && r.bottom <= innerHeight}; })""")
    assert marks and all(m["text"].lower().startswith("stufe") for m in marks)
    assert any(m["seen"] for m in marks)  # the first screen of the section shows a marked term
    assert search.csp == []  # the highlight script's inline <style> is switched off


def test_a_page_opened_with_the_highlight_parameter_marks_the_terms_and_scrolls_to_the_first(page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "qualitaetsstandards/07-kinderschutz/?highlight=insoweit")
    page.locator("mark.ss-highlight").first.wait_for(state="attached")
    first = page.locator("mark.ss-highlight").first.bounding_box()
    assert first is not None and 0 <= first["y"] < 844
    assert page.evaluate("scrollY") > 0
    assert page.locator(".md-footer mark.ss-highlight, .md-header mark.ss-highlight").count() == 0


def test_a_plain_page_view_loads_no_highlight_script(page, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site_url + "qualitaetsstandards/07-kinderschutz/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "/pagefind/" in u]
    assert page.locator("mark.ss-highlight").count() == 0


@pytest.mark.parametrize("query", ["Stendal", "Kontakt", "Netzwerkstelle", "Schulsozialarbeit", "Kinderschutz"])
def test_excerpts_hold_no_interface_text(search, query: str) -> None:
    results = search(query)
    excerpts = results.locator(".ss-search__excerpt").all_inner_texts()
    assert excerpts
    for text in excerpts:
        assert not [ui for ui in UI_TEXT if ui in text], text


@pytest.mark.parametrize("query", ["39576", "Stendal", "Köthen (Anhalt)", "Roßlau"])
def test_a_postcode_or_place_offers_the_contact_finder(search, query: str) -> None:
    search(query)
    offer = search.page.get_by_role("link", name=f"Kontakt für „{query}“ anzeigen")
    offer.wait_for(state="visible")
    target = urlsplit(offer.get_attribute("href"))
    assert target.path.endswith("/kontakt-finden/") and parse_qs(target.query)["suche"] == [query]
    offer.click()
    search.page.wait_for_url("**/kontakt-finden/?suche=*")


@pytest.mark.parametrize("query", ["Kinderschutz", "12345", "Supervision"])
def test_other_queries_offer_no_finder(search, query: str) -> None:
    search.page.fill("#ss-search-input", query)
    search.page.wait_for_function("q => document.getElementById('ss-search-status').dataset.query === q", arg=query)
    search.page.wait_for_timeout(300)
    assert search.page.locator("[data-ss-search-finder]").is_hidden()
