"""The CLI floor: command-line values, and what ``tplsync lint`` loads."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT
from tplsync.commands.values import duration, parse_duration, split_pairs
from tplsync.errors import ExitCode, InputError, TplsyncError, UsageError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90.0), ("30s", 30.0), ("15m", 900.0), ("1.5h", 5400.0), ("1d", 86400.0)],
)
def test_durations(text: str, seconds: float) -> None:
    assert duration(text) == seconds
    assert parse_duration(text, "--max-plan-age") == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5m", "inf", "nan", "1e3", "2w", " 5m", "m"])
def test_not_durations(text: str) -> None:
    assert duration(text) is None
    expected = f"--max-plan-age {text!r}: expected e.g. 90s, 30m, 2h or 1d"
    with pytest.raises(UsageError, match=re.escape(expected)):
        parse_duration(text, "--max-plan-age")


def test_pairs_keep_order_and_split_at_the_first_equals() -> None:
    pairs = split_pairs(["b=1", "a=x=y", "c="], "--param")
    assert pairs == [("b", "1"), ("a", "x=y"), ("c", "")]


@pytest.mark.parametrize("value", ["novalue", "=value"])
@pytest.mark.parametrize(
    ("error", "exit_code"), [(UsageError, ExitCode.USAGE), (InputError, ExitCode.INVALID_INPUT)]
)
def test_pairs_refused_with_the_given_error(
    value: str, error: type[TplsyncError], exit_code: ExitCode
) -> None:
    with pytest.raises(error, match=f"--reject {value!r}: expected PATTERN=MESSAGE") as raised:
        split_pairs(["a=b", value], "--reject", "PATTERN=MESSAGE", error)
    assert raised.value.exit_code == exit_code


def test_lint_loads_no_http_differ_or_html_modules() -> None:
    """Start-up: lint must stay as fast and as small as importing click and
    yaml (hashlib alone loads OpenSSL: about 4 MB)."""
    script = (
        "import sys\n"
        "from tplsync.cli import cli\n"
        "try:\n"
        "    cli.main(['lint', '--quiet', '--config', sys.argv[1]])\n"
        "except SystemExit as end:\n"
        "    assert end.code == 0, end.code\n"
        "heavy = ('requests', 'deepdiff', 'jinja2', 'jsonschema', 'hashlib', "
        "'tplsync.account', 'tplsync.sandbox')\n"
        "print(sorted(name for name in sys.modules if name.startswith(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(EXAMPLES / "tplsync.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
