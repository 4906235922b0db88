"""The content starts or ends with whitespace, or doubles a space.

Whitespace is sent and billed like any character. A block scalar (``|``)
keeps its final newline: write ``|-`` to drop it.

Bad::

    name: welcome
    type: notification
    content: |
      Welcome to Acme,  {{name}}!

Good::

    name: welcome
    type: notification
    content: |-
      Welcome to Acme, {{name}}!
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template

_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")


def check(template: Template, context: Context) -> Iterator[Finding]:
    content = template.content
    if content[:1].isspace():
        yield Finding(template.content_position(0), "content starts with whitespace")
    if content[-1:].isspace():
        hint = " (a block scalar keeps its final newline: use |-)" if content[-1] == "\n" else ""
        yield Finding(
            template.content_position(len(content) - 1), f"content ends with whitespace{hint}"
        )
    for run in _SPACES.finditer(content):
        yield Finding(
            template.content_position(run.start()),
            f"{len(run.group(0))} spaces in a row at col {run.start() + 1}",
        )


RULE = Rule(id="whitespace", level=Level.WARNING, doc=__doc__, check=check)
