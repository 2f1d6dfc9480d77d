"""The editors' check of the Markdown pages in docs/: what a page may contain, located as
``docs/<datei>:<zeile>: meldung`` in German. Run by ``validate`` and by ``mkdocs build`` before any page
is rendered, so that the build itself refuses what the site's gates would refuse.

Checked: the file (UTF-8, no control or invisible format characters), the front matter (valid YAML,
known keys, one-line texts without markup for the values that reach ``<head>``), raw HTML (no scripts,
frames, embedded objects, forms, style or meta elements, no ``on…`` event handlers), every link and
image address (only https, http, mailto, tel; images only from the site itself), links to other pages
and their ``#anchors``, alternative text of every image, and heading levels (none skipped).
Standard library only, like ``gates``; fenced code blocks and inline code are not checked.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from schulerfolg.qa.gates import LINK_SCHEMES, is_other_host, parse_html, url_scheme
from schulerfolg.site.headmeta import HEAD_KEYS
from schulerfolg.site.targets import DocsSite
from schulerfolg.data.problems import Problem
from schulerfolg.data.yamlsource import YamlSource, character_problems, read_text_bounded

FRONT_MATTER_KEYS = {
    "title": "Seitentitel (Browser-Tab und Navigation)",
    "description": "Kurzbeschreibung für Suchmaschinen",
    "author": "Verfasser:in",
    "hide": "ausgeblendete Teile: navigation, toc, footer, path",
    "search": "Einstellungen für die Suche",
}
HIDE_VALUES = ("navigation", "toc", "footer", "path", "tags", "feedback")
FORBIDDEN_TAGS = {
    "script": "ein Skript", "iframe": "ein eingebetteter Rahmen (iframe)", "frame": "ein Rahmen (frame)",
    "frameset": "ein Rahmen (frameset)", "object": "ein eingebettetes Objekt", "embed": "ein eingebettetes Objekt",
    "applet": "ein eingebettetes Programm", "base": "eine Basisadresse (base)", "meta": "ein meta-Element",
    "link": "ein link-Element", "style": "ein style-Element", "form": "ein Formular", "input": "ein Eingabefeld",
    "button": "eine Schaltfläche", "textarea": "ein Eingabefeld", "select": "eine Auswahlliste",
    "template": "ein template-Element", "portal": "ein portal-Element", "svg": "eine eingebettete SVG-Grafik",
    "math": "ein math-Element", "noscript": "ein noscript-Element",
}
URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "xlink:href", "background", "cite",
             "srcset", "ping", "longdesc", "manifest", "codebase")

_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*(?:\n|$)", re.DOTALL)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(<[^>\n]*>|[^\s)]*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_IMAGE = re.compile(r"!\[\s*\]\[[^\]]*\]")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*)\}")
_ATTR = re.compile(r"([^\s=\"'#.{}]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s}]+)")
_EXPLICIT_ID = re.compile(r"\{[^{}\n]*#([\w-]+)[^{}\n]*\}")
_HTML_ID = re.compile(r"\bid\s*=\s*[\"']([^\"']+)[\"']")




def check_docs(docs_dir: Path, root: Path, site: DocsSite = DocsSite()) -> list[Problem]:
    """Every problem in every Markdown file of ``docs_dir``, located relative to ``root``."""
    paths = sorted(p for p in docs_dir.rglob("*.md") if not _hidden(p.relative_to(docs_dir)))
    sources: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = [
        Problem(_display(p, root), 0, "", "Die Datei ist eine symbolische Verknüpfung (Symlink). Bitte die Datei "
                                          "selbst ablegen: Verknüpfungen würden fremde Dateien in die Website kopieren.")
        for p in sorted(docs_dir.rglob("*")) if p.is_symlink() and p.suffix != ".md"]
    for path in paths:
        src_uri = path.relative_to(docs_dir).as_posix()
        display = _display(path, root)
        text, problem = read_text_bounded(path, display)
        if problem is not None:
            problems.append(problem)
            continue
        sources[src_uri] = (display, text)
    anchors = {src: _anchors(text) for src, (_, text) in sources.items()}
    for src_uri, (display, text) in sources.items():
        problems += check_page(src_uri, display, text, set(sources), anchors, site)
    return sorted(problems)


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _display(path: Path, root: Path) -> str:
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_page(src_uri: str, display: str, text: str, docs_pages: set[str] | None = None,
               anchors: dict[str, set[str]] | None = None, site: DocsSite = DocsSite()) -> list[Problem]:
    """The problems of one page (``src_uri`` relative to docs/, ``display`` as editors see the path)."""
    problems = character_problems(text, display, allow_tab=True)
    if problems:
        return problems
    meta, body, body_line = _front_matter(text, display, problems)
    if meta is not None:
        problems += _meta_problems(meta, display)
    lines = _code_blanked(body)
    problems += _heading_problems(lines, display, body_line)
    problems += _markup_problems("\n".join(lines), display, body_line)
    problems += _link_problems(src_uri, lines, display, body_line, docs_pages, anchors, site)
    return problems


# --- front matter -----------------------------------------------------------------------------------


def _front_matter(text: str, display: str, problems: list[Problem]) -> tuple[dict[str, Any] | None, str, int]:
    """The parsed front matter (None if absent or broken), the body and the body's first line number."""
    if not re.match(r"-{3}[ \t]*\n", text):
        return None, text, 1
    match = _FRONT_MATTER.match(text)
    if match is None:
        problems.append(Problem(display, 1, "", "Der Kopfbereich (Front Matter) ab „---“ wird nicht mit einer Zeile "
                                                "„---“ geschlossen. Bitte die schließende Zeile ergänzen."))
        return None, text, 1
    source = YamlSource.parse(match.group(1), display)
    body_line = match.group(0).count("\n") + 1
    for p in source.problems:
        if p.message == "Die Datei ist leer.":
            continue
        message = p.message.replace("Die Datei muss mit Feldnamen beginnen (z. B. „schulen:“), nicht mit einer Liste "
                                    "oder einem Text.", "Der Kopfbereich muss aus Feldern wie „title: …“ bestehen.")
        problems.append(Problem(display, p.line + 1 if p.line else 1, p.field,
                                message.replace("Die Datei ist kein gültiges YAML", "Der Kopfbereich (Front Matter) "
                                                                                    "ist kein gültiges YAML")))
    meta = source.data if isinstance(source.data, dict) else None
    if meta is not None:
        meta = {"__lines__": {k: source.line_of((k,)) + 1 for k in meta}, **meta}
    return meta, text[match.end():], body_line


def _meta_problems(meta: dict[str, Any], display: str) -> list[Problem]:
    lines: dict[str, int] = meta.pop("__lines__")
    problems = []
    for key, value in meta.items():
        line = lines.get(key, 1)
        if key not in FRONT_MATTER_KEYS:
            known = ", ".join(f"{k} ({v})" for k, v in FRONT_MATTER_KEYS.items())
            problems.append(Problem(display, line, str(key), f"Unbekanntes Feld im Kopfbereich. Erlaubt sind: {known}."))
        elif key in HEAD_KEYS:
            problems += _head_value_problems(key, value, display, line)
        elif key == "hide" and not (isinstance(value, list) and all(v in HIDE_VALUES for v in value)):
            problems.append(Problem(display, line, key, f"Hier wird eine Liste erwartet, erlaubt sind: {', '.join(HIDE_VALUES)}."))
        elif key == "search" and not (isinstance(value, dict) and all(isinstance(v, (str, int, float, bool)) for v in value.values())):
            problems.append(Problem(display, line, key, "Hier werden eingerückte Unterfelder erwartet (z. B. „exclude: true“)."))
    return problems


def _head_value_problems(key: str, value: Any, display: str, line: int) -> list[Problem]:
    """Title, description and author reach ``<head>``: a one-line text without markup."""
    if not isinstance(value, str):
        return [Problem(display, line, key, "Hier wird ein einzelner Text erwartet (in Anführungszeichen, wenn er "
                                            "einen Doppelpunkt enthält).")]
    if not value.strip():
        return [Problem(display, line, key, "Der Wert ist leer. Bitte einen Text eintragen oder das Feld weglassen.")]
    if re.search(r"[<>]", value) or re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", value, re.I):
        return [Problem(display, line, key, "Der Text enthält HTML (<, > oder &…;). Im Kopfbereich ist nur einfacher "
                                            "Text erlaubt; er erscheint im Seitentitel und in der Beschreibung der Seite.")]
    bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")), None)
    if bad is not None:
        return [Problem(display, line, key, f"Der Text enthält ein unsichtbares Steuer- oder Formatzeichen "
                                            f"(U+{ord(bad):04X}). Bitte löschen.")]
    return []


# --- body ------------------------------------------------------------------------------------------------


def _code_blanked(body: str) -> list[str]:
    """The body's lines with fenced code blocks and inline code replaced by blanks (lines kept)."""
    out: list[str] = []
    fence: str | None = None
    for line in body.split("\n"):
        match = _FENCE.match(line) if "``" in line or "~~" in line else None
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            out.append("")
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            out.append("")
        else:
            out.append(_INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line)
    return out


def _heading_problems(lines: list[str], display: str, first: int) -> list[Problem]:
    problems = []
    previous = 0
    for i, line in enumerate(lines):
        match = _HEADING.match(line) if line.lstrip(" ").startswith("#") else None
        if not match:
            continue
        level = len(match.group(1))
        if not (match.group(2) or "").strip():
            problems.append(Problem(display, first + i, "", "Die Überschrift ist leer. Bitte Text hinter die # schreiben."))
        if level > previous + 1:
            expected = "#" * (previous + 1)
            before = f"auf eine Überschrift der Ebene {previous}" if previous else "am Anfang der Seite"
            problems.append(Problem(display, first + i, "", f"Überschrift der Ebene {level} {before}: Bitte keine Ebene "
                                                            f"überspringen (hier „{expected}“), sonst verlieren "
                                                            "Screenreader-Nutzer:innen die Gliederung."))
        previous = level
    return problems


def _markup_problems(body: str, display: str, first: int) -> list[Problem]:
    """Raw HTML in the Markdown: forbidden elements, event handlers, unsafe addresses, images without alt."""
    problems = []
    for tag in parse_html(body):
        line = first + tag.line - 1
        if tag.name in FORBIDDEN_TAGS:
            problems.append(Problem(display, line, "", f"Die Seite enthält {FORBIDDEN_TAGS[tag.name]} (<{tag.name}>). "
                                                       "Das ist auf der Website nicht erlaubt: Skripte, Rahmen, "
                                                       "Formulare und eingebettete Inhalte bitte entfernen."))
        for attr, value in tag.attrs.items():
            if attr.startswith("on"):
                problems.append(Problem(display, line, "", f"Das Attribut „{attr}“ (ein Skript im HTML) ist nicht "
                                                           "erlaubt. Bitte entfernen."))
            elif attr in ("srcdoc", "formaction"):
                problems.append(Problem(display, line, "", f"Das Attribut „{attr}“ ist nicht erlaubt. Bitte entfernen."))
            elif attr in URL_ATTRS:
                problems += _url_problems(value, display, line, image=tag.name in ("img", "source", "video", "audio")
                                          or attr != "href")
        if tag.name == "img" and not (tag.get("alt") or "").strip():
            problems.append(_missing_alt(display, line, tag.get("src") or ""))
    return problems


def _missing_alt(display: str, line: int, src: str = "") -> Problem:
    name = f" „{_short(src)}“" if src else ""
    return Problem(display, line, "", f"Das Bild{name} hat keinen Alternativtext. Bitte beschreiben, was es zeigt: "
                                      "![Beschreibung](bild.png) bzw. alt=\"Beschreibung\".")


def _url_problems(url: str, display: str, line: int, image: bool = False) -> list[Problem]:
    target = url.strip().strip("<>")
    scheme = url_scheme(target)
    if scheme is not None and scheme not in LINK_SCHEMES:
        return [Problem(display, line, "", f"Die Adresse „{_short(target)}“ ist nicht erlaubt: Links dürfen nur mit "
                                           "https:, http:, mailto: oder tel: beginnen (oder auf eine Seite dieser Website "
                                           "zeigen).")]
    if image and is_other_host(target):
        return [Problem(display, line, "", f"Das Bild „{_short(target)}“ käme von einem anderen Server. Bilder bitte "
                                           "im Ordner docs/ ablegen: Die Website lädt nichts von anderen Servern.")]
    return []


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


# --- links --------------------------------------------------------------------------------------------------


def _link_problems(src_uri: str, lines: list[str], display: str, first: int, docs_pages: set[str] | None,
                   anchors: dict[str, set[str]] | None, site: DocsSite) -> list[Problem]:
    problems = []
    for i, line in enumerate(lines):
        number = first + i
        for match in _LINK.finditer(line) if "](" in line else ():
            image, label, url = match.group(1) == "!", match.group(2), match.group(3).strip("<>")
            if image and not label.strip():
                problems.append(_missing_alt(display, number, url))
            problems += _url_problems(url, display, number, image=image)
            if not image:
                problems += _target_problems(src_uri, url, display, number, docs_pages, anchors, site)
        if "![" in line and _REF_IMAGE.search(line):
            problems.append(_missing_alt(display, number))
        for match in _AUTOLINK.finditer(line) if "<" in line else ():
            problems += _url_problems(match.group(1), display, number)
        ref = _REF_DEF.match(line) if "]:" in line else None
        if ref:
            problems += _url_problems(ref.group(2).strip("<>"), display, number)
        for attrs in _ATTR_LIST.finditer(line) if "{" in line else ():
            for name, value in _ATTR.findall(attrs.group(1)):
                value = value.strip("\"'")
                if name.lower().startswith("on"):
                    problems.append(Problem(display, number, "", f"Das Attribut „{name}“ (ein Skript im HTML) ist nicht "
                                                                 "erlaubt. Bitte aus den geschweiften Klammern entfernen."))
                elif name.lower() in URL_ATTRS or name.lower() in ("srcdoc", "style"):
                    problems.append(Problem(display, number, "", f"Das Attribut „{name}“ ist in geschweiften Klammern "
                                                                 "nicht erlaubt. Bitte entfernen."))
    return problems


def _target_problems(src_uri: str, url: str, display: str, line: int, docs_pages: set[str] | None,
                     anchors: dict[str, set[str]] | None, site: DocsSite) -> list[Problem]:
    """A link to another page or file of the site: it must exist (and its #anchor too)."""
    if not url or url_scheme(url) is not None or url.startswith(("//", "\\")):
        return []
    path, _, fragment = url.partition("#")
    path = path.split("?")[0]
    if not path:
        target = src_uri
    elif path.startswith("/"):
        return [Problem(display, line, "", f"Der Link „{_short(url)}“ beginnt mit „/“. Bitte relativ zur Seite verlinken, "
                                           "z. B. „../programm.md“: Sonst funktioniert er nicht überall.")]
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path))
    if target.startswith("../") or target == "..":
        return [Problem(display, line, "", f"Der Link „{_short(url)}“ führt aus dem Ordner docs/ hinaus.")]
    if docs_pages is None:
        return []
    if target.endswith(".md"):
        if target in docs_pages:
            if fragment and anchors is not None and _fold(fragment) not in {_fold(a) for a in anchors.get(target, ())}:
                return [Problem(display, line, "", f"Den Abschnitt „#{_short(fragment)}“ gibt es auf der Seite {target} "
                                                   "nicht. Bitte die Überschrift prüfen (Anker werden aus der "
                                                   "Überschrift gebildet, z. B. „## Unsere Ziele“ → #unsere-ziele).")]
            return []
        if site.pages is None or target in site.pages:
            return []
        return [Problem(display, line, "", f"Der Link „{_short(url)}“ führt zu keiner Seite (docs/{target} gibt es nicht). "
                                           "Bitte den Dateinamen prüfen, z. B. „07-kinderschutz.md“.")]
    if (Path(target).suffix == "" or path.endswith("/")):
        return [Problem(display, line, "", f"Der Link „{_short(url)}“ zeigt auf einen Ordner. Bitte auf die Markdown-Datei "
                                           "verlinken, z. B. „schulen/index.md“.")]
    if site.files is None or target in site.files:
        return []
    return [Problem(display, line, "", f"Der Link „{_short(url)}“ führt zu keiner Datei (docs/{target} gibt es nicht).")]


def _anchors(text: str) -> set[str]:
    """The ids a page's headings and elements get (as the toc extension makes them, approximately)."""
    ids: set[str] = set()
    counts: dict[str, int] = {}
    for line in _code_blanked(text):
        if "{" in line:
            ids.update(_EXPLICIT_ID.findall(line))
        if "id" in line:
            ids.update(_HTML_ID.findall(line))
        match = _HEADING.match(line) if line.lstrip(" ").startswith("#") else None
        if match and match.group(2):
            heading = _EXPLICIT_ID.sub("", match.group(2))
            slug = _slugify(heading)
            n = counts.get(slug, 0)
            counts[slug] = n + 1
            ids.add(slug if n == 0 else f"{slug}_{n}")
    return ids


def _slugify(text: str) -> str:
    """Python-Markdown's default toc slug: accents dropped, lower case, non-word characters removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _fold(anchor: str) -> str:
    return re.sub(r"[^a-z0-9]", "", anchor.lower())


def known_targets(pages: Iterable[str], files: Iterable[str]) -> DocsSite:
    return DocsSite(frozenset(pages), frozenset(files))
