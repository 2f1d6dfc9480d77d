"""Build benchmark: time and peak memory of every build stage, for today's data and synthetic scale-ups.

    python benchmarks/run.py                          # today's data and 10x (3,550 schools)
    python benchmarks/run.py --scales 1,10,100        # also 100x (35,500 schools; takes many minutes)
    python benchmarks/run.py --scales 1 --repeat 3    # best of three for every timed stage

Each stage runs in its own process; the parent records its wall time, the peak RSS of its largest
process (os.wait4) and the peak of the whole process tree's proportional set size (PSS, sampled every
0.1 s: the build runs MkDocs, WeasyPrint and Pagefind side by side). Stages:

    load          read and validate data/*.yaml (work time inside the process)
    pages         generate every page and file from the model (work time, after loading)
    site          mkdocs build with PORTAL_SKIP=pdf,search: the site alone (process wall time)
    pagefind      Pagefind over that site (work time)
    pdf           the handbook, chapters → PDF, no cache (work time, imports included)
    full          mkdocs build with PORTAL_PDF_CACHE=off: site, index and PDF (process wall time)
    full_cached   mkdocs build again, PDF from the cache (the everyday case)
    bare_material reference: the same pages as Markdown files built by Material without hooks or
                  plugins, with a two-entry nav (process wall time)
    markdown_floor reference: python-markdown alone over the same Markdown files (process wall time)

Synthetic data (benchmarks/synthetic.py) is generated into a temporary folder, never committed.
Sizes (finder data, what a first search query fetches, page weight) are measured in Debian's Chromium
through tools/search_benchmark.py; `mkdocs serve` rebuild time through benchmarks/serve.py.
Results: Markdown tables on stdout, JSON in benchmarks/out/ (ignored by git).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.append(str(ROOT / "tools"))  # search_benchmark.py
import serve  # noqa: E402
from synthetic import make_project  # noqa: E402

PY = sys.executable
MKDOCS = [PY, "-m", "mkdocs", "build", "--quiet"]
ZENSICAL = [PY, "portal", "build", "--generator", "zensical"]
STAGE = [PY, str(BENCH / "stage.py")]
MIB = 1024 * 1024

LABELS = {
    "load": "load + validate",
    "pages": "page generation",
    "site": "MkDocs site (no search, no PDF)",
    "pagefind": "Pagefind index",
    "pdf": "PDF handbook, uncached",
    "full": "whole build, PDF uncached",
    "full_cached": "whole build, PDF cached",
    "zensical_site": "Zensical site (no search, no PDF)",
    "zensical_full_cached": "Zensical whole build, PDF cached",
    "bare_material": "ref: bare Material, short nav",
    "markdown_floor": "ref: python-markdown floor",
}
TARGETS = {"full_vs_bare": 2.0, "site_vs_floor": 3.0, "peak_mib_x1": 200, "finder_gzip": 25_000,
           "first_query_gzip": 200_000, "pdf_seconds": 10.0}


# --- measuring one process ------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_pss(pid: int) -> int:
    """Proportional set size of ``pid`` and all its descendants now: memory they share (libraries,
    copy-on-write pages) is divided among them instead of counted once per process."""
    tree, todo, total = _children(), [pid], 0
    while todo:
        current = todo.pop()
        todo += tree.get(current, [])
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, fresh: Path | None = None) -> dict[str, Any]:
    """Wall seconds, peak RSS of the largest process, peak PSS of the whole tree (MiB), and the child's JSON.

    ``fresh``: a folder removed before the run (untimed), so that every build starts without an old site
    to clean away, as on a fresh checkout.
    """
    if fresh is not None:
        shutil.rmtree(fresh, ignore_errors=True)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
        peak_tree = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_tree = max(peak_tree, tree_pss(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr[-3000:]}")
    result: dict[str, Any] = {"wall": round(seconds, 2), "peak_mib": round(usage.ru_maxrss / 1024, 1),
                              "tree_peak_mib": round(peak_tree / MIB, 1)}
    lines = stdout.strip().splitlines()
    if lines and lines[-1].startswith("{"):
        result.update(json.loads(lines[-1]))
    result["seconds"] = round(result.get("seconds", seconds), 2)
    return result


def best_of(repeat: int, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The fastest of ``repeat`` runs (the least disturbed by other work on the machine)."""
    return min((run() for _ in range(repeat)), key=lambda r: r["seconds"])


# --- the references -------------------------------------------------------------------------------


def bare_material_project(project: Path, work: Path) -> Path:
    """The same pages as plain Markdown files, for Material with no hooks, no plugins and a short nav."""
    bare = work / (project.name + "-bare")
    if bare.exists():
        shutil.rmtree(bare)
    shutil.copytree(project / "docs", bare / "docs")
    subprocess.run(STAGE + [str(project), "export", str(bare / "docs")], check=True, stdout=subprocess.DEVNULL)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    bare_config = {
        "site_name": "bare", "docs_dir": "docs", "plugins": [],
        "theme": {"name": "material", "language": "de", "font": False},
        "markdown_extensions": config["markdown_extensions"],
        "nav": [{"Start": "index.md"}, {"Schulen": "schulen/index.md"}],
        "validation": {"omitted_files": "ignore"},
    }
    (bare / "mkdocs.yml").write_text(yaml.safe_dump(bare_config, allow_unicode=True), encoding="utf-8")
    return bare


# --- sizes ----------------------------------------------------------------------------------------


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def wire(body: bytes) -> int:
    """Bytes on the wire from a static host that gzips text: already-compressed files go as they are."""
    return min(len(body), gz(body))


def browser_sizes(site: Path) -> dict[str, Any]:
    """Search bytes (tools/search_benchmark.py) and the weight of the start and finder pages, in Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "Playwright is not installed (pip install -r requirements-test.txt)"}
    import search_benchmark as sb

    if not Path(sb.CHROMIUM).exists():
        return {"skipped": f"no Chromium at {sb.CHROMIUM}"}
    out: dict[str, Any] = {}
    with sync_playwright() as playwright, sb.served(site) as url:
        browser = playwright.chromium.launch(executable_path=sb.CHROMIUM, args=sb.ARGS)
        plain, first, _ = sb.measure_pagefind(url, "Kinderschutz", "Schulabbruch", browser)
        count, raw, zipped = plain.totals()
        out["plain_view_search_requests"], out["plain_view_search_bytes"] = count, raw
        count, raw, zipped = first.totals()
        out["first_query_files"], out["first_query_raw"], out["first_query_gzip"] = count, raw, zipped
        for name, path in (("start_page", ""), ("finder_page", "kontakt-finden/")):
            out[name] = page_weight(browser, url + path)
        browser.close()
    return out


def page_weight(browser: Any, url: str) -> dict[str, Any]:
    """Every response a fresh page view loads (HTML, CSS, JS, data, images), on the wire."""
    import search_benchmark as sb

    page = browser.new_page()
    everything = sb.Recorder(("",))
    page.on("response", everything)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.close()
    host = url.split("/")[2]
    return {"files": len(everything.files), "raw": sum(len(b) for b in everything.files.values()),
            "wire": sum(wire(b) for b in everything.files.values()),
            "other_hosts": sorted({u.split("/")[2] for u in everything.files if u.split("/")[2] != host})}


def file_sizes(site: Path) -> dict[str, Any]:
    finder = (site / "assets" / "finder" / "index.json").read_bytes()
    pdf = next(site.glob("downloads/*.pdf"))
    return {"html_pages": sum(1 for _ in site.rglob("*.html")), "finder_raw": len(finder), "finder_gzip": gz(finder),
            "pdf_bytes": pdf.stat().st_size, "site_mib": round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / MIB, 1)}


# --- one scale ------------------------------------------------------------------------------------


def run_scale(scale: int, work: Path, repeat: int, browser: bool, with_serve: bool) -> dict[str, Any]:
    def log(message: str) -> None:
        print(f"  x{scale}: {message}", file=sys.stderr, flush=True)

    project = make_project(scale, work)
    result: dict[str, Any] = {"scale": scale, "stages": {}}
    stages = result["stages"]
    log("load, pages")
    stages["load"] = best_of(repeat, lambda: measure(STAGE + [str(project), "load"], project))
    stages["pages"] = best_of(repeat, lambda: measure(STAGE + [str(project), "pages"], project))
    result["schools"], result["pages"] = stages["load"]["schools"], stages["pages"]["pages"]
    site_only = work / f"site-only-x{scale}"
    log("site alone")
    stages["site"] = best_of(repeat, lambda: measure(MKDOCS + ["-d", str(site_only)], project, {"PORTAL_SKIP": "pdf,search"},
                                                      fresh=site_only))
    log("pagefind")
    stages["pagefind"] = best_of(repeat, lambda: measure(STAGE + [str(project), "pagefind", str(site_only)], project,
                                                          fresh=site_only / "pagefind"))
    log("pdf")
    stages["pdf"] = best_of(repeat, lambda: measure(STAGE + [str(project), "pdf"], project))
    full = work / f"site-x{scale}"
    log("whole build")
    stages["full"] = best_of(repeat, lambda: measure(MKDOCS + ["-d", str(full)], project, {"PORTAL_PDF_CACHE": "off"},
                                                      fresh=full))
    stages["full_cached"] = best_of(repeat, lambda: measure(MKDOCS + ["-d", str(full)], project, fresh=full))
    log("Zensical")
    zensical_site = work / f"site-zensical-x{scale}"
    stages["zensical_site"] = best_of(repeat, lambda: measure(ZENSICAL + ["--site-dir", str(zensical_site)], project,
                                                               {"PORTAL_SKIP": "pdf,search"}, fresh=zensical_site))
    stages["zensical_full_cached"] = best_of(repeat, lambda: measure(ZENSICAL + ["--site-dir", str(zensical_site)],
                                                                      project, fresh=zensical_site))
    log("references")
    bare = bare_material_project(project, work)
    stages["bare_material"] = best_of(repeat, lambda: measure(MKDOCS + ["-d", str(bare / "site")], bare, fresh=bare / "site"))
    stages["markdown_floor"] = best_of(repeat, lambda: measure(STAGE + [str(project), "markdown-floor", str(bare / "docs")], project))
    s = {name: stage["seconds"] for name, stage in stages.items()}
    result["ratios"] = {
        "full_vs_bare": round(s["full"] / s["bare_material"], 2),
        "full_cached_vs_bare": round(s["full_cached"] / s["bare_material"], 2),
        "site_vs_floor": round(s["site"] / s["markdown_floor"], 2),
        "overlap_saved": round(s["site"] + s["pagefind"] + s["pdf"] - s["full"], 2),
    }
    result["sizes"] = file_sizes(full)
    if browser:
        log("sizes in Chromium")
        result["sizes"].update(browser_sizes(full))
    if with_serve:
        log("mkdocs serve")
        result["serve"] = serve.rebuild_time(project)
        result["serve_without_search"] = serve.rebuild_time(project, {"PORTAL_SKIP": "search"})
        result["serve_zensical"] = serve.rebuild_time(project, generator="zensical")
    shutil.rmtree(site_only, ignore_errors=True)
    return result


# --- report ---------------------------------------------------------------------------------------


def _mark(value: float, target: float) -> str:
    return "✓" if value <= target else "✗"


def table(results: list[dict[str, Any]]) -> str:
    head = "| stage | " + " | ".join(f"x{r['scale']}: {r['schools']:,} schools, {r['pages']:,} pages" for r in results) + " |"
    rows = [head, "|---" * (len(results) + 1) + "|"]
    for name, label in LABELS.items():
        if not all(name in r["stages"] for r in results):
            continue  # a stage that results from an older version of this script do not have
        cells = [f"{r['stages'][name]['seconds']} s · {r['stages'][name]['peak_mib']:.0f} MiB" for r in results]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    tree = [f"{r['stages']['full']['tree_peak_mib']:.0f} MiB" for r in results]
    rows.append("| whole build, all processes together (peak PSS) | " + " | ".join(tree) + " |")
    ratio_rows = [("full_vs_bare", f"whole build / bare Material (target ≤ {TARGETS['full_vs_bare']:g})"),
                  ("full_cached_vs_bare", "whole build, PDF cached / bare Material"),
                  ("site_vs_floor", f"site / python-markdown floor (target ≤ {TARGETS['site_vs_floor']:g})")]
    for key, label in ratio_rows:
        target = TARGETS.get(key)
        cells = [f"{r['ratios'][key]}" + (f" {_mark(r['ratios'][key], target)}" if target else "") for r in results]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    rows.append("| saved by overlap (site + Pagefind + PDF − whole) | "
                + " | ".join(f"{r['ratios']['overlap_saved']} s" for r in results) + " |")
    return "\n".join(rows)


def growth(results: list[dict[str, Any]]) -> str:
    if len(results) < 2:
        return ""
    pairs = list(zip(results, results[1:]))
    head = "| stage | " + " | ".join(f"x{b['scale']} / x{a['scale']} (pages ×{b['pages'] / a['pages']:.1f})" for a, b in pairs) + " |"
    rows = [head, "|---" * (len(pairs) + 1) + "|"]
    for name, label in LABELS.items():
        if not all(name in r["stages"] for r in results):
            continue  # a stage that results from an older version of this script do not have
        cells = []
        for a, b in pairs:
            t = b["stages"][name]["seconds"] / max(a["stages"][name]["seconds"], 0.01)
            per_page = t / (b["pages"] / a["pages"])
            cells.append(f"×{t:.1f} time (×{per_page:.2f} per page) · ×{b['stages'][name]['peak_mib'] / a['stages'][name]['peak_mib']:.1f} memory")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def sizes(results: list[dict[str, Any]]) -> str:
    rows = ["| size | " + " | ".join(f"x{r['scale']}" for r in results) + " |", "|---" * (len(results) + 1) + "|"]

    def row(label: str, get: Callable[[dict[str, Any]], str]) -> None:
        cells = []
        for r in results:
            try:
                cells.append(get(r["sizes"]))
            except (KeyError, TypeError):
                cells.append("–")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    kb = lambda n: f"{n / 1000:,.1f} KB"  # noqa: E731
    row(f"finder data, gzip (target ≤ {TARGETS['finder_gzip'] // 1000} KB)",
        lambda s: f"{kb(s['finder_gzip'])} {_mark(s['finder_gzip'], TARGETS['finder_gzip'])} (raw {kb(s['finder_raw'])})")
    row("plain page view: requests for search data", lambda s: f"{s['plain_view_search_requests']} ({s['plain_view_search_bytes']} bytes)")
    row(f"first search query, gzip (target ≤ {TARGETS['first_query_gzip'] // 1000} KB)",
        lambda s: f"{kb(s['first_query_gzip'])} {_mark(s['first_query_gzip'], TARGETS['first_query_gzip'])} in {s['first_query_files']} files")
    for name, label in (("start_page", "start page"), ("finder_page", "finder page")):
        row(f"{label}: weight on the wire (all files, gzip)",
            lambda s, n=name: f"{kb(s[n]['wire'])} in {s[n]['files']} files (raw {kb(s[n]['raw'])}); other hosts: {len(s[n]['other_hosts'])}")
    row("PDF handbook", lambda s: f"{kb(s['pdf_bytes'])}")
    row("site on disk", lambda s: f"{s['site_mib']} MiB, {s['html_pages']:,} HTML files")
    return "\n".join(rows)


def serve_table(results: list[dict[str, Any]]) -> str:
    served = [r for r in results if "serve" in r]
    if not served:
        return ""
    rows = ["| `mkdocs serve`, one YAML value edited | " + " | ".join(f"x{r['scale']}" for r in served) + " |",
            "|---" * (len(served) + 1) + "|"]
    for key, label in (("serve", "with search index"), ("serve_without_search", "PORTAL_SKIP=search")):
        rows.append(f"| {label}: edit → page shows it | " + " | ".join(
            " / ".join(f"{w} s" for w in r[key]["edit_to_page_seconds"]) for r in served) + " |")
        rows.append(f"| {label}: rebuild MkDocs logs | " + " | ".join(
            " / ".join(f"{w} s" for w in r[key]["rebuild_seconds"]) or "–" for r in served) + " |")
    if all("serve_zensical" in r for r in served):
        rows.append("| `python portal serve --generator zensical`: edit → page shows it | " + " | ".join(
            " / ".join(f"{w} s" for w in r["serve_zensical"]["edit_to_page_seconds"]) for r in served) + " |")
    return "\n".join(rows)


def report(results: list[dict[str, Any]], conditions: str) -> str:
    parts = [f"Conditions: {conditions}", "", table(results), "", growth(results), "", sizes(results), "",
             serve_table(results)]
    pdf = [r["stages"]["pdf"]["seconds"] for r in results]
    parts.append(f"\nPDF alone: {', '.join(f'{p} s' for p in pdf)} (target ≤ {TARGETS['pdf_seconds']:g} s)")
    return "\n".join(p for p in parts if p is not None).replace("\n\n\n", "\n\n")


def conditions() -> str:
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores, load average before the run {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}, "
            f"Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10", help="comma-separated multiples of today's schools (default 1,10)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timed stage, the fastest counts (default 1)")
    parser.add_argument("--no-browser", action="store_true", help="skip the sizes measured in Chromium")
    parser.add_argument("--serve-scales", default="1", help="scales at which to time `mkdocs serve` ('' for none)")
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "results.json", help="where to write the JSON")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    serve_scales = {int(s) for s in args.serve_scales.split(",") if s}
    started = conditions()
    results = []
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        for scale in scales:
            print(f"… scale x{scale}", file=sys.stderr, flush=True)
            results.append(run_scale(scale, Path(tmp), args.repeat, not args.no_browser, scale in serve_scales))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"conditions": started, "results": results}, indent=2), encoding="utf-8")
    print(report(results, f"{started}; load average after: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
