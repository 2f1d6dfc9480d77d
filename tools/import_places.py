"""Build data/places.yaml and data/districts-geometry.yaml from the public reference data.

Run by maintainers when the reference data changes; the results are committed, so that neither the
build nor the tests need the reference files:

    python tools/import_places.py ../shared/data

Municipality postcodes come from the OSM list (S2) plus GeoNames places (S3) whose name is the
municipality's own; other GeoNames places become Ortsteile with their postcode.

The district outlines (BKG VG5000, WGS84) are projected to map units, simplified along shared
borders (each border once, so neighbours still touch), rounded to whole units and written as SVG
path data: the site draws its map from them without any geodata library.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HEADER = """\
# yaml-language-server: $schema=../schemas/places.schema.json
# Referenzdaten: Landkreise, kreisfreie Städte, Gemeinden, Postleitzahlen und Ortsteile in Sachsen-Anhalt.
# Erzeugt mit tools/import_places.py aus öffentlichen Quellen (siehe „quellen“). Bitte nicht von Hand
# bearbeiten: Änderungen gehen beim nächsten Import verloren.
"""

SOURCES = [
    {
        "id": "bkg-vg5000",
        "name": "BKG VG5000, Verwaltungsgebiete 1:5 000 000, Gebietsstand 01.01.2021",
        "lizenz": "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)",
        "lizenz_url": "https://www.govdata.de/dl-de/by-2-0",
        "vermerk": "© GeoBasis-DE / BKG 2021 (Daten verändert)",
        "url": "https://www.bkg.bund.de",
        "verwendet_fuer": "Kreise und Gemeinden mit amtlichen Schlüsseln und Namen, Kreisgrenzen der Karte",
    },
    {
        "id": "osm-plz",
        "name": "Zuordnung Postleitzahl – Ort aus OpenStreetMap (Export von suche-postleitzahl.org)",
        "lizenz": "Open Database License 1.0 (ODbL)",
        "lizenz_url": "https://opendatacommons.org/licenses/odbl/1-0/",
        "vermerk": "© OpenStreetMap-Mitwirkende (ODbL); PLZ-Zuordnung über suche-postleitzahl.org",
        "url": "https://www.openstreetmap.org/copyright",
        "verwendet_fuer": "Postleitzahlen der Gemeinden",
    },
    {
        "id": "geonames",
        "name": "GeoNames Postal Codes Deutschland",
        "lizenz": "Creative Commons Namensnennung 4.0 International (CC BY 4.0)",
        "lizenz_url": "https://creativecommons.org/licenses/by/4.0/deed.de",
        "vermerk": "Postleitzahlen und Ortsnamen: GeoNames (geonames.org), CC BY 4.0",
        "url": "https://www.geonames.org",
        "verwendet_fuer": "Ortsteile mit Postleitzahlen, zusätzliche Postleitzahlen",
    },
]

# Official names with a title prefix, as confirmed in the programme's own published addresses
# (facts file: "06886 Lutherstadt Wittenberg", "39567 Hansestadt Stendal").
EXTRA_VARIANTS = {"15091375": ["Lutherstadt Wittenberg"], "15090535": ["Hansestadt Stendal"]}


class Quoted(str):
    """A key or postcode: always written in quotes, so no YAML reader takes it for a number."""


class Flow(list):
    """A short list written on one line."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style='"'))
_Dumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build(ref: Path) -> dict:
    districts = [
        {"schluessel": Quoted(r["ags"]), "name": r["name"], "art": r["type"]}
        for r in read_csv(ref / "districts_st.csv")
    ]
    rows = read_csv(ref / "gemeinden_st.csv")
    by_key = {r["ags"]: r for r in rows}
    postcodes: dict[str, set[str]] = {r["ags"]: set(r["plz"].split(";")) for r in rows}
    variants: dict[str, list[str]] = {r["ags"]: [r["name_osm"]] if r["name_osm"] else [] for r in rows}
    for key, extra in EXTRA_VARIANTS.items():
        variants[key] = sorted(set(variants[key]) | set(extra))
    localities: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in read_csv(ref / "orte_plz_geonames_st.csv"):
        key = r["gemeinde_ags_derived"]
        if not key:
            continue
        own_names = {by_key[key]["name"], *variants[key], by_key[key]["name"].split(" (")[0]}
        if r["ort"] in own_names:
            postcodes[key].add(r["plz"])
        else:
            localities[key].add((r["ort"], r["plz"]))
    municipalities = []
    for r in sorted(rows, key=lambda r: r["ags"]):
        key = r["ags"]
        entry = {"schluessel": Quoted(key), "name": r["name"], "kreis": Quoted(r["kreis_ags"])}
        if variants[key]:
            entry["namensvarianten"] = Flow(variants[key])
        entry["plz"] = Flow(Quoted(p) for p in sorted(postcodes[key]))
        entry["lage"] = {"lat": float(r["label_lat"]), "lon": float(r["label_lon"])}
        if localities[key]:
            entry["ortsteile"] = [{"name": n, "plz": Quoted(p)} for n, p in sorted(localities[key])]
        municipalities.append(entry)
    return {"quellen": SOURCES, "kreise": districts, "gemeinden": municipalities}


# --- district outlines for the map ------------------------------------------------------------

GEOMETRY_HEADER = """\
# yaml-language-server: $schema=../schemas/districts-geometry.schema.json
# Kreisgrenzen für die Karte auf der Seite „Kontakt finden“: BKG VG5000 (Gebietsstand 01.01.2021),
# projiziert (Breite in Karteneinheiten, Norden oben), entlang gemeinsamer Grenzen vereinfacht und als
# SVG-Pfade gespeichert. Erzeugt mit tools/import_places.py. Bitte nicht von Hand bearbeiten.
"""
MAP_WIDTH = 600        # map units across the Land; the SVG viewBox adds MAP_MARGIN on each side
MAP_MARGIN = 4
SIMPLIFY_TOLERANCE = 1.0  # map units (1 unit ≈ 300 m): invisible at the sizes the map is shown
# Label points (lon, lat) where the reference point would put two labels on top of each other:
# Anhalt-Bitterfeld's lies next to Dessau-Roßlau, so its label moves south, between Köthen and Bitterfeld;
# Saalekreis's lies next to Halle, so its label moves south-west, near Bad Lauchstädt.
LABEL_POINTS = {"15082": (12.1, 51.69), "15088": (11.78, 51.37)}

Point = tuple[float, float]


def _rings(geometry: dict) -> list[list[list[Point]]]:
    """Polygons of a (Multi)Polygon, each a list of rings without the repeated closing point."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [[[tuple(c) for c in ring[:-1]] for ring in polygon] for polygon in polygons]


def _projection(features: list[dict]):
    """Equirectangular, scaled at the mean latitude: true to shape at this size, and needs no library."""
    coords = [p for f in features for poly in _rings(f["geometry"]) for ring in poly for p in ring]
    west, east = min(p[0] for p in coords), max(p[0] for p in coords)
    south, north = min(p[1] for p in coords), max(p[1] for p in coords)
    squeeze = math.cos(math.radians((north + south) / 2))
    scale = MAP_WIDTH / ((east - west) * squeeze)
    height = round((north - south) * scale)

    def project(lon: float, lat: float) -> Point:
        return ((lon - west) * squeeze * scale + MAP_MARGIN, (north - lat) * scale + MAP_MARGIN)

    return project, MAP_WIDTH + 2 * MAP_MARGIN, height + 2 * MAP_MARGIN


def _distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Keep the end points and every point farther than ``tolerance`` from the simplified line."""
    if len(points) < 3:
        return list(points)
    index, worst = 0, -1.0
    for i in range(1, len(points) - 1):
        d = _distance(points[i], points[0], points[-1])
        if d > worst:
            index, worst = i, d
    if worst <= tolerance:
        return [points[0], points[-1]]
    return douglas_peucker(points[: index + 1], tolerance)[:-1] + douglas_peucker(points[index:], tolerance)


def simplify_shared(rings: list[list[Point]], tolerance: float) -> list[list[Point]]:
    """Simplify rings so that a border shared by two rings is simplified once and stays shared.

    Rings are cut into arcs at junctions (points with more than two neighbours); each arc is
    simplified in one canonical direction and reused, reversed if needed, by every ring that has it.
    A ring without junctions (an island, or a hole filled by another district) is one closed arc.
    """
    neighbours: dict[Point, set[Point]] = defaultdict(set)
    for ring in rings:
        for i, p in enumerate(ring):
            neighbours[p].update((ring[i - 1], ring[(i + 1) % len(ring)]))
    junctions = {p for p, ns in neighbours.items() if len(ns) > 2}
    done: dict[tuple[Point, ...], list[Point]] = {}

    def arc(points: list[Point]) -> list[Point]:
        key = min(tuple(points), tuple(reversed(points)))
        if key not in done:
            if key[0] == key[-1]:  # closed: split at the farthest point so both halves have two ends
                far = max(range(len(key)), key=lambda i: math.dist(key[i], key[0]))
                done[key] = douglas_peucker(list(key[: far + 1]), tolerance)[:-1] + douglas_peucker(list(key[far:]), tolerance)
            else:
                done[key] = douglas_peucker(list(key), tolerance)
        return done[key] if key == tuple(points) else list(reversed(done[key]))

    out = []
    for ring in rings:
        cuts = [i for i, p in enumerate(ring) if p in junctions]
        if not cuts:
            start = ring.index(min(ring))
            ring = ring[start:] + ring[:start]
            closed = ring + ring[:1]
            out.append(arc(closed)[:-1] if closed <= closed[:1] + closed[:0:-1] else arc(closed[:1] + closed[:0:-1])[:0:-1])
            continue
        ring = ring[cuts[0]:] + ring[: cuts[0]]
        cuts = [c - cuts[0] for c in cuts] + [len(ring)]
        closed = ring + ring[:1]
        simplified: list[Point] = []
        for a, b in zip(cuts, cuts[1:]):
            simplified += arc(closed[a: b + 1])[:-1]
        out.append(simplified)
    return out


def svg_path(rings: list[list[tuple[int, int]]]) -> str:
    """Rings of whole-unit points as compact SVG path data (absolute move, relative lines)."""
    parts = []
    for ring in rings:
        cleaned = [p for i, p in enumerate(ring) if p != ring[i - 1]]
        x, y = cleaned[0]
        steps = " ".join(f"{bx - ax} {by - ay}" for (ax, ay), (bx, by) in zip(cleaned, cleaned[1:]))
        parts.append(f"M{x} {y}l{steps}z".replace(" -", "-"))
    return "".join(parts)


def build_geometry(ref: Path) -> dict:
    features = sorted(json.loads((ref / "districts_st.geojson").read_text(encoding="utf-8"))["features"],
                      key=lambda f: f["properties"]["ags"])
    project, width, height = _projection(features)
    shapes = [[[[project(*p) for p in ring] for ring in poly] for poly in _rings(f["geometry"])] for f in features]
    flat = [ring for shape in shapes for poly in shape for ring in poly]
    simplified = iter(simplify_shared(flat, SIMPLIFY_TOLERANCE))
    districts = []
    for feature, shape in zip(features, shapes):
        rings = [[(round(x), round(y)) for x, y in next(simplified)] for poly in shape for _ in poly]
        props = feature["properties"]
        lx, ly = project(*LABEL_POINTS.get(props["ags"], (props["label_lon"], props["label_lat"])))
        districts.append({"schluessel": Quoted(props["ags"]), "pfad": svg_path(rings),
                          "beschriftung": {"x": round(lx), "y": round(ly)}})
    return {"quelle": "bkg-vg5000", "breite": width, "hoehe": height, "kreise": districts}


def write_yaml(path: Path, header: str, data: dict) -> None:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
    path.write_text(header + body, encoding="utf-8")


def main(argv: list[str]) -> int:
    ref = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "data"
    data = build(ref)
    write_yaml(ROOT / "data" / "places.yaml", HEADER, data)
    print(f"data/places.yaml: {len(data['kreise'])} Kreise, {len(data['gemeinden'])} Gemeinden")
    geometry = build_geometry(ref)
    write_yaml(ROOT / "data" / "districts-geometry.yaml", GEOMETRY_HEADER, geometry)
    print(f"data/districts-geometry.yaml: {len(geometry['kreise'])} Kreise, {geometry['breite']}×{geometry['hoehe']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
