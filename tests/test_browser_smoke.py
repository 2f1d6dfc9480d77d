"""The built site in a real browser: pages render and navigation works."""

from __future__ import annotations


def test_start_page_leads_to_the_contact_finder(page, site_url: str) -> None:
    page.goto(site_url)
    assert page.locator("html").get_attribute("lang") == "de"
    page.get_by_role("link", name="Kontakt finden").first.click()
    page.wait_for_url("**/kontakt-finden/")
    assert page.locator("h1").inner_text() == "Kontakt finden"
    assert page.get_by_text("Tangermünde").count() >= 1
