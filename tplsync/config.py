"""The project config ``tplsync.yaml``: discovery, environments, precedence.

Precedence, highest first: command-line flag, ``TPLSYNC_*`` environment
variable, the selected environment's section, the top level of
``tplsync.yaml``, the built-in default.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tplsync.errors import InputError
from tplsync.files import read_text
from tplsync.model import KeyPath
from tplsync.placeholders import Syntax
from tplsync.pricing import Pricing
from tplsync.schemas import CONFIG_SCHEMA, problems, validate
from tplsync.yamlsource import YamlError, load_documents

CONFIG_NAME = "tplsync.yaml"
SIGNATURES_NAME = "signatures.yaml"  # beside the config, never a template file

# Requests at a time when ``api.parallelism`` is unset. Reads of the listing
# are idempotent GETs of bounded pages; writes send templates to review.
# A parallelism that is set (config, TPLSYNC_PARALLELISM, --parallelism)
# caps both.
WRITE_PARALLELISM = 4
READ_PARALLELISM = 16


@dataclass(frozen=True)
class ApiSettings:
    endpoint: str = "https://sms.api.engagelab.cc"
    sms_endpoint: str = "https://smsapi.engagelab.com"
    otp_endpoint: str = "https://otp.api.engagelab.cc"
    timeout: float = 30.0
    parallelism: int | None = None
    retry_budget: float = 120.0
    dialect: str = "templates"


@dataclass(frozen=True)
class Credentials:
    """Names of the environment variables that hold the secrets."""

    sms_user: str = "ENGAGELAB_SMS_USER"
    sms_key: str = "ENGAGELAB_SMS_KEY"
    dev_key: str = "ENGAGELAB_DEV_KEY"
    dev_secret: str = "ENGAGELAB_DEV_SECRET"


@dataclass(frozen=True)
class Safety:
    max_delete_fraction: float = 0.3
    min_owned_for_fraction: int = 10
    max_deletes: int | None = None
    max_review_resets: int | None = None


@dataclass(frozen=True)
class Config:
    root: Path
    source: Path | None = None
    environment: str | None = None
    templates: tuple[str, ...] = ("templates",)
    api: ApiSettings = ApiSettings()
    credentials: Credentials = Credentials()
    manage_include: tuple[str, ...] = ("*",)
    manage_exclude: tuple[str, ...] = ()
    prune: bool = False
    protect: tuple[str, ...] = ()
    submit: bool = True
    safety: Safety = Safety()
    syntax: Syntax = Syntax.MUSTACHE
    lint_rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    signatures: Mapping[int, str] = field(default_factory=dict)
    pricing: Pricing | None = None
    # the api.*endpoint settings whose value comes from the config file rather
    # than a flag or environment variable (tplsync.account checks those hosts)
    file_endpoints: frozenset[str] = frozenset()


def _number(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


ENVIRONMENT_VARIABLES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "TPLSYNC_ENDPOINT": ("api.endpoint", str),
    "TPLSYNC_SMS_ENDPOINT": ("api.sms_endpoint", str),
    "TPLSYNC_OTP_ENDPOINT": ("api.otp_endpoint", str),
    "TPLSYNC_TIMEOUT": ("api.timeout", _number),
    "TPLSYNC_PARALLELISM": ("api.parallelism", int),
    "TPLSYNC_PRUNE": ("prune", _boolean),
    "TPLSYNC_SYNTAX": ("variables.syntax", str),
}


_EXPECTED = {_number: "a finite number", int: "a whole number", _boolean: "true or false"}


def _from_environment(name: str, raw: str, dotted: str, convert: Callable[[str], Any]) -> Any:
    """The variable's value, checked as its key in ``tplsync.yaml`` is."""
    try:
        value = convert(raw)
    except ValueError:
        expected = _EXPECTED.get(convert, "valid")
        raise InputError(f"environment variable {name}={raw!r}: must be {expected}") from None
    checked: dict[str, Any] = {}
    _set(checked, dotted, value)
    for _, message in problems(checked, CONFIG_SCHEMA):
        message = message.removeprefix(f"{dotted}: ")
        raise InputError(f"environment variable {name}={raw!r} (sets {dotted}): {message}")
    return value


def find_config(start: Path) -> Path | None:
    """The nearest ``tplsync.yaml`` in ``start`` or a parent directory."""
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(
    path: Path | None,
    cwd: Path,
    environment: str | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Build the :class:`Config`; ``path`` None means search upwards from ``cwd``.

    ``overrides`` are dotted settings from command-line flags
    (``{"api.endpoint": ...}``); None values are ignored.
    """
    if path is not None and not path.is_file():
        raise InputError(f"{path}: config file not found")
    source = path if path is not None else find_config(cwd)
    settings = _read(source) if source is not None else {}
    environments = settings.pop("environments", {})
    if environment is not None:
        if environment not in environments:
            known = ", ".join(sorted(environments)) or "none are defined"
            raise InputError(
                f"{source or CONFIG_NAME}: unknown environment {environment!r} (known: {known})"
            )
        settings = _merge(settings, environments[environment])
    from_file = {key for key in settings.get("api", {}) if key.endswith("endpoint")}
    for name, (dotted, convert) in ENVIRONMENT_VARIABLES.items():
        raw = (environ or {}).get(name)
        if raw is None or raw == "":
            continue
        from_file.discard(dotted.removeprefix("api."))
        _set(settings, dotted, _from_environment(name, raw, dotted, convert))
    for dotted, value in (overrides or {}).items():
        if value is not None:
            _set(settings, dotted, value)
            from_file.discard(dotted.removeprefix("api."))
    root = source.parent if source is not None else cwd
    return dataclasses.replace(
        _build(settings, root, source, environment), file_endpoints=frozenset(from_file)
    )


def _read(source: Path) -> dict[str, Any]:
    text = read_text(source)
    try:
        documents = list(load_documents(text, str(source)))
    except YamlError as error:
        raise InputError(str(error)) from None
    if not documents:
        return {}
    if len(documents) > 1:
        raise InputError(f"{documents[1].start}: {CONFIG_NAME} must hold one YAML document")
    document = documents[0]
    for position, message in validate(document, CONFIG_SCHEMA):
        raise InputError(f"{position}: {message}")
    data: dict[str, Any] = document.data
    for path, problem in _unusable(data, ()):
        where = ".".join(str(part) for part in path)
        raise InputError(f"{document.position(path)}: {where}: {problem}")
    return data


def _unusable(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """What JSON Schema lets through: .nan (every numeric bound passes it),
    .inf where there is no maximum (a price), a price given for "49" and
    "+49" (the later would win)."""
    if isinstance(value, float) and math.isnan(value):
        yield path, "must be a number, not .nan"
    elif isinstance(value, float) and math.isinf(value):
        yield path, "must be a finite number"
    elif isinstance(value, dict):
        prefixes: set[str] = set()
        for key, item in value.items():
            if path[-2:] == ("pricing", "countries"):
                if key.lstrip("+") in prefixes:
                    yield (*path, key), f"the prefix {key.lstrip('+')} is priced twice"
                prefixes.add(key.lstrip("+"))
            yield from _unusable(item, (*path, key))


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _set(settings: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    target = settings
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def _globs(value: str | list[str] | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    return (value,) if isinstance(value, str) else tuple(value)


def _api(settings: Mapping[str, Any]) -> ApiSettings:
    """The template-configs dialect lives on the SMS host unless told otherwise."""
    api = dict(settings)
    if api.get("dialect") == "template-configs" and "endpoint" not in api:
        api["endpoint"] = api.get("sms_endpoint", ApiSettings.sms_endpoint)
    return ApiSettings(**api)


def _build(settings: Mapping[str, Any], root: Path, source: Path | None, env: str | None) -> Config:
    manage = settings.get("manage", {})
    syntax_name = settings.get("variables", {}).get("syntax", Syntax.MUSTACHE.value)
    try:
        syntax = Syntax(syntax_name)
    except ValueError:
        choices = ", ".join(s.value for s in Syntax)
        raise InputError(f"variables.syntax {syntax_name!r} is not one of: {choices}") from None
    rules = {
        rule: value if isinstance(value, Mapping) else {"level": value}
        for rule, value in settings.get("lint", {}).get("rules", {}).items()
    }
    return Config(
        root=root,
        source=source,
        environment=env,
        templates=_globs(settings.get("templates"), ("templates",)),
        api=_api(settings.get("api", {})),
        credentials=Credentials(**settings.get("credentials", {})),
        manage_include=_globs(manage.get("include"), ("*",)),
        manage_exclude=_globs(manage.get("exclude"), ()),
        prune=bool(settings.get("prune", False)),
        protect=_globs(settings.get("protect"), ()),
        submit=bool(settings.get("submit", True)),
        safety=Safety(**settings.get("safety", {})),
        syntax=syntax,
        lint_rules=rules,
        signatures={int(key): text for key, text in settings.get("signatures", {}).items()},
        pricing=Pricing.from_settings(settings["pricing"]) if "pricing" in settings else None,
    )
