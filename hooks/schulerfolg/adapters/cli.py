"""The build's command line: ``python portal build|serve [--generator mkdocs|zensical]`` (German messages)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from schulerfolg.adapters import zensical_build as zensical
from schulerfolg.editors.arguments import GermanArgumentParser
from schulerfolg.pipeline import finish as finishing
from schulerfolg.pipeline.config import SiteConfig
from schulerfolg.pipeline.errors import BUILD_ERRORS
from schulerfolg.pipeline.options import BuildOptions
from schulerfolg.pipeline.prepare import Build
from schulerfolg.pipeline.publish import StagedSite
from schulerfolg.site.targets import docs_outputs
from schulerfolg.site.urls import Feedback

GENERATORS = ("mkdocs", "zensical")
WORK_DIR = Path(".cache") / "zensical"
"""Where the Zensical build keeps its prepared tree and configuration (relative to the project; ignored by git)."""

USAGE = """Aufruf:  python portal build [--generator mkdocs|zensical] [--site-dir ORDNER]
         python portal serve [--generator mkdocs|zensical] [--dev-addr HOST:PORT]

  build   baut Website, Suchindex und PDF-Handbuch (wie „mkdocs build“) und legt die fertige
          Website erst am Ende an ihren Platz (Standard: der Ordner site/).
  serve   Vorschau im Browser, die sich bei jeder gespeicherten Änderung in data/ oder docs/
          neu baut (ohne PDF-Handbuch).

  --generator  mkdocs (Standard) oder zensical (der Nachfolger von Material for MkDocs)
"""

log = logging.getLogger("schulerfolg")


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    parser = GermanArgumentParser(prog="portal", usage_text=USAGE, add_help=True)
    parser.add_argument("command", choices=("build", "serve"))
    parser.add_argument("--generator", choices=GENERATORS, default="mkdocs")
    parser.add_argument("--site-dir", type=Path, default=None)
    parser.add_argument("--dev-addr", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    root = (root or Path.cwd()).resolve()
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s", stream=sys.stderr)
    if args.generator == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", args.command]
        command += ["-d", str(args.site_dir)] if args.site_dir and args.command == "build" else []
        command += ["-a", args.dev_addr] if args.command == "serve" else []
        return subprocess.call(command, cwd=root)
    config = SiteConfig.read(root)
    site_dir = (args.site_dir or root / config.site_dir).resolve()
    try:
        if args.command == "build":
            return build_with_zensical(config, site_dir)
        return serve_with_zensical(config, args.dev_addr)
    except BUILD_ERRORS + (zensical.ZensicalError,) as error:
        print(str(error), file=sys.stderr)
        return 1


def prepare(config: SiteConfig, serve: bool) -> Build:
    """Load, validate and check like the MkDocs hooks do (on_config, on_files); raises a German error."""
    options = BuildOptions.from_environment(os.environ, serve=serve)
    build = Build.load(config.root, config.site_url, make_pdf=options.make_pdf,
                       feedback=Feedback.from_config(config.repo_url, config.site_url),
                       make_search_index=options.make_search_index, pdf_cache=options.pdf_cache,
                       nav_titles=config.nav_titles)
    for problem in build.warnings:
        log.warning(str(problem))
    refusal = build.refusal(docs_outputs(config.root / config.docs_dir))
    if refusal:
        build.cancel()
        raise ValueError(refusal)
    return build


def build_with_zensical(config: SiteConfig, site_dir: Path) -> int:
    started = time.perf_counter()
    build = prepare(config, serve=False)
    work = config.root / WORK_DIR
    build.write_tree(work / "docs", zensical.source_relative_links)
    staged = StagedSite.begin(site_dir, log)
    try:
        output = zensical.render(zensical.write_config(config, work, work / "docs", work / "site"), config.strict)
        shutil.rmtree(staged.staging)
        shutil.move(work / "site", staged.staging)  # Zensical writes only below its configuration's folder
    except BaseException:
        build.cancel()
        staged.discard()
        raise
    for line in output.splitlines():
        if "warning" in line.lower():
            log.warning(f"Zensical: {line.strip()}")
    outcome = finishing.finish(build, staged.staging, log, staged, strict=config.strict)
    log.info("Mit Zensical gebaut in %.1f Sekunden.", time.perf_counter() - started)
    return 0 if outcome.published else 1


def serve_with_zensical(config: SiteConfig, address: str) -> int:
    """Zensical's preview over the prepared tree. A watcher prepares the tree again whenever a file in data/
    or docs/ changes (Zensical then rebuilds what changed), and completes the pages Zensical wrote (the
    finish step's page completion; no PDF, no search index), since Zensical serves them from disk."""
    work = config.root / WORK_DIR
    preview = work / "vorschau"
    current = prepare(config, serve=True)
    current.write_tree(work / "docs", zensical.source_relative_links)
    server = zensical.serve(zensical.write_config(config, work, work / "docs", preview), address)
    stop = threading.Event()

    def watch() -> None:
        nonlocal current
        sources, pages, completed = _stamps(config.root), _page_stamps(preview), _page_stamps(preview)
        while not stop.wait(0.3):
            now = _stamps(config.root)
            if now != sources:
                sources = now
                try:
                    current = prepare(config, serve=True)
                    current.write_tree(work / "docs", zensical.source_relative_links)
                    log.info("Vorschau: Änderung übernommen.")
                except BUILD_ERRORS as error:
                    log.error(str(error))
            written = _page_stamps(preview)
            if written != pages:  # Zensical is still writing: wait until the pages stand still
                pages = written
            elif written != completed and written:
                finishing.complete_pages(current, preview)
                pages = completed = _page_stamps(preview)

    threading.Thread(target=watch, name="watch", daemon=True).start()
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return 0
    finally:
        stop.set()


def _page_stamps(site: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in site.rglob("*.html")} if site.is_dir() else {}


def _stamps(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for folder in ("data", "docs") for p in (root / folder).rglob("*") if p.is_file()}
