"""A character forces the whole message from GSM-7 into UCS-2.

One curly quote, en/em dash, no-break space, ellipsis or emoji makes every
segment hold 70 characters instead of 160, often doubling the cost. Each
is reported at its position with the GSM-7 text to use instead. Content
written in a script GSM-7 cannot carry (Chinese, Arabic, Cyrillic…) is
UCS-2 by nature and not reported, unless ``allow_unicode_scripts`` is false.
The configured signature text is checked too.

Bad::

    name: order-shipped
    type: notification
    content: "We’ve shipped your order – track it here… 📦"

Good::

    name: order-shipped
    type: notification
    content: "We've shipped your order - track it here..."
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template
from tplsync.preview import signature_text
from tplsync.segments import ForcedCharacter, forced_characters


def _by_nature(forced: tuple[ForcedCharacter, ...]) -> bool:
    return any(f.replacement is None and f.char.isalpha() for f in forced)


def check(template: Template, context: Context) -> Iterator[Finding]:
    signature = signature_text(template.signature, context.signatures)
    in_content = forced_characters(template.content)
    in_signature = forced_characters(signature)
    if context.options["allow_unicode_scripts"] and _by_nature(in_content + in_signature):
        return
    for forced in in_content:
        yield Finding(
            template.content_position(forced.index),
            f"forces UCS-2 (70 characters a segment, not 160): {forced.describe()}",
        )
    for forced in in_signature:
        yield Finding(
            template.position_of("signature"),
            f"the signature text forces UCS-2: {forced.describe()}",
        )


RULE = Rule(
    id="encoding",
    level=Level.WARNING,
    doc=__doc__,
    options={"allow_unicode_scripts": True},
    check=check,
)
