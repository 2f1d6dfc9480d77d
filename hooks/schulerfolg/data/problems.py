"""Located problems in the editors' data files, reported all at once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

_UNSAFE_IN_LOG = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def one_line(text: str) -> str:
    """Text safe to print as one line of a terminal or CI log: line breaks, control and bidi characters
    shown as ``[U+000A]``, so that a value can neither start a new line (a forged ``::error::`` workflow
    command, say) nor reorder or colour what the reader sees."""
    if text.isprintable():
        return text
    return _UNSAFE_IN_LOG.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", text)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is (file, line, field) and what is wrong, in German."""

    file: str
    line: int
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        location = f"{one_line(self.file)}:{self.line}" if self.line else one_line(self.file)
        prefix = "Warnung: " if self.warning else ""
        field = f" {one_line(self.field)}:" if self.field else ""
        return f"{location}:{field} {prefix}{one_line(self.message)}"


class DataError(Exception):
    """Raised when the data files contain errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem], subject: str = "Die Daten") -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems, subject))


def format_problems(problems: Iterable[Problem], subject: str = "Die Daten") -> str:
    """The German report: a summary line, then one line per problem, sorted by file and line."""
    ordered = sorted(problems)
    errors = [p for p in ordered if not p.warning]
    verb = "enthält" if subject.startswith("Die gebaute") else "enthalten"
    hints = "Hinweise zu den Daten:" if subject == "Die Daten" else f"Hinweise ({subject}):"
    head = f"{subject} {verb} {len(errors)} Fehler. Bitte korrigieren:" if errors else hints
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
