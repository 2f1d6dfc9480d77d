"""What two builds of the site are compared by: each page's main content, its links resolved, as a list."""

from __future__ import annotations

import posixpath
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

_ARTICLE = re.compile(r"<article\b[^>]*>(.*)</article>", re.S)
_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|#|//)")
KEPT_ATTRIBUTES = ("href", "src", "id", "class", "data-pagefind-meta", "data-pagefind-filter", "data-pagefind-sort")

ACCEPTED = {
    "skip-target": "Zensical puts its own skip target <a id=\"__skip\"> at the top of the article "
                   "(the site's skip link goes to #inhalt in both builds)",
    "link-spelling": "links are written differently for the same target (Zensical: ./x/ or ../daten/x.csv, "
                     "MkDocs: x/ or x.csv): compared by where they lead",
    "whitespace": "whitespace between elements",
}
"""The differences between the MkDocs and the Zensical build that the comparison accepts, and why."""


def resolve(link: str, page: str) -> str:
    """Where a link of ``page`` (a site path such as ``schulen/x/index.html``) leads, from the site root."""
    if _ABSOLUTE.match(link):
        return link
    path, _, fragment = link.partition("#")
    here = "/" + posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(here, path)) if path else here
    if (path.endswith("/") or path in ("", ".", "..")) and not target.endswith("/"):
        target += "/"
    return target + ("#" + fragment if fragment else "")


class _Content(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.items: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("id") == "__skip":
            return  # ACCEPTED["skip-target"]
        kept = []
        for name in KEPT_ATTRIBUTES:
            value = values.get(name)
            if value is not None:
                kept.append(f'{name}="{resolve(value, self.page) if name in ("href", "src") else value}"')
        self.items.append(f"<{tag} {' '.join(kept)}>".replace(" >", ">"))

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.items.append(text)


def main_content(site: Path, page: str) -> list[str]:
    """The article of a built page as tags (with the attributes that matter) and text, links resolved."""
    match = _ARTICLE.search((site / page).read_text(encoding="utf-8"))
    parser = _Content(page)
    parser.feed(match.group(1) if match else "")
    return parser.items


def internal_links(site: Path, page: str) -> list[str]:
    """The targets of a page's links and images within the site (site paths, without fragments)."""
    text = (site / page).read_text(encoding="utf-8")
    found = []
    for link in map(unescape, re.findall(r"""\s(?:href|src)=["']([^"']*)["']""", text)):
        if _ABSOLUTE.match(link) or link.startswith("?"):
            continue
        found.append(resolve(link, page).partition("#")[0].partition("?")[0])
    return found


def exists(site: Path, target: str) -> bool:
    path = site / target.lstrip("/")
    return path.is_file() or (path / "index.html").is_file()
