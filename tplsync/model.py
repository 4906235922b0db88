"""The values that flow through tplsync: positions, templates, problems."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from tplsync.variables import Declaration

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A place in a file; ``line`` and ``column`` count from 1."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class TemplateType(Enum):
    VERIFICATION = "verification"
    NOTIFICATION = "notification"
    MARKETING = "marketing"


class SignaturePosition(Enum):
    PREFIX = "prefix"
    SUFFIX = "suffix"


class Level(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature and where it goes; ``position`` is None when the account
    does not report it (the seed template API never returns it).

    The seed API knows a signature by its number; the template-configs API
    by its (string) id, and a template file by its ``name``.
    """

    id: int | str | None
    position: SignaturePosition | None = SignaturePosition.PREFIX
    name: str | None = None


@dataclass(frozen=True)
class Sample:
    params: Mapping[str, str]
    expect: str | None = None
    position: Position = field(default=Position("<memory>"), compare=False)


@dataclass(frozen=True, slots=True)
class ContentLocator:
    """Maps a character index of a scalar's value back to its file position.

    It aligns the value with the scalar's source text, so every quoting and
    block style is handled; when the alignment is lost, the scalar's start is
    returned.
    """

    path: str
    line: int
    column: int
    raw: str
    block: bool

    @property
    def start(self) -> Position:
        return Position(self.path, self.line, self.column)

    def position(self, value: str, index: int) -> Position:
        offset = _align(self.raw, value, index, self.block)
        if offset is None:
            return self.start
        before = self.raw[:offset]
        newlines = before.count("\n")
        if newlines == 0:
            return Position(self.path, self.line, self.column + offset)
        return Position(self.path, self.line + newlines, offset - before.rfind("\n"))


def _align(raw: str, value: str, index: int, block: bool) -> int | None:
    """Offset in ``raw`` of ``value[index]``, matching greedily; None if lost."""
    escapes = raw.startswith('"')
    if block:
        pointer = raw.find("\n") + 1
    else:
        pointer = 1 if raw[:1] in ("'", '"') else 0
    for position, char in enumerate(value[: index + 1]):
        while pointer < len(raw):
            source = raw[pointer]
            if source == char or (char == " " and source == "\n"):
                break
            if escapes and source == "\\":
                break
            pointer += 1
        if pointer >= len(raw):
            return None
        if position == index:
            return pointer
        if escapes and raw[pointer] == "\\":
            pointer += {"x": 4, "u": 6, "U": 10}.get(raw[pointer + 1 : pointer + 2], 2)
        else:
            pointer += 1
    return None


class Source(Protocol):
    """Where a template was read from: positions of its keys and scalars."""

    def position(self, path: KeyPath) -> Position: ...

    def locator(self, path: KeyPath) -> ContentLocator | None: ...


@dataclass(frozen=True, slots=True)
class Template:
    """One declared template, as read from a template file."""

    name: str
    type: TemplateType
    content: str
    signature: Signature | None = None
    submit: bool | None = None
    renamed_from: tuple[str, ...] = ()
    description: str | None = None
    samples: tuple[Sample, ...] = ()
    variables: tuple[Declaration, ...] = ()
    country_codes: tuple[str, ...] = ()
    position: Position = field(default=Position("<memory>"), compare=False)
    source: Source | None = field(default=None, compare=False, repr=False)
    disabled_rules: frozenset[str] = field(default=frozenset(), compare=False)

    def position_of(self, *path: str | int) -> Position:
        """Where the key (or item) at ``path`` was written, e.g. ``("samples", 0)``."""
        return self.source.position(path) if self.source is not None else self.position

    def content_position(self, index: int) -> Position:
        """File position of ``content[index]``."""
        return self.value_position(("content",), self.content, index)

    def value_position(self, path: KeyPath, value: str, index: int) -> Position:
        """File position of ``value[index]``, the string written at ``path``."""
        locator = self.source.locator(path) if self.source is not None else None
        if locator is None:
            return self.position_of(*path)
        return locator.position(value, index)


class ApprovalStatus(Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    NOT_SUBMITTED = "not submitted"


@dataclass(frozen=True, slots=True)
class RemoteTemplate:
    """A template as the account holds it, in the service's own dialect-free terms."""

    id: str
    name: str
    type: TemplateType
    content: str
    signature: Signature | None
    status: ApprovalStatus
    status_message: str = ""
    updated: str = ""
    country_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeclaredSignature:
    """A signature (sender id) declared in ``signatures.yaml``."""

    name: str
    renamed_from: tuple[str, ...] = ()
    position: Position = field(default=Position("<memory>"), compare=False)


@dataclass(frozen=True)
class RemoteSignature:
    """A signature as the account holds it; ``templates`` use it."""

    id: str
    name: str
    status: ApprovalStatus
    status_message: str = ""
    templates: int = 0


@dataclass(frozen=True)
class Problem:
    """One lint finding."""

    position: Position
    level: Level
    rule: str
    message: str

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.position.path, self.position.line, self.position.column, self.rule)
