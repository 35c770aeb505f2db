"""Benchmark of the specification curve on Dask (a script, not a test: ``make bench``).

On the real events (``data/events.csv``) and the default grid of ``notebooks/06_robustness.ipynb``
(:data:`titfortat.stats.robustness.DEFAULT_CHOICES`, both directions, 1,000 null draws):

1. baseline: every batch one after the other in this process (no Dask);
2. a ``LocalCluster`` of 1 worker process (1 thread), then of 2 worker processes: specifications per
   second of the run (cluster already started, one warm-up run first), and the ratio 2 workers / 1 worker
   (goal >= 1.8 on 2 cores);
3. the notebook's path end to end: start a local cluster sized to the machine, run, close (goal < 60 s).

Times are the best of 2 runs. Peak memory: peak RSS of this process and of each worker process
(``resource.getrusage``). Every run must give the same table (checked). The machine is shared: the load
average is printed with the results.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from titfortat.events.schema import load_events  # noqa: E402
from titfortat.stats import robustness as rb  # noqa: E402

N_DRAWS = 1000
SEED = 20230806
REPEAT = 2


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn: Any) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> int:
    events = load_events(ROOT / "data" / "events.csv")
    grid = rb.expand_grid(events, rb.DEFAULT_CHOICES, variants=rb.circular_shift_test.variants)
    n = len(grid)
    print(f"specification curve benchmark: {n} specifications x {N_DRAWS} null draws, {len(events)} events")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")

    t_seq, ref = _timed(lambda: rb.run_specification_curve(events, grid, n_draws=N_DRAWS, seed=SEED))
    print(f"  baseline, one process, no Dask:   {t_seq:6.2f} s  {n / t_seq:7.1f} specs/s")

    rates = {}
    worker_rss: dict[int, float] = {}
    for workers in (1, 2):
        t0 = time.perf_counter()
        with rb.dask_client(None, n_workers=workers) as client:
            started = time.perf_counter() - t0
            rb.run_specification_curve(events, grid, n_draws=N_DRAWS, seed=SEED, client=client)  # warm-up
            t_run, curve = _timed(lambda c=client: rb.run_specification_curve(events, grid, n_draws=N_DRAWS, seed=SEED,
                                                                               client=c))
            rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            worker_rss[workers] = max(rss.values())
        pd.testing.assert_frame_equal(curve.table, ref.table)
        rates[workers] = n / t_run
        print(f"  LocalCluster, {workers} worker(s):        {t_run:6.2f} s  {rates[workers]:7.1f} specs/s "
              f"(cluster start {started:.1f} s; worker peak RSS {worker_rss[workers]:.0f} MB)")
    print(f"  throughput 2 workers / 1 worker: {rates[2] / rates[1]:.2f} (goal >= 1.8)")

    def notebook_path() -> Any:
        with rb.dask_client(None) as client:
            return rb.run_specification_curve(events, grid, n_draws=N_DRAWS, seed=SEED, client=client)

    t_all, curve = _timed(notebook_path)
    pd.testing.assert_frame_equal(curve.table, ref.table)
    print(f"  default grid end to end (cluster of {rb._machine_cores()} workers started, run, closed): "
          f"{t_all:.1f} s (goal < 60 s)")
    print(f"  peak RSS: this process {_peak_rss_mb():.0f} MB, largest worker {max(worker_rss.values()):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
