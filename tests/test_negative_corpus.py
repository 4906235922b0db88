"""Every bad file: its rule, its file:line:col, exit 1, and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_FILES, invoke

NEGATIVE = EXAMPLE_FILES / "negative"

# file (or directory) → (rule, line, column); warnings-only files run with --strict
EXPECTED: dict[str, tuple[str, int, int]] = {
    "bad-indentation.yaml": ("syntax", 2, 7),
    "billion-laughs.yaml": ("syntax", 5, 46),
    "byte-order-mark.yaml": ("syntax", 1, 1),
    "complex-key.yaml": ("syntax", 3, 3),
    "custom-tag.yaml": ("syntax", 2, 7),
    "deep-nesting.yaml": ("syntax", 4, 78),
    "duplicate-key.yaml": ("syntax", 4, 1),
    "merge-key.yaml": ("syntax", 3, 1),
    "non-utf8.yaml": ("syntax", 3, 14),
    "null-byte.yaml": ("syntax", 3, 13),
    "python-name.yaml": ("syntax", 1, 7),
    "python-object.yaml": ("syntax", 3, 10),
    "tab-indentation.yaml": ("syntax", 3, 1),
    "unclosed-flow.yaml": ("syntax", 5, 1),
    "unclosed-quote.yaml": ("syntax", 4, 1),
    "bad-second-document.yaml": ("schema", 7, 1),
    "bad-type.yaml": ("schema", 2, 1),
    "content-list.yaml": ("schema", 3, 1),
    "date-description.yaml": ("schema", 4, 1),
    "empty-name.yaml": ("schema", 1, 1),
    "empty.yaml": ("schema", 1, 1),
    "missing-content.yaml": ("schema", 1, 1),
    "missing-name.yaml": ("schema", 1, 1),
    "name-not-string.yaml": ("schema", 1, 1),
    "only-comments.yaml": ("schema", 1, 1),
    "param-list-value.yaml": ("schema", 6, 7),
    "renamed-from-string.yaml": ("schema", 4, 1),
    "sample-unknown-key.yaml": ("schema", 6, 5),
    "sample-without-params.yaml": ("schema", 5, 5),
    "samples-mapping.yaml": ("schema", 4, 1),
    "scalar-document.yaml": ("schema", 1, 1),
    "signature-id-text.yaml": ("schema", 5, 3),
    "signature-position.yaml": ("schema", 4, 20),
    "submit-not-bool.yaml": ("schema", 4, 1),
    "top-level-list.yaml": ("schema", 1, 1),
    "unknown-key.yaml": ("schema", 3, 1),
    "duplicate-across-files": ("duplicate-name", 2, 1),
    "duplicate-name-stream.yaml": ("duplicate-name", 5, 1),
    "renamed-from-declared.yaml": ("duplicate-name", 8, 16),
    "name-too-long.yaml": ("name-length", 1, 1),
    "content-too-long.yaml": ("content-length", 3, 523),
    "forbidden-brackets.yaml": ("forbidden-characters", 3, 28),
    "forbidden-cjk-brackets.yaml": ("forbidden-characters", 3, 15),
    "forbidden-word-chinese.yaml": ("forbidden-words", 3, 14),
    "forbidden-word-test.yaml": ("forbidden-words", 3, 20),
    "placeholder-block.yaml": ("placeholder-syntax", 3, 29),
    "placeholder-engine-payload.yaml": ("placeholder-syntax", 3, 14),
    "placeholder-filter.yaml": ("placeholder-syntax", 3, 14),
    "placeholder-percent.yaml": ("placeholder-syntax", 3, 14),
    "placeholder-spaces.yaml": ("placeholder-syntax", 3, 14),
    "placeholder-unclosed.yaml": ("placeholder-syntax", 3, 14),
    "sample-expect-mismatch.yaml": ("sample-coverage", 6, 5),
    "sample-missing-value.yaml": ("sample-coverage", 5, 5),
    "verification-without-variable.yaml": ("verification-variable", 3, 1),
    # warnings by default
    "encoding-curly-quote.yaml": ("encoding", 3, 13),
    "encoding-emoji.yaml": ("encoding", 3, 30),
    "forbidden-word-inside.yaml": ("forbidden-words", 3, 21),
    "segments-too-many.yaml": ("segments", 3, 1),
    "unused-sample-param.yaml": ("sample-coverage", 5, 25),
    "whitespace-doubled.yaml": ("whitespace", 3, 13),
    "whitespace-trailing-newline.yaml": ("whitespace", 4, 12),
}
WARNINGS = {
    "encoding",
    "segments",
    "whitespace",
    "forbidden-word-inside.yaml",
    "unused-sample-param.yaml",
}


def test_the_corpus_is_complete() -> None:
    on_disk = {path.name for path in NEGATIVE.iterdir()}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(NEGATIVE)
    rule, line, column = EXPECTED[name]
    warning = rule in WARNINGS or name in WARNINGS
    if warning:
        assert invoke("lint", name).exit_code == 0
    run = invoke("lint", "--strict", name)
    assert run.exit_code == 1
    level = "warning" if warning else "error"
    located = [text for text in run.stdout.splitlines() if f" {level} {rule} " in text]
    assert any(f":{line}:{column}: {level} {rule} " in text for text in located), run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_nothing_is_executed(monkeypatch: pytest.MonkeyPatch) -> None:
    marker = Path("/tmp/tplsync-pwned")
    marker.unlink(missing_ok=True)
    monkeypatch.chdir(NEGATIVE)
    assert invoke("lint", "python-object.yaml", "python-name.yaml").exit_code == 1
    assert not marker.exists()


def test_ten_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w") as handle:
        handle.write("name: big\ntype: marketing\ncontent: x\ndescription: |\n")
        line = "  " + "y" * 98 + "\n"
        handle.write(line * (10 * 1024 * 1024 // len(line)))
    run = invoke("lint", str(big))
    assert run.exit_code == 1
    assert f"{big}:1:1: error syntax file is" in run.stdout
    assert "the limit is 1,048,576" in run.stdout
