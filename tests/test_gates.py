"""Each static gate catches a page, style sheet or file that breaks its rule (schulerfolg.qa.gates)."""

from __future__ import annotations

import gzip
from pathlib import Path

from schulerfolg.qa import gates

GOOD_CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; "
            "style-src 'self'; object-src 'none'; base-uri 'self'\">")


def page(body: str, head: str = GOOD_CSP) -> str:
    return f'<!doctype html><html lang="de"><head>{head}<title>t</title></head><body>{body}</body></html>'


def findings(body: str, head: str = GOOD_CSP) -> list[gates.Finding]:
    tags = gates.parse_html(page(body, head))
    return (gates.external_resources("p.html", tags) + gates.link_schemes("p.html", tags)
            + gates.unsafe_markup("p.html", tags) + gates.content_security_policy("p.html", tags))


def rules(body: str, head: str = GOOD_CSP) -> set[str]:
    return {f.rule for f in findings(body, head)}


def test_a_clean_page_passes() -> None:
    body = ('<a href="../x/">x</a> <a href="https://www.example.org/">e</a> <a href="mailto:a@example.org">m</a>'
            '<a href="tel:+49345">t</a> <a href="#top">t</a> <img src="data:image/png;base64,AA" alt="">'
            '<script src="assets/app.js"></script><script type="application/json">{"a": "<b>"}</script>')
    assert findings(body) == []


def test_resources_from_other_hosts_are_found_in_every_form() -> None:
    cases = [
        '<script src="https://cdn.example.net/lib.js"></script>',
        '<img src="//cdn.example.net/a.png" alt="">',
        '<img srcset="a.png 1x, https://cdn.example.net/a2.png 2x" src="a.png" alt="">',
        '<iframe src="https://www.youtube.com/embed/x" title="v"></iframe>',
        '<div style="background: url(\'https://cdn.example.net/bg.png\')"></div>',
        '<style>@import "https://fonts.example.net/font.css";</style>',
        '<video poster="http://cdn.example.net/p.jpg"></video>',
    ]
    for body in cases:
        assert rules(body) >= {"fremder-host"}, body
    head_cases = [
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
        '<link rel="preconnect" href="https://fonts.gstatic.com">',
        '<link rel="dns-prefetch" href="//stats.example.net">',
        '<meta http-equiv="refresh" content="0; url=https://elsewhere.example.net/">',
    ]
    for head in head_cases:
        assert rules("", GOOD_CSP + head) == {"fremder-host"}, head


def test_a_link_to_another_site_is_not_a_resource() -> None:
    assert rules('<a href="https://www.example.org/">e</a><link rel="canonical" href="https://x.example.org/">') == set()


def test_style_sheets_are_checked_for_foreign_urls() -> None:
    css = "@font-face{src:url(https://fonts.gstatic.com/r.woff2)} .a{background:url(data:image/svg+xml;x)} .b{background:url(../i.png)}"
    assert [f.detail for f in gates.external_css("a.css", css)] == ["url(https://fonts.gstatic.com/r.woff2)"]


def test_links_allow_only_https_http_mailto_tel() -> None:
    for href in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " java\tscript:alert(1)", "data:text/html,x",
                 "ftp://example.org/", "file:///etc/passwd", "vbscript:x"):
        assert "link-schema" in rules(f'<a href="{href}">x</a>'), href


def test_executable_markup_is_found() -> None:
    assert rules("<script>alert(1)</script>") == {"inline-script"}
    assert rules('<img src="x" onerror="alert(1)" alt="">') == {"event-handler"}
    assert rules('<form action="javascript:alert(1)"></form>') == {"javascript-url"}
    assert rules('<iframe srcdoc="&lt;script&gt;" title="x"></iframe>') == {"srcdoc"}
    assert rules('<a href="javascript:alert(1)">x</a>') == {"link-schema", "javascript-url"}


def test_the_csp_must_exist_and_allow_only_the_site() -> None:
    assert rules("", head="") == {"csp"}
    weak = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.example.net; style-src 'self'; object-src 'none'; base-uri 'self'\">"
    details = [f.detail for f in findings("", head=weak)]
    assert details == ["script-src erlaubt 'unsafe-inline'", "script-src erlaubt einen fremden Host: https://cdn.example.net"]
    assert [f.detail for f in findings("", head=GOOD_CSP.replace("base-uri 'self'", ""))] == ["base-uri fehlt"]


def test_broken_links_and_anchors_are_found() -> None:
    pages = {
        "index.html": gates.parse_html('<a href="a/">a</a> <a href="a/#da">ok</a> <a href="a/#weg">x</a>'
                                       '<a href="b/">b</a> <img src="img/logo.png" alt=""> <a href="#oben">o</a>'),
        "a/index.html": gates.parse_html('<h2 id="da">da</h2><a href="../">up</a><a href="../index.html#fehlt">f</a>'
                                         '<a href="/a/#da">abs</a><a href="../files/plan.pdf">pdf</a>'),
    }
    files = {"img/logo.png"}
    found = sorted(str(f) for f in gates.broken_links(pages, files.__contains__))
    assert found == [
        "a/index.html: toter-anker: Zeile 1: ../index.html#fehlt → #fehlt fehlt in index.html",
        "a/index.html: toter-link: Zeile 1: ../files/plan.pdf → files/plan.pdf fehlt",
        "index.html: toter-anker: Zeile 1: #oben → #oben fehlt in index.html",
        "index.html: toter-anker: Zeile 1: a/#weg → #weg fehlt in a/index.html",
        "index.html: toter-link: Zeile 1: b/ → b/index.html fehlt",
    ]


def test_link_targets_resolve_like_a_browser() -> None:
    assert gates.resolve_target("schulen/x/index.html", "../../netzwerkstellen/harz/#kontakt") == (
        "netzwerkstellen/harz/index.html", "kontakt")
    assert gates.resolve_target("index.html", "schulen/") == ("schulen/index.html", "")
    assert gates.resolve_target("a/index.html", "#x") == ("a/index.html", "x")
    assert gates.resolve_target("404.html", "/assets/a%20b.css") == ("assets/a b.css", "")
    assert gates.resolve_target("index.html", "https://example.org/") is None
    assert gates.resolve_target("index.html", "mailto:a@example.org") is None


def test_data_files_must_not_carry_live_markup() -> None:
    assert gates.markup_in_data("i.json", '{"name": "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}') == []
    assert gates.markup_in_data("i.json", '{"text": "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"}') == []
    assert {f.rule for f in gates.markup_in_data("i.json", '{"name": "<script>alert(1)</script>"}')} == {"markup-in-daten"}
    assert {f.rule for f in gates.markup_in_data("i.json", '{"n": "\\"><img src=x onerror=alert(1)>"}')} == {"event-handler"}


def test_csv_cells_must_not_start_like_formulas() -> None:
    ok = 'name,telefon\n"Schule A","+49 345 123"\n"-",x\n'
    assert gates.csv_formulas("s.csv", ok) == []
    bad = 'name,telefon\n"=HYPERLINK(""https://evil.example"")",1\n@SUM(A1),2\n'
    assert [f.detail[:9] for f in gates.csv_formulas("s.csv", bad)] == ["Zeile 2: ", "Zeile 3: "]


def test_vcards_must_keep_their_structure() -> None:
    good = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Netzwerkstelle Harz\r\nORG:Landkreis Harz\\, Jugendamt\r\n"
            "NOTE:ein langer Text\r\n  der weitergeht\r\nURL:https://www.example.org/\r\nEND:VCARD\r\n")
    assert gates.vcard_structure("h.vcf", good) == []
    broken = "BEGIN:VCARD\nFN:Schule\n<script>alert(1)</script>\nURL:javascript:alert(1)\n"
    assert [f.detail[:9] for f in gates.vcard_structure("h.vcf", broken)] == ["Zeile 3: ", "Zeile 4: ", "END:VCARD"]


def test_internal_values_are_found_in_any_spelling_and_in_compressed_files(tmp_path: Path) -> None:
    secret = 'Rückruf "abwarten" & Co.'
    (tmp_path / "a.html").write_text("<p>Rückruf &quot;abwarten&quot; &amp; Co.</p>", encoding="utf-8")
    (tmp_path / "b.json").write_text('{"x": "R\\u00fcckruf \\"abwarten\\" & Co."}', encoding="utf-8")
    (tmp_path / "c.pf_fragment").write_bytes(gzip.compress('pagefind_dcd{"content": "Rückruf \\"abwarten\\" & Co."}'.encode()))
    (tmp_path / "d.txt").write_text("Rückruf\n  \"abwarten\" &   Co.", encoding="utf-8")
    (tmp_path / "e.pdf").write_bytes(b"%PDF binary")
    (tmp_path / "clean.html").write_text("<p>nichts</p>", encoding="utf-8")
    pdf_text = {".pdf": lambda raw: 'Rückruf "abwarten" & Co.'}
    found = gates.leaks(gates.Site.read(tmp_path), [secret], pdf_text)
    assert sorted(f.file for f in found) == ["a.html", "b.json", "c.pf_fragment", "d.txt", "e.pdf"]


def test_site_findings_cover_every_file_kind(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(page('<a href="nirgends/">x</a>'), encoding="utf-8")
    (tmp_path / "neu").mkdir()
    (tmp_path / "neu" / "seite.html").write_text(page('<script src="https://cdn.example.net/x.js"></script>'), encoding="utf-8")
    (tmp_path / "style.css").write_text("a{background:url(https://cdn.example.net/a.png)}", encoding="utf-8")
    (tmp_path / "daten.json").write_text('{"a": "<img src=x onerror=alert(1)>"}', encoding="utf-8")
    (tmp_path / "daten.csv").write_text("a\n=1+1\n", encoding="utf-8")
    (tmp_path / "karte.vcf").write_text("BEGIN:VCARD\nFN:x\n", encoding="utf-8")
    found = {(f.file, f.rule) for f in gates.site_findings(gates.Site.read(tmp_path))}
    assert found == {("index.html", "toter-link"), ("neu/seite.html", "fremder-host"), ("style.css", "fremder-host"),
                     ("daten.json", "event-handler"), ("daten.csv", "csv-formel"), ("karte.vcf", "vcard")}
