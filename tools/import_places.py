"""Build data/places.yaml from the public reference data (BKG VG5000, OSM, GeoNames).

Run by maintainers when the reference data changes; the result is committed, so that neither the
build nor the tests need the reference files:

    python tools/import_places.py ../shared/data

Municipality postcodes come from the OSM list (S2) plus GeoNames places (S3) whose name is the
municipality's own; other GeoNames places become Ortsteile with their postcode.
"""

from __future__ import annotations

import csv
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


def main(argv: list[str]) -> int:
    ref = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "data"
    data = build(ref)
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
    (ROOT / "data" / "places.yaml").write_text(HEADER + body, encoding="utf-8")
    print(f"data/places.yaml: {len(data['kreise'])} Kreise, {len(data['gemeinden'])} Gemeinden")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
