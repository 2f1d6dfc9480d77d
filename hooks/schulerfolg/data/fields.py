"""Constrained string types with German error messages and JSON-Schema patterns.

Validation is done by our own check (German message); the pattern (anchored, since JSON Schema
patterns match anywhere) and the same German message are only copied into the JSON Schema, so that
editors' tools can hint at them (``patternErrorMessage`` is what VS Code's YAML extension shows).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError


def _constrained(name: str, regex: str, message: str, description: str) -> tuple[AfterValidator, FieldInfo]:
    """Validator and field of a constrained ``str``: ``Annotated[str, *_constrained(...)]`` (read by type checkers)."""
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(name, message, {"input": value})
        return value

    return (
        AfterValidator(check),
        Field(description=description, json_schema_extra={"pattern": f"^(?:{regex})$", "patternErrorMessage": message}),
    )


_EMPTY = "Der Wert ist leer. Bitte einen Text eintragen oder das Feld weglassen."
_WHITESPACE = "Bitte keine Leerzeichen am Anfang oder Ende und keine Zeilenumbrüche verwenden."


def _text_check(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise PydanticCustomError("empty", _EMPTY)
    if stripped != value or "\n" in value:
        raise PydanticCustomError("whitespace", _WHITESPACE)
    return value


Text = Annotated[
    str,
    AfterValidator(_text_check),
    Field(min_length=1, json_schema_extra={"pattern": r"^\S(?:.*\S)?$", "patternErrorMessage": _WHITESPACE}),
]
"""A one-line text without leading or trailing blanks."""

Slug = Annotated[str, *_constrained(
    "slug",
    r"[a-z0-9]+(?:-[a-z0-9]+)*",
    "Die Kennung darf nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche enthalten "
    "(keine Umlaute, kein ß, keine Leerzeichen), z. B. „gs-beispiel-kloetze“.",
    "Kennung für die Adresse der Seite: nur a–z, 0–9 und Bindestriche, z. B. gs-beispiel-kloetze.",
)]

Postcode = Annotated[str, *_constrained(
    "postcode",
    r"[0-9]{5}",
    "Die Postleitzahl muss aus genau fünf Ziffern bestehen und in Anführungszeichen stehen, z. B. \"06108\".",
    "Postleitzahl, fünf Ziffern in Anführungszeichen, z. B. \"06108\".",
)]

DistrictKey = Annotated[str, *_constrained(
    "district_key",
    r"150[0-9]{2}",
    "Der Kreisschlüssel muss aus fünf Ziffern bestehen und mit 150 beginnen, z. B. \"15001\".",
    "Amtlicher Kreisschlüssel (5 Ziffern, in Anführungszeichen), z. B. \"15088\" für den Saalekreis.",
)]

MunicipalityKey = Annotated[str, *_constrained(
    "municipality_key",
    r"150[0-9]{5}",
    "Der Gemeindeschlüssel muss aus acht Ziffern bestehen und mit 150 beginnen, z. B. \"15002000\".",
    "Amtlicher Gemeindeschlüssel (8 Ziffern, in Anführungszeichen), z. B. \"15002000\" für Halle (Saale).",
)]

Phone = Annotated[str, *_constrained(
    "phone",
    r"0[1-9][0-9]{1,4} [0-9]{2,8}(?:[- ][0-9]{1,5})?",
    "Die Telefonnummer bitte als Vorwahl, Leerzeichen, Rufnummer schreiben, z. B. \"0345 1234567\" "
    "oder \"030 23125-123\" (nur Ziffern, ein Leerzeichen nach der Vorwahl, höchstens ein Bindestrich).",
    "Telefonnummer: Vorwahl mit 0, Leerzeichen, Rufnummer, optional Durchwahl mit Bindestrich, "
    "z. B. \"0345 1234567\".",
)]

Email = Annotated[str, *_constrained(
    "email",
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    "Die E-Mail-Adresse ist ungültig. Sie braucht genau ein @ und eine Domain, z. B. "
    "„netzwerkstelle@example.org“ (ohne Leerzeichen, ohne „(at)“).",
    "Funktionale E-Mail-Adresse (kein persönliches Postfach), z. B. netzwerkstelle@example.org.",
)]

HttpsUrl = Annotated[str, *_constrained(
    "url",
    r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]+)?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/?#-]*)?",
    "Die Internetadresse muss mit https:// beginnen und darf keine Leerzeichen enthalten, "
    "z. B. „https://www.example.org/seite.html“.",
    "Internetadresse, beginnt mit https://.",
)]

Version = Annotated[str, *_constrained(
    "version",
    r"[0-9]+\.[0-9]+(?:\.[0-9]+)?",
    "Die Versionsnummer bitte als Zahlen mit Punkt und in Anführungszeichen schreiben, z. B. \"0.1\" oder \"1.2.0\".",
    "Versionsnummer in Anführungszeichen, z. B. \"0.1\".",
)]


def _year_check(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
        raise PydanticCustomError(
            "year",
            "„{input}“ ist keine Jahreszahl. Bitte vier Ziffern ohne Anführungszeichen schreiben, z. B. 2019, "
            "oder das Feld weglassen, wenn das Jahr nicht belegt ist.",
            {"input": value},
        )
    return value


Year = Annotated[
    int,
    BeforeValidator(_year_check),
    Field(description="Erscheinungsjahr, vier Ziffern, z. B. 2019. Weglassen, wenn das Jahr nicht belegt ist."),
]
"""A publication year (1990–2100); any other value gets a German message, not pydantic's English one."""


SvgPath = Annotated[str, *_constrained(
    "svg_path",
    # Each number after the first starts with its separator (space or minus): one way to read a path, so a
    # broken one fails at once (the former "(?:-?[0-9]+[ -]?)+" backtracked exponentially over long digit runs).
    r"(?:M-?[0-9]+ -?[0-9]+l-?[0-9]+(?:[ -]-?[0-9]+)*[ -]?z)+",
    "Ungültige Pfadangabe. Die Datei wird von tools/import_places.py erzeugt: bitte neu erzeugen statt von Hand ändern.",
    "SVG-Pfad aus ganzzahligen Karteneinheiten (M x y l dx dy … z), wie tools/import_places.py ihn schreibt.",
)]
