"""Every kind of page the site has, in one place: the browser gates (accessibility, privacy, CSP,
keyboard) run over each of them. Add a kind here when a feature brings a new one; a ``prepare``
step brings the page into the state to check (a search opened, a finder with results).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from schulerfolg.data.load import load_project

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageKind:
    name: str
    path: str  # relative to the site root
    prepare: Callable | None = None  # called with the Playwright page after loading

    def __str__(self) -> str:
        return self.name


def _open_site_search(page) -> None:
    """The Pagefind search dialog, opened from the header button, with results for a query."""
    page.get_by_role("button", name="Suche").click()
    page.get_by_role("dialog", name="Suche im Wissensportal").wait_for()
    page.fill("#ss-search-input", "Schulsozialarbeit")
    page.locator(".ss-search__result").first.wait_for(state="visible")


def _finder_with_results(page) -> None:
    """The contact finder after typing a postcode that two districts share."""
    page.fill("#ss-finder-input", "06120")
    page.locator("[data-finder-results] .ss-finder__card").first.wait_for(state="visible")


def _first_school() -> str:
    project = load_project(ROOT / "data", ROOT)
    return project.schools[0].id


PAGE_KINDS: list[PageKind] = [
    PageKind("start", ""),
    PageKind("finder", "kontakt-finden/"),
    PageKind("office", "netzwerkstellen/stendal/"),
    PageKind("office-without-contact", "netzwerkstellen/harz/"),
    PageKind("offices", "netzwerkstellen/"),
    PageKind("coordination", "koordinierungsstelle/"),
    PageKind("school", f"schulen/{_first_school()}/"),
    PageKind("directory", "schulen/"),
    PageKind("directory-region", "schulen/regionen/magdeburg/"),
    PageKind("guide", "qualitaetsstandards/"),
    PageKind("guide-chapter", "qualitaetsstandards/05-schulabsentismus/"),
    PageKind("programme", "programm/"),
    PageKind("publications", "publikationen/"),
    PageKind("data", "daten/"),
    PageKind("imprint", "impressum/"),
    PageKind("privacy", "datenschutz/"),
    PageKind("accessibility", "barrierefreiheit/"),
    PageKind("easy-language", "leichte-sprache/"),
    PageKind("newcomers", "neu-in-der-schulsozialarbeit/"),
    PageKind("template", "vorlagen/gefaehrdungseinschaetzung/"),
    PageKind("not-found", "404.html"),
    PageKind("search-open", "", _open_site_search),
    PageKind("finder-results", "kontakt-finden/", _finder_with_results),
]
