"""The flags every command shares, as plain values."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tplsync.config import Config, load_config
from tplsync.console import Console

if TYPE_CHECKING:  # the account imports requests, which lint never loads
    from tplsync.account import Account


@dataclass(frozen=True)
class Options:
    """--config, --env, --format, --no-color, --verbose and --quiet."""

    config: Path | None
    env: str | None
    format: str | None
    colour: bool
    verbose: int
    quiet: bool

    @property
    def console(self) -> Console:
        return Console(self.colour, self.quiet, self.format == "json")

    def load_config(
        self, overrides: Mapping[str, str | None] | None = None, start: Path | None = None
    ) -> Config:
        """``start``: where the search for ``tplsync.yaml`` begins (the working directory)."""
        return load_config(self.config, start or Path.cwd(), self.env, os.environ, overrides)


@dataclass(frozen=True)
class AccountFlags:
    """--sandbox, --insecure, --endpoint and --parallelism."""

    sandbox: bool
    insecure: bool
    endpoint: str | None
    parallelism: int | None

    def load_config(self, options: Options) -> Config:
        return options.load_config({"api.endpoint": self.endpoint})

    def connect(
        self, options: Options, config: Config, send: bool = False, templates: bool = True
    ) -> AbstractContextManager[Account]:
        from tplsync.account import connect  # requests: not for lint

        trace = options.console.error if options.verbose else None
        # each retry as it happens, for someone watching (verbose traces them already)
        watching = sys.stderr.isatty() and not options.verbose and not options.quiet
        progress = options.console.error if watching else None
        return connect(
            config,
            os.environ,
            self.sandbox,
            self.insecure,
            trace,
            self.parallelism,
            send,
            progress,
            templates,
        )
