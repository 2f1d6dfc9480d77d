"""Where generated pages live, and relative links between them (directory URLs, as MkDocs makes them)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit
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
HANDBOOK_PDF = "downloads/handbuch-qualitaetsstandards.pdf"
"""The PDF handbook in the site (written by the pipeline's finish step, linked from Publikationen)."""


def office_src(office_id: str) -> str:
    return f"{OFFICES_DIR}/{office_id}.md"


def school_src(school_id: str) -> str:
    return f"{SCHOOLS_DIR}/{school_id}.md"


SCHOOL_REGIONS_DIR = f"{SCHOOLS_DIR}/regionen"
"""The schools directory, one page per district (a folder of its own: schulen/<id>/ are the schools)."""


def school_region_src(district_name: str) -> str:
    return f"{SCHOOL_REGIONS_DIR}/{slugify(district_name)}.md"


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
    rel = _relpath(page_url(to_src), page_url(from_src))
    return "./" if rel == "." else rel + "/"


def _relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` for paths relative to the site root (several per generated page: kept cheap)."""
    to, here = target.split("/"), start.split("/")
    to, here = [p for p in to if p], [p for p in here if p]
    common = 0
    while common < len(to) and common < len(here) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


CORRECTION_FORM = "korrektur.yml"
"""The issue form in .github/ISSUE_TEMPLATE/ that „Korrektur melden“ opens."""


_PLACEHOLDER_HOSTS = re.compile(r"(^|\.)example(\.(com|org|net))?$|\.(example|test|invalid|localhost)$")
_PLACEHOLDER_OWNERS = {"example", "example-org", "your-org", "owner"}


def configured_repo(repo_url: str | None) -> str | None:
    """The repository to link to, or None while there is none: not set, or a placeholder such as
    ``https://github.com/example/…`` or a host under example.org. No link may lead to a repository that
    does not exist (the editors' links in the footer appear only once this returns a URL)."""
    if not repo_url or not repo_url.strip():
        return None
    parts = urlsplit(repo_url.strip())
    host = (parts.hostname or "").lower()
    owner = parts.path.strip("/").split("/")[0].lower()
    if parts.scheme != "https" or not host or _PLACEHOLDER_HOSTS.search(host) or owner in _PLACEHOLDER_OWNERS:
        return None
    return repo_url.strip().rstrip("/")


@dataclass(frozen=True)
class Feedback:
    """Where visitors report corrections: the repository's issue form, with the page prefilled.

    ``repo_url`` and ``site_url`` come from mkdocs.yml (``repo_url``, ``site_url``), set once there;
    ``from_config`` gives None while ``repo_url`` is unset or a placeholder.
    """

    repo_url: str
    site_url: str = ""

    @classmethod
    def from_config(cls, repo_url: str | None, site_url: str | None) -> Feedback | None:
        repo = configured_repo(repo_url)
        return cls(repo, site_url or "") if repo else None

    def correction_url(self, src_uri: str, title: str) -> str:
        """``…/issues/new?template=korrektur.yml&title=…&seite=<page URL>`` (GitHub prefills form fields by id)."""
        page = urljoin(self.site_url, page_url(src_uri)) if self.site_url else "/" + page_url(src_uri)
        query = urlencode({"template": CORRECTION_FORM, "title": f"Korrektur: {title}", "seite": page})
        return f"{self.repo_url.rstrip('/')}/issues/new?{query}"


def relative_file(from_src: str, path: str) -> str:
    """A link from a page to a file in the site (``downloads/x.pdf``), relative like ``relative``."""
    return _relpath(path, page_url(from_src))


def slugify(text: str) -> str:
    """An anchor or id from a name: ``Halle (Saale)`` → ``halle-saale``."""
    umlauts = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    text = text.lower().translate(umlauts)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
