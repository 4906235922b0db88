"""Samples do not match the content.

For each sample: a variable without a value (it would be sent literally,
e.g. ``{{order_id}}``) is an error; a param the content never uses is
reported at ``unused_param_level`` (warning by default); an ``expect`` that
differs from the rendering is an error showing both. With
``require_samples: true`` a template with variables and no sample is an
error too.

Bad::

    name: order-shipped
    type: notification
    content: "Hi {{name}}, order {{order_id}} has shipped."
    samples:
      - params: {name: Bob, tracking: "1Z999"}
        expect: "Hi Bob, your order has shipped."

Good::

    name: order-shipped
    type: notification
    content: "Hi {{name}}, order {{order_id}} has shipped."
    samples:
      - params: {name: Bob, order_id: "A-1001"}
        expect: "Hi Bob, order A-1001 has shipped."
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template
from tplsync.placeholders import Syntax, render, variables
from tplsync.safetext import clip


def check(template: Template, context: Context) -> Iterator[Finding]:
    names = variables(template.content, context.syntax)
    if not template.samples and names and context.options["require_samples"]:
        yield Finding(template.position, f"no sample gives values for {_list(names, context)}")
    for index, sample in enumerate(template.samples):
        label = f"sample {index + 1}"
        missing = [name for name in names if name not in sample.params]
        if missing:
            yield Finding(
                template.position_of("samples", index, "params"),
                f"{label} has no value for {_list(missing, context)}: it would be sent literally",
            )
        for param in sample.params:
            if param not in names:
                yield Finding(
                    template.position_of("samples", index, "params", param),
                    f"{label} param {param!r} is not used by the content",
                    Level(context.options["unused_param_level"]),
                )
        if sample.expect is not None:
            rendered = render(template.content, sample.params, context.syntax)
            if rendered != sample.expect:
                yield Finding(
                    template.position_of("samples", index, "expect"),
                    f"{label} renders differently from expect: "
                    f"rendered {clip(repr(rendered))}, expected {clip(repr(sample.expect))}",
                )


def _list(names: list[str], context: Context) -> str:
    syntax: Syntax = context.syntax
    return ", ".join(syntax.placeholder(name) for name in names)


RULE = Rule(
    id="sample-coverage",
    level=Level.ERROR,
    doc=__doc__,
    options={"unused_param_level": "warning", "require_samples": False},
    check=check,
)
