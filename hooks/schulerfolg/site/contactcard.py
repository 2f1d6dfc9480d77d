"""Machine-readable contact data for an office: a vCard 4.0 (RFC 6350) and schema.org JSON-LD.

Both are built from ``Office.public()`` only, so internal notes and unpublished names never appear.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from schulerfolg.site.jsontext import safe_json
from schulerfolg.data.model import District, Office

_TEL_DIGITS = re.compile(r"\D")


def tel_uri(phone: str) -> str:
    """``0345 1234-5`` → ``+4934512345`` (E.164, as ``tel:`` links and vCards want it)."""
    digits = _TEL_DIGITS.sub("", phone)
    return "+49" + digits[1:] if digits.startswith("0") else digits


# --- vCard ---------------------------------------------------------------------------------------


def has_vcard(office: Office) -> bool:
    """Only an office with a confirmed way to reach it gets a vCard: an empty card saves nothing.
    (Schools never get one: their contacts are demo data.)"""
    view = office.public()
    return bool(view["phone"] or view["email"] or view["street"] or view["postcode"])


def vcard_filename(office_id: str) -> str:
    return f"{office_id}.vcf"


_LINE_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _text(value: str) -> str:
    """A vCard TEXT value (RFC 6350, 3.4): backslash, comma and semicolon escaped, every kind of line break
    (CR LF, a lone CR or LF, U+2028, …) written as ``\\n``, other control characters dropped. A lone CR
    must never reach the file: many readers end a line there, and the rest would become a property."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return _CONTROL.sub("", _LINE_BREAK.sub("\\\\n", value))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after one space, never inside a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return out


def vcard(office: Office, note: str) -> str:
    """A vCard 4.0 for the office: UTF-8 text with CRLF line ends, public fields only."""
    view = office.public()
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:org", f"FN:{_text(view['name'])}", f"ORG:{_text(view['name'])}"]
    if view["street"] or view["postcode"] or view["town"]:
        parts = ["", "", view["street"] or "", view["town"] or "", "Sachsen-Anhalt", view["postcode"] or "", "Deutschland"]
        lines.append("ADR;TYPE=work:" + ";".join(_text(p) for p in parts))
    if view["phone"]:
        lines.append(f"TEL;VALUE=uri;TYPE=\"work,voice\":tel:{tel_uri(view['phone'])}")
    if view["email"]:
        lines.append(f"EMAIL;TYPE=work:{view['email']}")
    if view["website"]:
        lines.append(f"URL:{view['website']}")
    person = view["contact_person"]
    if person:
        lines.append(f"RELATED;TYPE=contact;VALUE=text:{_text(person['name'])}")
    lines.append(f"NOTE:{_text(note)}")
    lines.append("END:VCARD")
    return "".join(folded + "\r\n" for line in lines for folded in _fold(line))


# --- JSON-LD -------------------------------------------------------------------------------------


def office_jsonld(office: Office, district: District | None, description: str) -> dict[str, Any]:
    """schema.org Organization with its ContactPoint; areaServed is the district (or the Land)."""
    view = office.public()
    area: dict[str, Any] = (
        {"@type": "AdministrativeArea", "name": district.name, "identifier": district.key}
        if district else {"@type": "State", "name": "Sachsen-Anhalt"}
    )
    contact: dict[str, Any] = {"@type": "ContactPoint", "contactType": "Beratung", "availableLanguage": "de",
                               "areaServed": area}
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization", "name": view["name"],
                            "description": description, "areaServed": area}
    if view["provider"]:
        data["parentOrganization"] = {"@type": "Organization", "name": view["provider"]}
    if view["website"]:
        data["url"] = view["website"]
    if view["street"] or view["postcode"]:
        data["address"] = {"@type": "PostalAddress", "streetAddress": view["street"], "postalCode": view["postcode"],
                           "addressLocality": view["town"], "addressRegion": "Sachsen-Anhalt", "addressCountry": "DE"}
        data["address"] = {k: v for k, v in data["address"].items() if v}
    if view["phone"]:
        contact["telephone"] = tel_uri(view["phone"])
        data["telephone"] = contact["telephone"]
    if view["email"]:
        contact["email"] = view["email"]
        data["email"] = view["email"]
    if view["opening_hours"]:
        contact["description"] = f"Sprechzeiten: {view['opening_hours']}"
    data["contactPoint"] = contact
    return data


def json_for_script(data: Any) -> Markup:
    """JSON that is safe inside ``<script>``: ``<``, ``>`` and ``&`` as \\u escapes, so no ``</script>`` can end it."""
    return Markup(safe_json(data))
