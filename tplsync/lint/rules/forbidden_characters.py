"""The content holds ``[`` ``]`` ``【`` or ``】`` (or, in the template-configs
dialect, ``、``), which the service rejects.

Each one is reported at its own position.

Bad::

    name: order-shipped
    type: notification
    content: "[Acme] Your order {{order_id}} has shipped."

Good::

    name: order-shipped
    type: notification
    content: "Acme: your order {{order_id}} has shipped."
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template

FORBIDDEN = {"[": "(", "]": ")", "【": "(", "】": ")", "、": ","}
_DIALECT_ONLY = {"、": "template-configs"}


_FORBIDDEN = re.compile("[" + re.escape("".join(FORBIDDEN)) + "]")


def check(template: Template, context: Context) -> Iterator[Finding]:
    for match in _FORBIDDEN.finditer(template.content):
        if _DIALECT_ONLY.get(match.group(0), context.dialect) != context.dialect:
            continue
        char, index = match.group(0), match.start()
        yield Finding(
            template.content_position(index),
            f"{char!r} at col {index + 1} is rejected by the service; "
            f"use {FORBIDDEN[char]!r} instead",
        )


RULE = Rule(id="forbidden-characters", level=Level.ERROR, doc=__doc__, check=check)
