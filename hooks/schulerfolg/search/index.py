"""Site search with Pagefind: what each page tells the index, and the index run over the built site.

The theme marks each page's article as ``data-pagefind-body`` and prints the facets and keywords
computed here as ``data-pagefind-filter`` / ``data-pagefind-meta`` attributes. After the build,
``build_index`` runs the pinned Pagefind binary over the site and checks what it wrote: a failed
or suspicious run raises ``SearchIndexError``; it never leaves a site without a working index.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any, Callable, Mapping

from schulerfolg.data.search_terms import SearchTerms

KINDS = ("Leitfaden", "Netzwerkstelle", "Schule", "Seite")
"""The values of the filter „Inhaltstyp“ (also the badge on each result)."""

GUIDE_DIR = "qualitaetsstandards/"
BUNDLE_DIR = "pagefind"
LANGUAGE = "de"

EXCLUDED_CLASSES = (
    "headerlink",      # the permalink symbol after each heading
    "tabbed-labels",   # tab labels (pymdownx.tabbed), should tabs be used
    "md-source-file",  # "last updated" lines
    "ss-demo",         # the demo-data notice repeated on every school page (the titles say „Beispiel“)
    "ss-vcard",        # „Kontakt speichern (vCard …)“: a button, not content
    "ss-finder__form", # the finder's field, hint and status texts
)
"""Parts of the indexed article that are not content (Pagefind skips them, and so do the keywords)."""

_NO_BODY = "Did not find a data-pagefind-body element"


class SearchIndexError(Exception):
    """The search index could not be built; the message says why, in German."""


@dataclass(frozen=True)
class Facets:
    """What a page is, for the filters and the badge of a search result."""

    kind: str
    district: str | None = None
    school_type: str | None = None


def facets_for(src_uri: str, meta: Mapping[str, Any]) -> Facets:
    """The facets a page declares in its front matter (``search:``), or those its path implies.

    Generated office and school pages declare theirs; Markdown pages under ``qualitaetsstandards/``
    are guides, everything else is a plain page.
    """
    declared = meta.get("search") or {}
    if not isinstance(declared, Mapping):
        raise ValueError(f"{src_uri}: search: Hier werden Unterfelder erwartet (kind, district, school_type).")
    kind = declared.get("kind") or ("Leitfaden" if src_uri.startswith(GUIDE_DIR) else "Seite")
    if kind not in KINDS:
        raise ValueError(f"{src_uri}: search.kind: Ungültiger Wert „{kind}“. Erlaubt sind: {', '.join(KINDS)}.")
    return Facets(kind, declared.get("district") or None, declared.get("school_type") or None)


@dataclass(frozen=True)
class PageSearchData:
    """Everything the theme prints into a page for the index.

    ``title_terms`` are the extra keywords the title calls for (ranked like the title), ``terms``
    those that only the body calls for (ranked like a single word of body text).
    """

    facets: Facets
    title: str
    title_terms: str
    terms: str


def page_search_data(src_uri: str, meta: Mapping[str, Any], title: str, content_html: str,
                     terms: SearchTerms) -> PageSearchData:
    """The index data of one page; ``title`` and ``content_html`` are HTML as MkDocs renders them."""
    plain_title = text_of(title)
    in_title = terms.keywords_for(plain_title, is_title=True)
    in_body = [k for k in terms.keywords_for(text_of(content_html)) if k not in in_title]
    return PageSearchData(facets_for(src_uri, meta), plain_title, " ".join(in_title), " ".join(in_body))


_TAG = re.compile(r"""<!--.*?-->|<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""", re.S)
_EXCLUDED = re.compile(r"""<([a-zA-Z][\w-]*)\s[^>]*?\bclass\s*=\s*["']?[^"'>]*?(?<![\w-])(?:"""
                       + "|".join(map(re.escape, EXCLUDED_CLASSES)) + r""")(?![\w-])[^>]*>""")


def text_of(html: str) -> str:
    """The text of an HTML fragment as the index sees it: tags and excluded parts dropped, entities decoded.

    Regular expressions rather than an HTML parser: it runs for every page (a per-page cost that was a
    tenth of the site's build time), and the fragments are MkDocs' own well-formed output.
    """
    kept: list[str] = []
    position = 0
    for start in _EXCLUDED.finditer(html):
        if start.start() < position:
            continue  # inside an excluded element already skipped
        kept.append(html[position:start.start()])
        position = _end_of_element(html, start.group(1), start.end())
    kept.append(html[position:])
    return " ".join(unescape(_TAG.sub(" ", "".join(kept))).split())


def _end_of_element(html: str, name: str, position: int) -> int:
    """Where the element whose start tag ends at ``position`` closes (after nested ones of its name)."""
    depth = 1
    for tag in re.finditer(rf"<(/?){re.escape(name)}(?=[\s/>])[^>]*>", html[position:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return position + tag.end()
    return len(html)


@dataclass(frozen=True)
class IndexReport:
    """What Pagefind wrote."""

    bundle: Path
    pages: int


def pagefind_command(site_dir: Path, executable: Path) -> list[str]:
    command = [str(executable), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR]
    for name in EXCLUDED_CLASSES:
        command += ["--exclude-selectors", f".{name}"]
    return command


def build_index(site_dir: Path, executable: Path | None = None) -> IndexReport:
    """Index the built site into ``site_dir/pagefind/``; raises ``SearchIndexError`` if that fails."""
    return IndexJob.start(site_dir, executable).result()


class IndexJob:
    """Pagefind running over a built site, while the build does something else (waits for the PDF)."""

    def __init__(self, site_dir: Path, process: subprocess.Popen[str]) -> None:
        self.site_dir = site_dir
        self._process = process
        self._cancelled = False

    @classmethod
    def start(cls, site_dir: Path, executable: Path | None = None) -> "IndexJob":
        if executable is None:
            executable = _pagefind_executable()
        if not (site_dir / "index.html").is_file():
            raise SearchIndexError(f"Suchindex: Im Ordner {site_dir} liegt keine gebaute Website (index.html fehlt).")
        try:
            process = subprocess.Popen(pagefind_command(site_dir, executable), stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True)
        except OSError as exc:
            raise SearchIndexError(f"Suchindex: Pagefind ließ sich nicht starten ({exc}).") from None
        return cls(site_dir, process)

    def result(self, timeout: float = 600) -> IndexReport:
        """Wait for Pagefind and check what it wrote; raises ``SearchIndexError`` if that fails."""
        try:
            output, _ = self._process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.cancel()
            raise SearchIndexError(f"Suchindex: Pagefind ist nach {timeout:.0f} Sekunden nicht fertig geworden.") from None
        output = output.strip()
        if self._process.returncode != 0:
            raise SearchIndexError(
                f"Suchindex: Pagefind ist mit Fehlercode {self._process.returncode} abgebrochen.\n{_tail(output)}")
        if _NO_BODY in output:
            raise SearchIndexError(
                "Suchindex: Keine Seite ist mit data-pagefind-body markiert, Pagefind hätte Navigation und Fußzeile "
                "mitindiziert. Ist overrides/main.html (Block „content“) vollständig?"
            )
        return _check_bundle(self.site_dir / BUNDLE_DIR, output)

    def notify(self, when_done: Callable[["IndexReport | SearchIndexError"], None]) -> None:
        """Don't wait: call ``when_done`` from a background thread with the report or the error
        (not after ``cancel``). For ``mkdocs serve``, where the page should not wait for the index."""
        def wait() -> None:
            try:
                outcome: IndexReport | SearchIndexError = self.result()
            except SearchIndexError as error:
                outcome = error
            if not self._cancelled:
                when_done(outcome)

        threading.Thread(target=wait, name="pagefind", daemon=True).start()

    def cancel(self) -> None:
        self._cancelled = True
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()


def _check_bundle(bundle: Path, output: str) -> IndexReport:
    entry_file = bundle / "pagefind-entry.json"
    if not (bundle / "pagefind.js").is_file() or not entry_file.is_file():
        raise SearchIndexError(f"Suchindex: Pagefind meldete Erfolg, hat aber {bundle} nicht geschrieben.\n{_tail(output)}")
    languages: dict[str, Any] = json.loads(entry_file.read_text(encoding="utf-8")).get("languages", {})
    others = sorted(set(languages) - {LANGUAGE})
    if others:
        raise SearchIndexError(
            f"Suchindex: Seiten ohne <html lang=\"{LANGUAGE}\"> gefunden (Sprachen: {', '.join(others)}). "
            "Deutsche Wortstämme funktionieren nur mit lang=\"de\"."
        )
    pages = int(languages.get(LANGUAGE, {}).get("page_count", 0))
    if pages == 0:
        raise SearchIndexError(f"Suchindex: Pagefind hat keine Seite indiziert.\n{_tail(output)}")
    return IndexReport(bundle, pages)


def _pagefind_executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError(
            "Suchindex: Das Paket pagefind-bin fehlt. Bitte installieren: bash tools/setup.sh"
        ) from None
    try:
        executable: Path = get_executable()
    except FileNotFoundError as exc:
        raise SearchIndexError(f"Suchindex: Das Pagefind-Programm fehlt im Paket pagefind-bin ({exc}).") from None
    return executable


def _tail(output: str, lines: int = 15) -> str:
    return "\n".join(output.splitlines()[-lines:])
