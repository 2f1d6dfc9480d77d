"""The project's lookups that every generator shares."""

from __future__ import annotations

from pathlib import Path

from schulerfolg.data.load import load_project

ROOT = Path(__file__).resolve().parent.parent


def test_public_data_is_shared_but_each_page_gets_its_own_view() -> None:
    project = load_project(ROOT / "data", ROOT)
    municipality = project.municipality_for_school(project.schools[0])
    first = project.public(municipality)
    assert first == municipality.public()
    first["url"] = "../somewhere/"  # what a page adds to its view
    second = project.public(municipality)
    assert "url" not in second and second == municipality.public()
    office = project.office_for_school(project.schools[0])
    assert project.public(office) == office.public()
    assert all("internal" not in project.public(o) for o in project.offices)  # never the editors' notes
