"""Property-based tests: whatever an editor does to the data files, the loader ends in a project or in
a clean list of located German problems, never in an exception.

Mutations: fields deleted, values replaced by numbers, booleans, lists, mappings, nothing, very long or
unusual Unicode text; YAML text corrupted (characters inserted or deleted, lines duplicated, swapped or
cut off, keys written twice); files not in UTF-8. Bounded so that CI stays fast.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from schulerfolg.data.load import DATA_FILES, check_project
from schulerfolg.data.problems import Problem

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FILES = tuple(DATA_FILES.values())
SCHOOLS_KEPT = 12  # a short schools.yaml keeps every example fast; the rules are the same

ENGLISH = ("Input should", "Field required", "validation error", "Extra inputs", "Traceback", "NoneType",
           "object has no", "Value error", "Assertion failed", "not a valid")


def _base() -> dict[str, str]:
    """The data files as text (schools.yaml shortened), each a valid starting point."""
    texts = {name: (ROOT / "data" / name).read_text(encoding="utf-8") for name in FILES}
    schools = yaml.safe_load(texts["schools.yaml"])
    schools["schulen"] = schools["schulen"][:SCHOOLS_KEPT]
    texts["schools.yaml"] = yaml.safe_dump(schools, allow_unicode=True, sort_keys=False)
    return texts


BASE = _base()  # module-level, not a fixture: Hypothesis would print it with every failing example
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
BASE_DATA = {name: yaml.load(text, Loader=_Loader) for name, text in BASE.items()}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def load(workdir: Path, texts: dict[str, str | bytes]) -> tuple[Any, list[Problem]]:
    data = workdir / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    for name, content in texts.items():
        if isinstance(content, bytes):
            (data / name).write_bytes(content)
        else:
            (data / name).write_text(content, encoding="utf-8")
    return check_project(data, workdir)


def assert_clean(result: tuple[Any, list[Problem]], texts: dict[str, str | bytes]) -> None:
    project, problems = result
    errors = [p for p in problems if not p.warning]
    assert (project is None) == bool(errors)
    for p in problems:
        assert isinstance(p, Problem)
        name = p.file.removeprefix("data/")
        assert name in texts, p
        content = texts[name]
        lines = (content.count("\n") if isinstance(content, str) else content.count(b"\n")) + 2
        assert 0 <= p.line <= lines, p
        assert p.message.strip(), p
        german = p.message.split("(Technische Meldung")[0]
        assert not any(word in german for word in ENGLISH), p
        assert str(p).startswith(p.file)


def test_the_unchanged_files_load(workdir: Path) -> None:
    project, problems = load(workdir, BASE)
    assert project is not None and not [p for p in problems if not p.warning]


# --- mutations of the parsed data -----------------------------------------------------------------

ODD_TEXT = st.one_of(
    st.text(min_size=0, max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.just("x" * 20000),
    st.sampled_from(["", " ", "\t", "ÄÖÜß€", "👩‍🏫", "\u202e", "\u00a0", "null", "~", "no", "01067", "2026-13-45",
                     "0345 1234567", "a@b", "https://", "-", ": x"]),
)
ODD_VALUE = st.one_of(
    st.integers(min_value=-10**20, max_value=10**20), st.booleans(), st.none(), st.floats(allow_nan=True),
    ODD_TEXT, st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.dates(),
)


def _containers(value: Any, path: tuple = ()) -> list[tuple]:
    """Paths to every mapping and list inside ``value``."""
    out = [path] if isinstance(value, (dict, list)) and value else []
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        out += _containers(child, (*path, key))
    return out


def _get(value: Any, path: tuple) -> Any:
    for key in path:
        value = value[key]
    return value


@st.composite
def mutated_data(draw) -> dict[str, str]:
    texts = dict(BASE)
    parsed: dict[str, Any] = {}
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        name = draw(st.sampled_from(FILES))
        data = parsed.setdefault(name, copy.deepcopy(BASE_DATA[name]))
        containers = _containers(data)
        if not containers:
            continue
        container = _get(data, draw(st.sampled_from(containers)))
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        key = draw(st.sampled_from(keys))
        action = draw(st.sampled_from(["delete", "replace", "replace", "rename", "add"]))
        if action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = draw(ODD_VALUE)
        elif action == "rename" and isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=12))] = container.pop(key)
        elif action == "add" and isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=12))] = draw(ODD_VALUE)
        else:
            container.append(draw(ODD_VALUE))
    for name, data in parsed.items():
        texts[name] = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    return texts


@given(data=st.data())
@SETTINGS
def test_mutated_data_gives_located_problems(workdir: Path, data) -> None:
    texts = data.draw(mutated_data())
    assert_clean(load(workdir, texts), texts)


# --- corruption of the YAML text ------------------------------------------------------------------

YAML_NOISE = st.sampled_from([":", ": ", "-", "- ", '"', "'", "\t", "  ", "{", "}", "[", "]", "&a ", "*a", "!!python/object ",
                              "!x ", "%", "@", "`", "#", "|", ">", "?", ",", "\n", "\r", "\x00", "\ufeff", "ä", "€", "\u2028"])


@st.composite
def corrupted_text(draw) -> dict[str, str]:
    texts = dict(BASE)
    name = draw(st.sampled_from(FILES))
    lines = texts[name].split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "truncate", "indent"]))
        line = lines[i]
        if action == "insert":
            at = draw(st.integers(min_value=0, max_value=len(line)))
            lines[i] = line[:at] + draw(st.one_of(YAML_NOISE, st.text(max_size=5))) + line[at:]
        elif action == "delete" and line:
            at = draw(st.integers(min_value=0, max_value=len(line) - 1))
            lines[i] = line[:at] + line[at + draw(st.integers(min_value=1, max_value=10)):]
        elif action == "duplicate":  # a key written twice, or a list item twice
            lines.insert(i, line)
        elif action == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif action == "truncate":
            lines = lines[: max(i, 1)]
        else:
            lines[i] = " " * draw(st.integers(min_value=0, max_value=7)) + line.lstrip()
    texts[name] = "\n".join(lines)
    return texts


@given(data=st.data())
@SETTINGS
def test_corrupted_yaml_gives_located_problems(workdir: Path, data) -> None:
    texts = data.draw(corrupted_text())
    assert_clean(load(workdir, texts), texts)


@given(name=st.sampled_from(FILES), garbage=st.binary(min_size=1, max_size=50), at=st.integers(min_value=0, max_value=5000))
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_files_that_are_not_utf8_give_a_problem(workdir: Path, name: str, garbage: bytes, at: int) -> None:
    raw = BASE[name].encode("utf-8")
    texts: dict[str, str | bytes] = dict(BASE)
    texts[name] = raw[:at] + b"\xff" + garbage + raw[at:]
    assert_clean(load(workdir, texts), texts)


def test_the_check_rejects_problems_that_are_unlocated_english_or_inconsistent() -> None:
    texts = {"schools.yaml": "schulen:\n- id: x\n"}
    bad_results = [
        (None, [Problem("data/schools.yaml", 99, "schulen[0]", "Bitte ergänzen.")]),  # line beyond the file
        (None, [Problem("data/schools.yaml", 2, "schulen[0].name", "Field required")]),  # English
        (None, [Problem("data/andere.yaml", 1, "", "Die Datei fehlt.")]),  # a file that was not read
        (None, []),  # no project, but no error either
    ]
    for result in bad_results:
        with pytest.raises(AssertionError):
            assert_clean(result, texts)
    assert_clean((None, [Problem("data/schools.yaml", 2, "schulen[0].name", "Pflichtfeld fehlt. Bitte ergänzen.")]), texts)
