"""The compiled yes/no schema check agrees with jsonschema on any input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tests.conftest import ROOT
from tplsync.schemacheck import Unsupported, compile_schema

SCHEMAS = {
    name: json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    for name in ("template.schema.json", "config.schema.json")
}
KEYS = [
    "name",
    "type",
    "content",
    "signature",
    "id",
    "position",
    "submit",
    "renamed_from",
    "description",
    "samples",
    "params",
    "expect",
    "templates",
    "api",
    "endpoint",
    "timeout",
    "parallelism",
    "lint",
    "rules",
    "segments",
    "level",
    "max_segments",
    "variables",
    "syntax",
    "signatures",
    "environments",
    "staging",
    "prune",
    "safety",
    "max_deletes",
    "manage",
    "include",
    "x",
    "1",
]
WORDS = [
    "notification",
    "verification",
    "marketing",
    "prefix",
    "suffix",
    "error",
    "warning",
    "off",
    "mustache",
    "percent",
    "https://a.example",
    "",
    "a",
    "b",
    "12",
    "ENV_NAME",
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 100)
    | st.floats(-2, 2, allow_nan=False)
    | st.sampled_from(WORDS)
    | st.text(max_size=70)
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=6)
    ),
    max_leaves=30,
)


def shaped(schema_name: str) -> st.SearchStrategy[Any]:
    """Mostly-valid documents, so both answers are exercised."""
    if schema_name == "template.schema.json":
        sample = st.fixed_dictionaries(
            {"params": st.dictionaries(st.sampled_from(KEYS), scalars, max_size=3)},
            optional={"expect": scalars},
        )
        return st.fixed_dictionaries(
            {"name": scalars, "type": st.sampled_from(WORDS), "content": scalars},
            optional={
                "signature": st.fixed_dictionaries({"id": scalars}, optional={"position": scalars}),
                "samples": st.lists(sample, max_size=3),
                "renamed_from": st.lists(scalars, max_size=3),
                "submit": scalars,
                "x": values,
            },
        )
    return st.dictionaries(st.sampled_from(KEYS), values, max_size=6)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@settings(max_examples=1500, deadline=None)
@given(data=st.data())
def test_fast_check_agrees_with_jsonschema(name: str, data: st.DataObject) -> None:
    instance = data.draw(shaped(name) | values)
    fast = compile_schema(SCHEMAS[name])
    assert fast(instance) == Draft202012Validator(SCHEMAS[name]).is_valid(instance)


@pytest.mark.parametrize(
    "schema", [{"patternProperties": {}}, {"oneOf": []}, {"$ref": "https://x/y.json"}]
)
def test_unknown_keywords_refuse_to_compile(schema: dict[str, Any]) -> None:
    with pytest.raises(Unsupported):
        compile_schema(schema)
