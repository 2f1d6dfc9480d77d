"""The validated programme data as one immutable object, with the lookups every generator needs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from schulerfolg.data.geometry import GeometryFile
from schulerfolg.data.search_terms import TermRule
from schulerfolg.data.model import (SCHOOL_TYPES, Attribution, District, HandbookMeta, Municipality, Office, Publication, Record,
                    School)


@dataclass(frozen=True)
class Project:
    """Everything the site is built from: offices, schools and the places of Sachsen-Anhalt."""

    coordination: Office
    offices: tuple[Office, ...]
    schools: tuple[School, ...]
    districts: tuple[District, ...]
    municipalities: tuple[Municipality, ...]
    sources: tuple[Attribution, ...]
    handbook: HandbookMeta
    publications: tuple[Publication, ...]
    search_rules: tuple[TermRule, ...] = ()
    geometry: GeometryFile | None = None  # district outlines for the finder's map

    @cached_property
    def district_by_key(self) -> dict[str, District]:
        return {d.key: d for d in self.districts}

    @cached_property
    def municipality_by_key(self) -> dict[str, Municipality]:
        return {m.key: m for m in self.municipalities}

    @cached_property
    def office_by_id(self) -> dict[str, Office]:
        return {o.id: o for o in self.offices}

    @cached_property
    def office_by_district(self) -> dict[str, Office]:
        return {o.district: o for o in self.offices if o.district}

    @cached_property
    def municipalities_by_district(self) -> dict[str, list[Municipality]]:
        grouped: dict[str, list[Municipality]] = defaultdict(list)
        for m in sorted(self.municipalities, key=lambda m: sort_key(m.name)):
            grouped[m.district].append(m)
        return dict(grouped)

    @cached_property
    def schools_by_office(self) -> dict[str, list[School]]:
        grouped: dict[str, list[School]] = defaultdict(list)
        for s in sorted(self.schools, key=school_sort_key):
            grouped[s.office].append(s)
        return dict(grouped)

    @cached_property
    def has_demo_schools(self) -> bool:
        return any(s.demo for s in self.schools)

    @cached_property
    def _public_data(self) -> dict[int, dict[str, Any]]:
        return {}  # by id(): the records live as long as the project

    def public(self, record: Record) -> dict[str, Any]:
        """``record.public()``, worked out once per project: every school page shows its office,
        municipality and district, which thousands of schools share. A new top-level dict each time;
        the nested lists and dicts are shared, read only."""
        data = self._public_data.get(id(record))
        if data is None:
            data = self._public_data[id(record)] = record.public()
        return dict(data)

    def office_for_school(self, school: School) -> Office:
        return self.office_by_id[school.office]

    def municipality_for_school(self, school: School) -> Municipality:
        return self.municipality_by_key[school.municipality]


_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "Ä": "a", "Ö": "o", "Ü": "u"})


def sort_key(name: str) -> str:
    """German A–Z order (umlauts sort with their base letter, DIN 5007-1)."""
    return name.casefold().translate(_UMLAUTS)


def school_sort_key(school: School) -> tuple[int, str]:
    return SCHOOL_TYPES.index(school.school_type), sort_key(school.name)
