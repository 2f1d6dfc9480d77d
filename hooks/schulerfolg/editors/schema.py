"""JSON Schemas for the data files, and the field tables in CONTRIBUTING.md: generated from the model.

Each YAML file names its schema on its first line (``# yaml-language-server: $schema=...``), so
VS Code's YAML extension completes field names and Schulform values and shows the German help on
hover. The schemas are committed under ``schemas/``; a test fails when they and the model disagree.

    python tools/schemas.py           # check that schemas/ is current (also: python -m schulerfolg.editors.schema)
    python tools/schemas.py --write   # regenerate after changing model.py

Draft-07, because that is what the YAML extension implements; pydantic's output is adapted to it.
The same German titles and descriptions fill the field tables of the editors' guide (between the
markers ``<!-- Feldtabelle: Schule -->`` and ``<!-- Ende der Feldtabelle -->``), so they never drift.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterator

from schulerfolg.data.load import DATA_FILES, FILE_MODELS

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = "schemas"
GENERATOR = "python tools/schemas.py --write"
GUIDE = "CONTRIBUTING.md"
_TABLE = re.compile(r"(<!-- Feldtabelle: (\w+) -->\n)(?:(?!<!--).*\n)*(<!-- Ende der Feldtabelle -->)")


def schema_name(key: str) -> str:
    """``schools`` → ``schools.schema.json`` (the name the YAML file's first line refers to)."""
    return f"{Path(DATA_FILES[key]).stem}.schema.json"


def build_schema(key: str) -> dict[str, Any]:
    """The JSON Schema of one data file, with German titles and descriptions for every field."""
    raw = FILE_MODELS[key].model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    definitions = raw.pop("$defs", {})
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$comment": f"Erzeugt aus hooks/schulerfolg/data/model.py – nicht von Hand bearbeiten. Neu erzeugen: {GENERATOR}",
        **raw,
        "definitions": definitions,
    }
    missing = list(_polish_all(schema))
    if missing:
        raise ValueError("Fields without German title or description in model.py: " + ", ".join(missing))
    return schema


def render_schemas() -> dict[str, str]:
    """Every schema file's name and text, as committed under ``schemas/``."""
    return {schema_name(key): json.dumps(build_schema(key), ensure_ascii=False, indent=2) + "\n" for key in DATA_FILES}


def render_files(root: Path) -> dict[str, str]:
    """Every generated file (relative path → text): the schemas and the guide with current field tables."""
    files = {f"{SCHEMA_DIR}/{name}": text for name, text in render_schemas().items()}
    guide = root / GUIDE
    if guide.exists():
        files[GUIDE] = render_guide(guide.read_text(encoding="utf-8"))
    return files


def outdated(root: Path) -> list[str]:
    """Generated files that differ from the model (or are missing)."""
    return [name for name, text in render_files(root).items()
            if not (root / name).exists() or (root / name).read_text(encoding="utf-8") != text]


def write(root: Path) -> list[str]:
    (root / SCHEMA_DIR).mkdir(exist_ok=True)
    changed = outdated(root)
    for name, text in render_files(root).items():
        if name in changed:
            (root / name).write_text(text, encoding="utf-8")
    return changed


# --- field tables for the editors' guide -------------------------------------------------------------


def render_guide(text: str) -> str:
    """The guide with each marked field table regenerated from the model."""
    definitions = {name: d for key in DATA_FILES for name, d in build_schema(key)["definitions"].items()}
    by_title = {d["title"]: d for d in definitions.values()}
    return _TABLE.sub(lambda m: m.group(1) + field_table(definitions, by_title[m.group(2)]) + "\n" + m.group(3), text)


def field_table(definitions: dict[str, dict[str, Any]], record: dict[str, Any]) -> str:
    """A Markdown table of one record type's fields, nested records' fields included (``quelle.url``)."""
    return "\n".join(["| Feld | Pflicht? | Bedeutung |", "|---|---|---|", *_rows(definitions, record, "")])


def _rows(definitions: dict[str, dict[str, Any]], node: dict[str, Any], prefix: str, optional_parent: bool = False,
          ) -> list[str]:
    rows = []
    required = set(node.get("required", ()))
    for name, prop in node["properties"].items():
        text = prop["description"].replace("|", "\\|").replace("<", "&lt;")
        choices = [c for c in prop.get("enum", ()) if c is not None]
        if choices:
            text += " Erlaubt: " + ", ".join(choices) + "."
        need = "nein"
        if name in required:
            need = f"ja, wenn `{prefix.rstrip('.')}` angegeben" if optional_parent else "ja"
        rows.append(f"| `{prefix}{name}` | {need} | {text} |")
        refs = [o["$ref"] for o in (*prop.get("allOf", ()), *prop.get("anyOf", ())) if "$ref" in o]
        if refs:
            sub = definitions[refs[0].rsplit("/", 1)[1]]
            rows += _rows(definitions, sub, f"{prefix}{name}.", optional_parent or name not in required)
    return rows


# --- adapting pydantic's schema for editors ------------------------------------------------------


def _polish_all(schema: dict[str, Any]) -> Iterator[str]:
    """Polish every object schema in place; yield ``Model.field`` for fields lacking German help."""
    for name, node in [("", schema), *schema["definitions"].items()]:
        required = set(node.get("required", ()))
        for field, prop in node.get("properties", {}).items():
            if "title" not in prop and "$ref" in prop:  # pydantic omits a title equal to the model's
                prop["title"] = schema["definitions"][prop["$ref"].rsplit("/", 1)[1]]["title"]
            _polish(prop, field, field in required)
            if not prop.get("title") or not prop.get("description"):
                yield f"{name or node.get('title')}.{field}"


def _polish(prop: dict[str, Any], name: str, required: bool) -> None:
    _flatten_optional(prop)
    if prop.get("default", ...) is None:
        del prop["default"]  # null is implied; a default of null would be inserted by autocomplete
    if "$ref" in prop and len(prop) > 1:
        prop["allOf"] = [{"$ref": prop.pop("$ref")}]  # draft-07 ignores keywords beside $ref
    prop["markdownDescription"] = _hover(prop, name, required)


def _flatten_optional(prop: dict[str, Any]) -> None:
    """``anyOf: [{type: string, pattern…}, {type: null}]`` → ``type: [string, null], pattern…``.

    The inner schema carries the constrained type's description; the field's own description wins.
    """
    options = prop.get("anyOf")
    if not options or len(options) != 2 or {"type": "null"} not in options:
        return
    inner = next(o for o in options if o != {"type": "null"})
    if "type" not in inner or "$ref" in inner:
        return
    del prop["anyOf"]
    for key, value in inner.items():
        if key == "description":
            prop.setdefault("description", value)
        elif key == "type":
            prop["type"] = [value, "null"]
        elif key == "enum":
            prop["enum"] = [*value, None]
        else:
            prop[key] = value


def _hover(prop: dict[str, Any], name: str, required: bool) -> str:
    """The Markdown help VS Code shows on hover: label, key, required or not, description, choices."""
    need = "Pflichtfeld" if required else "optional"
    text = f"**{prop.get('title', name)}** (`{name}`, {need})\n\n{prop.get('description', '')}"
    choices = [c for c in prop.get("enum", ()) if c is not None]
    if choices:
        text += "\n\nErlaubte Werte: " + ", ".join(f"`{c}`" for c in choices)
    return text


# --- command line ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m schulerfolg.editors.schema",
                                     description="JSON-Schemas der Datendateien aus dem Modell erzeugen oder prüfen.")
    parser.add_argument("--write", action="store_true", help="Schemas neu schreiben (sonst nur prüfen)")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[3], help="Projektordner")
    args = parser.parse_args(argv)
    if args.write:
        changed = write(args.root)
        print("Neu geschrieben: " + ", ".join(changed) if changed else "Schemas und Feldtabellen sind aktuell.")
        return 0
    stale = outdated(args.root)
    if stale:
        print(f"Veraltet (passt nicht zu model.py): {', '.join(stale)}. Neu erzeugen mit: {GENERATOR}")
        return 1
    print("Schemas und Feldtabellen sind aktuell.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
