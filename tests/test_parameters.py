"""The one declaration of the notebook parameters: checked values, notebooks and README agree with it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from titfortat.paths import repo_root
from titfortat.report.parameters import (
    README_BEGIN,
    README_END,
    check_values,
    codebook_vocabulary,
    load_declaration,
    render_table,
)
from titfortat.report.runner import declared_parameters, main, notebook_paths

SPECS = load_declaration()
VOCAB = codebook_vocabulary()
DEFAULTS = {name: spec.default for name, spec in SPECS.items()}


def _run(tmp_path: Path, capsys, data: dict) -> str:
    p = tmp_path / "params.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False))
    assert main(["--params", str(p)]) == 1
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        ({"window_days": "seven"}, ["line 1", "'window_days'", "'seven'", "not an integer", "an integer from 1 to 365"]),
        ({"window_days": -3}, ["'window_days'", "-3", "below 1", "an integer from 1 to 365"]),
        ({"n_permutations": 0}, ["'n_permutations'", "value 0", "below 99"]),
        ({"exercise_months": [13]}, ["'exercise_months'", "[13]", "element 0 (13) is above 12", "from 1 to 12"]),
        ({"events_path": "data"}, ["'events_path'", "'data'", "a directory, not a file", "existing file"]),
        ({"start": "2020-06-01", "end": "2020-01-01", "split_date": "2020-03-01"},
         ["'end'", "'2020-01-01'", "before start = '2020-06-01'"]),
        ({"start": "2030-01-01", "end": "2030-12-31", "split_date": "2030-06-01"},
         ["start = '2030-01-01'", "end = '2030-12-31'", "no event of data/events.csv", "events run from 2006"]),
        ({"anchor": "middle"}, ["'anchor'", "'middle'", "one of 'start', 'end', 'any'"]),
        ({"actions_b": ["exercise"]}, ["'actions_b'", "'exercise'", "joint_exercise"]),
        ({"start": "2023-02-30"}, ["'start'", "'2023-02-30'", "not a valid date"]),
        ({"window_days": 2, "min_lag_days": 5}, ["'window_days'", "below min_lag_days = 5"]),
    ],
    ids=["text-int", "negative", "zero-permutations", "month-13", "directory", "start-after-end", "empty-period",
         "bad-choice", "bad-action", "bad-date", "window-below-min-lag"],
)
def test_bad_values_fail_before_any_notebook_naming_parameter_value_and_what_is_allowed(tmp_path, capsys, data, fragments):
    out = tmp_path / "out"
    err = _run(tmp_path, capsys, {**data, "output_dir": str(out)})
    assert all(f in err for f in fragments), err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["params.yaml"]


def test_several_problems_are_reported_together(tmp_path, capsys):
    err = _run(tmp_path, capsys, {"window_days": "seven", "n_permutations": 0})
    assert "'window_days'" in err and "'n_permutations'" in err


def test_defaults_and_example_sets_are_valid():
    assert check_values(DEFAULTS, SPECS) == []
    for f in sorted((repo_root() / "notebooks" / "params").glob("*.yaml")):
        assert check_values({**DEFAULTS, **yaml.safe_load(f.read_text())}, SPECS) == [], f.name


@pytest.mark.parametrize("nb", notebook_paths(), ids=lambda p: p.stem)
def test_every_notebook_parameters_cell_agrees_with_the_declaration(nb):
    cell = declared_parameters(nb)
    declared_here = {name for name, spec in SPECS.items() if nb.stem in spec.notebooks}
    assert set(cell) == declared_here, (
        f"{nb.name}: in the parameters cell but not declared for it in notebooks/parameters.yaml: "
        f"{sorted(set(cell) - declared_here)}; declared for it but missing from the cell: {sorted(declared_here - set(cell))}")
    for name, value in cell.items():
        assert value == SPECS[name].default, f"{nb.name}: {name} defaults to {value!r}, the declaration says {SPECS[name].default!r}"


def test_every_declared_parameter_is_used_by_a_notebook():
    stems = {nb.stem for nb in notebook_paths()}
    for spec in SPECS.values():
        assert spec.notebooks and set(spec.notebooks) <= stems, spec.name


def test_readme_table_is_generated_from_the_declaration():
    readme = (repo_root() / "README.md").read_text()
    block = readme.split(README_BEGIN, 1)[1].split(README_END, 1)[0]
    assert block.strip() == render_table().strip(), "run `make params-table` to regenerate the README table"


@settings(max_examples=200, deadline=None)
@given(window=st.one_of(st.integers(-1000, 1000), st.text(max_size=5), st.floats(allow_nan=True), st.none(), st.booleans()),
       min_lag=st.integers(0, 365))
def test_window_days_accepted_exactly_when_in_range(window, min_lag):
    problems = check_values({"window_days": window, "min_lag_days": min_lag}, SPECS, vocab=VOCAB)
    ok = type(window) is int and 1 <= window <= 365 and window >= min_lag
    assert (problems == []) == ok, (window, min_lag, problems)


@settings(max_examples=100, deadline=None)
@given(months=st.lists(st.integers(-3, 15), max_size=4))
def test_exercise_months_accepted_exactly_when_every_month_is_real(months):
    problems = check_values({"exercise_months": months}, SPECS, vocab=VOCAB)
    assert (problems == []) == (len(months) >= 1 and all(1 <= m <= 12 for m in months))


def test_declaration_errors_are_named(tmp_path):
    p = tmp_path / "parameters.yaml"
    p.write_text("x:\n  type: integer\n  maxi: 3\n")
    with pytest.raises(ValueError, match="unknown keys"):
        load_declaration(p)
    p.write_text("x:\n  type: whole\n")
    with pytest.raises(ValueError, match="type 'whole'"):
        load_declaration(p)
    p.write_text("x:\n  type: integer\n  at_least: y\n")
    with pytest.raises(ValueError, match="undeclared parameter 'y'"):
        load_declaration(p)


def test_a_new_entry_is_a_few_lines(tmp_path):
    p = tmp_path / "parameters.yaml"
    p.write_text("n_bootstrap:\n  type: integer\n  min: 10\n  default: 500\n  help: resamples\n  notebooks: [06_robustness]\n")
    specs = load_declaration(p)
    assert check_values({"n_bootstrap": 500}, specs, vocab=VOCAB) == []
    assert "below 10" in check_values({"n_bootstrap": 3}, specs, vocab=VOCAB)[0]
