"""Hostile input, class by class, as an editor (or an attacker with a pull request) would bring it: every
case ends, within seconds, in a located German message (``datei:zeile: …``) from `python validate`, run
as a subprocess with a time limit. The build refuses the same (tests/test_hostile_build.py).

Classes (see issue 15): 1 unsafe markup in docs/, 2 silent replacement, 4 denial of service, 5 unsafe
characters, 6 silently wrong data, 7 messages. Class 3 (the data diff) is in tests/test_hostile_diff.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT = 30  # seconds; validate takes about one. A hang (the old alias loop) fails the test.
LOCATED = re.compile(r"^(data|docs)/[\w./-]+:(\d+): ", re.M)
ENGLISH = ("Traceback", "Input should", "Field required", "Error", "could not", "found character", "expected",
           "mapping values", "not allowed", "invalid", "line ")


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """data/ and docs/ of the repository, free to change (validate reads nothing else)."""
    for name in ("data", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def validate(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, str(ROOT / "validate"), "--ordner", str(project), *args],
                            capture_output=True, text=True, env=env, cwd=project, timeout=TIME_LIMIT)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def refused(project: Path, file: str, line: int | None, *phrases: str) -> str:
    """Run validate; assert exit 1 and a German message for ``file`` (at ``line``) containing ``phrases``."""
    result = validate(project)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    messages = [m for m in result.stdout.splitlines() if m.startswith(f"{file}:")]
    assert messages, result.stdout[-3000:]
    if line is not None:
        messages = [m for m in messages if m.startswith(f"{file}:{line}:")]
        assert messages, f"no message at line {line}:\n" + result.stdout[-3000:]
    hit = [m for m in messages if all(p in m for p in phrases)]
    assert hit, "\n".join(messages)
    german = hit[0].split("(Technische Meldung")[0]
    assert not any(word in german for word in ENGLISH), hit[0]
    return hit[0]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def replace_first(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in a file; return the line number where it was."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


def docs_page(project: Path, body: str, front: str = "") -> tuple[str, int]:
    """A new page docs/angriff.md; returns its display path and the line of the body's last line."""
    head = f"---\n{front}---\n\n" if front else ""
    write(project / "docs" / "angriff.md", f"{head}# Angriff\n\nEin Absatz.\n\n{body}\n")
    return "docs/angriff.md", (head + "# Angriff\n\nEin Absatz.\n\n" + body).count("\n") + 1


def test_the_repository_as_it_is_passes(project: Path) -> None:
    result = validate(project)
    assert result.returncode == 0, result.stdout[-3000:]


# --- class 1: markup that would run (stored XSS), refused in docs/ with file and line -------------------------

UNSAFE_BODIES = {
    "script": '<script>alert("xss")</script>',
    "script-upper": '<SCRIPT SRC="x.js"></SCRIPT>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "img-onerror": '<img src="x.png" alt="x" onerror="alert(1)">',
    "svg-onload": '<svg onload="alert(1)"></svg>',
    "javascript-link": "[klick](javascript:alert(1))",
    "javascript-link-entity": "[klick](javascript&#58;alert(1))",
    "javascript-link-case": "[klick](JaVaScRiPt:alert(1))",
    "javascript-autolink": "<javascript:alert(1)>",
    "javascript-reference": "[klick][x]\n\n[x]: javascript:alert(1)",
    "vbscript-html": '<a href="vbscript:msgbox(1)">x</a>',
    "data-link": "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "attr-list-onclick": 'Text { onclick="alert(1)" }',
    "object": '<object data="x.swf"></object>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "form": '<form action="https://evil.example/"><input name="q"></form>',
    "external-image": "![Logo](https://evil.example/pixel.png)",
    "style": "<style>body { background: url(https://evil.example/x.png) }</style>",
}


@pytest.mark.parametrize("case", UNSAFE_BODIES, ids=str)
def test_unsafe_markup_in_docs_is_refused_with_file_and_line(project: Path, case: str) -> None:
    body = UNSAFE_BODIES[case]
    file, last = docs_page(project, body)
    first = last - body.count("\n")
    result = validate(project)
    assert result.returncode == 1, result.stdout[-2000:]
    lines = {int(m.group(2)) for m in LOCATED.finditer(result.stdout) if m.group(0).startswith(file)}
    assert lines & set(range(first, last + 1)), result.stdout[-2000:]


HEAD_VALUES = {
    "description-img": ("description", '"\\"><img src=x onerror=alert(1)>"'),
    "author-script": ("author", '"<script>alert(1)</script>"'),
    "title-close": ("title", '"</title><script>alert(1)</script>"'),
    "description-entity": ("description", '"&lt;img src=x onerror=alert(1)&gt;"'),
    "description-yaml-escape": ("description", '"\\x3cimg src=x onerror=alert(1)\\x3e"'),
    "description-list": ("description", "[a, b]"),
}


@pytest.mark.parametrize("case", HEAD_VALUES, ids=str)
def test_markup_in_values_that_reach_head_is_refused(project: Path, case: str) -> None:
    key, value = HEAD_VALUES[case]
    docs_page(project, "Text.", front=f"{key}: {value}\n")
    refused(project, "docs/angriff.md", 2, key)


@pytest.mark.parametrize("front", ["title: [unclosed\n", "title: a: b: c\n", "- a\n- b\n", "title: &a x\nauthor: *a\n",
                                   "template: redirect.html\n", "title: x\ntitle: y\n"])
def test_invalid_front_matter_is_refused_not_printed(project: Path, front: str) -> None:
    docs_page(project, "Text.", front=front)
    refused(project, "docs/angriff.md", None)


def test_unclosed_front_matter_is_refused(project: Path) -> None:
    write(project / "docs" / "angriff.md", "---\ntitle: Offen\n\n# Angriff\n\nText.\n")
    refused(project, "docs/angriff.md", 1, "nicht mit einer Zeile")


def test_code_examples_are_not_mistaken_for_markup(project: Path) -> None:
    docs_page(project, "```html\n<script>alert(1)</script>\n```\n\nIm Text: `<iframe>` und `javascript:`.")
    assert validate(project).returncode == 0


# --- class 2: silent replacement -------------------------------------------------------------------------------


@pytest.mark.parametrize("file, old", [("schools.yaml", "- id: "), ("networks.yaml", "  - id: ")])
def test_reserved_ids_are_refused(project: Path, file: str, old: str) -> None:
    path = project / "data" / file
    text = path.read_text(encoding="utf-8")
    start = text.index(old) + len(old)
    end = text.index("\n", start)
    path.write_text(text[:start] + "index" + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    refused(project, f"data/{file}", line, "reserviert")


# --- class 4: denial of service ------------------------------------------------------------------------------

BILLION_LAUGHS = "".join([
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    *(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)),
])


@pytest.mark.parametrize("text, line", [
    (BILLION_LAUGHS, 1),
    ("schulen: &s\n  - *s\nschulen: 1\n", 1),  # a recursive alias beside a duplicate key (hung validate before)
    ("schulen:\n  - id: x\n    name: &n Grundschule\n    strasse: *n\n", 3),
    ("schulen: !!python/object/apply:os.system [echo]\n", 1),
    ("schulen:\n" + "  " + "[" * 5000 + "]" * 5000 + "\n", 2),
])
def test_aliases_tags_and_deep_nesting_are_refused_quickly(project: Path, text: str, line: int) -> None:
    write(project / "data" / "schools.yaml", text)
    refused(project, "data/schools.yaml", line)


def test_too_many_records_are_refused(project: Path) -> None:
    write(project / "data" / "schools.yaml", "schulen:\n" + "- 1\n" * 200_005)
    refused(project, "data/schools.yaml", None, "zu lang")


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero", "networks.yaml"])
def test_symlinked_data_files_are_refused(project: Path, target: str) -> None:
    path = project / "data" / "schools.yaml"
    path.unlink()
    path.symlink_to(target)
    refused(project, "data/schools.yaml", None, "Verknüpfung")


def test_an_oversized_file_is_refused_without_being_read(project: Path) -> None:
    path = project / "data" / "schools.yaml"
    with path.open("r+b") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no disk space
    refused(project, "data/schools.yaml", None, "zu groß")


@pytest.mark.parametrize("name", ["passwort.md", "bild.png", "assets/geheim.txt"])
def test_a_symlink_in_docs_is_refused(project: Path, name: str) -> None:
    (project / "docs" / name).symlink_to("/etc/passwd")
    refused(project, f"docs/{name}", None, "Verknüpfung")


# --- class 5: unsafe characters in text fields ---------------------------------------------------------------

CHARACTERS = {
    "lone-cr-in-file": ("name: Netzwerkstelle\rEMAIL:evil@example.org", "Wagenrücklauf"),
    "cr-escape": ('name: "Netzwerkstelle\\rEMAIL:evil@example.org"', "Wagenrücklauf"),
    "line-separator": ("name: Netzwerkstelle\u2028Zweite Zeile", "Zeilen- oder Absatztrenner"),
    "paragraph-separator-escape": ('name: "Netzwerkstelle\\PZweite"', "Zeilen- oder Absatztrenner"),
    "bidi-override": ("name: Netzwerkstelle \u202eetsiL", "Formatzeichen"),
    "bidi-isolate-escape": ('name: "Netzwerkstelle \\u2066x\\u2069"', "Formatzeichen"),
    "zero-width-space": ("name: Netz\u200bwerkstelle", "Formatzeichen"),
    "tab-escape": ('name: "Netzwerk\\tstelle"', "Tabulatorzeichen"),
    "tab-in-file": ('name: "Netzwerk\tstelle"', "Tabulatorzeichen"),
    "esc": ('name: "Netzwerkstelle \\e[31mrot"', "Escape-Zeichen"),
    "nul-escape": ('name: "Netzwerkstelle\\0"', "Steuerzeichen"),
    "bell-in-file": ("name: Netzwerkstelle\x07", "Steuerzeichen"),
    "only-zero-width": ('name: "\\u200b\\u200c\\u200d"', "Formatzeichen"),
    "only-nbsp": ('name: "\\u00a0\\u00a0"', "unsichtbaren Zeichen"),
    "only-hangul-filler": ("name: \u3164\u3164", "unsichtbaren Zeichen"),
    "only-combining-marks": ('name: "\\u0301\\u0308"', "unsichtbaren Zeichen"),
}


@pytest.mark.parametrize("case", CHARACTERS, ids=str)
def test_unsafe_characters_in_an_office_name_are_refused(project: Path, case: str) -> None:
    value, phrase = CHARACTERS[case]
    path = project / "data" / "networks.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  name: ", text.index("netzwerkstellen:"))
    end = text.index("\n", start)
    path.write_text(text[:start] + "  " + value + text[end:], encoding="utf-8")
    refused(project, "data/networks.yaml", text[:start].count("\n") + 1, phrase)


def test_github_format_never_lets_a_value_start_a_workflow_command(project: Path) -> None:
    path = project / "data" / "schools.yaml"
    replace_first(path, "  name: ", '  "x\\n::stop-commands::pwned\\n::error::forged": 1\n  name: ')
    result = validate(project, "--format", "github")
    assert result.returncode == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert commands and all(re.match(r"::(error|warning) file=[^:]*::", line) for line in commands), commands
    assert not any(line.startswith(("::stop-commands", "::error::forged")) for line in result.stdout.splitlines())
    assert "%0A%3A%3Astop-commands" in result.stdout  # the key is there, escaped by GitHub's rules


# --- class 6: silently wrong data --------------------------------------------------------------------------------


def _first_school(project: Path) -> tuple[Path, str, int, int]:
    path = project / "data" / "schools.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id:")
    end = text.index("- id:", start + 1)
    return path, text, start, end


def test_the_same_school_under_two_ids_is_refused(project: Path) -> None:
    path, text, start, end = _first_school(project)
    record = text[start:end]
    copy = re.sub(r"- id: (\S+)", r"- id: \1-zwei", record, count=1)
    path.write_text(text[:end] + copy + text[end:], encoding="utf-8")
    line = text[:end].count("\n") + 1 + copy[:copy.index("  name:")].count("\n")
    refused(project, "data/schools.yaml", line, "gleicher Name und gleiche Anschrift")


def test_a_town_of_another_municipality_is_refused(project: Path) -> None:
    path, text, start, end = _first_school(project)
    at = text.index("  ort: ", start)
    line_end = text.index("\n", at)
    path.write_text(text[:at] + "  ort: Magdeburg" + text[line_end:], encoding="utf-8")
    refused(project, "data/schools.yaml", text[:at].count("\n") + 1, "Magdeburg", "Gemeinde")


def test_an_unknown_town_is_a_warning_only(project: Path) -> None:
    path, text, start, end = _first_school(project)
    at = text.index("  ort: ", start)
    line_end = text.index("\n", at)
    path.write_text(text[:at] + "  ort: Kleinstkleckersdorf" + text[line_end:], encoding="utf-8")
    result = validate(project)
    assert result.returncode == 0
    assert f"data/schools.yaml:{text[:at].count(chr(10)) + 1}: schulen[0].ort: Warnung:" in result.stdout


def test_a_check_date_in_the_future_is_refused(project: Path) -> None:
    line = replace_first(project / "data" / "networks.yaml", "geprueft_am: 20", "geprueft_am: 2099-07-02 #")
    text = (project / "data" / "networks.yaml").read_text(encoding="utf-8")
    assert "2099-07-02" in text
    refused(project, "data/networks.yaml", line, "02.07.2099", "Zukunft")


@pytest.mark.parametrize("value", ["y", "yes", "on", "Yes", '"true"', "1", "True", "'ja'"])
def test_consent_is_only_a_literal_true(project: Path, value: str) -> None:
    path, text, start, end = _first_school(project)
    at = text.index("  geprueft_am:", start)
    person = f"  ansprechperson:\n    name: Erika Beispiel\n    veroeffentlichen: {value}\n"
    path.write_text(text[:at] + person + text[at:], encoding="utf-8")
    refused(project, "data/schools.yaml", text[:at].count("\n") + 3, "veroeffentlichen", "true")


def test_an_image_without_alternative_text_is_refused(project: Path) -> None:
    (project / "docs" / "bild.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    file, line = docs_page(project, "![](bild.png)")
    refused(project, file, line, "Alternativtext")


def test_an_html_image_without_alt_is_refused(project: Path) -> None:
    file, line = docs_page(project, '<img src="bild.png">')
    refused(project, file, line, "Alternativtext")


def test_a_skipped_heading_level_is_refused(project: Path) -> None:
    file, line = docs_page(project, "### Zu tief")
    refused(project, file, line, "Ebene 3", "Ebene 1")


# --- class 7: messages -----------------------------------------------------------------------------------------------


def test_an_encoding_error_is_reported_at_its_line_in_german(project: Path) -> None:
    path = project / "data" / "schools.yaml"
    raw = path.read_bytes()
    at = raw.index("Roßlau".encode())  # a Latin-1 editor writes ß as one byte
    path.write_bytes(raw[:at] + "Roßlau".encode("latin-1") + raw[at + len("Roßlau".encode()):])
    refused(project, "data/schools.yaml", raw[:at].count(b"\n") + 1, "UTF-8", "0xDF")


def test_a_control_byte_is_reported_at_its_line(project: Path) -> None:
    path = project / "data" / "places.yaml"
    raw = path.read_bytes()
    at = raw.index(b"\n", 2000)
    path.write_bytes(raw[:at] + b"\x01" + raw[at:])
    refused(project, "data/places.yaml", raw[:at].count(b"\n") + 1, "Steuerzeichen")


def test_a_broken_chapter_link_is_reported_in_german_with_file_and_line(project: Path) -> None:
    line = replace_first(project / "docs" / "qualitaetsstandards" / "01-auftrag-und-ziele.md",
                         "(02-rechtliche-grundlagen.md)", "(02-rechtliche-grundlagn.md)")
    refused(project, "docs/qualitaetsstandards/01-auftrag-und-ziele.md", line, "02-rechtliche-grundlagn.md", "keiner Seite")


def test_a_broken_anchor_is_reported_in_german(project: Path) -> None:
    file, line = docs_page(project, "[Förderzyklen](programm.md#foerderzyklen-gibt-es-nicht)")
    refused(project, file, line, "Abschnitt")


def test_an_underscore_number_is_not_called_a_lost_leading_zero(project: Path) -> None:
    line = replace_first(project / "data" / "schools.yaml", 'plz: "0', "plz: 6_862 #")
    message = refused(project, "data/schools.yaml", line, "6_862", "Unterstriche")
    assert "führende Null" not in message


def test_a_lost_leading_zero_is_still_explained(project: Path) -> None:
    path = project / "data" / "schools.yaml"
    text = path.read_text(encoding="utf-8")
    found = re.search(r'plz: "(0[0-7]{4})"', text)
    assert found
    line = replace_first(path, found.group(0), f"plz: {found.group(1)}")
    refused(project, "data/schools.yaml", line, "führende Null")
