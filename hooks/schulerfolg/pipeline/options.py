"""Build switches: leave out the PDF or the search index, or make the PDF anew despite the cache.

Set in the environment of ``mkdocs build`` (the benchmark uses them; editors never need them)::

    PORTAL_SKIP=pdf,search mkdocs build   # the site alone: no PDF handbook, no Pagefind index
    PORTAL_PDF_CACHE=off mkdocs build     # make the PDF even if .cache/handbook/ has it

The adapters read them once per build (MkDocs: ``on_config``; the ``portal`` command line) and passes the result to
``Build.load``; nothing else looks at the environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

SKIP = "PORTAL_SKIP"
PDF_CACHE = "PORTAL_PDF_CACHE"
SKIPPABLE = ("pdf", "search")
_ON, _OFF = ("on", "1", "yes", "true"), ("off", "0", "no", "false")


@dataclass(frozen=True)
class BuildOptions:
    """What one build makes besides the site."""

    make_pdf: bool = True
    make_search_index: bool = True
    pdf_cache: bool = True

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], serve: bool = False) -> "BuildOptions":
        """The switches in ``environ``; ``serve`` (``mkdocs serve``) never makes the PDF.

        Raises ``ValueError`` with a German message for a value it does not know.
        """
        skip = {part.strip().lower() for part in environ.get(SKIP, "").split(",") if part.strip()}
        unknown = sorted(skip - set(SKIPPABLE))
        if unknown:
            raise ValueError(f"{SKIP}: Unbekannter Wert „{', '.join(unknown)}“. Erlaubt sind: {', '.join(SKIPPABLE)} "
                             f"(durch Kommas getrennt), z. B. {SKIP}=pdf,search.")
        cache = environ.get(PDF_CACHE, "on").strip().lower() or "on"
        if cache not in _ON + _OFF:
            raise ValueError(f"{PDF_CACHE}: Unbekannter Wert „{cache}“. Erlaubt sind: on, off.")
        return cls(make_pdf="pdf" not in skip and not serve, make_search_index="search" not in skip,
                   pdf_cache=cache in _ON)
