"""The PDF handbook on any machine: the repository's fonts only, the same bytes everywhere, a cache that
never hands out a result made with warnings or on another set-up, and nothing left behind by a killed build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from conftest import ROOT
from schulerfolg.handbook import book as handbook
from schulerfolg.handbook import pdf
from schulerfolg.data.load import load_project
from schulerfolg.pipeline.publish import StagedSite

FONTS = handbook.STYLESHEET.parent / "fonts"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def fresh_machine_fonts(tmp_path: Path) -> Path:
    """A fontconfig set-up that offers only what a fresh Debian image has: DejaVu."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{DEJAVU}</dir><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>
""", encoding="utf-8")
    return conf


@pytest.fixture(scope="module")
def book() -> handbook.Book:
    project = load_project(ROOT / "data", ROOT)
    return handbook.make_book(ROOT / "docs", project.handbook, handbook.stand(ROOT), "")


def small_sheet(tmp_path: Path, extra_css: str = "") -> Path:
    """A stylesheet beside a copy of the repository's fonts, as the handbook's own one is."""
    shutil.copytree(FONTS, tmp_path / "fonts")
    faces = "\n".join(line for line in handbook.STYLESHEET.read_text(encoding="utf-8").splitlines()
                      if line.startswith("@font-face"))
    sheet = tmp_path / "print.css"
    sheet.write_text(f'{faces}\nhtml {{ font-family: "Handbuch Sans", "Handbuch Symbole"; }}\n{extra_css}\n',
                     encoding="utf-8")
    return sheet


SMALL_HTML = ('<!DOCTYPE html><html lang="de"><head><title>Probe</title></head>'
              '<body><h1>Probe</h1><p>Schüler:innen – „Zitat“ → ☐</p></body></html>')


def test_the_handbook_uses_only_the_repositorys_fonts_and_they_cover_every_character(book) -> None:
    text = handbook_text(book.html) + "".join(handbook_css_strings())
    covered: set[int] = set()
    for face in FONTS.glob("*.ttf"):
        covered |= set(TTFont(face).getBestCmap())
    missing = sorted({c for c in text if ord(c) not in covered and not c.isspace()})
    assert missing == [], f"Zeichen ohne Schrift im Repository: {missing}"
    assert "sans-serif" not in handbook.STYLESHEET.read_text(encoding="utf-8")  # no machine font as fallback


def handbook_text(html: str) -> str:
    from html import unescape
    import re

    return unescape(re.sub(r"<[^>]+>", " ", html))


def handbook_css_strings() -> list[str]:
    import re

    return re.findall(r'"([^"]*)"', handbook.STYLESHEET.read_text(encoding="utf-8").split("*/", 1)[1])


def test_the_pdf_is_the_same_bytes_with_only_a_fresh_machines_fonts(book, tmp_path: Path) -> None:
    """The normal machine and one whose fontconfig knows only DejaVu (FONTCONFIG_FILE) make one PDF."""
    normal = pdf.PdfJob.start(book.html, book.base_url, [handbook.STYLESHEET], tmp_path / "normal", use_cache=False)
    os.environ["FONTCONFIG_FILE"] = str(fresh_machine_fonts(tmp_path))
    try:
        fresh = pdf.PdfJob.start(book.html, book.base_url, [handbook.STYLESHEET], tmp_path / "fresh", use_cache=False)
    finally:
        del os.environ["FONTCONFIG_FILE"]
    first, second = normal.result(), fresh.result()
    assert first.warnings == second.warnings == []
    assert first.path.read_bytes() == second.path.read_bytes()
    fonts = {str(font.get("/BaseFont")).split("+", 1)[-1]
             for page in PdfReader(first.path).pages
             for font in (page.get("/Resources") or {}).get("/Font", {}).values()
             for font in [font.get_object()]}
    assert fonts and all(name.startswith(("Handbuch-Sans", "Handbuch-Symbole")) for name in fonts), fonts


def test_a_result_with_warnings_is_never_cached_nor_replayed(tmp_path: Path) -> None:
    sheet = small_sheet(tmp_path, "p { kein-css: 1px; }")  # WeasyPrint warns: ignored declaration
    cache = tmp_path / "cache"
    first = pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache)
    result = first.result()
    assert result.warnings and not result.cached
    first.discard()
    assert sorted(p.name for p in cache.iterdir()) == []  # nothing stored, nothing half-written
    again = pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache)
    assert again.cached_result() is None  # made anew, not taken from the cache
    assert again.result().warnings == result.warnings


def test_an_old_cache_entry_with_warnings_is_removed_not_replayed(tmp_path: Path) -> None:
    sheet = small_sheet(tmp_path)
    cache = tmp_path / "cache"
    clean = pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache)
    assert clean.result().warnings == []
    entry = clean.target
    assert entry.exists() and entry.with_suffix(".json").exists()
    assert pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache).cached_result() is not None
    entry.with_suffix(".json").write_text(json.dumps({"pages": 1, "warnings": ["Using fontTools instead of …"]}))
    replay = pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache)
    assert replay.cached_result() is None
    assert replay.result().warnings == []


def test_another_font_set_or_changed_font_files_do_not_reuse_the_cache(tmp_path: Path) -> None:
    sheet = small_sheet(tmp_path)
    cache = tmp_path / "cache"
    pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache).result()
    assert pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache).cached_result() is not None
    os.environ["FONTCONFIG_FILE"] = str(fresh_machine_fonts(tmp_path))
    try:
        other_fonts = pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache)
        assert other_fonts.cached_result() is None
        other_fonts.result()
    finally:
        del os.environ["FONTCONFIG_FILE"]
    face = tmp_path / "fonts" / "OpenSans-Regular.ttf"
    font = TTFont(face)
    font["head"].fontRevision += 1  # another release of the typeface
    font.save(face)
    assert pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache).cached_result() is None


def test_the_cache_key_names_the_font_stack() -> None:
    stack = pdf.font_stack()
    for library in ("libpango-1.0.so", "libharfbuzz.so", "libharfbuzz-subset.so", "libfontconfig.so"):
        assert library in stack
    assert "fehlt" not in stack  # tools/setup.sh installs HarfBuzz-Subset: the fonts are embedded alike everywhere


def test_a_killed_pdf_process_leaves_nothing_that_the_next_build_reuses(tmp_path: Path) -> None:
    sheet = small_sheet(tmp_path)
    cache = tmp_path / "cache"
    job = pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache)
    job.cancel()
    # What a build killed with SIGKILL leaves: its HTML and a half-written result, named by a dead process
    dead = subprocess.Popen(["true"])
    dead.wait()
    (cache / f"quelle.{dead.pid}.abc.html").write_text("<html>", encoding="utf-8")
    (cache / f"{job.target.stem}.{dead.pid}.part.pdf").write_bytes(b"%PDF-1.7 halb")
    (cache / f"{job.target.stem}.{dead.pid}.part.json").write_text('{"pages": 1, "warnings": []}')
    following = pdf.PdfJob.start(SMALL_HTML, str(tmp_path), [sheet], cache)
    result = following.result()
    assert result.path.read_bytes().startswith(b"%PDF") and result.path.stat().st_size > 1000
    assert sorted(p.name for p in cache.iterdir()) == sorted([job.target.name, job.target.with_suffix(".json").name])


def test_a_killed_build_leaves_no_staging_folder_for_ever(tmp_path: Path) -> None:
    target = tmp_path / "site"
    dead = subprocess.Popen(["true"])
    dead.wait()
    leftover = tmp_path / f".site.neu-{dead.pid}-x1y2"
    leftover.mkdir()
    (leftover / "index.html").write_text("halb", encoding="utf-8")
    running = tmp_path / f".site.neu-{os.getpid()}-a1b2"  # another build of this process still at work
    running.mkdir()
    staged = StagedSite.begin(target)
    assert not leftover.exists()
    assert running.exists()
    staged.discard()
