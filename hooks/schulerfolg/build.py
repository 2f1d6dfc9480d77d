"""One build: the data loaded once, and everything generated from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .assets import GeneratedFile, generated_files
from .districtmap import DistrictMap, load_district_map
from .load import check_project
from .pages import Page, render_pages
from .problems import DataError, Problem
from .project import Project


@dataclass
class Build:
    """State of one build, created fresh for each build (also under ``mkdocs serve``)."""

    root: Path
    project: Project
    warnings: list[Problem] = field(default_factory=list)
    district_map: DistrictMap | None = None

    @classmethod
    def load(cls, root: Path) -> "Build":
        """Load and validate ``root/data``; raises ``DataError`` listing every problem."""
        project, problems = check_project(root / "data", root)
        if project is None:
            raise DataError(problems)
        district_map, map_problems = load_district_map(root / "data", root, project)
        if district_map is None:
            raise DataError(map_problems)
        return cls(root, project, [p for p in problems if p.warning], district_map)

    def pages(self) -> list[Page]:
        return render_pages(self.project, self.district_map)

    def files(self) -> list[GeneratedFile]:
        """Non-page files: the finder index, the offices' vCards and the open-data downloads."""
        return generated_files(self.project)
