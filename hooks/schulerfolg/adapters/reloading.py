"""Fresh code for every rebuild under ``mkdocs serve``: the core's modules are re-imported once a file changed."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable


class Reloader:
    """Imports ``module`` (a dotted name inside ``package_dir``) and, when asked, imports it again with every
    module of its package once a ``.py`` file there changed, so that a rebuild runs the code as saved."""

    def __init__(self, module: str, package_dir: Path, before_reload: Callable[[ModuleType], None]) -> None:
        self.name = module
        self.package_dir = package_dir
        self.before_reload = before_reload
        self._stamps = self._snapshot()
        self._module = self._import()

    def module(self) -> ModuleType:
        return self._module

    def refresh(self) -> list[str]:
        """Re-import if the code changed; the changed files (empty: nothing to do)."""
        stamps = self._snapshot()
        changed = sorted(str(path.relative_to(self.package_dir.parent)) for path in stamps.keys() | self._stamps.keys()
                         if stamps.get(path) != self._stamps.get(path))
        if changed:
            self.before_reload(self._module)
            package = self.package_dir.name
            for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
                del sys.modules[name]
            importlib.invalidate_caches()
            self._module = self._import()
            self._stamps = stamps
        return changed

    def _import(self) -> ModuleType:
        root = str(self.package_dir.parent)
        if root not in sys.path:
            sys.path.insert(0, root)
        return importlib.import_module(self.name)

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in self.package_dir.rglob("*.py")}
