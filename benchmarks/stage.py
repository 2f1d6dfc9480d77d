"""Run one benchmark stage in this (child) process; the parent measures wall time and peak memory.

    python benchmarks/stage.py PROJECT_DIR STAGE

Stages: load, pages, markdown-floor. Each prints nothing but errors; exit code 0 on success.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(project: Path, stage: str) -> int:
    sys.path.insert(0, str(project / "hooks"))
    from schulerfolg.load import load_project
    from schulerfolg.pages import render_pages

    data = load_project(project / "data", project)
    if stage == "load":
        return 0
    pages = render_pages(data)
    if stage == "pages":
        return 0
    if stage == "markdown-floor":
        import markdown

        extensions = ["admonition", "attr_list", "def_list", "md_in_html", "tables", "toc"]
        md = markdown.Markdown(extensions=extensions)
        sources = [p.content.split("---", 2)[-1] for p in pages]
        sources += [f.read_text(encoding="utf-8") for f in (project / "docs").rglob("*.md")]
        for text in sources:
            md.reset().convert(text)
        return 0
    raise SystemExit(f"unknown stage {stage}")


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
