"""Generate ``docs/rules.md`` from the rules' own docstrings and options.

Run ``python -m tplsync.lint.docs > docs/rules.md``; a test keeps it current.
"""

from __future__ import annotations

import inspect
import json
import textwrap

from tplsync.lint.rules import RULES


def rules_markdown() -> str:
    lines = [
        "# Lint rules",
        "",
        "Generated from the rules themselves by `python -m tplsync.lint.docs`.",
        "Set a rule's level or options under `lint.rules` in `tplsync.yaml`; turn one",
        "off for a template with `# tplsync: disable=RULE[,RULE]` on its first line",
        "(or the comment lines just above it) or on its `content:` line.",
        "",
        "| rule | default level | options |",
        "|---|---|---|",
    ]
    for rule in RULES.values():
        options = ", ".join(f"`{k}: {json.dumps(v)}`" for k, v in rule.options.items()) or "—"
        lines.append(f"| [`{rule.id}`](#{rule.id}) | {rule.level.value} | {options} |")
    for rule in RULES.values():
        lines += ["", f"## {rule.id}", "", f"Default level: **{rule.level.value}**."]
        for key, value in rule.options.items():
            lines.append(f"Option `{key}` (default `{json.dumps(value)}`).")
        lines.append("")
        lines.extend(_examples(inspect.cleandoc(rule.doc)))
    return "\n".join(lines) + "\n"


def _examples(doc: str) -> list[str]:
    """The docstring with its ``Bad::`` and ``Good::`` blocks as fenced YAML."""
    prose, _, examples = doc.partition("\nBad::")
    bad, _, good = examples.partition("\nGood::")
    lines = prose.strip().split("\n")
    for title, block in (("Bad", bad), ("Good", good)):
        lines += ["", f"**{title}**", "", "```yaml", textwrap.dedent(block).strip("\n"), "```"]
    return lines


if __name__ == "__main__":
    print(rules_markdown(), end="")
