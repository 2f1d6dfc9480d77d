"""One build: the data loaded once, and everything generated from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .load import check_project
from .pages import Page, render_pages
from .problems import DataError, Problem
from .project import Project
from .urls import Feedback


@dataclass
class Build:
    """State of one build, created fresh for each build (also under ``mkdocs serve``)."""

    root: Path
    project: Project
    warnings: list[Problem] = field(default_factory=list)
    feedback: Feedback | None = None  # where „Korrektur melden“ leads (from mkdocs.yml repo_url)

    @classmethod
    def load(cls, root: Path, feedback: Feedback | None = None) -> "Build":
        """Load and validate ``root/data``; raises ``DataError`` listing every problem."""
        project, problems = check_project(root / "data", root)
        if project is None:
            raise DataError(problems)
        return cls(root, project, [p for p in problems if p.warning], feedback)

    def pages(self) -> list[Page]:
        return render_pages(self.project, self.feedback)
