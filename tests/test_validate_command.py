"""`python validate`, run as an editor runs it: German located messages, exit codes, never a traceback."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import apply_invalid_case

from schulerfolg.data.rules import check_freshness
from schulerfolg.data.yamlsource import YamlSource

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def validate(project: Path, *args: str) -> subprocess.CompletedProcess:
    """The wrapper script at the repository root, from an unrelated folder, without PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, str(ROOT / "validate"), "--ordner", str(project), *args],
                            capture_output=True, text=True, env=env, cwd=project.parent)
    assert "Traceback" not in result.stdout + result.stderr
    return result



def latest_check(project: Path = ROOT) -> datetime.date:
    """The newest check date in the data: "today" for tests that need the data as it stands to be current
    (a fixed date would break the day an editor records a later check)."""
    import re

    dates = [datetime.date.fromisoformat(d) for path in (project / "data").glob("*.yaml")
             for d in re.findall(r"geprueft_am: (\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"))]
    return max(dates)


TODAY = latest_check().isoformat()


def records(project: Path, file: str, key: str) -> int:
    """How many records a data file holds, read with plain YAML (not through the model under test)."""
    return len(yaml.safe_load((project / "data" / file).read_text(encoding="utf-8"))[key])


def _set_first(project: Path, old: str, new: str) -> int:
    """Replace the first occurrence of ``old`` in schools.yaml; return its line number."""
    path = project / "data" / "schools.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


@pytest.mark.parametrize("case", CASES)
def test_broken_files_give_every_german_message_and_fail(case: str, data_copy: Path) -> None:
    apply_invalid_case(FIXTURES / case, data_copy)
    result = validate(data_copy)
    golden = (FIXTURES / case / "expected.txt").read_text(encoding="utf-8").splitlines()[1:]
    printed = result.stdout.splitlines()
    assert result.returncode == 1
    assert printed[:len(golden)] == [line.strip() for line in golden]
    errors = sum("Warnung:" not in line for line in golden)
    assert printed[-1].startswith(f"{errors} Fehler")
    assert "Bitte korrigieren" in printed[-1]


def test_the_repository_data_passes(tmp_path: Path) -> None:
    result = validate(ROOT, "--heute", TODAY)
    assert result.returncode == 0, result.stdout
    schools = records(ROOT, "schools.yaml", "schulen")
    assert schools > 0
    assert result.stdout.strip() == (f"Keine Fehler. Die Daten sind in Ordnung: 14 Netzwerkstellen, {schools} Schulen, "
                                     "218 Gemeinden.")


def test_a_school_an_editor_adds_is_counted(data_copy: Path) -> None:
    """An editor copies the first school's block, changes id, name and street: nothing else must break."""
    path = data_copy / "data" / "schools.yaml"
    text = path.read_text(encoding="utf-8")
    before = records(data_copy, "schools.yaml", "schulen")
    first = text.index("\n- id: ") + 1
    block = text[first:text.index("\n- id: ", first) + 1]
    fields = dict(line.split(": ", 1) for line in block.splitlines() if line.startswith(("- id: ", "  name: ", "  strasse: ")))
    new = (block.replace(fields["- id"], "neue-schule-am-park-beispiel", 1)
           .replace(fields["  name"], "Neue Schule am Park (Beispiel)", 1)
           .replace(fields["  strasse"], "Parkweg 99", 1))
    path.write_text(text.rstrip("\n") + "\n" + new, encoding="utf-8")
    result = validate(data_copy, "--heute", TODAY)
    assert result.returncode == 0, result.stdout
    assert f"{before + 1} Schulen" in result.stdout


def test_a_record_unchecked_for_over_a_year_is_a_warning_not_an_error(data_copy: Path) -> None:
    line = _set_first(data_copy, "geprueft_am: 2026-", "geprueft_am: 2025-")
    stale = validate(data_copy, "--heute", TODAY)
    assert stale.returncode == 0
    warnings = [ln for ln in stale.stdout.splitlines() if "Warnung:" in ln]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"data/schools.yaml:{line}: schulen[0].geprueft_am: Warnung: Zuletzt geprüft am ")
    assert "vor mehr als 12 Monaten" in warnings[0]
    assert stale.stdout.splitlines()[-1].startswith("Keine Fehler (1 Warnung).")


def test_today_is_injectable_so_the_same_data_can_become_stale(data_copy: Path) -> None:
    later = validate(data_copy, "--heute", (latest_check() + datetime.timedelta(days=400)).isoformat())
    assert later.returncode == 0
    schools = records(data_copy, "schools.yaml", "schulen")
    assert later.stdout.count("vor mehr als 12 Monaten") == 14 + 1 + schools  # offices, coordination, schools


def test_a_check_date_in_the_future_is_an_error(data_copy: Path) -> None:
    """The site would show „Stand: 02.07.2062“: a typing error, refused (also by the build)."""
    line = _set_first(data_copy, "geprueft_am: 2026-", "geprueft_am: 2062-")
    result = validate(data_copy, "--heute", TODAY)
    assert result.returncode == 1
    assert f"data/schools.yaml:{line}: schulen[0].geprueft_am: Das Prüfdatum " in result.stdout
    assert "liegt in der Zukunft" in result.stdout


def test_errors_and_warnings_together_fail(data_copy: Path) -> None:
    _set_first(data_copy, "geprueft_am: 2026-", "geprueft_am: 2025-")
    line = _set_first(data_copy, "schulform: Grundschule", "schulform: Grundshule")
    result = validate(data_copy, "--heute", TODAY)
    assert result.returncode == 1
    assert f"data/schools.yaml:{line}:" in result.stdout and "Ungültiger Wert „Grundshule“" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("1 Fehler (1 Warnung).")


def test_github_format_adds_annotations_at_the_line(data_copy: Path) -> None:
    line = _set_first(data_copy, "telefon: 030 23125-", "telefon: 030/23125-")
    result = validate(data_copy, "--format", "github")
    assert result.returncode == 1
    annotations = [ln for ln in result.stdout.splitlines() if ln.startswith("::error ")]
    assert len(annotations) == 1
    assert annotations[0].startswith(f"::error file=data/schools.yaml,line={line},title=schulen[0].telefon::")
    assert "Die Telefonnummer bitte als Vorwahl" in annotations[0]


@pytest.mark.parametrize("damage", ["folder", "latin1", "binary", "list"])
def test_odd_files_never_produce_a_traceback(damage: str, data_copy: Path) -> None:
    path = data_copy / "data" / "schools.yaml"
    path.unlink()
    if damage == "folder":
        path.mkdir()
    elif damage == "latin1":
        path.write_bytes("schulen:\n- name: Schule Köthen\n".encode("latin-1"))
    elif damage == "binary":
        path.write_bytes(bytes(range(256)))
    else:
        path.write_text("- a\n- b\n", encoding="utf-8")
    result = validate(data_copy)
    assert result.returncode == 1
    assert result.stdout.startswith("data/schools.yaml:")
    assert result.stderr == ""


def test_wrong_arguments_are_explained_in_german(data_copy: Path) -> None:
    result = validate(data_copy, "--heute", "29.11.2026")
    assert result.returncode == 2
    assert "ist kein Datum im Format JJJJ-MM-TT" in result.stderr and "Aufruf: python validate" in result.stderr
    help_ = validate(data_copy, "--help")
    assert help_.returncode == 0 and "Rückgabewert" in help_.stdout


def test_freshness_boundary_is_twelve_months_to_the_day() -> None:
    text = ("netzwerkstellen:\n- id: a\n  geprueft_am: 2023-02-28\n- id: b\n  geprueft_am: 2023-02-27\n"
            "koordinierungsstelle:\n  geprueft_am: 2024-02-29\n")
    source = YamlSource.parse(text, "data/networks.yaml")
    problems = check_freshness(source, datetime.date(2024, 2, 29))
    assert [(p.line, p.field, p.warning) for p in problems] == [(5, "netzwerkstellen[1].geprueft_am", True)]
    assert check_freshness(source, datetime.date(2025, 3, 1))[0].field == "netzwerkstellen[0].geprueft_am"


def test_a_malformed_postcode_gets_one_message_not_two(data_copy: Path) -> None:
    line = _set_first(data_copy, 'plz: "06862"', 'plz: "06862x"')
    result = validate(data_copy)
    located = [ln for ln in result.stdout.splitlines() if ln.startswith(f"data/schools.yaml:{line}:")]
    assert located == [f'data/schools.yaml:{line}: schulen[0].plz: Die Postleitzahl muss aus genau fünf Ziffern '
                       'bestehen und in Anführungszeichen stehen, z. B. "06108".']
