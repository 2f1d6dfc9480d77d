"""HTML + CSS → tagged, reproducible PDF (PDF/UA-1) with WeasyPrint; its ERROR log records fail it.

WeasyPrint writes a PDF even when it logs accessibility errors (an image without alt text, a document
without a language) and exits normally. ``render_pdf`` listens to the "weasyprint" logger and raises
``PdfError`` with a German message instead.

``PdfJob`` runs ``render_pdf`` in a separate process (``python -m schulerfolg.handbook.pdf``): layout takes
seconds of pure Python, which a thread would not overlap with MkDocs' own work (the GIL). Finished
PDFs are kept in a cache folder, named by a hash of everything that can change their bytes: the HTML,
the stylesheets and the font files they load, WeasyPrint's version and options, the libraries of its
font stack (Pango, HarfBuzz, HarfBuzz-Subset, fontconfig, FreeType) and the fonts fontconfig offers. A
result that carries warnings or notes is never cached, so no later build replays them.
"""

from __future__ import annotations

import ctypes
import importlib.metadata
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from schulerfolg.handbook.pdftags import add_table_scopes

OPTIONS = {
    "pdf_variant": "pdf/ua-1",  # tagged PDF with structure tree, /Lang, title shown in the window
    "pdf_tags": True,
    "uncompressed_pdf": False,
    "custom_metadata": False,  # only the standard fields (title, author, dates) from <head>
    "optimize_images": True,
}
"""WeasyPrint options. Dates come from <meta name="dcterms.created|modified"> and the file identifier
from the content hash, so that the same input gives the same bytes."""

KEEP_IN_CACHE = 6
STALE_AFTER = 3600
"""Seconds after which a half-written file in the cache (a killed build's) is removed."""
_HOOKS_DIR = Path(__file__).resolve().parents[2]
FONT_STACK = ("libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz.so.0", "libharfbuzz-subset.so.0",
              "libfontconfig.so.1", "libfreetype.so.6", "libcairo.so.2")
"""The shared libraries whose versions change how WeasyPrint lays out and embeds fonts (same names as it loads)."""
NO_HARFBUZZ_SUBSET = "Using fontTools instead of HarfBuzz-Subset"


class PdfError(Exception):
    """The PDF could not be made; the message is German and says what to fix."""


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """About the machine, not the content (HarfBuzz-Subset missing): logged, never fail a strict build."""


def render_pdf(html: str, base_url: str, stylesheets: Sequence[Path], identifier: str) -> Rendered:
    """Lay out ``html`` and write the PDF; any ERROR that WeasyPrint logs raises ``PdfError``."""
    from weasyprint import CSS, HTML  # imported here: slow, and only needed where PDFs are made
    from weasyprint.text.fonts import FontConfiguration

    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        fonts = FontConfiguration()  # the stylesheets' @font-face rules (the fonts in the repository)
        document = HTML(string=html, base_url=base_url).render(
            stylesheets=[CSS(filename=str(s), font_config=fonts) for s in stylesheets], font_config=fonts, **OPTIONS)
        pdf = document.write_pdf(pdf_identifier=identifier[:32].encode("ascii"), finisher=add_table_scopes, **OPTIONS)
    finally:
        logger.removeHandler(collector)
    errors = [r for r in collector.records if r.levelno >= logging.ERROR]
    if errors:
        raise PdfError(error_report(errors))
    warned = [r.getMessage() for r in collector.records if r.levelno == logging.WARNING]
    notes = [HARFBUZZ_NOTE] if any(NO_HARFBUZZ_SUBSET in w for w in warned) else []
    warnings = [w for w in warned if NO_HARFBUZZ_SUBSET not in w]
    return Rendered(pdf, len(document.pages), warnings, notes)


HARFBUZZ_NOTE = ("HarfBuzz-Subset fehlt (Debian-Paket libharfbuzz-subset0): Die Schriften wurden mit fontTools "
                 "eingebettet, das PDF ist gültig, aber nicht byte-gleich mit dem der anderen Rechner. "
                 "Abhilfe: bash tools/setup.sh")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def error_report(records: Sequence[logging.LogRecord]) -> str:
    """WeasyPrint's errors as one German message for editors."""
    lines = [german(r) for r in records]
    return ("Das PDF-Handbuch wurde nicht erzeugt: WeasyPrint hat Fehler gemeldet, mit denen das PDF nicht "
            "barrierefrei (PDF/UA) oder unvollständig wäre. Bitte korrigieren:\n"
            + "\n".join(f"  - {line}" for line in dict.fromkeys(lines)))


def german(record: logging.LogRecord) -> str:
    template, args = str(record.msg), record.args if isinstance(record.args, tuple) else ()
    if "has no required alt description" in template:
        source = str(args[0]) if args else "?"
        name = "eingebettetes Bild" if source.startswith("data:") else os.path.basename(source)
        return (f"Das Bild „{name}“ hat keinen Alternativtext. Bitte im Markdown beschreiben, was es zeigt: "
                f"![Beschreibung des Bildes]({name})")
    if 'Missing required "lang"' in template:
        return "Dem Dokument fehlt die Sprachangabe (<html lang=\"de\">)."
    if template.startswith("Failed to load"):
        return f"Eine Datei konnte nicht geladen werden (Pfad prüfen). Technische Meldung: {record.getMessage()}"
    return f"Technische Meldung von WeasyPrint: {record.getMessage()}"


def fingerprint(*parts: str | bytes) -> str:
    """A content hash of everything that goes into a PDF."""
    import hashlib

    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


# --- background job with cache -------------------------------------------------------------------


def font_files(stylesheets: Sequence[Path]) -> list[Path]:
    """The files that the stylesheets' ``@font-face`` rules load (relative to each stylesheet)."""
    found: list[Path] = []
    for sheet in stylesheets:
        for url in re.findall(r"""@font-face\s*\{[^}]*?src:\s*url\(\s*["']?([^"')]+)""", sheet.read_text(encoding="utf-8")):
            found.append((sheet.parent / url).resolve())
    return found


def font_stack() -> str:
    """Which font libraries this machine has (their resolved file names carry the versions), and which
    fonts fontconfig would offer as a fallback: everything outside the repository that can change a PDF."""
    libraries = []
    for name in FONT_STACK:
        try:
            ctypes.CDLL(name)
        except OSError:
            libraries.append(f"{name}: fehlt")
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
        loaded = {line.split()[-1] for line in maps if any(n.split(".so")[0] + ".so" in line for n in FONT_STACK)}
    libraries.extend(sorted(loaded))
    fonts = ""
    if shutil.which("fc-list"):
        listing = subprocess.run(["fc-list", "--format", "%{file}|%{family}|%{style}\n"], capture_output=True,
                                 text=True, timeout=30, check=False)
        fonts = "\n".join(sorted(listing.stdout.splitlines()))
    config = "|".join(f"{k}={os.environ.get(k, '')}" for k in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT"))
    return "\n".join([*libraries, config, fonts])


def cache_key(identifier: str, base_url: str, stylesheets: Sequence[Path]) -> str:
    """The name of a finished PDF in the cache: changes whenever anything that can change its bytes does."""
    return fingerprint(identifier, base_url, importlib.metadata.version("weasyprint"),
                       importlib.metadata.version("pydyf"), importlib.metadata.version("fonttools"),
                       json.dumps(OPTIONS, sort_keys=True), Path(__file__).read_bytes(),
                       *(f.read_bytes() for f in font_files(stylesheets)), font_stack())


@dataclass(frozen=True)
class PdfResult:
    path: Path
    size: int
    pages: int
    warnings: list[str]
    cached: bool
    notes: list[str] = field(default_factory=list)


class PdfJob:
    """A PDF being made in a background process, or already in the cache."""

    def __init__(self, target: Path, process: subprocess.Popen[str] | None = None, source: Path | None = None) -> None:
        self.target = target
        self._process = process
        self._source = source  # the HTML handed to the process, deleted when it is done
        self._part: Path | None = None  # where the process writes, before it becomes a cache entry
        self._result: PdfResult | None = None

    @classmethod
    def start(cls, html: str, base_url: str, stylesheets: Sequence[Path], cache_dir: Path,
              use_cache: bool = True) -> "PdfJob":
        """Start making the PDF, unless the cache has it (``use_cache=False``: make it anyway)."""
        # The identifier goes into the PDF: it depends on the content only, not on where the checkout is.
        identifier = fingerprint(html, *(s.read_bytes() for s in stylesheets),
                                 *(f.read_bytes() for f in font_files(stylesheets)))[:32]
        target = cache_dir / f"{cache_key(identifier, base_url, stylesheets)}.pdf"
        if use_cache and _clean_entry(target):
            return cls(target)
        cache_dir.mkdir(parents=True, exist_ok=True)
        _remove_stale(cache_dir)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache_dir, prefix=f"quelle.{os.getpid()}.",
                                         suffix=".html", delete=False) as source:
            source.write(html)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_HOOKS_DIR), os.environ.get("PYTHONPATH")]))}
        # The process writes beside the cache entry; only a result without warnings or notes becomes one.
        part = cache_dir / f"{target.stem}.{os.getpid()}.part.pdf"
        command = [sys.executable, "-m", "schulerfolg.handbook.pdf", source.name, str(part), identifier, base_url,
                   *map(str, stylesheets)]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        job = cls(target, process, Path(source.name))
        job._part = part
        return job

    def cached_result(self) -> PdfResult | None:
        """The result without waiting: known at once if the PDF came from the cache, else None."""
        return self.result() if self._process is None or self._result is not None else None

    def result(self) -> PdfResult:
        """Wait for the PDF; raises ``PdfError`` if it could not be made."""
        if self._result is None:
            cached = self._process is None
            if self._process is not None:
                _, err = self._process.communicate()
                if self._source is not None:
                    self._source.unlink(missing_ok=True)
                if self._process.returncode == 2:
                    raise PdfError(err.strip())
                if self._process.returncode != 0:
                    raise PdfError("Das PDF-Handbuch konnte nicht erzeugt werden (unerwarteter Fehler):\n"
                                   + err.strip()[-3000:])
            path = self.target
            if self._part is not None:
                meta = json.loads(self._part.with_suffix(".json").read_text(encoding="utf-8"))
                path = self._part
                if not meta["warnings"] and not meta.get("notes"):
                    os.replace(self._part, self.target)  # the PDF first: an entry counts once its .json exists
                    os.replace(self._part.with_suffix(".json"), self.target.with_suffix(".json"))
                    path = self.target
            else:
                meta = json.loads(self.target.with_suffix(".json").read_text(encoding="utf-8"))
            self._result = PdfResult(path, path.stat().st_size, meta["pages"], meta["warnings"], cached,
                                     meta.get("notes", []))
            _prune(self.target.parent, keep=self.target)
        return self._result

    def discard(self) -> None:
        """Remove an uncached result (one with warnings) once it has been copied into the site."""
        if self._part is not None:
            for suffix in (".pdf", ".json"):
                self._part.with_suffix(suffix).unlink(missing_ok=True)

    def cancel(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._source is not None:
            self._source.unlink(missing_ok=True)
        self.discard()


def _clean_entry(target: Path) -> bool:
    """Whether the cache holds a complete PDF for this key that carries no warnings (older versions of this
    module stored PDFs with warnings: such an entry is removed, never replayed)."""
    meta_path = target.with_suffix(".json")
    if not (target.exists() and meta_path.exists()):
        return False
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        clean = not meta["warnings"] and not meta.get("notes") and isinstance(meta["pages"], int)
    except (ValueError, KeyError, TypeError, OSError):
        clean = False
    if not clean:
        for path in (target, meta_path):
            path.unlink(missing_ok=True)
    return clean


def _remove_stale(cache_dir: Path) -> None:
    """Remove what a killed build left behind: its HTML, half-written and uncached results."""
    import time

    now = time.time()
    for leftover in [*cache_dir.glob("*.html"), *cache_dir.glob("*.part.*"), *cache_dir.glob("*.tmp")]:
        try:
            if now - leftover.stat().st_mtime > STALE_AFTER or not _process_alive(leftover.name):
                leftover.unlink(missing_ok=True)
        except OSError:
            pass


def _process_alive(name: str) -> bool:
    """For ``KEY.PID.part.pdf`` and ``NAME.PID.tmp``: whether that process still runs (unknown: assume it does)."""
    parts = name.split(".")
    pids = [p for p in parts[1:] if p.isdigit()]
    if not pids:
        return True
    try:
        os.kill(int(pids[0]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _prune(cache_dir: Path, keep: Path) -> None:
    """Keep the newest few PDFs (other branches, other versions) and drop the rest."""
    pdfs = sorted((p for p in cache_dir.glob("*.pdf") if ".part" not in p.name), key=lambda p: p.stat().st_mtime,
                  reverse=True)
    for old in pdfs[KEEP_IN_CACHE:]:
        if old != keep:
            for suffix in (".pdf", ".json"):
                old.with_suffix(suffix).unlink(missing_ok=True)


def main(argv: Sequence[str]) -> int:
    """``python -m schulerfolg.handbook.pdf SOURCE.html TARGET.pdf IDENTIFIER BASE_URL STYLESHEET...`` (for ``PdfJob``)."""
    source, target, identifier, base_url, *stylesheets = argv
    out = Path(target)
    try:
        rendered = render_pdf(Path(source).read_text(encoding="utf-8"), base_url, [Path(s) for s in stylesheets],
                              identifier)
    except PdfError as error:
        print(error, file=sys.stderr)
        return 2
    _write_atomically(out, rendered.pdf)
    _write_atomically(out.with_suffix(".json"), json.dumps(
        {"pages": rendered.pages, "warnings": rendered.warnings, "notes": rendered.notes}).encode())
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
