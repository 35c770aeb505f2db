"""Deterministic JSON results files: the output contract of every notebook.

Each notebook writes ``<output_dir>/<notebook stem>.json`` through :func:`write_results`. Values are
converted to plain JSON types (numpy scalars, timestamps, NaN -> ``null``), floats are rounded to
6 decimals, keys keep their insertion order, and the file is written atomically, so two runs with
the same inputs give the same bytes and a failed run never leaves half a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["to_jsonable", "write_results", "read_results", "write_text"]

_DIGITS = 6


def to_jsonable(obj: Any) -> Any:
    """Convert ``obj`` recursively into JSON-ready plain Python values."""
    if hasattr(obj, "to_dict") and not isinstance(obj, (pd.DataFrame, pd.Series)):
        return to_jsonable(obj.to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable(dataclasses.asdict(obj))
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, (pd.Series, np.ndarray, list, tuple, set, frozenset)):
        seq = sorted(obj) if isinstance(obj, (set, frozenset)) else list(obj)
        return [to_jsonable(v) for v in seq]
    if isinstance(obj, (pd.Timestamp, dt.datetime)):
        return None if pd.isna(obj) else obj.date().isoformat()
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, Path):
        return obj.as_posix()
    if obj is None or obj is pd.NaT or obj is pd.NA:
        return None
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else round(f, _DIGITS) + 0.0
    return obj


def write_text(text: str, path: str | os.PathLike[str]) -> Path:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, then rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; results are as readable as the figures beside them
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_results(results: Mapping[str, Any], output_dir: str | os.PathLike[str], stem: str) -> Path:
    """Write ``results`` as ``<output_dir>/<stem>.json`` (indented, UTF-8, trailing newline)."""
    text = json.dumps(to_jsonable(results), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return write_text(text, Path(output_dir) / f"{stem}.json")


def read_results(output_dir: str | os.PathLike[str], stem: str) -> dict[str, Any]:
    """Read ``<output_dir>/<stem>.json``, with an error that says which notebook writes it."""
    path = Path(output_dir) / f"{stem}.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path.name} not found in the output folder: run notebooks/{stem}.ipynb first "
            "(make report runs every notebook in order)"
        )
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data
