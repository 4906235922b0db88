"""The content is longer than the service's 512 characters (``max`` option).

Characters are Unicode code points, as the service counts them; the
signature is not part of the content. Reported at the first character past
the limit.

Bad::

    name: terms
    type: notification
    content: "(600 characters of terms and conditions)"

Good::

    name: terms
    type: notification
    content: "Our terms changed. Read them at https://exa.mple/terms"
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template


def check(template: Template, context: Context) -> Iterator[Finding]:
    limit = int(context.options["max"])
    length = len(template.content)
    if length > limit:
        yield Finding(
            template.content_position(limit),
            f"content is {length} characters; the limit is {limit}",
        )


RULE = Rule(id="content-length", level=Level.ERROR, doc=__doc__, options={"max": 512}, check=check)
