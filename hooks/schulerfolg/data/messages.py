"""Pydantic validation errors as German, located problems."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from schulerfolg.data.consent import CONSENT_KEY
from schulerfolg.data.problems import Problem, field_path
from schulerfolg.data.yamlsource import YamlSource, key_line



def validate(source: YamlSource, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Validate a parsed file against its model; return the record or every problem, located."""
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        return None, [_problem(source, model, err) for err in exc.errors(include_url=False)]


def _problem(source: YamlSource, model: type[BaseModel], err: ErrorDetails) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        line = key_line(source, loc)
    else:
        line = source.line_of(loc)
    return Problem(source.display, line, field_path(loc), german_message(source, model, err))


def german_message(source: YamlSource, model: type[BaseModel], err: ErrorDetails) -> str:
    kind: str = err["type"]
    loc = tuple(err["loc"])
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "Pflichtfeld fehlt. Bitte ergänzen."
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        hint = f" Erlaubt sind: {', '.join(allowed)}." if allowed else ""
        return f"Unbekanntes Feld „{loc[-1]}“. Tippfehler?{hint}"
    if kind in ("string_type", "str_type"):
        return _not_text(source, loc, value)
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"Ungültiger Wert „{value}“. Erlaubt sind: {expected.replace(' or ', ', ').replace(chr(39), '')}."
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", value):
            return f"Das Datum „{value}“ gibt es nicht. Bitte Monat (01–12) und Tag prüfen."
        return f"Ungültiges Datum „{value}“. Bitte im Format JJJJ-MM-TT schreiben, z. B. 2026-11-29."
    if kind in ("bool_type", "bool_parsing"):
        if loc and loc[-1] == CONSENT_KEY:
            return _consent_message(value)
        return f"Ungültiger Wert „{value}“. Erlaubt sind true (ja) oder false (nein)."
    if kind in ("float_type", "float_parsing"):
        return f"„{value}“ ist keine Zahl. Bitte eine Dezimalzahl mit Punkt schreiben, z. B. 52.1234."
    if kind in ("greater_than_equal", "less_than_equal") and loc and loc[-1] in ("lat", "lon"):
        return f"Der Wert {value} liegt außerhalb von Sachsen-Anhalt. Bitte Breite und Länge prüfen (nicht vertauscht?)."
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        return f"Der Wert {value} ist zu klein: er muss {'größer als' if 'gt' in ctx else 'mindestens'} {bound} sein."
    if kind in ("less_than", "less_than_equal"):
        bound = ctx.get("lt", ctx.get("le"))
        return f"Der Wert {value} ist zu groß: er muss {'kleiner als' if 'lt' in ctx else 'höchstens'} {bound} sein."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "Hier werden eingerückte Unterfelder erwartet (z. B. „name: …“ in der nächsten Zeile)."
    if kind in ("tuple_type", "list_type"):
        return "Hier wird eine Liste erwartet: jeder Eintrag in einer eigenen Zeile, beginnend mit „- “."
    if kind == "too_short":
        return "Die Liste darf nicht leer sein."
    if kind == "string_too_short":
        return "Der Wert ist leer. Bitte einen Text eintragen oder das Feld weglassen."
    if "{" not in err["msg"] and kind not in _PYDANTIC_ENGLISH:
        return err["msg"]  # our own PydanticCustomError messages are already German
    return f"Ungültiger Wert „{value}“."


_PYDANTIC_ENGLISH = {"value_error", "assertion_error", "int_type", "int_parsing", "union_tag_invalid"}


def _not_text(source: YamlSource, loc: tuple[str | int, ...], value: Any) -> str:
    typed = source.scalar_text(loc)
    name = loc[-1] if loc and isinstance(loc[-1], str) else ""
    if isinstance(value, bool):
        return (f"„{typed}“ wurde als Ja/Nein-Wert gelesen. Bitte in Anführungszeichen setzen: {name}: \"{typed}\".")
    if isinstance(value, (int, float)):
        quoted = typed if typed is not None else str(value)
        return f"Bitte in Anführungszeichen setzen: {name}: \"{quoted}\".{_number_reading(typed, value)}"
    if value is None:
        return "Der Wert ist leer. Bitte ausfüllen oder das Feld weglassen."
    if isinstance(value, (list, dict)):
        return "Hier wird ein einzelner Text erwartet, keine Liste und keine Unterfelder."
    return "Hier wird ein Text erwartet."


def _consent_message(value: Any) -> str:
    """``veroeffentlichen`` is consent to publish a name: only a plain ``true`` gives it (see consent.py)."""
    shown = "ja" if value is True else "nein" if value is False else value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return (f"Bitte ohne Anführungszeichen und klein geschrieben: veroeffentlichen: {value.strip().lower()}. "
                "Nur ein einfaches true gibt den Namen zur Veröffentlichung frei.")
    return (f"„{shown}“ ist keine eindeutige Freigabe. Bitte genau true (Name wird veröffentlicht) oder false "
            "(nicht veröffentlicht) schreiben, klein und ohne Anführungszeichen.")


def _number_reading(typed: str | None, value: int | float) -> str:
    """Why YAML read ``typed`` as the number ``value``, when that is not obvious (said only when it is sure)."""
    if typed is None or typed == str(value):
        return ""
    plain = typed.strip().lstrip("+-")
    if "_" in plain:
        return (f" (YAML hat „{typed}“ als Zahl {value} gelesen: Unterstriche in Zahlen gelten als "
                "Tausendertrennzeichen und werden weggelassen.)")
    if ":" in plain:
        return f" (YAML hat „{typed}“ als Zeitangabe zur Basis 60 gelesen, also als Zahl {value}.)"
    if plain[:2].lower() in ("0x", "0o", "0b"):
        return f" (YAML hat „{typed}“ als Zahl in einer anderen Zahlenbasis gelesen, also als {value}.)"
    if len(plain) > 1 and plain.startswith("0") and plain.isdigit():
        return f" (YAML hat „{typed}“ als Zahl {value} gelesen und die führende Null verloren.)"
    return f" (YAML hat „{typed}“ als Zahl {value} gelesen.)"


def _allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The German field names allowed at ``loc`` (walks nested models and lists)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = _field_by_alias(current, part)
        if field is None:
            return []
        current = inner_model(field.annotation)
        if current is None:
            return []
    return sorted(f.alias or n for n, f in current.model_fields.items())


def _field_by_alias(model: type[BaseModel], alias: str) -> FieldInfo | None:
    for name, field in model.model_fields.items():
        if (field.alias or name) == alias:
            return field
    return None


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The record type inside an annotation: ``School`` for ``tuple[School, ...]`` or ``Person | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = inner_model(arg)
        if found is not None:
            return found
    return None
