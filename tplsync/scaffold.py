"""``tplsync init``: the files a new project starts from."""

from __future__ import annotations

from pathlib import Path

from tplsync.errors import InputError
from tplsync.files import read_text, write_atomic
from tplsync.resources import resource_path

CONFIG = """\
# tplsync project config: https://github.com/tplsync/tplsync#configuration-tplsyncyaml
templates: [templates]        # directories, files or globs of template files

# api:
#   endpoint: https://sms.api.engagelab.cc   # or TPLSYNC_ENDPOINT
#   parallelism: 4        # requests at a time; unset: 4 writes, 16 page reads

# The NAMES of the environment variables that hold the secrets (defaults shown).
# credentials:
#   sms_user: ENGAGELAB_SMS_USER
#   sms_key: ENGAGELAB_SMS_KEY

# What tplsync owns in the account; everything else is left alone.
# manage: {include: ["*"], exclude: []}
prune: false                  # delete owned templates no file declares (or --prune)
# protect: ["otp-*"]          # never deleted, even with --force

variables: {syntax: mustache} # {{name}}; or percent (%name%), brace ({name})

# Signature texts, so previews and segment counts include them.
# signatures: {"1235": "Acme: "}

# lint:
#   rules:
#     segments: {max_segments: 2}
#     worst-case-segments: {max_segments: 2}
#     whitespace: off

# Price of one segment: preview and plan show the cost per 1,000 sends.
# pricing: {currency: USD, per_segment: 0.0075, countries: {"49": 0.085}}
"""

EXAMPLE = """\
# yaml-language-server: $schema=https://raw.githubusercontent.com/tplsync/tplsync/main/schemas/template.schema.json
name: welcome
type: notification
description: Sent once a customer's account is ready.
content: "Welcome to Acme, {{name}}! Your account is ready."
variables:  # the values each placeholder may take: checked sends, worst-case cost
  name: {max_length: 20, charset: gsm7}  # gsm7-basic | gsm7 | unicode; or pattern: "[0-9]{6}"
samples:
  - params: {name: Bob}
    expect: "Welcome to Acme, Bob! Your account is ready."
"""

CONFIG_TEMPLATE_CONFIGS = """\
# tplsync project config: https://github.com/tplsync/tplsync#configuration-tplsyncyaml
templates: [templates]        # directories, files or globs of template files

api:
  dialect: template-configs   # EngageLab's /v1/template-configs and /v1/sign-configs
#   endpoint: https://smsapi.engagelab.com   # or TPLSYNC_ENDPOINT

# The NAMES of the environment variables that hold the secrets (defaults shown).
# credentials:
#   dev_key: ENGAGELAB_DEV_KEY
#   dev_secret: ENGAGELAB_DEV_SECRET

# Signatures are declared in signatures.yaml; templates name them.
prune: false                  # delete owned templates and signatures no file declares
# protect: ["otp-*"]          # never deleted, even with --force

variables: {syntax: mustache} # {{name}}; or percent (%name%), brace ({name})
"""

SIGNATURES = """\
# yaml-language-server: $schema=https://raw.githubusercontent.com/tplsync/tplsync/main/schemas/signatures.schema.json
# The account's signatures (sender ids); a template uses one by name.
- name: Acme
"""

EXAMPLE_TEMPLATE_CONFIGS = """\
# yaml-language-server: $schema=https://raw.githubusercontent.com/tplsync/tplsync/main/schemas/template.schema.json
name: welcome
type: notification
description: Sent once a customer's account is ready.
country_codes: [US, GB]
signature: {name: Acme, position: prefix}
content: "Welcome, {{name}}! Your account is ready."
samples:
  - params: {name: Bob}
    expect: "Welcome, Bob! Your account is ready."
"""

PRE_COMMIT = """\
# tplsync has no release tag to pin yet, so this hook runs the tplsync
# installed where git runs (the one that wrote this file: keep it on PATH).
# Once a release is tagged, pin it instead:
#   - repo: https://github.com/tplsync/tplsync
#     rev: vX.Y.Z
#     hooks:
#       - id: tplsync-lint
repos:
  - repo: local
    hooks:
      - id: tplsync-lint
        name: tplsync lint
        entry: tplsync lint
        language: system
        files: (^|/)templates/.*\\.ya?ml$
        exclude: (^|/)tplsync\\.yaml$
        require_serial: true
"""

IGNORED = ".tplsync/"  # the --sandbox account and other local state


def files(dialect: str = "templates") -> dict[str, str]:
    """Relative path → text of every file ``init`` writes for ``dialect``."""
    workflow = resource_path("examples", "ci", "github-actions.yml").read_text(encoding="utf-8")
    if dialect == "template-configs":
        project = {
            "tplsync.yaml": CONFIG_TEMPLATE_CONFIGS,
            "signatures.yaml": SIGNATURES,
            "templates/welcome.yaml": EXAMPLE_TEMPLATE_CONFIGS,
        }
    else:
        project = {"tplsync.yaml": CONFIG, "templates/welcome.yaml": EXAMPLE}
    return {
        **project,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/tplsync.yml": workflow,
    }


def init(directory: Path, force: bool, dialect: str = "templates") -> list[str]:
    """Write the scaffold; refuses to overwrite anything unless ``force``."""
    planned = files(dialect)
    existing = [name for name in planned if (directory / name).exists()]
    if existing and not force:
        raise InputError(
            f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
            "nothing was written (--force to overwrite)"
        )
    for name, text in planned.items():
        write_atomic(directory / name, text)
    return [*planned, *_ignore_local_state(directory / ".gitignore")]


def _ignore_local_state(gitignore: Path) -> list[str]:
    """Add ``.tplsync/`` to ``.gitignore`` (made if missing); its name when changed."""
    text = read_text(gitignore) if gitignore.exists() else ""
    if IGNORED in text.splitlines() or "/" + IGNORED in text.splitlines():
        return []
    separator = "" if not text or text.endswith("\n") else "\n"
    write_atomic(gitignore, f"{text}{separator}{IGNORED}\n")
    return [gitignore.name]


def repository_root(directory: Path) -> Path | None:
    """The root of the git work tree ``directory`` is in (its nearest ``.git``), if any."""
    resolved = directory.resolve()
    for candidate in (resolved, *resolved.parents):
        if (candidate / ".git").exists():
            return candidate
    return None
