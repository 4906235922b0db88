"""Lint speed (SPEC §9): 2,000 files, and one file as pre-commit runs it.

    python bench/lint_bench.py [--files 2000] [--runs 5]

Each figure is printed beside a baseline measured in the same run:
- lint of N files vs check-jsonschema validating the same files against
  the same schema (target: faster), both as the command a user runs;
- lint of N files in-process vs only parsing them with yaml.CSafeLoader
  (target: within 2x);
- one-file lint, the whole process, vs python -c "import click, yaml,
  jsonschema" (target: within 1.3x).
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import interleaved, report, run_quietly

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "template.schema.json"

TEMPLATE = """\
# yaml-language-server: $schema=template.schema.json
name: order-update-{index}
type: {type}
description: Generated benchmark template number {index}.
content: "Hi {{{{name}}}}, order {{{{order_id}}}} is {state}. Details: {{{{url}}}}"
signature: {{id: {signature}, position: prefix}}
samples:
  - params: {{name: Bob, order_id: "A-{index}", url: "https://acme.example/o/{index}"}}
    expect: "Hi Bob, order A-{index} is {state}. Details: https://acme.example/o/{index}"
  - params: {{name: Ann, order_id: "B-{index}", url: "https://acme.example/o/b{index}"}}
"""


def generate(directory: Path, count: int) -> list[Path]:
    states = ["packed", "shipped", "out for delivery", "delivered"]
    types = ["notification", "marketing"]
    paths = []
    for index in range(count):
        path = directory / f"template-{index:05}.yaml"
        path.write_text(
            TEMPLATE.format(
                index=index,
                type=types[index % 2],
                state=states[index % 4],
                signature=1000 + index % 7,
            ),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def parse_only(paths: list[Path]) -> None:
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def lint_in_process(root: Path) -> None:
    from tplsync.commands.lint import lint_paths
    from tplsync.config import Config

    result = lint_paths(Config(root=root), ["templates"], root)
    assert not result.problems, result.problems[:3]


def tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found: pip install -e '.[bench]'")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tplsync, check_jsonschema = tool("tplsync"), tool("check-jsonschema")
    ok = True
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        templates = root / "templates"
        templates.mkdir()
        paths = generate(templates, args.files)
        print(f"{args.files} generated template files, best of {args.runs} runs")

        ours, theirs = interleaved(
            args.runs,
            lambda: run_quietly([tplsync, "lint", "templates"], temporary),
            lambda: run_quietly(
                [check_jsonschema, "--schemafile", str(SCHEMA), *map(str, paths)], temporary
            ),
        )
        ok &= report(
            f"tplsync lint, {args.files} files",
            ours,
            "check-jsonschema, same files",
            theirs,
            "< 1.0",
            ours < theirs,
        )

        lint_in_process(root)  # warm imports and caches once
        linted, parsed = interleaved(
            args.runs * 2, lambda: lint_in_process(root), lambda: parse_only(paths)
        )
        ok &= report(
            f"lint in-process, {args.files} files",
            linted,
            "yaml.CSafeLoader parse only",
            parsed,
            "<= 2.0",
            linted <= 2 * parsed,
        )

        one = str(paths[0])
        runs = max(args.runs * 4, 20)
        single, imports = interleaved(
            runs,
            lambda: run_quietly([tplsync, "lint", one], temporary),
            lambda: run_quietly([sys.executable, "-c", "import click, yaml, jsonschema"]),
        )
        ok &= report(
            "tplsync lint, one file",
            single,
            "python -c 'import click, yaml, jsonschema'",
            imports,
            "<= 1.3",
            single <= 1.3 * imports,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
