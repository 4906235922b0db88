"""What one API dialect gives the server: its routes and its error answers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tplsync.sandbox.state import Store

Handler = Callable[[Store, Mapping[str, str], Any, re.Match[str]], Any]


@dataclass(frozen=True)
class Route:
    """``path`` may hold ``{id}``: one path segment, the handler's ``match[1]``."""

    method: str
    path: str
    handler: Handler
    key: str = field(init=False)  # what the request counts are kept under
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.method} {self.path}")
        pattern = re.escape(self.path).replace(re.escape("{id}"), "([^/]+)")
        object.__setattr__(self, "pattern", re.compile(pattern))


@dataclass(frozen=True)
class Api:
    """One EngageLab API as the sandbox serves it."""

    key_pair: str  # "sms" (the template API's user and key) or "dev" (the send APIs')
    auth_failed: tuple[int, int, str]  # HTTP status, code, message
    bad_json: int  # the code of a body that is not JSON
    rate_limited: int  # the code of a 429
    routes: tuple[Route, ...]
