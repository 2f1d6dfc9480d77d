"""Fuzzing the loader with what attackers and unlucky editors write (Hypothesis): anchors and aliases
(also recursive ones beside keys written twice), explicit tags, control, format and separator
characters, other encodings, and odd shapes (deep nesting, lists where mappings belong). Every example
ends in a project or in located German problems, within a time limit (a hang is a failure, not a wait).
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_fuzz_loader import BASE, FILES, assert_clean, load

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
TIME_LIMIT = 20  # seconds per example; loading takes well under one


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        raise AssertionError(f"loading took longer than {seconds} s (a hang?)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-fuzz")


def check(workdir: Path, texts: dict[str, str | bytes]) -> None:
    with time_limit(TIME_LIMIT):
        result = load(workdir, texts)
    assert_clean(result, texts)
    project, problems = result
    raw = "".join(t if isinstance(t, str) else t.decode("utf-8", "replace") for t in texts.values())
    if any(marker in raw for marker in ("&a", "*a", "&id0", "*id0")):
        assert project is None or not any(m in raw for m in ("*a", "*id0"))


HOSTILE = st.sampled_from([
    "&a ", "*a", "&a [*a]", "&a {x: *a}", "<<: *a", "!!python/object/apply:os.system ", "!!binary ", "!x ", "!!str ",
    "\x00", "\x01", "\x07", "\x1b[31m", "\r", "\x0b", "\x0c", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u2066",
    "\u200b", "\u200d", "\ufeff", "\u00ad", "\t", "\ud7ff", "\ue000", "\ufffe", "\\x3cimg\\x3e", '"\\e"', '"\\r"',
    '"\\u202e"', '"\\t"', "[" * 30, "{" * 30, "- " * 30, ": ", "? ", "%YAML 1.1\n---\n", "--- ", "...",
])


@st.composite
def hostile_text(draw) -> dict[str, str]:
    """A data file with hostile fragments inserted at random places, some lines written twice."""
    texts = dict(BASE)
    name = draw(st.sampled_from(FILES))
    lines = texts[name].split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if draw(st.booleans()):
            at = draw(st.integers(min_value=0, max_value=len(lines[i])))
            lines[i] = lines[i][:at] + draw(HOSTILE) + lines[i][at:]
        else:
            lines.insert(i, lines[i])  # a key or an entry written twice (beside an alias: the old hang)
    texts[name] = "\n".join(lines)
    return texts


@given(data=st.data())
@SETTINGS
def test_hostile_fragments_give_located_problems_in_time(workdir: Path, data) -> None:
    check(workdir, data.draw(hostile_text()))


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Mn"]), min_size=1, max_size=4))
SHAPES = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(st.text(min_size=1, max_size=6), children, max_size=4), max_leaves=25)


@st.composite
def shaped_data(draw) -> dict[str, str]:
    """schools.yaml with a record (or the whole list) replaced by an arbitrary shape; the same object
    used twice, so that the dumper writes an anchor and an alias; sometimes a deep nesting."""
    texts = dict(BASE)
    schools = yaml.safe_load(BASE["schools.yaml"])
    shape = draw(SHAPES)
    where = draw(st.sampled_from(["record", "field", "list", "alias", "deep"]))
    if where == "record":
        schools["schulen"][0] = shape
    elif where == "field":
        schools["schulen"][0][draw(st.sampled_from(list(schools["schulen"][0])))] = shape
    elif where == "list":
        schools["schulen"] = shape
    elif where == "alias":
        shared = [shape, {"name": "x"}]
        schools["schulen"][0]["ansprechperson"] = shared
        schools["schulen"][1]["ansprechperson"] = shared
    else:
        deep: Any = shape
        for _ in range(draw(st.integers(min_value=20, max_value=300))):
            deep = [deep]
        schools["schulen"][0]["name"] = deep
    texts["schools.yaml"] = yaml.dump(schools, allow_unicode=True, sort_keys=False)
    return texts


@given(data=st.data())
@SETTINGS
def test_odd_shapes_and_aliases_give_located_problems_in_time(workdir: Path, data) -> None:
    check(workdir, data.draw(shaped_data()))


ENCODINGS = ["utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "utf-8-sig", "cp437", "mac-roman"]


@given(name=st.sampled_from(FILES), encoding=st.sampled_from(ENCODINGS), cut=st.integers(min_value=0, max_value=4000))
@SETTINGS
def test_other_encodings_give_a_located_german_problem_in_time(workdir: Path, name: str, encoding: str, cut: int) -> None:
    text = BASE[name]
    raw = text[:cut].encode("utf-8") + text[cut:].encode(encoding, errors="replace")
    texts: dict[str, str | bytes] = {**BASE, name: raw}
    with time_limit(TIME_LIMIT):
        project, problems = load(workdir, texts)
    assert_clean((project, problems), texts)
    if raw != text.encode("utf-8") and encoding != "utf-8-sig":
        bad = [p for p in problems if p.file == f"data/{name}"]
        if not text[cut:].isascii() or encoding.startswith(("utf-16", "utf-32")):
            assert bad and bad[0].line >= 1 and ("UTF-8" in bad[0].message or "Zeichen" in bad[0].message), problems
