"""The floors of docs/architecture.md, read from the imports of every module.

Every import counts: at the top, inside functions and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "tplsync"

# Bottom to top; a module imports only from its own floor or the ones below.
# A module in none of these sets is in the core floor.
BASE = frozenset(
    {
        "tplsync",
        "tplsync.adapters.base",
        "tplsync.changes",
        "tplsync.detached",
        "tplsync.errors",
        "tplsync.redact",
        "tplsync.safetext",
        "tplsync.model",
        "tplsync.placeholders",
        "tplsync.pricing",
        "tplsync.resources",
        "tplsync.segments",
        "tplsync.variables",
        "tplsync.words",
    }
)
EDGES = ("tplsync.http", "tplsync.adapters", "tplsync.account", "tplsync.sandbox")
OUTPUT = frozenset({"tplsync.console", "tplsync.output", "tplsync.planoutput"})
COMMANDS = ("tplsync.commands",)
CLI = frozenset({"tplsync.cli", "tplsync.clibase", "tplsync.__main__"})
FLOORS = ("base", "core", "edges", "output", "commands", "cli")

# Wire fields of the seed template API: only its adapter and its sandbox routes know them.
WIRE_FIELDS = (
    "template_name",
    "template_content",
    "template_type",
    "sign_id",
    "sign_pos",
    "approval_status",
    "approval_message",
    "template_ids",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def in_package(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def floor(name: str) -> str:
    if name in BASE:
        return "base"
    if in_package(name, EDGES):
        return "edges"
    if name in OUTPUT:
        return "output"
    if in_package(name, COMMANDS):
        return "commands"
    if name in CLI:
        return "cli"
    return "core"


def imported(name: str) -> Iterator[str]:
    """Every module ``name`` imports, anywhere in the file: tplsync modules by
    their full name (``from tplsync import x`` names ``tplsync.x`` when that is
    a module), others by their top-level package."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name if alias.name in MODULES else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source not in MODULES:
                yield source.split(".")[0]
                continue
            submodules = [
                f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in MODULES
            ]
            if len(submodules) < len(node.names):
                yield source
            yield from submodules


IMPORTS = {name: frozenset(imported(name)) - {name} for name in MODULES}


def tplsync_imports(name: str) -> frozenset[str]:
    return frozenset(i for i in IMPORTS[name] if i in MODULES)


def test_every_module_is_read() -> None:
    for name in ("tplsync.cli", "tplsync.plan", "tplsync.adapters.base", "tplsync.sandbox.state"):
        assert name in MODULES
    assert "tplsync.changes" in tplsync_imports("tplsync.plan")
    assert "tplsync.commands.lint" in tplsync_imports("tplsync.cli")  # inside a function
    assert "tplsync.account" in tplsync_imports("tplsync.commands.common")  # TYPE_CHECKING
    assert "click" in IMPORTS["tplsync.cli"]


def cycle() -> list[str] | None:
    """One import cycle among tplsync's modules, or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return None
        path.append(name)
        for other in sorted(tplsync_imports(name)):
            found = visit(other)
            if found:
                return found
        path.pop()
        done.add(name)
        return None

    for name in MODULES:
        found = visit(name)
        if found:
            return found
    return None


def test_no_import_cycle() -> None:
    assert cycle() is None, " → ".join(cycle() or [])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_import_runs_back_up(name: str) -> None:
    level = FLOORS.index(floor(name))
    upward = sorted(i for i in tplsync_imports(name) if FLOORS.index(floor(i)) > level)
    assert upward == [], f"{name} ({floor(name)}) imports {upward}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if floor(n) in ("base", "core")))
def test_the_core_knows_no_dialect_transport_or_terminal(name: str) -> None:
    """The core reaches an account only through the protocol of adapters/base.py."""
    edges = {i for i in tplsync_imports(name) if floor(i) == "edges"}
    assert edges <= {"tplsync.adapters.base"}, name
    assert not IMPORTS[name] & {"click", "requests"}, name


@pytest.mark.parametrize("name", sorted(n for n in MODULES if floor(n) == "base"))
def test_the_base_floor_needs_only_the_standard_library(name: str) -> None:
    libraries = {i for i in IMPORTS[name] if i not in MODULES}
    assert libraries <= sys.stdlib_module_names, name


def test_nothing_in_tplsync_imports_the_tests_or_the_benchmarks() -> None:
    assert not any(IMPORTS[n] & {"tests", "bench"} for n in MODULES)


def test_only_the_transport_and_the_adapters_import_requests() -> None:
    users = {n for n in MODULES if "requests" in IMPORTS[n]}
    assert users, "requests is imported somewhere"
    assert all(n == "tplsync.http" or n.startswith("tplsync.adapters.") for n in users), users


def test_only_the_command_line_and_the_output_modules_import_click() -> None:
    users = {n for n in MODULES if "click" in IMPORTS[n]}
    assert users <= CLI | OUTPUT, users - CLI - OUTPUT


def test_http_knows_only_the_errors() -> None:
    assert tplsync_imports("tplsync.http") <= {"tplsync.errors", "tplsync.redact"}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("tplsync.adapters")))
def test_an_adapter_imports_the_base_floor_http_and_other_adapters(name: str) -> None:
    for other in tplsync_imports(name):
        assert floor(other) == "base" or in_package(other, ("tplsync.http", "tplsync.adapters"))


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("tplsync.sandbox")))
def test_the_sandbox_is_not_built_from_the_client(name: str) -> None:
    """No adapter, transport or model: the emulator must not check tplsync
    against tplsync's own idea of the API."""
    allowed = {"tplsync.errors", "tplsync.files", "tplsync.words"}
    if name == "tplsync.sandbox.seed":
        allowed.add("tplsync.templates")  # seeding from a directory of template files
    foreign = {i for i in tplsync_imports(name) if not in_package(i, ("tplsync.sandbox",))}
    assert foreign <= allowed, name


def test_wire_fields_only_in_the_adapters_and_the_sandbox() -> None:
    pattern = re.compile(r"\b(" + "|".join(WIRE_FIELDS) + r")\b")
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or path.suffix not in (".py", ".html", ".json", ".yaml"):
            continue
        if in_package(module_name(path), ("tplsync.adapters", "tplsync.sandbox")):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_wire_field_check_can_see_a_field() -> None:
    assert "template_name" in MODULES["tplsync.adapters.engagelab_v1"].read_text()


def function_bodies(path: Path) -> Iterator[tuple[str, int]]:
    """(name, non-blank lines of the body after its docstring) of every function."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            if body:
                text = lines[body[0].lineno - 1 : body[-1].end_lineno]
                yield node.name, sum(1 for line in text if line.strip())


def test_cli_holds_declarations_only() -> None:
    path = MODULES["tplsync.cli"]
    assert len(path.read_text(encoding="utf-8").splitlines()) < 400
    long = [(name, lines) for name, lines in function_bodies(path) if lines > 15]
    assert long == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_inside_functions_say_what_they_defer(name: str) -> None:
    """Top-level imports unless start-up time needs them late; a late one says
    why on its line or the line above (cli.py's commands load their module
    when they run, as docs/architecture.md says)."""
    if name == "tplsync.cli":
        return
    lines = MODULES[name].read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    functions = [
        n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    for function in functions:
        for node in ast.walk(function):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                above = node.lineno - 2  # a comment may stand above a group of imports
                while lines[above].strip().startswith(("from ", "import ")):
                    above -= 1
                said = "#" in lines[node.lineno - 1] or lines[above].strip().startswith("#")
                assert said, f"{name}:{node.lineno}"
