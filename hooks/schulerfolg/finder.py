"""The contact finder: a compact index of every place and school, and the lookup over it.

``build_index`` turns the model into the JSON the page loads (``assets/finder/index.json``).
``FinderIndex`` is the lookup, written to behave exactly like ``docs/assets/javascripts/finder.js``:
the tests check every postcode and municipality through it, and compare it with the JavaScript in a
browser. Change both together.

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

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .jsontext import safe_json
from .project import Project, sort_key

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
KIND_ORDER = {"m": 0, "d": 1, "l": 2}  # among equally good matches: municipality, Landkreis, Ortsteil

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_MARKS = re.compile(r"[\u0300-\u036f]")
_PARENTHESISED = re.compile(r"\([^)]*\)?")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_PREFIX = re.compile(r"^\s*(?:" + "|".join(TITLE_PREFIXES) + r")[\s-]+(?=[a-z0-9])")
_TOKEN_SPLIT = re.compile(r"[\s\-/.,]+")
_POSTCODE = re.compile(r"(?<![0-9])[0-9]{5}(?![0-9])")
_DIGITS_ONLY = re.compile(r"\s*[0-9][0-9\s]*")


# --- normalisation (mirrored in finder.js: fold, compact, nameKeys, queryKeys, schoolTokens) -----


def fold(text: str) -> str:
    """Lower case; ä ö ü ß as ae oe ue ss (so „Koethen“ finds Köthen); other accents dropped."""
    text = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def compact(folded: str) -> str:
    """Parenthesised parts, spaces, hyphens and punctuation removed: „halle (saale)“ → „halle“."""
    return _NOT_ALNUM.sub("", _PARENTHESISED.sub(" ", folded))


def _without_prefix(folded: str) -> str:
    return _PREFIX.sub("", folded)


def _unique(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def name_keys(name: str) -> list[str]:
    """The forms a place name is found by: with and without the parenthesised part and title prefix."""
    folded = fold(name)
    forms = [folded, folded.replace("(", " ").replace(")", " ")]
    return _unique([compact(f) for form in forms for f in (form, _without_prefix(form))])


def query_keys(query: str) -> list[str]:
    folded = fold(query)
    return _unique([compact(folded), compact(_without_prefix(folded))])


def school_tokens(query: str) -> list[str]:
    """Words of a school query; each must begin a word of the school's name."""
    parts = _TOKEN_SPLIT.split(_PARENTHESISED.sub(" ", fold(query)))
    return _unique([_NOT_ALNUM.sub("", p) for p in parts])


def school_words(name: str) -> list[str]:
    """The words of a school's name, parenthesised ones included: „Halle (Saale)“ → halle, saale."""
    parts = _TOKEN_SPLIT.split(fold(name).replace("(", " ").replace(")", " "))
    return _unique([_NOT_ALNUM.sub("", p) for p in parts])


def within_one_edit(a: str, b: str) -> bool:
    """Damerau–Levenshtein (optimal string alignment) distance of at most 1."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    if a[i + 1:] == b[i + 1:]:
        return True
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]


# --- the index -----------------------------------------------------------------------------------


def build_index(project: Project) -> dict[str, Any]:
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
    return safe_json(build_index(project))


# --- the lookup (the same algorithm as finder.js) --------------------------------------------------


@dataclass(frozen=True)
class Place:
    kind: str  # "m" municipality, "d" district (Landkreis), "l" locality (Ortsteil)
    index: int


@dataclass
class Result:
    """What the finder shows: offices with the places that led to them, and schools."""

    kind: str  # "empty", "short", "postcode-incomplete", "postcode", "postcode-unknown", "text"
    offices: list[tuple[int, list[Place]]] = field(default_factory=list)
    """The answer: the office(s) responsible for the exact place or postcode („Zuständig“)."""
    more: list[tuple[int, list[Place]]] = field(default_factory=list)
    """Other places: those that only begin with the query, or share the name as a mere Ortsteil elsewhere."""
    schools: list[int] = field(default_factory=list)
    school_total: int = 0

    def as_json(self) -> dict[str, Any]:
        """The same shape as ``search()`` in finder.js returns, for comparing the two."""
        return {
            "kind": self.kind,
            "offices": [[o, [[p.kind, p.index] for p in places]] for o, places in self.offices],
            "more": [[o, [[p.kind, p.index] for p in places]] for o, places in self.more],
            "schools": self.schools,
            "schoolTotal": self.school_total,
        }


class FinderIndex:
    """The loaded index with every name normalised once, ready for lookups."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.municipalities = data["municipalities"]
        self.localities = data["localities"]
        self.schools = data["schools"]
        self.places: list[tuple[Place, list[str]]] = []
        for i, (name, _office, _codes, variants) in enumerate(self.municipalities):
            self.places.append((Place("m", i), _unique([k for n in (name, *variants) for k in name_keys(n)])))
        for i, (name, _office) in enumerate(data["districts"]):
            self.places.append((Place("d", i), name_keys(name)))
        for i, (name, _m, _codes) in enumerate(self.localities):
            self.places.append((Place("l", i), name_keys(name)))
        self.by_postcode: dict[str, list[Place]] = defaultdict(list)
        for i, row in enumerate(self.municipalities):
            for code in row[2].split():
                self.by_postcode[code].append(Place("m", i))
        for i, row in enumerate(self.localities):
            for code in row[2].split():
                self.by_postcode[code].append(Place("l", i))
        self.school_words = [school_words(row[1]) for row in self.schools]

    def office_of(self, place: Place) -> int:
        if place.kind == "m":
            return self.municipalities[place.index][1]
        if place.kind == "d":
            return self.data["districts"][place.index][1]
        return self.municipalities[self.localities[place.index][1]][1]

    def search(self, query: str) -> Result:
        postcode = _POSTCODE.search(query)
        if postcode:
            return self._postcode(postcode.group())
        if _DIGITS_ONLY.fullmatch(query):
            return Result("postcode-incomplete")
        keys = query_keys(query)
        if not keys:
            return Result("empty")
        if len(keys[0]) < 2:
            return Result("short")
        scored = self._places(keys)[:PLACE_LIMIT]
        answer = _answer(scored)
        answered = {self.office_of(place) for place in answer}
        # Namesakes in an office already named (an Ortsteil „Burg“ of Burg) would only repeat the answer.
        rest = [place for score, place in scored if place not in answer
                and not (score in (0, 3) and self.office_of(place) in answered)]
        schools = self._schools_in(answer)
        schools += [i for i in self._schools(school_tokens(query)) if i not in schools]
        return Result("text", self._group(answer), self._group(rest), schools=schools[:SCHOOL_LIMIT],
                      school_total=len(schools))

    def _postcode(self, code: str) -> Result:
        places = self.by_postcode.get(code, [])
        if not places:
            return Result("postcode-unknown")
        schools = [i for i, row in enumerate(self.schools) if row[3] == code]
        ordered = sorted(places, key=lambda p: (KIND_ORDER[p.kind], p.index))
        return Result("postcode", self._group(ordered), schools=schools[:SCHOOL_LIMIT], school_total=len(schools))

    def _schools_in(self, places: list[Place]) -> list[int]:
        """The schools of the municipalities the answer names (an Ortsteil: its municipality), A–Z."""
        wanted = {p.index if p.kind == "m" else self.localities[p.index][1] for p in places if p.kind != "d"}
        return [i for i, row in enumerate(self.schools) if row[2] in wanted]

    def _places(self, keys: list[str]) -> list[tuple[int, Place]]:
        scored: list[tuple[int, int, int, Place]] = []
        for place, names in self.places:
            score = _score(keys, names, typos=False)
            if score is not None:
                scored.append((score, KIND_ORDER[place.kind], place.index, place))
        if not scored and len(keys[0]) >= TYPO_MIN_LENGTH:
            for place, names in self.places:
                score = _score(keys, names, typos=True)
                if score is not None:
                    scored.append((score, KIND_ORDER[place.kind], place.index, place))
        scored.sort(key=lambda s: s[:3])
        return [(s[0], s[3]) for s in scored]

    def _schools(self, tokens: list[str]) -> list[int]:
        if sum(len(t) for t in tokens) < 3:
            return []
        return [i for i, words in enumerate(self.school_words)
                if all(any(w.startswith(t) for w in words) for t in tokens)]

    def _group(self, places: list[Place]) -> list[tuple[int, list[Place]]]:
        groups: dict[int, list[Place]] = {}
        for place in places:
            groups.setdefault(self.office_of(place), []).append(place)
        return list(groups.items())


def _answer(scored: list[tuple[int, Place]]) -> list[Place]:
    """The places the query names as a whole (exactly, or with one typo), of the best kind only.

    „Magdeburg“ is the city, not the village Magdeburgerforth that begins with it; „Burg“ is the town, not an
    Ortsteil elsewhere that is also called Burg. Places that only begin with the query are no answer.
    """
    whole = [(score, place) for score, place in scored if score in (0, 3)]
    if not whole:
        return []
    best = min(score for score, _ in whole)
    kind = min(KIND_ORDER[place.kind] for score, place in whole if score == best)
    return [place for score, place in whole if score == best and KIND_ORDER[place.kind] == kind]


def _score(keys: list[str], names: list[str], typos: bool) -> int | None:
    """0 exact, 1 prefix, 2 prefix of the query without its title prefix; with typos: 3 whole name, 4 beginning."""
    if not typos:
        if any(k == n for k in keys for n in names):
            return 0
        if any(n.startswith(keys[0]) for n in names):
            return 1
        if len(keys) > 1 and any(n.startswith(keys[1]) for n in names):
            return 2
        return None
    keys = [k for k in keys if len(k) >= TYPO_MIN_LENGTH]
    if any(within_one_edit(k, n) for k in keys for n in names):
        return 3
    for k in keys:
        if len(k) >= PREFIX_TYPO_MIN_LENGTH and any(
            within_one_edit(k, n[:length]) for n in names for length in (len(k) - 1, len(k), len(k) + 1)
            if length <= len(n)
        ):
            return 4
    return None
