"""Benchmark of response pairing and the circular-shift null (a script, not a test: ``make bench``).

1. Pairing "first response 1..7 days after each trigger" on 1 million and 10 million synthetic
   events (half triggers, half responses, random days over ~30 years), three ways on the same data:
   ``titfortat.stats.pairing.first_response_lags``, ``pandas.merge_asof(direction="forward",
   tolerance=...)`` and DuckDB's ``ASOF LEFT JOIN``; the three results must agree exactly.
2. The 10,000-permutation circular-shift null (``titfortat.stats.nulls.null_response_rate``) on the real
   events (``data/events.csv``), or on a synthetic 500-event frame when that file is missing.

"titfortat numpy" is ``first_response_lags`` with its default (day-table) method; the "search path"
row forces its sort + ``searchsorted`` method (used for day ranges too wide for a table).
Times are the best of 3 runs (1 run for the 10-million pandas and DuckDB joins). Peak memory:
``tracemalloc`` peak of the numpy work (a separate, untimed run), and the process's peak RSS from
``resource.getrusage``. Targets: 1M pairing < 1 s, 10k-permutation null < 2 s, not slower than DuckDB.
"""

from __future__ import annotations

import gc
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from titfortat.stats.nulls import null_response_rate  # noqa: E402
from titfortat.stats.pairing import first_response_lags  # noqa: E402

LO, HI = 1, 7
SPAN_DAYS = 30 * 365


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = np.inf, None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def traced_peak_mb(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def synthetic(n_events: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    half = n_events // 2
    return rng.integers(0, SPAN_DAYS, half).astype(np.int64), rng.integers(0, SPAN_DAYS, n_events - half).astype(np.int64)


def pair_numpy(trig: np.ndarray, resp: np.ndarray) -> np.ndarray:
    return first_response_lags(trig, resp, LO, HI)


def pair_numpy_search(trig: np.ndarray, resp: np.ndarray) -> np.ndarray:
    return first_response_lags(trig, resp, LO, HI, method="search")


def pair_pandas(trig: np.ndarray, resp: np.ndarray) -> np.ndarray:
    left = pd.DataFrame({"i": np.arange(trig.size), "key": trig + LO, "day": trig}).sort_values("key", kind="stable")
    right = pd.DataFrame({"key": np.sort(resp)})
    right["rday"] = right["key"]
    m = pd.merge_asof(left, right, on="key", direction="forward", tolerance=HI - LO, allow_exact_matches=True)
    lag = (m["rday"] - m["day"]).fillna(-1).to_numpy(dtype=np.int64)
    out = np.empty(trig.size, dtype=np.int64)
    out[m["i"].to_numpy()] = lag
    return out


def pair_duckdb(con: Any, trig: np.ndarray, resp: np.ndarray) -> np.ndarray:
    con.register("trig", pd.DataFrame({"i": np.arange(trig.size), "day": trig, "lo": trig + LO}))
    con.register("resp", pd.DataFrame({"rday": resp}))
    res = con.execute(
        """
        SELECT t.i, CASE WHEN r.rday IS NOT NULL AND r.rday - t.day <= ? THEN r.rday - t.day ELSE -1 END AS lag
        FROM trig t ASOF LEFT JOIN resp r ON r.rday >= t.lo
        ORDER BY t.i
        """,
        [HI],
    ).fetchnumpy()
    con.unregister("trig")
    con.unregister("resp")
    return np.asarray(res["lag"], dtype=np.int64)


def load_real() -> tuple[pd.DataFrame, str]:
    path = ROOT / "data" / "events.csv"
    try:
        from titfortat.events.schema import load_events

        if path.is_file():
            ev = load_events(path)
            return ev, f"data/events.csv ({len(ev)} events)"
        reason = "data/events.csv not found"
    except ImportError:
        reason = "titfortat.events.schema.load_events not available"
    rng = np.random.default_rng(0)
    d0 = pd.Timestamp("2016-01-01")
    days = rng.integers(0, 3653, 500)
    side = np.where(np.arange(500) < 250, "ALLIANCE", "DPRK")
    ev = pd.DataFrame(
        {
            "event_id": [f"s{i:04d}" for i in range(500)],
            "date": d0 + pd.to_timedelta(days, unit="D"),
            "side": side,
            "action": np.where(side == "DPRK", "missile_launch", "joint_exercise"),
        }
    )
    ev["end_date"] = ev["date"]
    return ev, f"SYNTHETIC 500-event frame ({reason})"


def main() -> None:
    import duckdb

    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    rows: list[tuple[str, str, str, str]] = []
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, duckdb {duckdb.__version__} "
          f"({threads} threads), {platform.machine()}")
    print(f"pairing window: first response {LO}-{HI} days after each trigger; days uniform over {SPAN_DAYS} days\n")
    header = f"{'benchmark':<44}{'time (s)':>10}{'vs pandas':>11}{'vs duckdb':>11}{'tracemalloc peak':>18}"
    print(header)
    print("-" * len(header))
    for n in (1_000_000, 10_000_000):
        trig, resp = synthetic(n)
        t_np, lags_np = best_of(lambda: pair_numpy(trig, resp), 3)
        t_ss, lags_ss = best_of(lambda: pair_numpy_search(trig, resp), 3)
        reps = 3 if n <= 1_000_000 else 1
        t_pd, lags_pd = best_of(lambda: pair_pandas(trig, resp), reps)
        t_db, lags_db = best_of(lambda: pair_duckdb(con, trig, resp), reps)
        agree = np.array_equal(lags_np, lags_pd) and np.array_equal(lags_np, lags_db) and np.array_equal(lags_np, lags_ss)
        if not agree:
            raise SystemExit(f"MISMATCH at n={n}: numpy vs pandas {np.sum(lags_np != lags_pd)}, vs duckdb {np.sum(lags_np != lags_db)}")
        peak = traced_peak_mb(lambda: pair_numpy(trig, resp))
        label = f"{n / 1e6:g}M events"
        print(f"{'pairing ' + label + ' (titfortat numpy)':<44}{t_np:>10.3f}{t_pd / t_np:>10.1f}x{t_db / t_np:>10.1f}x{peak:>15.1f} MB")
        print(f"{'pairing ' + label + ' (titfortat, search path)':<44}{t_ss:>10.3f}{t_pd / t_ss:>10.1f}x{t_db / t_ss:>10.1f}x{'':>18}")
        print(f"{'pairing ' + label + ' (pandas.merge_asof)':<44}{t_pd:>10.3f}{'':>11}{'':>11}{'':>18}")
        print(f"{'pairing ' + label + ' (DuckDB ASOF JOIN)':<44}{t_db:>10.3f}{'':>11}{'':>11}{'':>18}")
        responded = float(np.mean(lags_np >= 0))
        print(f"  -> all agree on {trig.size:,} triggers ({responded:.1%} responded); "
              f"numpy is {t_pd / t_np:.1f}x faster than pandas, {t_db / t_np:.1f}x faster than DuckDB")
        rows.append((label, f"{t_np:.3f}", f"{t_pd:.3f}", f"{t_db:.3f}"))
        del trig, resp, lags_np, lags_pd, lags_db, lags_ss
        gc.collect()

    # agreement where many triggers go unanswered (the dense benchmarks answer nearly all)
    for n_sparse in (2_000, 20_000):
        trig, resp = synthetic(n_sparse, seed=1)
        a, b, c = pair_numpy(trig, resp), pair_pandas(trig, resp), pair_duckdb(con, trig, resp)
        d = pair_numpy_search(trig, resp)
        if not (np.array_equal(a, b) and np.array_equal(a, c) and np.array_equal(a, d)):
            raise SystemExit(f"MISMATCH on the sparse check n={n_sparse}")
        print(f"  sparse check, {n_sparse:,} events: all agree ({np.mean(a >= 0):.1%} of triggers responded)")

    ev, source = load_real()
    kwargs: dict[str, Any] = {"n_permutations": 10_000, "seed": 0}
    null_response_rate(ev, "ALLIANCE", "DPRK", n_permutations=100)  # warm-up
    for label, args in (
        ("ALLIANCE -> DPRK, all actions, start anchor", {"side_a": "ALLIANCE", "side_b": "DPRK"}),
        ("ALLIANCE exercises -> DPRK launches, any", {"side_a": "ALLIANCE", "side_b": "DPRK", "anchor": "any",
                                                     "actions_a": ["joint_exercise", "strategic_asset_deployment"],
                                                     "actions_b": "missile_launch"}),
        ("DPRK -> ALLIANCE, year mode", {"side_a": "DPRK", "side_b": "ALLIANCE", "mode": "year"}),
    ):
        t_null, res = best_of(lambda: null_response_rate(ev, **args, **kwargs), 3)
        peak = traced_peak_mb(lambda: null_response_rate(ev, **args, **kwargs))
        print(f"{'null 10k perms: ' + label:<44}{t_null:>10.3f}{'':>11}{'':>11}{peak:>15.1f} MB")
        print(f"  -> {res.n_triggers} triggers, {res.n_responses} responses; observed {res.observed_rate:.3f}, "
              f"null mean {res.null_mean:.3f}, p = {res.p_value:.4f}")
    print(f"\nnull data: {source}")
    print(f"process peak RSS (resource.getrusage): {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
