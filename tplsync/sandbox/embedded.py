"""``--sandbox``: the emulator started in-process for one command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tplsync.errors import InputError
from tplsync.files import check_writable
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

STATE_FILE = Path(".tplsync") / "sandbox.json"


@contextmanager
def embedded_sandbox(root: Path, review_delay: float = 5.0) -> Iterator[SandboxServer]:
    """A sandbox on a free loopback port, its state in ``root/.tplsync/``,
    kept between commands so ``apply --sandbox`` then ``plan --sandbox``
    see the same account."""
    path = root / STATE_FILE
    created = not path.parent.exists()
    try:
        check_writable(path)
        try:
            store = Store(Settings(review_delay), path=path)
        except ValueError as error:
            message = f"{error}; delete it to start the sandbox account afresh"
            raise InputError(message) from None
        server = SandboxServer(store).start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        if created:  # a command that never wrote the account leaves nothing
            with suppress(OSError):  # rmdir leaves a directory that holds anything
                path.parent.rmdir()
