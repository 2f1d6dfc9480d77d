"""Generated files that are not pages: the finder index, vCards and the open-data downloads."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from schulerfolg.site import contactcard

from schulerfolg.site import finder

from schulerfolg.site import opendata

from schulerfolg.site import urls
from schulerfolg.data.model import Office
from schulerfolg.data.project import Project

OWN_LICENCE = ("Vorgeschlagen: Creative Commons Namensnennung 4.0 International (CC BY 4.0), "
               "https://creativecommons.org/licenses/by/4.0/deed.de – noch von der Herausgeberin zu bestätigen")
OWN_ATTRIBUTION = "Schulerfolg sichern – Wissensportal; Angaben aus den je Datensatz genannten öffentlichen Quellen"
VCARD_NOTE = "Regionale Netzwerkstelle im Landesprogramm Schulerfolg sichern"
PLACE_DATASETS = ("gemeinden", "ortsteile")  # reference data: the sources' licences apply
COORDINATION_NOTE = "Landesweite Koordinierungsstelle des Landesprogramms Schulerfolg sichern"


@dataclass(frozen=True)
class GeneratedFile:
    """A file written into the site as it is, at ``uri`` relative to the site root."""

    uri: str
    content: str


def vcard_uri(project: Project, office: Office) -> str:
    """Next to the office's page: ``netzwerkstellen/<id>/<id>.vcf``."""
    page = urls.COORDINATION if office is project.coordination else urls.office_src(office.id)
    return urls.page_url(page) + contactcard.vcard_filename(office.id)


def vcard_link(project: Project, office: Office, here: str) -> str | None:
    """The vCard's address relative to the page ``here``; None when the office has no vCard."""
    if not contactcard.has_vcard(office):
        return None
    return posixpath.relpath(vcard_uri(project, office), urls.page_url(here) or ".")


def licence(project: Project, dataset: opendata.Dataset) -> tuple[str, list[str]]:
    """The licence text and attributions for a dataset: the sources' own for places, the proposed one for ours."""
    if dataset.id in PLACE_DATASETS:
        sources = list(project.sources)
        text = "; ".join(f"{s.name}: {s.licence}" for s in sources)
        return text, [s.notice for s in sources]
    return OWN_LICENCE, [OWN_ATTRIBUTION]


def download_views(project: Project) -> list[dict[str, Any]]:
    """What the „Daten und Quellen“ page says about each download."""
    views = []
    for dataset in opendata.datasets(project):
        text, notices = licence(project, dataset)
        views.append({
            "id": dataset.id, "title": dataset.title, "count": len(dataset.records), "date": dataset.date,
            "files": [{"format": fmt, "name": dataset.filename(fmt), "uri": dataset.uri(fmt)} for fmt in dataset.formats],
            "columns": [{"name": c.name, "description": c.description} for c in dataset.columns],
            "own": dataset.id not in PLACE_DATASETS, "licence": text, "notices": notices,
            "sources": [s.public() for s in project.sources] if dataset.id in PLACE_DATASETS else [],
        })
    return views


def generated_files(project: Project) -> list[GeneratedFile]:
    files = [GeneratedFile(finder.INDEX_URI, finder.index_json(project))]
    for office in project.offices:
        if not contactcard.has_vcard(office):
            continue
        district = project.district_by_key[office.district or ""]
        note = f"{VCARD_NOTE}, zuständig für {district.kind} {district.name}"
        files.append(GeneratedFile(vcard_uri(project, office), contactcard.vcard(office, note)))
    if contactcard.has_vcard(project.coordination):
        files.append(GeneratedFile(vcard_uri(project, project.coordination),
                                   contactcard.vcard(project.coordination, COORDINATION_NOTE)))
    for dataset in opendata.datasets(project):
        text, notices = licence(project, dataset)
        meta = opendata.metadata(dataset, text, notices)
        for fmt in dataset.formats:
            files.append(GeneratedFile(dataset.uri(fmt), opendata.render(dataset, fmt, meta)))
    return files
