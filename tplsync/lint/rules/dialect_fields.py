"""A field the configured dialect (``api.dialect``) cannot carry out.

The template-configs dialect needs ``country_codes``, refers to a signature
by the ``name`` declared in ``signatures.yaml`` (not by ``id``), and files
every create and update for review, so ``submit: false`` cannot be honoured.
The templates dialect has no ``country_codes`` and knows a signature only by
its ``id``.

With ``api.dialect: template-configs``:

Bad::

    name: order-shipped
    type: notification
    submit: false
    content: Your order has shipped.

Good::

    name: order-shipped
    type: notification
    country_codes: [US, GB]
    signature: {name: Acme, position: suffix}
    content: Your order has shipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template

TEMPLATE_CONFIGS = "template-configs"


def check(template: Template, context: Context) -> Iterator[Finding]:
    signature = template.signature
    if context.dialect == TEMPLATE_CONFIGS:
        if not template.country_codes:
            yield Finding(template.position, "country_codes is required in this dialect")
        if template.submit is False:
            yield Finding(
                template.position_of("submit"),
                "submit: false is impossible: this dialect files every write for review",
            )
        if signature is not None and signature.name is None:
            yield Finding(
                template.position_of("signature"),
                "refer to the signature by the name declared in signatures.yaml, not by id",
            )
        return
    if template.country_codes:
        yield Finding(
            template.position_of("country_codes"),
            "country_codes is only sent in the template-configs dialect (api.dialect)",
        )
    if signature is not None and signature.id is None:
        yield Finding(
            template.position_of("signature"),
            "this dialect knows a signature only by its id (signature: {id: ...})",
        )


RULE = Rule(id="dialect-fields", level=Level.ERROR, doc=__doc__, check=check)
