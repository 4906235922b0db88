"""Every benchmark, then the README's Performance table.

    python bench/run_all.py [--rounds 5] [--scale]

Needs ``pip install -e '.[bench]'`` (check-jsonschema). Takes about 8
minutes on 2 cores; ``--scale`` adds plans of 10,000, 30,000 and 100,000
templates (about as long again). Exits 1 when a target is missed, 2 when
an answer a figure relies on was wrong.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import declarations_bench
import lint_bench
import sandbox_bench
import sync_bench
from common import bytecode_note, checked, precompile, print_rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", action="store_true", help="also plan 10k, 30k and 100k")
    args = parser.parse_args()
    count = max(args.rounds, 5)
    precompile()
    rows = lint_bench.rows(files=2000, memory_files=16000, count=count)
    rows += declarations_bench.rows(files=2000, count=count)
    rows += sandbox_bench.rows(seconds=2.0, clients=4, count=count)
    rows += sync_bench.rows(
        creates=200, templates=5000, memory=20000, count=count, scale=args.scale
    )
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(
        f"\nPython {platform.python_version()}, {os.cpu_count()} cores, load average {load} "
        f"at the end; {count} rounds, min–max (median); {bytecode_note()}\n"
    )
    return print_rows(rows)


if __name__ == "__main__":
    sys.exit(checked(main))
