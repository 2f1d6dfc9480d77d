"""Run one benchmark stage in this (child) process; the parent measures wall time and peak memory.

    python benchmarks/stage.py PROJECT_DIR STAGE [ARG]

Stages (each prints one JSON line: the seconds of the stage's own work, without interpreter start
and without what it needs first, e.g. loading the data for "pages"):

- load            read and validate data/*.yaml (``check_project``)
- pages           generate every page and file from the model (after loading it)
- pagefind SITE   index a built site (one that was built with PORTAL_SKIP=search)
- pdf             the handbook: chapters → HTML → PDF with WeasyPrint, no cache (reads only
                  data/publications.yaml, as the PDF process of a build loads no schools)
- export DOCS     not timed: write the generated pages as Markdown files into DOCS (bare Material reference)
- markdown-floor  DOCS: python-markdown alone over the Markdown files of a docs folder (front matter
                  dropped, the site's extensions), each written as an HTML file; the time includes
                  interpreter start and imports, as a minimal generator would pay them
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def load(project: Path) -> object:
    from schulerfolg.data.load import check_project

    data, problems = check_project(project / "data", project)
    if data is None:
        raise SystemExit("\n".join(map(str, problems)))
    return data


def pages(project: Path) -> tuple[float, int, int]:
    from schulerfolg.pipeline.prepare import Build

    build = Build.load(project, make_pdf=False)
    start = time.perf_counter()
    generated = build.pages()
    files = build.files()
    return time.perf_counter() - start, len(generated), len(files)


def export(project: Path, docs: Path) -> int:
    """Write the generated pages as Markdown files into ``docs`` (for the bare Material reference)."""
    from schulerfolg.pipeline.prepare import Build

    generated = Build.load(project, make_pdf=False).pages()
    for page in generated:
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    return len(generated)


def pdf(project: Path) -> tuple[float, int]:
    from schulerfolg.handbook import book as handbook
    from schulerfolg.data.messages import validate
    from schulerfolg.data.model import PublicationsFile
    from schulerfolg.handbook.pdf import render_pdf
    from schulerfolg.data.yamlsource import YamlSource

    # Only the file the handbook is made from: the schools would add their memory to the PDF's, which
    # the PDF process of a build never loads.
    publications, _ = validate(YamlSource.read_in(project / "data" / "publications.yaml", project), PublicationsFile)
    start = time.perf_counter()
    book = handbook.make_book(project / "docs", publications.handbook, handbook.FALLBACK_TIME, "https://example.org/")
    rendered = render_pdf(book.html, book.base_url, [handbook.STYLESHEET], "0" * 32)
    return time.perf_counter() - start, rendered.pages


def markdown_floor(docs: Path, config: Path) -> int:
    """Every Markdown file under ``docs`` rendered with the extensions (and their options) of ``config``."""
    import markdown
    import yaml

    extensions, options = [], {}
    for item in yaml.safe_load(config.read_text(encoding="utf-8"))["markdown_extensions"]:
        name, settings = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        extensions.append(name)
        options[name] = settings or {}
    md = markdown.Markdown(extensions=extensions, extension_configs=options)
    count = 0
    with tempfile.TemporaryDirectory() as out:
        for path in sorted(docs.rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            if text.startswith("---\n"):
                text = text.split("\n---\n", 1)[-1]
            target = Path(out) / path.relative_to(docs).with_suffix(".html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(md.reset().convert(text), encoding="utf-8")
            count += 1
    return count


def main(project: Path, stage: str, arg: str | None) -> dict:
    sys.path.insert(0, str(project / "hooks"))
    if stage == "load":
        start = time.perf_counter()
        data = load(project)
        return {"seconds": time.perf_counter() - start, "schools": len(data.schools)}
    if stage == "pages":
        seconds, page_count, file_count = pages(project)
        written = sum(1 for _ in (project / "docs").rglob("*.md"))
        return {"seconds": seconds, "pages": page_count + written, "generated_pages": page_count, "files": file_count}
    if stage == "pagefind":
        from schulerfolg.search.index import build_index

        start = time.perf_counter()
        report = build_index(Path(arg or ""))
        return {"seconds": time.perf_counter() - start, "pages": report.pages}
    if stage == "pdf":
        seconds, page_count = pdf(project)
        return {"seconds": seconds, "pdf_pages": page_count}
    if stage == "export":
        return {"pages": export(project, Path(arg or ""))}
    if stage == "markdown-floor":
        return {"files": markdown_floor(Path(arg or project / "docs"), project / "mkdocs.yml")}
    raise SystemExit(f"unknown stage {stage}")


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)))
