"""Typed, immutable records of the programme's data.

Field names are English; the YAML keys editors write are German aliases. Every field carries a
German description: the JSON Schema for editors is generated from these classes.
Fields marked ``internal`` never leave the model: ``Record.public()`` drops them.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .fields import DistrictKey, Email, HttpsUrl, MunicipalityKey, Phone, Postcode, Slug, Text, Version, Year

INTERNAL = {"internal": True}
"""Marks a field whose value must never reach the site, the search index, downloads or the PDF."""

SCHOOL_TYPES = (
    "Grundschule",
    "Sekundarschule",
    "Gemeinschaftsschule",
    "Gesamtschule",
    "Gymnasium",
    "Förderschule",
    "Berufsbildende Schule",
)
SchoolType = Literal[
    "Grundschule",
    "Sekundarschule",
    "Gemeinschaftsschule",
    "Gesamtschule",
    "Gymnasium",
    "Förderschule",
    "Berufsbildende Schule",
]
DistrictKind = Literal["Landkreis", "Kreisfreie Stadt"]
PublicationKind = Literal[
    "Handreichung",
    "Broschüre",
    "Interview",
    "Online-Reihe",
    "Evaluationsbericht",
    "Wissenschaftliche Begleitung",
]
EVALUATION_KINDS = ("Evaluationsbericht", "Wissenschaftliche Begleitung")
"""Kinds listed under „Evaluationen“ on the Publikationen page; all others under the programme's publications."""


class Record(BaseModel):
    """Base of all records: immutable, unknown fields are errors, German aliases in YAML."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False, str_strip_whitespace=False)

    def public(self) -> dict[str, Any]:
        """The record as plain data without internal fields (English field names)."""
        out: dict[str, Any] = {}
        for name, info in type(self).model_fields.items():
            if (info.json_schema_extra or {}).get("internal"):
                continue
            out[name] = _public_value(getattr(self, name))
        return out


def _public_value(value: Any) -> Any:
    if isinstance(value, Person):
        return value.public() if value.publish else None
    if isinstance(value, Record):
        return value.public()
    if isinstance(value, tuple):
        return [_public_value(v) for v in value]
    return value


class Person(Record):
    """A named contact person; published only with ``veroeffentlichen: true``."""

    name: Text = Field(alias="name", description="Vor- und Nachname der Ansprechperson.")
    role: Text | None = Field(None, alias="funktion", description="Funktion, z. B. „Schulsozialarbeiterin“.")
    publish: bool = Field(
        False,
        alias="veroeffentlichen",
        description="Nur bei true erscheint der Name auf der Website. Ohne Einwilligung der Person: false lassen.",
    )


class SourceRef(Record):
    """The public source a record's facts were taken from."""

    url: HttpsUrl = Field(alias="url", description="Öffentliche Quelle der Angaben (https).")
    title: Text = Field(alias="titel", description="Titel der Quelle, z. B. „Regionale Netzwerkstelle Stendal“.")


class Coordinates(Record):
    """A point in WGS84."""

    lat: float = Field(alias="lat", ge=50.9, le=53.1, description="Geografische Breite (WGS84), Sachsen-Anhalt: 50,9–53,1.")
    lon: float = Field(alias="lon", ge=10.5, le=13.3, description="Geografische Länge (WGS84), Sachsen-Anhalt: 10,5–13,3.")


class Office(Record):
    """A Netzwerkstelle Schulerfolg, or the Landesweite Koordinierungsstelle."""

    id: Slug = Field(alias="id")
    name: Text = Field(alias="name", description="Name der Stelle, wie sie sich selbst nennt.")
    district: DistrictKey | None = Field(
        None, alias="kreis", description="Kreisschlüssel des Landkreises oder der kreisfreien Stadt (Zuständigkeitsgebiet)."
    )
    provider: Text | None = Field(None, alias="traeger", description="Träger der Stelle. Leer lassen, wenn nicht bestätigt.")
    street: Text | None = Field(None, alias="strasse", description="Straße und Hausnummer der Dienststelle.")
    postcode: Postcode | None = Field(None, alias="plz")
    town: Text | None = Field(None, alias="ort", description="Ort der Dienststelle.")
    email: Email | None = Field(None, alias="email", description="Funktionale E-Mail-Adresse (kein persönliches Postfach).")
    phone: Phone | None = Field(None, alias="telefon", description="Telefonnummer der Stelle (keine private Durchwahl).")
    website: HttpsUrl | None = Field(None, alias="website", description="Eigene Seite der Stelle.")
    opening_hours: Text | None = Field(None, alias="oeffnungszeiten", description="Sprechzeiten, z. B. „Mo–Do 9–15 Uhr“.")
    note: Text | None = Field(None, alias="hinweis", description="Öffentlicher Hinweis, z. B. zur Erreichbarkeit.")
    contact_person: Person | None = Field(None, alias="ansprechperson")
    source: SourceRef = Field(alias="quelle", description="Woher die Angaben stammen.")
    checked_on: datetime.date = Field(
        alias="geprueft_am", description="Datum der letzten Prüfung der Angaben, Format JJJJ-MM-TT."
    )
    internal: Text | None = Field(
        None, alias="intern", description="Interne Notiz. Erscheint nirgends auf der Website.", json_schema_extra=INTERNAL
    )


class School(Record):
    """A programme school with its school social work."""

    id: Slug = Field(alias="id")
    name: Text = Field(alias="name", description="Name der Schule.")
    school_type: SchoolType = Field(alias="schulform", description="Schulform.")
    street: Text = Field(alias="strasse", description="Straße und Hausnummer.")
    postcode: Postcode = Field(alias="plz")
    town: Text = Field(alias="ort", description="Ort oder Ortsteil, wie in der Postanschrift.")
    municipality: MunicipalityKey = Field(
        alias="gemeinde", description="Amtlicher Gemeindeschlüssel der Gemeinde, in der die Schule liegt (siehe data/places.yaml)."
    )
    office: Slug = Field(alias="netzwerkstelle", description="Kennung (id) der zuständigen Netzwerkstelle aus data/networks.yaml.")
    ssa_provider: Text = Field(alias="traeger_ssa", description="Träger der Schulsozialarbeit an dieser Schule.")
    email: Email | None = Field(None, alias="email", description="Funktionale E-Mail-Adresse der Schulsozialarbeit.")
    phone: Phone | None = Field(None, alias="telefon", description="Telefonnummer der Schulsozialarbeit.")
    contact_person: Person | None = Field(None, alias="ansprechperson")
    coordinates: Coordinates | None = Field(None, alias="koordinaten", description="Lage der Schule (optional).")
    demo: bool = Field(
        False, alias="beispiel", description="true: fiktiver Beispieldatensatz. Die Website kennzeichnet ihn als Beispieldaten."
    )
    checked_on: datetime.date = Field(alias="geprueft_am", description="Datum der letzten Prüfung, Format JJJJ-MM-TT.")
    internal: Text | None = Field(
        None, alias="intern", description="Interne Notiz. Erscheint nirgends auf der Website.", json_schema_extra=INTERNAL
    )


class District(Record):
    """A Landkreis or kreisfreie Stadt."""

    key: DistrictKey = Field(alias="schluessel")
    name: Text = Field(alias="name")
    kind: DistrictKind = Field(alias="art")


class Locality(Record):
    """A place name (Ortsteil) within a municipality, with its postcode."""

    name: Text = Field(alias="name")
    postcode: Postcode = Field(alias="plz")


class Municipality(Record):
    """One of the municipalities (Gemeinden) of Sachsen-Anhalt."""

    key: MunicipalityKey = Field(alias="schluessel")
    name: Text = Field(alias="name")
    district: DistrictKey = Field(alias="kreis")
    variants: tuple[Text, ...] = Field((), alias="namensvarianten", description="Weitere Schreibweisen, z. B. „Lutherstadt Eisleben“.")
    postcodes: tuple[Postcode, ...] = Field(alias="plz", min_length=1)
    localities: tuple[Locality, ...] = Field((), alias="ortsteile")
    location: Coordinates | None = Field(None, alias="lage", description="Ein Punkt im Gemeindegebiet (für Karten).")


class Attribution(Record):
    """A data source with its licence and the attribution the licence requires."""

    id: Slug = Field(alias="id")
    name: Text = Field(alias="name")
    licence: Text = Field(alias="lizenz")
    licence_url: HttpsUrl = Field(alias="lizenz_url")
    notice: Text = Field(alias="vermerk", description="Wortlaut des Quellenvermerks.")
    url: HttpsUrl = Field(alias="url")
    used_for: Text = Field(alias="verwendet_fuer")


class Publication(Record):
    """A publication of the programme, listed on the Publikationen page. Only what a public source confirms."""

    title: Text = Field(alias="titel", description="Titel, wie er in der Quelle steht.")
    kind: PublicationKind = Field(alias="art", description="Art der Veröffentlichung.")
    year: Year | None = Field(
        None, alias="jahr", description="Erscheinungsjahr. Weglassen, wenn es nicht belegt ist: Die Seite zeigt dann „Jahr nicht belegt“."
    )
    publisher: Text | None = Field(
        None, alias="herausgeber", description="Herausgeber oder Verfasser:in, nur wenn in der Quelle genannt."
    )
    url: HttpsUrl | None = Field(None, alias="url", description="Öffentliche Adresse der Veröffentlichung selbst (https), falls vorhanden.")
    source: SourceRef | None = Field(
        None, alias="quelle", description="Öffentliche Seite, die die Veröffentlichung belegt, wenn sie selbst nicht online steht."
    )
    note: Text | None = Field(None, alias="hinweis", description="Kurze Beschreibung, z. B. Inhalt oder Zeitraum.")


class HandbookMeta(Record):
    """Title page and imprint of the PDF handbook; the same facts appear on the Publikationen page."""

    title: Text = Field(alias="titel", description="Titel des Handbuchs (Titelseite und PDF-Metadaten).")
    edition: Text = Field(alias="fassung", description="Stand der Fassung, z. B. „Arbeitsfassung“.")
    version: Version = Field(alias="version", description="Versionsnummer in Anführungszeichen, z. B. \"0.1\".")
    publisher: Text = Field(alias="herausgeber", description="Herausgeber des Handbuchs.")
    publisher_confirmed: bool = Field(
        False, alias="herausgeber_bestaetigt",
        description="true erst, wenn der Herausgeber Name und Angaben bestätigt hat. Bis dahin steht im PDF „Herausgeberangaben werden ergänzt“.",
    )
    licence: Text = Field(alias="lizenz", description="Lizenz des Textes, z. B. „CC BY 4.0“.")
    licence_url: HttpsUrl = Field(alias="lizenz_url", description="Adresse des Lizenztextes.")
    licence_confirmed: bool = Field(
        False, alias="lizenz_bestaetigt",
        description="true erst, wenn der Herausgeber die Lizenz beschlossen hat. Bis dahin heißt sie im PDF „vorgeschlagen“.",
    )


class PublicationsFile(Record):
    """data/publications.yaml"""

    handbook: HandbookMeta = Field(alias="handbuch")
    publications: tuple[Publication, ...] = Field(alias="veroeffentlichungen")


class NetworksFile(Record):
    """data/networks.yaml"""

    coordination: Office = Field(alias="koordinierungsstelle")
    offices: tuple[Office, ...] = Field(alias="netzwerkstellen", min_length=1)


class SchoolsFile(Record):
    """data/schools.yaml"""

    schools: tuple[School, ...] = Field(alias="schulen")


class PlacesFile(Record):
    """data/places.yaml (reference data, generated by tools/import_places.py)"""

    sources: tuple[Attribution, ...] = Field(alias="quellen")
    districts: tuple[District, ...] = Field(alias="kreise", min_length=1)
    municipalities: tuple[Municipality, ...] = Field(alias="gemeinden", min_length=1)
