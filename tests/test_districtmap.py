"""The district outlines: checked like every data file, and simplified so that neighbours still touch."""

from __future__ import annotations

import sys
from pathlib import Path

from schulerfolg.data.geometry import GEOMETRY_FILE, make_district_map
from schulerfolg.data.load import check_project, load_project

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from import_places import simplify_shared, svg_path  # noqa: E402


def test_the_committed_outlines_cover_the_fourteen_districts() -> None:
    project = load_project(ROOT / "data", ROOT)
    district_map = make_district_map(project.geometry, project.sources)
    assert [o.key for o in district_map.outlines] == sorted(project.district_by_key)
    assert district_map.attribution == "© GeoBasis-DE / BKG 2021 (Daten verändert)"
    assert (ROOT / "data" / GEOMETRY_FILE).stat().st_size < 12_000


def test_a_broken_outline_file_is_reported_in_german_with_lines(data_copy: Path) -> None:
    path = data_copy / "data" / GEOMETRY_FILE
    text = path.read_text(encoding="utf-8")
    text = text.replace('schluessel: "15003"', 'schluessel: "15099"').replace("quelle: bkg-vg5000", "quelle: bkg")
    first_path = text.index("pfad: M")
    text = text[:first_path] + "pfad: Mx" + text[first_path + len("pfad: M"):]
    path.write_text(text, encoding="utf-8")
    project, problems = check_project(data_copy / "data", data_copy)
    assert project is None
    messages = [str(p) for p in problems]
    assert any(m.startswith("data/districts-geometry.yaml:") and "kreise[0].pfad" in m and "tools/import_places.py" in m
               for m in messages), messages
    path.write_text(text.replace("pfad: Mx", "pfad: M"), encoding="utf-8")
    _, problems = check_project(data_copy / "data", data_copy)
    messages = [str(p) for p in problems]
    assert any("quelle" in m and "Unbekannte Quelle „bkg“" in m for m in messages), messages
    assert any("„15099“ steht nicht in data/places.yaml" in m for m in messages), messages
    assert any("Der Umriss für Magdeburg (15003) fehlt." in m for m in messages), messages


def test_simplification_keeps_a_shared_border_shared() -> None:
    """Two squares with a wiggly common edge and a third ring as a hole: the border is simplified once."""
    wiggle = [(10.0 + (0.3 if y % 2 else -0.3) + (2.0 if y == 5 else 0.0), float(y)) for y in range(1, 10)]
    left = [(0.0, 0.0), (10.0, 0.0), *wiggle, (10.0, 10.0), (0.0, 10.0)]
    right = [(10.0, 0.0), (20.0, 0.0), (20.0, 10.0), (10.0, 10.0), *reversed(wiggle)]
    hole = [(14.0, 4.0), (16.0, 4.0), (16.2, 5.0), (16.0, 6.0), (14.0, 6.0)]
    simple_left, simple_right, simple_hole = simplify_shared([left, right, [*hole]], tolerance=0.5)
    border_left = [p for p in simple_left if p[0] == 10.0 or p in wiggle]
    border_right = [p for p in simple_right if p[0] == 10.0 or p in wiggle]
    assert set(border_left) == set(border_right)
    assert (12.3, 5.0) in border_left and 3 <= len(border_left) < len(wiggle)  # the bump stays, the ripples go
    assert len(simple_hole) >= 3
    assert svg_path([[(0, 0), (10, 0), (10, 10)]]) == "M0 0l10 0 0 10z"


def test_a_broken_path_is_refused_at_once_however_long_its_digit_runs() -> None:
    """A path regex that can split digit runs in many ways backtracks exponentially: a corrupted outline
    must end in the German message, not hang validate and the build (run apart, with a time limit)."""
    import subprocess
    import sys

    broken = "M1 2l" + "1" * 40 + "x"
    code = ("from pydantic import TypeAdapter, ValidationError\nfrom schulerfolg.data.fields import SvgPath\n"
            f"try:\n    TypeAdapter(SvgPath).validate_python({broken!r})\nexcept ValidationError as e:\n"
            "    print(e.errors()[0]['msg'])\n")
    hooks = Path(__file__).resolve().parent.parent / "hooks"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                            env={"PYTHONPATH": str(hooks)})
    assert "Ungültige Pfadangabe" in result.stdout, result.stderr
