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
    dialect: str = "templates"


@dataclass(frozen=True, slots=True)
class Declared:
    """What a cross-file check keeps of a template: its names and where they
    are written, not the whole template, so that lint memory stays bounded."""

    name: str
    position: Position
    renamed_from: tuple[tuple[str, Position], ...]

    @classmethod
    def of(cls, template: Template) -> Declared:
        return cls(
            template.name,
            template.position_of("name"),
            tuple(
                (old, template.position_of("renamed_from", index))
                for index, old in enumerate(template.renamed_from)
            ),
        )


TemplateCheck = Callable[[Template, Context], Iterator[Finding]]
ProjectCheck = Callable[[Sequence[Declared], Context], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule; its module's docstring is its documentation.

    ``check`` runs once per template, ``check_project`` once over what
    :class:`Declared` keeps of all of them; ``syntax`` and ``schema`` have
    neither: the loader reports them.
    """

    id: str
    level: Level
    doc: str
    options: Mapping[str, Any] = field(default_factory=dict)
    dialect_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    check: TemplateCheck | None = None
    check_project: ProjectCheck | None = None
