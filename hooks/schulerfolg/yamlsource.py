"""Reading YAML files with line numbers for error messages.

The fast path loads with libyaml and notes keys written twice (PyYAML silently keeps the last).
Only when something is wrong do we compose the node tree to find the line of a field.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator, Sequence

import yaml

from .problems import Problem, field_path

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that also records keys written twice in one mapping (PyYAML keeps the last)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[yaml.Node, str | None]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:  # type: ignore[override]
        seen: set[object] = set()
        previous: tuple[yaml.Node, yaml.Node] | None = None
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append((key_node, _empty_key(previous)))
                seen.add(key_node.value)
            previous = (key_node, value_node)
        return super().construct_mapping(node, deep=deep)


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
            display = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            display = path.as_posix()
        return cls.read(path, display)

    @classmethod
    def read(cls, path: Path, display: str) -> "YamlSource":
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path, display, "", problems=[Problem(display, 0, "", "Die Datei fehlt.")])
        except UnicodeDecodeError as exc:
            return cls(path, display, "", problems=[Problem(display, 0, "", f"Die Datei ist nicht als UTF-8 gespeichert ({exc.reason}).")])
        except IsADirectoryError:
            return cls(path, display, "", problems=[Problem(display, 0, "", "Hier steht ein Ordner statt einer Datei.")])
        except OSError as exc:
            return cls(path, display, "", problems=[Problem(display, 0, "", f"Die Datei kann nicht gelesen werden ({exc}).")])
        return cls.parse(text, display, path)

    @classmethod
    def parse(cls, text: str, display: str, path: Path | None = None) -> "YamlSource":
        """A file's text (e.g. from an older git revision), parsed; problems located as in ``read``."""
        source = cls(path or Path(display), display, text)
        source._parse()
        return source

    def _parse(self) -> None:
        loader = _Loader(self.text)
        try:
            with _without_cycle_collector():
                self.data = loader.get_single_data()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            self.problems.append(Problem(self.display, line, "", syntax_message(exc)))
            return
        except yaml.YAMLError as exc:
            self.problems.append(Problem(self.display, 0, "", f"Die Datei ist kein gültiges YAML: {exc}"))
            return
        finally:
            loader.dispose()
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
            return node.value
        return None


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if key.value == part:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def key_line(source: YamlSource, loc: Sequence[str | int]) -> int:
    """Line of the key itself (for unknown fields) rather than of its value."""
    parent, found = source.node_at(loc[:-1])
    if found and isinstance(parent, yaml.MappingNode):
        for key, _ in parent.value:
            if key.value == loc[-1]:
                return key.start_mark.line + 1
    return source.line_of(loc)


def syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").lower()
    if "\\t" in problem or "tab" in problem:
        hint = "Die Zeile enthält ein Tabulatorzeichen. Bitte nur Leerzeichen zum Einrücken verwenden."
    elif "mapping values are not allowed" in problem:
        hint = "Ein Doppelpunkt steht an einer unerwarteten Stelle. Texte mit „: “ bitte in Anführungszeichen setzen."
    elif "expected <block end>" in problem or "did not find expected" in problem:
        hint = "Die Einrückung stimmt nicht. Felder eines Eintrags müssen genau untereinander stehen."
    elif "found unexpected end of stream" in problem or "found unexpected" in problem and "quot" in problem:
        hint = "Ein Anführungszeichen wurde nicht geschlossen."
    else:
        hint = "Bitte Einrückung, Doppelpunkte und Anführungszeichen in dieser Zeile prüfen."
    return f"Die Datei ist kein gültiges YAML. {hint} (Technische Meldung: {exc.problem})"
