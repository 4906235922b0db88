"""The name is longer than the service's 64 characters (``max`` option;
255 in the template-configs dialect).

Bad::

    name: notify-customer-that-their-order-has-been-shipped-from-the-warehouse
    type: notification
    content: Your order has shipped.

Good::

    name: order-shipped
    type: notification
    content: Your order has shipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template


def check(template: Template, context: Context) -> Iterator[Finding]:
    limit = int(context.options["max"])
    if len(template.name) > limit:
        yield Finding(
            template.position_of("name"),
            f"name is {len(template.name)} characters; the limit is {limit}",
        )


RULE = Rule(
    id="name-length",
    level=Level.ERROR,
    doc=__doc__,
    options={"max": 64},
    dialect_options={"template-configs": {"max": 255}},
    check=check,
)
