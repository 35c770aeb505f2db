"""Calibration and power of the response tests on simulated worlds (:mod:`titfortat.stats.simulate`).

:func:`calibrate` simulates worlds of one setting, runs the headline test (and the diagnostics) in both
directions and reports how often each rejects at ``alpha``. With no planted response, a calibrated test
rejects about ``alpha`` of the time in each direction; with a planted one-way response, the planted
direction should be found (power) and the reverse direction should not (direction error). The slow
tests assert these rates; the README prints the table (``python -m titfortat.stats.calibration``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np
import pandas as pd

from titfortat.stats.inference import circular_shift_exact, response_test
from titfortat.stats.nulls import null_response_rate
from titfortat.stats.simulate import WORLD_PRESETS, WorldSpec, simulate_world

__all__ = ["calibrate", "calibration_table"]

_DIRECTIONS = (("ALLIANCE", "DPRK"), ("DPRK", "ALLIANCE"))


def calibrate(
    spec: WorldSpec,
    n_worlds: int,
    *,
    seed: int = 0,
    alpha: float = 0.05,
    n_permutations: int = 300,
    window_days: int = 7,
    diagnostics: bool = False,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Rejection rates at ``alpha`` over ``n_worlds`` simulated worlds of one setting.

    Parameters
    ----------
    spec
        The world's settings (its ``response`` says which direction, if any, is planted).
    n_worlds
        Number of worlds (seeds ``seed .. seed + n_worlds - 1``).
    alpha
        Level of the tests.
    n_permutations
        Permutations of the headline test per world.
    window_days
        Response window (days 1..window_days after each trigger).
    diagnostics
        Also run the old circular-shift nulls (period and within-year) for comparison.
    n_jobs
        Worker processes (``0``: one per core); the result does not depend on it.

    Returns
    -------
    DataFrame
        One row per (direction, test): ``direction``, ``test``, ``rejection_rate``, ``n_worlds``,
        ``planted`` (the planted direction or ``none``).
    """
    args = [(spec, seed + i, n_permutations, window_days, diagnostics) for i in range(n_worlds)]
    jobs = max(1, min(n_jobs if n_jobs > 0 else (os.cpu_count() or 1), n_worlds))
    if jobs == 1:
        per_world = [_one_world(a) for a in args]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            per_world = list(pool.map(_one_world, args, chunksize=max(1, n_worlds // (4 * jobs))))
    rows: dict[tuple[str, str], list[float]] = {}
    for res in per_world:  # in world order: the table does not depend on the number of processes
        for key, p in res:
            rows.setdefault(key, []).append(p)
    out = [
        {"direction": d, "test": t, "rejection_rate": float(np.mean(np.asarray(p) <= alpha)), "n_worlds": n_worlds,
         "planted": spec.response or "none"}
        for (d, t), p in rows.items()
    ]
    return pd.DataFrame(out)


def _one_world(args: tuple[WorldSpec, int, int, int, bool]) -> list[tuple[tuple[str, str], float]]:
    spec, world_seed, n_permutations, window_days, diagnostics = args
    world = simulate_world(spec, world_seed)
    out: list[tuple[tuple[str, str], float]] = []
    for a, b in _DIRECTIONS:
        name = f"{a}->{b}"
        r = response_test(world, a, b, window_days=window_days, n_permutations=n_permutations, seed=world_seed,
                          full_model=False)
        out.append(((name, "headline: excess over own model, month-block null"), r.p_value))
        out.append(((name, "response rate, month-block null"), r.response_rate_p_value))
        if diagnostics:
            out.append(((name, "diagnostic: circular shift over the period (exact)"),
                        circular_shift_exact(world, a, b, window_days=window_days).p_value))
            out.append(((name, "diagnostic: circular shift within each year"),
                        null_response_rate(world, a, b, window_days=window_days, n_permutations=199, seed=world_seed,
                                           mode="year").p_value))
    return out


def calibration_table(presets: Sequence[str], n_worlds: int, *, planted: Sequence[str | None] = (None,),
                      diagnostics: bool = True, seed: int = 0, n_jobs: int = 0) -> pd.DataFrame:
    """:func:`calibrate` over several named presets and planted directions, stacked with a ``world`` column."""
    frames = []
    for name in presets:
        for p in planted:
            spec = replace(WORLD_PRESETS[name], response=p)  # type: ignore[arg-type]
            f = calibrate(spec, n_worlds, seed=seed, diagnostics=diagnostics, n_jobs=n_jobs)
            f.insert(0, "world", name)
            frames.append(f)
    return pd.concat(frames, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    """Print the calibration and power table as Markdown (for the README)."""
    ap = argparse.ArgumentParser(prog="python -m titfortat.stats.calibration", description=main.__doc__)
    ap.add_argument("--worlds", type=int, default=200)
    ap.add_argument("--presets", nargs="*", default=list(WORLD_PRESETS))
    ap.add_argument("--planted", nargs="*", default=["none", "ALLIANCE->DPRK"])
    args = ap.parse_args(argv)
    planted = [None if p == "none" else p for p in args.planted]
    table = calibration_table(args.presets, args.worlds, planted=planted)
    wide = table.pivot_table(index=["world", "planted", "test"], columns="direction", values="rejection_rate",
                             sort=False).reset_index()
    cols = list(wide.columns)
    print("| " + " | ".join(map(str, cols)) + " |")
    print("|" + " --- |" * len(cols))
    for rec in wide.itertuples(index=False):
        print("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in rec) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
