"""The PDF handbook, read back as a reader's PDF viewer (and a screen reader) would get it.

The PDF is the one in the session-wide site build (tests/conftest.py ``site``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from conftest import ROOT, run_mkdocs_build
from schulerfolg.handbook import book as handbook
from schulerfolg.pipeline.prepare import Build
from schulerfolg.data.load import load_project
from schulerfolg.handbook.pdf import PdfError, render_pdf

DOCS = ROOT / "docs"
CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def markdown_headings(path: Path) -> tuple[str, list[str]]:
    """The chapter's H1 and its H2s, straight from the Markdown source."""
    lines = path.read_text(encoding="utf-8").splitlines()
    title = next(line[2:].strip() for line in lines if line.startswith("# "))
    return title, [line[3:].strip() for line in lines if line.startswith("## ")]


CHAPTERS = [markdown_headings(p) for p in handbook.chapter_paths(DOCS)]
APPENDIX = [markdown_headings(p) for p in handbook.appendix_paths(DOCS)]
"""The fill-in templates (docs/vorlagen/), printed after the chapters as the appendix."""


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


@pytest.fixture(scope="session")
def pdf_path(site: Path) -> Path:
    return site / handbook.DOWNLOAD


@pytest.fixture(scope="session")
def reader(pdf_path: Path) -> PdfReader:
    return PdfReader(pdf_path)


@pytest.fixture(scope="session")
def page_texts(reader: PdfReader) -> list[str]:
    return [squash(page.extract_text(extraction_mode="layout")) for page in reader.pages]


# --- sources and order -------------------------------------------------------------------------


def test_the_nav_lists_the_chapters_in_file_name_order() -> None:
    section = next(item["Qualitätsstandards"] for item in CONFIG["nav"] if "Qualitätsstandards" in item)
    listed = [entry if isinstance(entry, str) else next(iter(entry.values())) for entry in section]
    chapters = [p.relative_to(DOCS).as_posix() for p in handbook.chapter_paths(DOCS)]
    assert listed == [f"{handbook.CHAPTER_DIR}/index.md", *chapters]
    assert len(chapters) >= 12


def test_chapters_use_the_site_markdown_extensions() -> None:
    site = {e if isinstance(e, str) else next(iter(e)) for e in CONFIG["markdown_extensions"]}
    assert set(handbook.MARKDOWN_EXTENSIONS) <= site


def test_links_between_chapters_become_links_inside_the_book() -> None:
    project = load_project(ROOT / "data", ROOT)
    book = handbook.make_book(DOCS, project.handbook, handbook.FALLBACK_TIME, "https://portal.test/")
    hrefs = re.findall(r'href="([^"]+)"', book.html)
    ids = set(re.findall(r'id="([^"]+)"', book.html))
    assert not [h for h in hrefs if ".md" in h]
    internal = [h[1:] for h in hrefs if h.startswith("#")]
    assert "kap-07" in internal
    assert set(internal) <= ids
    assert any(h.startswith("https://www.gesetze-im-internet.de/") for h in hrefs)


def test_print_references_name_the_other_chapter_but_not_their_own(tmp_path: Path) -> None:
    folder = tmp_path / handbook.CHAPTER_DIR
    folder.mkdir()
    (folder / "01-eins.md").write_text("# Eins\n\n## Ziel {#ziel}\n\nSiehe [Zwei](02-zwei.md), [oben](#ziel) "
                                       "und [hier](01-eins.md#ziel).\n", encoding="utf-8")
    (folder / "02-zwei.md").write_text("# Zwei\n\nText.\n", encoding="utf-8")
    links = re.findall(r"<a [^>]*>", handbook.read_chapters(tmp_path, "https://portal.test/")[0].html)
    assert links == ['<a class="xref" data-kapitel="2" href="#kap-02">', '<a class="xref" href="#kap-01-ziel">',
                     '<a class="xref" href="#kap-01-ziel">']


def test_a_chapter_without_a_title_is_reported_in_german(tmp_path: Path) -> None:
    (tmp_path / handbook.CHAPTER_DIR).mkdir()
    (tmp_path / handbook.CHAPTER_DIR / "01-ohne-titel.md").write_text("Nur Text.\n", encoding="utf-8")
    with pytest.raises(handbook.HandbookError, match=r"01-ohne-titel\.md:1: .*Überschrift der ersten Ebene"):
        handbook.read_chapters(tmp_path, "https://portal.test/")


def test_the_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert handbook.stand(ROOT).isoformat() == "2026-01-01T00:00:00+00:00"
    assert handbook.long_date(handbook.stand(ROOT)) == "1. Januar 2026"


# --- the PDF as readers get it -------------------------------------------------------------------


def test_bookmarks_are_the_chapters_and_their_sections(reader: PdfReader) -> None:
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == [title for title, _ in CHAPTERS + APPENDIX]
    assert len(APPENDIX) >= 3
    children = [[child.title for child in item] for item in outline if isinstance(item, list)]
    assert children == [sections for _, sections in CHAPTERS + APPENDIX]


def test_language_title_and_tagging_for_screen_readers(reader: PdfReader) -> None:
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de"
    assert reader.metadata.title == "Qualitätsstandards der Schulsozialarbeit in Sachsen-Anhalt"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a PDF BooleanObject)
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712
    tags = structure_tags(catalog["/StructTreeRoot"])
    assert tags.count("/H1") >= len(CHAPTERS)
    assert tags.count("/H2") >= sum(len(sections) for _, sections in CHAPTERS)
    assert {"/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link"} <= set(tags)


def structure_tags(node: object) -> list[str]:
    """Every structure type (/H1, /P, …) in the PDF's structure tree."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if "/S" in item:
                found.append(str(item["/S"]))
            if "/K" in item:
                stack.append(item["/K"])
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def test_table_of_contents_page_numbers_are_the_real_pages(page_texts: list[str]) -> None:
    toc = " ".join(text for text in page_texts[:8] if "Inhalt" in text or "Qualitätsmerkmale" in text)
    for number, (title, sections) in enumerate(CHAPTERS, start=1):
        match = re.search(rf"\b{number} {re.escape(squash(title))} (\d+)", toc)
        assert match, title
        page = int(match.group(1))
        assert f"KAPITEL {number} {squash(title)}" in page_texts[page - 1], (title, page)
        assert f"KAPITEL {number} " not in page_texts[page - 2], (title, page)
        after = toc[match.end():]
        for section in sections[:3]:
            found = re.search(rf"{re.escape(squash(section))} (\d+)", after)
            assert found, section
            assert squash(section) in page_texts[int(found.group(1)) - 1], (section, found.group(1))


def test_cover_imprint_and_footer(page_texts: list[str], reader: PdfReader) -> None:
    cover, imprint = page_texts[0], page_texts[1]
    assert "Qualitätsstandards der Schulsozialarbeit in Sachsen-Anhalt" in cover
    assert "Arbeitsfassung" in cover and "Version 0.1" in cover
    # The publisher is not confirmed (data/publications.yaml): its name must not be printed as if it were
    assert "Landesweite Koordinierungsstelle Schulerfolg sichern" not in cover
    assert "noch nicht bestätigt" in cover and "Herausgeberangaben werden ergänzt" in cover
    assert "Landesweite Koordinierungsstelle Schulerfolg sichern" not in imprint
    assert "CC BY 4.0" in imprint and "Vorgeschlagen" in imprint
    assert "Keine Rechtsberatung" in imprint
    total = len(reader.pages)
    assert f"Seite 10 von {total}" in page_texts[9]
    assert "Seite" not in cover


def test_cross_references_and_web_links_work(reader: PdfReader, page_texts: list[str]) -> None:
    kinderschutz = next(i for i, text in enumerate(page_texts) if "KAPITEL 7 Kinderschutz" in text)
    internal_targets, web = set(), set()
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            action = annot.get("/A", {})
            if action.get("/S") == "/URI":
                web.add(str(action["/URI"]))
            elif "/Dest" in annot or action.get("/S") == "/GoTo":
                dest = annot.get("/Dest", action.get("/D"))
                internal_targets.add(reader.get_destination_page_number(reader.named_destinations[str(dest)])
                                     if isinstance(dest, str) else reader.get_page_number(dest[0]))
    assert kinderschutz in internal_targets
    assert "https://www.gesetze-im-internet.de/sgb_8/__8a.html" in web
    # on paper, a reference to another chapter names its number (the table of contents has its page)
    assert any("Kinderschutz [Kap. 7]" in text for text in page_texts)


def test_the_same_sources_give_the_same_bytes(tmp_path: Path, pdf_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Made again from a copy in another folder, in a fresh process with an empty cache: the same bytes."""
    copy = tmp_path / "copy"
    for name in ("docs", "data"):
        shutil.copytree(ROOT / name, copy / name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(handbook.stand(ROOT).timestamp())))
    result = Build.load(copy, CONFIG["site_url"]).handbook.result()
    assert not result.cached
    assert result.path.read_bytes() == pdf_path.read_bytes()
    assert Build.load(copy, CONFIG["site_url"]).handbook.result().cached


# --- accessibility errors stop the build ---------------------------------------------------------

TINY_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_an_image_without_alt_text_fails_with_a_german_message() -> None:
    html = f'<html lang="de"><head><title>T</title></head><body><p><img src="{TINY_PNG}"></p></body></html>'
    with pytest.raises(PdfError) as raised:
        render_pdf(html, "file:///", [], identifier="0" * 32)
    assert "nicht barrierefrei" in str(raised.value)
    assert "hat keinen Alternativtext" in str(raised.value)


def test_a_document_without_language_fails() -> None:
    with pytest.raises(PdfError, match="Sprachangabe"):
        render_pdf("<html><head><title>T</title></head><body><p>Text</p></body></html>", "file:///", [], "0" * 32)


def test_an_image_with_alt_text_passes() -> None:
    html = f'<html lang="de"><head><title>T</title></head><body><p><img src="{TINY_PNG}" alt="Punkt"></p></body></html>'
    rendered = render_pdf(html, "file:///", [], identifier="0" * 32)
    assert rendered.pages == 1 and rendered.pdf.startswith(b"%PDF-1.7")


def test_mkdocs_build_stops_cleanly_when_a_chapter_image_has_no_alt_text(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for name in ("docs", "data", "hooks", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    chapter = handbook.chapter_paths(project / "docs")[0]
    shutil.copy(ROOT / "tests" / "fixtures" / "handbook" / "punkt.png", chapter.parent / "punkt.png")
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![](punkt.png)\n", encoding="utf-8")

    result = run_mkdocs_build(project, tmp_path / "site")

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert "Das Bild „punkt.png“ hat keinen Alternativtext" in output


# --- where the site links the PDF ----------------------------------------------------------------


def _links(page: Path, base: str) -> dict[str, str]:
    from urllib.parse import urljoin

    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {a.get_text(" ", strip=True): urljoin(base, a["href"]) for a in soup.select("article a[href]")}


def test_the_handbook_pages_link_the_pdf(site: Path, pdf_path: Path) -> None:
    expected = "https://x.test/" + handbook.DOWNLOAD
    for src in ("qualitaetsstandards", "publikationen"):
        links = _links(site / src / "index.html", f"https://x.test/{src}/")
        assert expected in links.values(), src
    assert pdf_path.stat().st_size > 100_000


def test_the_publications_page_describes_the_pdf_and_lists_the_data(site: Path, pdf_path: Path, reader: PdfReader) -> None:
    from bs4 import BeautifulSoup

    from schulerfolg.site.pages import de_size

    project = load_project(ROOT / "data", ROOT)
    article = BeautifulSoup((site / "publikationen" / "index.html").read_text(encoding="utf-8"), "html.parser").article
    text = article.get_text(" ", strip=True)
    assert f"PDF, {de_size(pdf_path.stat().st_size)}, {len(reader.pages)} Seiten" in text
    assert f"Version {project.handbook.version}" in text
    assert re.search(r"Stand \d\d\.\d\d\.\d{4}", text)
    for publication in project.publications:
        assert f"„{publication.title}“" in text
    assert text.count("Jahr nicht belegt") == sum(1 for p in project.publications if p.year is None) + 1
    assert [h.get_text(strip=True).rstrip("¶") for h in article.select("h2")] == [
        "Handbuch dieses Portals", "Vorlagen zum Anpassen", "Veröffentlichungen des Programms", "Evaluationen"]
    assert "Herausgeber: noch nicht bestätigt" in text
    assert "barrierefrei nach PDF/UA" not in text  # no claim without a checker
    links = {a.get_text(strip=True): a["href"] for a in article.select("a[href]")}
    for title, _ in APPENDIX:
        assert title in links
    docx = [a["href"] for a in article.select("a[href]") if a["href"].endswith(".docx")]
    assert len(docx) == len(APPENDIX)
    for href in docx:
        assert (site / "publikationen" / href).resolve().is_file(), href


def test_without_the_pdf_the_page_says_how_to_get_it() -> None:
    page = Build.load(ROOT, CONFIG["site_url"], make_pdf=False).publications_page()
    assert "mkdocs build" in page.content
    assert handbook.DOWNLOAD not in page.content
