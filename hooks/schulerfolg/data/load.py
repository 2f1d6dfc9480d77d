"""Load and validate the data files into one immutable ``Project``; report every problem at once."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from schulerfolg.data.rules import (check_characters, check_freshness, check_future_dates, check_networks, check_places,
                     check_schools)
from schulerfolg.data.messages import validate
from schulerfolg.data.model import NetworksFile, PlacesFile, PublicationsFile, Record, SchoolsFile
from schulerfolg.data.problems import DataError, Problem
from schulerfolg.data.geometry import GEOMETRY_FILE, GeometryFile, check_geometry
from schulerfolg.data.project import Project
from schulerfolg.data.search_terms import SearchTermsFile
from schulerfolg.data.yamlsource import YamlSource

DATA_FILES = {
    "places": "places.yaml",
    "networks": "networks.yaml",
    "schools": "schools.yaml",
    "publications": "publications.yaml",
    "search_terms": "suchbegriffe.yaml",
    "district_geometry": GEOMETRY_FILE,
}
FILE_MODELS: dict[str, type[Record]] = {
    "places": PlacesFile,
    "networks": NetworksFile,
    "schools": SchoolsFile,
    "publications": PublicationsFile,
    "search_terms": SearchTermsFile,
    "district_geometry": GeometryFile,
}
"""The model of each data file (same keys as ``DATA_FILES``): read by the loader, the schema and the data diff."""


def load_project(data_dir: Path, display_root: Path | None = None) -> Project:
    """Read the files in ``DATA_FILES`` from ``data_dir``.

    Raises ``DataError`` with every problem found, located as ``file:line: field``; paths in
    messages are relative to ``display_root`` (the project root), as editors see them.
    """
    project, problems = check_project(data_dir, display_root)
    if project is None:
        raise DataError(problems)
    return project


def check_project(data_dir: Path, display_root: Path | None = None,
                  today: datetime.date | None = None) -> tuple[Project | None, list[Problem]]:
    """Validate without raising: the project (if there are no errors) and all problems, sorted.

    With ``today``, records last checked more than 12 months earlier are reported as warnings
    (the ``validate`` command does; the build does not, so that an old date never breaks it).
    """
    root = display_root or data_dir.parent
    sources = {key: YamlSource.read_in(data_dir / name, root) for key, name in DATA_FILES.items()}
    problems = [p for s in sources.values() for p in s.problems]
    places_src, networks_src, schools_src = sources["places"], sources["networks"], sources["schools"]

    places = _validated(places_src, PlacesFile, problems)
    networks = _validated(networks_src, NetworksFile, problems)
    schools = _validated(schools_src, SchoolsFile, problems)
    publications = _validated(sources["publications"], PublicationsFile, problems)
    search_terms = _validated(sources["search_terms"], SearchTermsFile, problems)
    geometry = _validated(sources["district_geometry"], GeometryFile, problems)
    if places is not None:
        problems += check_places(places_src, places)
        if geometry is not None:
            problems += check_geometry(sources["district_geometry"], geometry, places.districts, places.sources)
    if isinstance(networks_src.data, dict):
        problems += check_networks(networks_src, places)
    networks_ok = networks is not None and not any(p.file == networks_src.display and not p.warning for p in problems)
    if isinstance(schools_src.data, dict):
        problems += check_schools(schools_src, networks.offices if networks_ok else None, places,
                                  hints=today is not None)
    for source in sources.values():
        if isinstance(source.data, dict):
            problems += check_characters(source)
    problems += [p for s in (networks_src, schools_src) for p in check_future_dates(s, today or datetime.date.today())]
    if today is not None:
        problems += [p for s in (networks_src, schools_src) for p in check_freshness(s, today)]

    problems.sort()
    if any(not p.warning for p in problems) or None in (places, networks, schools, publications, search_terms, geometry):
        return None, problems
    project = Project(
        coordination=networks.coordination,
        offices=networks.offices,
        schools=schools.schools,
        districts=places.districts,
        municipalities=places.municipalities,
        sources=places.sources,
        handbook=publications.handbook,
        publications=publications.publications,
        search_rules=search_terms.rules,
        geometry=geometry,
    )
    return project, problems


def _validated(source: YamlSource, model: Any, problems: list[Problem]) -> Any:
    if not isinstance(source.data, dict):
        return None
    record, found = validate(source, model)
    problems.extend(found)
    return record
