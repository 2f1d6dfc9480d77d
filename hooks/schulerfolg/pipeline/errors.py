"""The errors a build reports to the editor as German text (never as a traceback)."""

from __future__ import annotations

from schulerfolg.data.problems import DataError
from schulerfolg.handbook.book import HandbookError
from schulerfolg.handbook.pdf import PdfError
from schulerfolg.search.index import SearchIndexError

BUILD_ERRORS: tuple[type[Exception], ...] = (DataError, HandbookError, PdfError, SearchIndexError, ValueError)
