"""Values that reach a page's ``<head>``: escaped once for HTML, for every page (docs/ and generated).

Material prints ``page.meta.title``, ``description`` and ``author`` into ``<head>`` (and the title into
the header) without escaping. So every page's values are escaped here, before the page is rendered:
a ``"`` or ``<`` can then never end the attribute or the ``<title>``, and no markup reaches ``<head>``
ahead of the Content-Security-Policy. Pages from docs/ are refused before that if such a value holds
markup at all (``qa.docs``): an editor's mistake should be reported, not silently escaped.
"""

from __future__ import annotations

import html
import re
from typing import Any

HEAD_KEYS = ("title", "description", "author")
"""Front-matter keys whose values Material prints into ``<head>``."""

_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def escape_head_value(value: Any) -> str:
    """One line of text, HTML-escaped for an attribute or ``<title>`` (quotes included)."""
    return html.escape(_BREAKS.sub(" ", str(value)).strip(), quote=True)


def escape_head_values(meta: dict[str, Any]) -> dict[str, Any]:
    """``meta`` with the values of ``HEAD_KEYS`` escaped (a new dict; other keys unchanged)."""
    return {key: escape_head_value(value) if key in HEAD_KEYS and value is not None else value
            for key, value in meta.items()}
