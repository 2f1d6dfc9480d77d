"""JSON as the site publishes it: data values can never become markup, wherever the JSON ends up."""

from __future__ import annotations

import json
from typing import Any

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def safe_json(data: Any, indent: int | None = None) -> str:
    """JSON with ``<``, ``>``, ``&`` and the JavaScript line separators as \\u escapes.

    The same value for any JSON parser, but safe inside ``<script>`` (no ``</script>`` can end it) and
    harmless if a file is ever served or sniffed as HTML.
    """
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return text
