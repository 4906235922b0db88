"""What every benchmark shares: measured child processes, rounds, and table rows.

Each measured command runs as the direct child of a small launcher
(``python -I -S``, about 8 MB), which times it and reads its peak RSS with
``wait4``: the figure is the command's own, not the benchmark's (a child
forked from a large parent starts with the parent's size as its peak).
Every answer a figure relies on is checked, and a wrong one stops the
benchmark with :class:`BenchError`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_LAUNCHER = r"""
import json, os, sys, time
out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(out, 1)
    os.dup2(out, 2)
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
print(json.dumps([elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


class BenchError(Exception):
    """An answer a figure relies on was wrong: the figure would be meaningless."""


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mib: float
    output: str


def measure(
    command: Sequence[str],
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    expect: Sequence[int] = (0,),
) -> Measured:
    """Run ``command`` as the direct child of a small launcher; its wall time,
    its own peak RSS, and its output (stdout and stderr), its exit code checked."""
    with tempfile.NamedTemporaryFile(prefix="bench-out-") as captured:
        launched = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _LAUNCHER, captured.name, *command],
            cwd=cwd,
            env=dict(env) if env is not None else None,
            capture_output=True,
            text=True,
            check=False,
        )
        output = Path(captured.name).read_text(encoding="utf-8", errors="replace")
    if launched.returncode != 0:
        raise BenchError(f"launcher failed: {launched.stderr.strip()}")
    seconds, peak_kib, code = json.loads(launched.stdout)
    if code not in expect:
        raise BenchError(
            f"{' '.join(command)} exited {code} (expected {expect}):\n{output[-2000:]}"
        )
    return Measured(seconds, peak_kib / 1024, output)


def tplsync_command(*args: str) -> list[str]:
    """``tplsync`` as a user runs it: the installed console script."""
    installed = Path(sys.executable).parent / "tplsync"
    if not installed.exists():
        raise BenchError(f"{installed} not found: pip install -e .")
    return [str(installed), *args]


def script(name: str, *args: str) -> list[str]:
    """A command running ``bench/<name>`` (a measured helper) in a fresh interpreter."""
    return [sys.executable, str(ROOT / "bench" / name), *args]


def run_json(command: Sequence[str], cwd: Path | str | None = None) -> object:
    """The JSON a helper process prints as its last line (it is not measured)."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rounds(count: int, *actions: Callable[[], float]) -> list[list[float]]:
    """Each action's figure per round, the actions taking turns within a round
    (in alternating order), so that load from elsewhere hits all alike."""
    figures: list[list[float]] = [[] for _ in actions]
    for number in range(count):
        order = list(range(len(actions)))
        if number % 2:
            order.reverse()
        for index in order:
            figures[index].append(actions[index]())
    return figures


def spread(values: Sequence[float], unit: str, digits: int = 2) -> str:
    """``min–max (median m)``, e.g. ``0.52–0.61 s (median 0.55)``."""
    low, middle, high = min(values), statistics.median(values), max(values)
    shown = f" {unit}" if unit not in ("", "×") else unit
    return f"{low:,.{digits}f}–{high:,.{digits}f}{shown} (median {middle:,.{digits}f})"


@dataclass(frozen=True)
class Row:
    """One line of the Performance table: a figure beside its baseline, per round.

    ``ratios`` are the per-round ratios; the target is about them, or about
    ``judged`` when given. The row passes when the median meets it.
    """

    what: str
    ours: str
    baseline: str
    ratios: Sequence[float]
    target: str
    meets: Callable[[float], bool] = field(repr=False)
    unit: str = ""
    judged: Sequence[float] = ()  # when the target is about a figure, not the ratio

    @property
    def _judged(self) -> Sequence[float]:
        return self.judged or self.ratios

    @property
    def passed(self) -> bool:
        return self.meets(statistics.median(self._judged))

    def markdown(self) -> str:
        met = sum(1 for value in self._judged if self.meets(value))
        ratio = spread(self.ratios, self.unit)
        verdict = f"{'PASS' if self.passed else 'FAIL'} ({met}/{len(self.ratios)} rounds)"
        cells = (self.what, self.ours, self.baseline, ratio, self.target, verdict)
        return "| " + " | ".join(cells) + " |"


HEADER = (
    "| what | tplsync | baseline (same run) | ratio | target | met |\n|---|---|---|---|---|---|"
)


def at_most(limit: float) -> Callable[[float], bool]:
    return lambda ratio: ratio <= limit


def at_least(limit: float) -> Callable[[float], bool]:
    return lambda ratio: ratio >= limit


def print_rows(rows: Sequence[Row]) -> int:
    """Print the table; 0 when every row passed, else 1."""
    print(HEADER)
    for row in rows:
        print(row.markdown(), flush=True)
    return 0 if all(row.passed for row in rows) else 1


def checked(main: Callable[[], int]) -> int:
    """``main()``, or exit status 2 with one line when an answer was wrong."""
    try:
        return main()
    except BenchError as error:
        print(f"benchmark stopped: {error}", file=sys.stderr)
        return 2


def bytecode_note() -> str:
    """Which bytecode mode the figures were measured in."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return (
            "bytecode: PYTHONDONTWRITEBYTECODE is set; tplsync was compiled by compileall "
            "first, so starts read cached bytecode"
        )
    return "bytecode: precompiled with compileall before measuring"


def precompile() -> None:
    """Write bytecode for tplsync, so that no measured start compiles it."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "tplsync")],
        check=True,
        capture_output=True,
    )
