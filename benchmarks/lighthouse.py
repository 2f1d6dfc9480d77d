"""Lighthouse, as visitors' tools measure: mobile scores of the start, finder, office, school and chapter pages.

    python benchmarks/lighthouse.py                       # builds the site into a temp folder first
    python benchmarks/lighthouse.py --site site --runs 3  # an existing build; median of three runs

Lighthouse 12.2.3 (newer releases need Node 22) is not in package.json: it is large and only this benchmark
uses it. Install it once outside the project, without touching package-lock.json:

    mkdir -p /tmp/lighthouse && cd /tmp/lighthouse && npm install --no-save lighthouse@12.2.3

and point this script at it with --lighthouse /tmp/lighthouse (or LIGHTHOUSE_DIR). Chromium: /usr/bin/chromium
(CHROMIUM_PATH), run headless without sandbox. The site is served on loopback with gzip, as a static host
serves it (Python's http.server alone sends uncompressed text, which no real host does). Lighthouse's default
mobile settings apply: Moto G Power viewport, simulated slow 4G and 4x CPU slowdown.

Results: a Markdown table on stdout (one row per page, the median score per category over the runs) and
every report's JSON in benchmarks/out/lighthouse/ (ignored by git). Not a test: scores vary with the machine.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".vcf", ".csv")


def pages() -> dict[str, str]:
    from schulerfolg.data.load import load_project

    first_school = load_project(ROOT / "data", ROOT).schools[0].id
    return {
        "start": "",
        "finder": "kontakt-finden/",
        "office": "netzwerkstellen/stendal/",
        "school": f"schulen/{first_school}/",
        "chapter": "qualitaetsstandards/05-schulabsentismus/",
    }


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped when the browser asks for it; long caching for assets, like a CDN."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not accepts_gzip or path.suffix not in COMPRESSED:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600" if path.suffix == ".html" else "max-age=31536000")
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build(out: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=ROOT, env=env, check=True)
    return out


def lighthouse(cli: Path, url: str, report: Path, chromium: str) -> dict[str, float]:
    subprocess.run(
        ["node", str(cli), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--chrome-path={chromium}", f"--chrome-flags={CHROME_FLAGS}", "--locale=de",
         f"--only-categories={','.join(CATEGORIES)}"],
        check=True, env={**os.environ, "CHROME_PATH": chromium},
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    failed = [audit["id"] for audit in data["audits"].values()
              if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")]
    scores["_failed"] = failed  # type: ignore[assignment]
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temp folder)")
    parser.add_argument("--lighthouse", type=Path, default=Path(os.environ.get("LIGHTHOUSE_DIR", "/tmp/lighthouse")),
                        help="folder where lighthouse@12.2.3 is installed (npm install --no-save)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the table shows the median")
    parser.add_argument("--only", help="comma-separated page names (start,finder,office,school,chapter)")
    args = parser.parse_args()
    cli = args.lighthouse / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        sys.exit(f"Lighthouse fehlt: {cli}. Installieren: mkdir -p {args.lighthouse} && cd {args.lighthouse} && "
                 "npm install --no-save lighthouse@12.2.3")
    version = json.loads((cli.parent.parent / "package.json").read_text())["version"]
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    out = ROOT / "benchmarks" / "out" / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        site = args.site.resolve() if args.site else build(Path(temp) / "site")
        server, base = serve(site)
        chosen = pages()
        if args.only:
            chosen = {name: path for name, path in chosen.items() if name in args.only.split(",")}
        rows = []
        for name, path in chosen.items():
            runs = [lighthouse(cli, base + path, out / f"{name}-{i}.json", chromium) for i in range(args.runs)]
            median = {c: statistics.median(r[c] for r in runs) for c in CATEGORIES}
            failed = sorted({a for r in runs for a in r["_failed"]})
            rows.append((name, path, median, failed))
            print(f"{name}: {median} {failed}", file=sys.stderr)
        server.shutdown()
    print(f"Lighthouse {version}, mobile (default throttling), median of {args.runs} run(s), served with gzip on loopback\n")
    print("| Page | Path | Performance | Accessibility | Best practices | SEO | Audits below 0.9 |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, path, median, failed in rows:
        cells = " | ".join(f"{median[c]:g}" for c in CATEGORIES)
        print(f"| {name} | /{path} | {cells} | {', '.join(failed) or '–'} |")


if __name__ == "__main__":
    main()
