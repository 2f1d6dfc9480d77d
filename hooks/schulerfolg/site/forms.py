"""Fill-in templates ("Vorlagen"): one Markdown source per template, shown as a web page and written as DOCX.

The source of each template is ``docs/vorlagen/<name>.md`` (the page MkDocs renders). This module
renders the same Markdown with the site's extensions and turns the HTML into an editable Word file
with python-docx: headings, paragraphs, lists, tables (fields to fill in are empty table cells, with
the header row repeated on every page), the notice box as a highlighted paragraph. The DOCX is
tagged German, carries title and subject, and is reproducible (fixed dates in the document and in
the ZIP), so the same sources give the same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import xml.etree.ElementTree as etree
import zipfile
from dataclasses import dataclass
from pathlib import Path

import markdown
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

FORMS_DIR = "vorlagen"
"""The templates' folder inside docs/; its index.md is the overview, not a template."""
NOTICE = "Vorlage zum Anpassen, keine Rechtsberatung"
"""Every template carries this notice (a test checks the web page and the DOCX)."""
MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "tables", "toc")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class FormError(Exception):
    """A template whose Markdown cannot become a document, explained in German."""


@dataclass(frozen=True)
class Form:
    """One template: where its page and its DOCX live, and what it is called."""

    name: str
    title: str
    description: str
    src_uri: str  # vorlagen/<name>.md

    @property
    def docx_uri(self) -> str:
        return f"{FORMS_DIR}/{self.name}.docx"


@dataclass(frozen=True)
class BinaryFile:
    """A generated file with binary content, written into the site at ``uri``."""

    uri: str
    content: bytes


def form_paths(docs_dir: Path) -> list[Path]:
    return sorted(p for p in (docs_dir / FORMS_DIR).glob("*.md") if p.name != "index.md")


def read_forms(docs_dir: Path) -> list[Form]:
    """Every template with its title (the Markdown H1) and description (front matter)."""
    forms = []
    for path in form_paths(docs_dir):
        text = path.read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", text, re.M)
        if not title:
            raise FormError(f"docs/{FORMS_DIR}/{path.name}:1: Die Vorlage braucht eine Überschrift „# Titel“.")
        if NOTICE not in text:
            raise FormError(f"docs/{FORMS_DIR}/{path.name}:1: Der Hinweis „{NOTICE}“ fehlt.")
        description = re.search(r'^description:\s*"(.*)"\s*$', text, re.M)
        forms.append(Form(path.stem, title.group(1).strip(), description.group(1) if description else "",
                          f"{FORMS_DIR}/{path.name}"))
    return forms


def form_body_html(path: Path) -> str:
    """The template's Markdown as HTML (front matter removed), the same text as on the web page."""
    text = _FRONT_MATTER.sub("", path.read_text(encoding="utf-8"))
    return markdown.markdown(text, extensions=list(MARKDOWN_EXTENSIONS))


def make_docx(path: Path, title: str, stand: datetime.datetime, site_url: str = "") -> bytes:
    """The template at ``path`` as an editable DOCX (reproducible bytes)."""
    root = etree.fromstring(f"<body>{form_body_html(path)}</body>")
    doc = Document()
    _german(doc)
    props = doc.core_properties
    props.title, props.subject, props.language = title, NOTICE, "de-DE"
    props.author = props.last_modified_by = "Wissensportal Schulerfolg sichern"
    props.created = props.modified = stand.replace(tzinfo=None)
    props.revision = 1
    for el in root:
        _block(doc, el, site_url)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _normalize_zip(buffer.getvalue())


def form_files(docs_dir: Path, stand: datetime.datetime, site_url: str = "") -> list[BinaryFile]:
    """One DOCX per template, next to its page."""
    return [BinaryFile(f.docx_uri, make_docx(docs_dir / f.src_uri, f.title, stand, site_url))
            for f in read_forms(docs_dir)]


# --- HTML → DOCX ---------------------------------------------------------------------------------


def _german(doc: DocxDocument) -> None:
    """Language de-DE on the default run properties, so that screen readers and spelling use German."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    target = rpr_default.find(qn("w:rPrDefault")).find(qn("w:rPr")) if rpr_default is not None else None
    if target is None:
        return
    lang = target.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        target.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "de-DE")
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    if "Hinweis" not in [s.name for s in doc.styles]:
        notice = doc.styles.add_style("Hinweis", WD_STYLE_TYPE.PARAGRAPH)
        notice.base_style = normal
        notice.font.bold = True


def _text(el: etree.Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _runs(paragraph: Paragraph, el: etree.Element, site_url: str) -> None:
    """Inline content: bold for <strong>, link text with the address for external links."""
    if el.text:
        paragraph.add_run(_squash(el.text))
    for child in el:
        text = _squash("".join(child.itertext()))
        if child.tag in ("strong", "b"):
            paragraph.add_run(text).bold = True
        elif child.tag in ("em", "i"):
            paragraph.add_run(text).italic = True
        elif child.tag == "a":
            href = child.get("href", "")
            paragraph.add_run(text)
            if href.startswith(("http://", "https://")) and href != text:
                paragraph.add_run(f" ({href})")
            elif href and not href.startswith("#") and site_url:
                page = re.sub(r"(index)?\.md(#.*)?$", "", href.replace("../", ""))
                paragraph.add_run(f" ({site_url.rstrip('/')}/{page})")
        else:
            paragraph.add_run(text)
        if child.tail:
            paragraph.add_run(_squash(child.tail))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


WEB_ONLY = "ss-web-only"
"""Class (attr_list ``{ .ss-web-only }``) of a paragraph that belongs to the web page only, e.g. the DOCX link."""


def _block(doc: DocxDocument, el: etree.Element, site_url: str) -> None:
    tag = el.tag
    if WEB_ONLY in el.get("class", "").split():
        return
    if tag == "h1":
        doc.add_heading(_text(el), level=0)
    elif tag in ("h2", "h3", "h4"):
        doc.add_heading(_text(el), level=int(tag[1]) - 1)
    elif tag == "p":
        _runs(doc.add_paragraph(), el, site_url)
    elif tag in ("ul", "ol"):
        style = "List Bullet" if tag == "ul" else "List Number"
        for li in el.findall("li"):
            _runs(doc.add_paragraph(style=style), li, site_url)
    elif tag == "table":
        _table(doc, el)
    elif tag == "div" and "admonition" in el.get("class", ""):
        title = el.find("p[@class='admonition-title']")
        if title is not None:
            doc.add_paragraph(_text(title), style="Hinweis")
        for child in el:
            if child is not title:
                _block(doc, child, site_url)
    else:
        raise FormError(f"Vorlagen: Das Element <{tag}> kann nicht ins Word-Dokument übernommen werden. "
                        "Bitte nur Überschriften, Absätze, Listen, Tabellen und Hinweiskästen verwenden.")


def _table(doc: DocxDocument, el: etree.Element) -> None:
    rows = [tr for tr in el.iter("tr")]
    columns = max(len(list(tr)) for tr in rows)
    table = doc.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    for index, tr in enumerate(rows):
        cells = table.add_row().cells
        for cell, source in zip(cells, tr):
            cell.text = _text(source)
            if source.tag == "th":
                for run in cell.paragraphs[0].runs:
                    run.bold = True
        if index == 0 and rows[0].find("th") is not None:
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            tr_pr.append(header)
    for row in table.rows[1:]:
        row.height = Pt(28)  # room to write by hand in a printed copy
    doc.add_paragraph()


def _normalize_zip(data: bytes) -> bytes:
    """The same DOCX bytes for the same content: fixed entry times, stored in a fixed order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
