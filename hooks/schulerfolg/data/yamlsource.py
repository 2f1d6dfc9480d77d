"""Reading YAML files with line numbers for error messages.

The fast path loads with libyaml and notes keys written twice (PyYAML silently keeps the last).
Only when something is wrong do we compose the node tree to find the line of a field.
"""

from __future__ import annotations

import gc
import os
import re
import stat
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Hashable, Iterator, Protocol, Sequence

import yaml

from schulerfolg.data.consent import CONSENT_KEY
from schulerfolg.data.problems import Problem, field_path

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest data file read (today's biggest is 0.2 MB; 100 times today's schools are about 17 MB)."""
MAX_DEPTH = 24
"""Deepest nesting of lists and mappings (today's files need 5)."""
MAX_NODES = 5_000_000
"""Most values in one file (100 times today's schools are about 1.2 million)."""
MAX_ITEMS = 200_000
"""Most entries in one list (e.g. schools; today 355)."""


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that also records keys written twice in one mapping (PyYAML keeps the last)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[yaml.Node, str | None]] = []
        self.ambiguous: list[dict[Hashable, Any]] = []  # mappings with a key written twice: which value was meant is unknown

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[object] = set()
        previous: tuple[yaml.Node, yaml.Node] | None = None
        consent: yaml.Node | None = None
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append((key_node, _empty_key(previous)))
                seen.add(key_node.value)
                if key_node.value == CONSENT_KEY:
                    consent = value_node
            previous = (key_node, value_node)
        mapping: dict[Hashable, Any] = super().construct_mapping(node, deep=deep)
        if consent is not None and CONSENT_KEY in mapping and not _literal_bool(consent):
            # Only a plain `true` (or `false`) is a decision; `yes`, `on`, "true", 1 arrive as typed, and the
            # model refuses them with a located message. The data diff sees no `True` either.
            mapping[CONSENT_KEY] = consent.value if isinstance(consent, yaml.ScalarNode) else mapping[CONSENT_KEY]
        return mapping

    def construct_yaml_map(self, node: yaml.MappingNode) -> Iterator[dict[Hashable, Any]]:
        data: dict[Hashable, Any] = {}
        yield data
        data.update(self.construct_mapping(node))
        if any(key is dup for key, _ in node.value for dup, _ in self.duplicates):
            self.ambiguous.append(data)


def _literal_bool(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style and node.value in ("true", "false")


def _empty_key(pair: tuple[yaml.Node, yaml.Node] | None) -> str | None:
    """The key just before a repeated one, if it has no value: then the repeat was meant to be indented under it."""
    if pair is None:
        return None
    key, value = pair
    if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null" and value.value in ("", "~", "null"):
        return str(key.value)
    return None


def _lenient_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    """A date YAML recognises by its shape but that does not exist (2026-13-02) stays text.

    PyYAML would raise a bare ValueError without a line; as text, the model reports it located.
    """
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Python's cycle collector paused while a file becomes plain data: the millions of new dicts and
    lists made it walk the growing heap again and again (60 % of the time for 35,500 schools, growing
    faster than the file). Plain data has no cycles to collect; the collector resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class YamlSource:
    """One data file: its text, the parsed data, and node lookup for line numbers."""

    path: Path
    display: str
    text: str
    data: Any = None
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def read_in(cls, path: Path, root: Path) -> "YamlSource":
        """Read ``path``, named in messages relative to the project ``root`` (``data/schools.yaml``)."""
        try:
            display = (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()  # not the link's target
        except ValueError:
            display = path.as_posix()
        return cls.read(path, display)

    ambiguous: set[int] = field(default_factory=set)  # id() of mappings with a key written twice

    @classmethod
    def read(cls, path: Path, display: str) -> "YamlSource":
        text, problem = read_text_bounded(path, display)
        if problem is not None:
            return cls(path, display, "", problems=[problem])
        return cls.parse(text, display, path)

    @classmethod
    def parse(cls, text: str, display: str, path: Path | None = None) -> "YamlSource":
        """A file's text (e.g. from an older git revision), parsed; problems located as in ``read``."""
        source = cls(path or Path(display), display, text)
        source._parse()
        return source

    def _parse(self) -> None:
        self.problems += character_problems(self.text, self.display)
        if self.problems:
            return
        self.problems += structure_problems(self.text, self.display)
        if self.problems:
            return
        loader = _Loader(self.text)
        try:
            with _without_cycle_collector():
                self.data = loader.get_single_data()
        except yaml.MarkedYAMLError as exc:
            self.problems.append(Problem(self.display, syntax_line(exc), "", syntax_message(exc)))
            return
        except yaml.YAMLError as exc:
            self.problems.append(Problem(self.display, 0, "", f"Die Datei ist kein gültiges YAML: {exc}"))
            return
        finally:
            loader.dispose()
        self.ambiguous = {id(d) for d in loader.ambiguous}
        for key, empty_before in loader.duplicates:
            message = "Dieses Feld steht doppelt im selben Eintrag. Bitte eines davon löschen."
            if empty_before:
                message += (f" Oder gehört es zu „{empty_before}:“ in der Zeile darüber? Dann diese Zeile um "
                            "zwei Leerzeichen weiter einrücken.")
            self.problems.append(Problem(self.display, key.start_mark.line + 1, self._path_to(key), message))
        if self.data is None:
            self.problems.append(Problem(self.display, 1, "", "Die Datei ist leer."))
        elif not isinstance(self.data, dict):
            self.problems.append(Problem(self.display, 1, "", "Die Datei muss mit Feldnamen beginnen "
                                         "(z. B. „schulen:“), nicht mit einer Liste oder einem Text."))

    @cached_property
    def root(self) -> yaml.Node | None:
        try:
            return yaml.compose(self.text, Loader=_Base)
        except yaml.YAMLError:
            return None

    def node_at(self, loc: Sequence[str | int]) -> tuple[yaml.Node | None, bool]:
        """The deepest node along ``loc``; the flag says whether the whole path was found."""
        node = self.root
        if node is None:
            return None, False
        for part in loc:
            child = _child(node, part)
            if child is None:
                return node, False
            node = child
        return node, True

    def _path_to(self, target: yaml.Node) -> str:
        """The field path (``schulen[4].plz``) of the key node at the same place as ``target``."""
        where = (target.start_mark.line, target.start_mark.column)
        stack: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(self.root, ())] if self.root else []
        while stack:
            node, loc = stack.pop()
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if (key.start_mark.line, key.start_mark.column) == where:
                        return field_path((*loc, key.value))
                    stack.append((value, (*loc, key.value)))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((item, (*loc, i)) for i, item in enumerate(node.value))
        return str(target.value)

    def line_of(self, loc: Sequence[str | int]) -> int:
        node, _ = self.node_at(loc)
        return node.start_mark.line + 1 if node is not None else 0

    def scalar_text(self, loc: Sequence[str | int]) -> str | None:
        """The value exactly as the editor typed it (e.g. ``01067`` before YAML made it 567)."""
        node, found = self.node_at(loc)
        if found and isinstance(node, yaml.ScalarNode):
            return str(node.value)
        return None


# --- reading safely: a regular file of bounded size, UTF-8, no control characters ------------------------


def read_text_bounded(path: Path, display: str, limit: int = MAX_FILE_BYTES) -> tuple[str, Problem | None]:
    """The text of ``path``, or a located German problem: symbolic links, folders, devices and files
    over ``limit`` bytes are refused without being read; bytes that are not UTF-8 are located by line."""
    def problem(message: str, line: int = 0) -> tuple[str, Problem]:
        return "", Problem(display, line, "", message)

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return problem("Die Datei fehlt.")
    except OSError as exc:
        return problem(f"Die Datei kann nicht gelesen werden ({exc.strerror or exc}).")
    if stat.S_ISLNK(info.st_mode):
        return problem("Die Datei ist eine symbolische Verknüpfung (Symlink). Bitte die Datei selbst "
                       "ablegen: Verknüpfungen werden aus Sicherheitsgründen nicht gelesen.")
    if stat.S_ISDIR(info.st_mode):
        return problem("Hier steht ein Ordner statt einer Datei.")
    if not stat.S_ISREG(info.st_mode):
        return problem("Das ist keine gewöhnliche Datei (z. B. ein Gerät oder eine Pipe) und wird nicht gelesen.")
    if info.st_size > limit:
        return problem(f"Die Datei ist zu groß ({info.st_size / 1e6:.1f} MB, erlaubt sind {limit / 1e6:.0f} MB).")
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        return problem(f"Die Datei kann nicht gelesen werden ({exc.strerror or exc}).")
    if len(raw) > limit:
        return problem(f"Die Datei ist zu groß (mehr als {limit / 1e6:.0f} MB).")
    return decode_utf8(raw, display)


def decode_utf8(raw: bytes, display: str) -> tuple[str, Problem | None]:
    """UTF-8 text (a leading byte-order mark is dropped), or a problem at the line of the first bad byte."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return "", Problem(display, line, "", f"Die Datei ist nicht als UTF-8 gespeichert: ungültiges Byte 0x{raw[exc.start]:02X} "
                                              f"in Spalte {column}. Bitte die Datei als „UTF-8“ speichern (im Editor unter "
                                              "„Kodierung“) und Sonderzeichen wie ä, ö, ü, ß prüfen.")


def forbidden_character(char: str) -> str | None:
    """Why ``char`` may not appear in a data file or a text value, or None.

    Refused: control characters (except line feed; TAB only where YAML needs none), format characters
    (Unicode category Cf: bidi overrides, zero-width spaces, soft hyphens), line and paragraph separators,
    private-use and unassigned code points, and non-characters.
    """
    code = ord(char)
    if char == "\n":
        return None
    if char == "\t":
        return "ein Tabulatorzeichen"
    if char == "\r":
        return "ein Wagenrücklauf (CR) ohne Zeilenumbruch"
    if char == "\x1b":
        return "ein Escape-Zeichen (ESC, U+001B)"
    category = unicodedata.category(char)
    name = unicodedata.name(char, "")
    label = f"U+{code:04X}" + (f" {name}" if name else "")
    if category == "Cc":
        return f"ein Steuerzeichen ({label})"
    if category == "Cf":
        return f"ein unsichtbares Formatzeichen ({label})"
    if category in ("Zl", "Zp"):
        return f"ein Zeilen- oder Absatztrenner ({label})"
    if category in ("Co", "Cn", "Cs") or (code & 0xFFFE) == 0xFFFE:
        return f"ein nicht zulässiges Zeichen ({label})"
    return None


def character_hint(char: str) -> str:
    if char == "\t":
        return "Bitte stattdessen Leerzeichen verwenden."
    return "Bitte löschen (solche Zeichen sind oft unsichtbar und kommen z. B. beim Kopieren aus Webseiten mit)."


_SUSPECT = re.compile(r"[^\n\x20-\x7e\xa0-\xac\xae-\u05ff\u0700-\u17ff\u1900-\u1fff\u2010-\u2027\u2030-\u205f"
                      r"\u2070-\ud7ff\uf900-\ufefe\uff00-\ufff8]")
"""A superset of the refused characters (fast pre-filter; ``forbidden_character`` decides)."""


def character_problems(text: str, display: str, first_line: int = 1, allow_tab: bool = False) -> list[Problem]:
    """A located problem per line for every refused character (see ``forbidden_character``).

    CR is allowed only as part of a Windows line end (CR LF)."""
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    for match in _SUSPECT.finditer(text):
        char, at = match.group(0), match.start()
        if char == "\r" and text.startswith("\r\n", at) or char == "\t" and allow_tab:
            continue
        why = forbidden_character(char)
        if why is None:
            continue
        line = text.count("\n", 0, at) + first_line
        if (line, why) in seen:
            continue
        seen.add((line, why))
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        problems.append(Problem(display, line, "", f"Die Zeile enthält {why} in Spalte {column}. {character_hint(char)}"))
        if len(problems) >= 50:
            break
    return problems


class _Mark(Protocol):
    """Where an event starts: PyYAML's ``Mark`` or libyaml's, which have the same ``line``."""

    line: int


def structure_problems(text: str, display: str) -> list[Problem]:
    """Anchors, aliases, tags and oversized structures, located, before anything is built from the file.

    Editors never need anchors (``&name``) or aliases (``*name``); refusing them rules out alias bombs
    and self-referencing data, which made the line-number lookup loop for ever."""
    problems: list[Problem] = []

    def add(mark: _Mark | None, message: str) -> None:
        if len(problems) < 50:
            problems.append(Problem(display, mark.line + 1 if mark else 0, "", message))

    depth, nodes = 0, 0
    items: list[int] = []  # per open list or mapping: values so far (a mapping counts keys and values)
    kinds: list[bool] = []  # per open list or mapping: is it a mapping
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.AliasEvent):
                add(event.start_mark, f"Verweise mit „*{event.anchor}“ (YAML-Alias) sind nicht erlaubt. Bitte den "
                                      "Wert ausschreiben.")
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent,
                                      yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
                items.pop()
                kinds.pop()
                continue
            nodes += 1
            if items:
                items[-1] += 1
                if items[-1] == MAX_ITEMS * (2 if kinds[-1] else 1) + 1:
                    add(event.start_mark, f"Die Liste oder der Eintrag ist zu lang (mehr als {MAX_ITEMS:,} Einträge)."
                        .replace(",", "."))
            if nodes == MAX_NODES + 1:
                add(event.start_mark, f"Die Datei enthält zu viele Werte (mehr als {MAX_NODES:,}).".replace(",", "."))
                break
            if getattr(event, "anchor", None):
                add(event.start_mark, f"Anker wie „&{event.anchor}“ (YAML-Anker) sind nicht erlaubt. Bitte das "
                                      "„&“ mit dem Namen dahinter löschen und Werte ausschreiben.")
            tag = getattr(event, "tag", None)
            if tag is not None:
                add(event.start_mark, f"Typangaben wie „{tag}“ sind nicht erlaubt. Bitte den Wert ohne „!“ "
                                      "schreiben (Texte in Anführungszeichen).")
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                items.append(0)
                kinds.append(isinstance(event, yaml.MappingStartEvent))
                if depth == MAX_DEPTH + 1:
                    add(event.start_mark, f"Die Daten sind zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen). "
                                          "Bitte die Einrückung prüfen.")
                    break
    except yaml.MarkedYAMLError as exc:
        problems.append(Problem(display, syntax_line(exc), "", syntax_message(exc)))
    except yaml.YAMLError as exc:
        problems.append(Problem(display, 0, "", f"Die Datei ist kein gültiges YAML ({exc})."))
    return problems


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
        for key, value in pairs:
            if key.value == part:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        items: list[yaml.Node] = node.value
        return items[part]
    return None


def key_line(source: YamlSource, loc: Sequence[str | int]) -> int:
    """Line of the key itself (for unknown fields) rather than of its value."""
    parent, found = source.node_at(loc[:-1])
    if found and isinstance(parent, yaml.MappingNode):
        pairs: list[tuple[yaml.Node, yaml.Node]] = parent.value
        for key, _ in pairs:
            if key.value == loc[-1]:
                return key.start_mark.line + 1
    return source.line_of(loc)


def syntax_line(exc: yaml.MarkedYAMLError) -> int:
    """The line to point editors to: where an unclosed quote or bracket began, else where YAML stopped."""
    context = (exc.context or "").lower()
    mark = exc.problem_mark
    if exc.context_mark is not None and ("quoted scalar" in context or "flow" in context):
        mark = exc.context_mark
    mark = mark or exc.context_mark
    return mark.line + 1 if mark else 0


def syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").lower()
    context = (exc.context or "").lower()
    if "\\t" in problem or "tab" in problem:
        hint = "Die Zeile enthält ein Tabulatorzeichen. Bitte nur Leerzeichen zum Einrücken verwenden."
    elif "escape" in problem:
        hint = ("In einem Text in doppelten Anführungszeichen steht ein \\ mit einem unbekannten Zeichen danach. "
                "Bitte einfache Anführungszeichen verwenden oder \\\\ schreiben.")
    elif "quoted scalar" in context or "end of stream" in problem and "quot" in context:
        hint = "Ein Anführungszeichen, das in dieser Zeile beginnt, wird nicht geschlossen."
    elif "flow" in context or "',' or ']'" in problem or "',' or '}'" in problem:
        hint = ("Eine Klammer „[“ oder „{“, die in dieser Zeile beginnt, wird nicht geschlossen, oder zwischen "
                "den Werten fehlt ein Komma. Texte mit Klammern bitte in Anführungszeichen setzen.")
    elif "cannot start any token" in problem:
        hint = ("Ein Wert beginnt mit einem Zeichen, mit dem YAML keinen Text beginnen lässt (z. B. @, ` oder %). "
                "Bitte den Wert in Anführungszeichen setzen.")
    elif "mapping values are not allowed" in problem:
        hint = "Ein Doppelpunkt steht an einer unerwarteten Stelle. Texte mit „: “ bitte in Anführungszeichen setzen."
    elif "expected <block end>" in problem or "did not find expected" in problem:
        hint = "Die Einrückung stimmt nicht. Felder eines Eintrags müssen genau untereinander stehen."
    elif "end of stream" in problem:
        hint = "Die Datei endet mitten in einem Wert. Fehlt ein schließendes Anführungszeichen oder eine Klammer?"
    else:
        hint = "Bitte Einrückung, Doppelpunkte und Anführungszeichen in dieser Zeile prüfen."
    return f"Die Datei ist kein gültiges YAML. {hint} (Technische Meldung: {exc.problem})"
