"""The build benchmark's helpers: synthetic data that passes the editors' checks, and the report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT
from schulerfolg.data.load import check_project

sys.path.insert(0, str(ROOT / "benchmarks"))
import run  # noqa: E402
import serve  # noqa: E402
from synthetic import make_project, scaled_schools  # noqa: E402


def test_scaled_schools_get_unique_ids_names_and_mailboxes() -> None:
    schools = [{"id": "gs-a", "name": "Grundschule A (Beispiel)", "email": "ssa.gs-a@example.org"},
               {"id": "gs-a-2", "name": "Grundschule A (Beispiel) 2", "email": "ssa.gs-a-2@example.org"}]
    scaled = scaled_schools(schools, 3)
    assert len(scaled) == 6
    for key in ("id", "name", "email"):
        assert len({s[key] for s in scaled}) == 6, key
    assert scaled[:2] == schools


def test_a_scaled_project_passes_validation(tmp_path: Path) -> None:
    project = make_project(3, tmp_path)
    today, _ = check_project(ROOT / "data", ROOT)
    scaled, problems = check_project(project / "data", project)
    assert scaled is not None, [str(p) for p in problems]
    assert not [p for p in problems if not p.warning]
    assert len(scaled.schools) == 3 * len(today.schools)
    assert scaled.offices == today.offices


def _stage(seconds: float) -> dict:
    return {"seconds": seconds, "wall": seconds, "peak_mib": 50.0, "tree_peak_mib": 120.0}


def _result(scale: int, full: float) -> dict:
    names = ["load", "pages", "site", "pagefind", "pdf", "full", "full_cached", "bare_material", "markdown_floor"]
    stages = {n: _stage(1.0 * scale) for n in names} | {"full": _stage(full * scale)}
    return {"scale": scale, "schools": 355 * scale, "pages": 394 * scale, "stages": stages,
            "ratios": {"full_vs_bare": full, "full_cached_vs_bare": 1.0, "site_vs_floor": 1.0, "overlap_saved": 0.5},
            "sizes": {"finder_gzip": 20_000, "finder_raw": 100_000, "pdf_bytes": 344_000, "site_mib": 14.0,
                      "html_pages": 395}}


def test_the_report_marks_missed_targets_and_shows_growth() -> None:
    text = run.report([_result(1, 3.4), _result(10, 1.5)], "test")
    assert "| whole build / bare Material (target ≤ 2) | 3.4 ✗ | 1.5 ✓ |" in text
    assert "x10 / x1 (pages ×10.0)" in text
    assert "| finder data, gzip (target ≤ 25 KB) | 20.0 KB ✓" in text


def test_serve_timing_counts_rebuilds_even_when_mkdocs_drops_a_repeated_build_time(tmp_path: Path) -> None:
    """MkDocs logs "Documentation built in 2.30 seconds" only once, however often a rebuild takes 2.30 s."""
    log = tmp_path / "serve.log"
    log.write_text("INFO - Documentation built in 2.30 seconds\nINFO - Reloading browsers\n"
                   "INFO - Building documentation...\nINFO - Reloading browsers\n", encoding="utf-8")
    serve._wait_for_rebuilds(log, 2, timeout=1)  # returns: both rebuilds finished
    with pytest.raises(SystemExit, match="rebuild 3 did not finish"):
        serve._wait_for_rebuilds(log, 3, timeout=0.2)
