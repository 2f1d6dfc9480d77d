"""What practitioners read and use: legally exact citations, one account of the funding, the glossary,
the newcomers' page, the fill-in templates (web page, DOCX, PDF appendix) and readable chapters.

Built pages come from the session-wide build (tests/conftest.py ``site``).
"""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docx import Document

from conftest import ROOT
from schulerfolg.site import forms
from schulerfolg.handbook import book as handbook

sys.path.insert(0, str(ROOT / "tools"))
import readability  # noqa: E402 (tools/ is not a package)

DOCS = ROOT / "docs"
PROSE = [*sorted((DOCS / "qualitaetsstandards").glob("[0-9][0-9]-*.md")), DOCS / "programm.md"]
"""Pages that every reader of the handbook meets: the chapters and the programme page."""
ALL_PAGES = sorted(p for p in DOCS.rglob("*.md") if "includes" not in p.parts)


def article(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser").article


# --- legal citations ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_no_outdated_or_wrong_citation(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # Since the 2017 reform, state-recognised social workers are § 203 Abs. 1 Nr. 6 StGB (Nr. 5 is
    # the pregnancy-conflict counselling)
    assert not re.search(r"§ 203 Abs\. 1 Nr\. 5(?! StGB\))", text.replace("(seit der Neufassung von 2017; vorher Nr. 5)", ""))
    # School absence is an administrative offence with a fine (§ 84 SchulG LSA), not stated as a Zwangsgeld
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if "Zwangsgeld" in sentence:
            assert re.search(r"nicht belegt|nicht als geltendes Recht|kündigte", sentence), sentence
    # "355 Schulen" belongs to the 1st ESF+ cycle
    for match in re.finditer(r"355 Schulen", text):
        context = text[max(0, match.start() - 200): match.end() + 200]
        assert re.search(r"1\. (ESF\+-)?Förderzyklus|2022 bis 2024|2022–2024", context), context


def test_every_chapter_that_cites_section_203_names_the_number() -> None:
    for path in PROSE:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"Schweigepflicht nach § 203 Abs\. 1( Nr\. \d)?", text):
            assert match.group(1) == " Nr. 6", path.name


def test_the_three_kinds_of_berechtigte_are_defined_as_the_law_does() -> None:
    text = (DOCS / "qualitaetsstandards" / "02-rechtliche-grundlagen.md").read_text(encoding="utf-8")
    assert "§ 7 Abs. 1 Nr. 5 SGB VIII" in text and "§ 7 Abs. 1 Nr. 6 SGB VIII" in text
    assert "Sorgeberechtigte** ist kein Begriff des SGB VIII" in text


# --- one account of the funding ----------------------------------------------------------------


def test_funding_is_told_once_with_its_status(site: Path) -> None:
    page = article(site, "programm")
    table = next(t for t in page.select("table") if "Kommunen" in t.get_text())
    rows = [[c.get_text(" ", strip=True) for c in tr.select("td")] for tr in table.select("tbody tr")]
    assert [r[0] for r in rows] == ["1. Förderzyklus 2022–2024", "2. Förderzyklus 2024–2028", "3. Förderzyklus 2025–2028"]
    for row in rows:
        assert re.search(r"geplant|festgelegt|berichtet", row[-1]), row
    box = next(a for a in page.select(".admonition") if "Wer bezahlt meine Stelle?" in a.get_text())
    assert "Landesverwaltungsamt" in box.get_text() and "Zuwendungsbescheid" in box.get_text()
    for chapter in ("01-auftrag-und-ziele", "10-rahmenbedingungen"):
        text = (DOCS / "qualitaetsstandards" / f"{chapter}.md").read_text(encoding="utf-8")
        assert "programm.md#finanzierung" in text, chapter
        assert "Belegte Eckdaten" not in text
        assert "20 % Land" not in text or "geplant" in text


def test_netzwerkstellen_and_koordinierungsstelle_grant_nothing() -> None:
    for path in ALL_PAGES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(Netzwerkstellen?|Koordinierungsstelle)[^.]{0,80}\bbewilligen\b(?! nichts)", text), path
        assert "Koordinierungsstelle steuert" not in text, path


# --- glossary ------------------------------------------------------------------------------------


def test_glossary_terms_are_explained_on_every_page_that_uses_them(site: Path) -> None:
    chapter = article(site, "qualitaetsstandards/10-rahmenbedingungen")
    titles = {a.get_text(): a["title"] for a in chapter.select("abbr[title]")}
    assert "Zuwendungsbescheid" in titles and "Landesverwaltungsamt" in titles["Zuwendungsbescheid"]
    assert "VbE" in titles
    legal = article(site, "qualitaetsstandards/02-rechtliche-grundlagen")
    abbr = {a.get_text(): a["title"] for a in legal.select("abbr[title]")}
    assert "§ 7 Abs. 1 Nr. 5 SGB VIII" in abbr["Personensorgeberechtigten"]
    assert "§ 7 Abs. 1 Nr. 6 SGB VIII" in abbr["Erziehungsberechtigten"]
    # The glossary file itself is no page
    assert not (site / "includes").exists()


# --- the newcomers' page -------------------------------------------------------------------------


def test_newcomers_page_answers_the_first_questions_with_deep_links(site: Path) -> None:
    page = article(site, "neu-in-der-schulsozialarbeit")
    ids = [h.get("id") for h in page.select("h2")]
    for anchor in ("klassenleitung", "kindeswohl", "fehltage", "finanzierung", "kontakt"):
        assert anchor in ids, anchor
    hrefs = [a["href"] for a in page.select("a[href]")]
    assert any(h.endswith("kontakt-finden/") for h in hrefs)
    deep = [h for h in hrefs if "qualitaetsstandards/" in h and "#" in h]
    assert len(deep) >= 6
    for href in deep:  # every deep link lands on a section that exists
        path, anchor = href.split("#")
        target = (site / "neu-in-der-schulsozialarbeit" / path / "index.html").resolve()
        assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), href


# --- templates -----------------------------------------------------------------------------------


def test_three_templates_each_as_page_docx_and_pdf_appendix(site: Path) -> None:
    found = forms.read_forms(DOCS)
    assert len(found) >= 3
    for form in found:
        page = article(site, form.src_uri.removesuffix(".md"))
        assert forms.NOTICE in page.get_text()
        docx = site / form.docx_uri
        document = Document(io.BytesIO(docx.read_bytes()))
        text = "\n".join(p.text for p in document.paragraphs)
        assert forms.NOTICE in text
        assert document.core_properties.title == form.title
        web_h2 = [re.sub(r"\s+", " ", h.get_text()).replace("¶", "").strip() for h in page.select("h2")]
        docx_h = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert docx_h == web_h2  # the same source
        web_cells = [re.sub(r"\s+", " ", c.get_text()).strip() for c in page.select("table th, table td")]
        docx_cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        assert docx_cells == web_cells
        assert all(t.rows[0]._tr.trPr is not None for t in document.tables)  # header row repeats
        assert b'w:val="de-DE"' in _part(docx, "word/styles.xml")


def _part(docx: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(docx) as archive:
        return archive.read(name)


def test_docx_is_reproducible() -> None:
    path = DOCS / forms.FORMS_DIR / "schweigepflichtentbindung.md"
    stand = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    assert forms.make_docx(path, "x", stand) == forms.make_docx(path, "x", stand)


def test_chapters_link_the_templates() -> None:
    linked = " ".join(p.read_text(encoding="utf-8") for p in PROSE)
    for form in forms.read_forms(DOCS):
        assert f"vorlagen/{form.name}.md" in linked or f"vorlagen/{form.name}.md" in (
            DOCS / "neu-in-der-schulsozialarbeit.md").read_text(encoding="utf-8"), form.name


def test_a_template_without_the_notice_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / forms.FORMS_DIR).mkdir()
    (tmp_path / forms.FORMS_DIR / "x.md").write_text("# Titel\n\nText.\n", encoding="utf-8")
    with pytest.raises(forms.FormError, match="Vorlage zum Anpassen"):
        forms.read_forms(tmp_path)


def test_templates_are_the_pdf_appendix() -> None:
    names = [p.stem for p in handbook.appendix_paths(DOCS)]
    assert names == sorted(f.name for f in forms.read_forms(DOCS))


# --- PDF table headers ---------------------------------------------------------------------------


def test_table_header_cells_get_a_scope_in_the_pdf(tmp_path: Path) -> None:
    """The finisher for WeasyPrint gives /TH cells a /Scope; the independent checker pdfua then finds nothing."""
    import weasyprint

    from schulerfolg.handbook import pdftags

    html = ('<html lang="de"><head><title>T</title></head><body><h1>T</h1><table><thead><tr>'
            '<th scope="col">A</th><th scope="col">B</th></tr></thead><tbody><tr><th scope="row">x</th>'
            '<td>1</td></tr></tbody></table></body></html>')
    doc = weasyprint.HTML(string=html).render(pdf_variant="pdf/ua-1", pdf_tags=True)
    plain, scoped = tmp_path / "plain.pdf", tmp_path / "scoped.pdf"
    plain.write_bytes(doc.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
    scoped.write_bytes(doc.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, finisher=pdftags.add_table_scopes))
    check = [sys.executable, "-m", "pdfua", "check", "--rules", "UA-15"]
    assert "UA-15-003" in subprocess.run([*check, str(plain)], capture_output=True, text=True).stdout
    result = subprocess.run([*check, str(scoped)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_print_html_gives_every_header_cell_a_scope() -> None:
    book = handbook.make_book(DOCS, __import__("schulerfolg.data.load", fromlist=["load_project"]).load_project(
        ROOT / "data", ROOT).handbook, handbook.FALLBACK_TIME, "https://x.test/")
    cells = re.findall(r"<th\b[^>]*>", book.html)
    assert cells and all("scope=" in c for c in cells)
    assert "??? " not in book.html and "\n---\n" not in book.html  # details and front matter render


# --- readability -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "count"), [("Schulsozialarbeit", 6), ("Situation", 5), ("Qualität", 3),
                                             ("Erziehungsberechtigte", 7), ("SGB", 3), ("VIII", 1), ("Kinder", 2),
                                             ("Schüler:innen", 4), ("Eltern", 2), ("Beratung", 3)])
def test_syllables(word: str, count: int) -> None:
    assert readability.syllables(word) == count


def test_sentences_end_at_full_stops_but_not_after_abbreviations_or_numbers() -> None:
    block = "Das steht in Abs. 2, z. B. hier. Am 01.08.2024 beginnt der 2. Förderzyklus. Gut!"
    assert readability.sentences(block) == [
        "Das steht in Abs. 2, z. B. hier.", "Am 01.08.2024 beginnt der 2. Förderzyklus.", "Gut!"]


def test_tables_code_headings_sources_and_citations_are_not_counted() -> None:
    text = ("---\ndescription: x\n---\n# Titel\n\nEin Satz (§ 8a Abs. 4 Satz 1 Nr. 1 SGB VIII) hier.\n\n"
            "| Spalte | Wert |\n|---|---|\n| lang lang lang | lang |\n\n```\ncode code\n```\n\n"
            "- Ein Punkt ohne Punkt\n\n## Quellen\n\n- Eine Quelle mit vielen Wörtern.\n")
    result = readability.measure_text(text)
    assert result.sentences == 2 and result.words == 7  # "Ein Satz hier." and "Ein Punkt ohne Punkt"


def test_flesch_formula() -> None:
    result = readability.measure_text("Das Kind lernt gut. Die Eltern helfen.")
    # 7 words, 2 sentences, 9 syllables: 180 - 3.5 - 58.5 * 9/7
    assert result.flesch == pytest.approx(180 - 3.5 - 58.5 * 9 / 7)


@pytest.mark.parametrize("path", PROSE + [DOCS / "neu-in-der-schulsozialarbeit.md"], ids=lambda p: p.name)
def test_no_sentence_over_35_words(path: Path) -> None:
    assert readability.measure(path).long_sentences == []


READABLE = [*PROSE, DOCS / "neu-in-der-schulsozialarbeit.md", DOCS / "leichte-sprache.md",
            *sorted((DOCS / "vorlagen").glob("*.md"))]
"""Every chapter, the programme page, the newcomers' page, Leichte Sprache and the templates."""


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_readability_at_least_45(path: Path) -> None:
    assert readability.measure(path).flesch >= 45


def test_easy_language_page_speaks_to_children_and_parents_and_puts_help_first(site: Path) -> None:
    page = article(site, "leichte-sprache")
    first = page.select_one("h2")
    assert "Hilfe" in first.get_text()
    tel = [a["href"] for a in page.select('a[href^="tel:"]')]
    assert tel[:2] == ["tel:116111", "tel:08001110550"] and "tel:110" in tel and "tel:112" in tel
    text = page.get_text(" ", strip=True)
    assert "Für Kinder und Jugendliche" in text and "Für Eltern" in text
    children = text.split("Für Kinder und Jugendliche")[1].split("Für Eltern")[0]
    # "du" for children; the formal possessives and "Ihnen" belong to the parents' part ("Sie" is also "they")
    assert re.search(r"\b(du|dir|dich|dein\w*)\b", children)
    assert not re.search(r"\b(Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer)\b", children)
    assert "sammelt keine Daten" not in text and "Server" in text
    assert page.select_one(".ss-leichte-sprache") is not None
