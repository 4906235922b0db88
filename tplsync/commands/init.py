"""``tplsync init``."""

from __future__ import annotations

from pathlib import Path

from tplsync.console import Console
from tplsync.errors import ExitCode
from tplsync.scaffold import init


def run_init(directory: Path, force: bool, quiet: bool, dialect: str = "templates") -> int:
    console = Console(quiet=quiet)
    for name in init(directory, force, dialect):
        console.say(f"wrote {directory / name}")
    console.say("Next: tplsync lint && tplsync plan --sandbox")
    return ExitCode.OK
