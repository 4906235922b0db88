"""Lint speed and memory (SPEC §9), each figure beside a baseline from the same rounds.

    python bench/lint_bench.py [--files 2000] [--memory-files 16000] [--rounds 5]

- ``tplsync lint`` of N files vs ``check-jsonschema`` validating the same
  files against the same schema, both as the command a user runs (target:
  faster; the row is left out when check-jsonschema is not installed);
- lint of N files in-process vs only parsing them with ``yaml.CSafeLoader``,
  each in a fresh process after one warm-up pass (target: within 1.3x); both
  are single-threaded work, so their CPU time is compared: on a shared
  machine their wall time mostly measures the other jobs;
- one-file lint, the whole process, vs ``python -c "import click, yaml,
  jsonschema"`` (target: within 1.3x);
- peak RSS of ``tplsync lint`` over M files vs a streaming CSafeLoader parse
  of the same files (target: at most 40 MB).
Every run must find the files clean; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    ROOT,
    BenchError,
    Row,
    at_most,
    checked,
    measure,
    print_rows,
    rounds,
    run_json,
    script,
    spread,
    tplsync_command,
)

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
    directory.mkdir(parents=True)
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


def parse_only(directory: Path) -> int:
    """Parse every file, one at a time; the number of documents."""
    import yaml

    documents = 0
    for path in sorted(directory.glob("*.yaml")):
        documents += sum(1 for _ in yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader))
    return documents


def lint_in_process(directory: Path) -> int:
    """Lint every file; the number of files (the lint must find nothing)."""
    from tplsync.commands.lint import lint_paths
    from tplsync.config import Config

    report = lint_paths(Config(root=directory), ["."], directory)
    if report.problems:
        raise BenchError(f"the generated files have problems: {report.problems[:3]}")
    return report.files


def inner(task: str, directory: Path, timed: bool) -> None:
    """Run in a fresh process: one warm-up pass, then one timed pass (``timed``);
    prints the CPU seconds and the count the task found."""
    action = lint_in_process if task == "lint" else parse_only
    if timed:
        action(directory)
    started = time.process_time()
    found = action(directory)
    print(json.dumps([time.process_time() - started, found]))


def in_process_seconds(task: str, directory: Path, expected: int) -> float:
    answer = run_json(script("lint_bench.py", "--inner", task, str(directory)))
    if not isinstance(answer, list) or answer[1] != expected:
        raise BenchError(f"{task} found {answer} instead of {expected}")
    return float(answer[0])


def check_clean(output: str, files: int) -> None:
    if "no problems" not in output or not any(
        f"{shown} file" in output for shown in (files, f"{files:,}")
    ):
        raise BenchError(f"tplsync lint did not report {files} clean files:\n{output[-500:]}")


def command_rows(root: Path, files: int, count: int) -> list[Row]:
    rows = []
    check_jsonschema = Path(sys.executable).parent / "check-jsonschema"
    found = str(check_jsonschema) if check_jsonschema.exists() else shutil.which("check-jsonschema")
    if found is not None:
        paths = [str(p) for p in sorted((root / "templates").glob("*.yaml"))]

        def ours() -> float:
            run = measure(tplsync_command("lint", "templates"), root)
            check_clean(run.output, files)
            return run.seconds

        def theirs() -> float:
            run = measure([found, "--schemafile", str(SCHEMA), *paths], root)
            if "ok" not in run.output:
                raise BenchError(f"check-jsonschema did not validate:\n{run.output[-500:]}")
            return run.seconds

        mine, base = rounds(count, ours, theirs)
        rows.append(
            Row(
                f"lint {files:,} files (command)",
                spread(mine, "s"),
                f"`check-jsonschema`, same files and schema: {spread(base, 's')}",
                [a / b for a, b in zip(mine, base, strict=True)],
                "< 1",
                lambda ratio: ratio < 1,
            )
        )
    else:
        print("check-jsonschema not installed (pip install -e '.[bench]'): row left out")

    directory = root / "templates"
    mine, base = rounds(
        count,
        lambda: in_process_seconds("lint", directory, files),
        lambda: in_process_seconds("parse", directory, files),
    )
    rows.append(
        Row(
            f"lint {files:,} files (in-process, CPU time)",
            spread(mine, "s"),
            f"parse only with `yaml.CSafeLoader`: {spread(base, 's')}",
            [a / b for a, b in zip(mine, base, strict=True)],
            "≤ 1.3",
            at_most(1.3),
        )
    )

    one = str(directory / "template-00000.yaml")

    def single() -> float:
        run = measure(tplsync_command("lint", one), root)
        check_clean(run.output, 1)
        return run.seconds

    imports = "import click, yaml, jsonschema"
    mine, base = rounds(
        max(count * 4, 20), single, lambda: measure([sys.executable, "-c", imports]).seconds
    )
    rows.append(
        Row(
            "lint one file (pre-commit)",
            spread([m * 1000 for m in mine], "ms", 0),
            f'`python -c "{imports}"`: {spread([b * 1000 for b in base], "ms", 0)}',
            [a / b for a, b in zip(mine, base, strict=True)],
            "≤ 1.3",
            at_most(1.3),
        )
    )
    return rows


def memory_row(root: Path, files: int, count: int) -> Row:
    directory = root / "many"
    generate(directory, files)

    def ours() -> float:
        run = measure(tplsync_command("lint", "many"), root)
        check_clean(run.output, files)
        return run.peak_mib

    def streaming_parse() -> float:
        run = measure(script("lint_bench.py", "--inner", "parse", str(directory), "--once"))
        if json.loads(run.output.strip().splitlines()[-1])[1] != files:
            raise BenchError(f"the streaming parse did not find {files} documents")
        return run.peak_mib

    mine, base = rounds(count, ours, streaming_parse)
    return Row(
        f"lint {files:,} files, peak RSS",
        spread(mine, "MB", 0),
        f"streaming `yaml.CSafeLoader` parse: {spread(base, 'MB', 0)}",
        [a / b for a, b in zip(mine, base, strict=True)],
        "≤ 40 MB",
        at_most(40),
        judged=mine,
    )


def rows(files: int, memory_files: int, count: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        generate(root / "templates", files)
        found = command_rows(root, files, count)
        found.append(memory_row(root, memory_files, count))
        return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--memory-files", type=int, default=16000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--inner", nargs=2, metavar=("TASK", "DIRECTORY"), help=argparse.SUPPRESS)
    parser.add_argument("--once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.inner[0], Path(args.inner[1]), timed=not args.once)
        return 0
    return print_rows(rows(args.files, args.memory_files, max(args.rounds, 5)))


if __name__ == "__main__":
    sys.exit(checked(main))
