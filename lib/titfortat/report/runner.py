"""The report runner behind ``make report``: every notebook with papermill, side by side where it can.

``python -m titfortat.report [--params FILE.yaml] [--jobs N]``

1. Reads the YAML mapping of parameters (if any); an unknown name is an error naming the file, the line
   and the closest known name. Every value the notebooks will run with is checked against the one
   declaration of the parameters, ``notebooks/parameters.yaml`` (type, range, allowed values, order of
   dates), and the output folder against the folder rules of :mod:`titfortat.report.safety`.
2. Checks the events file, the period and the article before any notebook starts, so that bad input is
   named precisely (file, line, event_id, column, value; parameter, value, what is allowed).
3. Takes the output folder's lock, removes what an interrupted run left, and runs the notebooks into a
   staging folder of its own, each notebook in a process of its own with its own staging subfolder.
   Notebooks that depend on nothing run side by side (``--jobs``, default: the number of cores + 2); a
   notebook that declares ``depends_on`` in its metadata (``{"titfortat": {"depends_on": [...]}}``)
   starts when those have finished, with their outputs linked into its folder.
4. When every notebook succeeded, the executed notebooks are scrubbed of run-specific metadata,
   ``index.html`` is built from them (code hidden, figures embedded, HTML sanitized), a manifest is
   written, and the staging folder replaces ``output_dir``.
5. When a notebook fails, the others are stopped, the previous report is left untouched, the failed
   executed notebook is kept in ``<output_dir>.failed/`` and the message names the notebook, the cell
   and the error. Nothing half-written is left behind.

The output folder contract (see README): ``<stem>.ipynb`` executed notebooks, ``<stem>.json`` headline
results per notebook, figures as ``<stem>_<name>.png`` and ``.svg``, ``summary.md``, ``index.html`` and
the manifest ``.titfortat-report.json``.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import json
import os
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from titfortat.paths import message_path, repo_root, resolve_path
from titfortat.report.safety import (
    MANIFEST,
    OutputLock,
    UnsafeOutputError,
    check_output_dir,
    clean_leftovers,
    make_staging,
    normalize_modes,
    read_manifest,
    write_manifest,
)

if TYPE_CHECKING:
    import nbformat

__all__ = ["ReportError", "RunPlan", "declared_parameters", "load_params", "main", "plan_run", "run_report"]

DEFAULT_OUTPUT_DIR = "reports/default"
Log = Callable[..., None]


class ReportError(RuntimeError):
    """A report run could not start or a notebook failed; the message says where and why."""


def notebook_paths(root: Path | None = None) -> list[Path]:
    """The workbook's numbered notebooks, in order."""
    root = root or repo_root()
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _read_json_notebook(notebook: Path) -> dict[str, Any]:
    with open(notebook, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """Names and default values declared in a notebook's cell tagged ``parameters``.

    The cell is parsed, not run: every top-level assignment ``name = <literal>`` is a parameter (what
    papermill's ``inspect_notebook`` reports for Python notebooks), read without importing papermill so
    that the pre-flight checks answer within a second or two.
    """
    cells = _read_json_notebook(notebook).get("cells", [])
    cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    out: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name) and node.value is not None:
                    try:
                        out[t.id] = ast.literal_eval(node.value)
                    except ValueError:
                        out[t.id] = ast.get_source_segment(source, node.value)
    return out


def dependencies(notebook: Path) -> tuple[str, ...]:
    """The notebooks (stems) this one reads the outputs of: ``metadata.titfortat.depends_on``."""
    meta = _read_json_notebook(notebook).get("metadata", {}).get("titfortat", {})
    return tuple(meta.get("depends_on", ()))


def _read_params(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, int]]:
    p = Path(path)
    name = message_path(p)
    if p.is_dir():
        raise ReportError(f"{name}: is a folder; --params takes a YAML file")
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
        return {}, {}
    if not isinstance(data, dict) or node is None or not isinstance(node, yaml.MappingNode):
        raise ReportError(f"{name}: must be a YAML mapping of parameter names to values, got {type(data).__name__}")
    return dict(data), {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def load_params(path: str | os.PathLike[str], known: dict[str, list[str]]) -> dict[str, Any]:
    """Read a YAML mapping of parameters and check each name is declared by some notebook.

    Parameters
    ----------
    path
        The YAML file.
    known
        Parameter name -> notebooks that declare it.
    """
    data, lines = _read_params(path)
    name = message_path(Path(path))
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
    return data


@dataclass(frozen=True)
class RunPlan:
    """What a report run will do: the notebooks, the parameters each receives, the folders.

    ``per_notebook`` holds what papermill injects (the overrides; the runner adds each notebook's staging
    folder as ``output_dir``); ``effective`` each notebook's parameters as it will run with them (its
    declared defaults updated with the overrides); ``depends_on`` the notebooks each one waits for.
    """

    notebooks: tuple[Path, ...]
    params: dict[str, Any]
    per_notebook: dict[str, dict[str, Any]]
    effective: dict[str, dict[str, Any]]
    depends_on: dict[str, tuple[str, ...]]
    output_dir: Path
    failed_dir: Path


def _relative_or_absolute(p: Path) -> str:
    try:
        return p.relative_to(repo_root()).as_posix()
    except ValueError:
        return p.as_posix()


def _check_graph(stems: list[str], deps: dict[str, tuple[str, ...]]) -> None:
    for stem, ds in deps.items():
        for d in ds:
            if d not in stems:
                raise ReportError(f"notebooks/{stem}.ipynb depends on {d!r}, which is not a notebook of the workbook "
                                  f"(known: {', '.join(stems)})")
    state: dict[str, int] = {}

    def visit(s: str, path: list[str]) -> None:
        if state.get(s) == 2:
            return
        if state.get(s) == 1:
            raise ReportError(f"notebook dependencies form a cycle: {' -> '.join([*path, s])}")
        state[s] = 1
        for d in deps.get(s, ()):
            visit(d, [*path, s])
        state[s] = 2

    for s in stems:
        visit(s, [])


def plan_run(params_file: str | None = None, root: Path | None = None) -> RunPlan:
    """Check the parameters (names, values, output folder) and work out which notebook receives what."""
    from titfortat.report.parameters import check_values, load_declaration

    nbs = notebook_paths(root)
    if not nbs:
        raise ReportError("no notebooks found in notebooks/")
    declared = {nb.stem: declared_parameters(nb) for nb in nbs}
    deps = {nb.stem: dependencies(nb) for nb in nbs}
    _check_graph([nb.stem for nb in nbs], deps)
    known: dict[str, list[str]] = {}
    for stem, names in declared.items():
        for n in names:
            known.setdefault(n, []).append(stem)
    params = load_params(params_file, known) if params_file else {}
    lines = _read_params(params_file)[1] if params_file else {}
    source = message_path(Path(params_file)) if params_file else "defaults"

    per = {nb.stem: {k: v for k, v in params.items() if k in declared[nb.stem]} for nb in nbs}
    effective = {stem: {**declared[stem], **per[stem]} for stem in declared}
    specs = load_declaration()
    problems: list[str] = []
    for stem in declared:
        for msg in check_values(effective[stem], specs, source=source):
            name = msg.split("parameter '", 1)[-1].split("'", 1)[0]
            if name in lines:
                msg = msg.replace(f"{source}:", f"{source}, line {lines[name]}:", 1)
            elif name not in params:
                msg = msg.replace(f"{source}:", f"notebooks/{stem}.ipynb (default):", 1)
            if msg not in problems:
                problems.append(msg)
    if problems:
        raise ReportError("\n".join(problems))

    raw_out = params.get("output_dir", DEFAULT_OUTPUT_DIR)
    try:
        out = check_output_dir(Path(str(raw_out)))
        failed = check_output_dir(out.parent / f"{out.name}.failed", what="the failure folder")
    except UnsafeOutputError as exc:
        raise ReportError(str(exc)) from None
    for p in per.values():
        p.pop("output_dir", None)
    return RunPlan(tuple(nbs), params, per, effective, deps, out, failed)


def _preflight(plan: RunPlan) -> None:
    """Validate every events file, period and article the notebooks will read, before running anything."""
    from titfortat.events.schema import analysis_period, filter_period, load_events
    from titfortat.paths import repo_root
    from titfortat.text.articles import load_articles

    loaded = {}
    for ev in sorted({str(p["events_path"]) for p in plan.effective.values() if p.get("events_path")}):
        try:
            loaded[ev] = load_events(ev)
        except (FileNotFoundError, ValueError) as exc:
            raise ReportError(f"events_path: {exc}") from None
    periods = {(str(p["events_path"]), p.get("start"), p.get("end")) for p in plan.effective.values()
               if p.get("events_path")}
    for ev, start, end in sorted(periods, key=str):
        events = loaded[ev]
        if events.empty:
            raise ReportError(f"events_path {ev!r}: the file holds no events")
        lo, hi = analysis_period(events, start, end)
        if filter_period(events, lo, hi).empty:
            raise ReportError(
                f"parameters start = {start!r}, end = {end!r}: no event of {message_path(resolve_path(ev) or ev)} "
                f"falls in {lo.date()} to {hi.date()}; its events run from {events['date'].min().date()} to "
                f"{events['date'].max().date()}. Choose start and end inside that range")
    articles = {(str(p["article_path"]), p.get("published")) for p in plan.effective.values() if p.get("article_path")}
    for path, published in sorted(articles, key=str):
        try:
            load_articles(path, published=published, root=repo_root())  # a file, a folder or a glob
        except (FileNotFoundError, ValueError) as exc:
            raise ReportError(f"article_path: {exc}") from None


def _scrub(nb: nbformat.NotebookNode, final_output_dir: str, staging_value: str) -> nbformat.NotebookNode:
    """Scrub run-specific metadata and show the final output folder instead of the staging one."""
    from titfortat.report.notebook_tools import scrub_notebook

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
    """One HTML page from the executed notebooks: code hidden, figures embedded, markup sanitized.

    ``sanitize_html`` (nbconvert with bleach) removes scripts, event handlers and ``javascript:`` links
    from Markdown cells and outputs, as a second line of defence behind the escaping of input values.
    """
    import nbformat
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    merged.metadata = copy.deepcopy(notebooks[0].metadata) if notebooks else {}
    merged.metadata.pop("papermill", None)
    merged.metadata.pop("titfortat", None)
    merged.metadata["title"] = title
    for nb in notebooks:
        merged.cells.extend(c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", []))
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            sanitize_html=True)
    body, _ = exporter.from_notebook_node(merged)
    return body


def _default_jobs() -> int:
    env = os.environ.get("TITFORTAT_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    # Kernels wait on sockets part of the time: two more than the cores keeps the cores busy.
    return max(1, cores) + 2


@dataclass
class _Failure:
    stem: str
    cell_index: int | None
    exec_count: int | None
    ename: str
    evalue: str


async def _execute_one(path: Path, inputs_ready: Callable[[], Awaitable[dict[str, Any]]], target: Path,
                       cell_timeout: int | None) -> _Failure | None:
    """Execute one notebook in a kernel of its own (a separate process); write it to ``target``.

    The kernel is started at once; ``inputs_ready()`` then waits until the notebooks this one depends on
    have finished and a job slot is free, and returns the parameters to inject. So a dependent notebook's
    kernel boots while the others run. The kernel starts in the notebook's folder (passed to the kernel
    launcher: no ``chdir`` in this process, so notebooks can run side by side) and talks over IPC sockets
    in a private temporary folder: no TCP port is opened, so it has no unencrypted-TCP warning to print.
    Parameters are injected by papermill (the cell tagged ``injected-parameters``).
    """
    import tempfile

    import nbformat
    from jupyter_client.manager import AsyncKernelManager

    failure = None
    nb = None
    with tempfile.TemporaryDirectory(prefix="titfortat-kernel-") as runtime:
        km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                                connection_file=str(Path(runtime) / "kernel.json"))
        try:
            await km.start_kernel(cwd=str(path.parent))  # the kernel boots in its process from here on
            parameters = await inputs_ready()
            # Imported here, while the kernels boot: papermill alone takes a second to import.
            from nbclient import NotebookClient
            from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
            from nbclient.util import ensure_async
            from papermill.iorw import load_notebook_node
            from papermill.parameterize import parameterize_notebook

            nb = parameterize_notebook(load_notebook_node(str(path)), parameters, kernel_name="python3",
                                       language="python")
            client = NotebookClient(nb, km=km, kernel_name="python3", timeout=cell_timeout, startup_timeout=120)
            try:
                async with client.async_setup_kernel():
                    assert client.kc is not None
                    info = await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
                    if info is not None and "language_info" in info["content"]:
                        nb.metadata["language_info"] = info["content"]["language_info"]
                    for index, cell in enumerate(nb.cells):
                        await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
                index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and
                              any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
                if index is None:
                    index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                                  and c.get("execution_count") is None), None)
                failure = _Failure(path.stem, index,
                                   nb.cells[index].get("execution_count") if index is not None else None,
                                   getattr(exc, "ename", type(exc).__name__),
                                   getattr(exc, "evalue", str(exc).strip().splitlines()[-1] if str(exc).strip() else ""))
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()
        finally:
            if km.has_kernel:
                await km.shutdown_kernel(now=True)
    nbformat.write(nb, target)
    return failure


def _failure_message(plan: RunPlan, f: _Failure, kept: Path | None) -> str:
    where = f" in cell {f.cell_index} (execution count {f.exec_count})" if f.cell_index is not None else ""
    kept_msg = f"The executed notebook with the error is kept at {message_path(kept)}; " if kept else ""
    return (f"notebook {f.stem}.ipynb failed{where}: {f.ename}: {f.evalue}\n{kept_msg}"
            f"the previous report in {message_path(plan.output_dir)} is untouched.")


def _execute_all(plan: RunPlan, staging: Path, jobs: int, log: Log, cell_timeout: int | None) -> dict[str, str]:
    """Run every notebook, each in its own kernel process and staging subfolder, ``jobs`` at a time; a
    notebook starts once the notebooks it depends on have finished, with their outputs linked into its
    folder. Each finished notebook's files move into ``staging``.

    Returns each notebook's staging ``output_dir`` value (to be replaced in the executed notebooks).
    """
    import asyncio

    paths = {nb.stem: nb for nb in plan.notebooks}
    produced: dict[str, set[str]] = {}
    owner: dict[str, str] = {}
    staging_values: dict[str, str] = {}
    total = len(paths)

    def collect(stem: str, folder: Path, linked: set[str]) -> None:
        mine = set()
        for f in sorted(folder.iterdir()):
            if f.name in linked:
                continue
            if not f.is_file():
                raise ReportError(f"notebook {stem}.ipynb wrote a folder {f.name!r} into output_dir; notebooks write files only")
            if f.name in owner:
                raise ReportError(f"notebooks {owner[f.name]}.ipynb and {stem}.ipynb both write {f.name}; "
                                  "each output file must come from one notebook")
            os.replace(f, staging / f.name)
            owner[f.name] = stem
            mine.add(f.name)
        shutil.rmtree(folder)
        produced[stem] = mine

    def keep_failed(folder: Path, f: _Failure) -> Path | None:
        executed = folder / f"{f.stem}.ipynb"
        if not executed.is_file():
            return None
        plan.failed_dir.mkdir(parents=True, exist_ok=True)
        kept = plan.failed_dir / executed.name
        shutil.copyfile(executed, kept)
        write_manifest(plan.failed_dir, "failed", [p.name for p in plan.failed_dir.iterdir() if p.name != MANIFEST])
        normalize_modes(plan.failed_dir)
        return kept

    async def schedule() -> None:
        done_events = {stem: asyncio.Event() for stem in paths}
        slots = asyncio.Semaphore(jobs)
        started: dict[str, float] = {}

        def ready_for(stem: str, folder: Path, linked: set[str]) -> Callable[[], Awaitable[dict[str, Any]]]:
            async def ready() -> dict[str, Any]:
                for d in plan.depends_on[stem]:
                    await done_events[d].wait()
                await slots.acquire()
                for d in plan.depends_on[stem]:
                    for name in produced[d]:
                        os.link(staging / name, folder / name)
                        linked.add(name)
                started[stem] = time.perf_counter()
                log(f"[{len(started)}/{total}] {stem}.ipynb started", flush=True)
                return {**plan.per_notebook[stem], "output_dir": staging_values[stem]}
            return ready

        tasks: dict[asyncio.Task[_Failure | None], tuple[str, Path, set[str]]] = {}
        for stem in paths:
            folder = staging / f".nb-{stem}"
            folder.mkdir()
            staging_values[stem] = _relative_or_absolute(folder)
            linked: set[str] = set()
            task = asyncio.ensure_future(_execute_one(paths[stem], ready_for(stem, folder, linked),
                                                      folder / f"{stem}.ipynb", cell_timeout))
            tasks[task] = (stem, folder, linked)
        pending = set(tasks)
        try:
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    stem, folder, linked = tasks[task]
                    if stem in started:
                        slots.release()
                    try:
                        failure = task.result()
                    except (OSError, RuntimeError, TimeoutError, ValueError) as exc:  # kernel would not start, ...
                        raise ReportError(f"notebook {stem}.ipynb could not run: {type(exc).__name__}: {exc}") from None
                    if failure is not None:
                        raise ReportError(_failure_message(plan, failure, keep_failed(folder, failure)))
                    collect(stem, folder, linked)
                    done_events[stem].set()
                    log(f"      {stem}.ipynb done in {time.perf_counter() - started[stem]:.1f} s", flush=True)
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)

    # nbconvert (for index.html) is imported in the background while the kernels work, not after them.
    import threading

    threading.Thread(target=lambda: __import__("nbconvert.exporters.html"), daemon=True).start()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(schedule())
    else:  # called from inside an event loop (a notebook, a Playwright session): run on a loop of its own
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, schedule()).result()
    return staging_values


def run_report(plan: RunPlan, *, log: Log = print, jobs: int | None = None, cell_timeout: int | None = 3600) -> Path:
    """Execute the plan; return the output folder. Raises :class:`ReportError` on failure.

    Parameters
    ----------
    plan
        From :func:`plan_run`.
    log
        Called with progress lines.
    jobs
        Notebooks run at once (default: ``TITFORTAT_JOBS`` or the number of cores + 2).
    cell_timeout
        Seconds one cell may run before the notebook fails.
    """
    _preflight(plan)
    out = plan.output_dir
    try:
        lock = OutputLock(out).acquire()
    except UnsafeOutputError as exc:
        raise ReportError(str(exc)) from None
    try:
        clean_leftovers(out, lambda m: log(m, flush=True))
        try:  # the folder may have changed since the plan was made
            check_output_dir(out)
        except UnsafeOutputError as exc:
            raise ReportError(str(exc)) from None
        staging = make_staging(out)
        try:
            import nbformat

            staging_values = _execute_all(plan, staging, jobs or _default_jobs(), log, cell_timeout)
            final_value = _relative_or_absolute(out)
            executed = []
            for nb in plan.notebooks:
                target = staging / nb.name
                clean = _scrub(nbformat.read(target, as_version=4), final_value, staging_values[nb.stem])
                nbformat.write(clean, target)
                executed.append(clean)
            html = build_html(executed, title="Korean Peninsula tension-cycle workbook")
            (staging / "index.html").write_text(html, encoding="utf-8")
            write_manifest(staging, "report", [p.name for p in staging.iterdir() if p.name != MANIFEST])
            normalize_modes(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _swap(staging, out)
        if plan.failed_dir.is_dir() and read_manifest(plan.failed_dir) is not None:
            shutil.rmtree(plan.failed_dir)
    finally:
        lock.release()
    return out


def _swap(staging: Path, out: Path) -> None:
    """Put the finished staging folder in place of ``out`` (a report folder of ours, an empty folder or nothing)."""
    previous = out.parent / f".{out.name}.previous"
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    if out.exists():
        os.replace(out, previous)
    os.replace(staging, out)
    if previous.exists():
        shutil.rmtree(previous)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m titfortat.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", help="YAML mapping of notebook parameters (e.g. notebooks/params/crisis_2017.yaml)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks run at once (default: TITFORTAT_JOBS or the number of cores + 2)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        plan = plan_run(args.params)
        print(f"Running {len(plan.notebooks)} notebooks into {message_path(plan.output_dir)}", flush=True)
        out = run_report(plan, jobs=args.jobs)
    except ReportError as exc:
        print(f"report failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("report interrupted: the previous report is untouched and the staging folder was removed",
              file=sys.stderr)
        return 130
    print(f"Report written to {message_path(out)} in {time.perf_counter() - t0:.1f} s "
          f"(summary.md, index.html, JSON results, figures).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
