"""Benchmark of the contact finder: index size (raw and gzip) and lookup time in the browser.

    python tools/bench_finder.py [site-dir]

Builds the site into a temporary folder unless a built site is given, serves it on loopback, opens
the finder page in Debian's Chromium and times 1000 lookups per query kind with performance.now().
Reports numbers only; the tests make no timing assertions.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from search_benchmark import ARGS, CHROMIUM, served  # same folder: the same server and browser setup

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {
    "PLZ": ["39576", "06120", "06366", "10115"],
    "Ort": ["Köthen", "Rosslau", "Lutherstadt Wittenberg", "Lieskau"],
    "Tippfehler": ["Wittenbreg", "Stendl", "Magdebrug", "Koetn"],
    "Schule": ["Zur Lerche", "Sekundarschule Dessau", "Am Lindenhof Köthen", "Gymnasium"],
    "Tippen (je Buchstabe)": ["K", "Kö", "Köt", "Köth", "Köthe", "Köthen"],
}
RUNS = 1000


def build(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)], cwd=ROOT, check=True)


def measure(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(url + "kontakt-finden/")
        page.wait_for_function("window.SchulerfolgFinder !== undefined")
        page.evaluate("window.SchulerfolgFinder.ready")
        load_ms = page.evaluate("""() => {
            const e = performance.getEntriesByType('resource').find(r => r.name.endsWith('index.json'));
            return e ? e.duration : null; }""")
        times = page.evaluate("""([queries, runs]) => {
            const out = {};
            for (const [kind, list] of Object.entries(queries)) {
                const t0 = performance.now();
                for (let i = 0; i < runs; i++) window.SchulerfolgFinder.search(list[i % list.length]);
                out[kind] = (performance.now() - t0) / runs;
            }
            return out; }""", [QUERIES, RUNS])
        typing = page.evaluate("""(runs) => {
            // A keystroke end to end: the input event, lookup, results built from templates, layout.
            const box = document.querySelector('#ss-finder-input');
            const word = 'Köthen';
            const t0 = performance.now();
            for (let i = 0; i < runs; i++) {
                box.value = word.slice(0, 1 + (i % word.length));
                box.dispatchEvent(new Event('input'));
                document.body.offsetHeight;
            }
            return (performance.now() - t0) / runs; }""", RUNS // 5)
        browser.close()
    return {"load_ms": load_ms, "per_query_ms": times, "keystroke_with_rendering_ms": typing}


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(argv[1]) if len(argv) > 1 else Path(tmp) / "site"
        if len(argv) <= 1:
            build(site)
        raw = (site / "assets" / "finder" / "index.json").read_bytes()
        result = {"index_bytes": len(raw), "index_gzip_bytes": len(gzip.compress(raw, 9)), **measure(site)}
    print(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"Index: {result['index_bytes'] / 1024:.1f} KB, gzip {result['index_gzip_bytes'] / 1024:.1f} KB (Budget 25 KB)")
    for kind, ms in result["per_query_ms"].items():
        print(f"{kind:>22}: {ms:.3f} ms je Suche ({RUNS} Suchen)")
    print(f"Tastendruck mit Anzeige und Layout: {result['keystroke_with_rendering_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
