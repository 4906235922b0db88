"""Sync engine benchmarks (SPEC §9) against sandbox processes, each figure beside its baseline.

    python bench/sync_bench.py [--creates 200] [--templates 5000] [--memory 20000]
                               [--rounds 5] [--scale]

- apply of N creates at 50 ms latency: exactly N create calls and N
  templates afterwards, and ``--parallelism 8`` at least 6x faster than
  ``--parallelism 1``;
- plan of N remote x N declared at 50 ms latency (no changes): exactly
  ceil(N/100) list calls, at least 6x faster than ``--parallelism 1``, and
  at most 1.25x the slower of its halves alone (``bench/plan_part.py``:
  loading and linting the files as plan does, listing the account, each a
  whole process);
- plan at M templates: peak RSS under 150 MB, beside ``tplsync --version``;
- with ``--scale``: plan of 10,000, 30,000 and 100,000 remote x declared
  (0 ms latency): peak RSS under 300 MB and time linear in N.
Every account is seeded from the files and its size checked before a
figure is taken; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    BenchError,
    Measured,
    Row,
    at_least,
    at_most,
    checked,
    measure,
    print_rows,
    rounds,
    script,
    spread,
    tplsync_command,
)

AUTH = ("sandbox-user", "sandbox-key")
LIST = "GET /v1/templates"
CREATE = "POST /v1/templates"


def write_templates(directory: Path, count: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        name = f"template-{index:06}"
        content = f"Hi {{{{name}}}}, your order {{{{order_id}}}} number {index} is ready."
        (directory / f"{name}.yaml").write_text(
            f'name: {name}\ntype: notification\ncontent: "{content}"\n', encoding="utf-8"
        )


class Sandbox:
    """``tplsync sandbox`` in its own process; every admin answer is checked."""

    def __init__(self, latency_ms: float) -> None:
        command = ["sandbox", "--port", "0", "--latency-ms", str(latency_ms)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tplsync", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().split()[-1]
        if not self.url.startswith("http://127.0.0.1:"):
            raise BenchError(f"the sandbox did not start: {self.url!r}")

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/_sandbox/{path}", data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=600) as answer:
            return json.load(answer)

    def total(self) -> int:
        request = urllib.request.Request(f"{self.url}/v1/templates?limit=1")
        request.add_header("Authorization", "Basic c2FuZGJveC11c2VyOnNhbmRib3gta2V5")
        with urllib.request.urlopen(request, timeout=60) as answer:
            return int(json.load(answer)["total"])

    def reset(self, directory: Path | None = None, expected: int = 0) -> None:
        """Empty the account, then seed it from ``directory``: exactly ``expected`` templates."""
        self.admin("POST", "reset")
        if directory is not None:
            seeded = self.admin("POST", "seed", {"directory": str(directory)})["seeded"]
            if seeded != expected:
                raise BenchError(f"seeded {seeded} templates, not {expected}")
        if self.total() != expected:
            raise BenchError(f"the account holds {self.total()} templates, not {expected}")
        self.clear_counts()

    def clear_counts(self) -> None:
        self.admin("DELETE", "requests")

    def calls(self, key: str) -> int:
        return int(self.admin("GET", "requests")["counts"].get(key, 0))

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TPLSYNC_ENDPOINT": url,
        "ENGAGELAB_SMS_USER": AUTH[0],
        "ENGAGELAB_SMS_KEY": AUTH[1],
        "NO_COLOR": "1",
    }


def ratios(ours: list[float], base: list[float]) -> list[float]:
    return [a / b for a, b in zip(ours, base, strict=True)]


def faster_row(what: str, ours: str, fast: list[float], theirs: str, slow: list[float]) -> Row:
    """``ours`` (times ``fast``) at least 6x faster than ``theirs`` (times ``slow``)."""
    return Row(
        what,
        f"{ours}: {spread(fast, 's')}",
        f"{theirs}: {spread(slow, 's')}",
        [b / a for a, b in zip(fast, slow, strict=True)],
        "≥ 6× faster",
        at_least(6),
        unit="×",
    )


def apply_row(root: Path, sandbox: Sandbox, creates: int, count: int) -> Row:
    project = root / "apply"
    write_templates(project / "templates", creates)

    def apply(parallelism: int) -> float:
        sandbox.reset()
        run = measure(
            tplsync_command("apply", "--auto-approve", "-q", "--parallelism", str(parallelism)),
            project,
            environment(sandbox.url),
        )
        made, total = sandbox.calls(CREATE), sandbox.total()
        if made != creates or total != creates:
            raise BenchError(f"apply made {made} create calls and {total} templates, not {creates}")
        return run.seconds

    eight, one = rounds(count, lambda: apply(8), lambda: apply(1))
    return faster_row(
        f"apply, {creates:,} creates ({creates} calls), 50 ms latency",
        "`--parallelism 8`",
        eight,
        "`--parallelism 1`",
        one,
    )


def plan(project: Path, sandbox: Sandbox, pages: int, *extra: str) -> Measured:
    """One ``tplsync plan`` that must find no changes in exactly ``pages`` list calls."""
    sandbox.clear_counts()
    run = measure(
        tplsync_command("plan", "--detailed-exitcode", *extra), project, environment(sandbox.url)
    )
    calls = sandbox.calls(LIST)
    if calls != pages:
        raise BenchError(f"plan {' '.join(extra)} made {calls} list calls, not {pages}")
    return run


def part(project: Path, sandbox: Sandbox, which: str, expected: int, pages: int) -> float:
    """Loading the files alone, or listing the account alone, as a whole process."""
    sandbox.clear_counts()
    run = measure(script("plan_part.py", which), project, environment(sandbox.url))
    found = int(run.output.split()[-1])
    calls = sandbox.calls(LIST)
    if found != expected or calls != (pages if which == "list" else 0):
        raise BenchError(f"{which} alone found {found} templates in {calls} list calls")
    return run.seconds


def plan_rows(root: Path, sandbox: Sandbox, templates: int, count: int) -> list[Row]:
    project = root / "plan"
    write_templates(project / "templates", templates)
    sandbox.reset(project / "templates", templates)
    pages = math.ceil(templates / 100)
    default, serial, load, listing = rounds(
        count,
        lambda: plan(project, sandbox, pages).seconds,
        lambda: plan(project, sandbox, pages, "--parallelism", "1").seconds,
        lambda: part(project, sandbox, "load", templates, pages),
        lambda: part(project, sandbox, "list", templates, pages),
    )
    floor = [max(a, b) for a, b in zip(load, listing, strict=True)]
    what = f"plan, {templates:,} remote × {templates:,} declared, 50 ms latency"
    return [
        faster_row(f"{what}, {pages} list calls", "default", default, "`--parallelism 1`", serial),
        Row(
            f"{what}: the halves overlap",
            f"default: {spread(default, 's')}",
            f"slower of loading and linting the files alone ({spread(load, 's')}) and "
            f"listing alone ({spread(listing, 's')})",
            ratios(default, floor),
            "≤ 1.25",
            at_most(1.25),
        ),
    ]


def memory_row(root: Path, sandbox: Sandbox, templates: int, count: int) -> Row:
    project = root / "memory"
    write_templates(project / "templates", templates)
    sandbox.reset(project / "templates", templates)
    pages = math.ceil(templates / 100)
    peak, idle = rounds(
        count,
        lambda: plan(project, sandbox, pages).peak_mib,
        lambda: measure(tplsync_command("--version")).peak_mib,
    )
    return Row(
        f"plan at {templates:,} templates, peak RSS",
        spread(peak, "MB", 0),
        f"`tplsync --version`: {spread(idle, 'MB', 0)}",
        ratios(peak, idle),
        "< 150 MB",
        lambda figure: figure < 150,
        judged=peak,
    )


def scale_rows(root: Path, sandbox: Sandbox, count: int) -> list[Row]:
    """Plans of 10k, 30k and 100k: time per 1,000 templates against the 10k plan's."""
    seconds: dict[int, list[float]] = {}
    peaks: dict[int, list[float]] = {}
    for size in (10_000, 30_000, 100_000):
        project = root / f"scale-{size}"
        write_templates(project / "templates", size)
        sandbox.reset(project / "templates", size)
        runs = [plan(project, sandbox, math.ceil(size / 100)) for _ in range(count)]
        seconds[size] = [run.seconds for run in runs]
        peaks[size] = [run.peak_mib for run in runs]
        sandbox.reset()
    small = statistics.median(seconds[10_000]) / 10
    rows = [
        Row(
            f"plan, {size:,} remote × {size:,} declared, 0 ms latency",
            f"{spread(seconds[size], 's', 1)}, peak RSS {spread(peaks[size], 'MB', 0)}",
            f"10,000 × 10,000: {spread(seconds[10_000], 's', 1)}",
            [figure / (size / 1000) / small for figure in seconds[size]],
            "time per template ≤ 1.25× the 10,000 plan's (median)",
            at_most(1.25),
        )
        for size in (30_000, 100_000)
    ]
    rows.append(
        Row(
            "plan at 100,000 templates, peak RSS",
            spread(peaks[100_000], "MB", 0),
            f"at 10,000: {spread(peaks[10_000], 'MB', 0)}",
            ratios(peaks[100_000], peaks[10_000]),
            "< 300 MB",
            lambda figure: figure < 300,
            judged=peaks[100_000],
        )
    )
    return rows


def rows(creates: int, templates: int, memory: int, count: int, scale: bool) -> list[Row]:
    slow, fast = Sandbox(latency_ms=50), Sandbox(latency_ms=0)
    try:
        with tempfile.TemporaryDirectory() as temporary:
            root = Path(temporary)
            found = [apply_row(root, slow, creates, count)]
            found += plan_rows(root, slow, templates, count)
            found.append(memory_row(root, fast, memory, count))
            if scale:
                found += scale_rows(root, fast, count)
            return found
    finally:
        slow.close()
        fast.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--creates", type=int, default=200)
    parser.add_argument("--templates", type=int, default=5000)
    parser.add_argument("--memory", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", action="store_true", help="also plan 10k, 30k and 100k")
    args = parser.parse_args()
    found = rows(args.creates, args.templates, args.memory, max(args.rounds, 5), args.scale)
    return print_rows(found)


if __name__ == "__main__":
    sys.exit(checked(main))
