"""The JSON Schemas shipped in ``schemas/`` and validation that says where."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from tplsync.model import Position
from tplsync.resources import resource_path
from tplsync.safetext import clip
from tplsync.schemacheck import Check, Unsupported, compile_schema
from tplsync.yamlsource import Document

TEMPLATE_SCHEMA = "template.schema.json"
CONFIG_SCHEMA = "config.schema.json"
SIGNATURES_SCHEMA = "signatures.schema.json"
PUBLISHED = "https://raw.githubusercontent.com/tplsync/tplsync/main/schemas/"


def schema_comment(name: str) -> str:
    """The first line of a file tplsync writes, pointing editors at its schema."""
    return f"# yaml-language-server: $schema={PUBLISHED}{name}\n"


def schema_path(name: str) -> Path:
    return resource_path("schemas", name)


@cache
def _schema(name: str) -> Any:
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


@cache
def _fast_check(name: str) -> Check | None:
    try:
        return compile_schema(_schema(name))
    except Unsupported:
        return None


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator  # only once a file is invalid

    return Draft202012Validator(_schema(name))


def is_valid(data: Any, schema: str) -> bool:
    """Whether ``data`` matches ``schema``, without importing jsonschema when possible."""
    check = _fast_check(schema)
    return check(data) if check is not None else bool(_validator(schema).is_valid(data))


Ignored = frozenset[tuple[tuple[str | int, ...], str]]


def validate(
    document: Document, schema: str, ignored: Ignored = frozenset()
) -> Iterator[tuple[Position, str]]:
    """Yield (position, message) for each schema violation in ``document``.

    ``ignored`` holds (path, keyword) pairs that a more specific check
    reports instead, e.g. ``(("name",), "maxLength")``.
    """
    for path, message in problems(document.data, schema, ignored):
        yield document.position(path), message


def problems(
    data: Any, schema: str, ignored: Ignored = frozenset()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (key path, message) for each schema violation in ``data``: a
    sentence about the value given, never the schema's own wording."""
    if is_valid(data, schema):
        return
    for error in sorted(_validator(schema).iter_errors(data), key=lambda e: list(e.path)):
        if (tuple(error.absolute_path), error.validator) not in ignored:
            yield from _describe(error)


# What a ``pattern`` in the schemas asks for, in words.
_PATTERNS = {
    "^https?://[^\\s]+$": "must be an http:// or https:// URL without spaces",
    "^[A-Za-z_][A-Za-z0-9_]*$": "must be an environment variable name (letters, digits, _)",
    "^[A-Za-z0-9_.-]+$": "may hold only letters, digits, '_', '.' and '-'",
    "^[0-9]+$": "must be a number (digits only)",
}

_BOUNDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "greater than",
    "exclusiveMaximum": "less than",
}


def _describe(error: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match  # only once a file is invalid

        # A branch that matched the value's type and failed deeper says what
        # is wrong; then one that failed on more than type; else any.
        deeper = [e for e in error.context if e.path]
        matched = [e for e in error.context if e.validator not in ("type", "enum")]
        yield from _describe(best_match(deeper or matched or error.context))
        return
    path = tuple(error.absolute_path)
    where = ".".join(str(part) for part in path)
    prefix = f"{where}: " if where else ""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                yield (*path, key), _unknown_key(key, allowed, prefix)
        return
    if error.validator == "required":
        yield path, f"{prefix}missing required key {error.message.split()[0]}"
        return
    if error.validator == "enum":
        choices = ", ".join(str(choice) for choice in error.validator_value)
        yield path, f"{prefix}{clip(repr(error.instance))} is not one of: {choices}"
        return
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        got = _TYPE_NAMES.get(type(error.instance).__name__, type(error.instance).__name__)
        hint = (
            ": quote it"
            if expected == "string" and not isinstance(error.instance, (list, dict))
            else ""
        )
        yield path, f"{prefix}must be {_a(expected)}, not {_a(got)}{hint}"
        return
    if error.validator == "minLength" and error.validator_value == 1:
        yield path, f"{prefix}must not be empty"
        return
    if error.validator in _BOUNDS:
        bound = f"{_BOUNDS[error.validator]} {error.validator_value:g}"
        yield path, f"{prefix}must be {bound}, not {error.instance!r}"
        return
    if error.validator == "pattern":
        wanted = _PATTERNS.get(error.validator_value, "is not in the expected form")
        yield path, f"{prefix}{clip(repr(error.instance))} {wanted.replace('must be', 'is not', 1)}"
        return
    yield path, f"{prefix}{clip(error.message)}"


_TYPE_NAMES = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "NoneType": "null",
    "list": "list",
    "dict": "mapping",
    "date": "date",
    "datetime": "timestamp",
    "bytes": "binary value",
}


def _a(noun: str) -> str:
    if noun == "null":
        return "null"
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _unknown_key(key: str, allowed: list[str], prefix: str) -> str:
    import difflib  # lint loads it only to suggest a key

    message = f"{prefix}unknown key {clip(repr(key))}"
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f"{message} (did you mean {close[0]!r}?)"
    return f"{message} (allowed: {', '.join(allowed)})"
