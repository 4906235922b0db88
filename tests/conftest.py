from __future__ import annotations

import shutil
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
# What a run in templates.example leaves there (git-ignored): never copied.
LEFT_BY_RUNS = shutil.ignore_patterns(".tplsync", "__pycache__")


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def invoke(*args: str) -> Run:
    """Run the CLI in-process, through the same error handler users get."""
    result = CliRunner().invoke(cli, list(args), prog_name="tplsync", catch_exceptions=False)
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


def copy_example(destination: Path) -> Path:
    """A copy of templates.example's own files at ``destination``."""
    shutil.copytree(EXAMPLES, destination, ignore=LEFT_BY_RUNS)
    return destination


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of templates.example as the working project, no account configured."""
    project = copy_example(tmp_path / "project")
    monkeypatch.chdir(project)
    for name in ("TPLSYNC_ENDPOINT", "TPLSYNC_CONFIG", "TPLSYNC_ENV", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    return project
