"""Benchmark of ``make report`` against the plain-Python floor of the same computations (``make bench``).

1. The floor: every notebook's code cells run in one Python process, one after the other, with the
   same parameters as the report (defaults, or ``--params``), writing into a temporary folder: no kernel,
   no papermill, no HTML. This is the least time the computations themselves take.
2. ``make report`` (the real command, with its process start, pre-flight checks, kernels, parallel
   notebooks, scrubbing and ``index.html``) into another temporary folder.

Both are timed in this one run, best of ``--repeat`` runs each, and the ratio report / floor is
printed (the goal is at most 1.5). The floor runs in a fresh interpreter too, so that both pay for
their imports. Runs alternate (floor, report, floor, report, ...), and the ratio within each pair is
printed too: on a shared machine the load changes from minute to minute.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

FLOOR = r'''
import json, sys, time
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
from IPython.display import display
from titfortat.report.runner import declared_parameters, notebook_paths

params, out = json.loads(sys.argv[1]), sys.argv[2]
times = {}
for nb_path in sorted(notebook_paths(), key=lambda p: p.stem == "05_summary"):  # 05 reads the others, 06 included
    t0 = time.perf_counter()
    names = declared_parameters(nb_path)
    ns = {**names, **{k: v for k, v in params.items() if k in names}, "output_dir": out, "display": display}
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            exec(compile(cell.source, f"{nb_path.name}", "exec"), ns)
    plt.close("all")
    times[nb_path.stem] = time.perf_counter() - t0
print(json.dumps(times))
'''


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


CPU: dict[str, list[float]] = {"floor": [], "report": []}


def time_floor(params: dict, out: Path) -> tuple[float, dict[str, float]]:
    c0, t0 = _child_cpu(), time.perf_counter()
    res = subprocess.run([sys.executable, "-c", FLOOR, json.dumps(params), str(out)], cwd=ROOT / "notebooks",
                         check=True, capture_output=True, text=True)
    CPU["floor"].append(_child_cpu() - c0)
    return time.perf_counter() - t0, json.loads(res.stdout.strip().splitlines()[-1])


def time_report(params: dict, out: Path, work: Path) -> float:
    pfile = work / "bench_params.yaml"
    pfile.write_text(yaml.safe_dump({**params, "output_dir": str(out)}))
    c0, t0 = _child_cpu(), time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "report", f"PARAMS={pfile}"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    CPU["report"].append(_child_cpu() - c0)  # kernels included: they are waited for by the runner
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--params", help="YAML parameters for both (default: the notebooks' defaults)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each; the best is kept")
    args = ap.parse_args()
    params = yaml.safe_load(Path(args.params).read_text()) if args.params else {}
    params.pop("output_dir", None)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Python {platform.python_version()}, {cores} cores, report jobs: {os.environ.get('TITFORTAT_JOBS', (cores or 1) + 2)}")
    floors, reports = [], []
    with tempfile.TemporaryDirectory(prefix="titfortat-bench-") as tmp:
        work = Path(tmp)
        for i in range(args.repeat):
            floor_out = work / f"floor{i}"
            floor_out.mkdir()
            floors.append(time_floor(params, floor_out))
            reports.append(time_report(params, work / f"report{i}", work))
    floor, per_nb = min(floors, key=lambda x: x[0])
    report = min(reports)
    print("plain-Python floor, per notebook: " + ", ".join(f"{k} {v:.1f} s" for k, v in per_nb.items()))
    print(f"plain-Python floor (one process, all notebooks): {floor:.1f} s   (runs: {', '.join(f'{f:.1f}' for f, _ in floors)})")
    print(f"make report:                                      {report:.1f} s   (runs: {', '.join(f'{r:.1f}' for r in reports)})")
    print(f"ratio make report / floor: {report / floor:.2f}x, best against best (goal: at most 1.5x)")
    # Each report run follows its floor run: on a shared machine the load changes between pairs, so the
    # ratio within each pair is the fairer comparison.
    paired = sorted(r / f for (f, _), r in zip(floors, reports, strict=True))
    print(f"ratio within each floor/report pair: {', '.join(f'{x:.2f}' for x in paired)} "
          f"(median {paired[len(paired) // 2]:.2f}x)")
    f_cpu, r_cpu = min(CPU["floor"]), min(CPU["report"])
    print(f"CPU time (user + system, all processes): floor {f_cpu:.1f} s, make report {r_cpu:.1f} s "
          f"({r_cpu / f_cpu:.2f}x; less sensitive to other people's load than wall-clock time)")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:
        print(f"load average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {cores} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
