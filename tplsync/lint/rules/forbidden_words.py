"""The content holds ``test`` or ``测试``, which the service rejects.

Case-insensitive. The whole word is an error; inside another word (such as
"latest" or "contest") it is reported at ``inside_word_level`` (warning by
default), since the service may match it there too.

Bad::

    name: welcome
    type: notification
    content: This is a test message.

Good::

    name: welcome
    type: notification
    content: Welcome to Acme, {{name}}!
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template

_WORDS = re.compile(r"test|测试", re.IGNORECASE)


def _word_char(char: str) -> bool:
    """Part of an alphabetic word; CJK text has no spaces between words."""
    return (char.isalnum() or char == "_") and ord(char) < 0x2E80


def _inside_word(content: str, start: int, end: int) -> bool:
    if content[start:end] == "测试":
        return False
    before = content[start - 1] if start else " "
    after = content[end] if end < len(content) else " "
    return _word_char(before) or _word_char(after)


def check(template: Template, context: Context) -> Iterator[Finding]:
    for match in _WORDS.finditer(template.content):
        word = match.group(0)
        where = f"at col {match.start() + 1}"
        if _inside_word(template.content, match.start(), match.end()):
            yield Finding(
                template.content_position(match.start()),
                f"{word!r} {where} is inside another word; the service may still reject it",
                Level(context.options["inside_word_level"]),
            )
        else:
            yield Finding(
                template.content_position(match.start()),
                f"the word {word!r} {where} is rejected by the service",
            )


RULE = Rule(
    id="forbidden-words",
    level=Level.ERROR,
    doc=__doc__,
    options={"inside_word_level": "warning"},
    check=check,
)
