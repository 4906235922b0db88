"""Lint with declared variables on every template vs the same files without.

    python bench/declarations_bench.py [--files 2000] [--rounds 5]

Two directories of N generated templates that differ only in a
``variables:`` section declaring each placeholder; both are linted
in-process, each in a fresh process after a warm-up pass, taking turns
round by round, and their CPU time compared (as ``lint_bench.py`` does).
Target: with declarations within 1.15x of without. Exits 1 when missed.

Beside it, the same ratio for parsing the two sets of files with
``yaml.CSafeLoader`` alone, in the same rounds: no lint that reads the
declarations can come closer than the parse of them does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Row, at_most, checked, print_rows, rounds, spread
from lint_bench import TEMPLATE as LINT_TEMPLATE
from lint_bench import in_process_seconds

# the template of lint_bench.py, with declarations before its samples
TEMPLATE = LINT_TEMPLATE.replace("\nsamples:", "\n{variables}samples:")
assert "{variables}" in TEMPLATE

VARIABLES = """\
variables:
  name: {max_length: 20, charset: gsm7}
  order_id: {pattern: "[A-Z]-[0-9]{1,5}"}
  url: {max_length: 40, charset: gsm7-basic}
"""


def generate(directory: Path, count: int, declared: bool) -> None:
    directory.mkdir()
    states = ["packed", "shipped", "out for delivery", "delivered"]
    for index in range(count):
        (directory / f"template-{index:05}.yaml").write_text(
            TEMPLATE.format(
                index=index,
                type=("notification", "marketing")[index % 2],
                state=states[index % 4],
                signature=1000 + index % 7,
                variables=VARIABLES if declared else "",
            ),
            encoding="utf-8",
        )


def rows(files: int, count: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        generate(root / "declared", files, declared=True)
        generate(root / "plain", files, declared=False)
        declared, plain, parse_declared, parse_plain = rounds(
            count,
            lambda: in_process_seconds("lint", root / "declared", files),
            lambda: in_process_seconds("lint", root / "plain", files),
            lambda: in_process_seconds("parse", root / "declared", files),
            lambda: in_process_seconds("parse", root / "plain", files),
        )
    lint_ratios = [a / b for a, b in zip(declared, plain, strict=True)]
    parse_ratios = [a / b for a, b in zip(parse_declared, parse_plain, strict=True)]
    return [
        Row(
            f"lint {files:,} files with 3 declared variables each (in-process, CPU time)",
            spread(declared, "s"),
            f"the same files without `variables:`: {spread(plain, 's')}; parsing "
            f"alone (`yaml.CSafeLoader`), with vs without: {spread(parse_ratios, '×')}",
            lint_ratios,
            "≤ 1.15",
            at_most(1.15),
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    return print_rows(rows(args.files, max(args.rounds, 5)))


if __name__ == "__main__":
    sys.exit(checked(main))
