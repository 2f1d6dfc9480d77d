"""Open data: offices, schools, municipalities and Ortsteile as CSV, JSON and GeoJSON (RFC 7946).

Every value comes from ``Record.public()``, so internal notes and unpublished names never appear.
Output is deterministic: records sorted by their stable id, no timestamps but the data's own date.
Column names are the YAML keys editors use; each column carries a German description for the
„Daten und Quellen“ page.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from schulerfolg.site.jsontext import safe_json
from schulerfolg.data.model import Record
from schulerfolg.data.project import Project
from schulerfolg.site.urls import slugify

DOWNLOAD_DIR = "daten"

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    get: Callable[[Row], Any]


@dataclass(frozen=True)
class Dataset:
    """One downloadable table, in every format that suits it."""

    id: str
    title: str
    columns: tuple[Column, ...]
    records: tuple[Row, ...]  # public views, each with an "_id"
    formats: tuple[str, ...]
    date: datetime.date | None  # newest „geprueft_am“, if the records carry one
    point: Callable[[Row], tuple[float, float] | None] | None = None  # (lon, lat) for GeoJSON

    def filename(self, fmt: str) -> str:
        return f"{self.id}.{fmt}"

    def uri(self, fmt: str) -> str:
        return f"{DOWNLOAD_DIR}/{self.filename(fmt)}"

    def rows(self) -> list[dict[str, Any]]:
        return [{c.name: c.get(r) for c in self.columns} for r in self.records]


def _person(view: Row, key: str) -> str:
    person = view.get("contact_person")
    return person[key] or "" if person else ""


def _youth(view: Row, key: str, sub: str | None = None) -> Any:
    """A field of the office's Jugendamt, empty when there is none (or the field is empty)."""
    youth = view.get("youth_office")
    value = youth.get(key) if youth else None
    if sub is not None and value:
        value = value.get(sub)
    return value if value is not None else ""


def _coordinate(location: Row | None, key: str) -> float | None:
    return location[key] if location else None


def _point(location: Row | None) -> tuple[float, float] | None:
    return (location["lon"], location["lat"]) if location else None


def datasets(project: Project) -> list[Dataset]:
    return [_offices(project), _schools(project), _municipalities(project), _localities(project)]


def _rows(records: Iterable[Record], id_field: str) -> list[dict[str, Any]]:
    """The records' public data in the order of their stable id, which each row also carries as ``_id``."""
    rows = [{**record.public(), "_id": getattr(record, id_field)} for record in records]
    return sorted(rows, key=lambda row: row["_id"])


def _offices(project: Project) -> Dataset:
    names = {d.key: d.name for d in project.districts}
    records = _rows((project.coordination, *project.offices), "id")
    for row in records:
        row["_kind"] = "Koordinierungsstelle" if row["id"] == project.coordination.id else "Netzwerkstelle"
    columns = (
        Column("id", "Stabile Kennung; die Seite der Stelle ist /netzwerkstellen/<id>/ (Koordinierungsstelle: /koordinierungsstelle/).", lambda v: v["id"]),
        Column("art", "Netzwerkstelle (regional) oder Koordinierungsstelle (landesweit).", lambda v: v["_kind"]),
        Column("name", "Name der Stelle.", lambda v: v["name"]),
        Column("kreis", "Amtlicher Kreisschlüssel des Zuständigkeitsgebiets (leer: landesweit).", lambda v: v["district"] or ""),
        Column("kreis_name", "Name des Landkreises oder der kreisfreien Stadt.", lambda v: names.get(v["district"] or "", "")),
        Column("traeger", "Träger der Stelle (leer: nicht bestätigt).", lambda v: v["provider"] or ""),
        Column("strasse", "Straße und Hausnummer.", lambda v: v["street"] or ""),
        Column("plz", "Postleitzahl.", lambda v: v["postcode"] or ""),
        Column("ort", "Ort.", lambda v: v["town"] or ""),
        Column("email", "Funktionale E-Mail-Adresse.", lambda v: v["email"] or ""),
        Column("telefon", "Telefonnummer.", lambda v: v["phone"] or ""),
        Column("website", "Eigene Internetseite.", lambda v: v["website"] or ""),
        Column("programmseite", "Offizielle Seite der Netzwerkstelle auf schulerfolg-sichern.de.", lambda v: v["programme_page"] or ""),
        Column("unbestaetigt", "Angaben, die noch keine öffentliche Quelle bestätigt.", lambda v: v["unconfirmed"] or ""),
        Column("jugendamt", "Name des zuständigen Jugendamts (die Behörde, nicht die Netzwerkstelle).", lambda v: _youth(v, "name")),
        Column("jugendamt_strasse", "Straße und Hausnummer des Jugendamts.", lambda v: _youth(v, "street")),
        Column("jugendamt_plz", "Postleitzahl des Jugendamts.", lambda v: _youth(v, "postcode")),
        Column("jugendamt_ort", "Ort des Jugendamts.", lambda v: _youth(v, "town")),
        Column("jugendamt_telefon", "Zentrale Rufnummer des Jugendamts.", lambda v: _youth(v, "phone")),
        Column("jugendamt_email", "Allgemeines Postfach des Jugendamts.", lambda v: _youth(v, "email")),
        Column("jugendamt_website", "Seite des Jugendamts.", lambda v: _youth(v, "website")),
        Column("jugendamt_hinweis", "Öffentlicher Hinweis zum Jugendamt.", lambda v: _youth(v, "note")),
        Column("jugendamt_quelle_url", "Öffentliche Quelle der Angaben zum Jugendamt.", lambda v: _youth(v, "source", "url")),
        Column("jugendamt_geprueft_am", "Datum der Prüfung der Angaben zum Jugendamt (JJJJ-MM-TT).", lambda v: _youth(v, "checked_on")),
        Column("oeffnungszeiten", "Sprechzeiten.", lambda v: v["opening_hours"] or ""),
        Column("hinweis", "Öffentlicher Hinweis.", lambda v: v["note"] or ""),
        Column("ansprechperson", "Name der Ansprechperson, nur mit ihrer Einwilligung.", lambda v: _person(v, "name")),
        Column("ansprechperson_funktion", "Funktion der Ansprechperson.", lambda v: _person(v, "role")),
        Column("quelle_url", "Öffentliche Quelle der Angaben.", lambda v: v["source"]["url"]),
        Column("quelle_titel", "Titel der Quelle.", lambda v: v["source"]["title"]),
        Column("geprueft_am", "Datum der letzten Prüfung (JJJJ-MM-TT).", lambda v: v["checked_on"]),
    )
    return Dataset("netzwerkstellen", "Netzwerkstellen und Koordinierungsstelle", columns, tuple(records),
                   ("csv", "json"), max(r["checked_on"] for r in records))


def _schools(project: Project) -> Dataset:
    records = _rows(project.schools, "id")
    columns = (
        Column("id", "Stabile Kennung; die Seite der Schule ist /schulen/<id>/.", lambda v: v["id"]),
        Column("name", "Name der Schule.", lambda v: v["name"]),
        Column("schulform", "Schulform.", lambda v: v["school_type"]),
        Column("strasse", "Straße und Hausnummer.", lambda v: v["street"]),
        Column("plz", "Postleitzahl.", lambda v: v["postcode"]),
        Column("ort", "Ort laut Postanschrift.", lambda v: v["town"]),
        Column("gemeinde", "Amtlicher Gemeindeschlüssel (siehe Gemeinden).", lambda v: v["municipality"]),
        Column("netzwerkstelle", "Kennung der zuständigen Netzwerkstelle (siehe Netzwerkstellen).", lambda v: v["office"]),
        Column("traeger_ssa", "Träger der Schulsozialarbeit an der Schule.", lambda v: v["ssa_provider"]),
        Column("email", "E-Mail-Adresse der Schulsozialarbeit.", lambda v: v["email"] or ""),
        Column("telefon", "Telefonnummer der Schulsozialarbeit.", lambda v: v["phone"] or ""),
        Column("ansprechperson", "Name der Ansprechperson, nur mit ihrer Einwilligung.", lambda v: _person(v, "name")),
        Column("ansprechperson_funktion", "Funktion der Ansprechperson.", lambda v: _person(v, "role")),
        Column("lat", "Geografische Breite (WGS84), falls bekannt.", lambda v: _coordinate(v["coordinates"], "lat")),
        Column("lon", "Geografische Länge (WGS84), falls bekannt.", lambda v: _coordinate(v["coordinates"], "lon")),
        Column("beispiel", "true: fiktiver Beispieldatensatz, keine echte Schule.", lambda v: v["demo"]),
        Column("geprueft_am", "Datum der letzten Prüfung (JJJJ-MM-TT).", lambda v: v["checked_on"]),
    )
    return Dataset("schulen", "Schulen mit Schulsozialarbeit (derzeit Beispieldaten)", columns, tuple(records),
                   ("csv", "json", "geojson"), max((r["checked_on"] for r in records), default=None),
                   lambda v: _point(v["coordinates"]))


def _municipalities(project: Project) -> Dataset:
    districts = {d.key: d.name for d in project.districts}
    offices = {o.district: o.id for o in project.offices}
    records = _rows(project.municipalities, "key")
    columns = (
        Column("schluessel", "Amtlicher Gemeindeschlüssel (8 Ziffern), stabile Kennung.", lambda v: v["key"]),
        Column("name", "Name der Gemeinde (BKG VG5000).", lambda v: v["name"]),
        Column("namensvarianten", "Weitere Schreibweisen, z. B. mit Titel „Lutherstadt“ (Liste).", lambda v: v["variants"]),
        Column("kreis", "Amtlicher Kreisschlüssel.", lambda v: v["district"]),
        Column("kreis_name", "Landkreis oder kreisfreie Stadt.", lambda v: districts[v["district"]]),
        Column("netzwerkstelle", "Kennung der zuständigen Netzwerkstelle.", lambda v: offices.get(v["district"], "")),
        Column("plz", "Postleitzahlen der Gemeinde (Liste).", lambda v: v["postcodes"]),
        Column("lat", "Ein Punkt im Gemeindegebiet: Breite (WGS84).", lambda v: _coordinate(v["location"], "lat")),
        Column("lon", "Ein Punkt im Gemeindegebiet: Länge (WGS84).", lambda v: _coordinate(v["location"], "lon")),
    )
    return Dataset("gemeinden", "Gemeinden mit Postleitzahlen und Zuständigkeit", columns, tuple(records),
                   ("csv", "json", "geojson"), None, lambda v: _point(v["location"]))


def _localities(project: Project) -> Dataset:
    records: list[Row] = []
    for m in sorted(project.municipalities, key=lambda m: m.key):
        grouped: dict[str, list[str]] = {}
        for loc in m.public()["localities"]:
            grouped.setdefault(loc["name"], []).append(loc["postcode"])
        for name, codes in grouped.items():
            records.append({"_id": f"{m.key}-{slugify(name)}", "name": name, "municipality": m.key,
                            "municipality_name": m.name, "postcodes": sorted(codes)})
    records.sort(key=lambda r: r["_id"])
    columns = (
        Column("id", "Stabile Kennung: Gemeindeschlüssel und Name.", lambda v: v["_id"]),
        Column("name", "Ortsname (Schreibweise von GeoNames/Deutsche Post).", lambda v: v["name"]),
        Column("gemeinde", "Amtlicher Schlüssel der Gemeinde, zu der der Ort gehört (abgeleitet, nicht amtlich).", lambda v: v["municipality"]),
        Column("gemeinde_name", "Name dieser Gemeinde.", lambda v: v["municipality_name"]),
        Column("plz", "Postleitzahlen des Ortes (Liste).", lambda v: v["postcodes"]),
    )
    return Dataset("ortsteile", "Ortsteile und weitere Ortsnamen", columns, tuple(records), ("csv", "json"), None)


# --- formats ---------------------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _defused(str(value))


_FORMULA = re.compile(r"[\s\x00-\x1f]*(?:[=@\uff1d\uff20]|[+\-\uff0b\uff0d](?![0-9 ()/-]*$))|[\t\r\n]")
"""A cell a spreadsheet may run as a formula: starting (after blanks or control characters) with = @ + -
(also their full-width forms), except phone-like numbers such as „-1“ or „+49 345 1“; or starting with
TAB, CR or LF."""


def _defused(text: str) -> str:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP: CSV injection)."""
    return "'" + text if _FORMULA.match(text) else text


def _json_value(value: Any) -> Any:
    """JSON keeps types: lists as arrays, true/false, numbers; an empty text is null."""
    if value == "":
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def to_csv(dataset: Dataset) -> str:
    """UTF-8 CSV with a header row, comma-separated, CRLF line ends (RFC 4180); lists joined with „;“."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in dataset.columns])
    for row in dataset.rows():
        writer.writerow([_csv_value(v) for v in row.values()])
    return out.getvalue()


def to_json(dataset: Dataset, meta: dict[str, Any]) -> str:
    body = {**meta, "datensaetze": [{k: _json_value(v) for k, v in row.items()} for row in dataset.rows()]}
    return safe_json(body, indent=1) + "\n"


def to_geojson(dataset: Dataset) -> str:
    """RFC 7946: a FeatureCollection of Points in [lon, lat] (WGS84); no „crs“ member."""
    assert dataset.point is not None
    features = []
    for record, row in zip(dataset.records, dataset.rows()):
        point = dataset.point(record)
        properties = {k: _json_value(v) for k, v in row.items() if k not in ("lat", "lon")}
        geometry = {"type": "Point", "coordinates": [point[0], point[1]]} if point else None
        features.append({"type": "Feature", "id": record["_id"], "geometry": geometry, "properties": properties})
    return safe_json({"type": "FeatureCollection", "features": features}, indent=1) + "\n"


def render(dataset: Dataset, fmt: str, meta: dict[str, Any]) -> str:
    if fmt == "csv":
        return to_csv(dataset)
    if fmt == "json":
        return to_json(dataset, meta)
    return to_geojson(dataset)


def metadata(dataset: Dataset, licence: str, attributions: list[str]) -> dict[str, Any]:
    """What the JSON file says about itself: title, date, licence and the attributions that apply."""
    meta: dict[str, Any] = {"titel": dataset.title}
    if dataset.date:
        meta["stand"] = dataset.date.isoformat()
    meta["lizenz"] = licence
    meta["quellenvermerke"] = attributions
    meta["felder"] = {c.name: c.description for c in dataset.columns}
    return meta
