"""The contact finder: a compact index of every place and school, and the lookup over it.

``index_data`` turns the model into the JSON the page loads (``assets/finder/index.json``); the
lookup over it is ``docs/assets/javascripts/finder.js``. The tests hold a Python twin of that lookup
(``tests/finder_lookup.py``), check every postcode and municipality through it and compare it with the
JavaScript in a browser. Change the three together.

Index format (arrays rather than objects, positions as references; entries sorted A–Z so that
both implementations can break ties by position). ``prefixes`` and ``limits`` carry this module's
constants to the JavaScript, so the two cannot drift apart.

- ``offices``: ``[id, name, district key, district name, district kind, phone, email, programme page, provider,
  address, youth office, 1 if the page is only the programme's overview]``; the youth office (the district's Jugendamt) is ``[name, phone, email, website,
  address, note]`` or ``0``
- ``schools``: phone and email of a demo school (``demo`` 1) are shown as plain text, never as links
- ``coordination``: ``[id, name, phone, email]``
- ``districts``: ``[name, office index]`` for the Landkreise (a kreisfreie Stadt is found as municipality)
- ``municipalities``: ``[name, office index, "postcode postcode …", [name variants]]``
- ``localities``: ``[name, municipality index, "postcode …"]`` (Ortsteile)
- ``schools``: ``[id, name, municipality index, postcode, town, phone, email, demo 0/1]``; the town is
  empty when it is the municipality's name
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from schulerfolg.site.jsontext import safe_json
from schulerfolg.data.project import Project, sort_key

INDEX_URI = "assets/finder/index.json"
PROGRAMME_OVERVIEW = "https://production.schulerfolg-sichern.de/regionale-netzwerkstellen.html"
"""The programme's list of all Netzwerkstellen: linked where no page of the office's own is confirmed."""
SCRIPT_URI = "assets/javascripts/finder.js"  # docs/assets/javascripts/finder.js, copied by MkDocs
FORMAT_VERSION = 2

PLACE_LIMIT = 8
SCHOOL_LIMIT = 8
TYPO_MIN_LENGTH = 4
PREFIX_TYPO_MIN_LENGTH = 5
# Title prefixes that official names carry and people often leave out (or add): „Lutherstadt Wittenberg“.
TITLE_PREFIXES = ("lutherstadt", "hansestadt", "goethestadt", "welterbestadt", "flecken", "stadt", "gemeinde",
                  "landkreis")


# --- the index -----------------------------------------------------------------------------------


def index_data(project: Project) -> dict[str, Any]:
    """Every municipality, Ortsteil and postcode of the Land → district → office, plus the schools."""
    offices = sorted(project.offices, key=lambda o: o.district or "")
    office_pos = {o.district: i for i, o in enumerate(offices)}
    municipalities = sorted(project.municipalities, key=lambda m: (sort_key(m.name), m.key))
    municipality_pos = {m.key: i for i, m in enumerate(municipalities)}

    localities: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in municipalities:
        for loc in m.localities:
            localities[(loc.name, municipality_pos[m.key])].add(loc.postcode)

    def office_row(o: Any) -> list[Any]:
        view = o.public()
        district = project.district_by_key[view["district"]]
        youth = view["youth_office"]
        return [view["id"], view["name"], district.key, district.name, district.kind,
                view["phone"] or "", view["email"] or "", view["programme_page"] or view["website"] or "",
                view["provider"] or "", address_line(view),
                [youth["name"], youth["phone"] or "", youth["email"] or "", youth["website"] or "",
                 address_line(youth), youth["note"] or ""] if youth else 0,
                1 if view["programme_page"] == PROGRAMME_OVERVIEW else 0]

    coordination = project.coordination.public()
    schools = sorted(project.schools, key=lambda s: (sort_key(s.name), s.id))
    return {
        "v": FORMAT_VERSION,
        "prefixes": list(TITLE_PREFIXES),
        "limits": {"places": PLACE_LIMIT, "schools": SCHOOL_LIMIT, "typo": TYPO_MIN_LENGTH,
                   "prefixTypo": PREFIX_TYPO_MIN_LENGTH},
        "offices": [office_row(o) for o in offices],
        "coordination": [coordination["id"], coordination["name"], coordination["phone"] or "",
                         coordination["email"] or ""],
        "districts": [
            [d.name, office_pos[d.key]] for d in sorted(project.districts, key=lambda d: sort_key(d.name))
            if d.kind == "Landkreis"
        ],
        "municipalities": [
            [m.name, office_pos[m.district], " ".join(m.postcodes), list(m.variants)] for m in municipalities
        ],
        "localities": [
            [name, pos, " ".join(sorted(codes))]
            for (name, pos), codes in sorted(localities.items(), key=lambda item: (sort_key(item[0][0]), item[0][1]))
        ],
        "schools": [_school_row(project, s.public(), municipality_pos) for s in schools],
    }


def address_line(view: dict[str, Any]) -> str:
    """„Straße, PLZ Ort“ from a public view with street, postcode and town (empty parts left out)."""
    place = " ".join(p for p in (view.get("postcode"), view.get("town")) if p)
    return ", ".join(p for p in (view.get("street"), place) if p)


def _school_row(project: Project, view: dict[str, Any], municipality_pos: dict[str, int]) -> list[Any]:
    town = "" if view["town"] == project.municipality_by_key[view["municipality"]].name else view["town"]
    return [view["id"], view["name"], municipality_pos[view["municipality"]], view["postcode"], town,
            view["phone"] or "", view["email"] or "", 1 if view["demo"] else 0]


def index_json(project: Project) -> str:
    """The index as compact, deterministic JSON (UTF-8, no spaces)."""
    return safe_json(index_data(project))
