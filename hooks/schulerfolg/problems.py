"""Located problems in the editors' data files, reported all at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is (file, line, field) and what is wrong, in German."""

    file: str
    line: int
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "Warnung: " if self.warning else ""
        field = f" {self.field}:" if self.field else ""
        return f"{location}:{field} {prefix}{self.message}"


class DataError(Exception):
    """Raised when the data files contain errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem]) -> str:
    """The German report: a summary line, then one line per problem, sorted by file and line."""
    ordered = sorted(problems)
    errors = [p for p in ordered if not p.warning]
    head = f"Die Daten enthalten {len(errors)} Fehler. Bitte korrigieren:" if errors else "Hinweise zu den Daten:"
    return "\n".join([head, *(f"  {p}" for p in ordered)])


def field_path(loc: Iterable[str | int]) -> str:
    """Render a location tuple as editors read it: ``schulen[17].plz``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
