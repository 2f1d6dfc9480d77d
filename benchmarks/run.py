"""Build benchmark: time and peak memory of every stage, for today's data and synthetic scale-ups.

    python benchmarks/run.py                 # today's data and 10x (3,550 schools)
    python benchmarks/run.py --scales 1,10,100

Each stage runs in its own process; wall time and that process's peak RSS are recorded. Two references
run on the same pages: a bare Material build (no hooks, no search plugin, no PDF, short nav) and the
python-markdown floor (the same Markdown rendered without MkDocs). Synthetic data is generated here
and never committed. Results: a Markdown table on stdout and benchmarks/out/results.json.
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

import yaml

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MKDOCS = [PY, "-m", "mkdocs", "build", "--quiet"]


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
    return {"seconds": round(seconds, 2), "peak_mib": round(usage.ru_maxrss / 1024, 1)}


def make_project(scale: int, work: Path) -> Path:
    """A copy of the project; for scale > 1 with synthetic schools (copies of the demo schools)."""
    project = work / f"project-x{scale}"
    for name in ("docs", "data", "hooks", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    if scale > 1:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        data = yaml.load((ROOT / "data" / "schools.yaml").read_text(encoding="utf-8"), Loader=loader)
        schools = []
        for k in range(scale):
            for s in data["schulen"]:
                copy = dict(s, id=f"{s['id']}-{k}", name=f"{s['name']} {k}")
                copy.pop("intern", None)
                schools.append(copy)
        text = yaml.dump({"schulen": schools}, Dumper=dumper, allow_unicode=True, sort_keys=False)
        (project / "data" / "schools.yaml").write_text(text, encoding="utf-8")
    return project


def bare_material_project(project: Path, work: Path) -> Path:
    """The same pages as plain Markdown files, built by Material with no hooks, no plugins, short nav."""
    bare = work / (project.name + "-bare")
    shutil.copytree(project / "docs", bare / "docs")
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1] + '/hooks');"
        "from schulerfolg.load import load_project; from schulerfolg.pages import render_pages;"
        "p = Path(sys.argv[1]); out = Path(sys.argv[2]) / 'docs';"
        "[((out / pg.src_uri).parent.mkdir(parents=True, exist_ok=True), (out / pg.src_uri).write_text(pg.content))"
        " for pg in render_pages(load_project(p / 'data', p))]"
    )
    subprocess.run([PY, "-c", code, str(project), str(bare)], check=True)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    bare_config = {
        "site_name": "bare", "docs_dir": "docs", "plugins": [],
        "theme": {"name": "material", "language": "de", "font": False},
        "markdown_extensions": config["markdown_extensions"],
        "nav": [{"Start": "index.md"}, {"Schulen": "schulen/index.md"}],
    }
    (bare / "mkdocs.yml").write_text(yaml.safe_dump(bare_config, allow_unicode=True), encoding="utf-8")
    return bare


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9, mtime=0))


def sizes(site: Path) -> dict[str, int]:
    """Bytes users download: finder data, search data of a first query, page weight (gzip)."""
    out: dict[str, int] = {"html_pages": sum(1 for _ in site.rglob("*.html"))}
    finder = site / "assets" / "finder" / "index.json"
    if finder.exists():
        out["finder_index_gzip"] = gz(finder)
    pagefind = site / "pagefind"
    if pagefind.exists():
        entry = [pagefind / n for n in ("pagefind.js", "pagefind-entry.json") if (pagefind / n).exists()]
        wasm = sorted(pagefind.glob("wasm.de*.pagefind")) or sorted(pagefind.glob("wasm.*.pagefind"))
        index = sorted(pagefind.glob("index/*.pf_index"))
        meta = sorted(pagefind.glob("pagefind.*.pf_meta"))
        first = entry + wasm[:1] + meta[:1] + index[:1]
        out["first_query_raw"] = sum(p.stat().st_size for p in first)
        out["first_query_gzip_or_stored"] = sum(gz(p) if p.suffix in (".js", ".json") else p.stat().st_size for p in first)
    lunr = site / "search" / "search_index.json"
    if lunr.exists():
        out["lunr_index_gzip"] = gz(lunr)
    for name, rel in (("start_page", "index.html"), ("finder_page", "kontakt-finden/index.html")):
        html = site / rel
        if html.exists():
            out[f"{name}_html_gzip"] = gz(html)
    pdf = next(site.glob("downloads/*.pdf"), None)
    if pdf:
        out["pdf_bytes"] = pdf.stat().st_size
    return out


STAGES = {
    "load": lambda p: [PY, str(ROOT / "benchmarks" / "stage.py"), str(p), "load"],
    "pages": lambda p: [PY, str(ROOT / "benchmarks" / "stage.py"), str(p), "pages"],
    "markdown_floor": lambda p: [PY, str(ROOT / "benchmarks" / "stage.py"), str(p), "markdown-floor"],
}


def run_scale(scale: int, work: Path) -> dict:
    project = make_project(scale, work)
    result: dict = {"scale": scale, "schools": 355 * scale, "stages": {}}
    for name, cmd in STAGES.items():
        result["stages"][name] = measure(cmd(project), project)
    site_only = project / "site-only"
    result["stages"]["site_only"] = measure(MKDOCS + ["-d", str(site_only)], project, {"PORTAL_SKIP": "pdf,search"})
    full = project / "site"
    result["stages"]["full_build"] = measure(MKDOCS + ["-d", str(full)], project, {"PORTAL_PDF_CACHE": "off"})
    bare = bare_material_project(project, work)
    result["stages"]["bare_material"] = measure(MKDOCS + ["-d", str(bare / "site")], bare)
    result["sizes"] = sizes(full)
    s = result["stages"]
    result["ratios"] = {
        "full_vs_bare_material": round(s["full_build"]["seconds"] / s["bare_material"]["seconds"], 2),
        "site_vs_markdown_floor": round(s["site_only"]["seconds"] / s["markdown_floor"]["seconds"], 2),
    }
    return result


def table(results: list[dict]) -> str:
    names = list(results[0]["stages"])
    head = "| stage | " + " | ".join(f"x{r['scale']} ({r['schools']} schools) s / MiB" for r in results) + " |"
    rows = [head, "|---" * (len(results) + 1) + "|"]
    for n in names:
        cells = [f"{r['stages'][n]['seconds']} / {r['stages'][n]['peak_mib']}" for r in results]
        rows.append(f"| {n} | " + " | ".join(cells) + " |")
    for key in results[0]["ratios"]:
        rows.append(f"| ratio {key} | " + " | ".join(str(r["ratios"][key]) for r in results) + " |")
    if len(results) > 1:
        base = results[0]["stages"]
        for r in results[1:]:
            growth = {n: round(r["stages"][n]["seconds"] / max(base[n]["seconds"], 0.01), 1) for n in names}
            rows.append(f"\nGrowth x{r['scale']} vs x1 (time): " + ", ".join(f"{n} {g}x" for n, g in growth.items()))
    rows.append("\nSizes (bytes): " + "; ".join(f"x{r['scale']}: {json.dumps(r['sizes'])}" for r in results))
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10", help="comma-separated multiples of today's 355 schools")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        for scale in (int(s) for s in args.scales.split(",")):
            print(f"… scale x{scale}", file=sys.stderr)
            results.append(run_scale(scale, Path(tmp)))
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
