"""Rules that span records and files: references, districts, postcodes, uniqueness.

They read the few fields they need straight from the parsed YAML, so that they also run on
records that have other errors: the editor sees every problem in one go.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any, Callable, Iterable, Iterator, Sequence

from schulerfolg.data.model import Municipality, Office, PlacesFile
from schulerfolg.data.problems import Problem, field_path
from schulerfolg.data.yamlsource import YamlSource, character_hint


def _at(source: YamlSource) -> Callable[[Sequence[str | int], str], Problem]:
    """A problem factory for one file: location tuple and message in, located problem out."""

    def make(loc: Sequence[str | int], message: str) -> Problem:
        return Problem(source.display, source.line_of(loc), field_path(loc), message)

    return make


def _records(source: YamlSource, key: str) -> list[tuple[int, dict[str, Any]]]:
    items = source.data.get(key) if isinstance(source.data, dict) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _text(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) else None


def duplicate_ids(source: YamlSource, list_key: str, ids: Iterable[tuple[int, str | None]], what: str,
                  field: str = "id") -> list[Problem]:
    """Every repetition of a key within one list, pointing to the first use."""
    at = _at(source)
    first: dict[str, int] = {}
    problems = []
    for i, value in ids:
        if value is None:
            continue
        if value in first:
            line = source.line_of((list_key, first[value], field))
            problems.append(at((list_key, i, field), f"„{value}“ ist schon vergeben ({what} in Zeile {line}). "
                                                      "Kennungen müssen eindeutig sein."))
        else:
            first[value] = i
    return problems


RESERVED_IDS = frozenset({"index"})
"""Ids that would name the same file as a page of the site itself: ``schulen/index.md`` is the schools
directory, ``netzwerkstellen/index.md`` the offices overview."""


def reserved_ids(source: YamlSource, list_key: str, ids: Iterable[tuple[int, str | None]], folder: str) -> list[Problem]:
    at = _at(source)
    return [at((list_key, i, "id"), f"Die Kennung „{value}“ ist reserviert: Die Seite {folder}/{value}/ gibt es "
                                   "schon (die Übersicht). Bitte eine andere Kennung wählen.")
            for i, value in ids if value in RESERVED_IDS]


def check_places(source: YamlSource, places: PlacesFile) -> list[Problem]:
    at = _at(source)
    problems = duplicate_ids(source, "kreise", enumerate(d.key for d in places.districts), "Kreis", "schluessel")
    problems += duplicate_ids(source, "gemeinden", enumerate(m.key for m in places.municipalities), "Gemeinde", "schluessel")
    keys = {d.key for d in places.districts}
    for i, m in enumerate(places.municipalities):
        if m.district not in keys:
            problems.append(at(("gemeinden", i, "kreis"), f"Der Kreis „{m.district}“ ist unter „kreise“ nicht eingetragen."))
        elif not m.key.startswith(m.district):
            problems.append(at(("gemeinden", i, "schluessel"), f"Der Gemeindeschlüssel {m.key} gehört nicht zum Kreis {m.district}."))
    return problems


def check_networks(source: YamlSource, places: PlacesFile | None) -> list[Problem]:
    at = _at(source)
    offices = _records(source, "netzwerkstellen")
    problems = duplicate_ids(source, "netzwerkstellen", [(i, _text(o, "id")) for i, o in offices], "Netzwerkstelle")
    problems += reserved_ids(source, "netzwerkstellen", [(i, _text(o, "id")) for i, o in offices], "netzwerkstellen")
    coordination = source.data.get("koordinierungsstelle") if isinstance(source.data, dict) else None
    if isinstance(coordination, dict):
        if _text(coordination, "id") in {_text(o, "id") for _, o in offices}:
            problems.append(at(("koordinierungsstelle", "id"), "Diese Kennung hat schon eine Netzwerkstelle."))
        if "kreis" in coordination:
            problems.append(at(("koordinierungsstelle", "kreis"),
                               "Die Koordinierungsstelle ist landesweit zuständig: bitte kein „kreis“ angeben."))
    names = {d.key: d.name for d in places.districts} if places else {}
    first_by_district: dict[str, str] = {}
    all_keys_valid = True
    for i, office in offices:
        district = _text(office, "kreis")
        if "kreis" not in office:
            problems.append(at(("netzwerkstellen", i), "Pflichtfeld „kreis“ fehlt: jede Netzwerkstelle ist für einen "
                                                       "Landkreis oder eine kreisfreie Stadt zuständig."))
        page = _text(office, "programmseite")
        host = page.split("/")[2].lower() if page and page.count("/") >= 2 else ""
        if page and host and host != "schulerfolg-sichern.de" and not host.endswith(".schulerfolg-sichern.de"):
            problems.append(at(("netzwerkstellen", i, "programmseite"),
                               f"„{host}“ ist nicht die Programmseite: bitte die Seite der Netzwerkstelle auf "
                               "schulerfolg-sichern.de eintragen (eigene Seiten gehören unter „website“)."))
        if not page:
            problems.append(at(("netzwerkstellen", i), "Pflichtfeld „programmseite“ fehlt: die offizielle Seite der "
                                                       "Netzwerkstelle auf schulerfolg-sichern.de (ersatzweise die "
                                                       "Übersicht der Netzwerkstellen)."))
        if district is None:
            all_keys_valid = False
            continue
        if names and district not in names:
            all_keys_valid = False
            problems.append(at(("netzwerkstellen", i, "kreis"),
                               f"Unbekannter Kreisschlüssel „{district}“. Gültig sind: {', '.join(sorted(names))}."))
        elif district in first_by_district:
            problems.append(at(("netzwerkstellen", i, "kreis"),
                               f"Für {names.get(district, district)} ist schon „{first_by_district[district]}“ eingetragen. "
                               "Je Kreis gibt es genau eine Netzwerkstelle."))
        else:
            first_by_district[district] = _text(office, "name") or district
    for key in sorted(set(names) - set(first_by_district)) if all_keys_valid else ():
        problems.append(at(("netzwerkstellen",), f"Für {names[key]} ({key}) fehlt eine Netzwerkstelle."))
    return problems


def check_schools(source: YamlSource, offices: tuple[Office, ...] | None, places: PlacesFile | None,
                  hints: bool = True) -> list[Problem]:
    """``offices`` is None when networks.yaml has errors: references are then checked on the next run.
    Without ``hints`` (the build) warnings that only ask for a look are left out."""
    at = _at(source)
    schools = _records(source, "schulen")
    problems = duplicate_ids(source, "schulen", [(i, _text(s, "id")) for i, s in schools], "Schule")
    problems += reserved_ids(source, "schulen", [(i, _text(s, "id")) for i, s in schools], "schulen")
    problems += duplicate_schools(source, schools)
    if offices is None:
        problems.append(Problem(source.display, 0, "", "Die Zuordnung der Schulen zu Netzwerkstellen wird geprüft, "
                                                      "sobald data/networks.yaml fehlerfrei ist.", warning=True))
    office_district = {o.id: o.district for o in offices or ()}
    municipalities = {m.key: m for m in places.municipalities} if places else {}
    districts = {d.key: d.name for d in places.districts} if places else {}
    for i, school in schools:
        office_id = _text(school, "netzwerkstelle")
        if office_id is not None and offices is not None and office_id not in office_district:
            valid = ", ".join(sorted(k for k in office_district if k))
            problems.append(at(("schulen", i, "netzwerkstelle"), f"Unbekannte Netzwerkstelle „{office_id}“. Gültig sind: {valid}."))
        municipality = municipalities.get(_text(school, "gemeinde") or "")
        if places is None or _text(school, "gemeinde") is None:
            continue
        if municipality is None:
            problems.append(at(("schulen", i, "gemeinde"), f"Unbekannter Gemeindeschlüssel „{school['gemeinde']}“. "
                                                           "Die gültigen Schlüssel stehen in data/places.yaml."))
            continue
        district = office_district.get(office_id) if office_id is not None else None
        if district is not None and district != municipality.district:
            problems.append(at(("schulen", i, "gemeinde"),
                               f"Die Gemeinde {municipality.name} gehört zu {districts.get(municipality.district)}, "
                               f"die Netzwerkstelle „{office_id}“ ist aber für {districts.get(district, district)} "
                               "zuständig. Bitte Gemeinde oder Netzwerkstelle korrigieren."))
        problems += [p for p in _town_problems(at, i, _text(school, "ort"), municipality, places) if hints or not p.warning]
        postcode = _text(school, "plz")
        postcodes = set(municipality.postcodes) | {loc.postcode for loc in municipality.localities}
        # A malformed postcode already has its own message; one message per mistake is enough.
        if postcode is not None and postcode.isascii() and len(postcode) == 5 and postcode.isdigit() \
                and postcode not in postcodes:
            problems.append(at(("schulen", i, "plz"),
                               f"Die Postleitzahl {postcode} gehört nicht zur Gemeinde {municipality.name} "
                               f"(dort gültig: {', '.join(sorted(postcodes))})."))
    return problems


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold(text: str) -> str:
    """A name or address for comparison: lower case, umlauts spelt out, „Str.“ = „Straße“, parentheses,
    blanks and punctuation ignored."""
    text = text.lower().translate(_UMLAUTS)
    text = re.sub(r"str\.", "strasse", text)
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]+", "", re.sub(r"\([^)]*\)", "", text))


def duplicate_schools(source: YamlSource, schools: list[tuple[int, dict[str, Any]]]) -> list[Problem]:
    """The same school entered twice under two ids: same name, street and postcode (an error: it would be
    listed twice, with two pages, and the finder would answer twice)."""
    at = _at(source)
    first: dict[tuple[str, str, str], int] = {}
    problems = []
    for i, school in schools:
        name, street, postcode = _text(school, "name"), _text(school, "strasse"), _text(school, "plz")
        if not (name and street and postcode):
            continue
        key = (fold(name), fold(street), postcode)
        if key in first:
            j = first[key]
            other = _text(dict(schools)[j], "id") or f"Eintrag {j + 1}"
            problems.append(at(("schulen", i, "name"),
                               f"Diese Schule steht schon unter der Kennung „{other}“ (Zeile "
                               f"{source.line_of(('schulen', j, 'id'))}): gleicher Name und gleiche Anschrift. Bitte "
                               "einen der beiden Einträge löschen."))
        else:
            first[key] = i
    return problems


def _place_names(municipality: Municipality) -> set[str]:
    m = municipality
    return {fold(n) for n in (m.name, *m.variants, *(loc.name for loc in m.localities))}


def _town_problems(at: Callable[[Sequence[str | int], str], Problem], i: int, town: str | None,
                   municipality: Municipality, places: PlacesFile) -> list[Problem]:
    """``ort`` against the municipality: the name of another municipality (and none of this one's places)
    is an error; a name not known in the reference data at all is a warning (it may be a small Ortsteil)."""
    if not town or not fold(town):
        return []
    folded = fold(town)
    if folded in _place_names(municipality) or any(fold(part) in _place_names(municipality)
                                                   for part in re.split(r",| OT | - ", town) if part.strip()):
        return []
    others = sorted({m.name for m in places.municipalities if m is not municipality and folded in _place_names(m)})
    name = municipality.name
    if others:
        return [at(("schulen", i, "ort"), f"„{town}“ ist ein Ort der Gemeinde {others[0]}, die Schule ist aber der "
                                          f"Gemeinde {name} zugeordnet. Bitte Ort oder Gemeindeschlüssel korrigieren.")]
    problem = at(("schulen", i, "ort"), f"„{town}“ ist in den Ortsdaten der Gemeinde {name} nicht verzeichnet. Bitte "
                                        "prüfen (ein kleiner Ortsteil kann in den Referenzdaten fehlen).")
    return [Problem(problem.file, problem.line, problem.field, problem.message, warning=True)]


FUTURE_TOLERANCE = datetime.timedelta(days=1)
"""A check date may be one day ahead (time zones); anything later is a typing error."""


def check_future_dates(source: YamlSource, today: datetime.date) -> list[Problem]:
    """An error for every ``geprueft_am`` after ``today``: the site would show „Stand: 02.07.2099“."""
    at = _at(source)
    return [at((*loc, "geprueft_am"), f"Das Prüfdatum {checked:%d.%m.%Y} liegt in der Zukunft. Bitte das Datum der "
                                      "letzten Prüfung eintragen (Format JJJJ-MM-TT).")
            for loc, checked in _checked_dates(source.data) if checked > today + FUTURE_TOLERANCE]


def check_freshness(source: YamlSource, today: datetime.date) -> list[Problem]:
    """Warnings for records last checked more than 12 months before ``today`` (or dated in the future)."""
    at = _at(source)
    year_ago = _one_year_before(today)
    problems = []
    for loc, checked in _checked_dates(source.data):
        where = (*loc, "geprueft_am")
        if checked < year_ago:
            problems.append(at(where, f"Zuletzt geprüft am {checked:%d.%m.%Y}, vor mehr als 12 Monaten. Bitte die "
                                      "Angaben mit der Quelle abgleichen und „geprueft_am“ auf das Prüfdatum setzen."))
    return [Problem(p.file, p.line, p.field, p.message, warning=True) for p in problems]


def _checked_dates(data: object) -> Iterator[tuple[tuple[str | int, ...], datetime.date]]:
    """Every record (top-level or in a top-level list) that carries a ``geprueft_am`` date."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            checked = item.get("geprueft_am") if isinstance(item, dict) else None
            if isinstance(checked, datetime.date) and not isinstance(checked, datetime.datetime):
                yield ((key,) if i is None else (key, i)), checked


def _one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# --- character policy for every text value ----------------------------------------------------------

_VISIBLE_ASCII = re.compile(r"[!-~]")
_INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e", "\u034f"}
"""Letters and symbols that render as nothing (Hangul fillers, the blank Braille pattern, …)."""


def is_invisible(char: str) -> bool:
    """True for characters that show nothing: spaces, format and control characters, combining marks
    on their own, and the blank letters in ``_INVISIBLE_LETTERS``."""
    return char.isspace() or char in _INVISIBLE_LETTERS or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me")


def check_characters(source: YamlSource) -> list[Problem]:
    """Every text value and field name of a file, after YAML's escapes (``"\\t"``, ``"\\u202e"``): no
    control, format, line- or paragraph-separator characters, no TAB or ESC, and never only invisible
    characters. The file's own text was checked before parsing (``yamlsource.character_problems``)."""
    from schulerfolg.data.yamlsource import forbidden_character

    at = _at(source)
    problems: list[Problem] = []
    stack: list[tuple[object, tuple[str | int, ...]]] = [(source.data, ())]
    while stack and len(problems) < 100:
        value, loc = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str):
                    problems += _text_problems(at, (*loc, key), key, forbidden_character, field_name=True)
                stack.append((child, (*loc, str(key))))
        elif isinstance(value, list):
            stack.extend((child, (*loc, i)) for i, child in enumerate(value))
        elif isinstance(value, str) and loc:
            problems += _text_problems(at, loc, value, forbidden_character)
    return problems


def _text_problems(at: Callable[[Sequence[str | int], str], Problem], loc: Sequence[str | int], text: str,
                   forbidden: Callable[[str], str | None], field_name: bool = False) -> list[Problem]:
    what = "Der Feldname" if field_name else "Der Text"
    if text.isprintable():  # no control, format or separator character: only the visibility test is left
        if text and not _VISIBLE_ASCII.search(text) and all(is_invisible(c) for c in text):
            return [at(loc, f"{what} besteht nur aus unsichtbaren Zeichen (Leerzeichen o. Ä.). Bitte einen "
                            "sichtbaren Text eintragen oder das Feld weglassen.")]
        return []
    for char in text:
        if char.isascii() and (" " <= char <= "~"):
            continue
        why = forbidden(char)
        if why is not None and not (char == "\n" and not field_name):
            return [at(loc, f"{what} enthält {why}. {character_hint(char)}")]
    if text and all(is_invisible(c) for c in text):
        return [at(loc, f"{what} besteht nur aus unsichtbaren Zeichen (Leerzeichen o. Ä.). Bitte einen sichtbaren "
                        "Text eintragen oder das Feld weglassen.")]
    return []
