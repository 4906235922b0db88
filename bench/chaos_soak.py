"""Chaos soak: one apply of mixed changes through injected faults loses nothing.

    python bench/chaos_soak.py [--changes 300] [--seed 1]

The soak itself (the scenario, the faults and what must hold afterwards) is
``tests/helpers/chaos.py``, which the tests run at a smaller size. Prints
retries, calls and wall time; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.helpers.chaos import FAULTS, soak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = soak(args.changes, args.seed)
    print(
        f"chaos soak, {args.changes} changes, faults {FAULTS}: {result.seconds:.1f} s, "
        f"{result.calls} requests reached the sandbox; client: {result.retries} retries"
    )
    for problem in result.problems:
        print(f"FAIL: {problem}")
    print("PASS: plan empty, no duplicate, no unintended delete" if not result.problems else "FAIL")
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
