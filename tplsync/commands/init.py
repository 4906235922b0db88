"""``tplsync init``."""

from __future__ import annotations

from pathlib import Path

from tplsync.console import Console
from tplsync.errors import ExitCode
from tplsync.scaffold import init, repository_root


def run_init(directory: Path, force: bool, quiet: bool, dialect: str = "templates") -> int:
    console = Console(quiet=quiet)
    for name in init(directory, force, dialect):
        console.say(f"wrote {directory / name}")
    root = repository_root(directory)
    if root is not None and root != directory.resolve():
        inside = directory.resolve().relative_to(root).as_posix()
        console.error(
            f"warning: pre-commit and GitHub read .pre-commit-config.yaml and "
            f".github/workflows/ only at the repository's root, {root}: move them there; "
            f"in the workflow, start the paths: filters with {inside}/ and set "
            f"defaults: run: working-directory: {inside}"
        )
    console.say("Next: tplsync lint && tplsync plan --sandbox")
    return ExitCode.OK
