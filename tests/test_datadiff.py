"""The data diff: what a reviewer (or a pull-request comment) reads about a change to data/*.yaml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from schulerfolg.editors.diff import diff_data, render_markdown, render_text

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV}, check=True)
    return result.stdout.strip()


def datadiff(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    result = subprocess.run([sys.executable, "-m", "schulerfolg.editors.diff", *args], capture_output=True, text=True, env=env)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def school_blocks(text: str) -> tuple[str, list[str]]:
    head, *blocks = text.split("\n- id: ")
    return head, blocks


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A git repository with the real data, the Harz office given a phone number, committed once."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "data", repo / "data")
    edit(repo / "data" / "networks.yaml", '    kreis: "15085"\n', '    kreis: "15085"\n    telefon: 03941 111111\n')
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "before")
    return repo


def test_phone_change_added_and_removed_school_are_exactly_three_german_lines(repo: Path) -> None:
    edit(repo / "data" / "networks.yaml", "telefon: 03941 111111", "telefon: 03941 222222")
    schools = repo / "data" / "schools.yaml"
    head, blocks = school_blocks(schools.read_text(encoding="utf-8"))
    removed = yaml.safe_load("- id: " + blocks.pop(5))[0]
    added = blocks[0].replace(blocks[0].split("\n")[0], "gs-neu-dessau-rosslau", 1)
    added = added.replace(yaml.safe_load("- id: " + blocks[0])[0]["name"], "Grundschule Neubau (Beispiel)", 1)
    schools.write_text("\n- id: ".join([head, *blocks, added]), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "after")

    result = datadiff("--projekt", str(repo), "HEAD~1", "HEAD")

    assert result.returncode == 0, result.stderr
    changes = [line.strip() for line in result.stdout.splitlines() if line.startswith("  ")]
    assert changes == [
        "Netzwerkstelle Harz: Telefon geändert: 03941 111111 → 03941 222222",
        "Schule „Grundschule Neubau (Beispiel)“ (gs-neu-dessau-rosslau) hinzugefügt",
        f"Schule „{removed['name'].replace('„', '‚').replace('“', '‘')}“ ({removed['id']}) entfernt",
    ]
    assert result.stdout.splitlines()[0] == "data/networks.yaml"

    markdown = datadiff("--projekt", str(repo), "--format", "markdown", "HEAD~1", "HEAD").stdout
    assert "- Netzwerkstelle Harz: Telefon geändert: `03941 111111` → `03941 222222`" in markdown
    assert "(gs-neu-dessau-rosslau) **hinzugefügt**" in markdown
    assert f"({removed['id']}) **entfernt**" in markdown


def test_working_copy_is_compared_when_no_second_version_is_given(repo: Path) -> None:
    assert datadiff("--projekt", str(repo), "HEAD").stdout == "Keine Änderungen an den Daten.\n"
    edit(repo / "data" / "networks.yaml", "    telefon: 03941 111111\n", "")
    assert datadiff("--projekt", str(repo), "HEAD").stdout.splitlines()[1].strip() == \
        "Netzwerkstelle Harz: Telefon gelöscht (bisher: 03941 111111)"


def test_moving_a_record_is_not_a_change(repo: Path) -> None:
    schools = repo / "data" / "schools.yaml"
    head, blocks = school_blocks(schools.read_text(encoding="utf-8"))
    blocks[0] = blocks[0].rstrip("\n")
    schools.write_text("\n- id: ".join([head, *reversed(blocks)]) + "\n", encoding="utf-8")
    assert datadiff("--projekt", str(repo), "HEAD").stdout == "Keine Änderungen an den Daten.\n"


def test_unknown_version_is_explained_without_traceback(repo: Path) -> None:
    result = datadiff("--projekt", str(repo), "gibt-es-nicht")
    assert result.returncode == 2
    assert "„gibt-es-nicht“ ist keine bekannte Version" in result.stderr


def test_a_broken_new_version_is_reported_not_compared(repo: Path) -> None:
    edit(repo / "data" / "schools.yaml", "schulen:\n", "schulen:\n\t")
    result = datadiff("--projekt", str(repo), "HEAD")
    assert result.returncode == 0
    assert "Nicht verglichen: Die neue Fassung ist fehlerhaft" in result.stdout


def test_two_files_can_be_compared_directly(tmp_path: Path) -> None:
    old, new = tmp_path / "alt", tmp_path / "neu"
    for folder in (old, new):
        shutil.copytree(ROOT / "data", folder)
    edit(new / "places.yaml", 'plz: ["06108", ', 'plz: ["06108", "06109", ')
    result = datadiff("--pfade", str(old / "places.yaml"), str(new / "places.yaml"))
    assert result.returncode == 0
    assert result.stdout.splitlines()[1].strip() == \
        "Gemeinde „Halle (Saale)“ (15002000): Postleitzahlen geändert: hinzugefügt 06109"
    folders = datadiff("--pfade", str(old), str(new))
    assert folders.stdout.splitlines()[0] == "data/places.yaml"


# --- privacy: a pull-request comment on a public repository is public ------------------------------------


def school(**fields: object) -> dict:
    base = {"id": "gs-test", "name": "Grundschule Test (Beispiel)", "schulform": "Grundschule", "telefon": "0345 1234567"}
    return {**base, **fields}


def lines(old: dict, new: dict) -> list[str]:
    diff = diff_data("data/schools.yaml", "schools", {"schulen": [old]}, {"schulen": [new]})
    return [line.strip() for line in render_text([diff]).splitlines()[1:]]


def test_internal_notes_are_reported_without_their_content() -> None:
    out = lines(school(intern="Schulleitung will raus"), school(intern="Vertrag endet im Sommer"))
    assert out == ["Schule „Grundschule Test (Beispiel)“ (gs-test): Interne Notiz geändert "
                   "(Inhalt nicht angezeigt: interne Angabe)"]
    assert lines(school(), school(intern="neu"))[0].endswith("Interne Notiz ergänzt (Inhalt nicht angezeigt: interne Angabe)")


def test_unpublished_contact_names_never_appear() -> None:
    hidden_old = {"name": "Erika Geheim", "veroeffentlichen": False}
    hidden_new = {"name": "Paula Geheim", "funktion": "Schulsozialarbeiterin", "veroeffentlichen": False}
    out = lines(school(ansprechperson=hidden_old), school(ansprechperson=hidden_new))
    assert out == ["Schule „Grundschule Test (Beispiel)“ (gs-test): Ansprechperson geändert "
                   "(Inhalt nicht angezeigt: nicht zur Veröffentlichung freigegeben)"]
    withdrawn = lines(school(ansprechperson={**hidden_old, "veroeffentlichen": True}), school(ansprechperson=hidden_old))
    assert "Erika" not in "".join(withdrawn) and "Ansprechperson geändert" in withdrawn[0]


def test_published_contact_names_are_shown() -> None:
    before = {"name": "Anna Beispiel", "veroeffentlichen": True}
    after = {"name": "Max Mustermann", "veroeffentlichen": True}
    assert lines(school(ansprechperson=before), school(ansprechperson=after)) == [
        "Schule „Grundschule Test (Beispiel)“ (gs-test): Ansprechperson – Name geändert: Anna Beispiel → Max Mustermann"]
    newly = lines(school(ansprechperson={"name": "Erika Alt", "veroeffentlichen": False}), school(ansprechperson=after))
    assert "Erika" not in "".join(newly) and any("Name ergänzt: Max Mustermann" in line for line in newly)


def test_markdown_escapes_data_and_stays_within_a_comment() -> None:
    evil = school(name="Schule <img src=x onerror=alert(1)> *fett* [link](https://x.test)", telefon="0345 `7`")
    diff = diff_data("data/schools.yaml", "schools", {"schulen": [school()]}, {"schulen": [evil]})
    markdown = render_markdown([diff])
    assert "- Schule „Schule &lt;img src=x onerror=alert(1)> \\*fett\\* \\[link\\](https://x.test)“ (gs-test)" in markdown
    assert markdown.count("<img") == 1 and "`Schule <img" in markdown  # only inside a code span
    assert r"\*fett\*" in markdown and r"\[link\]" in markdown
    assert "`` 0345 `7` ``" in markdown
    many = {"schulen": [school(id=f"gs-{i}", name=f"Schule {i}") for i in range(3000)]}
    long = render_markdown([diff_data("data/schools.yaml", "schools", {"schulen": []}, many)])
    assert len(long) < 65_536 and "weitere Zeilen" in long


def test_values_of_unknown_fields_are_not_shown() -> None:
    out = lines(school(), school(interm="Kind X fehlt seit Wochen"))
    assert out == ["Schule „Grundschule Test (Beispiel)“ (gs-test): Feld „interm“ ergänzt "
                   "(Inhalt nicht angezeigt: unbekanntes Feld, siehe Meldung der Prüfung)"]
