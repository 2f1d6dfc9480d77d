"""Post-processing of WeasyPrint's tagged PDF: a /Scope for every table header cell (PDF/UA-1 7.5).

WeasyPrint (70) tags ``<th>`` as /TH with an /ID and gives each /TD the /Headers it belongs to, but
writes no /Scope on the header cells. Checkers that look at the header cells themselves (the
``pdfua`` package, rule UA-15-003) then cannot tell what a header cell heads. ``add_table_scopes``
is a WeasyPrint *finisher*: called with the document and the pydyf PDF just before the file is
written, it adds ``/Scope /Column`` to header cells of the first row and ``/Scope /Row`` to header
cells further down (a header cell that starts a body row; the handbook's HTML marks them
``scope="row"``, see handbook._scope_headers).

Wiring (pdf.py): ``document.write_pdf(..., finisher=pdftags.add_table_scopes, **OPTIONS)``.
"""

from __future__ import annotations

import re
from typing import Any

_CELL_ID = re.compile(r"^\d+-(\d+)-(\d+)$")  # WeasyPrint's id of a header cell: <table>-<row>-<column>


def _name(value: Any) -> str:
    return str(value).lstrip("/")


def add_table_scopes(document: Any, pdf: Any) -> None:  # noqa: ARG001 (WeasyPrint's finisher signature)
    """Give every /TH structure element a /Scope attribute (idempotent)."""
    import pydyf  # WeasyPrint's PDF writer: only needed while a PDF is being written

    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or _name(obj.get("S", "")) != "TH":
            continue
        cell_id = obj.get("ID")
        match = _CELL_ID.match(_decode(cell_id)) if cell_id is not None else None
        row = int(match.group(1)) if match else 0
        scope = "/Column" if row == 0 else "/Row"
        attributes = obj.get("A")
        if isinstance(attributes, pydyf.Dictionary):
            attributes.setdefault("Scope", scope)
        else:
            obj["A"] = pydyf.Dictionary({"O": "/Table", "Scope": scope})


def _decode(value: Any) -> str:
    text = value.decode() if isinstance(value, bytes) else str(value)
    return text.strip("()")
