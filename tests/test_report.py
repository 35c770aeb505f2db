"""The report runner: parameter checks, bad input, failure safety and byte-identical reruns."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import good_row
from titfortat.report.runner import ReportError, load_params, main, plan_run, run_report

KNOWN = {"events_path": ["02_frequencies"], "output_dir": ["02_frequencies"], "window_days": ["03_tit_for_tat"]}


def _yaml(tmp_path: Path, data: dict, name: str = "params.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, sort_keys=False))
    return p


def test_unknown_parameter_names_file_line_and_suggests(tmp_path):
    p = _yaml(tmp_path, {"events_path": "data/events.csv", "window_dyas": 3})
    with pytest.raises(ReportError) as info:
        load_params(p, KNOWN)
    msg = str(info.value)
    assert "params.yaml, line 2" in msg and "'window_dyas'" in msg and "did you mean 'window_days'" in msg


def test_params_must_be_a_mapping(tmp_path):
    p = tmp_path / "list.yaml"
    p.write_text("- a\n- b\n")
    with pytest.raises(ReportError, match="must be a YAML mapping"):
        load_params(p, KNOWN)
    with pytest.raises(ReportError, match="not found"):
        load_params(tmp_path / "missing.yaml", KNOWN)


def test_every_notebook_declares_the_shared_parameters():
    plan = plan_run(None)
    assert [nb.name for nb in plan.notebooks] == [
        "01_article.ipynb", "02_frequencies.ipynb", "03_tit_for_tat.ipynb", "04_exercise_windows.ipynb", "05_summary.ipynb",
        "06_robustness.ipynb",
    ]
    from titfortat.report.runner import declared_parameters

    for nb in plan.notebooks:
        declared = declared_parameters(nb)
        assert {"events_path", "output_dir", "start", "end"} <= set(declared), nb.name
        assert declared["output_dir"] == "reports/default"


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ({"date": "2023-8-3"}, "column 'date', value '2023-8-3'"),
        ({"actor": "NORTH"}, "column 'actor', value 'NORTH'"),
        ({"action": "provocation"}, "column 'action', value 'provocation'"),
        ({"end_date": "2023-08-01"}, "column 'end_date', value '2023-08-01'"),
    ],
)
def test_bad_events_stop_before_any_notebook_runs(tmp_path, write_csv, capsys, row, fragment):
    events = write_csv([good_row(**row)])
    out = tmp_path / "out"
    params = _yaml(tmp_path, {"events_path": str(events), "output_dir": str(out)})
    assert main(["--params", str(params)]) == 1
    err = capsys.readouterr().err
    assert "events.csv, line 2" in err and fragment in err
    assert not out.exists()


def _dup_ids(path: Path) -> None:
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")


def _drop_column(path: Path) -> None:
    import csv

    rows = list(csv.DictReader(path.open()))
    cols = [c for c in rows[0] if c != "actor"]
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [
        (_dup_ids, ["line 3", "duplicate event_id", "first used on line 2"]),
        (_drop_column, ["column 'actor'", "missing from the header"]),
        (lambda p: p.write_text(""), ["events.csv", "file is empty"]),
        (lambda p: p.write_bytes(p.read_bytes().replace(b"munitions", b"munitions \xff")), ["line 2", "not UTF-8"]),
    ],
    ids=["duplicate-id", "missing-column", "empty-file", "not-utf8"],
)
def test_bad_events_files_exit_nonzero_with_precise_message(tmp_path, write_csv, capsys, mutate, fragments):
    events = write_csv([good_row()])
    mutate(events)
    out = tmp_path / "out"
    assert main(["--params", str(_yaml(tmp_path, {"events_path": str(events), "output_dir": str(out)}))]) == 1
    err = capsys.readouterr().err
    assert all(f in err for f in fragments), err
    assert not out.exists()


def test_unknown_parameter_exits_nonzero(tmp_path, capsys):
    assert main(["--params", str(_yaml(tmp_path, {"windw_days": 3}))]) == 1
    assert "'windw_days'" in capsys.readouterr().err


def test_missing_article_and_article_without_date(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--params", str(_yaml(tmp_path, {"article_path": str(tmp_path / "none.md"), "output_dir": str(out)}))]) == 1
    assert "none.md" in capsys.readouterr().err
    undated = tmp_path / "undated.md"
    undated.write_text("---\ntitle: No date here\n---\nKim inspected a factory.\n")
    assert main(["--params", str(_yaml(tmp_path, {"article_path": str(undated), "output_dir": str(out)}))]) == 1
    err = capsys.readouterr().err
    assert "undated.md" in err and "published" in err
    assert not out.exists()


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.suffix in {".json", ".md", ".svg", ".html"}}


@pytest.mark.slow
def test_two_runs_are_byte_identical_with_no_absolute_paths_and_one_file_mode(tmp_path):
    from titfortat.paths import repo_root

    # The events file outside the repository, given by its absolute path: outputs name it by file name only.
    events = tmp_path / "elsewhere" / "events.csv"
    events.parent.mkdir()
    shutil.copyfile(repo_root() / "data" / "events.csv", events)
    out = tmp_path / "report"
    params = _yaml(tmp_path, {"output_dir": str(out), "n_permutations": 300, "events_path": str(events)})
    assert main(["--params", str(params)]) == 0
    first = _digests(out)
    assert {"summary.md", "index.html", "03_tit_for_tat.json", "01_article.json", ".titfortat-report.json"} <= set(first)
    assert any(n.endswith(".svg") for n in first)
    for name in first:
        text = (out / name).read_text()
        assert str(tmp_path) not in text and str(repo_root()) not in text and "/work/" not in text, name
    assert yaml.safe_load((out / "03_tit_for_tat.json").read_text())["parameters"]["events_path"] == "events.csv"
    html = (out / "index.html").read_text()
    assert "'03_tit_for_tat.json'" not in html and "saved 0" not in html and "PosixPath" not in html
    modes = {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()}
    assert set(modes.values()) == {0o644}, modes
    texts = {name: (out / name).read_text() for name in first}
    assert main(["--params", str(params)]) == 0
    again = _digests(out)
    # (on a difference, say where: the first differing characters of each file that changed)
    where = {}
    for name in first:
        if again.get(name) != first[name]:
            a, b = texts[name], (out / name).read_text()
            k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            where[name] = (a[max(0, k - 200):k + 200], b[max(0, k - 200):k + 200])
    assert again == first, where
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "params.yaml", "report"]


@pytest.mark.parametrize("name", ["crisis_2017.yaml", "cycle_2022_2023.yaml", "summer_exercises.yaml"])
def test_example_parameter_sets_are_valid(name):
    from titfortat.paths import repo_root

    plan = plan_run(str(repo_root() / "notebooks" / "params" / name))
    assert plan.output_dir.name == name.removesuffix(".yaml")
    assert "output_dir" not in plan.per_notebook["03_tit_for_tat"]  # the runner sets each notebook's staging folder
    assert plan.depends_on["05_summary"] == ("01_article", "02_frequencies", "03_tit_for_tat", "04_exercise_windows",
                                             "06_robustness")
    assert all(not plan.depends_on[s] for s in ("01_article", "02_frequencies", "03_tit_for_tat", "04_exercise_windows",
                                                "06_robustness"))


@pytest.mark.slow
def test_readme_papermill_one_liner_works_on_a_fresh_copy(tmp_path):
    """The README's papermill command, as written, in a fresh copy of the tracked files (no reports/)."""
    import re
    import subprocess
    import sys

    from titfortat.paths import repo_root

    root = repo_root()
    readme = (root / "README.md").read_text()
    block = re.search(r"One notebook, with papermill directly.*?```bash\n(.*?)```", readme, re.S)
    assert block, "README lost its papermill example"
    command = block.group(1).replace("\\\n", " ").strip()
    assert "papermill" in command and "mkdir -p" in command
    clone = tmp_path / "clone"
    tracked = subprocess.run(["git", "ls-files"], cwd=root, check=True, capture_output=True, text=True).stdout.split()
    for name in tracked:
        (clone / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, clone / name)
    assert not (clone / "reports").exists()
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "TITFORTAT_ROOT": str(clone), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    run = subprocess.run(["bash", "-c", command.replace(".venv/bin/", f"{bin_dir}/")], cwd=clone, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    out = clone / "reports" / "tft_14d"
    assert (out / "03_tit_for_tat.ipynb").is_file()
    assert yaml.safe_load((out / "03_tit_for_tat.json").read_text())["parameters"]["window_days"] == 14
