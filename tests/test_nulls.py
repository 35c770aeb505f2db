"""Tests of titfortat.stats.nulls: the shifts keep what they should, the test finds planted responses and is calibrated."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from titfortat.stats.nulls import _batched_first_lags, circular_shifts, null_response_rate
from titfortat.stats.pairing import day_numbers, first_response_lags, pair_responses
from conftest import make_events as _make_events



def make_events(rows: list[tuple]) -> pd.DataFrame:
    return _make_events(rows, id_width=4)


def independent_streams(seed: int, n_a: int = 120, n_b: int = 150, years: int = 10) -> pd.DataFrame:
    """Two independent streams of uniformly random days over whole years (2010-...)."""
    rng = np.random.default_rng(seed)
    d0 = pd.Timestamp("2010-01-01")
    span = (pd.Timestamp(f"{2010 + years - 1}-12-31") - d0).days + 1
    a = rng.integers(0, span, n_a)
    b = rng.integers(0, span, n_b)
    rows = [(d0 + pd.Timedelta(days=int(d)), "ALLIANCE", "joint_exercise") for d in a]
    rows += [(d0 + pd.Timedelta(days=int(d)), "DPRK", "missile_launch") for d in b]
    return make_events(rows)


def planted_streams(seed: int, prob: float = 0.5, lag: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = independent_streams(seed, n_a=100, n_b=100)
    a = base.loc[base["side"] == "ALLIANCE", "date"]
    extra = a[rng.random(len(a)) < prob] + pd.Timedelta(days=lag)
    extra = extra[extra <= pd.Timestamp("2019-12-31")]
    rows = [(d, "DPRK", "missile_launch") for d in extra]
    add = make_events(rows)
    add["event_id"] = [f"p{i:04d}" for i in range(len(add))]
    return pd.concat([base, add], ignore_index=True)


def test_period_shift_keeps_spacing_and_domain() -> None:
    days = np.array([3, 4, 10, 40, 95])
    m = circular_shifts(days, 50, start_day=0, end_day=99, mode="period", seed=1)
    assert m.shape == (50, 5) and m.min() >= 0 and m.max() <= 99
    # gaps on the circle are the same multiset in every row
    def circ_gaps(x: np.ndarray) -> list[int]:
        s = np.sort(x)
        return sorted(np.diff(np.append(s, s[0] + 100)).tolist())
    assert all(circ_gaps(row) == circ_gaps(days) for row in m)
    assert len({tuple(row) for row in m}) > 10  # it does shift


def test_year_shift_keeps_each_year() -> None:
    d = day_numbers(pd.to_datetime(["2019-03-01", "2019-03-05", "2020-08-01", "2020-12-31", "2021-01-01"]))
    start, end = day_numbers(pd.to_datetime(["2019-01-01", "2021-06-30"]))
    m = circular_shifts(d, 200, start_day=int(start), end_day=int(end), mode="year", seed=3)
    years = m.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    assert (years[:, :2] == 2019).all() and (years[:, 2:4] == 2020).all() and (years[:, 4] == 2021).all()
    assert (m[:, 4] <= end).all()  # the partial last year wraps within [2021-01-01, end]
    assert ((m[:, 1] - m[:, 0]) % 365 == 4).all()  # spacing within a year kept (mod the year)
    with pytest.raises(ValueError):
        circular_shifts(d, 2, start_day=int(start) + 100, end_day=int(end))


def test_batched_kernel_equals_one_by_one() -> None:
    rng = np.random.default_rng(5)
    trig = np.sort(rng.integers(0, 1000, 60))
    shifted = rng.integers(0, 1000, (40, 80))
    lags = _batched_first_lags(shifted, trig, trig + 1, trig + 7)
    for p in range(40):
        np.testing.assert_array_equal(lags[p], first_response_lags(trig, shifted[p], 1, 7))


def test_observed_matches_pairing_and_contract() -> None:
    ev = independent_streams(0)
    res = null_response_rate(ev, "ALLIANCE", "DPRK", n_permutations=500, seed=1)
    pr = pair_responses(ev, "ALLIANCE", "DPRK")
    assert res.observed_rate == pr.response_rate
    assert res.p_value == (1 + np.sum(res.null_rates >= res.observed_rate)) / 501
    assert res.null_lo <= res.null_mean <= res.null_hi
    assert res.null_rates.shape == (500,)
    d = res.to_dict()
    assert "null_rates" not in d and d["n_permutations"] == 500 and d["mode"] == "period"
    assert d["start"] == "2010-01-01" and d["end"] == "2019-12-31"
    band = res.lag_band
    assert list(band["lag_days"]) == list(range(1, 8))
    assert band["observed"].sum() == pr.n_responded
    assert band["null_mean"].sum() == pytest.approx(res.null_mean * res.n_triggers)
    assert (band["null_lo"] <= band["null_mean"]).all() and (band["null_mean"] <= band["null_hi"]).all()
    assert "one-sided p" in res.summary()


def test_seed_determinism() -> None:
    ev = independent_streams(2)
    a = null_response_rate(ev, "ALLIANCE", "DPRK", n_permutations=300, seed=7, mode="year")
    b = null_response_rate(ev.iloc[::-1], "ALLIANCE", "DPRK", n_permutations=300, seed=7, mode="year")
    c = null_response_rate(ev, "ALLIANCE", "DPRK", n_permutations=300, seed=8, mode="year")
    np.testing.assert_array_equal(a.null_rates, b.null_rates)
    assert not np.array_equal(a.null_rates, c.null_rates)


@pytest.mark.parametrize("mode", ["period", "year"])
def test_planted_response_is_detected(mode: str) -> None:
    ev = planted_streams(11)
    res = null_response_rate(ev, "ALLIANCE", "DPRK", n_permutations=999, seed=0, mode=mode)  # type: ignore[arg-type]
    assert res.p_value < 0.01
    assert res.observed_rate > res.null_hi
    assert res.lag_band.set_index("lag_days").loc[2, "observed"] > res.lag_band.set_index("lag_days").loc[2, "null_hi"]


def test_ten_thousand_permutations_fast() -> None:
    ev = independent_streams(4, n_a=250, n_b=250)
    null_response_rate(ev, "ALLIANCE", "DPRK", n_permutations=100)  # warm up
    t0 = time.perf_counter()
    null_response_rate(ev, "ALLIANCE", "DPRK", n_permutations=10_000, seed=0)
    assert time.perf_counter() - t0 < 2.0


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["period", "year"])
def test_calibrated_under_independence(mode: str) -> None:
    """Over 300 independent-stream datasets, the 0.05-level test rejects 2-9% of the time."""
    n_sets = 300
    pvals = np.array(
        [
            null_response_rate(independent_streams(1000 + i), "ALLIANCE", "DPRK", n_permutations=199, seed=i, mode=mode).p_value  # type: ignore[arg-type]
            for i in range(n_sets)
        ]
    )
    rate = float(np.mean(pvals <= 0.05))
    assert 0.02 <= rate <= 0.09, rate
