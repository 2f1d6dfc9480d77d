"""Generated pages: model → {src_uri: Markdown}. Pure functions; the templates hold all HTML and text.

Data values only ever reach the output through Jinja's autoescape (HTML) or the ``md`` filter
(Markdown headings). Front matter is written by a YAML dumper (``front_matter``), never by string
formatting; the values that reach ``<head>`` are escaped for HTML once, for every page, by
``headmeta.escape_head_values`` (``Build.page_meta``, for every generator).
"""

from __future__ import annotations

import datetime
import functools
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from schulerfolg.site import files as assets

from schulerfolg.site import finder

from schulerfolg.site import urls
from schulerfolg.site.contactcard import json_for_script, office_jsonld
from schulerfolg.site.contactcard import tel_uri as tel_href
from schulerfolg.data.geometry import DistrictMap
from schulerfolg.site.forms import Form
from schulerfolg.site.sources import dump_front_matter
from schulerfolg.site.urls import slugify
from schulerfolg.data.model import EVALUATION_KINDS, SCHOOL_TYPES, District, Office, School
from schulerfolg.data.project import Project, school_sort_key, sort_key

TEMPLATES = Path(__file__).parent / "templates"

PLURALS = {
    "Grundschule": "Grundschulen",
    "Sekundarschule": "Sekundarschulen",
    "Gemeinschaftsschule": "Gemeinschaftsschulen",
    "Gesamtschule": "Gesamtschulen",
    "Gymnasium": "Gymnasien",
    "Förderschule": "Förderschulen",
    "Berufsbildende Schule": "Berufsbildende Schulen",
}
assert set(PLURALS) == set(SCHOOL_TYPES)


@dataclass(frozen=True)
class Page:
    """A generated Markdown page and where it goes in the docs tree."""

    src_uri: str
    content: str
    in_nav: bool = True  # False: reachable by links only (one page per office and school)


def render_pages(project: Project, district_map: DistrictMap | None = None) -> list[Page]:
    """Every generated page of the site. Without ``district_map`` the finder page has no map.
    (The correction link is in the footer of every page: overrides/main.html.)"""
    env = make_env()
    return [
        _offices_index(env, project),
        _coordination(env, project),
        *(_office(env, project, o) for o in project.offices),
        _schools_index(env, project),
        *_school_regions(env, project),
        *(_school(env, project, s) for s in project.schools),
        _finder(env, project, district_map),
        _data(env, project),
    ]


@functools.lru_cache(maxsize=1)
def make_env() -> Environment:
    """One environment per process: templates are compiled once, also across rebuilds under
    ``mkdocs serve`` (Jinja reloads a template whose file changed)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        front_matter=front_matter, md=md_escape, tel_href=tel_href, de_date=de_date,
        display_url=display_url, plural=PLURALS.__getitem__, slug=slugify, json_script=json_for_script,
    )
    return env


# --- filters ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")


def md_escape(value: Any) -> Markup:
    """Text for a Markdown context: Markdown syntax neutralised, then HTML-escaped."""
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", str(value))))


def front_matter(meta: dict[str, Any]) -> Markup:
    """A page's YAML front matter (``sources.dump_front_matter``). The values stay plain text here;
    ``headmeta.escape_head_values`` escapes those that reach ``<head>`` (title, description)."""
    return Markup(dump_front_matter(meta).removesuffix("\n"))


def de_date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def display_url(url: str) -> str:
    return re.sub(r"^https://(www\.)?", "", url).rstrip("/")


# --- views: public data plus links relative to the page that shows them ----------------------


def _office_view(project: Project, office: Office, here: str) -> dict[str, Any]:
    view = project.public(office)
    view["url"] = urls.relative(here, urls.office_src(office.id))
    view["district_name"] = project.district_by_key[office.district].name if office.district else ""
    view["page_label"] = ("Übersicht der Netzwerkstellen" if view.get("programme_page") == finder.PROGRAMME_OVERVIEW
                          else "Seite der Netzwerkstelle")
    return view


def _school_view(school: School, here: str) -> dict[str, Any]:
    view = school.public()
    view["url"] = urls.relative(here, urls.school_src(school.id))
    return view


def _district_view(district: District) -> dict[str, Any]:
    view = district.public()
    view["kind_label"] = "die kreisfreie Stadt" if district.kind == "Kreisfreie Stadt" else "den Landkreis"
    return view


def _by_type(schools: Iterable[School], here: str) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for s in sorted(schools, key=school_sort_key):
        groups.setdefault(s.school_type, []).append(_school_view(s, here))
    return list(groups.items())


def _common(here: str) -> dict[str, str]:
    return {
        "finder_url": urls.relative(here, urls.FINDER),
        "coordination_url": urls.relative(here, urls.COORDINATION),
        "overview_url": urls.relative(here, urls.OFFICES_INDEX),
        "directory_url": urls.relative(here, urls.SCHOOLS_INDEX),
    }


def _regions(project: Project) -> list[Office]:
    """Offices in the order of their district keys (cities first, then Landkreise)."""
    return sorted(project.offices, key=lambda o: o.district or "")


# --- pages -------------------------------------------------------------------------------------


def _render(env: Environment, template: str, here: str, in_nav: bool = True, **context: Any) -> Page:
    return Page(here, env.get_template(template).render(**_common(here), **context), in_nav)


def _offices_index(env: Environment, project: Project) -> Page:
    here = urls.OFFICES_INDEX
    views = [_office_view(project, o, here) for o in _regions(project)]
    kinds = {d.key: d.kind for d in project.districts}
    return _render(
        env, "offices.md.j2", here,
        cities=[v for v in views if kinds[v["district"]] == "Kreisfreie Stadt"],
        counties=[v for v in views if kinds[v["district"]] == "Landkreis"],
        coordination=project.coordination.public(),
    )


def _coordination(env: Environment, project: Project) -> Page:
    here = urls.COORDINATION
    office = project.coordination
    offices = sorted((_office_view(project, o, here) for o in project.offices), key=lambda v: v["district_name"])
    return _render(env, "coordination.md.j2", here, office=office.public(), offices=offices,
                   vcard_url=assets.vcard_link(project, office, here),
                   jsonld=office_jsonld(office, None, "Landesweite Koordinierungsstelle des Programms Schulerfolg sichern "
                                                      "in Sachsen-Anhalt"))


def _office(env: Environment, project: Project, office: Office) -> Page:
    here = urls.office_src(office.id)
    assert office.district is not None
    municipalities = [m.public() for m in project.municipalities_by_district.get(office.district, [])]
    district = project.district_by_key[office.district]
    district_view = _district_view(district)
    return _render(
        env, "office.md.j2", here, in_nav=False,
        office=_office_view(project, office, here),
        vcard_url=assets.vcard_link(project, office, here),
        jsonld=office_jsonld(office, district, f"Regionale Netzwerkstelle des Programms Schulerfolg sichern für "
                                               f"{district_view['kind_label']} {district.name}"),
        district=district_view,
        municipalities=municipalities,
        schools_by_type=_by_type(project.schools_by_office.get(office.id, []), here),
    )


def _school_groups(project: Project) -> list[tuple[Office, list[School]]]:
    """The offices that have schools, in the order of their district keys, with their schools."""
    groups = []
    for office in _regions(project):
        schools = project.schools_by_office.get(office.id, [])
        if schools:
            groups.append((office, schools))
    return groups


def _schools_index(env: Environment, project: Project) -> Page:
    """The directory's first page: the regions, each with its number of schools and a link to its page
    (all 355 schools on one page were 42,000 px on a phone)."""
    here = urls.SCHOOLS_INDEX
    regions = []
    for office, schools in _school_groups(project):
        district = project.district_by_key[office.district or ""]
        counts: dict[str, int] = {}
        for school in schools:
            counts[school.school_type] = counts.get(school.school_type, 0) + 1
        regions.append({
            "district": district.public(),
            "url": urls.relative(here, urls.school_region_src(district.name)),
            "count": len(schools),
            "types": [(t, counts[t]) for t in SCHOOL_TYPES if t in counts],
        })
    return _render(env, "schools.md.j2", here, regions=regions, total=len(project.schools),
                   has_demo=project.has_demo_schools)


def school_region_sources(project: Project) -> set[str]:
    """The src_uri of every district's directory page (districts with programme schools only)."""
    return {urls.school_region_src(project.district_by_key[o.district or ""].name) for o, _ in _school_groups(project)}


def _school_regions(env: Environment, project: Project) -> list[Page]:
    """One directory page per district: its network office and its schools by school type."""
    pages = []
    for office, schools in _school_groups(project):
        district = project.district_by_key[office.district or ""]
        here = urls.school_region_src(district.name)
        pages.append(_render(
            env, "schools_region.md.j2", here, in_nav=False,
            district=_district_view(district), anchor=slugify(district.name),
            office=_office_view(project, office, here), count=len(schools),
            by_type=_by_type(schools, here), has_demo=project.has_demo_schools,
        ))
    return pages


def _school(env: Environment, project: Project, school: School) -> Page:
    here = urls.school_src(school.id)
    office = project.office_for_school(school)
    municipality = project.municipality_for_school(school)
    return _render(
        env, "school.md.j2", here, in_nav=False,
        school=_school_view(school, here),
        office=_office_view(project, office, here),
        municipality=project.public(municipality),
        district=project.public(project.district_by_key[municipality.district]),
    )


START_FORM_MARKER = "<!-- kontakt-finden-formular -->"
"""Where a page from docs/ shows the contact search (docs/ itself may hold no forms: qa.docs)."""
NEWCOMERS_MARKER = "<!-- start:neu -->"
"""Where a page from docs/ shows the card for newcomers, once their page exists."""
NEWCOMERS_PAGE = "neu-in-der-schulsozialarbeit.md"
SEARCH_BODY_START = "data-pagefind-body>"
"""The end of the theme's tag that starts a page's searchable body (overrides/main.html, block content)."""


def complete_page(html: str, src_uri: str, pages: frozenset[str], search: Any = None) -> str:
    """A rendered page with what no generator's template makes: the contact search and the newcomers' card
    at their markers, and the search index's hidden facets and keywords (``search``: a ``PageSearchData``)
    at the top of the searchable body. Run on the finished HTML, so that every generator's site gets it;
    a page completed before comes back unchanged."""
    env = make_env()
    if START_FORM_MARKER in html:
        html = html.replace(START_FORM_MARKER, env.get_template("start_form.html.j2").render(**_common(src_uri)), 1)
    if NEWCOMERS_MARKER in html:
        card = ""
        if NEWCOMERS_PAGE in pages:
            card = env.get_template("start_newcomers.html.j2").render(page=urls.relative(src_uri, NEWCOMERS_PAGE))
        html = html.replace(NEWCOMERS_MARKER, card, 1)
    if search is not None and SEARCH_BODY_START in html and SEARCH_BODY_START + "\n<span hidden" not in html:
        marks = env.get_template("search_marks.html.j2").render(search=search)
        html = html.replace(SEARCH_BODY_START, SEARCH_BODY_START + "\n" + marks, 1)
    return html


def _map_view(project: Project, district_map: DistrictMap, here: str) -> dict[str, Any]:
    """The map's districts in A–Z order (the order keyboard users tab through them)."""
    districts: list[dict[str, Any]] = []
    for outline in district_map.outlines:
        district = project.district_by_key[outline.key]
        office = project.office_by_district[outline.key]
        districts.append({"key": outline.key, "name": district.name, "path": outline.path, "label": outline.label,
                          "lines": _label_lines(district.name), "url": urls.relative(here, urls.office_src(office.id)),
                          "city": district.kind == "Kreisfreie Stadt"})
    districts.sort(key=lambda d: sort_key(d["name"]))
    return {"width": district_map.width, "height": district_map.height, "districts": districts,
            "attribution": district_map.attribution}


def _label_lines(name: str) -> list[str]:
    """A map label on at most two lines: „Altmarkkreis Salzwedel“ → two, split at a space or after a hyphen."""
    if len(name) <= 12 or "(" in name:
        return [name.split(" (")[0]]
    for separator, keep in ((" ", ""), ("-", "-")):
        if separator in name:
            first, rest = name.split(separator, 1)
            return [first + keep, rest]
    return [name]


def _finder(env: Environment, project: Project, district_map: DistrictMap | None) -> Page:
    here = urls.FINDER
    groups = []
    for office in sorted(project.offices, key=lambda o: project.district_by_key[o.district or ""].name):
        municipalities = []
        for m in project.municipalities_by_district.get(office.district or "", []):
            view = m.public()
            view["localities"] = sorted({loc.name for loc in m.localities} - {m.name})
            municipalities.append(view)
        groups.append({
            "office": _office_view(project, office, here),
            "district": project.district_by_key[office.district or ""].public(),
            "municipalities": municipalities,
        })
    return _render(
        env, "finder.md.j2", here, groups=groups, postcode_groups=_postcode_groups(project, here),
        map=_map_view(project, district_map, here) if district_map else None,
        index_url=posixpath.relpath(finder.INDEX_URI, urls.page_url(here)),
        script_url=posixpath.relpath(finder.SCRIPT_URI, urls.page_url(here)),
        offices_base=urls.relative(here, urls.OFFICES_INDEX),
        schools_base=urls.relative(here, urls.SCHOOLS_INDEX),
    )


def _postcode_groups(project: Project, here: str) -> list[dict[str, Any]]:
    """Every postcode with its municipalities and office(s), grouped by its first three digits: without
    JavaScript a visitor reaches their postcode in two taps."""
    by_code: dict[str, dict[str, Any]] = {}
    for m in project.municipalities:
        office = project.office_by_district[m.district]
        for code in {*m.postcodes, *(loc.postcode for loc in m.localities)}:
            entry = by_code.setdefault(code, {"places": set(), "offices": {}})
            entry["places"].add(m.name)
            entry["offices"][office.id] = office
    groups: dict[str, list[dict[str, Any]]] = {}
    for code in sorted(by_code):
        entry = by_code[code]
        offices = sorted(entry["offices"].values(), key=lambda o: project.district_by_key[o.district or ""].name)
        groups.setdefault(code[:3], []).append({
            "code": code, "places": sorted(entry["places"], key=sort_key),
            "offices": [_office_view(project, o, here) for o in offices],
        })
    return [{"prefix": prefix, "codes": codes} for prefix, codes in groups.items()]


def _data(env: Environment, project: Project) -> Page:
    here = urls.DATA
    downloads = assets.download_views(project)
    for view in downloads:
        for file in view["files"]:
            file["url"] = posixpath.relpath(file["uri"], urls.page_url(here))
    return _render(env, "data.md.j2", here, in_nav=False, sources=[s.public() for s in project.sources],
                   school_count=len(project.schools), downloads=downloads)


PDF_SIZE_PENDING = "%%PDF-GROESSE%%"
PDF_PAGES_PENDING = "%%PDF-SEITEN%%"
"""Stand in for the PDF's size and page count while the PDF is still being made (see ``fill_publications``)."""


def render_publications(project: Project, stand: datetime.date, pdf: tuple[str, int | None, int | None] | None,
                        templates: Sequence[Form] = ()) -> Page:
    """The Publikationen page: the handbook (``pdf`` = its site path, size in bytes and pages, if built)
    first, then the programme's publications from data/publications.yaml.

    Size and pages ``None``: the PDF is still being made; the page gets placeholders that
    ``fill_publications`` replaces in the built HTML, so that no page waits for the PDF.
    """
    here = urls.PUBLICATIONS
    download = None
    if pdf is not None:
        path, size, pages = pdf
        download = {"url": urls.relative_file(here, path),
                    "size": PDF_SIZE_PENDING if size is None else de_size(size),
                    "pages": PDF_PAGES_PENDING if pages is None else pages}
    items = [p.public() for p in project.publications]
    groups = [
        ("Veröffentlichungen des Programms", [p for p in items if p["kind"] not in EVALUATION_KINDS]),
        ("Evaluationen", [p for p in items if p["kind"] in EVALUATION_KINDS]),
    ]
    return _render(make_env(), "publications.md.j2", here, handbook=project.handbook.public(), stand=stand,
                   download=download, online_url=urls.relative(here, urls.HANDBOOK_INDEX),
                   groups=[g for g in groups if g[1]],
                   templates=[{"title": f.title, "description": f.description, "page": urls.relative(here, f.src_uri),
                               "docx": urls.relative_file(here, f.docx_uri)} for f in templates])


def fill_publications(html: str, size: int, pages: int) -> str:
    """The built Publikationen page with the finished PDF's size and page count in place of the placeholders."""
    if PDF_SIZE_PENDING not in html or PDF_PAGES_PENDING not in html:
        raise ValueError(f"{urls.PUBLICATIONS}: Die Platzhalter für Größe und Seitenzahl des PDFs fehlen in der "
                         "gebauten Seite (templates/publications.md.j2).")
    return html.replace(PDF_SIZE_PENDING, de_size(size)).replace(PDF_PAGES_PENDING, str(pages))


def de_size(size: int) -> str:
    """File size as Germans write it: ``1,2 MB``, ``850 kB``."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1000))} kB"
