"""The file is not safe, readable YAML.

Reported with the parser's line and column: broken indentation or quoting,
duplicate keys, bytes that are not UTF-8, a byte-order mark, a file over
1 MiB or not a regular file, alias bombs (more than 50,000 nodes or
2 MiB of text once aliases expand), nesting deeper than 64 levels, values
Python cannot hold (``2001-13-01``, a 5,000-digit integer), and tags such as
``!!python/object`` (only plain YAML is read; nothing is ever constructed
or executed).

Bad::

    name: order-shipped
    content: "Hi {{name}}, your order has shipped.
    type: notification

Good::

    name: order-shipped
    content: "Hi {{name}}, your order has shipped."
    type: notification
"""

from tplsync.lint.rule import Rule
from tplsync.model import Level

RULE = Rule(id="syntax", level=Level.ERROR, doc=__doc__)
