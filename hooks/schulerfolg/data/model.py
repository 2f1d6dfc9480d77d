"""Typed, immutable records of the programme's data.

Field names are English; the YAML keys editors write are German aliases. Every field carries a
German description: the JSON Schema for editors is generated from these classes.
Fields marked ``internal`` never leave the model: ``Record.public()`` drops them.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool
from pydantic.fields import FieldInfo
from pydantic.config import JsonDict

from schulerfolg.data.consent import consent_given

from schulerfolg.data.fields import DistrictKey, Email, HttpsUrl, MunicipalityKey, Phone, Postcode, Slug, Text, Version, Year

INTERNAL: JsonDict = {"internal": True}
"""Marks a field whose value must never reach the site, the search index, downloads or the PDF."""


def is_internal(info: FieldInfo) -> bool:
    """Whether a field is marked ``INTERNAL`` (its ``json_schema_extra`` says so)."""
    extra = info.json_schema_extra
    return isinstance(extra, dict) and bool(extra.get("internal"))


SchoolType = Literal[
    "Grundschule",
    "Sekundarschule",
    "Gemeinschaftsschule",
    "Gesamtschule",
    "Gymnasium",
    "Förderschule",
    "Berufsbildende Schule",
]
SCHOOL_TYPES: tuple[str, ...] = get_args(SchoolType)  # the same values, written once
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


def german(title: str, description: str) -> ConfigDict:
    """German title and description of a record type, for the JSON Schema editors see."""
    return ConfigDict(title=title, json_schema_extra={"description": description})


def internal_note() -> Any:
    """The ``intern`` field of a record: editors' notes that never leave the model (see ``Record.public``)."""
    return Field(
        None, alias="intern", title="Interne Notiz", json_schema_extra=INTERNAL,
        description="Interne Arbeitsnotiz. Erscheint nirgends auf der Website, steht aber lesbar in der Datei: "
                    "keine personenbezogenen Daten.",
    )


class Record(BaseModel):
    """Base of all records: immutable, unknown fields are errors, German aliases in YAML.

    Every field has a German ``title`` (the label editors and the data diff see) and a
    ``description`` (on the field or on its constrained type from ``fields``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False, str_strip_whitespace=False)

    def public(self) -> dict[str, Any]:
        """The record as plain data without internal fields (English field names); a new dict each time."""
        return {name: _public_value(getattr(self, name)) for name in _public_fields(type(self))}


_PUBLIC_FIELDS: dict[type[Record], tuple[str, ...]] = {}


def _public_fields(cls: type[Record]) -> tuple[str, ...]:
    """The names of ``cls``'s fields that are not marked internal (worked out once per record type)."""
    names = _PUBLIC_FIELDS.get(cls)
    if names is None:
        names = _PUBLIC_FIELDS[cls] = tuple(
            name for name, info in cls.model_fields.items() if not is_internal(info))
    return names


def _public_value(value: Any) -> Any:
    if isinstance(value, Person):
        return value.public() if consent_given(value.publish) else None
    if isinstance(value, Record):
        return value.public()
    if isinstance(value, tuple):
        return [_public_value(v) for v in value]
    return value


class Person(Record):
    """A named contact person; published only with ``veroeffentlichen: true``."""

    model_config = german("Ansprechperson", "Eine namentlich genannte Ansprechperson. Der Name erscheint nur mit "
                                            "„veroeffentlichen: true“ auf der Website.")

    name: Text = Field(alias="name", title="Name", description="Vor- und Nachname der Ansprechperson.")
    role: Text | None = Field(None, alias="funktion", title="Funktion",
                              description="Funktion, z. B. „Schulsozialarbeiterin“.")
    publish: StrictBool = Field(  # only a literal `true` (see consent.py)
        False, alias="veroeffentlichen", title="Veröffentlichen",
        description="Nur bei true erscheint der Name auf der Website. Ohne Einwilligung der Person: false lassen.",
    )


class SourceRef(Record):
    """The public source a record's facts were taken from."""

    model_config = german("Quelle", "Die öffentliche Quelle, aus der die Angaben stammen.")

    url: HttpsUrl = Field(alias="url", title="Adresse der Quelle", description="Öffentliche Quelle der Angaben (https).")
    title: Text = Field(alias="titel", title="Titel der Quelle",
                        description="Titel der Quelle, z. B. „Regionale Netzwerkstelle Stendal“.")


class Coordinates(Record):
    """A point in WGS84."""

    model_config = german("Koordinaten", "Ein Punkt auf der Karte (WGS84, Dezimalzahlen mit Punkt).")

    lat: float = Field(alias="lat", title="Breite", ge=50.9, le=53.1,
                       description="Geografische Breite (WGS84), Sachsen-Anhalt: 50,9–53,1.")
    lon: float = Field(alias="lon", title="Länge", ge=10.5, le=13.3,
                       description="Geografische Länge (WGS84), Sachsen-Anhalt: 10,5–13,3.")


class YouthOffice(Record):
    """The district's Jugendamt: the public youth-welfare authority, legally responsible (§ 69 SGB VIII)."""

    model_config = german("Zuständiges Jugendamt", "Das Jugendamt des Landkreises oder der kreisfreien Stadt: die "
                                                  "zuständige Behörde, nicht die Netzwerkstelle. Nur funktionale, "
                                                  "öffentlich bestätigte Kontakte eintragen.")

    name: Text = Field(alias="name", title="Name", description="Name des Jugendamts, wie er in der Quelle steht.")
    street: Text | None = Field(None, alias="strasse", title="Straße", description="Straße und Hausnummer des Jugendamts.")
    postcode: Postcode | None = Field(None, alias="plz", title="Postleitzahl",
                                      description="Postleitzahl des Jugendamts, in Anführungszeichen.")
    town: Text | None = Field(None, alias="ort", title="Ort", description="Ort des Jugendamts.")
    phone: Phone | None = Field(None, alias="telefon", title="Telefon",
                                description="Zentrale Rufnummer des Jugendamts (keine persönliche Durchwahl).")
    email: Email | None = Field(None, alias="email", title="E-Mail",
                                description="Allgemeines Postfach des Jugendamts (kein persönliches Postfach).")
    website: HttpsUrl | None = Field(None, alias="website", title="Website", description="Seite des Jugendamts (https).")
    note: Text | None = Field(None, alias="hinweis", title="Hinweis",
                              description="Öffentlicher Hinweis, z. B. Sprechzeiten oder Erreichbarkeit in Notfällen.")
    source: SourceRef = Field(alias="quelle", title="Quelle", description="Öffentliche Quelle dieser Angaben.")
    checked_on: datetime.date = Field(alias="geprueft_am", title="Geprüft am",
                                      description="Datum, an dem die Angaben mit der Quelle abgeglichen wurden (JJJJ-MM-TT).")


class Office(Record):
    """A Netzwerkstelle Schulerfolg, or the Landesweite Koordinierungsstelle."""

    model_config = german("Netzwerkstelle", "Eine regionale Netzwerkstelle Schulerfolg oder die Landesweite "
                                            "Koordinierungsstelle. Nur bestätigte Angaben eintragen.")

    id: Slug = Field(
        alias="id", title="Kennung",
        description="Kennung der Stelle: Teil der Seitenadresse und Verweis aus data/schools.yaml "
                    "(„netzwerkstelle“). Nur a–z, 0–9 und Bindestriche; nach der Veröffentlichung nicht ändern.",
    )
    name: Text = Field(alias="name", title="Name", description="Name der Stelle, wie sie sich selbst nennt.")
    district: DistrictKey | None = Field(
        None, alias="kreis", title="Kreis",
        description="Kreisschlüssel des Landkreises oder der kreisfreien Stadt (Zuständigkeitsgebiet), in "
                    "Anführungszeichen. Pflicht bei jeder Netzwerkstelle; bei der Koordinierungsstelle weglassen.",
    )
    provider: Text | None = Field(None, alias="traeger", title="Träger",
                                  description="Träger der Stelle. Leer lassen, wenn nicht bestätigt.")
    street: Text | None = Field(None, alias="strasse", title="Straße",
                                description="Straße und Hausnummer der Dienststelle.")
    postcode: Postcode | None = Field(None, alias="plz", title="Postleitzahl",
                                      description="Postleitzahl der Dienststelle, in Anführungszeichen, z. B. \"06108\".")
    town: Text | None = Field(None, alias="ort", title="Ort", description="Ort der Dienststelle.")
    email: Email | None = Field(None, alias="email", title="E-Mail",
                                description="Funktionale E-Mail-Adresse (kein persönliches Postfach).")
    phone: Phone | None = Field(None, alias="telefon", title="Telefon",
                                description="Telefonnummer der Stelle (keine private Durchwahl).")
    website: HttpsUrl | None = Field(None, alias="website", title="Website", description="Eigene Seite der Stelle.")
    programme_page: HttpsUrl | None = Field(
        None, alias="programmseite", title="Seite im Programm",
        description="Offizielle Seite der Netzwerkstelle auf schulerfolg-sichern.de (nennt die Ansprechpersonen). "
                    "Pflicht bei jeder Netzwerkstelle.",
    )
    youth_office: YouthOffice | None = Field(
        None, alias="jugendamt", title="Zuständiges Jugendamt",
        description="Das Jugendamt des Kreises mit eigener Quelle und eigenem Prüfdatum. Wird als „Zuständiges "
                    "Jugendamt“ gezeigt, deutlich getrennt von der Netzwerkstelle.",
    )
    unconfirmed: Text | None = Field(
        None, alias="unbestaetigt", title="Noch nicht bestätigt",
        description="Öffentlicher Hinweis, welche Angaben noch keine öffentliche Quelle bestätigt, z. B. „Telefon "
                    "und Postfach der Netzwerkstelle“.",
    )
    opening_hours: Text | None = Field(None, alias="oeffnungszeiten", title="Sprechzeiten",
                                       description="Sprechzeiten, z. B. „Mo–Do 9–15 Uhr“.")
    note: Text | None = Field(None, alias="hinweis", title="Hinweis",
                              description="Öffentlicher Hinweis, z. B. zur Erreichbarkeit.")
    contact_person: Person | None = Field(
        None, alias="ansprechperson", title="Ansprechperson",
        description="Ansprechperson der Stelle. Der Name erscheint nur mit „veroeffentlichen: true“.",
    )
    source: SourceRef = Field(alias="quelle", title="Quelle", description="Woher die Angaben stammen.")
    checked_on: datetime.date = Field(
        alias="geprueft_am", title="Geprüft am",
        description="Datum der letzten Prüfung der Angaben, Format JJJJ-MM-TT.",
    )
    internal: Text | None = internal_note()


class School(Record):
    """A programme school with its school social work."""

    model_config = german("Schule", "Eine Schule im Programm mit ihrer Schulsozialarbeit.")

    id: Slug = Field(
        alias="id", title="Kennung",
        description="Kennung der Schule: Teil der Seitenadresse (…/schulen/<kennung>/). Nur a–z, 0–9 und "
                    "Bindestriche, z. B. gs-beispiel-kloetze; nach der Veröffentlichung nicht ändern.",
    )
    name: Text = Field(alias="name", title="Name", description="Name der Schule.")
    school_type: SchoolType = Field(alias="schulform", title="Schulform",
                                  description="Schulform, genau wie in der Liste der erlaubten Werte geschrieben.")
    street: Text = Field(alias="strasse", title="Straße", description="Straße und Hausnummer.")
    postcode: Postcode = Field(alias="plz", title="Postleitzahl",
                               description="Postleitzahl der Schule, in Anführungszeichen, z. B. \"06108\".")
    town: Text = Field(alias="ort", title="Ort", description="Ort oder Ortsteil, wie in der Postanschrift.")
    municipality: MunicipalityKey = Field(
        alias="gemeinde", title="Gemeinde",
        description="Amtlicher Gemeindeschlüssel der Gemeinde, in der die Schule liegt (siehe data/places.yaml).",
    )
    office: Slug = Field(alias="netzwerkstelle", title="Netzwerkstelle",
                         description="Kennung (id) der zuständigen Netzwerkstelle aus data/networks.yaml.")
    ssa_provider: Text = Field(alias="traeger_ssa", title="Träger der Schulsozialarbeit",
                               description="Träger der Schulsozialarbeit an dieser Schule.")
    email: Email | None = Field(None, alias="email", title="E-Mail",
                                description="Funktionale E-Mail-Adresse der Schulsozialarbeit.")
    phone: Phone | None = Field(None, alias="telefon", title="Telefon",
                                description="Telefonnummer der Schulsozialarbeit.")
    contact_person: Person | None = Field(
        None, alias="ansprechperson", title="Ansprechperson",
        description="Fachkraft der Schulsozialarbeit. Der Name erscheint nur mit „veroeffentlichen: true“.",
    )
    coordinates: Coordinates | None = Field(None, alias="koordinaten", title="Koordinaten",
                                            description="Lage der Schule (optional).")
    demo: bool = Field(
        False, alias="beispiel", title="Beispieldatensatz",
        description="true: fiktiver Beispieldatensatz. Die Website kennzeichnet ihn als Beispieldaten.",
    )
    checked_on: datetime.date = Field(alias="geprueft_am", title="Geprüft am",
                                      description="Datum der letzten Prüfung, Format JJJJ-MM-TT.")
    internal: Text | None = internal_note()


class District(Record):
    """A Landkreis or kreisfreie Stadt."""

    model_config = german("Kreis", "Ein Landkreis oder eine kreisfreie Stadt in Sachsen-Anhalt.")

    key: DistrictKey = Field(alias="schluessel", title="Kreisschlüssel")
    name: Text = Field(alias="name", title="Name", description="Amtlicher Name des Kreises oder der Stadt.")
    kind: DistrictKind = Field(alias="art", title="Art", description="Landkreis oder kreisfreie Stadt.")


class Locality(Record):
    """A place name (Ortsteil) within a municipality, with its postcode."""

    model_config = german("Ortsteil", "Ein Ortsname innerhalb einer Gemeinde mit seiner Postleitzahl.")

    name: Text = Field(alias="name", title="Name", description="Name des Ortsteils.")
    postcode: Postcode = Field(alias="plz", title="Postleitzahl")


class Municipality(Record):
    """One of the municipalities (Gemeinden) of Sachsen-Anhalt."""

    model_config = german("Gemeinde", "Eine Gemeinde in Sachsen-Anhalt mit Postleitzahlen und Ortsteilen.")

    key: MunicipalityKey = Field(alias="schluessel", title="Gemeindeschlüssel")
    name: Text = Field(alias="name", title="Name", description="Amtlicher Name der Gemeinde.")
    district: DistrictKey = Field(alias="kreis", title="Kreis")
    variants: tuple[Text, ...] = Field((), alias="namensvarianten", title="Namensvarianten",
                                       description="Weitere Schreibweisen, z. B. „Lutherstadt Eisleben“.")
    postcodes: tuple[Postcode, ...] = Field(alias="plz", title="Postleitzahlen", min_length=1,
                                            description="Alle Postleitzahlen der Gemeinde.")
    localities: tuple[Locality, ...] = Field((), alias="ortsteile", title="Ortsteile",
                                             description="Ortsteile mit ihren Postleitzahlen.")
    location: Coordinates | None = Field(None, alias="lage", title="Lage",
                                         description="Ein Punkt im Gemeindegebiet (für Karten).")


class Attribution(Record):
    """A data source with its licence and the attribution the licence requires."""

    model_config = german("Datenquelle", "Eine Datenquelle mit Lizenz und dem Quellenvermerk, den die Lizenz verlangt.")

    id: Slug = Field(alias="id", title="Kennung")
    name: Text = Field(alias="name", title="Name", description="Name des Datensatzes.")
    licence: Text = Field(alias="lizenz", title="Lizenz", description="Name der Lizenz.")
    licence_url: HttpsUrl = Field(alias="lizenz_url", title="Adresse der Lizenz", description="Wortlaut der Lizenz (https).")
    notice: Text = Field(alias="vermerk", title="Quellenvermerk", description="Wortlaut des Quellenvermerks.")
    url: HttpsUrl = Field(alias="url", title="Adresse der Quelle", description="Seite des Datenanbieters (https).")
    used_for: Text = Field(alias="verwendet_fuer", title="Verwendet für", description="Wofür das Portal die Daten nutzt.")


class Publication(Record):
    """A publication of the programme, listed on the Publikationen page. Only what a public source confirms."""

    model_config = german("Veröffentlichung", "Eine Veröffentlichung des Programms; nur, was eine öffentliche Quelle belegt.")

    title: Text = Field(alias="titel", title="Titel", description="Titel, wie er in der Quelle steht.")
    kind: PublicationKind = Field(alias="art", title="Art", description="Art der Veröffentlichung.")
    year: Year | None = Field(
        None, alias="jahr", title="Jahr", description="Erscheinungsjahr. Weglassen, wenn es nicht belegt ist: Die Seite zeigt dann „Jahr nicht belegt“."
    )
    publisher: Text | None = Field(
        None, alias="herausgeber", title="Herausgeber", description="Herausgeber oder Verfasser:in, nur wenn in der Quelle genannt."
    )
    url: HttpsUrl | None = Field(None, alias="url", title="Adresse", description="Öffentliche Adresse der Veröffentlichung selbst (https), falls vorhanden.")
    source: SourceRef | None = Field(
        None, alias="quelle", title="Quelle", description="Öffentliche Seite, die die Veröffentlichung belegt, wenn sie selbst nicht online steht."
    )
    note: Text | None = Field(None, alias="hinweis", title="Hinweis", description="Kurze Beschreibung, z. B. Inhalt oder Zeitraum.")


class HandbookMeta(Record):
    """Title page and imprint of the PDF handbook; the same facts appear on the Publikationen page."""

    model_config = german("Handbuch", "Titelseite und Impressum des PDF-Handbuchs.")

    title: Text = Field(alias="titel", title="Titel", description="Titel des Handbuchs (Titelseite und PDF-Metadaten).")
    edition: Text = Field(alias="fassung", title="Fassung", description="Stand der Fassung, z. B. „Arbeitsfassung“.")
    version: Version = Field(alias="version", title="Version", description="Versionsnummer in Anführungszeichen, z. B. \"0.1\".")
    publisher: Text = Field(alias="herausgeber", title="Herausgeber", description="Herausgeber des Handbuchs.")
    publisher_confirmed: bool = Field(
        False, alias="herausgeber_bestaetigt", title="Herausgeber bestätigt",
        description="true erst, wenn der Herausgeber Name und Angaben bestätigt hat. Bis dahin steht im PDF „Herausgeberangaben werden ergänzt“.",
    )
    licence: Text = Field(alias="lizenz", title="Lizenz", description="Lizenz des Textes, z. B. „CC BY 4.0“.")
    licence_url: HttpsUrl = Field(alias="lizenz_url", title="Adresse der Lizenz", description="Adresse des Lizenztextes.")
    licence_confirmed: bool = Field(
        False, alias="lizenz_bestaetigt", title="Lizenz bestätigt",
        description="true erst, wenn der Herausgeber die Lizenz beschlossen hat. Bis dahin heißt sie im PDF „vorgeschlagen“.",
    )


class PublicationsFile(Record):
    """data/publications.yaml"""

    model_config = german("Publikationen", "Das PDF-Handbuch und die bekannten Veröffentlichungen des Programms (data/publications.yaml).")

    handbook: HandbookMeta = Field(alias="handbuch", title="Handbuch",
                                   description="Angaben für Titelseite und Impressum des PDF-Handbuchs.")
    publications: tuple[Publication, ...] = Field(alias="veroeffentlichungen", title="Veröffentlichungen",
                                                  description="Veröffentlichungen des Programms, die eine öffentliche Quelle belegt.")


class NetworksFile(Record):
    """data/networks.yaml"""

    model_config = german("Netzwerkstellen", "data/networks.yaml: die Landesweite Koordinierungsstelle und die "
                                             "14 regionalen Netzwerkstellen.")

    coordination: Office = Field(alias="koordinierungsstelle", title="Landesweite Koordinierungsstelle",
                                 description="Die Landesweite Koordinierungsstelle (ohne „kreis“).")
    offices: tuple[Office, ...] = Field(alias="netzwerkstellen", title="Netzwerkstellen", min_length=1,
                                        description="Die regionalen Netzwerkstellen, eine je Landkreis und kreisfreie Stadt.")


class SchoolsFile(Record):
    """data/schools.yaml"""

    model_config = german("Schulen", "data/schools.yaml: die Schulen im Programm mit ihrer Schulsozialarbeit.")

    schools: tuple[School, ...] = Field(alias="schulen", title="Schulen",
                                        description="Die Schulen, jede als Eintrag, der mit „- id:“ beginnt.")


class PlacesFile(Record):
    """data/places.yaml (reference data, generated by tools/import_places.py)"""

    model_config = german("Orte", "data/places.yaml: Kreise, Gemeinden, Postleitzahlen und Ortsteile. Erzeugt mit "
                                  "tools/import_places.py; bitte nicht von Hand bearbeiten.")

    sources: tuple[Attribution, ...] = Field(alias="quellen", title="Datenquellen",
                                             description="Herkunft und Lizenzen der Ortsdaten.")
    districts: tuple[District, ...] = Field(alias="kreise", title="Kreise", min_length=1,
                                            description="Die Landkreise und kreisfreien Städte.")
    municipalities: tuple[Municipality, ...] = Field(alias="gemeinden", title="Gemeinden", min_length=1,
                                                     description="Die Gemeinden mit Postleitzahlen und Ortsteilen.")
