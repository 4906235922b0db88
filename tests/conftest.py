from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tplsync.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "templates.example"
EXAMPLE_FILES = Path(__file__).resolve().parent / "example-files"


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def invoke(*args: str) -> Run:
    """Run the CLI in-process, through the same error handler users get."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """A temporary project directory (the cwd) with the given files."""
    monkeypatch.chdir(tmp_path)
    for variable in ("GITHUB_ACTIONS", "TPLSYNC_CONFIG", "TPLSYNC_ENV", "NO_COLOR"):
        monkeypatch.delenv(variable, raising=False)

    def make(**files: str) -> Path:
        for name, text in files.items():
            path = tmp_path / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return tmp_path

    return make
