"""The template does not match ``schemas/template.schema.json``.

Missing or unknown keys (with a "did you mean"), wrong types and values
outside the allowed set, located at the offending key. Each document of a
file is one template; the content rules run only on documents that pass.

Bad::

    name: order-shipped
    type: notify
    contnet: Your order has shipped.

Good::

    name: order-shipped
    type: notification
    content: Your order has shipped.
"""

from tplsync.lint.rule import Rule
from tplsync.model import Level

RULE = Rule(id="schema", level=Level.ERROR, doc=__doc__)
