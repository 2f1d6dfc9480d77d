"""Every kind of page the site has, in one place: the browser gates (accessibility, privacy, CSP,
keyboard) run over each of them. Add a kind here when a feature brings a new one; a ``prepare``
step brings the page into the state to check (a search opened, a finder with results).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from schulerfolg.load import load_project

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageKind:
    name: str
    path: str  # relative to the site root
    prepare: Callable | None = None  # called with the Playwright page after loading

    def __str__(self) -> str:
        return self.name


def _open_material_search(page) -> None:
    """Material's search: type into the header field and wait for the result list (on a phone, the
    field opens with the search button first)."""
    button = page.locator('label.md-header__button[for="__search"]')
    if button.is_visible():
        button.click()
    page.locator("input.md-search__input").click()
    page.keyboard.type("Schulsozialarbeit")
    page.locator(".md-search-result__item").first.wait_for(state="visible")


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
    PageKind("guide", "qualitaetsstandards/"),
    PageKind("guide-chapter", "qualitaetsstandards/05-schulabsentismus/"),
    PageKind("programme", "programm/"),
    PageKind("publications", "publikationen/"),
    PageKind("data", "daten/"),
    PageKind("imprint", "impressum/"),
    PageKind("privacy", "datenschutz/"),
    PageKind("accessibility", "barrierefreiheit/"),
    PageKind("easy-language", "leichte-sprache/"),
    PageKind("not-found", "404.html"),
    PageKind("search-open", "", _open_material_search),
]
"""To add after the merge of the finder and Pagefind branches: "finder with results" (type a postcode
into the finder, wait for its result) and "search open" for Pagefind instead of Material's search."""
