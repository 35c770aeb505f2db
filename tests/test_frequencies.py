"""Tests of titfortat.stats.frequencies: counts with empty periods and fixed column order, rates, the pace-change test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from titfortat.stats.frequencies import count_events, pace_change, rates
from conftest import make_events as _make_events



def make_events(rows: list[tuple]) -> pd.DataFrame:
    return _make_events(rows, id_width=4)


HAND = make_events(
    [
        ("2018-02-01", "OTHER", "summit"),
        ("2018-03-01", "DPRK", "missile_launch"),
        ("2018-03-20", "DPRK", "missile_launch"),
        ("2018-11-11", "ALLIANCE", "joint_exercise"),
        ("2020-05-05", "DPRK", "artillery_fire"),
    ]
)


def test_counts_by_year_with_empty_year() -> None:
    c = count_events(HAND)
    assert [str(p) for p in c.index] == ["2018", "2019", "2020"]
    assert list(c.columns) == ["DPRK", "ALLIANCE", "OTHER"]
    assert c.loc[pd.Period("2019", "Y")].tolist() == [0, 0, 0]
    assert c.loc[pd.Period("2018", "Y")].tolist() == [2, 1, 1]
    assert c.to_numpy().sum() == len(HAND)


def test_counts_months_quarters_actions_and_groups() -> None:
    m = count_events(HAND, by=None, freq="M", start="2018-01-01", end="2018-04-30")
    assert list(m.columns) == ["all"] and m["all"].tolist() == [0, 1, 2, 0]
    q = count_events(HAND, by=("side", "action"), freq="Q", actions=["missile_launch", "artillery_fire"])
    assert list(q.columns) == ["DPRK/missile_launch", "DPRK/artillery_fire"]
    assert len(q) == 12 and q.loc[pd.Period("2018Q1", "Q"), "DPRK/missile_launch"] == 2
    a = count_events(HAND, by="action", start="2020-01-01")
    assert "summit" in a.columns and a["summit"].sum() == 0  # columns stay, even when empty in the period


def test_rates_use_exposure_days() -> None:
    r = rates(HAND, by=None, freq="Y", start="2018-03-01", end="2018-12-31", per="year")
    days = (pd.Timestamp("2018-12-31") - pd.Timestamp("2018-03-01")).days + 1
    assert r.loc[pd.Period("2018", "Y"), "all"] == pytest.approx(3 / days * 365.25)
    r30 = rates(HAND, freq="M", per="30d")
    assert r30.loc[pd.Period("2018-03", "M"), "DPRK"] == pytest.approx(2 / 31 * 30)


@settings(max_examples=50, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 2000), st.sampled_from(["DPRK", "ALLIANCE", "OTHER"]),
                               st.sampled_from(["missile_launch", "sanctions", "summit"])), min_size=1, max_size=60),
       seed=st.integers(0, 1000), freq=st.sampled_from(["Y", "Q", "M"]))
def test_counts_sum_and_order_free(rows: list, seed: int, freq: str) -> None:
    d0 = pd.Timestamp("2016-01-01")
    ev = make_events([(d0 + pd.Timedelta(days=d), s, a) for d, s, a in rows])
    c = count_events(ev, by=("side", "action"), freq=freq)  # type: ignore[arg-type]
    shuffled = count_events(ev.iloc[np.random.default_rng(seed).permutation(len(ev))], by=("side", "action"), freq=freq)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(c, shuffled)
    assert int(c.to_numpy().sum()) == len(ev)
    assert c.index.is_monotonic_increasing and len(c) == len(set(c.index))


def test_pace_change_exact_test() -> None:
    d = pd.date_range("2019-01-01", "2019-12-31", freq="10D")  # 37 events in 365 days
    rows = [(x, "DPRK", "missile_launch") for x in d]
    d2 = pd.date_range("2020-01-01", "2020-12-31", freq="4D")  # 92 events in 366 days
    rows += [(x, "DPRK", "missile_launch") for x in d2]
    rows += [("2019-06-01", "ALLIANCE", "sanctions"), ("2020-06-01", "ALLIANCE", "sanctions")]
    pc = pace_change(make_events(rows), "2020-01-01")
    t = pc.table.set_index("group")
    assert (t.loc["DPRK", "n1"], t.loc["DPRK", "n2"]) == (37, 92)
    assert (t.loc["DPRK", "days1"], t.loc["DPRK", "days2"]) == (365, 366)
    assert t.loc["DPRK", "rate_ratio"] == pytest.approx((92 / 366) / (37 / 365))
    test = stats.binomtest(92, 129, 366 / 731)
    assert t.loc["DPRK", "p_value"] == pytest.approx(test.pvalue)
    ci = test.proportion_ci(0.95, method="exact")
    assert t.loc["DPRK", "ci_low"] == pytest.approx(ci.low / (1 - ci.low) * 365 / 366)
    assert t.loc["DPRK", "ci_low"] < t.loc["DPRK", "rate_ratio"] < t.loc["DPRK", "ci_high"]
    assert t.loc["ALLIANCE", "p_value"] == pytest.approx(1.0)
    assert list(t.index) == ["DPRK", "ALLIANCE", "all"]
    same = pace_change(make_events(rows), periods=(("2019-01-01", "2019-12-31"), ("2020-01-01", "2020-12-31")))
    pd.testing.assert_frame_equal(same.table, pc.table)
    assert pc.to_dict()["period2"] == ["2020-01-01", "2020-12-31"]
    with pytest.raises(ValueError):
        pace_change(HAND)


def test_pace_change_ci_coverage() -> None:
    """The exact CI covers the true rate ratio in at least 95% of simulated datasets."""
    rng = np.random.default_rng(0)
    t1, t2, lam1, rr = 400.0, 300.0, 0.05, 1.5
    cover = 0
    for _ in range(400):
        n1, n2 = rng.poisson(lam1 * t1), rng.poisson(lam1 * rr * t2)
        d1 = pd.Timestamp("2010-01-01") + pd.to_timedelta(rng.integers(0, 400, n1), unit="D")
        d2 = pd.Timestamp("2010-01-01") + pd.to_timedelta(400 + rng.integers(0, 300, n2), unit="D")
        ev = make_events([(x, "DPRK", "missile_launch") for x in list(d1) + list(d2)])
        row = pace_change(ev, "2011-02-05", start="2010-01-01", end="2011-12-01", by=None).table.iloc[-1]
        cover += row["ci_low"] <= rr <= row["ci_high"]
    assert cover / 400 >= 0.94
