"""Site search without a browser: facets, keyword rules, the Pagefind run and what the built site carries."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from schulerfolg.data.problems import DataError
from schulerfolg.search.index import (
    SearchIndexError, build_index, facets_for, page_search_data, text_of,
)
from schulerfolg.data.search_terms import TERMS_FILE, load_search_terms

ROOT = Path(__file__).resolve().parent.parent


def _page(body: str, lang: str = "de") -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>T</title></head><body><nav>Navigation</nav>{body}</body></html>'


def _tiny_site(tmp_path: Path, lang: str = "de", marked: bool = True) -> Path:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    attr = " data-pagefind-body" if marked else ""
    (site / "index.html").write_text(_page(f"<main{attr}><h1>Start</h1><p>Schulsozialarbeit in Sachsen-Anhalt.</p></main>", lang), encoding="utf-8")
    (site / "a" / "index.html").write_text(_page(f"<main{attr}><h1>Kinderschutz</h1><p>Ablauf im Kinderschutz.</p></main>", lang), encoding="utf-8")
    return site


# --- facets -----------------------------------------------------------------------------------


def test_guides_are_recognised_by_their_folder_and_other_pages_are_plain_pages() -> None:
    assert facets_for("qualitaetsstandards/07-kinderschutz.md", {}).kind == "Leitfaden"
    assert facets_for("qualitaetsstandards/index.md", {}).kind == "Leitfaden"
    assert facets_for("impressum.md", {}).kind == "Seite"
    assert facets_for("programm.md", {"title": "Das Programm"}).kind == "Seite"


def test_generated_pages_declare_their_facets_in_front_matter() -> None:
    meta = {"search": {"kind": "Schule", "district": "Harz", "school_type": "Gymnasium"}}
    facets = facets_for("schulen/gym-x.md", meta)
    assert (facets.kind, facets.district, facets.school_type) == ("Schule", "Harz", "Gymnasium")


def test_an_unknown_kind_is_refused_with_a_german_message() -> None:
    with pytest.raises(ValueError, match="search.kind: Ungültiger Wert „Blog“. Erlaubt sind: Leitfaden"):
        facets_for("blog.md", {"search": {"kind": "Blog"}})


# --- keyword rules (data/suchbegriffe.yaml) ----------------------------------------------------


@pytest.fixture(scope="module")
def terms():
    return load_search_terms(ROOT / "data", ROOT)


def test_a_compound_in_the_body_gives_its_parts_as_body_terms(terms) -> None:
    data = page_search_data("x.md", {}, "Handlungsfelder", "<p>Die Schulsozialarbeiterin berät.</p>", terms)
    assert "Sozialarbeit" in data.terms.split()
    assert data.title_terms == ""


def test_a_compound_in_the_title_gives_title_terms_and_not_body_terms_again(terms) -> None:
    data = page_search_data("x.md", {}, "Auftrag und Ziele der Schulsozialarbeit", "<p>Schulsozialarbeit</p>", terms)
    assert "Sozialarbeit" in data.title_terms.split()
    assert "Sozialarbeit" not in data.terms.split()


def test_title_only_rules_ignore_the_body(terms) -> None:
    linked = page_search_data("x.md", {}, "Programm", '<p><a href="k/">Kontakt finden</a></p>', terms)
    finder = page_search_data("kontakt-finden.md", {}, "Kontakt finden", "<p>Ort eingeben</p>", terms)
    assert "PLZ" not in (linked.title_terms + " " + linked.terms).split()
    assert "PLZ" in finder.title_terms.split()


def test_keywords_come_from_the_indexed_text_only(terms) -> None:
    # the demo-data notice is excluded from the index, so its words must not add keywords either
    html = '<div class="admonition ss-demo"><p>Echt sind nur die Postleitzahlen.</p></div><p>Schule</p>'
    data = page_search_data("schulen/x.md", {}, "Grundschule X", html, terms)
    assert "PLZ" not in data.terms.split()


def test_text_of_drops_tags_permalinks_and_entities() -> None:
    html = '<h2 id="a">Träger &amp; Schule<a class="headerlink" href="#a">&para;</a></h2><p>A<br>B</p>'
    assert " ".join(text_of(html).split()) == "Träger & Schule A B"


def test_the_rules_file_of_the_repository_loads() -> None:
    terms = load_search_terms(ROOT / "data", ROOT)
    assert len(terms.rules) >= 10


def test_a_broken_rules_file_gives_located_german_messages(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / TERMS_FILE).write_text(
        "begriffe:\n"
        "  - seite_enthaelt: [schulsozialarbeit]\n"
        "    auch_finden_mit: [Sozialarbeit]\n"
        "  - seite_enthaelt: [kinderschutz]\n"
        "    titel_enthaelt: [Kinderschutz]\n"
        "    auch_finden_mit: [Schutz]\n"
        "  - seite_enthaelt: [netz]\n"
        "    auch_findn_mit: [Netz]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as raised:
        load_search_terms(tmp_path / "data", tmp_path)
    report = str(raised.value)
    assert "data/suchbegriffe.yaml:4: begriffe[1]: Bitte genau eines angeben: „seite_enthaelt“ oder „titel_enthaelt“" in report
    assert "data/suchbegriffe.yaml:8: begriffe[2].auch_findn_mit: Unbekanntes Feld „auch_findn_mit“" in report
    assert "data/suchbegriffe.yaml:7: begriffe[2].auch_finden_mit: Pflichtfeld fehlt" in report


# --- the Pagefind run -------------------------------------------------------------------------


def test_indexing_a_site_writes_the_bundle_and_counts_the_pages(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path)
    report = build_index(site)
    assert report.pages == 2
    assert (site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["de"]


def test_an_empty_site_dir_fails_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="keine gebaute Website"):
        build_index(tmp_path)


def test_a_failing_pagefind_run_fails_with_its_exit_code_and_output(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path)
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(SearchIndexError) as raised:
        build_index(site, executable=broken)
    assert "Pagefind ist mit Fehlercode 3 abgebrochen" in str(raised.value)
    assert "something broke" in str(raised.value)


def test_a_pagefind_that_reports_success_but_writes_nothing_fails(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path)
    silent = tmp_path / "pagefind"
    silent.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    silent.chmod(silent.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(SearchIndexError, match="nicht geschrieben"):
        build_index(site, executable=silent)


def test_a_missing_pagefind_program_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="ließ sich nicht starten"):
        build_index(_tiny_site(tmp_path), executable=tmp_path / "no-such-program")


def test_pages_without_the_german_language_tag_fail(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match='lang="de"'):
        build_index(_tiny_site(tmp_path, lang="en"))


def test_a_theme_without_the_body_marker_fails_instead_of_indexing_navigation(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="data-pagefind-body"):
        build_index(_tiny_site(tmp_path, marked=False))


# --- the built site ---------------------------------------------------------------------------


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_materials_lunr_search_is_gone_and_the_pagefind_bundle_is_there(site: Path) -> None:
    assert not (site / "search" / "search_index.json").exists()
    assert (site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == "1.5.2"
    pages = [p for p in site.rglob("index.html") if "pagefind" not in p.parts]
    assert entry["languages"]["de"]["page_count"] == len(pages)


def test_only_the_article_is_indexed_never_header_navigation_or_footer(site: Path) -> None:
    for path in [site / "index.html", site / "qualitaetsstandards/07-kinderschutz/index.html",
                 site / "schulen/gs-am-quellgrund-iden/index.html"]:
        page = _soup(path)
        bodies = page.select("[data-pagefind-body]")
        assert len(bodies) == 1, path
        assert bodies[0].find_parent("article") is not None
        for outside in ("header", "nav.md-nav", "footer", "dialog"):
            assert not any(b in bodies for b in page.select(f"{outside} [data-pagefind-body]"))
            assert not page.select(f"[data-pagefind-body] {outside}"), (path, outside)


def test_the_404_page_is_not_indexed(site: Path) -> None:
    assert not _soup(site / "404.html").select("[data-pagefind-body]")


def _filters(page: BeautifulSoup) -> dict[str, str]:
    found = {}
    for element in page.select("[data-pagefind-body] [data-pagefind-filter]"):
        key, value = element["data-pagefind-filter"].split(":", 1)
        found[key] = value
    return found


def test_pages_carry_kind_district_and_school_type_filters(site: Path) -> None:
    assert _filters(_soup(site / "schulen/gs-am-quellgrund-iden/index.html")) == {
        "kind": "Schule", "district": "Stendal", "school_type": "Grundschule"}
    assert _filters(_soup(site / "netzwerkstellen/halle-saale/index.html")) == {
        "kind": "Netzwerkstelle", "district": "Halle (Saale)"}
    assert _filters(_soup(site / "qualitaetsstandards/05-schulabsentismus/index.html")) == {"kind": "Leitfaden"}
    assert _filters(_soup(site / "impressum/index.html")) == {"kind": "Seite"}


def test_hidden_index_elements_add_no_visible_text(site: Path) -> None:
    page = _soup(site / "qualitaetsstandards/01-auftrag-und-ziele/index.html")
    hidden = page.select("[data-pagefind-body] > span[hidden]")
    assert hidden and all(span.get_text() == "" for span in hidden)
    title = page.select_one('[data-pagefind-meta^="title:"]')["data-pagefind-meta"]
    assert title == "title:Auftrag und Ziele der Schulsozialarbeit"
    assert "Sozialarbeit" in page.select_one('[data-pagefind-meta^="title_terms:"]')["data-pagefind-meta"]


def test_the_search_button_sits_in_the_header_navigation(site: Path) -> None:
    page = _soup(site / "programm/index.html")
    button = page.select_one("header.md-header nav [data-ss-search-open]")
    assert button is not None and button.name == "button"
    dialog = page.select_one("dialog#ss-search")
    assert dialog["data-bundle"] == "../pagefind/pagefind.js"  # relative: works under any base path
    assert page.select_one('label[for="ss-search-input"]').get_text(strip=True) == "Suchbegriff"
