"""The JSON Schemas editors get autocomplete from: generated from the model, committed, and in step with the data."""

from __future__ import annotations

import copy
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from schulerfolg.data.load import DATA_FILES, FILE_MODELS
from schulerfolg.data.model import Record
from schulerfolg.editors.schema import outdated, render_schemas, schema_name

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"


def _json_ready(value: Any) -> Any:
    """YAML reads 2026-11-29 as a date; the editors' schema sees the text, as VS Code does."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _data(key: str) -> Any:
    return _json_ready(yaml.load((ROOT / "data" / DATA_FILES[key]).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))


def _validator(key: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / schema_name(key)).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _errors(key: str, data: Any) -> list[str]:
    return sorted(f"{'.'.join(map(str, e.absolute_path))}: {e.validator}" for e in _validator(key).iter_errors(data))


def test_committed_schemas_and_field_tables_match_the_model() -> None:
    """Fails when model.py changed without `python tools/schemas.py --write`."""
    for name, text in render_schemas().items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == text, f"schemas/{name} is stale: regenerate it"
    assert outdated(ROOT) == []


def test_the_guide_tables_list_every_school_field() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = guide.split("<!-- Feldtabelle: Schule -->")[1].split("<!-- Ende der Feldtabelle -->")[0]
    for alias in ("id", "schulform", "plz", "gemeinde", "ansprechperson.veroeffentlichen", "geprueft_am", "intern"):
        assert f"| `{alias}` |" in table, alias
    assert "Erlaubt: Grundschule, Sekundarschule" in table
    assert "| `plz` | ja | Postleitzahl der Schule, in Anführungszeichen" in table


def test_the_schema_check_command_reports_a_stale_schema(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    for name, text in render_schemas().items():
        (tmp_path / "schemas" / name).write_text(text.replace("Telefon", "Fax"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "schulerfolg.editors.schema", "--root", str(tmp_path)],
                         capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "hooks")})
    assert run.returncode == 1
    assert "Veraltet" in run.stdout and "networks.schema.json" in run.stdout


@pytest.mark.parametrize("key", sorted(DATA_FILES))
def test_each_schema_is_valid_draft_07(key: str) -> None:
    schema = json.loads((SCHEMAS / schema_name(key)).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("key", sorted(DATA_FILES))
def test_each_data_file_names_its_schema_and_validates_against_it(key: str) -> None:
    first_line = (ROOT / "data" / DATA_FILES[key]).read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema=../schemas/{schema_name(key)}"
    assert _errors(key, _data(key)) == []


def _all_properties(schema: dict[str, Any]):
    for node in [schema, *schema["definitions"].values()]:
        for name, prop in node.get("properties", {}).items():
            yield f"{node['title']}.{name}", prop


@pytest.mark.parametrize("key", sorted(DATA_FILES))
def test_every_field_has_german_help_for_the_editor(key: str) -> None:
    schema = json.loads((SCHEMAS / schema_name(key)).read_text(encoding="utf-8"))
    for where, prop in _all_properties(schema):
        assert prop.get("title") and prop.get("description") and prop.get("markdownDescription"), where
        assert prop["title"] in prop["markdownDescription"], where
    for definition in schema["definitions"].values():
        assert definition["additionalProperties"] is False
        assert not definition["description"].startswith(("A ", "An ", "The ", "One ")), definition["title"]


def test_every_model_field_has_a_german_title() -> None:
    """The titles are the labels of the data diff and of the schema: one place, the model."""
    seen: set[type[Record]] = set()
    todo: list[type[Record]] = list(FILE_MODELS.values())
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            assert info.title, f"{model.__name__}.{name}"
            for arg in getattr(info.annotation, "__args__", ()) + (info.annotation,):
                if isinstance(arg, type) and issubclass(arg, Record):
                    todo.append(arg)
    assert len(seen) >= 10


def test_schulform_is_offered_as_a_choice() -> None:
    schema = json.loads((SCHEMAS / "schools.schema.json").read_text(encoding="utf-8"))
    school_type = schema["definitions"]["School"]["properties"]["schulform"]
    assert "Grundschule" in school_type["enum"] and "Gymnasium" in school_type["enum"]


def test_the_schema_rejects_what_the_loader_rejects() -> None:
    """Not a schema that accepts anything: typical editing mistakes are flagged in the editor too."""
    data = _data("schools")
    broken = copy.deepcopy(data)
    broken["schulen"][0]["plz"] = 1067               # unquoted postcode with leading zero
    broken["schulen"][1]["schulform"] = "Sonderschule"
    broken["schulen"][2]["farbe"] = "blau"           # unknown field
    broken["schulen"][3]["telefon"] = "0345 123456x"  # pattern must be anchored
    broken["schulen"][4]["geprueft_am"] = "01.05.2026"
    del broken["schulen"][5]["name"]
    broken["schulen"][6]["name"] = "Schule "         # trailing blank
    assert _errors("schools", broken) == [
        "schulen.0.plz: type",
        "schulen.1.schulform: enum",
        "schulen.2: additionalProperties",
        "schulen.3.telefon: pattern",
        "schulen.4.geprueft_am: format",
        "schulen.5: required",
        "schulen.6.name: pattern",
    ]


def test_optional_fields_may_be_left_empty_as_the_loader_allows() -> None:
    data = _data("networks")
    data["netzwerkstellen"][0]["telefon"] = None
    data["netzwerkstellen"][0]["ansprechperson"] = None
    assert _errors("networks", data) == []
    assert FILE_MODELS["networks"].model_validate(data).offices[0].phone is None
