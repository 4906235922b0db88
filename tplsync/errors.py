"""Expected failures and the exit codes they map to (README: "Exit codes")."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INVALID_INPUT = 1
    CHANGES_PENDING = 2
    API_FAILURE = 3
    SAFETY_GATE = 4
    STALE_PLAN = 5
    USAGE = 64
    INTERRUPTED = 130


class TplsyncError(Exception):
    """An expected failure: the CLI prints ``str(self)`` on one line, then
    each of ``details`` (a list, such as lint's problems) on a line of its
    own, and exits."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details


class InputError(TplsyncError):
    """A file, config value or argument is invalid."""


class UsageError(TplsyncError):
    exit_code = ExitCode.USAGE


class SafetyError(TplsyncError):
    """A safety gate refused: it needs --force, --prune or approval."""

    exit_code = ExitCode.SAFETY_GATE
