"""Two templates declare the same name, or a ``renamed_from`` names a declared one.

The name is a template's identity in the account, so each may be declared
once across all files; both places are reported. An old name in
``renamed_from`` must not be declared by any template, nor claimed by two.

Bad::

    # a.yaml
    name: welcome
    type: notification
    content: Welcome aboard!
    ---
    # b.yaml
    name: welcome
    type: marketing
    content: Welcome to our spring sale!

Good::

    name: welcome
    type: notification
    content: Welcome aboard!
    ---
    name: spring-sale-welcome
    type: marketing
    content: Welcome to our spring sale!
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Position, Template


def check_project(templates: Sequence[Template], context: Context) -> Iterator[Finding]:
    declared: dict[str, Template] = {}
    for template in templates:
        first = declared.setdefault(template.name, template)
        if first is not template:
            where = first.position_of("name")
            yield Finding(
                template.position_of("name"),
                f"name {template.name!r} is already declared at {where}",
            )
            yield Finding(
                where, f"name {template.name!r} is declared again at {template.position_of('name')}"
            )
    claimed: dict[str, Position] = {}
    for template in templates:
        for index, old in enumerate(template.renamed_from):
            position = template.position_of("renamed_from", index)
            if old in declared:
                yield Finding(
                    position,
                    f"renamed_from {old!r} names a template declared at "
                    f"{declared[old].position_of('name')}",
                )
            elif old in claimed:
                yield Finding(position, f"renamed_from {old!r} is also claimed at {claimed[old]}")
            else:
                claimed[old] = position


RULE = Rule(id="duplicate-name", level=Level.ERROR, doc=__doc__, check_project=check_project)
