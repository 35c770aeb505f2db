"""The runner cannot hurt: folder rules, manifest, lock, staging, failure, and notebooks side by side.

The machinery is tested on small notebooks written by the tests (a kernel each, a second or two), so
that it is exercised on material the project does not hold; the full workbook runs in test_report.py.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from titfortat.paths import repo_root
from titfortat.report.runner import ReportError, RunPlan, main, run_report
from titfortat.report.safety import (
    MANIFEST,
    OutputLock,
    UnsafeOutputError,
    check_output_dir,
    clean_leftovers,
    make_staging,
    write_manifest,
)


def _params(tmp_path: Path, data: dict) -> str:
    p = tmp_path / "params.yaml"
    p.write_text(yaml.safe_dump(data))
    return str(p)


# --- the folder rules -------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["data", "lib", "notebooks", "tests", ".git", "data/new_report", "lib/titfortat",
                                    ".", "..", "/", "~", "/usr", "/usr/local/reports", "/etc/x", "/tmp", "/var/lib/x"])
def test_protected_places_are_refused_before_anything_runs(tmp_path, capsys, target):
    before = sorted(p.name for p in (repo_root() / "data").iterdir())
    assert main(["--params", _params(tmp_path, {"output_dir": target})]) == 1
    err = capsys.readouterr().err
    assert "output_dir" in err and ("choose a folder under reports/" in err), err
    assert sorted(p.name for p in (repo_root() / "data").iterdir()) == before


def test_foreign_folder_with_notes_is_refused_and_kept(tmp_path, capsys):
    notes = tmp_path / "my_notes"
    notes.mkdir()
    (notes / "ideas.md").write_text("mine")
    assert main(["--params", _params(tmp_path, {"output_dir": str(notes)})]) == 1
    err = capsys.readouterr().err
    assert "not made by the report runner" in err and "ideas.md" in err and "move or delete that folder yourself" in err
    assert (notes / "ideas.md").read_text() == "mine"


def test_a_file_path_is_refused(tmp_path, capsys):
    f = tmp_path / "results.txt"
    f.write_text("keep me")
    assert main(["--params", _params(tmp_path, {"output_dir": str(f)})]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert f.read_text() == "keep me"


def test_symlink_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(UnsafeOutputError, match="symbolic link"):
        check_output_dir(tmp_path / "link")


def test_report_folder_with_files_added_by_hand_is_refused(tmp_path):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "summary.md").write_text("x")
    write_manifest(out, "report", ["summary.md"])
    assert check_output_dir(out) == out.resolve()
    (out / "my_comments.txt").write_text("y")
    with pytest.raises(UnsafeOutputError, match="files the runner did not write: my_comments.txt"):
        check_output_dir(out)


def test_missing_and_empty_folders_are_accepted(tmp_path):
    assert check_output_dir(tmp_path / "new") == (tmp_path / "new").resolve()
    (tmp_path / "empty").mkdir()
    assert check_output_dir(tmp_path / "empty") == (tmp_path / "empty").resolve()
    assert check_output_dir("reports/somewhere") == (repo_root() / "reports" / "somewhere").resolve()


def test_forged_manifest_of_another_program_does_not_count(tmp_path):
    out = tmp_path / "rep"
    out.mkdir()
    (out / MANIFEST).write_text(json.dumps({"made_by": "someone else", "files": ["a"]}))
    (out / "a").write_text("a")
    with pytest.raises(UnsafeOutputError, match="not made by the report runner"):
        check_output_dir(out)


# --- lock and staging ---------------------------------------------------------------------------------

def test_lock_refuses_a_second_holder_and_is_removed_on_release(tmp_path):
    out = tmp_path / "rep"
    with OutputLock(out):
        with pytest.raises(UnsafeOutputError, match=r"another report run \(process \d+\) is writing .*wait for it"):
            OutputLock(out).acquire()
    assert not (tmp_path / ".rep.lock").exists()
    with OutputLock(out):
        pass


def test_each_run_stages_into_its_own_folder_and_leftovers_are_cleaned_with_a_message(tmp_path):
    out = tmp_path / "rep"
    a, b = make_staging(out), make_staging(out)
    assert a != b and a.parent == b.parent == tmp_path and a.name.startswith(".rep.staging-")
    foreign = tmp_path / ".rep.staging-not-ours"
    foreign.mkdir()
    messages: list[str] = []
    clean_leftovers(out, messages.append)
    assert not a.exists() and not b.exists() and foreign.is_dir()
    assert sum("interrupted" in m for m in messages) == 2
    assert any("Left" in m and ".rep.staging-not-ours" in m and "delete it yourself" in m for m in messages)


def test_interrupted_swap_puts_the_previous_report_back(tmp_path):
    out = tmp_path / "rep"
    prev = tmp_path / ".rep.previous"
    prev.mkdir()
    (prev / "summary.md").write_text("old")
    write_manifest(prev, "report", ["summary.md"])
    messages: list[str] = []
    clean_leftovers(out, messages.append)
    assert (out / "summary.md").read_text() == "old" and not prev.exists()
    assert "Restored the previous report" in messages[0]


# --- the machinery on small notebooks -------------------------------------------------------------------

def _notebook(folder: Path, stem: str, body: str, depends_on: list[str] | None = None) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('output_dir = "reports/default"\nlabel = "x"')
    params.metadata["tags"] = ["parameters"]
    setup = ("from pathlib import Path\nfrom titfortat.paths import resolve_path\n"
             "out = resolve_path(output_dir); out.mkdir(parents=True, exist_ok=True)")
    nb.cells = [params, nbformat.v4.new_code_cell(setup), nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if depends_on:
        nb.metadata["titfortat"] = {"depends_on": depends_on}
    path = folder / f"{stem}.ipynb"
    nbformat.write(nb, path)
    return path


def _plan(nbs: list[Path], out: Path, deps: dict[str, tuple[str, ...]] | None = None,
          params: dict | None = None) -> RunPlan:
    deps = deps or {}
    per = {nb.stem: dict(params or {}) for nb in nbs}
    return RunPlan(tuple(nbs), dict(params or {}), per, {k: dict(v) for k, v in per.items()},
                   {nb.stem: deps.get(nb.stem, ()) for nb in nbs}, out, out.parent / f"{out.name}.failed")


def _small_workbook(tmp_path: Path, sleep: float = 1.0, folder: str = "nbs") -> list[Path]:
    src = tmp_path / folder
    src.mkdir()
    write = f"import time; time.sleep({sleep})\n(out / '{{}}.json').write_text('{{{{\"label\": \"' + label + '\"}}}}')"
    return [
        _notebook(src, "01_a", write.format("01_a")),
        _notebook(src, "02_b", write.format("02_b")),
        _notebook(src, "03_sum", "import json\nparts = [json.loads((out / f).read_text())['label'] for f in "
                  "('01_a.json', '02_b.json')]\n(out / 'summary.md').write_text(' '.join(parts) + '\\n')",
                  depends_on=["01_a", "02_b"]),
    ]


def test_independent_notebooks_run_side_by_side_and_the_dependent_one_after(tmp_path):
    nbs = _small_workbook(tmp_path)
    out = tmp_path / "rep"
    lines: list[str] = []
    run_report(_plan(nbs, out, {"03_sum": ("01_a", "02_b")}, {"label": "run1"}),
               log=lambda m, **k: lines.append(m), jobs=2)
    order = [ln.strip().split()[-2] if "started" in ln else "done:" + ln.split()[0] for ln in lines]
    # both independent notebooks start before either finishes; the summary starts after both finished
    assert order.index("01_a.ipynb") < order.index("done:01_a.ipynb")
    assert max(order.index("01_a.ipynb"), order.index("02_b.ipynb")) < min(order.index("done:01_a.ipynb"),
                                                                          order.index("done:02_b.ipynb"))
    assert order.index("03_sum.ipynb") > max(order.index("done:01_a.ipynb"), order.index("done:02_b.ipynb"))
    assert (out / "summary.md").read_text() == "run1 run1\n"
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([MANIFEST, "01_a.ipynb", "01_a.json", "02_b.ipynb", "02_b.json", "03_sum.ipynb",
                            "index.html", "summary.md"])
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["made_by"] == "titfortat.report" and set(manifest["files"]) == set(names) - {MANIFEST}
    assert {p.stat().st_mode & 0o777 for p in out.iterdir()} == {0o644}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nbs", "rep"]  # no staging, lock or previous left
    executed = (out / "01_a.ipynb").read_text()
    assert ".nb-01_a" not in executed and "staging" not in executed
    # a second run replaces the folder the runner made
    run_report(_plan(nbs, out, {"03_sum": ("01_a", "02_b")}, {"label": "run2"}), log=lambda *a, **k: None)
    assert (out / "summary.md").read_text() == "run2 run2\n"


def test_failure_keeps_previous_report_and_failed_notebook(tmp_path):
    nbs = _small_workbook(tmp_path, sleep=0)
    out = tmp_path / "rep"
    run_report(_plan(nbs, out, {"03_sum": ("01_a", "02_b")}, {"label": "good"}), log=lambda *a, **k: None)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "broken").mkdir()
    bad = _notebook(tmp_path / "broken", "02_b", "raise ValueError('label must not be ' + label)")
    with pytest.raises(ReportError) as info:
        run_report(_plan([nbs[0], bad, nbs[2]], out, {"03_sum": ("01_a", "02_b")}, {"label": "bad"}),
                   log=lambda *a, **k: None)
    msg = str(info.value)
    assert "notebook 02_b.ipynb failed in cell 3" in msg and "ValueError: label must not be bad" in msg
    assert "rep.failed/02_b.ipynb" in msg and "untouched" in msg
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert (tmp_path / "rep.failed" / "02_b.ipynb").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "nbs", "rep", "rep.failed"]
    # the next good run removes the failure folder it made
    run_report(_plan(nbs, out, {"03_sum": ("01_a", "02_b")}, {"label": "good"}), log=lambda *a, **k: None)
    assert not (tmp_path / "rep.failed").exists()


def test_two_notebooks_writing_the_same_file_is_an_error(tmp_path):
    src = tmp_path / "nbs"
    src.mkdir()
    nbs = [_notebook(src, s, "(out / 'same.json').write_text('{}')") for s in ("01_a", "02_b")]
    with pytest.raises(ReportError, match="both write same.json"):
        run_report(_plan(nbs, tmp_path / "rep"), log=lambda *a, **k: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nbs"]


def _run_in_child(nbs: list[str], out: str, label: str, queue: mp.Queue) -> None:
    try:
        run_report(_plan([Path(n) for n in nbs], Path(out), {"03_sum": ("01_a", "02_b")}, {"label": label}),
                   log=lambda *a, **k: None)
        queue.put((label, "ok"))
    except ReportError as exc:
        queue.put((label, str(exc)))


def test_a_second_concurrent_run_into_the_same_folder_is_refused(tmp_path):
    nbs = [str(p) for p in _small_workbook(tmp_path, sleep=3)]
    out = tmp_path / "rep"
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    first = ctx.Process(target=_run_in_child, args=(nbs, str(out), "first", q))
    first.start()
    deadline = time.monotonic() + 60
    while not (tmp_path / ".rep.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    second = ctx.Process(target=_run_in_child, args=(nbs, str(out), "second", q))
    second.start()
    results = dict(q.get(timeout=120) for _ in range(2))
    first.join(30)
    second.join(30)
    assert results["first"] == "ok"
    assert "another report run" in results["second"] and "wait for it to finish" in results["second"]
    assert (out / "summary.md").read_text() == "first first\n"
    assert json.loads((out / "01_a.json").read_text())["label"] == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nbs", "rep"]


def test_dependency_on_an_unknown_notebook_or_a_cycle_is_named(tmp_path):
    from titfortat.report.runner import _check_graph

    with pytest.raises(ReportError, match="depends on '09_x'"):
        _check_graph(["01_a"], {"01_a": ("09_x",)})
    with pytest.raises(ReportError, match="cycle: 01_a -> 02_b -> 01_a"):
        _check_graph(["01_a", "02_b"], {"01_a": ("02_b",), "02_b": ("01_a",)})


def test_no_tcp_warning_and_no_stray_output(tmp_path, capfd):
    nbs = _small_workbook(tmp_path, sleep=0)
    run_report(_plan(nbs, tmp_path / "rep", {"03_sum": ("01_a", "02_b")}, {"label": "q"}), log=lambda *a, **k: None)
    captured = capfd.readouterr()
    assert "TCP" not in captured.err + captured.out
    assert os.listdir(tmp_path / "rep")


KILLED_CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_runner_safety import _plan
from titfortat.report.runner import run_report
nbs = [Path(p) for p in {nbs!r}]
run_report(_plan(nbs, Path({out!r}), {{"03_sum": ("01_a", "02_b")}}, {{"label": "killed"}}), log=lambda *a, **k: None)
"""


def test_a_run_killed_midway_leaves_nothing_that_blocks_or_mixes_and_the_next_run_says_so(tmp_path):
    import signal
    import subprocess
    import sys

    slow = [str(p) for p in _small_workbook(tmp_path, sleep=60, folder="slow")]
    out = tmp_path / "rep"
    code = KILLED_CHILD.format(tests=str(Path(__file__).parent), nbs=slow, out=str(out))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".rep.staging-*/.nb-01_a")) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert list(tmp_path.glob(".rep.staging-*")), "the first run never started"
    finally:
        child.send_signal(signal.SIGKILL)  # killed midway: no clean-up code runs
        child.wait(timeout=30)
    assert list(tmp_path.glob(".rep.staging-*")) and not out.exists()
    fast = _small_workbook(tmp_path, sleep=0, folder="fast")
    lines: list[str] = []
    run_report(_plan(fast, out, {"03_sum": ("01_a", "02_b")}, {"label": "next"}), log=lambda m, **k: lines.append(m))
    assert any("staging folder of an earlier run that was interrupted" in ln for ln in lines), lines
    assert (out / "summary.md").read_text() == "next next\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fast", "rep", "slow"]  # the lock was freed by the kill


def test_a_folder_made_by_a_notebook_run_can_be_replaced_but_not_one_with_other_files(tmp_path, monkeypatch):
    """make test (nbval) or JupyterLab first, make report after: the runner may replace the notebooks' folder."""
    from titfortat.report.notebook_tools import prepare_output_dir
    from titfortat.report.safety import UnsafeOutputError, check_output_dir, read_manifest

    out = prepare_output_dir(tmp_path / "nb_out")
    assert read_manifest(out)["state"] == "notebook"
    (out / "03_tit_for_tat.json").write_text("{}")
    (out / "summary.md").write_text("x")
    assert check_output_dir(out, root=tmp_path / "repo") == out
    (out / "my_notes.txt").write_text("mine")
    with pytest.raises(UnsafeOutputError, match="my_notes.txt"):
        check_output_dir(out, root=tmp_path / "repo")
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "keep.txt").write_text("mine")
    prepare_output_dir(existing)  # an existing folder is never marked
    assert read_manifest(existing) is None
