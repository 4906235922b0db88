"""Sync engine benchmarks (SPEC §9), against a sandbox process with 50 ms latency.

    python bench/sync_bench.py [--creates 500] [--templates 5000] [--memory 20000]

- apply of N creates: exactly N create calls (submit folded in), and
  `--parallelism 8` at least 6x faster than `--parallelism 1`;
- plan with N remote and N declared templates: exactly ceil(N/100) list
  calls, and the default parallelism (16 page reads at a time, the files
  loading meanwhile) at least 4x faster than `--parallelism 1` (best of 3);
- plan at M templates: peak RSS of the tplsync process under 150 MB.
Each figure is printed beside its baseline from the same run; exits 1 when
a target is missed.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

AUTH = ("sandbox-user", "sandbox-key")


def write_templates(directory: Path, count: int) -> list[dict[str, Any]]:
    directory.mkdir(parents=True, exist_ok=True)
    listed = []
    for index in range(count):
        name = f"template-{index:05}"
        content = f"Hi {{{{name}}}}, your order {{{{order_id}}}} number {index} is ready."
        (directory / f"{name}.yaml").write_text(
            f'name: {name}\ntype: notification\ncontent: "{content}"\n', encoding="utf-8"
        )
        listed.append(
            {
                "template_name": name,
                "template_type": "1",
                "template_content": content,
                "approval_status": 1,
            }
        )
    return listed


class Sandbox:
    def __init__(self, latency_ms: float) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tplsync",
                "sandbox",
                "--port",
                "0",
                "--latency-ms",
                str(latency_ms),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().split()[-1]

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        return requests.request(method, f"{self.url}/_sandbox/{path}", timeout=60, **kwargs).json()

    def reset(self, seed: list[dict[str, Any]] | None = None) -> None:
        self.admin("POST", "reset")
        if seed:
            self.admin("POST", "seed", json={"result": seed})
        self.admin("DELETE", "requests")

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.admin("GET", "requests")["counts"]
        return counts

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def run_tplsync(project: Path, url: str, *args: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one tplsync command."""
    environment = {
        **os.environ,
        "TPLSYNC_ENDPOINT": url,
        "ENGAGELAB_SMS_USER": AUTH[0],
        "ENGAGELAB_SMS_KEY": AUTH[1],
        "NO_COLOR": "1",
    }
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: exec tplsync so its peak RSS is its own
        os.chdir(project)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execve(sys.executable, [sys.executable, "-m", "tplsync", *args], environment)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 2):
        sys.exit(f"tplsync {' '.join(args)} exited {code}")
    return elapsed, usage.ru_maxrss


def report(label: str, figure: str, baseline: str, ratio: float, target: str, passed: bool) -> bool:
    print(
        f"{label}: {figure} | {baseline} | ratio {ratio:.2f} (target {target}) "
        f"{'PASS' if passed else 'FAIL'}"
    )
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--creates", type=int, default=500)
    parser.add_argument("--templates", type=int, default=5000)
    parser.add_argument("--memory", type=int, default=20000)
    args = parser.parse_args()
    ok = True
    sandbox = Sandbox(latency_ms=50)
    try:
        with tempfile.TemporaryDirectory() as temporary:
            root = Path(temporary)
            apply_project = root / "apply"
            write_templates(apply_project / "templates", args.creates)
            timings = {}
            for parallelism in (1, 8):
                sandbox.reset()
                timings[parallelism], _ = run_tplsync(
                    apply_project,
                    sandbox.url,
                    "apply",
                    "--auto-approve",
                    "-q",
                    "--parallelism",
                    str(parallelism),
                )
                creates = sandbox.counts().get("POST /v1/templates", 0)
                ok &= report(
                    f"apply {args.creates} creates, --parallelism {parallelism}: create calls",
                    str(creates),
                    f"expected {args.creates}",
                    creates / args.creates,
                    "== 1",
                    creates == args.creates,
                )
            speedup = timings[1] / timings[8]
            ok &= report(
                f"apply {args.creates} creates",
                f"--parallelism 8 {timings[8]:.2f} s",
                f"--parallelism 1 {timings[1]:.2f} s",
                speedup,
                ">= 6x faster",
                speedup >= 6,
            )

            plan_project = root / "plan"
            seed = write_templates(plan_project / "templates", args.templates)
            sandbox.reset(seed)
            pages = math.ceil(args.templates / 100)
            plan_timings: dict[str, float] = {}
            for label, extra in (("1", ["--parallelism", "1"]), ("default", [])):
                seconds, calls = [], []
                for _ in range(3):  # the best of 3 is reported, as timeit does
                    sandbox.admin("DELETE", "requests")
                    elapsed, _ = run_tplsync(
                        plan_project, sandbox.url, "plan", "--detailed-exitcode", *extra
                    )
                    seconds.append(elapsed)
                    calls.append(sandbox.counts().get("GET /v1/templates", 0))
                plan_timings[label] = min(seconds)
                ok &= report(
                    f"plan {args.templates}x{args.templates}, parallelism {label}: list calls",
                    ", ".join(map(str, calls)),
                    f"expected {pages}",
                    max(calls) / pages,
                    "== 1",
                    set(calls) == {pages},
                )
            speedup = plan_timings["1"] / plan_timings["default"]
            ok &= report(
                f"plan {args.templates} remote x {args.templates} declared",
                f"default parallelism {plan_timings['default']:.2f} s",
                f"--parallelism 1 {plan_timings['1']:.2f} s",
                speedup,
                ">= 4x faster",
                speedup >= 4,
            )

            memory_project = root / "memory"
            seed = write_templates(memory_project / "templates", args.memory)
            sandbox.reset(seed)
            _, peak_kib = run_tplsync(memory_project, sandbox.url, "plan")
            _, idle_kib = run_tplsync(memory_project, sandbox.url, "--version")
            peak = peak_kib / 1024
            ok &= report(
                f"plan at {args.memory} templates: peak RSS",
                f"{peak:.0f} MB",
                f"tplsync --version {idle_kib / 1024:.0f} MB",
                peak / 150,
                "< 150 MB",
                peak < 150,
            )
    finally:
        sandbox.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
