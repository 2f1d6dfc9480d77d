"""Quality gates over a built site: pure functions from files and text to findings.

Each gate states one rule that the published site must keep (no resource from another host, only
safe link schemes, no executable markup from data, no broken internal link, no internal value in any
file). They read the site as a visitor's browser or a downloader would get it, so they cover every
page, index and download that exists, including ones added later. Standard library only, no MkDocs:
the tests run them, and a build or a CI step can run them too.
"""

from __future__ import annotations

import gzip
import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True, order=True)
class Finding:
    """One broken rule: the file (relative to the site), the rule's name and what was found."""

    file: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.file}: {self.rule}: {self.detail}"


# --- reading HTML --------------------------------------------------------------------------------


@dataclass
class Tag:
    """A start tag with its attributes; ``text`` holds the content of ``<script>`` and ``<style>``."""

    name: str
    attrs: dict[str, str]
    line: int
    text: str = ""

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []
        self._raw: Tag | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        item = Tag(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        self.tags.append(item)
        self._raw = item if tag in ("script", "style") else None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(Tag(tag, {k: v or "" for k, v in attrs}, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw.text += data


def parse_html(text: str) -> list[Tag]:
    """Every start tag of a document or fragment, in order (a tolerant parse, like a browser's)."""
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.tags


def element_ids(tags: Iterable[Tag]) -> set[str]:
    """Targets a ``#fragment`` can point to: ``id`` attributes and the old ``<a name>``."""
    out: set[str] = set()
    for tag in tags:
        if tag.get("id"):
            out.add(tag.attrs["id"])
        if tag.name == "a" and tag.get("name"):
            out.add(tag.attrs["name"])
    return out


# --- URLs ----------------------------------------------------------------------------------------

LINK_SCHEMES = ("https", "http", "mailto", "tel")
"""The only schemes a link (``<a href>``, ``<area href>``) may use; anything else is refused."""

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


def url_scheme(url: str) -> str | None:
    """The scheme of a URL as a browser reads it (control characters and blanks are ignored)."""
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(url))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def is_other_host(url: str) -> bool:
    """True if fetching ``url`` would contact a host other than the one serving the page."""
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    if cleaned.startswith(("//", "\\\\", "/\\", "\\/")):
        return True
    scheme = url_scheme(cleaned)
    return scheme is not None and scheme not in ("data", "blob", "about", "mailto", "tel", "javascript", "vbscript")


def css_urls(css: str) -> list[str]:
    """Every ``url(...)`` and ``@import`` target in a style sheet or ``style`` attribute."""
    return [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(css)]


def srcset_urls(srcset: str) -> list[str]:
    return [part.strip().split()[0] for part in srcset.split(",") if part.strip()]


def meta_refresh_url(content: str) -> str | None:
    match = re.search(r"url\s*=\s*['\"]?([^'\";]+)", content, re.I)
    return match.group(1).strip() if match else None


# --- gate: nothing from another host -------------------------------------------------------------

_RESOURCE_ATTRS: dict[str, tuple[str, ...]] = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
    "frame": ("src",), "embed": ("src",), "object": ("data",), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "input": ("src",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"), "form": ("action",), "button": ("formaction",), "base": ("href",),
}
_LOADING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "prerender", "preconnect",
                 "dns-prefetch", "icon", "apple-touch-icon", "manifest", "mask-icon"}


def resource_urls(tag: Tag) -> list[str]:
    """URLs the browser fetches (or connects to) because of this tag, without a click."""
    urls: list[str] = []
    for attr in _RESOURCE_ATTRS.get(tag.name, ()):
        value = tag.get(attr)
        if value:
            urls += srcset_urls(value) if attr == "srcset" else [value]
    if tag.name == "link" and _LOADING_RELS & set((tag.get("rel") or "").lower().split()):
        urls.append(tag.get("href") or "")
    if tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
        target = meta_refresh_url(tag.get("content") or "")
        urls += [target] if target else []
    if tag.get("style"):
        urls += css_urls(tag.attrs["style"])
    if tag.name == "style":
        urls += css_urls(tag.text)
    return urls


def external_resources(file: str, tags: Iterable[Tag]) -> list[Finding]:
    """Gate: a page makes no request to another host (scripts, styles, images, fonts, frames, …)."""
    return [Finding(file, "fremder-host", f"Zeile {t.line}: <{t.name}> lädt {u}")
            for t in tags for u in resource_urls(t) if is_other_host(u)]


def external_css(file: str, css: str) -> list[Finding]:
    """Gate: a style sheet loads nothing (fonts, images, imports) from another host."""
    return [Finding(file, "fremder-host", f"url({u})") for u in css_urls(css) if is_other_host(u)]


# --- gate: links and executable markup -----------------------------------------------------------


def link_schemes(file: str, tags: Iterable[Tag]) -> list[Finding]:
    """Gate: every link is relative or uses https, http, mailto or tel."""
    out = []
    for tag in tags:
        if tag.name in ("a", "area") and "href" in tag.attrs:
            scheme = url_scheme(tag.attrs["href"])
            if scheme is not None and scheme not in LINK_SCHEMES:
                out.append(Finding(file, "link-schema", f"Zeile {tag.line}: {tag.attrs['href'][:80]}"))
    return out


DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}  # data blocks: never executed, outside the CSP
_URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcdoc")


def unsafe_markup(file: str, tags: Iterable[Tag]) -> list[Finding]:
    """Gate: no inline script, no inline event handler, no ``javascript:`` URL, no embedded frame document.

    Scripts come from files (``<script src>``); inline ``<script>`` is allowed only as a data block
    (``type="application/json"``). The Content-Security-Policy relies on this.
    """
    out = []
    for tag in tags:
        where = f"Zeile {tag.line}: <{tag.name}>"
        if tag.name == "script" and "src" not in tag.attrs and (tag.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            out.append(Finding(file, "inline-script", f"{where} {tag.text.strip()[:80]}"))
        for attr, value in tag.attrs.items():
            if attr.startswith("on"):
                out.append(Finding(file, "event-handler", f"{where} {attr}={value[:60]}"))
            elif attr in _URL_ATTRS and url_scheme(value) in ("javascript", "vbscript"):
                out.append(Finding(file, "javascript-url", f"{where} {attr}={value[:60]}"))
            elif attr == "srcdoc":
                out.append(Finding(file, "srcdoc", where))
    return out


def csp_directives(tags: Iterable[Tag]) -> dict[str, list[str]] | None:
    """The page's Content-Security-Policy from its ``<meta http-equiv>``, or None."""
    for tag in tags:
        if tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "content-security-policy":
            policy: dict[str, list[str]] = {}
            for part in (tag.get("content") or "").split(";"):
                words = part.split()
                if words:
                    policy[words[0].lower()] = words[1:]
            return policy
    return None


def content_security_policy(file: str, tags: list[Tag]) -> list[Finding]:
    """Gate: the page declares a CSP that allows scripts and styles only from the site itself."""
    policy = csp_directives(tags)
    if policy is None:
        return [Finding(file, "csp", "keine Content-Security-Policy")]
    out = []
    for directive in ("default-src", "script-src", "style-src", "object-src", "base-uri"):
        if directive not in policy:
            out.append(Finding(file, "csp", f"{directive} fehlt"))
    for directive, sources in policy.items():
        for source in sources:
            if source in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:") and directive.startswith(("script", "default", "style")):
                out.append(Finding(file, "csp", f"{directive} erlaubt {source}"))
            elif directive.endswith("-src") and not source.startswith("'") and source not in ("data:", "blob:"):
                out.append(Finding(file, "csp", f"{directive} erlaubt einen fremden Host: {source}"))
    return out


# --- gate: internal links and anchors ------------------------------------------------------------

_LINK_ATTRS = {"a": "href", "area": "href", "link": "href", "script": "src", "img": "src", "iframe": "src",
               "source": "src", "form": "action"}


def served_path(rel_path: str) -> str:
    """The URL path (from the site root) under which a file is served: ``a/index.html`` → ``/a/``."""
    url = "/" + rel_path
    return url.removesuffix("index.html")


def resolve_target(page: str, href: str) -> tuple[str, str] | None:
    """The site file (relative path) and fragment an internal link points to; None for other hosts."""
    if is_other_host(href) or url_scheme(href) is not None:
        return None
    parts = urlsplit(href)
    base = served_path(page)
    path = unquote(parts.path)
    if not path:
        target = base
    elif path.startswith("/"):
        target = path
    else:
        target = posixpath.join(posixpath.dirname(base), path)
    normal = posixpath.normpath(target)
    if target.endswith("/") and normal != "/":
        normal += "/"
    file = normal.lstrip("/")
    if file == "" or file.endswith("/"):
        file += "index.html"
    return file, unquote(parts.fragment)


def broken_links(pages: Mapping[str, list[Tag]], exists: Callable[[str], bool]) -> list[Finding]:
    """Gate: every internal link and resource points to an existing file, every ``#anchor`` to an id.

    ``pages`` maps every HTML file (path relative to the site) to its tags; ``exists`` answers for
    other files. A link to a folder counts when the folder has an ``index.html``.
    """
    ids = {path: element_ids(tags) for path, tags in pages.items()}
    out = []
    for path, tags in pages.items():
        for tag in tags:
            attr = _LINK_ATTRS.get(tag.name)
            href = tag.get(attr) if attr else None
            if href is None or (tag.name == "link" and "canonical" in (tag.get("rel") or "")):
                continue
            resolved = resolve_target(path, href)
            if resolved is None:
                continue
            target, fragment = resolved
            if target not in ids and not exists(target):
                out.append(Finding(path, "toter-link", f"Zeile {tag.line}: {href} → {target} fehlt"))
            elif fragment and target in ids and fragment not in ids[target]:
                out.append(Finding(path, "toter-anker", f"Zeile {tag.line}: {href} → #{fragment} fehlt in {target}"))
    return out


# --- gate: data files ----------------------------------------------------------------------------


def markup_in_data(file: str, text: str) -> list[Finding]:
    """Gate for JSON and search-index files: their raw text holds no markup that would run if a script
    inserted it into a page. Text values carry ``<`` escaped (``\\u003c`` or ``&lt;``)."""
    tags = parse_html(text)
    out = [Finding(file, "markup-in-daten", f"<{t.name}>") for t in tags if t.name in ("script", "iframe", "object", "embed")]
    return out + [f for f in unsafe_markup(file, tags) if f.rule != "inline-script"]


def csv_formulas(file: str, text: str) -> list[Finding]:
    """Gate for CSV downloads: no cell starts like a spreadsheet formula (CSV injection)."""
    import csv
    import io

    out = []
    for row_number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        for cell in row:
            start = cell.lstrip(" \u00a0" + "".join(map(chr, range(32))))
            if cell[:1] in ("\t", "\r", "\n") or start[:1] in ("=", "@", "\uff1d", "\uff20") or (
                    start[:1] in ("+", "-", "\uff0b", "\uff0d") and not re.fullmatch(r"[+-][0-9 ()/-]*", start)):
                out.append(Finding(file, "csv-formel", f"Zeile {row_number}: {cell[:60]}"))
    return out


_VCARD_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$")


def vcard_structure(file: str, text: str) -> list[Finding]:
    """Gate for vCard downloads: every line is a well-formed property (no value broke out onto a line
    of its own), cards are closed, and links in ``URL`` use only the allowed schemes."""
    out = []
    depth = 0
    lines = re.sub(r"\r?\n[ \t]", "", text).splitlines()  # unfold continuation lines (RFC 6350 3.2)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _VCARD_LINE.match(line)
        if match is None:
            out.append(Finding(file, "vcard", f"Zeile {number}: keine Eigenschaft: {line[:60]}"))
            continue
        name, value = match.group(1).upper(), match.group(3)
        depth += {"BEGIN": 1, "END": -1}.get(name, 0)
        if depth not in (0, 1):
            out.append(Finding(file, "vcard", f"Zeile {number}: BEGIN/END verschachtelt"))
        if name == "URL" and url_scheme(value) not in ("https", "http"):
            out.append(Finding(file, "vcard", f"Zeile {number}: URL {value[:60]}"))
    if depth != 0:
        out.append(Finding(file, "vcard", "END:VCARD fehlt"))
    return out


# --- gate: internal values never published -------------------------------------------------------

GZIP_SUFFIXES = (".gz", ".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")
"""Compressed files in site/ (Pagefind writes gzip-compressed index parts)."""

TextExtractor = Callable[[bytes], str]


def file_text(path: Path, extractors: Mapping[str, TextExtractor] | None = None) -> str:
    """The text a reader of the file could see: decompressed, decoded, PDF text via ``extractors``."""
    raw = path.read_bytes()
    if path.name.endswith(GZIP_SUFFIXES) and raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    extractor = (extractors or {}).get(path.suffix.lower())
    if extractor is not None:
        return extractor(raw)
    return raw.decode("utf-8", errors="replace")


def spellings(value: str) -> set[str]:
    """Ways a value can be written in a file: as is, HTML-escaped, JSON-escaped, whitespace-collapsed."""
    forms = {value, html.escape(value), html.escape(value, quote=False), json.dumps(value)[1:-1],
             json.dumps(value, ensure_ascii=False)[1:-1], " ".join(value.split())}
    return {f for f in forms if f}


class SecretFinder:
    """Finds any of many secret values, in any of their spellings, in one pass over a text."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._by_form = {form: secret for secret in secrets if secret for form in spellings(secret)}
        forms = sorted(self._by_form, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, forms))) if forms else None

    def find(self, text: str) -> set[str]:
        if self._pattern is None:
            return set()
        found = {self._by_form[m.group(0)] for m in self._pattern.finditer(text)}
        return found | {self._by_form[m.group(0)] for m in self._pattern.finditer(" ".join(text.split()))}


def leaked_values(file: str, text: str, secrets: Iterable[str]) -> list[Finding]:
    """Gate: none of ``secrets`` (internal notes, unpublished names) appears in the text in any spelling."""
    return [Finding(file, "interner-wert", secret[:60]) for secret in sorted(SecretFinder(secrets).find(text))]


# --- the whole site ------------------------------------------------------------------------------

DATA_SUFFIXES = (".json",)
"""Files whose raw text must hold no markup. Pagefind's fragments are not among them: Pagefind stores a
page's text and metadata as plain text, and the search dialog inserts them only as text (textContent;
excerpts keep nothing but <mark>), which the hostile-data browser test checks. The leak check still
reads them."""


@dataclass
class Site:
    """A built site folder, read once: HTML files parsed, other files listed."""

    root: Path
    pages: dict[str, list[Tag]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, root: Path) -> "Site":
        site = cls(root)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            site.files.append(rel)
            if path.suffix == ".html":
                site.pages[rel] = parse_html(path.read_text(encoding="utf-8"))
        return site

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def with_suffix(self, *suffixes: str) -> Iterator[str]:
        return (f for f in self.files if f.endswith(suffixes))


def site_findings(site: Site) -> list[Finding]:
    """Every static gate over every file of the site."""
    out: list[Finding] = []
    for path, tags in site.pages.items():
        out += external_resources(path, tags) + link_schemes(path, tags) + unsafe_markup(path, tags)
        out += content_security_policy(path, tags)
    for path in site.with_suffix(".css"):
        out += external_css(path, (site.root / path).read_text(encoding="utf-8", errors="replace"))
    for path in site.with_suffix(*DATA_SUFFIXES):
        out += markup_in_data(path, file_text(site.root / path))
    for path in site.with_suffix(".csv"):
        out += csv_formulas(path, file_text(site.root / path))
    for path in site.with_suffix(".vcf"):
        out += vcard_structure(path, file_text(site.root / path))
    out += broken_links(site.pages, site.exists)
    return sorted(out)


def leaks(site: Site, secrets: Iterable[str], extractors: Mapping[str, TextExtractor] | None = None) -> list[Finding]:
    """The secrets gate over every file of the site (text, compressed and, with extractors, PDF)."""
    finder = SecretFinder(secrets)
    out: list[Finding] = []
    for rel in site.files:
        found = finder.find(file_text(site.root / rel, extractors))
        out += [Finding(rel, "interner-wert", secret[:60]) for secret in sorted(found)]
    return out
