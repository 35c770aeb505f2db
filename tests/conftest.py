"""Shared test helpers: small events CSVs and frames built in the test itself."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import pytest

from titfortat.paths import repo_root

COLUMNS = [
    "event_id", "date", "end_date", "actor", "action", "weapon_class", "detail", "location",
    "description", "source", "source_url", "source2", "source2_url", "notes",
]


def good_row(**overrides: str) -> dict[str, str]:
    """A valid row; keyword arguments replace fields."""
    row = {
        "event_id": "2023-08-03_dprk_weapons_inspection", "date": "2023-08-03", "end_date": "2023-08-05",
        "actor": "DPRK", "action": "weapons_inspection", "weapon_class": "", "detail": "munitions factories",
        "location": "", "description": "Leader toured munitions factories over three days.",
        "source": "Test outlet", "source_url": "https://example.org/a", "source2": "", "source2_url": "", "notes": "",
    }
    row.update(overrides)
    return row


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (dicts) to a CSV in tmp_path and return its path."""

    def _write(rows: Sequence[dict[str, str]], columns: Sequence[str] = COLUMNS, name: str = "events.csv") -> Path:
        path = tmp_path / name
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)
        return path

    return _write


def make_events(rows: Sequence[tuple], *, id_width: int = 3, real_actors: bool = False) -> pd.DataFrame:
    """Events frame in the loader's contract from ``(date, side, action[, end_date[, detail]])`` tuples.

    Ids are ``e000``, ``e001``, ... (``id_width`` digits) in row order. The actor is the side itself, or a
    real actor code of that side with ``real_actors=True``.
    """
    actors = {"DPRK": "DPRK", "ALLIANCE": "US+ROK", "OTHER": "RU"}
    recs = []
    for i, r in enumerate(rows):
        date = pd.Timestamp(r[0])
        end = pd.Timestamp(r[3]) if len(r) > 3 and r[3] is not None else date
        recs.append({"event_id": f"e{i:0{id_width}d}", "date": date, "end_date": end,
                     "actor": actors[r[1]] if real_actors else r[1], "side": r[1], "action": r[2],
                     "detail": r[4] if len(r) > 4 else "", "intensity": 1, "weapon_class": "",
                     "description": "", "source": "", "source_url": ""})
    cols = ["event_id", "date", "end_date", "actor", "side", "action", "detail", "intensity", "weapon_class",
            "description", "source", "source_url"]
    frame = pd.DataFrame(recs, columns=cols)
    frame["date"] = frame["date"].astype("datetime64[ns]")
    frame["end_date"] = frame["end_date"].astype("datetime64[ns]")
    return frame


SEED_DIR = repo_root().parent / "shared" / "seed-article"
