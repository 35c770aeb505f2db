"""Benchmark of the response inference (a script, not a test: ``make bench``).

1. The exact circular-shift diagnostic (``circular_shift_exact``: every shift at once by FFT) on 200,000
   and 1,000,000 synthetic events, against the Monte Carlo circular-shift null it replaces
   (``null_response_rate``, 1,000 random shifts) on the same data; both give the same null mean.
2. The headline test (``response_test``, 2,000 block permutations, full model with HAC interval) on the
   real events in both directions, and on a 20-year simulated world.

Times are the best of 3 runs (1 for the Monte Carlo baseline at 1 million events). Prints ratios against
the baseline measured in the same run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from titfortat.events.schema import load_events  # noqa: E402
from titfortat.stats.inference import circular_shift_exact, response_test  # noqa: E402
from titfortat.stats.nulls import null_response_rate  # noqa: E402
from titfortat.stats.simulate import WORLD_PRESETS, simulate_world  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_pairing import best_of  # noqa: E402  (one timing helper for every benchmark)


def synthetic(n_events: int, seed: int = 0, years: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    d0 = np.datetime64("1996-01-01")
    span = years * 365
    days = (d0 + rng.integers(0, span, n_events)).astype("datetime64[ns]")
    side = np.where(rng.random(n_events) < 0.5, "ALLIANCE", "DPRK")
    return pd.DataFrame({"event_id": np.arange(n_events).astype(str), "date": days, "end_date": days,
                         "side": side, "action": "x"})


def main() -> int:
    print("Exact circular-shift diagnostic (FFT over all shifts) vs Monte Carlo circular shifts (1,000 draws)")
    print(f"{'events':>10} {'days':>7} {'exact':>9} {'Monte Carlo':>12} {'ratio':>7}  null means (exact / MC)")
    for n in (200_000, 1_000_000):
        ev = synthetic(n)
        t_exact, ex = best_of(lambda: circular_shift_exact(ev, "ALLIANCE", "DPRK"), 3)
        t_mc, mc = best_of(lambda: null_response_rate(ev, "ALLIANCE", "DPRK", n_permutations=1000, seed=1), 1)
        days = (ev["date"].max() - ev["date"].min()).days + 1
        print(f"{n:>10,} {days:>7} {t_exact:>8.3f}s {t_mc:>11.2f}s {t_mc / t_exact:>6.0f}x  "
              f"{ex.null_mean_rate:.4f} / {mc.null_mean:.4f}")
    print()
    print("Headline test (2,000 block permutations + full model with HAC interval)")
    real = ROOT / "data" / "events.csv"
    frames = {"simulated 20-year world": simulate_world(WORLD_PRESETS["seasons_bursts_years"], 1)}
    if real.exists():
        frames = {"data/events.csv": load_events(real), **frames}
    for label, ev in frames.items():
        for a, b in (("ALLIANCE", "DPRK"), ("DPRK", "ALLIANCE")):
            t, r = best_of(lambda: response_test(ev, a, b, n_permutations=2000, seed=1), 3)
            print(f"  {label:<26} {a}->{b:<9} {len(ev):>5} events, {r.n_days} days: {t:.3f} s (p = {r.p_value:.3g})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
