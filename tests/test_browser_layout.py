"""What a visitor sees first and how long pages are on a phone: the start page's first screen says what one
can do here, chapters link to the previous and next chapter, the schools directory is short per page."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TASKS = ["Ansprechpartner:innen finden", "Qualitätsstandards lesen", "Für Schulen, Träger und Kommunen"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_first_screen_of_the_start_page_says_what_a_visitor_can_do(page, site_url: str, viewport) -> None:
    page.set_viewport_size(viewport)
    page.goto(site_url)
    finder = page.locator("article a[href$='kontakt-finden/'], article form[action$='kontakt-finden/']").first
    box = finder.bounding_box()
    assert box is not None and box["y"] + box["height"] <= viewport["height"]  # the finder, without scrolling
    first_task = page.get_by_role("heading", name=TASKS[0]).bounding_box()
    assert first_task is not None and first_task["y"] < viewport["height"]
    if viewport is DESKTOP:
        for name in TASKS:
            assert page.get_by_role("heading", name=name).bounding_box()["y"] < viewport["height"], name
    # headings with weight and contrast: not Material's light grey at 300
    style = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('article h1'));
        return {weight: parseInt(s.fontWeight), color: s.color}; }""")
    assert style["weight"] >= 600 and style["color"] != "rgba(0, 0, 0, 0.54)"


def chapters() -> list[str]:
    """The handbook's chapters in reading order: docs/qualitaetsstandards/NN-….md."""
    return sorted(p.stem for p in (ROOT / "docs" / "qualitaetsstandards").glob("[0-9][0-9]-*.md"))


def test_each_chapter_links_to_the_previous_and_next_chapter(site: Path) -> None:
    names = chapters()
    assert len(names) == 12
    for i, name in enumerate(names):
        page = BeautifulSoup((site / "qualitaetsstandards" / name / "index.html").read_text(encoding="utf-8"), "html.parser")
        pager = page.select_one("footer nav.ss-pager")
        assert pager is not None, name
        prev, nxt = pager.select_one('a[rel="prev"]'), pager.select_one('a[rel="next"]')
        expected_prev = names[i - 1] if i > 0 else None
        if expected_prev:
            assert prev["href"].rstrip("/").endswith(expected_prev), name
        else:
            assert prev["href"] == "../" and "Übersicht" in prev.get_text(" ", strip=True), name  # the handbook's index
        if i + 1 < len(names):
            assert nxt["href"].rstrip("/").endswith(names[i + 1]), name
            assert "Nächstes Kapitel" in nxt.get_text(" ", strip=True)
        else:
            assert nxt is None, name  # the handbook ends; no jump to „Publikationen“
    start = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert start.select_one("nav.ss-pager") is None  # elsewhere the nav order is no reading order


def test_every_page_of_the_schools_directory_is_short_on_a_phone(page, site_url: str, site: Path) -> None:
    page.set_viewport_size(PHONE)
    regions = sorted(p.name for p in (site / "schulen" / "regionen").iterdir() if (p / "index.html").exists())
    assert len(regions) >= 14
    heights = {}
    for path in ["schulen/", *(f"schulen/regionen/{r}/" for r in regions)]:
        page.goto(site_url + path)
        heights[path] = page.evaluate("document.documentElement.scrollHeight")
    assert max(heights.values()) < 7 * PHONE["height"], heights  # was 42,000 px for the whole directory
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
