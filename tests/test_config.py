from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tplsync.config import Config, load_config
from tplsync.errors import InputError
from tplsync.placeholders import Syntax

CONFIG = """\
templates: [sms, "more/*.yaml"]
api: {endpoint: "https://yaml.example", parallelism: 2}
variables: {syntax: percent}
signatures: {"7": "Acme: "}
lint:
  rules:
    encoding: error
    segments: {max_segments: 2}
environments:
  staging:
    api: {endpoint: "https://staging.example"}
    prune: true
"""


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    config = load_config(None, tmp_path)
    assert config == Config(root=tmp_path)
    assert config.api.endpoint == "https://sms.api.engagelab.cc"
    assert config.credentials.sms_key == "ENGAGELAB_SMS_KEY"
    assert config.safety.max_delete_fraction == 0.3
    assert config.api.dialect == "templates"


def test_found_by_walking_up_and_paths_are_relative_to_it(
    project: Callable[..., Path],
) -> None:
    root = project(**{"tplsync.yaml": CONFIG, "a__b__keep": ""})
    config = load_config(None, root / "a" / "b")
    assert config.root == root
    assert config.source == root / "tplsync.yaml"
    assert config.templates == ("sms", "more/*.yaml")
    assert config.syntax is Syntax.PERCENT
    assert config.signatures == {7: "Acme: "}
    assert config.lint_rules == {"encoding": {"level": "error"}, "segments": {"max_segments": 2}}


def test_precedence_flag_over_environment_variable_over_env_section_over_file(
    project: Callable[..., Path],
) -> None:
    root = project(**{"tplsync.yaml": CONFIG})
    assert load_config(None, root).api.endpoint == "https://yaml.example"
    staging = load_config(None, root, "staging")
    assert staging.api.endpoint == "https://staging.example"
    assert staging.api.parallelism == 2
    assert staging.prune is True
    environ = {"TPLSYNC_ENDPOINT": "https://env.example", "TPLSYNC_PARALLELISM": "9"}
    from_env = load_config(None, root, "staging", environ)
    assert (from_env.api.endpoint, from_env.api.parallelism) == ("https://env.example", 9)
    flagged = load_config(None, root, "staging", environ, {"api.endpoint": "https://flag.example"})
    assert flagged.api.endpoint == "https://flag.example"


@pytest.mark.parametrize(
    ("text", "environment", "environ", "message"),
    [
        ("api: {timeout: fast}\n", None, {}, "tplsync.yaml:1:7: api.timeout: must be a number"),
        (
            "prnue: true\n",
            None,
            {},
            "tplsync.yaml:1:1: unknown key 'prnue' (did you mean 'prune'?)",
        ),
        (
            "lint: {rules: {segments: {max: 2}}}\n",
            None,
            {},
            "1:27: lint.rules.segments: unknown key 'max'",
        ),
        ("lint: {rules: {nope: off}}\n", None, {}, "unknown key 'nope'"),
        ("variables: {syntax: jinja}\n", None, {}, "'jinja' is not one of"),
        (
            "api: {dialect: v2}\n",
            None,
            {},
            "tplsync.yaml:1:7: api.dialect: 'v2' is not one of: templates, template-configs",
        ),
        ("a: [\n", None, {}, "tplsync.yaml:2:1:"),
        (
            "pricing: {per_segment: .inf}\n",
            None,
            {},
            "tplsync.yaml:1:11: pricing.per_segment: must be a finite number",
        ),
        (
            'environments: {eu: {pricing: {per_segment: 1, countries: {"49": .inf}}}}\n',
            None,
            {},
            "1:59: environments.eu.pricing.countries.49: must be a finite number",
        ),
        (
            'pricing: {per_segment: 1, countries: {"49": 2, "+49": 3}}\n',
            None,
            {},
            "1:48: pricing.countries.+49: the prefix 49 is priced twice",
        ),
        ("{}\n", "prod", {}, "unknown environment 'prod' (known: none are defined)"),
        ("{}\n", None, {"TPLSYNC_PARALLELISM": "many"}, "TPLSYNC_PARALLELISM='many'"),
        ("a: 1\n---\nb: 2\n", None, {}, "must hold one YAML document"),
        # every error is a sentence about the value given, not the schema's wording
        (
            "api: {endpoint: 'sms api'}\n",
            None,
            {},
            "api.endpoint: 'sms api' is not an http:// or https:// URL without spaces",
        ),
        (
            "lint: {rules: {segments: {max_segments: x}}}\n",
            None,
            {},
            "lint.rules.segments.max_segments: must be an integer, not a string",
        ),
        ("api: {timeout: 0}\n", None, {}, "api.timeout: must be greater than 0, not 0"),
        ("api: {timeout: .nan}\n", None, {}, "api.timeout: must be a number, not .nan"),
        ("api: {timeout: .inf}\n", None, {}, "api.timeout: must be at most 3600, not inf"),
        ("credentials: {sms_key: a-b}\n", None, {}, "'a-b' is not an environment variable"),
        ("safety: {max_deletes: -1}\n", None, {}, "safety.max_deletes: must be at least 0"),
        (
            "{}\n",
            None,
            {"TPLSYNC_TIMEOUT": "0"},
            "TPLSYNC_TIMEOUT='0' (sets api.timeout): must be greater than 0, not 0.0",
        ),
        ("{}\n", None, {"TPLSYNC_TIMEOUT": "nan"}, "TPLSYNC_TIMEOUT='nan': must be a finite"),
        ("{}\n", None, {"TPLSYNC_TIMEOUT": "1e400"}, "TPLSYNC_TIMEOUT='1e400': must be a fin"),
        ("{}\n", None, {"TPLSYNC_ENDPOINT": "x"}, "TPLSYNC_ENDPOINT='x' (sets api.endpoint)"),
    ],
)
def test_bad_config_is_one_clear_located_error(
    project: Callable[..., Path],
    text: str,
    environment: str | None,
    environ: dict[str, str],
    message: str,
) -> None:
    root = project(**{"tplsync.yaml": text})
    with pytest.raises(InputError) as caught:
        load_config(None, root, environment, environ)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert "does not match" not in str(caught.value) and "^" not in str(caught.value)


def test_explicit_config_path_must_exist(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="config file not found"):
        load_config(tmp_path / "missing.yaml", tmp_path)
