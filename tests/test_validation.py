"""Every validation rule, checked with golden files: broken data in, German located messages out.

To update the expected messages after a deliberate change: UPDATE_GOLDEN=1 pytest tests/test_validation.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from conftest import apply_invalid_case

from schulerfolg.data.load import check_project, load_project
from schulerfolg.data.problems import DataError, format_problems

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())




@pytest.mark.parametrize("case", CASES)
def test_broken_data_gives_the_expected_german_messages(case: str, data_copy: Path) -> None:
    apply_invalid_case(FIXTURES / case, data_copy)
    project, problems = check_project(data_copy / "data", data_copy)
    assert project is None
    report = format_problems(problems) + "\n"
    golden = FIXTURES / case / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(report, encoding="utf-8")
    assert report == golden.read_text(encoding="utf-8")


def test_the_repository_data_is_valid() -> None:
    root = Path(__file__).resolve().parent.parent
    project, problems = check_project(root / "data", root)
    assert [str(p) for p in problems if not p.warning] == []
    assert project is not None
    assert len(project.offices) == 14
    listed = yaml.safe_load((root / "data" / "schools.yaml").read_text(encoding="utf-8"))["schulen"]
    assert len(project.schools) == len(listed) > 0
    assert len(project.municipalities) == 218


def test_messages_are_sorted_by_file_and_line(data_copy: Path) -> None:
    apply_invalid_case(FIXTURES / "schools-rules", data_copy)
    apply_invalid_case(FIXTURES / "networks-rules", data_copy)
    with pytest.raises(DataError) as raised:
        load_project(data_copy / "data", data_copy)
    located = [(p.file, p.line) for p in raised.value.problems]
    assert located == sorted(located)
    assert {p.file for p in raised.value.problems} == {"data/networks.yaml", "data/schools.yaml"}


def test_a_leading_zero_postcode_tells_the_editor_to_quote_it(data_copy: Path) -> None:
    path = data_copy / "data" / "schools.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index('plz: "')
    end = text.index("\n", first)
    line_no = text[:first].count("\n") + 1
    path.write_text(text[:first] + "plz: 01067" + text[end:], encoding="utf-8")
    _, problems = check_project(data_copy / "data", data_copy)
    plz = [p for p in problems if p.field.endswith(".plz") and p.line == line_no]
    assert plz, [str(p) for p in problems]
    assert '"01067"' in plz[0].message and "Anführungszeichen" in plz[0].message
