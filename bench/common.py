"""Helpers shared by the benchmarks: timing and printing a figure beside its baseline."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence


def interleaved(runs: int, *actions: Callable[[], object]) -> list[float]:
    """The fastest timing of each action, running them in turn each round, so
    that load from other processes on a shared machine hits all alike."""
    best = [float("inf")] * len(actions)
    for _ in range(runs):
        for index, action in enumerate(actions):
            start = time.perf_counter()
            action()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def run_quietly(command: Sequence[str], cwd: str | None = None) -> None:
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)


def report(
    label: str, figure: float, baseline_label: str, baseline: float, target: str, passed: bool
) -> bool:
    ratio = figure / baseline if baseline else float("inf")
    verdict = "PASS" if passed else "FAIL"
    print(
        f"{label}: {figure * 1000:.1f} ms | {baseline_label}: {baseline * 1000:.1f} ms | "
        f"ratio {ratio:.2f} (target {target}) {verdict}"
    )
    return passed
