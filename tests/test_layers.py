"""The app's layers hold: no module imports a part above it, and no import cycle.

What each part may import is declared in its `__init__.py` (`MAY_IMPORT`; for the modules at
the top of assistants/, in assistants/__init__.py). The imports are read from the source (ast),
wherever they sit (inside functions too), so nothing is imported to check them.
"""

from __future__ import annotations

import ast
import graphlib
import shutil
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "assistants"


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path) -> set[str]:
    """Every module an import statement of `path` names (and `module.name` for each name it
    takes from a module, which may be a submodule)."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def declared(root: Path) -> dict[str, tuple[str, ...]]:
    """Each part's MAY_IMPORT, read from the source: {part: the parts it may import}."""
    rules: dict[str, tuple[str, ...]] = {}
    for init in root.rglob("__init__.py"):
        for node in ast.parse(init.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "MAY_IMPORT" for t in node.targets
            ):
                value = ast.literal_eval(node.value)
                if isinstance(value, dict):  # the package's own modules, one by one
                    rules.update({name: tuple(allowed) for name, allowed in value.items()})
                else:
                    rules[module_name(init, root)] = tuple(value)
    return rules


def _within(name: str, part: str) -> bool:
    return name == part or name.startswith(part + ".")


def app_modules(root: Path) -> dict[str, set[str]]:
    return {
        module_name(path, root): imported(path, root)
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
    }


def imports_running_up(root: Path) -> list[tuple[str, str]]:
    """(module, what it imports) for every import of the app a module's part does not allow."""
    rules = declared(root)
    app = root.name
    found = []
    for module, names in sorted(app_modules(root).items()):
        owners = [part for part in rules if _within(module, part)]
        if not owners:
            continue  # the top floor: views, urls, middleware, tags, commands
        part = max(owners, key=len)
        allowed = (part, *rules[part])
        for name in sorted(names):
            if name == app or not _within(name, app):
                continue
            if not any(_within(name, a) for a in allowed):
                found.append((module, name))
    return found


def import_cycle(root: Path) -> list[str]:
    """A cycle of modules importing each other, or [] when there is none."""
    modules = app_modules(root)
    graph = {}
    for module, names in modules.items():
        targets = {n for n in names if n in modules and n != module}
        # "from package import submodule" depends on the submodule, not on the package's own
        # __init__ (which Python runs first for any submodule anyway).
        graph[module] = {t for t in targets if not any(o.startswith(t + ".") for o in targets)}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as err:
        return list(err.args[1])
    return []


def test_no_import_runs_up_the_layers():
    assert imports_running_up(APP) == []


def test_no_import_cycle_in_the_app():
    assert import_cycle(APP) == []


def test_every_part_declares_what_it_may_import():
    rules = declared(APP)
    for part in ("cache", "editors", "faq_review", "history", "revox", "team"):
        assert f"assistants.{part}" in rules
    assert rules["assistants.revox"] == () and rules["assistants.team"] == ()


@pytest.fixture
def app_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "assistants"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    return copy


def test_a_planted_import_running_up_is_caught(app_copy: Path):
    rows = app_copy / "cache" / "rows.py"
    rows.write_text(rows.read_text() + "\nfrom assistants.editors.groups import GROUPS\n")
    fields = app_copy / "fields.py"
    fields.write_text(fields.read_text() + "\n\ndef late():\n    from assistants import views\n")
    assert imports_running_up(app_copy) == [
        ("assistants.cache.rows", "assistants.editors.groups"),
        ("assistants.cache.rows", "assistants.editors.groups.GROUPS"),
        ("assistants.fields", "assistants.views"),
    ]


def test_a_planted_cycle_is_caught(app_copy: Path):
    # Inside one part, so no layer is crossed: only the cycle gives it away.
    search = app_copy / "cache" / "search.py"
    search.write_text(search.read_text() + "\nfrom assistants.cache import rows\n")
    cycle = import_cycle(app_copy)
    assert "assistants.cache.rows" in cycle and "assistants.cache.search" in cycle
