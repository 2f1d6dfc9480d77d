"""The finder index and its lookup: every postcode, municipality and Ortsteil of data/places.yaml
leads to its district's office, through the same algorithm the page's JavaScript runs."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finder_lookup import FinderIndex, fold, name_keys, query_keys, school_tokens, within_one_edit
from schulerfolg.site.finder import index_data, index_json
from schulerfolg.data.load import load_project

ROOT = Path(__file__).resolve().parent.parent
ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "data", ROOT)


@pytest.fixture(scope="module")
def index(project) -> FinderIndex:
    # Through JSON, as the browser gets it.
    return FinderIndex(json.loads(index_json(project)))


def offices_found(index: FinderIndex, query: str) -> list[str]:
    return [index.data["offices"][o][0] for o, _ in index.search(query).offices]


def places_found(index: FinderIndex, query: str) -> list[tuple[str, str]]:
    """(place name, office id) of every place in the result, best first."""
    result = index.search(query)
    out = []
    for office, places in (*result.offices, *result.more):
        for p in places:
            row = {"m": index.municipalities, "d": index.data["districts"], "l": index.localities}[p.kind][p.index]
            out.append((row[0], index.data["offices"][office][0]))
    return out


# --- normalisation ---------------------------------------------------------------------------------


def test_spellings_fold_to_one_form() -> None:
    assert fold("Köthen") == fold("KÖTHEN") == "koethen"
    assert fold("Roßlau") == "rosslau"
    assert fold("Ko\u0308then") == "koethen"  # decomposed umlaut, as some keyboards type it
    assert "halle" in name_keys("Halle (Saale)") and "hallesaale" in name_keys("Halle (Saale)")
    assert "wittenberg" in name_keys("Lutherstadt Wittenberg")
    assert name_keys("Dessau-Roßlau")[0] == "dessaurosslau"
    assert query_keys("Hansestadt Gardelegen") == ["hansestadtgardelegen", "gardelegen"]
    assert query_keys("  halle (sa") == ["halle"]  # an unfinished bracket while typing
    assert school_tokens("Zur Lerche, Köthen") == ["zur", "lerche", "koethen"]


def _osa_distance(a: str, b: str) -> int:
    """Reference: optimal string alignment distance by dynamic programming."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@given(st.text(alphabet="abcde", max_size=7), st.text(alphabet="abcde", max_size=7))
def test_one_edit_check_agrees_with_the_full_distance(a: str, b: str) -> None:
    assert within_one_edit(a, b) == (_osa_distance(a, b) <= 1)


def test_one_edit_examples() -> None:
    assert within_one_edit("wittenbreg", "wittenberg")  # transposition
    assert within_one_edit("stendl", "stendal")  # letter missing
    assert within_one_edit("koetthen", "koethen")  # letter doubled
    assert within_one_edit("kothen", "koethen")  # umlaut typed as plain o
    assert not within_one_edit("wittnbreg", "wittenberg")


# --- every place of the data, through the lookup ------------------------------------------------------


def test_every_postcode_leads_to_exactly_its_districts_offices(project, index) -> None:
    expected: dict[str, set[str]] = defaultdict(set)
    for m in project.municipalities:
        office = project.office_by_district[m.district].id
        for code in (*m.postcodes, *(loc.postcode for loc in m.localities)):
            expected[code].add(office)
    assert len(expected) >= 200
    for code, offices in sorted(expected.items()):
        result = index.search(code)
        assert result.kind == "postcode", code
        assert set(offices_found(index, code)) == offices, code
        assert set(offices_found(index, f"{code} ")) == offices, code


def test_eighteen_postcodes_are_shared_by_two_districts(project, index) -> None:
    shared = {}
    for m in project.municipalities:
        for code in (*m.postcodes, *(loc.postcode for loc in m.localities)):
            shared.setdefault(code, set()).add(m.district)
    two = sorted(code for code, districts in shared.items() if len(districts) == 2)
    assert len(two) == 18
    assert "06120" in two
    assert offices_found(index, "06120") == ["halle-saale", "saalekreis"]
    # Each office comes with the places that carry the postcode, so the user can choose.
    assert places_found(index, "06120") == [("Halle (Saale)", "halle-saale"), ("Lieskau", "saalekreis")]


def test_every_municipality_is_found_by_its_names_first(project, index) -> None:
    for m in project.municipalities:
        office = project.office_by_district[m.district].id
        for name in (m.name, *m.variants, m.name.translate(ASCII), m.name.upper(), m.name.replace("-", " ")):
            found = places_found(index, name)
            assert found and found[0] == (m.name, office), (name, found[:3])


def test_every_district_name_leads_to_its_office_first(project, index) -> None:
    for district in project.districts:
        office = project.office_by_district[district.key].id
        for name in (district.name, f"Landkreis {district.name}", district.name.translate(ASCII)):
            assert offices_found(index, name)[0] == office, name
    assert places_found(index, "Harz")[0] == ("Harz", "harz")  # the Landkreis before Harzgerode


def test_every_ortsteil_leads_to_its_municipalitys_office(project, index) -> None:
    for m in project.municipalities:
        office = project.office_by_district[m.district].id
        for loc in m.localities:
            for name in (loc.name, loc.name.translate(ASCII)):
                found = places_found(index, name)
                # The Ortsteil itself, or (when a municipality has the same name) that municipality's office.
                assert (loc.name, office) in found or offices_found(index, name) == [office], (name, found[:3])


def test_one_typo_is_forgiven_in_every_municipality_name(project, index) -> None:
    """Two neighbouring letters swapped in the middle of each name of at least 4 letters: still found,
    unless the misspelling happens to start another place's name (then that place is the answer)."""
    all_keys = [k for _, keys in index.places for k in keys]
    checked = 0
    for m in project.municipalities:
        key = name_keys(m.name)[0]
        if len(key) < 4:
            continue
        middle = len(key) // 2
        typo = key[: middle - 1] + key[middle] + key[middle - 1] + key[middle + 1:]
        if typo == key or any(k.startswith(typo) for k in all_keys):
            continue
        checked += 1
        assert m.name in [name for name, _ in places_found(index, typo)], typo
    assert checked > 200


@pytest.mark.parametrize(("query", "office"), [
    ("39576", "stendal"), ("Köthen", "anhalt-bitterfeld"), ("Koethen", "anhalt-bitterfeld"),
    ("Rosslau", "dessau-rosslau"), ("Roßlau", "dessau-rosslau"), ("Lieskau", "saalekreis"),
    ("Halle", "halle-saale"), ("Halle (Saale)", "halle-saale"), ("halle saale", "halle-saale"),
    ("Wittenberg", "wittenberg"), ("Lutherstadt Wittenberg", "wittenberg"), ("Hansestadt Stendal", "stendal"),
    ("Hansestadt Gardelegen", "altmarkkreis-salzwedel"), ("Wittenbreg", "wittenberg"), ("Stendl", "stendal"),
    ("Eisleben", "mansfeld-suedharz"), ("Lutherstadt Eisleben", "mansfeld-suedharz"),
])
def test_queries_people_type(index, query: str, office: str) -> None:
    assert offices_found(index, query)[0] == office


def test_postcodes_outside_the_land_and_unfinished_ones(index) -> None:
    assert index.search("10115").kind == "postcode-unknown"
    assert index.search("0612").kind == "postcode-incomplete"
    assert index.search("").kind == "empty"
    assert index.search("K").kind == "short"


def test_school_names_find_the_school(project, index) -> None:
    for school in project.schools[::7]:
        result = index.search(school.name)
        ids = [index.schools[i][0] for i in result.schools]
        assert school.id in ids, school.name
    # A word inside a longer word does not count („des“ is not in „Berufsbildende“).
    for i in index.search("des").schools:
        assert "dessau" in index.schools[i][1].lower().replace("ß", "ss")


# --- the index itself ------------------------------------------------------------------------------


def test_index_covers_every_place_and_school(project) -> None:
    data = index_data(project)
    assert len(data["offices"]) == 14
    assert {row[0] for row in data["municipalities"]} == {m.name for m in project.municipalities}
    localities = {(loc.name, m.name) for m in project.municipalities for loc in m.localities}
    assert {(row[0], data["municipalities"][row[1]][0]) for row in data["localities"]} == localities
    assert sorted(row[0] for row in data["schools"]) == sorted(s.id for s in project.schools)
    for row in data["schools"]:
        municipality = data["municipalities"][row[2]]
        school = next(s for s in project.schools if s.id == row[0])
        assert data["offices"][municipality[1]][0] == school.office
        assert row[7] == (1 if school.demo else 0)


def test_index_holds_no_internal_notes_or_names(project) -> None:
    records = (*project.offices, *project.schools, project.coordination)
    text = index_json(project)
    notes = [r.internal for r in records if r.internal]
    assert notes and not [n for n in notes if n in text]
    people = {r.contact_person.name for r in records if getattr(r, "contact_person", None)}
    assert people and not [name for name in people if name in text]  # the finder shows no person at all


def test_index_fits_the_budget(project) -> None:
    raw = index_json(project).encode("utf-8")
    assert len(gzip.compress(raw, 9)) <= 25 * 1024
    assert index_json(project) == index_json(project)  # deterministic


# --- one clear answer, schools by place -------------------------------------------------------------


def test_every_municipality_name_names_exactly_one_responsible_office(project, index) -> None:
    for m in project.municipalities:
        for name in (m.name, *m.variants):
            assert offices_found(index, name) == [project.office_by_district[m.district].id], name


@pytest.mark.parametrize(("query", "office", "also"), [
    ("Magdeburg", "magdeburg", ("Magdeburgerforth", "jerichower-land")),  # a village that begins with the name
    ("Burg", "jerichower-land", None),
])
def test_an_exact_place_is_the_answer_and_longer_names_follow_apart(index, query: str, office: str, also) -> None:
    result = index.search(query)
    assert offices_found(index, query) == [office]
    others = [(row_name(index, p), index.data["offices"][o][0]) for o, places in result.more for p in places]
    assert all(name != query or o != office for name, o in others)  # the answer is not repeated below
    if also:
        assert also in others


def row_name(index: FinderIndex, place) -> str:
    return {"m": index.municipalities, "d": index.data["districts"], "l": index.localities}[place.kind][place.index][0]


@pytest.mark.parametrize(("query", "municipality"), [
    ("Lutherstadt Wittenberg", "Lutherstadt Wittenberg"), ("Wittenberg", "Lutherstadt Wittenberg"),
    ("Hansestadt Stendal", "Stendal"), ("Lutherstadt Eisleben", "Lutherstadt Eisleben"),
    ("Eisleben", "Lutherstadt Eisleben"), ("Quedlinbrug", "Quedlinburg"),
])
def test_a_place_lists_the_programme_schools_of_its_municipality(project, index, query: str, municipality: str) -> None:
    m = next(m for m in project.municipalities if m.name == municipality or municipality in m.variants)
    expected = [s.id for s in project.schools if s.municipality == m.key]
    assert expected, municipality
    result = index.search(query)
    found = [index.schools[i][0] for i in result.schools]
    assert found == sorted(expected, key=lambda i: [s[0] for s in index.schools].index(i))[:len(found)]
    assert result.school_total >= len(expected)


def test_an_ortsteil_lists_the_schools_of_its_municipality(project, index) -> None:
    """An Ortsteil that is the answer (no municipality of that name) lists its municipality's schools first."""
    position = {row[0]: i for i, row in enumerate(index.municipalities)}
    checked = 0
    for m in project.municipalities:
        schools = [s.id for s in project.schools if s.municipality == m.key]
        for loc in m.localities:
            answer = [p for _, places in index.search(loc.name).offices for p in places]
            if not schools or [(p.kind, index.localities[p.index][1]) for p in answer] != [("l", position[m.name])]:
                continue
            found = [index.schools[i][0] for i in index.search(loc.name).schools]
            assert set(found[:len(schools)]) <= set(schools) and found, loc.name
            checked += 1
    assert checked > 20


def test_demo_schools_are_marked_in_the_index(project) -> None:
    data = json.loads(index_json(project))
    by_id = {s.id: s for s in project.schools}
    assert all(row[7] == (1 if by_id[row[0]].demo else 0) for row in data["schools"])


def test_offices_carry_their_page_and_jugendamt_in_the_index(project) -> None:
    data = json.loads(index_json(project))
    for row in data["offices"]:
        office = project.office_by_id[row[0]]
        assert row[7] == office.programme_page and row[7].startswith("https://")
        youth = office.youth_office
        assert (row[10] == 0) == (youth is None)
        if youth:
            assert row[10][:4] == [youth.name, youth.phone or "", youth.email or "", youth.website or ""]
