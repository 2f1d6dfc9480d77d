"""Generate data/schools.yaml: 355 recognisably fictitious demo schools.

The programme's real list of schools is not public. These records use real municipalities and
postcodes (from data/places.yaml) so that the finder and the district rules are exercised, but
every name carries "(Beispiel)", every mailbox is at example.org, phone numbers are invented, and
each record has ``beispiel: true`` so that the site marks it as Beispieldaten.

    python tools/generate_demo_schools.py
"""

from __future__ import annotations

import datetime
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from import_places import Quoted, _Dumper  # noqa: E402  (same quoting rules for keys and postcodes)

TOTAL = 355
# Schools per district, roughly proportional to population (Destatis, 31.12.2018).
PER_DISTRICT = {
    "15001": 13, "15002": 38, "15003": 38, "15081": 13, "15082": 26, "15083": 28, "15084": 29,
    "15085": 34, "15086": 14, "15087": 22, "15088": 30, "15089": 31, "15090": 18, "15091": 21,
}
SCHOOL_TYPES = [  # (Schulform, id prefix, weight)
    ("Grundschule", "gs", 30), ("Sekundarschule", "sek", 25), ("Gemeinschaftsschule", "gms", 17),
    ("Förderschule", "fs", 12), ("Berufsbildende Schule", "bbs", 6), ("Gymnasium", "gym", 6),
    ("Gesamtschule", "ges", 4),
]
MOTTOS = [
    "Am Lindenhof", "Regenbogen", "Sonnenblick", "Am Mühlenteich", "Zum Leuchtturm", "Am Wiesengrund",
    "Brückenschlag", "Kompass", "Am Eichenhain", "Löwenzahn", "Am Stadtpark", "Weitblick",
    "Zur Lerche", "Am Kirschberg", "Sternschnuppe", "Am Buchenweg", "Pusteblume", "Am Quellgrund",
]
STREETS = [
    "Schulstraße", "Am Sportplatz", "Lindenallee", "Gartenweg", "Bahnhofstraße", "Parkstraße",
    "Am Anger", "Friedensstraße", "Wiesenweg", "Birkenstraße", "Mühlenweg", "Rosenstraße",
]
PEOPLE = [("Erika Mustermann", "Schulsozialarbeiterin"), ("Max Mustermann", "Schulsozialarbeiter"),
          ("Anna Beispiel", "Schulsozialarbeiterin"), ("Paul Platzhalter", "Schulsozialarbeiter")]
PROVIDERS = ["Beispielverein Jugendhilfe {region} e. V.", "Jugendwerk {region} gGmbH (Beispiel)",
             "Kinder- und Jugendhilfe {region} e. V. (Beispiel)"]
OFFICE_IDS = {
    "15001": "dessau-rosslau", "15002": "halle-saale", "15003": "magdeburg", "15081": "altmarkkreis-salzwedel",
    "15082": "anhalt-bitterfeld", "15083": "boerde", "15084": "burgenlandkreis", "15085": "harz",
    "15086": "jerichower-land", "15087": "mansfeld-suedharz", "15088": "saalekreis", "15089": "salzlandkreis",
    "15090": "stendal", "15091": "wittenberg",
}
HEADER = """\
# yaml-language-server: $schema=../schemas/schools.schema.json
# Schulen im Programm „Schulerfolg sichern“ mit ihrer Schulsozialarbeit.
# ACHTUNG: Alle Einträge sind fiktive BEISPIELDATEN (beispiel: true). Die Liste der Programmschulen
# ist nicht öffentlich. Namen, Straßen, Telefonnummern und Postfächer sind erfunden; Gemeinden und
# Postleitzahlen sind echt, damit die Kontaktsuche geprüft werden kann.
# Anleitung: CONTRIBUTING.md. Felder mit „intern“ erscheinen nirgends auf der Website.
"""


def slug(text: str) -> str:
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def generate(places: dict) -> list[dict]:
    rng = random.Random(2008)
    districts = {d["schluessel"]: d["name"] for d in places["kreise"]}
    by_district: dict[str, list[dict]] = {}
    for m in places["gemeinden"]:
        by_district.setdefault(m["kreis"], []).append(m)
    schools, ids = [], set()
    phone = 100
    for key, count in PER_DISTRICT.items():
        municipalities = by_district[key]
        weights = [len(m["plz"]) ** 2 for m in municipalities]  # towns with many postcodes are larger
        for _ in range(count):
            m = rng.choices(municipalities, weights)[0]
            form, prefix, _w = rng.choices(SCHOOL_TYPES, [w for *_, w in SCHOOL_TYPES])[0]
            motto = rng.choice(MOTTOS)
            name = f"{form} „{motto}“ {m['name']} (Beispiel)"
            base = f"{prefix}-{slug(motto)}-{slug(m['name'])}"
            school_id, n = base, 2
            while school_id in ids:
                school_id, n = f"{base}-{n}", n + 1
            ids.add(school_id)
            record = {
                "id": school_id,
                "name": name,
                "schulform": form,
                "strasse": f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                "plz": Quoted(rng.choice(m["plz"])),
                "ort": m["name"],
                "gemeinde": Quoted(m["schluessel"]),
                "netzwerkstelle": OFFICE_IDS[key],
                "traeger_ssa": rng.choice(PROVIDERS).format(region=districts[key]),
                "email": f"ssa.{school_id}@example.org",
                "telefon": f"030 23125-{phone:03d}",
            }
            phone += 1
            if rng.random() < 0.2:
                person, role = rng.choice(PEOPLE)
                record["ansprechperson"] = {"name": person, "funktion": role, "veroeffentlichen": rng.random() < 0.5}
            if rng.random() < 0.6 and "lage" in m:
                record["koordinaten"] = {
                    "lat": round(m["lage"]["lat"] + rng.uniform(-0.01, 0.01), 5),
                    "lon": round(m["lage"]["lon"] + rng.uniform(-0.01, 0.01), 5),
                }
            record["beispiel"] = True
            record["geprueft_am"] = datetime.date(2026, 1, 15) + datetime.timedelta(days=rng.randint(0, 300))
            if rng.random() < 0.1:
                record["intern"] = "Beispiel für eine interne Notiz: Rückruf der Schulleitung abwarten."
            schools.append(record)
    assert len(schools) == TOTAL, len(schools)
    return schools


def main() -> int:
    places = yaml.safe_load((ROOT / "data" / "places.yaml").read_text(encoding="utf-8"))
    schools = generate(places)
    body = yaml.dump({"schulen": schools}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    (ROOT / "data" / "schools.yaml").write_text(HEADER + body, encoding="utf-8")
    print(f"data/schools.yaml: {len(schools)} Beispielschulen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
