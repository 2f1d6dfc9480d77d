"""Synthetic scale-ups of the project for the benchmark: the same site with N times today's schools.

The copies of the demo schools keep every field (municipality, postcode, office, internal note) so that
they pass the same validation; only id, name and mailbox are made unique. Nothing here is committed:
the benchmark writes the projects into a temporary folder.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("docs", "data", "hooks", "overrides")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes digit strings (postcodes, keys) in quotes, as the data files have them; no YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if value.isdigit() else None)


_Dumper.add_representer(str, _str)


def scaled_schools(schools: list[dict[str, Any]], scale: int) -> list[dict[str, Any]]:
    """``scale`` copies of every school; the first copy is the original, the others get a number."""
    out = list(schools)
    for k in range(2, scale + 1):
        for school in schools:
            school_id = f"{school['id']}-x{k}"
            out.append({**school, "id": school_id, "name": f"{school['name']} Nr. {k}",
                        "email": f"ssa.{school_id}@example.org"})
    return out


def make_project(scale: int, work: Path, source: Path = ROOT) -> Path:
    """A copy of the project under ``work`` with ``scale`` times the schools (1: as it is)."""
    project = work / f"project-x{scale}"
    if project.exists():
        shutil.rmtree(project)
    for name in PROJECT_PARTS:
        shutil.copytree(source / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(source / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(source / "portal", project / "portal")
    if scale > 1:
        path = project / "data" / "schools.yaml"
        text = path.read_text(encoding="utf-8")
        header = "".join(itertools.takewhile(lambda line: line.startswith("#"), text.splitlines(keepends=True)))
        data = yaml.load(text, Loader=_LOADER)
        data["schulen"] = scaled_schools(data["schulen"], scale)
        body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
        path.write_text(header + body, encoding="utf-8")
    return project
