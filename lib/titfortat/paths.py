"""Where the repository is, and how notebook parameters that are paths are resolved.

Notebooks run with their own folder as the working directory (papermill and nbval both do this),
so every relative path a researcher passes is resolved from the repository root instead.
"""

from __future__ import annotations

import os
from pathlib import Path

_MARKERS = ("pyproject.toml", "Makefile")


def repo_root() -> Path:
    """Return the repository root: the nearest folder above this package holding pyproject.toml.

    ``TITFORTAT_ROOT`` in the environment overrides the search (for a non-editable install).
    """
    env = os.environ.get("TITFORTAT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if all((parent / m).exists() for m in _MARKERS) and (parent / "lib" / "titfortat").is_dir():
            return parent
    raise RuntimeError(
        f"cannot find the workbook repository above {here}; set TITFORTAT_ROOT to its folder"
    )


def resolve_path(path: str | os.PathLike[str] | None) -> Path | None:
    """Resolve ``path`` against the repository root when it is relative; ``None`` stays ``None``."""
    if path is None:
        return None
    p = Path(path).expanduser()
    return p if p.is_absolute() else repo_root() / p


def display_path(path: str | os.PathLike[str]) -> str:
    """Return ``path`` relative to the repository root when it lies inside it (for outputs).

    Outputs must not contain absolute machine paths; paths outside the repository are shown
    by their file name only.
    """
    p = Path(path).expanduser()
    p = p if p.is_absolute() else repo_root() / p
    try:
        return p.resolve().relative_to(repo_root()).as_posix()
    except ValueError:
        return p.name


def message_path(path: str | os.PathLike[str]) -> str:
    """Return ``path`` for a message to the person running the workbook: relative to the repository root
    when it lies inside it, the full absolute path otherwise (so that it can be found).

    Messages go to the terminal, never into outputs; use :func:`display_path` for outputs.
    """
    p = Path(path).expanduser()
    p = p if p.is_absolute() else repo_root() / p
    try:
        return p.resolve().relative_to(repo_root()).as_posix()
    except ValueError:
        return p.resolve().as_posix()
