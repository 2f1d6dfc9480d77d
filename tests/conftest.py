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


PROJECT_PARTS = ("docs", "data", "hooks", "overrides", "mkdocs.yml", "portal")
"""What a build reads: copied into a temp folder by tests that change data or templates."""


def copy_project(dest: Path) -> Path:
    """A buildable copy of the repository in ``dest`` (data, docs, hooks, overrides, mkdocs.yml)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, dest / name)
    return dest


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A buildable copy of the repository, free to change (see ``copy_project``)."""
    return copy_project(tmp_path / "project")


INVALID_CASES = Path(__file__).parent / "fixtures" / "invalid"


def apply_invalid_case(case: Path, project: Path) -> None:
    """Put a broken-data case (tests/fixtures/invalid/<case>/) over a project copy's data/."""
    for item in case.iterdir():
        if item.name == "remove.txt":
            for name in item.read_text().split():
                (project / "data" / name).unlink()
        elif item.suffix == ".yaml":
            shutil.copy(item, project / "data" / item.name)


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


# --- browser tests: Debian's Chromium driven by Playwright ----------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def site_url(site: Path):
    """The built site served over HTTP on a free loopback port."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium; skipped locally without one, but never in CI (REQUIRE_BROWSER=1)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser):
    """A fresh browser tab (phone-sized viewports can be set per test with page.set_viewport_size)."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()
