"""Open-data downloads: they parse with standard tools, follow RFC 7946, and match the data files record for record."""

from __future__ import annotations

import csv
import io
import json
import numbers
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from schulerfolg.site.files import generated_files
from schulerfolg.data.load import load_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "data", ROOT)


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- a structural RFC 7946 validator -------------------------------------------------------------------


def _position(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or len(value) not in (2, 3) or not all(
            isinstance(n, numbers.Real) and not isinstance(n, bool) for n in value):
        return [f"{where}: a position is an array of 2 or 3 numbers"]
    lon, lat = value[0], value[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return [f"{where}: [lon, lat] out of range"]
    return []


def _geometry(geometry: object, where: str) -> list[str]:
    if geometry is None:
        return []  # RFC 7946 3.2: an unlocated feature has a null geometry
    if not isinstance(geometry, dict) or "type" not in geometry:
        return [f"{where}: geometry must be an object with a type, or null"]
    kind, coords = geometry["type"], geometry.get("coordinates")
    if kind == "Point":
        return _position(coords, where)
    if kind in ("MultiPoint", "LineString"):
        return [e for i, p in enumerate(coords or []) for e in _position(p, f"{where}[{i}]")] if isinstance(coords, list) else [f"{where}: coordinates"]
    if kind in ("Polygon", "MultiLineString", "MultiPolygon"):
        return [] if isinstance(coords, list) else [f"{where}: coordinates"]
    if kind == "GeometryCollection":
        return [e for i, g in enumerate(geometry.get("geometries", [])) for e in _geometry(g, f"{where}[{i}]")]
    return [f"{where}: unknown geometry type {kind!r}"]


def rfc7946_problems(document: object) -> list[str]:
    """The structural rules of RFC 7946 for a FeatureCollection."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return ["top level must be a FeatureCollection object"]
    problems = []
    if "crs" in document:
        problems.append("RFC 7946 4: no crs member")
    features = document.get("features")
    if not isinstance(features, list):
        return problems + ["features must be an array"]
    for i, feature in enumerate(features):
        where = f"features[{i}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{where}: type must be Feature")
            continue
        if "geometry" not in feature or "properties" not in feature:
            problems.append(f"{where}: geometry and properties are required members")
        if feature.get("properties") is not None and not isinstance(feature["properties"], dict):
            problems.append(f"{where}: properties must be an object or null")
        if "id" in feature and not isinstance(feature["id"], (str, int, float)):
            problems.append(f"{where}: id must be a string or number")
        if "crs" in feature:
            problems.append(f"{where}: no crs member")
        problems += _geometry(feature.get("geometry"), f"{where}.geometry")
    return problems


def test_the_validator_catches_what_it_should() -> None:
    good = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [11.6, 52.1]}, "properties": {}}]}
    assert rfc7946_problems(good) == []
    assert rfc7946_problems({**good, "crs": {}})
    assert rfc7946_problems({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]})
    assert rfc7946_problems({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["11.6", 52.1]}, "properties": {}}]})


# --- the downloads ---------------------------------------------------------------------------------------


def test_downloads_are_linked_from_the_data_page(site: Path) -> None:
    page = BeautifulSoup((site / "daten" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in page.select(".ss-download__files a[download]")}
    assert links == {"netzwerkstellen.csv", "netzwerkstellen.json", "schulen.csv", "schulen.json", "schulen.geojson",
                     "gemeinden.csv", "gemeinden.json", "gemeinden.geojson", "ortsteile.csv", "ortsteile.json"}
    for href in links:
        assert (site / "daten" / href).exists()
    text = page.get_text(" ", strip=True)
    assert "noch bestätigen" in text and "CC BY 4.0" in text and "ODbL" in text
    footer = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("footer")
    assert footer.find("a", href=lambda h: h and h.rstrip("/").endswith("daten"))


def test_offices_match_the_data_file(site: Path, project) -> None:
    rows = read_csv(site / "daten" / "netzwerkstellen.csv")
    records = read_json(site / "daten" / "netzwerkstellen.json")["datensaetze"]
    offices = sorted((project.coordination, *project.offices), key=lambda o: o.id)
    assert [r["id"] for r in rows] == [r["id"] for r in records] == [o.id for o in offices]
    for row, record, office in zip(rows, records, offices):
        assert row["name"] == record["name"] == office.name
        assert row["kreis"] == (office.district or "") and record["kreis"] == office.district
        assert row["email"] == (office.email or "") and record["email"] == office.email
        assert row["telefon"] == (office.phone or "") and row["plz"] == (office.postcode or "")
        assert row["geprueft_am"] == record["geprueft_am"] == office.checked_on.isoformat()
        assert row["quelle_url"] == office.source.url
    assert "intern" not in rows[0] and "intern" not in records[0]


def test_schools_match_the_data_file_in_every_format(site: Path, project) -> None:
    rows = read_csv(site / "daten" / "schulen.csv")
    records = read_json(site / "daten" / "schulen.json")["datensaetze"]
    geo = read_json(site / "daten" / "schulen.geojson")
    assert rfc7946_problems(geo) == []
    schools = sorted(project.schools, key=lambda s: s.id)
    assert [r["id"] for r in rows] == [r["id"] for r in records] == [f["id"] for f in geo["features"]] == [s.id for s in schools]
    for row, record, feature, school in zip(rows, records, geo["features"], schools):
        assert row["name"] == record["name"] == feature["properties"]["name"] == school.name
        assert row["plz"] == record["plz"] == school.postcode and row["gemeinde"] == school.municipality
        assert row["netzwerkstelle"] == school.office and row["schulform"] == school.school_type
        assert row["beispiel"] == ("true" if school.demo else "false") and record["beispiel"] is school.demo
        if school.coordinates:
            assert feature["geometry"] == {"type": "Point", "coordinates": [school.coordinates.lon, school.coordinates.lat]}
            assert float(row["lat"]) == school.coordinates.lat and record["lon"] == school.coordinates.lon
        else:
            assert feature["geometry"] is None and row["lat"] == "" and record["lat"] is None
        person = school.contact_person
        if person:
            shown = person.name if person.publish else ""
            assert row["ansprechperson"] == shown and (record["ansprechperson"] or "") == shown
            assert (feature["properties"]["ansprechperson"] or "") == shown
    assert sum(1 for f in geo["features"] if f["geometry"]) == sum(1 for s in schools if s.coordinates) > 0


def test_places_match_the_data_file(site: Path, project) -> None:
    rows = read_csv(site / "daten" / "gemeinden.csv")
    geo = read_json(site / "daten" / "gemeinden.geojson")
    assert rfc7946_problems(geo) == []
    municipalities = sorted(project.municipalities, key=lambda m: m.key)
    assert [r["schluessel"] for r in rows] == [f["id"] for f in geo["features"]] == [m.key for m in municipalities]
    for row, feature, m in zip(rows, geo["features"], municipalities):
        assert row["name"] == m.name and row["kreis"] == m.district
        assert row["plz"].split(";") == list(m.postcodes) and feature["properties"]["plz"] == list(m.postcodes)
        assert row["netzwerkstelle"] == project.office_by_district[m.district].id
        lon, lat = feature["geometry"]["coordinates"]
        assert (lat, lon) == (m.location.lat, m.location.lon)
        assert 10.5 <= lon <= 13.3 and 50.9 <= lat <= 53.1  # [lon, lat], not swapped
    localities = read_csv(site / "daten" / "ortsteile.csv")
    expected = {(loc.name, m.key, loc.postcode) for m in project.municipalities for loc in m.localities}
    assert {(r["name"], r["gemeinde"], code) for r in localities for code in r["plz"].split(";")} == expected
    assert len({r["id"] for r in localities}) == len(localities)
    assert read_json(site / "daten" / "ortsteile.json")["datensaetze"][0]["id"] == localities[0]["id"]


def test_downloads_say_what_they_are(site: Path, project) -> None:
    places = read_json(site / "daten" / "gemeinden.json")
    for source in project.sources:
        assert source.notice in places["quellenvermerke"]
    offices = read_json(site / "daten" / "netzwerkstellen.json")
    assert "zu bestätigen" in offices["lizenz"]
    assert offices["stand"] == max(o.checked_on for o in (*project.offices, project.coordination)).isoformat()
    assert set(offices["felder"]) == set(offices["datensaetze"][0])


def test_downloads_hold_no_internal_notes(project) -> None:
    """Unpublished names are checked record by record above: the demo data reuse one name both ways."""
    records = (*project.offices, *project.schools, project.coordination)
    text = "".join(f.content for f in generated_files(project))
    notes = [r.internal for r in records if r.internal]
    assert notes and not [n for n in notes if n in text]


def test_downloads_are_deterministic(project) -> None:
    again = load_project(ROOT / "data", ROOT)
    assert [(f.uri, f.content) for f in generated_files(project)] == [(f.uri, f.content) for f in generated_files(again)]
