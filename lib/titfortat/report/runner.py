"""The report runner behind ``make report``: every notebook, in order, with papermill.

``python -m titfortat.report [--params FILE.yaml]``

1. Reads the YAML mapping of parameters (if any) and checks every name against the parameters the
   notebooks declare in their cell tagged ``parameters``; an unknown name is an error naming the file,
   the line and the name.
2. Checks the events file and the article before any notebook starts, so that bad input is named
   precisely (file, line, event_id, column, value) and nothing is run.
3. Runs the notebooks into a staging folder beside ``output_dir``. Each notebook receives only the
   parameters it declares. When every notebook succeeded, the executed notebooks are scrubbed of
   run-specific metadata (timings, absolute paths), ``index.html`` is built from them (code hidden,
   figures embedded), and the staging folder replaces ``output_dir``.
4. When a notebook fails, the previous report is left untouched, the failed executed notebook is kept
   in ``<output_dir>.failed/`` and the message names the notebook, the cell and the error.

The output folder contract (see README): ``<stem>.ipynb`` executed notebooks, ``<stem>.json`` headline
results per notebook, figures as ``<stem>_<name>.png`` and ``.svg``, ``summary.md`` and ``index.html``.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from titfortat.report.notebook_tools import scrub_notebook
from titfortat.paths import display_path, repo_root, resolve_path

__all__ = ["ReportError", "RunPlan", "declared_parameters", "load_params", "main", "plan_run", "run_report"]

DEFAULT_OUTPUT_DIR = "reports/default"


class ReportError(RuntimeError):
    """A report run could not start or a notebook failed; the message says where and why."""


def notebook_paths(root: Path | None = None) -> list[Path]:
    """The workbook's numbered notebooks, in order."""
    root = root or repo_root()
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """Names and default values declared in a notebook's cell tagged ``parameters``."""
    import papermill

    info = papermill.inspect_notebook(str(notebook))
    out: dict[str, Any] = {}
    for name, spec in info.items():
        default = spec.get("default")
        try:  # papermill gives the default as source text, e.g. '"data/events.csv"'
            out[name] = ast.literal_eval(default) if isinstance(default, str) else default
        except (ValueError, SyntaxError):
            out[name] = default
    return out


def load_params(path: str | os.PathLike[str], known: dict[str, list[str]]) -> dict[str, Any]:
    """Read a YAML mapping of parameters and check each name is declared by some notebook.

    Parameters
    ----------
    path
        The YAML file.
    known
        Parameter name -> notebooks that declare it.
    """
    p = Path(path)
    name = p.as_posix()
    if not p.is_file():
        raise ReportError(f"{name}: parameters file not found")
    try:
        text = p.read_text(encoding="utf-8")
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except UnicodeDecodeError as exc:
        raise ReportError(f"{name}: parameters file is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ReportError(f"{name}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or node is None or not isinstance(node, yaml.MappingNode):
        raise ReportError(f"{name}: must be a YAML mapping of parameter names to values, got {type(data).__name__}")
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
    problems = []
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                f"{name}, line {lines.get(str(key), '?')}: parameter {key!r} is not declared by any notebook{hint}; "
                f"known parameters: {', '.join(sorted(known))}"
            )
    if problems:
        raise ReportError("\n".join(problems))
    return dict(data)


@dataclass(frozen=True)
class RunPlan:
    """What a report run will do: the notebooks, the parameters each receives, the folders.

    ``per_notebook`` holds what papermill injects (the overrides); ``effective`` each notebook's
    parameters as it will run with them (its declared defaults updated with the overrides).
    """

    notebooks: tuple[Path, ...]
    params: dict[str, Any]
    per_notebook: dict[str, dict[str, Any]]
    effective: dict[str, dict[str, Any]]
    output_dir: Path
    staging_dir: Path
    failed_dir: Path


def _relative_or_absolute(p: Path) -> str:
    try:
        return p.relative_to(repo_root()).as_posix()
    except ValueError:
        return p.as_posix()


def plan_run(params_file: str | None = None, root: Path | None = None) -> RunPlan:
    """Check the parameters and work out which notebook receives which of them."""
    nbs = notebook_paths(root)
    if not nbs:
        raise ReportError("no notebooks found in notebooks/")
    declared = {nb.stem: declared_parameters(nb) for nb in nbs}
    known: dict[str, list[str]] = {}
    for stem, names in declared.items():
        for n in names:
            known.setdefault(n, []).append(stem)
    params = load_params(params_file, known) if params_file else {}
    out = resolve_path(params.get("output_dir", DEFAULT_OUTPUT_DIR))
    assert out is not None
    out = out.resolve()
    if out == repo_root() or out in repo_root().parents:
        raise ReportError(f"output_dir {params.get('output_dir')!r} would replace the repository; choose a folder such as reports/<name>")
    staging = out.parent / f".{out.name}.staging"
    per = {}
    for nb in nbs:
        mine = {k: v for k, v in params.items() if k in declared[nb.stem]}
        mine["output_dir"] = _relative_or_absolute(staging)
        per[nb.stem] = mine
    effective = {stem: {**declared[stem], **per[stem]} for stem in declared}
    return RunPlan(tuple(nbs), params, per, effective, out, staging, out.parent / f"{out.name}.failed")


def _preflight(plan: RunPlan) -> None:
    """Validate every events file and article the notebooks will read, before running anything."""
    from titfortat.paths import repo_root
    from titfortat.text.articles import load_articles
    from titfortat.events.schema import load_events

    for ev in sorted({str(p["events_path"]) for p in plan.effective.values() if p.get("events_path")}):
        try:
            load_events(ev)
        except (FileNotFoundError, ValueError) as exc:
            raise ReportError(f"events_path: {exc}") from None
    articles = {(str(p["article_path"]), p.get("published")) for p in plan.effective.values() if p.get("article_path")}
    for path, published in sorted(articles, key=str):
        try:
            load_articles(path, published=published, root=repo_root())  # a file, a folder or a glob
        except (FileNotFoundError, ValueError) as exc:
            raise ReportError(f"article_path: {exc}") from None


def _scrub(nb: nbformat.NotebookNode, final_output_dir: str, staging_value: str) -> nbformat.NotebookNode:
    """Scrub run-specific metadata and show the final output folder instead of the staging one."""
    nb = scrub_notebook(nb)
    params = nb.metadata["papermill"]["parameters"] if "papermill" in nb.metadata else {}
    if "output_dir" in params:
        params["output_dir"] = final_output_dir
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace(f'"{staging_value}"', f'"{final_output_dir}"').replace(
                repr(staging_value), repr(final_output_dir)
            )
    return nb


def build_html(notebooks: list[nbformat.NotebookNode], title: str) -> str:
    """One HTML page from the executed notebooks: code hidden, figures embedded."""
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    merged.metadata = copy.deepcopy(notebooks[0].metadata) if notebooks else {}
    merged.metadata.pop("papermill", None)
    merged.metadata["title"] = title
    for nb in notebooks:
        merged.cells.extend(c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", []))
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(merged)
    return body


def run_report(plan: RunPlan, *, log=print) -> Path:  # type: ignore[no-untyped-def]
    """Execute the plan; return the output folder. Raises :class:`ReportError` on failure."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _preflight(plan)
    if plan.staging_dir.exists():
        shutil.rmtree(plan.staging_dir)
    plan.staging_dir.mkdir(parents=True)
    staging_value = plan.per_notebook[plan.notebooks[0].stem]["output_dir"]
    final_value = _relative_or_absolute(plan.output_dir)
    executed: list[nbformat.NotebookNode] = []
    total = len(plan.notebooks)
    try:
        for i, nb in enumerate(plan.notebooks, 1):
            target = plan.staging_dir / nb.name
            log(f"[{i}/{total}] {nb.name} ...", flush=True)
            t0 = time.perf_counter()
            try:
                papermill.execute_notebook(
                    str(nb), str(target), parameters=plan.per_notebook[nb.stem], cwd=str(nb.parent),
                    kernel_name="python3", progress_bar=False, log_output=False,
                )
            except PapermillExecutionError as exc:
                plan.failed_dir.mkdir(parents=True, exist_ok=True)
                kept = plan.failed_dir / nb.name
                shutil.copyfile(target, kept)
                raise ReportError(
                    f"notebook {nb.name} failed in cell {exc.cell_index} (execution count {exc.exec_count}): "
                    f"{exc.ename}: {exc.evalue}\n"
                    f"The executed notebook with the error is kept at {display_path(kept)}; "
                    f"the previous report in {display_path(plan.output_dir)} is untouched."
                ) from None
            log(f"      done in {time.perf_counter() - t0:.1f} s", flush=True)
            clean = _scrub(nbformat.read(target, as_version=4), final_value, staging_value)
            nbformat.write(clean, target)
            executed.append(clean)
        html = build_html(executed, title="Korean Peninsula tension-cycle workbook")
        (plan.staging_dir / "index.html").write_text(html, encoding="utf-8")
    except BaseException:
        shutil.rmtree(plan.staging_dir, ignore_errors=True)
        raise
    previous = plan.output_dir.parent / f".{plan.output_dir.name}.previous"
    if previous.exists():
        shutil.rmtree(previous)
    if plan.output_dir.exists():
        os.replace(plan.output_dir, previous)
    os.replace(plan.staging_dir, plan.output_dir)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(plan.failed_dir, ignore_errors=True)
    return plan.output_dir


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m titfortat.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", help="YAML mapping of notebook parameters (e.g. notebooks/params/crisis_2017.yaml)")
    args = parser.parse_args(argv)
    try:
        plan = plan_run(args.params)
        t0 = time.perf_counter()
        print(f"Running {len(plan.notebooks)} notebooks into {display_path(plan.output_dir)}", flush=True)
        out = run_report(plan)
    except ReportError as exc:
        print(f"report failed: {exc}", file=sys.stderr)
        return 1
    print(f"Report written to {display_path(out)} in {time.perf_counter() - t0:.1f} s "
          f"(summary.md, index.html, JSON results, figures).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
