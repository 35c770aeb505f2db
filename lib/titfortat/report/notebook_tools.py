"""Small helpers the notebooks and the runner share: output folder setup and metadata scrubbing.

``python -m titfortat.report.notebook_tools scrub NOTEBOOK...`` removes run-specific metadata (execution
timestamps, papermill timings and absolute paths) from notebooks in place; ``make notebooks`` runs it
after re-executing the committed notebooks.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

from titfortat.paths import resolve_path

if TYPE_CHECKING:  # nbformat takes most of a second to import: every notebook imports this module
    import nbformat

__all__ = ["prepare_output_dir", "scrub_notebook", "configure_matplotlib"]


def configure_matplotlib() -> None:
    """Deterministic, readable figure defaults (fixed SVG hash salt, no font hinting surprises)."""
    matplotlib.rcParams.update({
        "svg.hashsalt": "titfortat",
        "figure.dpi": 100,
        "savefig.dpi": 120,
        "figure.figsize": (9.0, 4.5),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": "medium",
        "axes.titleweight": "bold",
    })


def prepare_output_dir(output_dir: str | Path) -> Path:
    """Resolve ``output_dir`` from the repository root, create it (marked with the runner's manifest in
    state ``notebook``, so that ``make report`` may replace it later), configure matplotlib."""
    out = resolve_path(output_dir)
    assert out is not None
    if not out.exists():
        # a folder a notebook creates is marked, so that the report runner may later replace it
        from titfortat.report.safety import write_manifest

        out.mkdir(parents=True)
        write_manifest(out, "notebook")
    configure_matplotlib()
    return out


def scrub_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without run-specific metadata: per-cell execution timestamps, papermill
    timings, input/output paths. Papermill's record of the parameters is kept."""
    nb = copy.deepcopy(nb)
    pm = nb.metadata.get("papermill")
    if pm is not None:
        nb.metadata["papermill"] = {"parameters": dict(pm.get("parameters", {}))}
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb


def _main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "scrub":
        print("usage: python -m titfortat.report.notebook_tools scrub NOTEBOOK...", file=sys.stderr)
        return 2
    import nbformat

    for name in argv[1:]:
        nb = nbformat.read(name, as_version=4)
        nbformat.write(scrub_notebook(nb), name)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
