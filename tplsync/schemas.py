"""The JSON Schemas shipped in ``schemas/`` and validation that says where."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from tplsync.model import Position
from tplsync.yamlsource import Document

TEMPLATE_SCHEMA = "template.schema.json"
CONFIG_SCHEMA = "config.schema.json"


def schema_path(name: str) -> Path:
    """The schema file: inside the installed package, else in the source tree."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "schemas" / name, package.parent / "schemas" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"schema {name} is missing from the installation")


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def validate(document: Document, schema: str) -> Iterator[tuple[Position, str]]:
    """Yield (position, message) for each schema violation in ``document``."""
    validator = _validator(schema)
    if validator.is_valid(document.data):
        return
    for error in sorted(validator.iter_errors(document.data), key=lambda e: list(e.path)):
        yield from _describe(document, error)


def _describe(document: Document, error: Any) -> Iterator[tuple[Position, str]]:
    path = tuple(error.absolute_path)
    where = ".".join(str(part) for part in path)
    prefix = f"{where}: " if where else ""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                yield document.position((*path, key)), _unknown_key(key, allowed, prefix)
        return
    if error.validator == "required":
        yield document.position(path), f"{prefix}missing required key {error.message.split()[0]}"
        return
    if error.validator == "enum":
        choices = ", ".join(str(choice) for choice in error.validator_value)
        yield document.position(path), f"{prefix}{error.instance!r} is not one of: {choices}"
        return
    yield document.position(path), f"{prefix}{error.message}"


def _unknown_key(key: str, allowed: list[str], prefix: str) -> str:
    import difflib

    message = f"{prefix}unknown key {key!r}"
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f"{message} (did you mean {close[0]!r}?)"
    return f"{message} (allowed: {', '.join(allowed)})"
