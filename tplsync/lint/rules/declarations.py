"""Declared variables do not match the content or the values given.

A variable declared under ``variables:`` that the content never uses is an
error, and so is a sample param or ``example`` that breaks its declaration
(too long or short, a character outside the charset, no match for the
pattern), reported at the offending character. A variable used without a
declaration is judged by its samples only, unless ``require_declarations``
is true. See docs/variables.md.

Bad::

    name: login-code
    type: verification
    content: "Your code is {{code}}"
    variables:
      code: {pattern: "[0-9]{6}"}
      name: {max_length: 20}
    samples:
      - params: {code: "12345a"}

Good::

    name: login-code
    type: verification
    content: "Your code is {{code}}"
    variables:
      code: {pattern: "[0-9]{6}"}
    samples:
      - params: {code: "123456"}
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import KeyPath, Level, Template
from tplsync.placeholders import variables
from tplsync.variables import Declaration, violation


def check(template: Template, context: Context) -> Iterator[Finding]:
    if not template.variables and not context.options["require_declarations"]:
        return  # nothing declared and nothing required: most templates
    names = variables(template.content, context.syntax)
    declared = {declaration.name for declaration in template.variables}
    for declaration in template.variables:
        if declaration.name not in names:
            yield Finding(
                template.position_of("variables", declaration.name),
                f"variable {declaration.name!r} is declared but the content never uses "
                f"{context.syntax.placeholder(declaration.name)}",
            )
        if declaration.example is not None:
            path: KeyPath = ("variables", declaration.name, "example")
            yield from _checked(template, declaration, declaration.example, path, "example")
    if context.options["require_declarations"]:
        for name in names:
            if name not in declared:
                placeholder = context.syntax.placeholder(name)
                yield Finding(
                    template.content_position(template.content.find(placeholder)),
                    f"{placeholder} has no declaration under variables:",
                )
    by_name = {declaration.name: declaration for declaration in template.variables}
    for index, sample in enumerate(template.samples):
        for name, value in sample.params.items():
            if name in by_name:
                path = ("samples", index, "params", name)
                yield from _checked(template, by_name[name], value, path, f"sample {index + 1}")


def _checked(
    template: Template, declaration: Declaration, value: str, path: KeyPath, label: str
) -> Iterator[Finding]:
    found = violation(declaration, value)
    if found is not None:
        where = template.value_position(path, value, found.index or 0)
        yield Finding(where, f"{label}: {found.message}")


RULE = Rule(
    id="variable-declarations",
    level=Level.ERROR,
    doc=__doc__,
    options={"require_declarations": False},
    check=check,
)
