"""Where generated pages live, and relative links between them (directory URLs, as MkDocs makes them)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin
import re

OFFICES_DIR = "netzwerkstellen"
SCHOOLS_DIR = "schulen"
OFFICES_INDEX = "netzwerkstellen/index.md"
SCHOOLS_INDEX = "schulen/index.md"
COORDINATION = "koordinierungsstelle.md"
FINDER = "kontakt-finden.md"
DATA = "daten.md"
PUBLICATIONS = "publikationen.md"
HANDBOOK_INDEX = "qualitaetsstandards/index.md"


def office_src(office_id: str) -> str:
    return f"{OFFICES_DIR}/{office_id}.md"


def school_src(school_id: str) -> str:
    return f"{SCHOOLS_DIR}/{school_id}.md"


def page_url(src_uri: str) -> str:
    """The directory URL of a Markdown source, relative to the site root: ``schulen/x.md`` → ``schulen/x/``."""
    path = src_uri.removesuffix(".md")
    if path == "index":
        return ""
    if path.endswith("/index"):
        return path.removesuffix("index")
    return path + "/"


def relative(from_src: str, to_src: str) -> str:
    """A link from one page to another that works on any host and under any base path."""
    rel = posixpath.relpath(page_url(to_src) or ".", page_url(from_src) or ".")
    return "./" if rel == "." else rel + "/"


CORRECTION_FORM = "korrektur.yml"
"""The issue form in .github/ISSUE_TEMPLATE/ that „Korrektur melden“ opens."""


@dataclass(frozen=True)
class Feedback:
    """Where visitors report corrections: the repository's issue form, with the page prefilled.

    ``repo_url`` and ``site_url`` come from mkdocs.yml (``repo_url``, ``site_url``), set once there.
    """

    repo_url: str
    site_url: str = ""

    def correction_url(self, src_uri: str, title: str) -> str:
        """``…/issues/new?template=korrektur.yml&title=…&seite=<page URL>`` (GitHub prefills form fields by id)."""
        page = urljoin(self.site_url, page_url(src_uri)) if self.site_url else "/" + page_url(src_uri)
        query = urlencode({"template": CORRECTION_FORM, "title": f"Korrektur: {title}", "seite": page})
        return f"{self.repo_url.rstrip('/')}/issues/new?{query}"


def relative_file(from_src: str, path: str) -> str:
    """A link from a page to a file in the site (``downloads/x.pdf``), relative like ``relative``."""
    return posixpath.relpath(path, page_url(from_src) or ".")


def slugify(text: str) -> str:
    """An anchor or id from a name: ``Halle (Saale)`` → ``halle-saale``."""
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
