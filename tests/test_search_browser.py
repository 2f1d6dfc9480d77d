"""The site search in Chromium, used as visitors use it: through the dialog in the header."""

from __future__ import annotations

import functools
import http.server
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from schulerfolg.data.load import load_project

ROOT = Path(__file__).resolve().parent.parent
MUST_FIND = yaml.safe_load((ROOT / "tests" / "search_must_find.yaml").read_text(encoding="utf-8"))
TOP = MUST_FIND["top"]

# "GemeindeKamern", "Telefon030…": a <dt> label and its <dd> value indexed without a space between
GLUED = re.compile(r"(Träger|Gemeinde|Schulform|Anschrift)[A-ZÄÖÜ]|Telefon\d|E-Mail[a-z]")

_DONE = """q => {
  const status = document.getElementById("ss-search-status");
  return status.dataset.state === "done" && status.dataset.query === q;
}"""


def open_search(page) -> None:
    page.get_by_role("button", name="Suche").click()
    page.get_by_role("dialog", name="Suche im Wissensportal").wait_for()


def search(page, query: str) -> list[str]:
    """Type ``query`` into the open dialog; the result links as site paths, best first."""
    page.fill("#ss-search-input", query)
    page.wait_for_function(_DONE, arg=query)
    return [urlparse(href).path for href in page.eval_on_selector_all(".ss-search__link", "as => as.map(a => a.href)")]


def choose(page, facet: str, value: str) -> None:
    box = page.locator("[data-ss-search-filters]")
    if not box.evaluate("d => d.open"):
        box.locator("summary").click()
    page.select_option(f"[data-ss-search-filter={facet}]", value)


def result_count(page) -> int:
    match = re.match(r"(\d+) Treffer", page.inner_text("#ss-search-status"))
    return int(match.group(1)) if match else 0


@pytest.fixture(scope="module")
def dialog(browser, site_url: str):
    """One open search dialog shared by the read-only query tests of this module."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(site_url)
    open_search(tab)
    yield tab
    context.close()


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "data", ROOT)


# --- relevance --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", MUST_FIND["queries"], ids=lambda c: f"{c['query']}->{c['page']}")
def test_must_find(dialog, case: dict) -> None:
    found = search(dialog, case["query"])
    assert f"/{case['page']}" in found[:TOP], found[:TOP + 2]


def _unique_schools(project, every: int = 25):
    names = Counter(s.name for s in project.schools)
    return [s for s in project.schools if names[s.name] == 1][::every]


def test_a_schools_name_finds_its_page_first(dialog, project) -> None:
    schools = _unique_schools(project)
    assert len(schools) >= 10
    for school in schools:
        typed = " ".join(re.sub(r"[„“()]|\bBeispiel\b", " ", school.name).split())  # as people type it
        found = search(dialog, typed)
        assert found[:1] == [f"/schulen/{school.id}/"], (typed, found[:3])


def test_stemming_finds_other_forms_of_a_word(dialog) -> None:
    search(dialog, "Schulen")
    marked = [m.lower() for m in dialog.eval_on_selector_all(".ss-search__excerpt mark", "ms => ms.map(m => m.textContent)")]
    assert any(re.fullmatch(r"schule\W*", m) for m in marked), marked  # the singular, found by its stem
    assert "/qualitaetsstandards/06-uebergaenge/" in search(dialog, "Übergängen")[:TOP]


def test_results_show_title_badge_and_a_clean_excerpt(dialog) -> None:
    search(dialog, "Kinderschutz")
    first = dialog.locator(".ss-search__result").first
    assert first.locator(".ss-search__badge").inner_text() == "Leitfaden"
    assert first.locator(".ss-search__result-title").inner_text() == "Kinderschutz"
    assert first.locator(".ss-search__excerpt mark").count() >= 1
    for query in ("Sozialarbeit", "Schulsozialarbeit", "Stendal"):
        search(dialog, query)
        for excerpt in dialog.eval_on_selector_all(".ss-search__excerpt", "es => es.map(e => e.textContent)"):
            assert "¶" not in excerpt                          # permalink symbols are not indexed
            assert "Beispieldatensätze" not in excerpt         # nor the demo notice repeated on every school
            assert "Sozialarbeiter Sozialarbeiterin" not in excerpt  # hidden keywords never show
            assert not GLUED.search(excerpt), excerpt  # a label and its value run together


def test_results_are_announced_politely(dialog) -> None:
    status = dialog.locator("#ss-search-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    search(dialog, "Supervision")
    assert re.fullmatch(r"\d+ Treffer für „Supervision“", status.inner_text())
    search(dialog, "Xylophonorchester")
    assert status.inner_text().startswith("Keine Treffer")


# --- filters ----------------------------------------------------------------------------------


def test_filters_narrow_the_results(page, site_url: str, project) -> None:
    page.goto(site_url)
    open_search(page)
    search(page, "Schulsozialarbeit")
    everything = result_count(page)
    choose(page, "kind", "Leitfaden")
    page.wait_for_function(_DONE, arg="Schulsozialarbeit")
    guides = result_count(page)
    assert 0 < guides < everything
    assert set(page.locator(".ss-search__badge").all_inner_texts()) == {"Leitfaden"}

    choose(page, "kind", "Schule")
    choose(page, "district", "Harz")
    page.wait_for_function(_DONE, arg="Schulsozialarbeit")
    in_harz = [s for s in project.schools if project.municipality_for_school(s).district == "15085"]
    assert result_count(page) == len(in_harz)
    assert all(w.endswith("· Harz") for w in page.locator(".ss-search__where").all_inner_texts())
    assert page.locator("[data-ss-search-demo]").is_visible()  # school results: the demo-data note


def test_browsing_by_filter_without_a_query(page, site_url: str, project) -> None:
    page.goto(site_url)
    open_search(page)
    choose(page, "school_type", "Grundschule")
    page.wait_for_function(_DONE, arg="")
    primary = [s for s in project.schools if s.school_type == "Grundschule"]
    assert result_count(page) == len(primary) > 10
    assert page.locator(".ss-search__result").count() == 10
    assert page.locator(".ss-search__excerpt").count() == 0  # nothing to highlight: titles only
    page.get_by_role("button", name="Weitere Treffer zeigen").click()
    page.wait_for_function("() => document.querySelectorAll('.ss-search__result').length === 20")
    assert page.evaluate("document.activeElement.closest('.ss-search__result') !== null")  # focus on the new ones
    assert set(page.locator(".ss-search__badge").all_inner_texts()) == {"Schule"}


# --- loading, keyboard, dialog ----------------------------------------------------------------


def test_a_plain_page_view_fetches_no_search_data(page, site_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + "qualitaetsstandards/07-kinderschutz/")
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 2000)
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert [u for u in requests if "/pagefind/" in u] == []

    open_search(page)
    search(page, "Kinderschutz")
    assert any(u.endswith("/pagefind/pagefind.js") for u in requests)  # the recorder does see it
    host = urlparse(site_url).netloc
    assert {urlparse(u).netloc for u in requests} == {host}  # no third-party request


def test_keyboard_shortcuts_open_and_escape_closes_returning_focus(page, site_url: str) -> None:
    page.goto(site_url + "programm/")
    footer_link = page.locator("footer a", has_text="Impressum")
    footer_link.focus()
    page.keyboard.press("/")
    assert page.evaluate("document.getElementById('ss-search').matches(':modal')")
    assert page.evaluate("document.activeElement.id") == "ss-search-input"
    page.keyboard.type("Kinderschutz")
    page.wait_for_function(_DONE, arg="Kinderschutz")
    page.keyboard.press("Escape")
    assert not page.locator("#ss-search").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Impressum"

    page.keyboard.press("Control+k")
    assert page.locator("#ss-search").is_visible()
    page.keyboard.press("Escape")
    button = page.get_by_role("button", name="Suche")
    button.click()
    page.get_by_role("button", name="Suche schließen").click()
    assert page.evaluate("document.activeElement.matches('[data-ss-search-open]')")


def test_focus_stays_in_the_dialog(page, site_url: str) -> None:
    page.goto(site_url)
    open_search(page)
    search(page, "Beteiligung")
    for _ in range(30):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#ss-search') !== null")
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.closest('#ss-search') !== null")


def test_on_a_phone_the_dialog_fills_the_screen_and_nothing_overflows(page, site_url: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + "schulen/")
    button = page.get_by_role("button", name="Suche")
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    button.click()
    search(page, "Kinderschutz")
    dialog_box = page.locator("#ss-search").bounding_box()
    assert dialog_box["x"] == 0 and dialog_box["width"] == 360
    assert page.evaluate("(() => { const i = document.querySelector('.ss-search__inner'); return i.scrollWidth <= i.clientWidth; })()")
    for link in page.locator(".ss-search__link").all()[:5]:
        assert link.bounding_box()["height"] >= 44
    close = page.get_by_role("button", name="Suche schließen").bounding_box()
    assert close["width"] >= 44 and close["height"] >= 44


def test_without_an_index_the_dialog_says_why_in_german(page, site_url: str) -> None:
    page.route("**/pagefind/**", lambda route: route.abort())
    page.goto(site_url)
    open_search(page)
    page.wait_for_function("() => document.getElementById('ss-search-status').dataset.state === 'error'")
    assert page.inner_text("#ss-search-status").startswith("Der Suchindex fehlt")


# --- another host and base path ---------------------------------------------------------------


@pytest.fixture(scope="module")
def subpath_url(site: Path):
    """The built site served under /portal/, as on a host where it does not sit at the root."""

    class UnderPortal(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def translate_path(self, path: str) -> str:
            if not path.startswith("/portal/"):
                return str(site / "does-not-exist")
            return super().translate_path(path[len("/portal"):])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(UnderPortal, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/portal/"
    server.shutdown()


def test_search_works_under_a_base_path(page, subpath_url: str) -> None:
    page.goto(subpath_url + "programm/")
    open_search(page)
    found = search(page, "Kinderschutz")
    assert found[0] == "/portal/qualitaetsstandards/07-kinderschutz/"
    page.locator(".ss-search__link").first.click()
    # the link carries the terms to mark (?highlight=…) and may open a section (#…)
    page.wait_for_url(re.compile(r".*/portal/qualitaetsstandards/07-kinderschutz/(\?highlight=[^#]*)?(#.*)?$"))
    assert page.title().startswith("Kinderschutz")
    page.locator("mark.ss-highlight").first.wait_for(state="attached")  # the highlight script found its bundle


# --- mkdocs serve -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_served(url: str, server: subprocess.Popen, log: Path, limit_s: float = 180) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("mkdocs serve ended early:\n" + log.read_text(encoding="utf-8")[-3000:])
        try:
            with urllib.request.urlopen(url + "pagefind/pagefind-entry.json", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail("mkdocs serve did not serve the search index in time")


def test_search_works_under_mkdocs_serve(page, tmp_path: Path) -> None:
    """`mkdocs serve` builds into a temp folder; the index is made there after every build, too."""
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}",
             "-f", str(ROOT / "mkdocs.yml")],
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_until_served(url, server, log)
        page.goto(url + "programm/")
        open_search(page)
        assert search(page, "Kinderschutz")[0] == "/qualitaetsstandards/07-kinderschutz/"
    finally:
        server.terminate()
        server.wait(timeout=30)
