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

from tplsync.lint.rule import Context, Declared, Finding, Rule
from tplsync.model import Level, Position


def check_project(templates: Sequence[Declared], context: Context) -> Iterator[Finding]:
    declared: dict[str, Position] = {}
    for template in templates:
        where = declared.setdefault(template.name, template.position)
        if where is not template.position:
            yield Finding(
                template.position, f"name {template.name!r} is already declared at {where}"
            )
            yield Finding(where, f"name {template.name!r} is declared again at {template.position}")
    claimed: dict[str, Position] = {}
    for template in templates:
        for old, position in template.renamed_from:
            if old in declared:
                yield Finding(
                    position, f"renamed_from {old!r} names a template declared at {declared[old]}"
                )
            elif old in claimed:
                yield Finding(position, f"renamed_from {old!r} is also claimed at {claimed[old]}")
            else:
                claimed[old] = position


RULE = Rule(id="duplicate-name", level=Level.ERROR, doc=__doc__, check_project=check_project)
