"""Files shipped beside the code: schemas and CI recipes."""

from __future__ import annotations

from pathlib import Path


def resource_path(*parts: str) -> Path:
    """The file inside the installed package, else in the source tree."""
    package = Path(__file__).resolve().parent
    for candidate in (package.joinpath(*parts), package.parent.joinpath(*parts)):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{'/'.join(parts)} is missing from the installation")
