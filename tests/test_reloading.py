"""Under ``mkdocs serve`` a rebuild runs the code as saved: changed modules of the core are imported again."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType

from schulerfolg.adapters.reloading import Reloader


def _write(path: Path, text: str, bump: int = 0) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime + bump
    os.utime(path, (stamp, stamp))


def test_a_saved_module_is_imported_again_before_the_next_build(tmp_path: Path) -> None:
    package = tmp_path / "reloadpkg"
    package.mkdir()
    _write(package / "__init__.py", "")
    _write(package / "rules.py", "LIMIT = 1\n")
    _write(package / "adapter.py", "from reloadpkg.rules import LIMIT\n\ndef limit():\n    return LIMIT\n")
    stopped: list[ModuleType] = []
    code = Reloader("reloadpkg.adapter", package, stopped.append)
    try:
        assert code.module().limit() == 1
        assert code.refresh() == [] and stopped == []  # nothing changed: nothing re-imported
        old = code.module()
        _write(package / "rules.py", "LIMIT = 2\n", bump=5)  # a module the adapter imports, not the adapter
        assert code.refresh() == ["reloadpkg/rules.py"]
        assert stopped == [old]  # the old adapter was asked to stop what it still ran
        assert code.module().limit() == 2
    finally:
        for name in [n for n in sys.modules if n.startswith("reloadpkg")]:
            del sys.modules[name]
