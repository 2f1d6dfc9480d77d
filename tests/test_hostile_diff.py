"""Class 3 of the hostile-input suite: the data diff that CI posts on pull requests never shows a
consent-guarded or internal value, in any shape the editor (or an attacker) writes it: a scalar, a list,
a mis-indented block, a key written twice, a type change between versions, consent by `yes` or `"true"`.
Also: it stays fast on an alias bomb, refuses symlinks, and no value can start a line of the CI log.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from schulerfolg.editors.diff import diff_paths, render_markdown, render_text

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Erika Geheimnisvoll"
NOTE = "nur-intern-7731"


def schools_text() -> tuple[str, int, int]:
    text = (ROOT / "data" / "schools.yaml").read_text(encoding="utf-8")
    start = text.index("- id:")
    end = text.index("- id:", start + 1)
    return text, start, end


def with_first_school(extra: str, replace: tuple[str, str] | None = None) -> str:
    """schools.yaml with lines added to (or replaced in) the first school."""
    text, start, end = schools_text()
    record = text[start:end].rstrip("\n") + "\n"
    if replace:
        record = record.replace(*replace, 1)
    return text[:start] + record + extra + text[end:]


SHAPES = {
    "scalar": f"  ansprechperson: {SECRET}\n",
    "quoted-scalar": f'  ansprechperson: "{SECRET}, Schulsozialarbeiterin"\n',
    "list": f"  ansprechperson: [{SECRET}]\n",
    "block-list": f"  ansprechperson:\n  - {SECRET}\n",
    "list-of-mappings": f"  ansprechperson:\n  - name: {SECRET}\n    veroeffentlichen: true\n",
    "mis-indented": f"  ansprechperson:\n  funktion: {SECRET}\n  veroeffentlichen: false\n",
    "lost-indentation-name": f"  ansprechperson:\n  name: {SECRET}\n  veroeffentlichen: false\n",
    "consent-yes": f"  ansprechperson:\n    name: {SECRET}\n    veroeffentlichen: yes\n",
    "consent-on": f"  ansprechperson:\n    name: {SECRET}\n    veroeffentlichen: on\n",
    "consent-quoted": f'  ansprechperson:\n    name: {SECRET}\n    veroeffentlichen: "true"\n',
    "consent-one": f"  ansprechperson:\n    name: {SECRET}\n    veroeffentlichen: 1\n",
    "consent-twice": f"  ansprechperson:\n    name: {SECRET}\n    veroeffentlichen: false\n    veroeffentlichen: true\n",
    "consent-outside": f"  ansprechperson:\n    name: {SECRET}\n  veroeffentlichen: true\n",
    "name-as-block": f"  hinweis:\n    name: {SECRET}\n",
    "internal-as-list": f"  intern: [{SECRET}]\n",
    "internal-as-block": f"  intern:\n    name: {SECRET}\n",
    "internal-typo": f"  interm: {SECRET}\n",
    "person-under-name": None,  # the person's block indented under the school's name
}


def shape_text(case: str) -> str:
    if case == "person-under-name":
        text, start, end = schools_text()
        record = text[start:end]
        name_line = next(line for line in record.splitlines() if line.startswith("  name: "))
        return with_first_school("", (name_line + "\n", f"  name:\n    name: {SECRET}\n    veroeffentlichen: false\n"))
    return with_first_school(SHAPES[case])


def both_ways(tmp_path: Path, old: str, new: str) -> list[str]:
    """Text and Markdown output of the diff old → new and new → old."""
    outputs = []
    for a, b in ((old, new), (new, old)):
        (tmp_path / "alt").mkdir(exist_ok=True)
        (tmp_path / "neu").mkdir(exist_ok=True)
        (tmp_path / "alt" / "schools.yaml").write_text(a, encoding="utf-8")
        (tmp_path / "neu" / "schools.yaml").write_text(b, encoding="utf-8")
        diffs = diff_paths(tmp_path / "alt" / "schools.yaml", tmp_path / "neu" / "schools.yaml")
        outputs += [render_text(diffs), render_markdown(diffs)]
    return outputs


@pytest.mark.parametrize("case", SHAPES, ids=str)
def test_a_guarded_value_is_never_shown_in_any_shape(tmp_path: Path, case: str) -> None:
    base, _, _ = schools_text()
    outputs = both_ways(tmp_path, base, shape_text(case))
    assert all(SECRET not in out and "Geheimnisvoll" not in out for out in outputs), outputs[0]
    text, start, _ = schools_text()
    first_id = text[start:].split("\n", 1)[0].removeprefix("- id: ").strip()
    assert all(first_id in out for out in outputs), outputs[0]  # the change is reported, only its values are not


@pytest.mark.parametrize("before, after", [
    (f"  ansprechperson:\n    name: {SECRET}\n    veroeffentlichen: true\n", f"  ansprechperson: {SECRET}\n"),
    (f"  ansprechperson: {SECRET}\n", f"  ansprechperson:\n    name: Anna Offen\n    veroeffentlichen: true\n"),
    (f"  ansprechperson:\n    name: {SECRET}\n    veroeffentlichen: false\n",
     "  ansprechperson:\n    name: Anna Offen\n    veroeffentlichen: true\n"),
    (f"  ansprechperson: [{SECRET}]\n", "  ansprechperson:\n    name: Anna Offen\n    veroeffentlichen: true\n"),
    (f"  intern: {NOTE}\n", f"  intern:\n  - {NOTE}\n"),
])
def test_a_type_change_between_versions_shows_no_guarded_value(tmp_path: Path, before: str, after: str) -> None:
    outputs = both_ways(tmp_path, with_first_school(before), with_first_school(after))[:2]  # old → new only
    for out in outputs:
        assert SECRET not in out and NOTE not in out, out


def test_a_published_person_is_still_shown(tmp_path: Path) -> None:
    base, _, _ = schools_text()
    new = with_first_school("  ansprechperson:\n    name: Anna Offen\n    veroeffentlichen: true\n")
    assert any("Anna Offen" in out for out in both_ways(tmp_path, base, new))


def test_an_alias_bomb_is_not_expanded(tmp_path: Path) -> None:
    bomb = "schulen:\n- &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"- &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))
    outputs = both_ways(tmp_path, schools_text()[0], bomb)
    assert all(len(out) < 5000 for out in outputs)
    assert "Nicht verglichen" in outputs[0] and "YAML-Anker" in outputs[0]


def datadiff(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    return subprocess.run([sys.executable, "-m", "schulerfolg.editors.diff", *args], capture_output=True, text=True,
                          env=env, timeout=60)


def test_a_symlinked_data_file_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "alt").mkdir()
    (tmp_path / "alt" / "schools.yaml").write_text(schools_text()[0], encoding="utf-8")
    (tmp_path / "neu").mkdir()
    (tmp_path / "neu" / "schools.yaml").symlink_to("/etc/passwd")
    result = datadiff("--pfade", str(tmp_path / "alt" / "schools.yaml"), str(tmp_path / "neu" / "schools.yaml"))
    assert result.returncode == 2 and "Verknüpfung" in result.stderr and "root:" not in result.stdout + result.stderr


@pytest.mark.parametrize("value", ['"Neu\\r::error::forged"', '"Neu\\n::stop-commands::x"', '"Neu\\u2028::warning::x"',
                                   '"Neu\\x85::error::x"'])
def test_no_value_starts_a_line_of_the_ci_log(tmp_path: Path, value: str) -> None:
    base, start, _ = schools_text()
    line_start = base.index("  strasse: ", start)
    line_end = base.index("\n", line_start)
    new = base[:line_start] + f"  strasse: {value}" + base[line_end:]
    (tmp_path / "alt.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "schools.yaml").write_text(new, encoding="utf-8")
    for fmt in ("text", "markdown"):
        result = datadiff("--format", fmt, "--pfade", str(tmp_path / "alt.yaml"), str(tmp_path / "schools.yaml"))
        assert result.returncode == 0, result.stderr
        assert "Neu" in result.stdout
        lines = result.stdout.replace("\r", "\n").replace("\x85", "\n").replace("\u2028", "\n").split("\n")
        assert not any(line.lstrip().startswith("::") for line in lines), result.stdout
