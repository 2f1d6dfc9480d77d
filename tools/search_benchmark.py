"""Bytes the site search costs a visitor: Pagefind (ours) beside Material's lunr search.

Builds the site twice into a temp folder (as it is, and once more with Material's search plugin
switched on), serves each on loopback and records in Chromium what a visitor downloads:

- a plain page view (Pagefind: nothing; Material fetches its index on every page),
- opening the search and running a first query (Pagefind: the chunks it needs).

Sizes are given raw (as on disk) and gzipped (each response compressed with gzip -6, as a static
host configured for gzip would serve it; Pagefind's index chunks are gzip inside already).
Needs the test requirements (Playwright) and Debian's chromium:

    python tools/search_benchmark.py [--query Kinderschutz]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build(site_dir: Path, with_lunr: bool) -> None:
    sys.path.insert(0, str(ROOT / "hooks"))
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    overrides = {"site_dir": str(site_dir)}
    if with_lunr:
        overrides["plugins"] = ["search"]
    mkdocs_build(load_config(str(ROOT / "mkdocs.yml"), **overrides))


@contextlib.contextmanager
def served(site_dir: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


class Recorder:
    """Sizes of the responses whose URL contains one of ``marks``."""

    def __init__(self, marks: tuple[str, ...]) -> None:
        self.marks = marks
        self.files: dict[str, bytes] = {}

    def __call__(self, response) -> None:
        if any(mark in response.url for mark in self.marks) and response.ok:
            self.files[response.url] = response.body()

    def totals(self) -> tuple[int, int, int]:
        raw = sum(len(body) for body in self.files.values())
        zipped = sum(len(gzip.compress(body, 6)) for body in self.files.values())
        return len(self.files), raw, zipped


def measure_pagefind(url: str, query: str, second: str, browser) -> tuple[Recorder, Recorder, Recorder]:
    page = browser.new_page()
    plain = Recorder(("/pagefind/",))
    page.on("response", plain)
    page.goto(url + "programm/")
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", plain)
    first = Recorder(("/pagefind/",))
    page.on("response", first)
    page.get_by_role("button", name="Suche").click()
    page.fill("#ss-search-input", query)
    page.wait_for_function(DONE, arg=query)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", first)
    then = Recorder(("/pagefind/",))
    page.on("response", then)
    page.fill("#ss-search-input", second)
    page.wait_for_function(DONE, arg=second)
    page.wait_for_load_state("networkidle")
    page.close()
    return plain, first, then


DONE = "q => document.getElementById('ss-search-status').dataset.state === 'done' && document.getElementById('ss-search-status').dataset.query === q"


def measure_lunr(url: str, browser) -> Recorder:
    page = browser.new_page()
    plain = Recorder(("search_index.json", "/workers/search.", "/lunr/"))
    page.on("response", plain)
    page.goto(url + "programm/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # Material's worker fetches the index right after load
    page.close()
    return plain


def row(label: str, recorder: Recorder) -> str:
    count, raw, zipped = recorder.totals()
    return f"{label:<58} {count:>5} {raw:>10,} {zipped:>10,}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", default="Kinderschutz")
    parser.add_argument("--then", default="Schulabbruch", help="a second query, after the first")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        ours, lunr = Path(tmp) / "pagefind-site", Path(tmp) / "lunr-site"
        build(ours, with_lunr=False)
        build(lunr, with_lunr=True)
        index = (lunr / "search" / "search_index.json").read_bytes()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            with served(ours) as url:
                plain, first, then = measure_pagefind(url, args.query, args.then, browser)
            with served(lunr) as url:
                material = measure_lunr(url, browser)
            browser.close()

    print(f"{'':<58} {'files':>5} {'raw bytes':>10} {'gzip -6':>10}")
    print(row("Pagefind: plain page view, requests under /pagefind/", plain))
    print(row(f"Pagefind: open search + first query „{args.query}“", first))
    print(row(f"Pagefind: then a second query „{args.then}“", then))
    print(f"{'Material lunr: search/search_index.json':<58} {1:>5} {len(index):>10,} {len(gzip.compress(index, 6)):>10,}")
    print(row("Material lunr: plain page view (index, worker, lunr.de)", material))
    print("First query, file by file:")
    for name, body in sorted(first.files.items()):
        print(f"    {name.split('/pagefind/')[-1]:<54} {len(body):>10,} {len(gzip.compress(body, 6)):>10,}")


if __name__ == "__main__":
    main()
