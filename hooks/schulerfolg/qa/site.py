"""The site's gates inside the build: the built site checked before it is published, as German problems."""

from __future__ import annotations

from pathlib import Path

from schulerfolg.data.problems import Problem
from schulerfolg.qa import gates


GATE_MESSAGES = {
    "fremder-host": "lädt etwas von einem anderen Server",
    "link-schema": "enthält einen Link mit unsicherem Schema",
    "inline-script": "enthält ein Skript im HTML",
    "event-handler": "enthält ein on…-Attribut (Skript)",
    "javascript-url": "enthält eine javascript:-Adresse",
    "srcdoc": "enthält einen eingebetteten Rahmen (srcdoc)",
    "csp": "hat keine gültige Content-Security-Policy",
    "markup-in-daten": "enthält HTML-Markup in Daten",
    "csv-formel": "enthält eine Zelle, die eine Tabellenkalkulation als Formel ausführen würde",
    "vcard": "hat eine beschädigte vCard-Struktur",
}
"""The build's gates (``gates.site_findings`` without the link check, which MkDocs does itself)."""

_KEYWORDS = {"inline-script": "<script", "javascript-url": "script:", "srcdoc": "srcdoc"}


def site_gate_problems(site_dir: Path, sources: dict[str, tuple[str, str]]) -> list[Problem]:
    """The site's static gates over the built site, as German problems; ``sources`` maps a page's
    site path to its docs/ file and text, so that a finding there is located at a line of that file."""
    site = _read_site(site_dir)
    findings = []
    for path, tags in site.pages.items():
        findings += gates.external_resources(path, tags) + gates.link_schemes(path, tags) + gates.unsafe_markup(path, tags)
        findings += gates.content_security_policy(path, tags)
    for path in site.with_suffix(".css"):
        findings += gates.external_css(path, (site.root / path).read_text(encoding="utf-8", errors="replace"))
    for path in site.with_suffix(*gates.DATA_SUFFIXES):
        findings += gates.markup_in_data(path, gates.file_text(site.root / path))
    for path in site.with_suffix(".csv"):
        findings += gates.csv_formulas(path, gates.file_text(site.root / path))
    for path in site.with_suffix(".vcf"):
        findings += gates.vcard_structure(path, gates.file_text(site.root / path))
    problems = []
    for finding in sorted(findings):
        what = GATE_MESSAGES.get(finding.rule, finding.rule)
        if finding.file in sources:
            display, text = sources[finding.file]
            problems.append(Problem(display, _line_in(text, finding), "", f"Die Seite {what} ({finding.detail}). "
                                                                          "Bitte entfernen."))
        else:
            problems.append(Problem(f"site/{finding.file}", 0, "", f"Die erzeugte Datei {what} ({finding.detail}). Das "
                                                                   "ist ein Fehler im Programm, nicht in Ihren Daten: "
                                                                   "bitte der Koordinierungsstelle melden."))
    return problems


def _read_site(root: Path) -> gates.Site:
    """``gates.Site.read``, but the parts that every page of a folder shares (navigation, footer) are parsed
    once: every byte of every page is still read, each distinct text only once (5x faster on today's site)."""
    site = gates.Site(root)
    cache: dict[str, list[gates.Tag]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        site.files.append(rel)
        if path.suffix == ".html":
            site.pages[rel] = _page_tags(path.read_text(encoding="utf-8"), cache)
    return site


def _page_tags(text: str, cache: dict[str, list[gates.Tag]]) -> list[gates.Tag]:
    """The tags of a page parsed in four parts cut at ``</head>``, ``<article`` and the last ``</article>``
    (boundaries the theme writes, outside any script or comment); the 2nd and 4th parts are cached."""
    head = text.find("</head>")
    start = text.find("<article", head)
    end = text.rfind("</article>")
    if min(head, start, end) < 0 or not head < start < end:
        return gates.parse_html(text)
    tags: list[gates.Tag] = []
    offset = 0
    for i, (a, b) in enumerate(((0, head), (head, start), (start, end), (end, len(text)))):
        part = text[a:b]
        parsed = cache.get(part) if i % 2 else None
        if parsed is None:
            parsed = gates.parse_html(part)
            if i % 2:
                cache[part] = parsed
        tags += [gates.Tag(t.name, t.attrs, t.line + offset, t.text) for t in parsed] if offset else parsed
        offset += part.count("\n")
    return tags


def _line_in(text: str, finding: gates.Finding) -> int:
    """The line of a docs/ file that most likely caused a finding in its built page (1 if unknown)."""
    detail = finding.detail.split(": ", 1)[-1]
    needles = [_KEYWORDS.get(finding.rule, "")]
    attr = detail.split(">", 1)[-1].strip().split("=", 1)
    if len(attr) == 2:
        needles += [attr[0].strip(), attr[1][:20]]
    needles.append(detail.split(" ")[-1][:30])
    for needle in (n for n in needles if n and len(n) > 2):
        at = text.lower().find(needle.lower())
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1
