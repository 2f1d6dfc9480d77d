"""A build from hostile data: every text field of every office and school carries an attack payload,
every internal field and every unpublished contact person a unique marker. The site must show the
payloads as plain text, run none of them, and publish none of the markers, in any file.
"""

from __future__ import annotations

import json

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import copy_project, run_mkdocs_build
from schulerfolg.qa import gates
from test_site_gates import EXTRACTORS

PAYLOADS = [
    '<script>alert("xss-1")</script>',
    '"><img src=x onerror=alert("xss-2")>',
    "[x](javascript:alert('xss-3'))",
    "{{ 7*7 }} {% raw %} ${7*7}",
    '</title><script>alert("xss-5")</script>',
    "' onmouseover='alert(6)' x='",
    '<a href="javascript:alert(7)">klick</a>',
    '**fett** `code` # Titel <!-- Kommentar --> { onclick="alert(8)" }',
    '=HYPERLINK("https://evil.example/")',
    "&lt;script&gt;alert(10)&lt;/script&gt; &amp;",
]
OFFICE_TEXT = ("name", "traeger", "strasse", "ort", "oeffnungszeiten", "hinweis")
SCHOOL_TEXT = ("name", "strasse", "ort", "traeger_ssa")
HOSTILE_URL = "https://evil.example.org/'onmouseover='alert(11)'"


def payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def marker(kind: str, i: int) -> str:
    return f"GEHEIM-{kind}-{i:03d}"


def make_hostile(data: Path) -> None:
    """Rewrite data/networks.yaml and data/schools.yaml with payloads and markers."""
    networks = yaml.safe_load((data / "networks.yaml").read_text(encoding="utf-8"))
    offices = [networks["koordinierungsstelle"], *networks["netzwerkstellen"]]
    for i, office in enumerate(offices):
        for j, key in enumerate(OFFICE_TEXT):
            office[key] = payload(i + j)
        office["website"] = HOSTILE_URL
        office["quelle"]["titel"] = payload(i + 3)
        office["intern"] = marker("NOTIZ-STELLE", i)
        office["ansprechperson"] = {"name": marker("NAME-STELLE", i), "funktion": marker("ROLLE-STELLE", i)}
    schools = yaml.safe_load((data / "schools.yaml").read_text(encoding="utf-8"))
    for i, school in enumerate(schools["schulen"]):
        for j, key in enumerate(SCHOOL_TEXT):
            school[key] = f"{payload(i + j)} {i}" if key == "name" else payload(i + j)
        school["intern"] = marker("NOTIZ-SCHULE", i)
        if i % 2:
            school["ansprechperson"] = {"name": marker("NAME-SCHULE", i), "funktion": marker("ROLLE-SCHULE", i),
                                        "veroeffentlichen": False}
        else:
            school["ansprechperson"] = {"name": payload(i + 1), "funktion": payload(i + 2), "veroeffentlichen": True}
    for name, content in (("networks.yaml", networks), ("schools.yaml", schools)):
        (data / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    make_hostile(project / "data")
    site = project.parent / "site"
    result = run_mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    networks = yaml.safe_load((project / "data" / "networks.yaml").read_text(encoding="utf-8"))
    schools = yaml.safe_load((project / "data" / "schools.yaml").read_text(encoding="utf-8"))
    return site, networks, schools


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_payload_becomes_markup_in_any_file(hostile) -> None:
    site, _, _ = hostile
    findings = gates.site_findings(gates.Site.read(site))
    assert findings == [], "\n".join(map(str, findings[:30]))


def test_no_script_carries_a_payload(hostile) -> None:
    site, _, _ = hostile
    for path in site.rglob("*.html"):
        page = soup(path)
        for script in page.find_all("script"):
            if script.get("type") == "application/ld+json":  # data, not code: it parses, and no "<" can end it
                json.loads(script.get_text())
                assert "<" not in script.get_text(), path
            else:
                assert "alert(" not in script.get_text(), path
        assert not page.find_all(lambda el: any(a.startswith("on") for a in el.attrs)), path
        assert not [a for a in page.find_all(href=True) if a["href"].strip().lower().startswith("javascript:")], path


def test_payloads_are_shown_as_the_text_that_was_typed(hostile) -> None:
    site, networks, schools = hostile
    for i, school in enumerate(schools["schulen"][:40]):
        page = soup(site / "schulen" / school["id"] / "index.html")
        assert page.h1.get_text() == school["name"]
        assert page.title.get_text().startswith(school["name"])
        text = page.select_one("article").get_text(" ")
        for key in ("strasse", "ort", "traeger_ssa"):
            assert school[key] in text, (school["id"], key)
        if i % 2 == 0:
            assert school["ansprechperson"]["name"] in text
    for office in networks["netzwerkstellen"]:
        page = soup(site / "netzwerkstellen" / office["id"] / "index.html")
        assert page.h1.get_text() == office["name"]
        text = page.select_one("article").get_text(" ")
        for key in ("traeger", "strasse", "ort", "oeffnungszeiten", "hinweis"):
            assert office[key] in text, (office["id"], key)


def test_hostile_website_stays_one_harmless_link(hostile) -> None:
    site, networks, _ = hostile
    page = soup(site / "netzwerkstellen" / networks["netzwerkstellen"][0]["id"] / "index.html")
    links = page.select(f'article a[href="{HOSTILE_URL}"]')
    assert links and all(set(a.attrs) == {"href"} for a in links)


def test_internal_fields_and_unpublished_people_reach_no_file(hostile) -> None:
    site, networks, schools = hostile
    offices = [networks["koordinierungsstelle"], *networks["netzwerkstellen"]]
    secrets = {o["intern"] for o in offices} | {s["intern"] for s in schools["schulen"]}
    for record in (*offices, *schools["schulen"]):
        person = record["ansprechperson"]
        if not person.get("veroeffentlichen"):
            secrets |= {person["name"], person["funktion"]}
    assert len(secrets) > 300
    leaked = gates.leaks(gates.Site.read(site), secrets, EXTRACTORS)
    assert leaked == [], "\n".join(map(str, leaked[:20]))


def test_no_payload_runs_in_the_browser(hostile, browser) -> None:
    """Pages with payloads, opened in Chromium: no dialog opens, no payload element exists."""
    import functools
    import http.server
    import threading

    site, networks, schools = hostile
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context(locale="de-DE")
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        paths = ["", "schulen/", "netzwerkstellen/", "koordinierungsstelle/", "kontakt-finden/",
                 f"netzwerkstellen/{networks['netzwerkstellen'][0]['id']}/",
                 *(f"schulen/{s['id']}/" for s in schools["schulen"][:len(PAYLOADS)])]
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            assert page.locator("img[src=x], article script:not([src]):not([type=\"application/ld+json\"])").count() == 0, path
            for link in page.locator("article a").all()[:5]:
                link.hover(force=True)  # the map's small city shapes lie over their neighbours
        page.goto(base)
        page.get_by_role("button", name="Suche").click()
        dialog = page.get_by_role("dialog", name="Suche im Wissensportal")
        dialog.wait_for()
        page.fill("#ss-search-input", "Kommentar")  # a word of a payload
        page.locator(".ss-search__result").first.wait_for(state="visible")
        assert '{ onclick="alert(8)" }' in dialog.inner_text()  # shown as text
    finally:
        context.close()
        server.shutdown()
    assert dialogs == []


def test_the_payloads_reach_the_pages_at_all(hostile) -> None:
    """Guard for the tests above: the hostile build really contains the payloads, escaped."""
    site, _, _ = hostile
    html = "".join(p.read_text(encoding="utf-8") for p in (site / "schulen").rglob("*.html"))
    assert "&lt;script&gt;alert(&#34;xss-1&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;xss-1&quot;)" in html
