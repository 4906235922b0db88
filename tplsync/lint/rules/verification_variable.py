"""A verification template has no variable to carry the code.

Bad::

    name: login-code
    type: verification
    content: Your login code is 123456.

Good::

    name: login-code
    type: verification
    content: "Your login code is {{code}}. It expires in 5 minutes."
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template, TemplateType
from tplsync.placeholders import variables


def check(template: Template, context: Context) -> Iterator[Finding]:
    if template.type is TemplateType.VERIFICATION and not variables(
        template.content, context.syntax
    ):
        yield Finding(
            template.position_of("content"),
            "a verification template needs a variable for the code, e.g. "
            f"{context.syntax.placeholder('code')}",
        )


RULE = Rule(id="verification-variable", level=Level.ERROR, doc=__doc__, check=check)
