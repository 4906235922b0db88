"""One half of ``tplsync plan`` alone, as its own process: the baselines of the plan benchmark.

    python bench/plan_part.py load|list   (in the project, with the plan's environment)

It imports what ``tplsync plan`` imports, then does only the files' half
of the plan (``load``: read and parse them and run the lint that plan
runs before planning) or only the account's (``list``), and prints how
many templates it found, so the benchmark can check the answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> int:
    import tplsync.cli  # noqa: F401  (the plan command's own start-up)
    from tplsync import planoutput, savedplan  # noqa: F401
    from tplsync.account import connect
    from tplsync.commands.sync import declared_templates
    from tplsync.config import load_config

    config = load_config(None, Path.cwd(), None, os.environ, {})
    if sys.argv[1] == "load":
        found = len(declared_templates(config, checked=True))
    else:
        with connect(config, os.environ) as account:
            found = len(account.client.list())
    print(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
