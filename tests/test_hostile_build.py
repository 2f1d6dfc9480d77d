"""The hostile-input suite against `mkdocs build` itself: the build refuses what the site's gates would
refuse (with `docs/<datei>:<zeile>` messages in German, the previous site untouched), escapes every value
that reaches <head> on every page, puts the Content-Security-Policy first, and never lets two sources
write the same file. Also the escaping of vCards and CSV cells on their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import copy_project, run_mkdocs_build
from schulerfolg.qa import gates
from schulerfolg.qa.site import site_gate_problems
from schulerfolg.site.contactcard import vcard
from schulerfolg.data.model import Office
from schulerfolg.site.opendata import _csv_value

FAST = {"PORTAL_SKIP": "pdf,search"}  # the rules checked here do not depend on the PDF or the index
HEAD_PAYLOAD = "\\x3cimg src=x onerror=alert(1)\\x3e \\\" ' & </title><script>alert(2)</script>"


def previous_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("old site", encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def head_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build whose handbook title (in the Publikationen front matter) and an office name carry markup
    written with YAML escapes, which string-formatted front matter turned into live markup."""
    project = copy_project(tmp_path_factory.mktemp("head") / "project")
    publications = project / "data" / "publications.yaml"
    text = publications.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  titel: .*$", lambda _: f'  titel: "{HEAD_PAYLOAD}"', text, count=1)
    publications.write_text(text, encoding="utf-8")
    networks = project / "data" / "networks.yaml"
    text = networks.read_text(encoding="utf-8")
    at = text.index("  name: ", text.index("netzwerkstellen:"))
    end = text.index("\n", at)
    networks.write_text(text[:at] + f'  name: "Stelle {HEAD_PAYLOAD}"' + text[end:], encoding="utf-8")
    site = project.parent / "site"
    result = run_mkdocs_build(project, site, FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_the_csp_is_the_first_element_of_head_on_every_page(head_site: Path) -> None:
    pages = sorted(head_site.rglob("*.html"))
    assert len(pages) > 390
    for page in pages:
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        first = head.find(True)
        assert first.name == "meta" and first.get("http-equiv", "").lower() == "content-security-policy", page


@pytest.mark.parametrize("page", ["publikationen/index.html", "netzwerkstellen/*/index.html"])
def test_head_values_with_markup_stay_text(head_site: Path, page: str) -> None:
    html = next(text for path in head_site.glob(page) if "alert(2)" in (text := path.read_text(encoding="utf-8")))
    head = html[:html.index("</head>")]
    tags = gates.parse_html(head)
    assert not [t for t in tags if t.name == "img" or t.name == "script" and "src" not in t.attrs]
    assert gates.unsafe_markup(page, tags) == []
    assert "alert(2)" in head and "&lt;script&gt;alert(2)" in head  # the value is there, as text


def test_the_payload_reaches_the_page_as_text(head_site: Path) -> None:
    soup = BeautifulSoup((head_site / "publikationen" / "index.html").read_text(encoding="utf-8"), "html.parser")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert "<img src=x onerror=alert(1)>" in description  # decoded once by the parser: shown, never run
    assert not soup.head.find("img") and not soup.find("img", attrs={"onerror": True})


def test_the_gates_pass_on_the_hostile_build(head_site: Path) -> None:
    findings = [f for f in gates.site_findings(gates.Site.read(head_site)) if f.rule != "toter-link"]
    assert findings == []


@pytest.mark.parametrize("body, phrase", [
    ('<script>alert("xss")</script>', "Skript"),
    ("[klick](javascript:alert(1))", "javascript:"),
    ('<iframe src="https://evil.example/"></iframe>', "iframe"),
])
def test_the_build_refuses_unsafe_docs_pages(tmp_path: Path, body: str, phrase: str) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs" / "angriff.md").write_text(f"# Angriff\n\nText.\n\n{body}\n", encoding="utf-8")
    site = previous_site(tmp_path)
    result = run_mkdocs_build(project, site, FAST)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert re.search(rf"docs/angriff\.md:5: .*{re.escape(phrase)}", output), output[-3000:]
    assert [p.name for p in site.iterdir()] == ["previous.html"]


def test_the_build_refuses_unparsable_front_matter(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs" / "angriff.md").write_text("---\ntitle: [offen\n---\n\n# Angriff\n", encoding="utf-8")
    result = run_mkdocs_build(project, previous_site(tmp_path), FAST)
    assert result.returncode != 0 and "docs/angriff.md:2: " in result.stdout + result.stderr


@pytest.mark.parametrize("path", ["schulen/index.md", "kontakt-finden.md", "netzwerkstellen/index.md"])
def test_two_sources_for_one_file_stop_the_build(tmp_path: Path, path: str) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
    (project / "docs" / path).write_text("# Ersatz\n\nDiese Seite ersetzt eine erzeugte.\n", encoding="utf-8")
    result = run_mkdocs_build(project, previous_site(tmp_path), FAST)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert f"docs/{path}" in output and "dieselbe Datei" in output, output[-2000:]


def test_a_reserved_school_id_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    schools = project / "data" / "schools.yaml"
    text = schools.read_text(encoding="utf-8")
    schools.write_text(re.sub(r"(?m)^- id: \S+", "- id: index", text, count=1), encoding="utf-8")
    result = run_mkdocs_build(project, previous_site(tmp_path), FAST)
    assert result.returncode != 0 and "schulen[0].id: Die Kennung „index“ ist reserviert" in result.stdout + result.stderr


def test_the_build_gates_locate_a_finding_in_the_docs_file(tmp_path: Path) -> None:
    """The gates run on the staged site inside the build; a finding on a docs/ page names file and line."""
    (tmp_path / "seite").mkdir()
    (tmp_path / "seite" / "index.html").write_text(
        '<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'; '
        "style-src 'self'; object-src 'none'; base-uri 'self'\"></head><body><p onclick=\"alert(1)\">x</p></body></html>",
        encoding="utf-8")
    source = "# Seite\n\nText.\n\nAbsatz { onclick=\"alert(1)\" }\n"
    problems = site_gate_problems(tmp_path, {"seite/index.html": ("docs/seite.md", source)})
    assert [str(p) for p in problems] and all(str(p).startswith("docs/seite.md:5: Die Seite") for p in problems)


@pytest.mark.parametrize("name", ["Stelle\rEMAIL:evil@example.org", "Stelle\r\nEND:VCARD\r\nBEGIN:VCARD",
                                  "Stelle\u2028URL:javascript:alert(1)", "Stelle\x0bNOTE:x", "Stelle\\;,\x1b"])
def test_vcard_values_cannot_add_properties(name: str) -> None:
    data = yaml.safe_load((Path(__file__).parent.parent / "data" / "networks.yaml").read_text(encoding="utf-8"))
    # Validation refuses most of these; the escaping must hold on its own (defence in depth).
    office = Office.model_validate(data["netzwerkstellen"][0]).model_copy(update={"name": name})
    card = vcard(office, "Hinweis")
    assert gates.vcard_structure("x.vcf", card) == []
    assert re.search(r"\r(?!\n)", card) is None and "\x1b" not in card
    assert card.startswith("BEGIN:VCARD") and "\nBEGIN:" not in card and card.count("\nEND:") == 1
    assert card.count("\nEMAIL") <= 1


@pytest.mark.parametrize("cell", ["=1+1", " =HYPERLINK(\"x\")", "@SUM(A1)", "+cmd", "-2+3", "\t=1", "\n=1", "＝1",
                                  "\x00=1"])
def test_csv_cells_never_start_a_formula(cell: str) -> None:
    written = _csv_value(cell)
    import csv
    import io
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([written])
    assert gates.csv_formulas("x.csv", out.getvalue()) == []
    assert written.startswith("'")


def test_validate_knows_every_generated_page_and_file_the_build_makes() -> None:
    """``validate`` checks links in docs/ against ``generated_targets`` without rendering: it must list
    exactly what the build generates, or a link would pass validate and break the build (or the reverse)."""
    from conftest import ROOT
    from schulerfolg.pipeline.prepare import Build
    from schulerfolg.site.targets import generated_targets
    from schulerfolg.handbook.book import DOWNLOAD

    build = Build.load(ROOT, make_pdf=False, make_search_index=False)
    targets = generated_targets(build.project, ROOT / "docs")
    assert targets.pages == {page.src_uri for page in build.pages()}
    assert targets.files == {file.uri for file in build.files()} | {DOWNLOAD}
