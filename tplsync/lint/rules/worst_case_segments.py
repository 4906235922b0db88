"""The values the declarations allow can cost more than ``max_segments``.

For a template whose variables are all declared, the costliest message
the declarations allow (signature included) is computed exactly: see
docs/variables.md. It is reported when it takes more than ``max_segments``
segments (default 3), naming the variable with the longest value, when a
variable has no maximum length, and when a variable whose charset lets it
hold a character outside GSM-7 turns an otherwise GSM-7 message into
UCS-2 (70 characters a segment, not 160).

Bad::

    name: order-shipped
    type: notification
    content: "Hi {{name}}, your order has shipped."
    variables:
      name: {max_length: 200}

Good::

    name: order-shipped
    type: notification
    content: "Hi {{name}}, your order has shipped."
    variables:
      name: {max_length: 20, charset: gsm7}
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template
from tplsync.segments import GSM7
from tplsync.worstcase import bounds, surely_within


def check(template: Template, context: Context) -> Iterator[Finding]:
    limit = int(context.options["max_segments"])
    if not template.variables or surely_within(template, context.syntax, context.signatures, limit):
        return
    found = bounds(template, context.syntax, context.signatures)
    if found.undeclared:
        return
    for name in found.unbounded:
        yield Finding(
            template.position_of("variables", name),
            f"worst case is unbounded: {name!r} has no max_length (nor a pattern that bounds it)",
        )
    worst = found.worst
    if worst is not None and worst.analysis.segments > limit:
        longest = max(worst.values, key=lambda name: len(worst.values[name]))
        yield Finding(
            template.position_of("variables", longest),
            f"worst case is {worst.describe()}; the limit is {limit} "
            f"(longest value: {longest!r}, {len(worst.values[longest])} characters)",
        )
    if GSM7.issuperset(template.content):
        for name in found.forcing:
            yield Finding(
                template.position_of("variables", name, "charset"),
                f"{name!r} can force UCS-2 (70 characters a segment, not 160): "
                "declare charset: gsm7 if its values never leave GSM-7",
            )


RULE = Rule(
    id="worst-case-segments",
    level=Level.WARNING,
    doc=__doc__,
    options={"max_segments": 3},
    check=check,
)
