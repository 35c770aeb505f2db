"""Tests of titfortat.stats.inference: the building blocks against brute force, and the tests' behaviour."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_events
from titfortat.stats.inference import (
    _block_index,
    _burst_anchor,
    _coverage,
    _design,
    _poisson_irls,
    _prefix,
    _shifted_days,
    _window_sums,
    block_shift_offsets,
    circular_shift_exact,
    cross_correlogram,
    drop_reported_responses,
    expected_counts,
    holm,
    lag_profile,
    response_test,
)
from titfortat.stats.pairing import day_numbers, pair_responses
from titfortat.stats.simulate import WORLD_PRESETS, simulate_world, with_settings


@given(st.lists(st.tuples(st.integers(-5, 40), st.integers(0, 10)), max_size=12), st.integers(1, 40))
def test_coverage_matches_brute_force(windows: list[tuple[int, int]], n: int) -> None:
    lo = np.array([a for a, _ in windows], dtype=np.int64)
    hi = lo + np.array([w for _, w in windows], dtype=np.int64)
    got = _coverage(lo, hi, n)
    want = np.array([sum(1 for a, b in zip(lo, hi) if a <= t <= b) for t in range(n)])
    np.testing.assert_array_equal(got, want)


@given(st.lists(st.tuples(st.integers(-5, 40), st.integers(-2, 10)), min_size=1, max_size=12), st.integers(1, 40),
       st.integers(0, 2**32 - 1))
def test_window_sums_equal_coverage_dot_series(windows: list[tuple[int, int]], n: int, seed: int) -> None:
    lo = np.array([a for a, _ in windows], dtype=np.int64)
    hi = lo + np.array([w for _, w in windows], dtype=np.int64)  # hi < lo: an empty window
    series = np.random.default_rng(seed).poisson(1.0, n).astype(float)
    got = _window_sums(_prefix(series), lo, hi).sum()
    assert got == pytest.approx(float(_coverage(lo, hi, n) @ series), abs=1e-9)
    # any leading shape, as the permutation null uses it
    two = _window_sums(_prefix(series), np.stack([lo, lo + 3]), np.stack([hi, hi + 3]))
    assert two.shape == (2, lo.size) and two[0].sum() == pytest.approx(got, abs=1e-9)


@pytest.mark.parametrize("anchor", ["start", "any"])
def test_null_draws_equal_the_day_by_day_coverage_computation(anchor: str) -> None:
    """The prefix-sum null equals the direct computation: coverage of the shifted windows, dotted with B's
    counts and with B's fitted model mean (the definition of the excess ratio)."""
    world = simulate_world(WORLD_PRESETS["seasons_bursts"], 4)
    kw = dict(actions_a=None, actions_b=None, window_days=7, min_lag_days=1, anchor=anchor, start=None, end=None)
    r = response_test(world, "DPRK", "ALLIANCE", n_permutations=150, seed=9, full_model=False, **kw)
    des = _design(world, "DPRK", "ALLIANCE", history_bins=((1, 1), (2, 3), (4, 7), (8, 14), (15, 30), (31, 90)),
                  seasonal=None, trend=None, **kw)
    mu = _poisson_irls(des.X0, des.y)
    day_block, first, length, keys = _block_index(des.d0, des.n, "month")
    off = block_shift_offsets(keys, length, 150, seed=9, block="month")
    ref = np.clip(_burst_anchor(des.trig_ref, 3), 0, des.n - 1)
    delta = _shifted_days(ref, day_block, first, length, off)
    cov = _coverage(des.trig_lo[None, :] + delta, des.trig_hi[None, :] + delta, des.n).astype(float)
    np.testing.assert_allclose(r.null_draws, (cov @ des.y) / (cov @ mu), rtol=1e-10)
    cov0 = _coverage(des.trig_lo, des.trig_hi, des.n).astype(float)
    assert r.excess_ratio == pytest.approx(float(cov0 @ des.y) / float(cov0 @ mu), rel=1e-10)


def test_block_shifts_keep_every_trigger_in_its_calendar_month() -> None:
    d0 = int(day_numbers(pd.to_datetime(["2019-01-01"]))[0])
    n = 730
    day_block, first, length, keys = _block_index(d0, n, "month")
    rel = np.array([0, 1, 30, 31, 59, 400, 729])
    off = block_shift_offsets(keys, length, 500, seed=3, block="month")
    moved = rel[None, :] + _shifted_days(rel, day_block, first, length, off)
    assert (day_block[moved] == day_block[rel][None, :]).all()  # same month of the same year
    # two triggers in one month keep their circular spacing; the offsets do vary
    assert len(np.unique(moved[:, 0])) > 20
    gap = (moved[:, 1] - moved[:, 0]) % 31
    assert set(gap.tolist()) == {1}


def test_block_offsets_are_common_random_numbers() -> None:
    _, _, length, keys = _block_index(int(day_numbers(pd.to_datetime(["2016-01-01"]))[0]), 3653, "month")
    a = block_shift_offsets(keys, length, 50, seed=7, block="month")
    # a shorter period starting a year later sees the same offsets for the same calendar months
    _, _, length2, keys2 = _block_index(int(day_numbers(pd.to_datetime(["2017-01-01"]))[0]), 365, "month")
    b = block_shift_offsets(keys2, length2, 50, seed=7, block="month")
    np.testing.assert_array_equal(a[:, 12:24], b)
    assert not np.array_equal(block_shift_offsets(keys2, length2, 50, seed=8, block="month"), b)


def _brute_circular(events: pd.DataFrame, a: str, b: str, window: int, anchor: str) -> np.ndarray:
    """Answered triggers under every circular shift, by shifting and pairing (slow, for the test)."""
    lo, hi = pd.Timestamp("2020-01-01"), pd.Timestamp("2020-03-31")
    n = (hi - lo).days + 1
    out = []
    resp = events["side"] == b
    for k in range(n):
        ev = events.copy()
        d = (ev.loc[resp, "date"] - lo).dt.days
        ev.loc[resp, "date"] = lo + pd.to_timedelta((d + k) % n, unit="D")
        ev.loc[resp, "end_date"] = ev.loc[resp, "date"]
        out.append(pair_responses(ev, a, b, window_days=window, anchor=anchor).n_responded)
    return np.array(out)


@pytest.mark.parametrize("anchor", ["start", "end", "any"])
def test_exact_circular_shifts_match_brute_force(anchor: str) -> None:
    rng = np.random.default_rng(4)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 91, 14), unit="D")
    rows = [(d, "ALLIANCE", "joint_exercise", d + pd.Timedelta(days=int(rng.integers(0, 6)))) for d in days[:6]]
    rows += [(d, "DPRK", "missile_launch") for d in days[6:]]
    rows += [(pd.Timestamp("2020-03-29"), "ALLIANCE", "joint_exercise", pd.Timestamp("2020-03-31"))]  # clipped window
    ev = make_events(rows)
    exact = circular_shift_exact(ev, "ALLIANCE", "DPRK", window_days=7, anchor=anchor, start="2020-01-01", end="2020-03-31")
    np.testing.assert_array_equal(exact.answered_by_shift, _brute_circular(ev, "ALLIANCE", "DPRK", 7, anchor))
    assert exact.observed == pair_responses(ev, "ALLIANCE", "DPRK", window_days=7, anchor=anchor).n_responded


@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=12))
def test_holm_matches_its_definition(ps: list[float]) -> None:
    got = holm({f"t{i}": p for i, p in enumerate(ps)})
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    want = [0.0] * m
    for rank, i in enumerate(order):  # adjusted p_(k) = max over j <= k of min(1, (m - j) p_(j))
        want[i] = max(min(1.0, (m - r) * ps[order[r]]) for r in range(rank + 1))
    np.testing.assert_allclose([got[f"t{i}"] for i in range(len(ps))], want, atol=1e-12)


def test_holm_keeps_missing_values_out_of_the_family() -> None:
    got = holm({"a": 0.01, "b": float("nan"), "c": 0.02})
    assert np.isnan(got["b"]) and got["a"] == pytest.approx(0.02) and got["c"] == pytest.approx(0.02)


def test_planted_response_is_found_and_reverse_and_placebo_are_not() -> None:
    spec = with_settings(WORLD_PRESETS["seasons_bursts_years"], response="ALLIANCE->DPRK", response_prob=0.5)
    world = simulate_world(spec, 11)
    fwd = response_test(world, "ALLIANCE", "DPRK", n_permutations=199, seed=1)
    assert fwd.p_value <= 0.01 and fwd.excess_ratio > 1.2
    assert fwd.rate_ratio > 1 and fwd.ci_low > 1
    placebo = response_test(world, "ALLIANCE", "DPRK", n_permutations=199, seed=1, lead=True, full_model=False)
    assert placebo.p_value > 0.05
    assert fwd.null_draws.shape == (199,) and 0.8 < np.nanmean(fwd.null_draws) < 1.2


def test_result_is_deterministic_and_serialisable() -> None:
    world = simulate_world(WORLD_PRESETS["short_busy_decade"], 2)
    a = response_test(world, "DPRK", "ALLIANCE", n_permutations=120, seed=5)
    b = response_test(world, "DPRK", "ALLIANCE", n_permutations=120, seed=5)
    assert a.to_dict() == b.to_dict()
    d = a.to_dict()
    assert "null_draws" not in d and d["direction"] == "DPRK->ALLIANCE" and "month blocks" in d["test"]
    assert "excess ratio" in a.summary()


def test_period_restricts_triggers_and_responses() -> None:
    world = simulate_world(WORLD_PRESETS["short_busy_decade"], 3)
    r = response_test(world, "ALLIANCE", "DPRK", start="2017-01-01", end="2017-12-31", n_permutations=99)
    in_2017 = world["date"].dt.year == 2017
    assert r.n_triggers == int((in_2017 & (world["side"] == "ALLIANCE")).sum())
    assert r.n_responses == int((in_2017 & (world["side"] == "DPRK")).sum())
    assert r.n_days == 365


def test_bad_parameters_and_empty_sides() -> None:
    world = simulate_world(WORLD_PRESETS["short_busy_decade"], 3)
    with pytest.raises(ValueError, match="n_permutations"):
        response_test(world, "ALLIANCE", "DPRK", n_permutations=10)
    with pytest.raises(ValueError, match="block"):
        response_test(world, "ALLIANCE", "DPRK", n_permutations=99, block="week")  # type: ignore[arg-type]
    r = response_test(world, "OTHER", "DPRK", n_permutations=99)
    assert r.n_triggers == 0 and np.isnan(r.p_value) and "no OTHER triggers" in r.note


def test_correlogram_peaks_at_the_planted_lag() -> None:
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2016-01-01") + pd.to_timedelta(np.sort(rng.choice(3000, 150, replace=False)), unit="D")
    rows = [(d, "ALLIANCE", "joint_exercise") for d in days] + [(d + pd.Timedelta(days=3), "DPRK", "missile_launch") for d in days]
    ccf = cross_correlogram(make_events(rows), "ALLIANCE", "DPRK", max_lag=10, n_permutations=99)
    assert ccf["ccf"].idxmax() == 3
    assert ccf.loc[3, "ccf"] > ccf.loc[3, "null_hi"] and ccf.loc[-3, "ccf"] < ccf.loc[-3, "null_hi"]


def test_lag_profile_separates_leads_from_lags() -> None:
    spec = with_settings(WORLD_PRESETS["seasons_bursts_years"], response="ALLIANCE->DPRK", response_prob=0.6,
                         response_lags=(3, 3))
    prof = lag_profile(simulate_world(spec, 5), "ALLIANCE", "DPRK")
    at3 = prof.loc[(prof["lag_from"] == 3) & (prof["lag_to"] == 3)].iloc[0]
    assert at3["ci_low"] > 1
    leads = prof.loc[prof["lag_to"] < 0]
    assert (leads["ci_low"] < 1.5).all()


def test_drop_reported_responses_and_absent_column() -> None:
    ev = make_events([("2020-01-01", "DPRK", "missile_launch"), ("2020-01-02", "ALLIANCE", "strategic_asset_deployment")])
    same, n = drop_reported_responses(ev)
    assert n == 0 and len(same) == 2
    ev["reported_response_to"] = ["", "e000"]
    kept, n = drop_reported_responses(ev)
    assert n == 1 and kept["event_id"].tolist() == ["e000"]


def test_expected_counts_follow_the_calendar() -> None:
    world = simulate_world(with_settings(WORLD_PRESETS["seasons_bursts"], rate_b=40 / 365), 9)
    exp = expected_counts(world, "DPRK")
    assert exp["observed"].sum() == pytest.approx(exp["expected"].sum(), rel=1e-3)
    by_month = exp["expected"].groupby(exp.index.month).mean()
    assert by_month[3] > 1.8 * by_month[[1, 2, 4, 5, 6]].mean()


def test_hawkes_check_separates_planted_direction() -> None:
    from titfortat.stats.inference import hawkes_check

    spec = with_settings(WORLD_PRESETS["seasons_bursts_years"], response="ALLIANCE->DPRK", response_prob=0.4)
    world = simulate_world(spec, 21)
    fwd = hawkes_check(world, "ALLIANCE", "DPRK")
    rev = hawkes_check(world, "DPRK", "ALLIANCE")
    assert fwd.converged and fwd.branching_ab_ci[0] > 0.15 and fwd.lr_p_value < 1e-6
    assert rev.branching_ab < fwd.branching_ab / 4
    assert 1.5 < fwd.mean_lag_ab < 6  # planted lags 2-4 days
    assert "Hawkes check" in fwd.summary() and set(fwd.to_dict()) >= {"branching_ab", "lr_p_value"}


def test_action_filters_work_on_read_only_frames() -> None:
    # pandas copy-on-write hands out read-only arrays; the action filter must not write into them
    world = simulate_world(WORLD_PRESETS["short_busy_decade"], 4)
    r = response_test(world, "ALLIANCE", "DPRK", actions_a=["joint_exercise"], actions_b="missile_launch",
                      n_permutations=99, full_model=False)
    assert r.n_triggers == int((world["action"] == "joint_exercise").sum())
