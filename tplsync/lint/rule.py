"""What a lint rule is: an id, a default level, options and a check."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tplsync.model import Level, Position, Template
from tplsync.placeholders import Syntax


@dataclass(frozen=True)
class Finding:
    """A rule's finding; ``level`` None means the rule's configured level."""

    position: Position
    message: str
    level: Level | None = None


@dataclass(frozen=True)
class Context:
    syntax: Syntax = Syntax.MUSTACHE
    signatures: Mapping[int, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)


TemplateCheck = Callable[[Template, Context], Iterator[Finding]]
ProjectCheck = Callable[[Sequence[Template], Context], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule; its module's docstring is its documentation.

    ``check`` runs once per template, ``check_project`` once over all of
    them; ``syntax`` and ``schema`` have neither: the loader reports them.
    """

    id: str
    level: Level
    doc: str
    options: Mapping[str, Any] = field(default_factory=dict)
    check: TemplateCheck | None = None
    check_project: ProjectCheck | None = None
