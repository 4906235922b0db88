"""The content holds ``[`` ``]`` ``【`` or ``】`` (or, in the template-configs
dialect, ``、``), which the service rejects; or the name holds a control or
bidirectional-override character.

Each one is reported at its own position. A name is printed in plans,
status lines and CI logs, where a newline, a terminal escape code or a
right-to-left override would change what a reviewer reads.

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
from tplsync.safetext import has_unsafe

FORBIDDEN = {"[": "(", "]": ")", "【": "(", "】": ")", "、": ","}
_DIALECT_ONLY = {"、": "template-configs"}


_FORBIDDEN = re.compile("[" + re.escape("".join(FORBIDDEN)) + "]")


def check(template: Template, context: Context) -> Iterator[Finding]:
    unsafe = has_unsafe(template.name)
    if unsafe is not None:
        yield Finding(
            template.position_of("name"),
            f"the name holds the control character {unsafe}; names are printed in plans and logs",
        )
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
