"""Secrets known to this process, removed from any text before it leaves.

A server may echo the credentials back (``denied for Basic dXNlcjprZXk=``);
every answer is cleaned of them before anything reads it, and the CLI cleans
every error message once more on its way out.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from typing import Any

REDACTED = "[redacted]"
# Shorter values would blank out ordinary text; they are not secrets anyway.
MIN_LENGTH = 4

_known: set[str] = set()
_lock = threading.Lock()


def remember(user: str, key: str) -> None:
    """Treat ``user``, ``key`` and their Basic-auth Base64 forms as secrets."""
    forms = {user, key}
    for text in (f"{user}:{key}", key):
        encoded = base64.b64encode(text.encode()).decode()
        forms |= {encoded, encoded.rstrip("=")}
    with _lock:
        _known.update(form for form in forms if len(form) >= MIN_LENGTH)


def redact(text: str) -> str:
    """``text`` with every known secret replaced by ``[redacted]``."""
    for secret in sorted(_known, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def mentions_secret(raw: str) -> bool:
    """Whether ``raw`` JSON may hold a secret, as written or JSON-escaped."""
    return any(s in raw or json.dumps(s)[1:-1] in raw for s in _known)


def redact_all(value: Any) -> Any:
    """A decoded JSON value with every string (keys too) redacted."""
    return map_strings(value, redact)


def map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """A decoded JSON value with ``change`` applied to every string (keys too)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [map_strings(item, change) for item in value]
    if isinstance(value, dict):
        return {change(key): map_strings(item, change) for key, item in value.items()}
    return value
