"""A broken data file ends `mkdocs build` cleanly: German located messages, exit code ≠ 0, no traceback, site/ untouched."""

from __future__ import annotations

from pathlib import Path

from conftest import run_mkdocs_build


def test_broken_data_stops_the_build_with_every_problem(project_copy: Path, tmp_path: Path) -> None:
    project = project_copy
    schools = project / "data" / "schools.yaml"
    text = schools.read_text(encoding="utf-8")
    text = text.replace("netzwerkstelle: dessau-rosslau", "netzwerkstelle: dessau", 1)
    text = text.replace('plz: "06849"', "plz: 01067", 1)
    text = text.replace("@example.org", "(at)example.org", 1)
    schools.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("old site", encoding="utf-8")

    result = run_mkdocs_build(project, site)

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert "Die Daten enthalten 3 Fehler" in output
    assert "data/schools.yaml:" in output
    assert ".netzwerkstelle: Unbekannte Netzwerkstelle „dessau“" in output
    assert '.plz: Bitte in Anführungszeichen setzen: plz: "01067"' in output
    assert ".email: Die E-Mail-Adresse ist ungültig" in output
    assert [p.name for p in site.iterdir()] == ["previous.html"]
