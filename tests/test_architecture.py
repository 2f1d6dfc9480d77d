"""The package's shape: folders that show the architecture, imports that point down only, and no
generator (MkDocs, Material, Zensical) known below the adapters."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hooks" / "schulerfolg"
LAYERS = ("adapters", "pipeline", "editors", "qa", "search", "handbook", "site", "data")
"""Top to bottom: a module may import from its own folder and from the folders below it."""
GENERATORS = ("mkdocs", "material", "zensical")


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.level:
                raise AssertionError(f"{path}: relative import (please import schulerfolg.<folder>.<module>)")
    return names


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in LAYERS else None


def test_every_module_lives_in_a_layer_folder_with_at_most_twelve_modules() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"]
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(LAYERS)
    for folder in LAYERS:
        modules = [p for p in (PACKAGE / folder).glob("*.py") if p.name != "__init__.py"]
        assert 0 < len(modules) <= 12, (folder, len(modules))


def test_every_module_says_in_one_line_what_it_is_for() -> None:
    for name, path in _modules().items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and doc.strip(), f"{name}: no docstring"


def test_imports_point_down_only() -> None:
    upward = []
    for name, path in _modules().items():
        here = _layer(name)
        if here is None:
            continue
        for target in _imports(path):
            there = _layer(target) if target.startswith("schulerfolg.") else None
            if there is not None and LAYERS.index(there) < LAYERS.index(here):
                upward.append(f"{name} → {target}")
    assert upward == []


def test_only_the_adapters_know_a_generator() -> None:
    knowing = []
    for name, path in _modules().items():
        if _layer(name) == "adapters":
            continue
        knowing += [f"{name} → {t}" for t in _imports(path) if t.split(".")[0] in GENERATORS]
    assert knowing == []
    text = (PACKAGE.parent / "main.py").read_text(encoding="utf-8")
    assert "schulerfolg.adapters.mkdocs_hooks" in text  # MkDocs' entry file hands every event to the adapter
