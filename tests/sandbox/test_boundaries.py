"""The emulator answers from its own reading of the API pages, never from
tplsync's client code, so a client mistake cannot hide behind the sandbox."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

CLIENT_WIRE = ("tplsync.adapters", "tplsync.model", "tplsync.http", "tplsync.apply")


def imported(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_sandbox_imports_no_client_wire_knowledge() -> None:
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tplsync/sandbox").glob("*.py"))
    assert "tplsync/sandbox/state.py" in files
    for path in files:
        leaks = {name for name in imported(path) if name.startswith(CLIENT_WIRE)}
        assert not leaks, (path, leaks)


def test_the_state_store_knows_no_dialect() -> None:
    """Routes modules translate; the store imports none of them."""
    assert not {n for n in imported("tplsync/sandbox/state.py") if "routes" in n or "errors" in n}
