"""The app's layers hold: no module imports a part above it, and no import cycle.

Each part declares its floor in its `__init__.py` (`LAYER`; for the modules at the top of
assistants/, `LAYERS` in assistants/__init__.py); a module imports only its own part and parts
on lower floors. The imports are read from the source (ast),
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
    """Every module an import statement of `path` names, inside functions too (and
    `module.name` for each name it takes from a module, which may be a submodule)."""
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
        elif _looked_up_by_name(node):
            # import_string("a.b.name") / import_module("a.b"): an import all the same.
            names.update({node.args[0].value, node.args[0].value.rpartition(".")[0]})
    return names


def _looked_up_by_name(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return name in {"import_string", "import_module"} and isinstance(node.args[0].value, str)


def declared(root: Path) -> dict[str, int]:
    """Each part's floor, read from the source: {part: floor}."""
    floors: dict[str, int] = {}
    for init in root.rglob("__init__.py"):
        for node in ast.parse(init.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign):
                continue
            names = {t.id for t in node.targets if isinstance(t, ast.Name)}
            if "LAYER" in names:
                floors[module_name(init, root)] = ast.literal_eval(node.value)
            elif "LAYERS" in names:  # the modules at this level, one by one
                floors.update(ast.literal_eval(node.value))
    return floors


def _within(name: str, part: str) -> bool:
    return name == part or name.startswith(part + ".")


def _part(name: str, floors: dict[str, int]) -> str | None:
    owners = [part for part in floors if _within(name, part)]
    return max(owners, key=len) if owners else None


def app_modules(root: Path) -> dict[str, set[str]]:
    return {
        module_name(path, root): imported(path, root)
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
    }


def imports_running_up(root: Path) -> list[tuple[str, str]]:
    """(module, what it imports) for every import of the app that does not run down: to its
    own part, or to a part on a lower floor."""
    floors = declared(root)
    app = root.name
    found = []
    for module, names in sorted(app_modules(root).items()):
        part = _part(module, floors)
        if part is None:
            continue  # the top floor: views, urls, middleware, tags, commands
        for name in sorted(names):
            if name == app or not _within(name, app) or _within(name, part):
                continue
            target = _part(name, floors)
            if target is None or floors[target] >= floors[part]:
                found.append((module, name))
    return found


def import_cycle(root: Path) -> list[str]:
    """A cycle of modules importing each other, or [] when there is none. An import inside a
    function counts, and so does a lookup by name (import_string): the two modules still need
    each other, one of them merely later."""
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


def test_every_part_declares_its_floor():
    floors = declared(APP)
    for part in ("cache", "editors", "faq_review", "history", "revox", "team"):
        assert f"assistants.{part}" in floors
    assert floors["assistants.revox"] == floors["assistants.team"] == 0


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
    diff = app_copy / "history" / "diff.py"  # a part on the same floor is not below either
    diff.write_text(diff.read_text() + "\nimport assistants.faq_review.selectors\n")
    assert imports_running_up(app_copy) == [
        ("assistants.cache.rows", "assistants.editors.groups"),
        ("assistants.cache.rows", "assistants.editors.groups.GROUPS"),
        ("assistants.fields", "assistants.views"),
        ("assistants.history.diff", "assistants.faq_review.selectors"),
    ]


def test_a_planted_cycle_is_caught(app_copy: Path):
    # Inside one part, so no layer is crossed: only the cycle gives it away.
    search = app_copy / "cache" / "search.py"
    search.write_text(search.read_text() + "\nfrom assistants.cache import rows\n")
    cycle = import_cycle(app_copy)
    assert "assistants.cache.rows" in cycle and "assistants.cache.search" in cycle


def test_a_cycle_through_a_function_or_a_lookup_by_name_is_caught(app_copy: Path):
    # The runner enqueues its task by name, the task module imports the runner: a cycle even
    # though neither import runs when the modules load.
    (app_copy / "jobs" / "tasks.py").write_text("from assistants.jobs.runner import job_run\n")
    runner = app_copy / "jobs" / "runner.py"
    runner.write_text(
        runner.read_text()
        + "\n\ndef later():\n    return import_string('assistants.jobs.tasks.run_job')\n"
    )
    assert set(import_cycle(app_copy)) == {"assistants.jobs.runner", "assistants.jobs.tasks"}
