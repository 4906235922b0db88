"""The registry of lint rules, in documentation order."""

from __future__ import annotations

from tplsync.lint.rule import Rule
from tplsync.lint.rules import (
    content_length,
    declarations,
    dialect_fields,
    duplicate_name,
    encoding,
    forbidden_characters,
    forbidden_words,
    name_length,
    placeholder_syntax,
    sample_coverage,
    schema,
    segments,
    syntax,
    verification_variable,
    whitespace,
    worst_case_segments,
)

RULES: dict[str, Rule] = {
    module.RULE.id: module.RULE
    for module in (
        syntax,
        schema,
        duplicate_name,
        name_length,
        content_length,
        forbidden_characters,
        forbidden_words,
        placeholder_syntax,
        sample_coverage,
        encoding,
        segments,
        declarations,
        worst_case_segments,
        verification_variable,
        whitespace,
        dialect_fields,
    )
}
