"""pyproject.toml and environment.yml declare the same dependencies; the lock pins all of them."""

from __future__ import annotations

import re
import tomllib

import yaml

from titfortat.paths import repo_root

CONDA_NAMES = {"python-duckdb": "duckdb"}  # conda-forge name -> PyPI name


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower()


def _pyproject() -> set[str]:
    data = tomllib.loads((repo_root() / "pyproject.toml").read_text())
    deps = data["project"]["dependencies"] + [d for ds in data["project"]["optional-dependencies"].values() for d in ds]
    return {_name(d) for d in deps}


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((repo_root() / "environment.yml").read_text())
    names = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    names = {CONDA_NAMES.get(n, n) for n in names}
    assert names == _pyproject()
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip  # installs the workbook's package too


def test_lock_pins_every_dependency():
    lock = (repo_root() / "requirements.lock").read_text().lower()
    pinned = set(re.findall(r"^([a-z0-9_.-]+)==", lock, flags=re.M))
    assert _pyproject() <= pinned
    assert "--hash=sha256:" in lock
