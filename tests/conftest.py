"""Shared fixtures: the project root, data copies for broken-input tests, and one site build per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A project-shaped temp folder with a copy of data/ (editable by the test)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def run_mkdocs_build(config_dir: Path, site_dir: Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_dir / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True, text=True, env=env, cwd=config_dir,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once from the repository as it is, shared by every test that reads site/."""
    out = tmp_path_factory.mktemp("site")
    result = run_mkdocs_build(ROOT, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out
