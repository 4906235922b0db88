"""A fast yes/no check compiled from the same JSON Schema files.

Linting valid files is the common case, and jsonschema's validator (and its
import) costs more than parsing the YAML. This compiles the subset of draft
2020-12 that ``schemas/`` uses into plain closures that only answer "valid
or not"; when the answer is no, :mod:`tplsync.schemas` asks jsonschema for
the located messages. A keyword outside the subset makes :func:`compile`
raise :class:`Unsupported`, so callers fall back to jsonschema: a schema
edit can slow linting down but never let an invalid file through. A
property-based test checks both agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples"}
)
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


class Unsupported(Exception):
    """The schema uses a keyword this checker does not implement."""


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return bool(a == b)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def compile_schema(root: Mapping[str, Any]) -> Check:
    compiled_refs: dict[str, Check] = {}

    def resolve(ref: str) -> Check:
        if not ref.startswith("#/"):
            raise Unsupported(f"$ref {ref}")
        if ref not in compiled_refs:
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            compiled_refs[ref] = lambda value: True  # placeholder for recursion
            compiled_refs[ref] = build(target)
        return lambda value: compiled_refs[ref](value)

    def build(schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if schema.get("type") == "object" and "additionalProperties" in schema:
            return _closed_object(schema, build)
        checks: list[Check] = []
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            factory = _KEYWORDS.get(keyword)
            if factory is None:
                raise Unsupported(keyword)
            checks.append(factory(argument, schema, build, resolve))
        return _all(checks)

    return build(root)


def _closed_object(schema: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    """``type: object`` with properties, required and additionalProperties as
    one loop: the shape of every template and config mapping, so the hot path."""
    unknown = (
        set(schema)
        - _ANNOTATIONS
        - {"type", "properties", "required", "additionalProperties", "propertyNames"}
    )
    if unknown:
        raise Unsupported(", ".join(sorted(unknown)))
    properties = {key: build(sub) for key, sub in schema.get("properties", {}).items()}
    required = tuple(schema.get("required", ()))
    additional = build(schema["additionalProperties"])
    names = build(schema["propertyNames"]) if "propertyNames" in schema else None

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        for key in required:
            if key not in value:
                return False
        for key, item in value.items():
            if names is not None and not names(key):
                return False
            sub = properties.get(key)
            if not (additional(item) if sub is None else sub(item)):
                return False
        return True

    return check


Builder = Callable[[Any], Check]
Resolver = Callable[[str], Check]


def _all(checks: list[Check]) -> Check:
    """``all()`` as a plain loop: no generator per call on the hot path."""
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> bool:
        for each in checks:  # noqa: SIM110
            if not each(value):
                return False
        return True

    return check


def _any(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> bool:
        for each in checks:  # noqa: SIM110
            if each(value):
                return True
        return False

    return check


def _type(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    names = [argument] if isinstance(argument, str) else list(argument)
    return _any([_TYPES[name] for name in names])


def _enum(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    return lambda value: any(_equal(value, choice) for choice in argument)


def _required(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    return lambda value: not isinstance(value, dict) or all(key in value for key in argument)


def _properties(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    checks = {key: build(sub) for key, sub in argument.items()}
    return lambda value: (
        not isinstance(value, dict)
        or all(checks[key](item) for key, item in value.items() if key in checks)
    )


def _additional(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    if "patternProperties" in schema:
        raise Unsupported("patternProperties")
    known = frozenset(schema.get("properties", {}))
    check = build(argument)
    return lambda value: (
        not isinstance(value, dict)
        or all(check(item) for key, item in value.items() if key not in known)
    )


def _property_names(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    check = build(argument)
    return lambda value: not isinstance(value, dict) or all(check(key) for key in value)


def _items(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    if "prefixItems" in schema:
        raise Unsupported("prefixItems")
    check = build(argument)
    return lambda value: not isinstance(value, list) or all(check(item) for item in value)


def _unique(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    if not argument:
        return lambda value: True
    return lambda value: (
        not isinstance(value, list) or len({_identity(v) for v in value}) == len(value)
    )


def _identity(value: Any) -> Any:
    """A hashable stand-in, equal for two values exactly when :func:`_equal`
    says so: uniqueness in one pass, not by comparing every pair."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, list):
        return ("list", tuple(_identity(item) for item in value))
    if isinstance(value, dict):
        return ("dict", frozenset((key, _identity(item)) for key, item in value.items()))
    return value


def _min_length(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    return lambda value: not isinstance(value, str) or len(value) >= argument


def _max_length(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    return lambda value: not isinstance(value, str) or len(value) <= argument


def _pattern(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    search = re.compile(argument).search
    return lambda value: not isinstance(value, str) or search(value) is not None


def _minimum(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    return lambda value: not _is_number(value) or value >= argument


def _exclusive_minimum(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    return lambda value: not _is_number(value) or value > argument


def _maximum(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    return lambda value: not _is_number(value) or value <= argument


def _any_of(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    return _any([build(sub) for sub in argument])


def _ref(argument: Any, schema: Any, build: Builder, resolve: Resolver) -> Check:
    return resolve(argument)


_KEYWORDS: dict[str, Callable[[Any, Any, Builder, Resolver], Check]] = {
    "type": _type,
    "enum": _enum,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "propertyNames": _property_names,
    "items": _items,
    "uniqueItems": _unique,
    "minLength": _min_length,
    "maxLength": _max_length,
    "pattern": _pattern,
    "minimum": _minimum,
    "exclusiveMinimum": _exclusive_minimum,
    "maximum": _maximum,
    "anyOf": _any_of,
    "$ref": _ref,
}
