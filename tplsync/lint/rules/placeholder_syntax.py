"""A placeholder is malformed, in another syntax, or not a plain name.

The service substitutes only plain names in the configured syntax
(``variables.syntax``: ``{{name}}`` by default, ``%name%`` or ``{name}``);
anything else, ``{{name}`` or ``{{ name }}`` or ``{{ price | round }}`` or a
``{% if %}`` block, reaches the phone literally. Nothing is ever evaluated.

Bad::

    name: order-shipped
    type: notification
    content: "Hi {{ name }}, order {{order_id} ships {% if express %}today{% endif %}."

Good::

    name: order-shipped
    type: notification
    content: "Hi {{name}}, order {{order_id}} ships {{ship_day}}."
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template
from tplsync.placeholders import malformed


def check(template: Template, context: Context) -> Iterator[Finding]:
    for mistake in malformed(template.content, context.syntax):
        yield Finding(template.content_position(mistake.start), mistake.message)


RULE = Rule(id="placeholder-syntax", level=Level.ERROR, doc=__doc__, check=check)
