"""Build integrity: the same sources give the same bytes on any day, and a failed build leaves the
previous site as it was (the build is written to a staging folder and only then put in place)."""

from __future__ import annotations

import gzip
import re
import logging
from pathlib import Path

from conftest import ROOT, run_mkdocs_build
from schulerfolg.handbook import book as handbook
from schulerfolg.pipeline.publish import StagedSite, normalize_gzip, normalize_tree



def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_on_different_days_give_identical_bytes(site: Path, tmp_path: Path) -> None:
    """MkDocs takes the build date from SOURCE_DATE_EPOCH, else the clock, and stamps it into the sitemap
    and its gzip header; the handbook takes its date from the last commit of its sources. The second build
    pretends to run on that commit's day (not today's), so any date from the clock would differ."""
    commit_day = str(int(handbook.stand(ROOT).timestamp()))
    again = tmp_path / "again"
    result = run_mkdocs_build(ROOT, again, {"SOURCE_DATE_EPOCH": commit_day})
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = files_of(site), files_of(again)
    assert "sitemap.xml.gz" in first
    exact = lambda files: {n: b for n, b in files.items() if not _ordered_by_pagefind(n)}  # noqa: E731
    assert sorted(exact(first)) == sorted(exact(second))
    assert [name for name in exact(first) if first[name] != second[name]] == []
    assert _pagefind_indexes(first) == _pagefind_indexes(second)


def _ordered_by_pagefind(name: str) -> bool:
    """Pagefind 1.5.2 writes its filter and metadata indexes in hash-map order, so their bytes and their
    content-hash names change between runs of the same input (a known Pagefind limitation; its fragments,
    the bulk of the index, are stable). These files are compared by content below, not byte for byte."""
    return name.startswith("pagefind/filter/") or (name.startswith("pagefind/pagefind.") and name.endswith(".pf_meta")) \
        or name == "pagefind/pagefind-entry.json"


def _pagefind_indexes(files: dict[str, bytes]) -> list[tuple[str, int, bytes]]:
    """Pagefind's unstable files, independent of order: kind, size and sorted bytes of the decompressed content
    (the entry file without its hash values; the metadata index, which names the filter files, by size)."""
    out = []
    for name, data in files.items():
        if not _ordered_by_pagefind(name):
            continue
        if name.endswith(".json"):
            content = re.sub(rb'"hash":\s*"[^"]*"', b'"hash":""', data)
        else:
            content = gzip.decompress(data)
        kind = name.rsplit("/", 1)[0] if "/filter/" in name else name.rsplit(".", 1)[-1]
        if kind == "pf_meta":  # names the filter files by their (changing) hashes: compare the size only
            content = bytes(len(content))
        out.append((kind, len(content), bytes(sorted(content)) if kind != "json" else content))
    return sorted(out)


def test_gzip_time_stamps_are_removed() -> None:
    content = b"<urlset>...</urlset>"
    stamped = [gzip.compress(content, mtime=t) for t in (1700000000, 1800000000)]
    assert stamped[0] != stamped[1]  # what MkDocs writes on two days
    assert normalize_gzip(stamped[0]) == normalize_gzip(stamped[1])
    assert gzip.decompress(normalize_gzip(stamped[0])) == content


def test_normalize_tree_rewrites_only_gzip_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.gz").write_bytes(gzip.compress(b"x", mtime=12345))
    (tmp_path / "b.html").write_text("<p>x</p>", encoding="utf-8")
    assert normalize_tree(tmp_path) == [tmp_path / "a" / "x.gz"]
    assert normalize_tree(tmp_path) == []


# --- staging and swapping ----------------------------------------------------------------------------


def test_a_staged_site_replaces_the_old_one_only_on_commit(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old", encoding="utf-8")
    staged = StagedSite.begin(target)
    (staged.staging / "new.html").write_text("new", encoding="utf-8")
    assert [p.name for p in target.iterdir()] == ["old.html"]
    assert staged.commit(strict=False)
    assert [p.name for p in target.iterdir()] == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_discarded_or_warned_build_leaves_the_old_site(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old", encoding="utf-8")
    staged = StagedSite.begin(target)
    staged.discard()
    logger = logging.getLogger("test.publish")
    warned = StagedSite.begin(target, logger)
    logger.warning("a broken link")
    assert not warned.commit(strict=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert [p.name for p in target.iterdir()] == ["old.html"]


def test_build_with_other_site_dir_replaces_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "other"
    out.mkdir()
    (out / "stale.html").write_text("from an older build", encoding="utf-8")
    out.chmod(0o755)
    result = run_mkdocs_build(ROOT, out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (out / "index.html").exists() and not (out / "stale.html").exists()
    assert oct(out.stat().st_mode & 0o777) == "0o755"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other"]  # no staging folder left behind


def _previous_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("old site", encoding="utf-8")
    return site


def test_a_warning_in_strict_mode_keeps_the_previous_site(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / "docs" / "programm.md").open("a", encoding="utf-8").write("\n[kaputt](gibt-es-nicht.md)\n")
    site = _previous_site(tmp_path)
    result = run_mkdocs_build(project_copy, site)
    assert result.returncode != 0
    assert "gibt-es-nicht.md" in result.stderr
    assert [p.name for p in site.iterdir()] == ["previous.html"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_a_template_error_keeps_the_previous_site(project_copy: Path, tmp_path: Path) -> None:
    main = project_copy / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{% block extrahead %}{{ 1 | gibt_es_nicht }}{% endblock %}\n",
                    encoding="utf-8")
    site = _previous_site(tmp_path)
    result = run_mkdocs_build(project_copy, site)
    assert result.returncode != 0
    assert [p.name for p in site.iterdir()] == ["previous.html"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_mkdocs_serve_still_serves_the_site(project_copy: Path) -> None:
    """`mkdocs serve` builds into its own temp folder: no staging, nothing written into the project."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}",
         "-f", str(project_copy / "mkdocs.yml")],
        cwd=project_copy, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        html = ""
        for _ in range(120):
            try:
                html = urllib.request.urlopen(f"http://127.0.0.1:{port}/kontakt-finden/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert "<title>Kontakt finden" in html
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    assert not [p.name for p in project_copy.iterdir() if p.name.startswith(".site") or p.name == "site"]
