"""Tests of titfortat.stats.robustness: the grid, the seeds, the adapter (equal to today's test), the
engine (same results for any batching and any number of workers, on a local and on a loopback cluster),
the joint test (and its calibration, slow) and the words."""

from __future__ import annotations

import itertools
import math
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_events
from titfortat.stats import robustness as rb
from titfortat.stats.nulls import circular_shifts, null_response_rate, restrict_period
from titfortat.stats.pairing import day_numbers, pair_responses, select_events, trigger_windows

VARIANTS = rb.circular_shift_test.variants


def random_events(seed: int, n_a: int = 60, n_b: int = 80, years: int = 4, multi: bool = True) -> pd.DataFrame:
    """Two independent streams over whole years from 2010; some alliance events last several days."""
    rng = np.random.default_rng(seed)
    d0 = pd.Timestamp("2010-01-01")
    span = (pd.Timestamp(f"{2010 + years - 1}-12-31") - d0).days + 1
    rows = []
    for d in rng.integers(0, span, n_a):
        start = d0 + pd.Timedelta(days=int(d))
        end = start + pd.Timedelta(days=int(rng.integers(0, 10))) if multi and rng.random() < 0.3 else None
        if end is not None and end > pd.Timestamp(f"{2010 + years - 1}-12-31"):
            end = None
        rows.append((start, "ALLIANCE", str(rng.choice(["joint_exercise", "sanctions"])), end))
    rows += [(d0 + pd.Timedelta(days=int(d)), "DPRK", str(rng.choice(["missile_launch", "statement"])))
             for d in rng.integers(0, span, n_b)]
    return make_events(rows, id_width=4)


SETS = {"DPRK": {"all": None, "launch": ["missile_launch"]}, "ALLIANCE": {"all": None, "drill": ["joint_exercise"]}}
SMALL = {"window_days": [3, 7], "min_lag_days": [0, 1], "anchor": ["start", "any"], "trigger_actions": ["all"],
         "response_actions": ["all"], "variant": ["period", "year"]}


def small_grid(events: pd.DataFrame, choices=None, **kw) -> rb.SpecificationGrid:
    return rb.expand_grid(events, SMALL if choices is None else choices, action_sets=SETS, variants=VARIANTS, **kw)


# ---------------------------------------------------------------------------------------------- grid


@settings(max_examples=30, deadline=None)
@given(
    windows=st.lists(st.integers(2, 30), min_size=1, max_size=3, unique=True),
    lags=st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True),
    anchors=st.lists(st.sampled_from(["start", "end", "any"]), min_size=1, max_size=3, unique=True),
    acts=st.lists(st.sampled_from(["all", "launch"]), min_size=1, max_size=2, unique=True),
    variants=st.lists(st.sampled_from(list(VARIANTS)), min_size=1, max_size=2, unique=True),
    both=st.booleans(),
)
def test_grid_is_the_full_product_with_unique_ids(windows, lags, anchors, acts, variants, both):
    events = random_events(1, n_a=10, n_b=10)
    choices = {"window_days": windows, "min_lag_days": lags, "anchor": anchors, "response_actions": acts,
               "variant": variants, "period": ["all", "first_half"]}
    dirs = [("ALLIANCE", "DPRK"), ("DPRK", "ALLIANCE")] if both else [("ALLIANCE", "DPRK")]
    sets = {"DPRK": {"all": None, "launch": ["missile_launch"]}, "ALLIANCE": {"all": None, "launch": ["joint_exercise"]}}
    grid = rb.expand_grid(events, choices, directions=dirs, action_sets=sets, variants=VARIANTS)
    n = len(windows) * len(lags) * len(anchors) * len(acts) * len(variants) * 2 * len(dirs)
    assert len(grid) == n
    assert grid.table["spec_id"].is_unique
    key = ["headline", *rb.CHOICE_VALUES]
    assert not grid.table.duplicated(key).any()
    assert list(grid.choices) == [c for c in rb.CHOICE_VALUES if c in choices]
    assert set(grid.table["start"]) == {"2010-01-01"} and set(grid.table["end"]) == {"2011-12-31", "2013-12-31"}
    spec = grid.spec(0)
    assert spec["actions_b"] == sets[spec["side_b"]][spec["response_actions"]]


def test_optional_columns_add_their_choices_only_when_they_can_change_something():
    events = random_events(2)
    choices = {**SMALL, "reported_responses": ["keep", "drop"], "uncertain_dates": ["as_coded", "earlier", "later"]}
    grid = small_grid(events, choices)
    assert set(grid.skipped) == {"reported_responses", "uncertain_dates"}
    assert "absent" not in grid.skipped["reported_responses"] and "reported_response_to" in grid.skipped["reported_responses"]
    assert len(grid) == 2 * 2 * 2 * 2 * 2
    events["reported_response_to"] = ""
    events["date_precision"] = "day"
    grid = small_grid(events, choices)
    assert "no row" in grid.skipped["reported_responses"] and "no row" in grid.skipped["uncertain_dates"]
    events.loc[3, "reported_response_to"] = "e0001"
    events.loc[5, "date_precision"] = "+-1 day"
    grid = small_grid(events, choices)
    assert grid.skipped == {}
    assert len(grid) == 2 * 2 * 2 * 2 * 2 * 2 * 3


@pytest.mark.parametrize(
    ("choices", "kw", "fragment"),
    [
        ({"windows": [7]}, {}, "parameter 'choices': value 'windows'"),
        ({"anchor": ["first"]}, {}, "choices['anchor']\": value 'first'"),
        ({"window_days": [7, -1]}, {}, "integers >= 0"),
        ({"window_days": 7}, {}, "a list of values"),
        ({"window_days": [3], "min_lag_days": [4]}, {}, "min_lag_days 4 exceeds window_days 3"),
        ({"trigger_actions": ["navy"]}, {}, "value 'navy'"),
        ({"variant": ["block"]}, {}, "value 'block'"),
        ({"period": ["2012"]}, {}, "YYYY-MM-DD..YYYY-MM-DD"),
        ({"period": ["2009-01-01..2010-12-31"]}, {}, "inside the analysis period"),
        ({"period": ["first_half"]}, {"start": "2011-01-01", "end": "2011-12-31"}, "at least two calendar years"),
        ({}, {"directions": [("DPRK", "DPRK")]}, "parameter 'directions'"),
    ],
)
def test_bad_choices_name_parameter_value_and_what_is_allowed(choices, kw, fragment):
    with pytest.raises(ValueError) as info:
        rb.expand_grid(random_events(3, n_a=5, n_b=5), choices, action_sets=SETS, variants=VARIANTS, **kw)
    assert fragment in str(info.value).replace('"', "'").replace("''", "'") or fragment in str(info.value)


def test_bad_date_precision_names_the_event_column_and_value():
    events = random_events(3, n_a=5, n_b=5)
    events["date_precision"] = "day"
    events.loc[2, "date_precision"] = "month"
    with pytest.raises(ValueError, match=r"event_id 'e0002': column 'date_precision' has value 'month'"):
        small_grid(events)


def test_prepare_events_drops_reported_rows_and_moves_only_uncertain_dates():
    events = random_events(4, n_a=10, n_b=10)
    events["reported_response_to"] = ""
    events["date_precision"] = "day"
    events.loc[1, "reported_response_to"] = "e0000"
    events.loc[[2, 7], "date_precision"] = "+-1 day"
    before = events.copy()
    assert rb.prepare_events(events, {"reported_responses": "keep", "uncertain_dates": "as_coded"}) is events
    dropped = rb.prepare_events(events, {"reported_responses": "drop"})
    assert set(dropped["event_id"]) == set(events["event_id"]) - {"e0001"}
    for name, shift in (("earlier", -1), ("later", 1)):
        moved = rb.prepare_events(events, {"uncertain_dates": name}).set_index("event_id")
        orig = events.set_index("event_id")
        delta = (moved["date"] - orig.loc[moved.index, "date"]).dt.days
        assert delta.to_dict() == {e: (shift if e in ("e0002", "e0007") else 0) for e in moved.index}
        span = (moved["end_date"] - moved["date"]).sort_index()
        assert span.equals((orig["end_date"] - orig["date"]).sort_index())
    pd.testing.assert_frame_equal(events, before)


# ---------------------------------------------------------------------------------------------- seeds


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**40), window=st.integers(1, 40), perm=st.permutations(list(range(5))))
def test_spec_seed_depends_on_seed_and_choices_only(seed, window, perm):
    spec = {"headline": "A->B", "side_a": "A", "side_b": "B", "window_days": window, "min_lag_days": 1,
            "anchor": "start", "variant": "year", "start": "2010-01-01", "end": "2012-12-31"}
    keys = list(spec)
    shuffled = {keys[i]: spec[keys[i]] for i in perm} | {k: spec[k] for k in keys[5:]}
    s = rb.spec_seed(seed, spec)
    assert 0 <= s < 2**63
    assert rb.spec_seed(seed, {**shuffled, "spec_id": "s9999", "_index": 17, "n_draws": 5}) == s
    assert rb.spec_seed(seed + 1, spec) != s
    assert rb.spec_seed(seed, {**spec, "window_days": window + 1}) != s
    assert rb.null_seed(seed) != rb.null_seed(seed + 1)


def test_spec_seeds_are_distinct_across_a_grid():
    grid = small_grid(random_events(5))
    seeds = [rb.spec_seed(7, grid.spec(i)) for i in range(len(grid))]
    assert len(set(seeds)) == len(seeds)


# ---------------------------------------------------------------------------------------------- adapter


def _spec(**kw):
    base = {"side_a": "ALLIANCE", "side_b": "DPRK", "actions_a": None, "actions_b": None, "window_days": 7,
            "min_lag_days": 1, "anchor": "start", "variant": "period", "start": None, "end": None,
            "n_draws": 199, "null_seed": 11}
    return base | kw


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), window=st.integers(0, 25), lag=st.integers(0, 3),
       anchor=st.sampled_from(["start", "end", "any"]), mode=st.sampled_from(["period", "year"]),
       sub=st.booleans(), acts=st.booleans())
def test_adapter_equals_todays_test(seed, window, lag, anchor, mode, sub, acts):
    """Observed rate = pair_responses; null rates of given shifts = null_response_rate's; the period
    fast path equals the shifted streams."""
    events = random_events(seed)
    window = max(window, lag)
    start, end = ("2011-01-01", "2012-12-31") if sub else (None, None)
    actions_b = ["missile_launch"] if acts else None
    spec = _spec(window_days=window, min_lag_days=lag, anchor=anchor, variant=mode, start=start, end=end,
                 actions_b=actions_b)
    res = rb.circular_shift_test(events, spec, seed=3)
    inside, lo_ts, hi_ts = restrict_period(events, start, end)
    pr = pair_responses(inside, "ALLIANCE", "DPRK", actions_b=actions_b, window_days=window, min_lag_days=lag, anchor=anchor)
    assert res["n_triggers"] == pr.n_triggers
    if pr.n_triggers == 0:
        assert math.isnan(res["observed"]) and math.isnan(res["estimate"])
        return
    assert res["observed"] == pytest.approx(pr.response_rate, abs=1e-15)
    # today's null with today's random shifts, through the adapter's statistic
    today = null_response_rate(events, "ALLIANCE", "DPRK", actions_b=actions_b, window_days=window, min_lag_days=lag,
                               anchor=anchor, n_permutations=199, seed=seed, mode=mode, start=start, end=end)
    trig = select_events(inside, "ALLIANCE")
    resp = select_events(inside, "DPRK", actions_b)
    _, lo, hi = trigger_windows(day_numbers(trig["date"]), day_numbers(trig["end_date"]), window_days=window,
                                min_lag_days=lag, anchor=anchor)
    sd, ed = (int(x) for x in day_numbers([lo_ts, hi_ts]))
    shifted = circular_shifts(day_numbers(resp["date"]), 199, start_day=sd, end_day=ed, mode=mode, seed=seed)
    np.testing.assert_allclose(rb._answered_share(shifted, lo, hi), today.null_rates, atol=1e-15)
    # the adapter's own draws: the shifts of the common random numbers
    r_days = np.sort(day_numbers(resp["date"]))
    mine = rb._common_shifts(r_days, 199, sd, ed, mode, 11)
    np.testing.assert_allclose(res["null_draws"], rb._answered_share(mine, lo, hi), atol=1e-15)
    if mode == "period":
        k = rb._period_offsets(11, 199, ed - sd + 1)
        np.testing.assert_allclose(rb._period_shift_share(r_days, lo, hi, sd, ed, k), res["null_draws"], atol=1e-15)
    assert res["p_value"] == pytest.approx((1 + np.sum(res["null_draws"] >= res["observed"] - 1e-12)) / 200)
    assert res["estimate"] == pytest.approx(res["observed"] / res["null_draws"].mean())
    assert res["ci_low"] <= res["estimate"] <= res["ci_high"] or res["ci_low"] == res["ci_high"]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31), mode=st.sampled_from(["period", "year"]), sub=st.booleans())
def test_common_shifts_are_rotations_within_the_period_or_year(seed, mode, sub):
    events = random_events(seed % 1000, n_a=5, n_b=40)
    sd, ed = (int(x) for x in day_numbers([pd.Timestamp("2010-03-01" if sub else "2010-01-01"), pd.Timestamp("2013-12-31")]))
    d = np.sort(day_numbers(events.loc[events["side"] == "DPRK", "date"]))
    d = d[(d >= sd) & (d <= ed)]
    shifted = rb._common_shifts(d, 50, sd, ed, mode, seed)
    assert shifted.min() >= sd and shifted.max() <= ed
    if mode == "period":
        k = (shifted - d[None, :]) % (ed - sd + 1)
        assert (k == k[:, :1]).all()
    else:
        yr = lambda x: x.astype("datetime64[D]").astype("datetime64[Y]")  # noqa: E731
        assert (yr(shifted) == yr(d)[None, :]).all()


def test_null_draws_use_common_random_numbers_across_specifications():
    events = random_events(8)
    a = rb.circular_shift_test(events, _spec(window_days=3), seed=1)
    b = rb.circular_shift_test(events, _spec(window_days=14, anchor="any", actions_a=["joint_exercise"]), seed=2)
    c = rb.circular_shift_test(events, _spec(window_days=3), seed=99)
    # the per-spec seed moves only the bootstrap CI, not the null draws
    np.testing.assert_array_equal(a["null_draws"], c["null_draws"])
    assert (a["ci_low"], a["ci_high"]) != (c["ci_low"], c["ci_high"])
    # draw j of both specs is the same shift of the same response stream: wider windows answer at least as often
    assert np.all(b["null_draws"] >= 0) and np.corrcoef(a["null_draws"], b["null_draws"])[0, 1] > 0.2


# ---------------------------------------------------------------------------------------------- engine


def _assert_same(x: rb.SpecificationCurve, y: rb.SpecificationCurve) -> None:
    pd.testing.assert_frame_equal(x.table, y.table)
    np.testing.assert_array_equal(x.null_draws, y.null_draws)
    assert x.to_dict() == y.to_dict()


def test_results_do_not_depend_on_batching_or_order():
    events = random_events(9)
    grid = small_grid(events)
    base = rb.run_specification_curve(events, grid, test="circular_shift", n_draws=99, seed=5)
    assert list(base.table["spec_id"]) == list(grid.table["spec_id"])
    for size in (1, 5):
        _assert_same(base, rb.run_specification_curve(events, grid, test="circular_shift", n_draws=99, seed=5, batch_size=size))
    other = rb.run_specification_curve(events, grid, test="circular_shift", n_draws=99, seed=6)
    assert not other.table["p_value"].equals(base.table["p_value"])


def test_curve_table_holm_and_json():
    events = random_events(10)
    curve = rb.run_specification_curve(events, small_grid(events), test="circular_shift", n_draws=99, seed=1)
    t = curve.table
    for h in curve.joint:
        part = t[t["headline"] == h]
        assert (part["p_holm"] >= part["p_value"] - 1e-12).all() and (part["p_holm"] <= 1).all()
        m = len(part)
        i = part["p_value"].idxmin()
        assert part.loc[i, "p_holm"] == pytest.approx(min(1.0, m * part.loc[i, "p_value"]))
    assert (t["significant"] == (t["p_value"] < 0.05)).all()
    d = curve.to_dict()
    assert d["n_specifications"] == len(t) == len(d["specifications"])
    assert {"estimate", "ci_low", "ci_high", "p_value", "p_holm"} <= set(d["specifications"][0])
    assert set(d["headlines"]) == {"ALLIANCE->DPRK", "DPRK->ALLIANCE"}
    assert "paragraph" in d["headlines"]["ALLIANCE->DPRK"]


def test_csv_table_is_written_atomically(tmp_path):
    events = random_events(10)
    curve = rb.run_specification_curve(events, small_grid(events), test="circular_shift", n_draws=99, seed=1)
    curve.to_csv(tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv")
    assert list(back["spec_id"]) == list(curve.table["spec_id"])
    np.testing.assert_allclose(back["p_value"], curve.table["p_value"], rtol=1e-5)
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_generic_test_without_null_estimates_uses_standardised_statistic():
    def plain_test(events, spec, seed):
        res = rb.circular_shift_test(events, spec, seed)
        return {k: res[k] for k in ("estimate", "ci_low", "ci_high", "p_value", "observed", "null_draws")}

    events = random_events(11)
    curve = rb.run_specification_curve(events, small_grid(events), test=plain_test, n_draws=99, seed=1)
    assert curve.null_estimates is None and curve.test == "plain_test"
    assert {j.median_of for j in curve.joint.values()} == {"z"}

    def bad_test(events, spec, seed):
        return {"estimate": 1.0}

    with pytest.raises(KeyError, match="returned no"):
        rb.run_specification_curve(events, small_grid(events), test=bad_test, n_draws=99)


@pytest.mark.parametrize(("kw", "fragment"), [({"n_draws": 10}, "'n_draws'"), ({"test": "hawkes"}, "'test'"),
                                              ({"alpha": 1.5}, "'alpha'")])
def test_bad_run_settings(kw, fragment):
    events = random_events(3, n_a=5, n_b=5)
    with pytest.raises(ValueError, match=fragment):
        rb.run_specification_curve(events, small_grid(events), **kw)


def test_identical_results_with_one_and_two_workers():
    events = random_events(12)
    grid = small_grid(events)
    local = rb.run_specification_curve(events, grid, test="circular_shift", n_draws=99, seed=3)
    for n in (1, 2):
        with rb.dask_client(None, n_workers=n) as client:
            assert len(client.scheduler_info()["workers"]) == n
            assert rb.dashboard_text(client).startswith("Dask dashboard: ")
            import dask

            flags = client.run(lambda: (dask.config.get("distributed.worker.profile.enabled"),
                                        os.environ.get("MALLOC_TRIM_THRESHOLD_")))
            assert set(flags.values()) == {(False, None)}
            _assert_same(local, rb.run_specification_curve(events, grid, test="circular_shift", n_draws=99, seed=3, client=client))


def test_unknown_model_is_named():
    with pytest.raises(ValueError, match="parameter 'model': value 'hawkes' is not allowed; allowed: 'calibrated', 'circular_shift'"):
        rb.resolve_test("hawkes")
    assert rb.resolve_test("circular_shift") == ("circular_shift", rb.circular_shift_test)
    assert rb.resolve_test(None) == (rb.DEFAULT_TEST, rb.HEADLINE_TESTS[rb.DEFAULT_TEST])


def test_bad_scheduler_address():
    with pytest.raises(ValueError, match="parameter 'dask_scheduler': value 'localhost:8786'"):
        with rb.dask_client("localhost:8786"):
            pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_loopback_cluster_of_separate_processes_gives_the_local_results(tmp_path):
    """A real cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1."""
    dask_cli = Path(sys.executable).parent / "dask"
    assert dask_cli.is_file(), "the dask command-line tool is part of the environment"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs: list[subprocess.Popen] = []
    logs = [open(tmp_path / f"{n}.log", "w") for n in ("scheduler", "worker1", "worker2")]
    try:
        procs.append(subprocess.Popen([str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                       "--no-dashboard", "--no-show"], stdout=logs[0], stderr=subprocess.STDOUT,
                                      env=env, cwd=tmp_path))
        for i in (1, 2):
            procs.append(subprocess.Popen([str(dask_cli), "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                           "--nworkers", "1", "--no-dashboard", "--name", f"w{i}",
                                           "--local-directory", str(tmp_path / f"w{i}")],
                                          stdout=logs[i], stderr=subprocess.STDOUT, env=env, cwd=tmp_path))
        events = random_events(13)
        grid = small_grid(events)
        local = rb.run_specification_curve(events, grid, test="circular_shift", n_draws=99, seed=4)
        with rb.dask_client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            assert len(client.scheduler_info()["workers"]) == 2
            remote = rb.run_specification_curve(events, grid, test="circular_shift", n_draws=99, seed=4, client=client, batch_size=4)
            ran_on = client.run(lambda: os.getpid())
        assert len(set(ran_on.values())) == 2 and os.getpid() not in ran_on.values()
        _assert_same(local, remote)

        # the notebook, pointed at the same cluster, writes the results of a local run of the library
        import json

        import papermill

        from titfortat.events.schema import load_events
        from titfortat.paths import repo_root
        from titfortat.results import to_jsonable

        small = {"window_days": [3, 7], "min_lag_days": [1], "anchor": ["start", "any"], "variant": ["month"]}
        nb = repo_root() / "notebooks" / "06_robustness.ipynb"
        out = tmp_path / "report"
        papermill.execute_notebook(str(nb), str(tmp_path / "06.ipynb"), cwd=str(nb.parent), progress_bar=False,
                                   parameters={"choices": small, "n_draws": 99, "seed": 4, "output_dir": str(out),
                                               "dask_scheduler": address})
        written = json.loads((out / "06_robustness.json").read_text())
        real = load_events(repo_root() / "data" / "events.csv")
        expected = to_jsonable(rb.run_specification_curve(
            real, rb.expand_grid(real, small, variants=rb.calibrated_test.variants), n_draws=99, seed=4).to_dict())
        assert written["specifications"] == expected["specifications"]
        assert written["headlines"] == expected["headlines"]
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)
        for fh in logs:
            fh.close()
    assert all(p.poll() is not None for p in procs)


# ---------------------------------------------------------------------------------------------- joint test


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), min_size=1, max_size=40))
def test_holm_equals_statsmodels(ps):
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(ps, dtype=float)
    got = rb.holm(p)
    ok = np.isfinite(p)
    assert np.isnan(got[~ok]).all()
    if ok.any():
        np.testing.assert_allclose(got[ok], multipletests(p[ok], method="holm")[1], atol=1e-12)


def test_null_p_values_match_the_observed_formula():
    x = np.array([[0.1, 0.3, 0.3, 0.5], [1.0, 2.0, 3.0, 4.0]])
    p = rb.null_p_values(x)
    np.testing.assert_allclose(p[0], [4 / 4, 3 / 4, 3 / 4, 1 / 4])
    np.testing.assert_allclose(p[1], [1.0, 0.75, 0.5, 0.25])


def test_joint_test_counts_and_p_values():
    rng = np.random.default_rng(0)
    draws = rng.random((20, 199))
    p_obs = np.full(20, 0.001)
    est = np.full(20, 2.0)
    j = rb.joint_test("h", "f", p_obs, est, draws, draws / draws.mean(axis=1, keepdims=True))
    assert j.n_significant == 20 and j.p_n_significant == pytest.approx(1 / 200)
    assert j.p_median == pytest.approx(1 / 200) and j.median_of == "estimate"
    assert j.null_n_significant_mean == pytest.approx(np.mean(np.sum(rb.null_p_values(draws) < 0.05, axis=0)))
    p_null_like = np.full(20, 0.9)
    j2 = rb.joint_test("h", "f", p_null_like, np.full(20, 0.5), draws, draws / draws.mean(axis=1, keepdims=True))
    assert j2.n_significant == 0 and j2.p_n_significant == 1.0 and j2.p_median > 0.9
    j3 = rb.joint_test("h", "f", np.r_[p_obs[:-1], np.nan], est, draws, None, observed=np.full(20, 5.0))
    assert j3.n_valid == 19 and j3.median_of == "z"


@pytest.mark.slow
def test_joint_test_is_calibrated_on_null_datasets():
    """Independent streams (no response either way): each family's joint p-values reject at about alpha,
    and the whole curve's (Bonferroni over the families) at most at about alpha."""
    choices = {"window_days": [3, 7, 14], "min_lag_days": [1], "anchor": ["start", "any"], "variant": ["period", "year"]}
    n_sets = 150
    fam = {"count": [], "median": [], "stouffer": []}
    whole = {"count": [], "median": [], "stouffer": []}
    for k in range(n_sets):
        events = random_events(10_000 + k, n_a=int(40 + k % 5 * 10), n_b=int(60 + k % 3 * 20), years=5)
        curve = rb.run_specification_curve(events, small_grid(events, choices), test="circular_shift", n_draws=199, seed=k)
        for j in curve.joint.values():
            assert len(j.families) == 2
            for f in j.families:
                fam["count"].append(f.p_n_significant)
                fam["median"].append(f.p_median)
                fam["stouffer"].append(f.p_stouffer)
            whole["count"].append(j.p_n_significant)
            whole["median"].append(j.p_median)
            whole["stouffer"].append(j.p_stouffer)
    rates = {n: float(np.mean(np.asarray(p) <= 0.05)) for n, p in fam.items()}
    # the count of significant specifications is discrete, hence conservative
    assert 0.005 <= rates["count"] <= 0.085, rates
    assert 0.02 <= rates["median"] <= 0.085, rates
    assert 0.02 <= rates["stouffer"] <= 0.085, rates
    for n, p in whole.items():
        assert float(np.mean(np.asarray(p) <= 0.05)) <= 0.085, (n, whole)


# ---------------------------------------------------------------------------------------------- words


def test_paragraph_is_generated_from_the_results_and_escapes_input():
    events = random_events(14)
    events.loc[events["side"] == "DPRK", "side"] = "DPRK*<b>"
    sets = {"DPRK*<b>": {"all": None}, "ALLIANCE": {"all": None}}
    grid = rb.expand_grid(events, {"window_days": [3, 7], "variant": ["period", "year"]},
                          directions=[("ALLIANCE", "DPRK*<b>")], action_sets=sets, variants=VARIANTS)
    curve = rb.run_specification_curve(events, grid, test="circular_shift", n_draws=99, seed=2)
    text = rb.robustness_paragraph(curve, "ALLIANCE->DPRK*<b>")
    j = curve.joint["ALLIANCE->DPRK*<b>"]
    assert "<b>" not in text and r"DPRK\*\<b\>" in text
    assert f"of {j.n_valid} specifications" in text and f"{j.share_significant:.0%}" in text
    assert f"{j.n_draws} null curves" in text and "variant=period" in text and "Bonferroni over 2 families" in text
    assert j.p_n_significant == pytest.approx(min(1.0, 2 * min(f.p_n_significant for f in j.families)))
    assert j.n_significant == sum(f.n_significant for f in j.families) == int(curve.table["significant"].sum())
    assert rb.robustness_summary(curve) == text


def test_calibrated_test_is_the_default_and_equals_response_test():
    """The default headline test is the calibrated one; its numbers are those of response_test."""
    from titfortat.stats.inference import response_test

    assert rb.DEFAULT_TEST == "calibrated"
    events = random_events(7, n_a=40, n_b=60)
    spec = _spec(window_days=7, min_lag_days=1, anchor="start", variant="month", start=None, end=None,
                 n_draws=199, null_seed=rb.null_seed(3))
    got = rb.calibrated_test(events, spec, seed=11)
    ref = response_test(events, spec["side_a"], spec["side_b"], window_days=7, min_lag_days=1, n_permutations=199,
                        seed=rb.null_seed(3), full_model=False)
    assert got["estimate"] == ref.excess_ratio and got["p_value"] == ref.p_value
    np.testing.assert_array_equal(got["null_draws"], ref.null_draws)
    assert got["ci_low"] <= got["estimate"] <= got["ci_high"]
    # common random numbers: a sub-period's draws come from the same calendar-month offsets
    assert rb.calibrated_test.joint_families == ("variant",)


def test_calibrated_curve_is_identical_for_any_batching():
    events = random_events(8, n_a=30, n_b=40)
    grid = rb.expand_grid(events, {"window_days": [3, 7], "min_lag_days": [1], "anchor": ["start"],
                                   "variant": ["month", "quarter"]}, action_sets=SETS,
                          variants=rb.calibrated_test.variants)
    a = rb.run_specification_curve(events, grid, n_draws=99, seed=2)
    b = rb.run_specification_curve(events, grid, n_draws=99, seed=2, batch_size=1)
    _assert_same(a, b)
