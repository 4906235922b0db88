"""Lint with declared variables on every template vs the same files without.

    python bench/declarations_bench.py [--files 2000] [--runs 5]

Two directories of N generated templates that differ only in a
``variables:`` section declaring each placeholder; both are linted
in-process, in turn, in the same run. Target: with declarations within
1.15x of without. Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import interleaved, report
from lint_bench import TEMPLATE as LINT_TEMPLATE

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


def lint_in_process(root: Path, directory: str) -> None:
    from tplsync.commands.lint import lint_paths
    from tplsync.config import Config

    result = lint_paths(Config(root=root), [directory], root)
    assert not result.problems, result.problems[:3]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        generate(root / "declared", args.files, declared=True)
        generate(root / "plain", args.files, declared=False)
        print(f"{args.files} generated template files each, best of {args.runs * 2} runs")
        lint_in_process(root, "declared")  # warm imports and caches once
        lint_in_process(root, "plain")
        declared, plain = interleaved(
            args.runs * 2,
            lambda: lint_in_process(root, "declared"),
            lambda: lint_in_process(root, "plain"),
        )
        passed = declared <= 1.15 * plain
        report(
            f"lint in-process, {args.files} files with declarations",
            declared,
            "the same files without",
            plain,
            "<= 1.15",
            passed,
        )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
