"""HTML + CSS → tagged, reproducible PDF (PDF/UA-1) with WeasyPrint; its ERROR log records fail it.

WeasyPrint writes a PDF even when it logs accessibility errors (an image without alt text, a document
without a language) and exits normally. ``render_pdf`` listens to the "weasyprint" logger and raises
``PdfError`` with a German message instead.

``PdfJob`` runs ``render_pdf`` in a separate process (``python -m schulerfolg.pdf``): layout takes
seconds of pure Python, which a thread would not overlap with MkDocs' own work (the GIL). Finished
PDFs are kept in a cache folder, named by a hash of everything that goes into them.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

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
_HOOKS_DIR = Path(__file__).resolve().parent.parent


class PdfError(Exception):
    """The PDF could not be made; the message is German and says what to fix."""


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)


def render_pdf(html: str, base_url: str, stylesheets: Sequence[Path], identifier: str) -> Rendered:
    """Lay out ``html`` and write the PDF; any ERROR that WeasyPrint logs raises ``PdfError``."""
    from weasyprint import CSS, HTML  # imported here: slow, and only needed where PDFs are made

    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = HTML(string=html, base_url=base_url).render(
            stylesheets=[CSS(filename=str(s)) for s in stylesheets], **OPTIONS)
        pdf = document.write_pdf(pdf_identifier=identifier[:32].encode("ascii"), **OPTIONS)
    finally:
        logger.removeHandler(collector)
    errors = [r for r in collector.records if r.levelno >= logging.ERROR]
    if errors:
        raise PdfError(error_report(errors))
    warnings = [r.getMessage() for r in collector.records if r.levelno == logging.WARNING]
    return Rendered(pdf, len(document.pages), warnings)


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


@dataclass(frozen=True)
class PdfResult:
    path: Path
    size: int
    pages: int
    warnings: list[str]
    cached: bool


class PdfJob:
    """A PDF being made in a background process, or already in the cache."""

    def __init__(self, target: Path, process: subprocess.Popen[str] | None = None, source: Path | None = None) -> None:
        self.target = target
        self._process = process
        self._source = source  # the HTML handed to the process, deleted when it is done
        self._result: PdfResult | None = None

    @classmethod
    def start(cls, html: str, base_url: str, stylesheets: Sequence[Path], cache_dir: Path,
              use_cache: bool = True) -> "PdfJob":
        """Start making the PDF, unless the cache has it (``use_cache=False``: make it anyway)."""
        # The identifier goes into the PDF: it depends on the content only, not on where the checkout is.
        identifier = fingerprint(html, *(s.read_bytes() for s in stylesheets))[:32]
        key = fingerprint(identifier, base_url, importlib.metadata.version("weasyprint"),
                          json.dumps(OPTIONS, sort_keys=True), Path(__file__).read_bytes())
        target = cache_dir / f"{key}.pdf"
        if use_cache and target.exists() and target.with_suffix(".json").exists():
            return cls(target)
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache_dir, suffix=".html", delete=False) as source:
            source.write(html)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_HOOKS_DIR), os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-m", "schulerfolg.pdf", source.name, str(target), identifier, base_url,
                   *map(str, stylesheets)]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return cls(target, process, Path(source.name))

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
            meta = json.loads(self.target.with_suffix(".json").read_text(encoding="utf-8"))
            self._result = PdfResult(self.target, self.target.stat().st_size, meta["pages"], meta["warnings"], cached)
            _prune(self.target.parent, keep=self.target)
        return self._result

    def cancel(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._source is not None:
            self._source.unlink(missing_ok=True)


def _prune(cache_dir: Path, keep: Path) -> None:
    """Keep the newest few PDFs (other branches, other versions) and drop the rest."""
    pdfs = sorted(cache_dir.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in pdfs[KEEP_IN_CACHE:]:
        if old != keep:
            for suffix in (".pdf", ".json"):
                old.with_suffix(suffix).unlink(missing_ok=True)


def main(argv: Sequence[str]) -> int:
    """``python -m schulerfolg.pdf SOURCE.html TARGET.pdf IDENTIFIER BASE_URL STYLESHEET...`` (for ``PdfJob``)."""
    source, target, identifier, base_url, *stylesheets = argv
    out = Path(target)
    try:
        rendered = render_pdf(Path(source).read_text(encoding="utf-8"), base_url, [Path(s) for s in stylesheets],
                              identifier)
    except PdfError as error:
        print(error, file=sys.stderr)
        return 2
    _write_atomically(out.with_suffix(".json"), json.dumps({"pages": rendered.pages, "warnings": rendered.warnings}).encode())
    _write_atomically(out, rendered.pdf)
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
