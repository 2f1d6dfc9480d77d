"""A Python twin of the finder's lookup (``docs/assets/javascripts/finder.js``), for the tests only.

The build ships the index (``schulerfolg.site.finder``) and the JavaScript; this module runs the same
algorithm over the same index, so that the tests can check every postcode, municipality, Landkreis and
Ortsteil without a browser, and a browser test compares both. Change it together with finder.js.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from schulerfolg.site.finder import (PREFIX_TYPO_MIN_LENGTH, TITLE_PREFIXES, TYPO_MIN_LENGTH, PLACE_LIMIT,
                                     SCHOOL_LIMIT)

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
