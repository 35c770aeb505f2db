"""Tests of titfortat.stats.pairing: hand-built examples, a planted response, invariances, the array kernel."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from titfortat.stats.pairing import first_response_index, first_response_lags, pair_responses
from conftest import make_events as _make_events



def make_events(rows: list[tuple]) -> pd.DataFrame:
    return _make_events(rows, id_width=3)


HAND = make_events(
    [
        ("2020-01-01", "ALLIANCE", "joint_exercise", "2020-01-10"),  # e000: 10-day exercise
        ("2020-01-01", "DPRK", "missile_launch"),  # e001: same day (never a response with min_lag 1)
        ("2020-01-04", "DPRK", "missile_launch"),  # e002: lag 3 from the start
        ("2020-01-12", "DPRK", "artillery_fire"),  # e003: 2 days after the end
        ("2020-02-01", "ALLIANCE", "strategic_asset_deployment"),  # e004: no response within 7 days
        ("2020-02-20", "ALLIANCE", "sanctions"),  # e005
        ("2020-02-27", "DPRK", "missile_launch"),  # e006: lag 7 (edge of the window)
    ]
)


def test_hand_example_start_anchor() -> None:
    r = pair_responses(HAND, "ALLIANCE", "DPRK")
    p = r.pairs.set_index("trigger_id")
    assert list(p.index) == ["e000", "e004", "e005"]
    assert p.loc["e000", "response_id"] == "e002" and p.loc["e000", "lag_days"] == 3
    assert pd.isna(p.loc["e004", "response_id"]) and pd.isna(p.loc["e004", "lag_days"])
    assert p.loc["e005", "response_id"] == "e006" and p.loc["e005", "lag_days"] == 7
    assert (r.n_triggers, r.n_responded) == (3, 2)
    assert r.response_rate == pytest.approx(2 / 3)
    assert r.median_lag_days == 5.0 and r.mean_lag_days == 5.0
    assert r.lag_counts.loc[3] == 1 and r.lag_counts.loc[7] == 1 and r.lag_counts.sum() == 2
    assert list(r.lag_counts.index) == list(range(1, 8))


def test_min_lag_zero_counts_same_day() -> None:
    r = pair_responses(HAND, "ALLIANCE", "DPRK", min_lag_days=0)
    assert r.pairs.loc[0, "response_id"] == "e001" and r.pairs.loc[0, "lag_days"] == 0


def test_window_edges_and_actions_filter() -> None:
    r = pair_responses(HAND, "ALLIANCE", "DPRK", window_days=6)
    assert pd.isna(r.pairs.set_index("trigger_id").loc["e005", "response_id"])
    r = pair_responses(HAND, "ALLIANCE", "DPRK", actions_b=["artillery_fire"], window_days=14)
    assert r.pairs.set_index("trigger_id").loc["e000", "response_id"] == "e003"
    r = pair_responses(HAND, "ALLIANCE", "DPRK", actions_a="sanctions")
    assert r.n_triggers == 1 and r.n_responded == 1


def test_anchors() -> None:
    end = pair_responses(HAND, "ALLIANCE", "DPRK", actions_a="joint_exercise", anchor="end")
    assert end.pairs.loc[0, "response_id"] == "e003" and end.pairs.loc[0, "lag_days"] == 2
    anyd = pair_responses(HAND, "ALLIANCE", "DPRK", actions_a="joint_exercise", actions_b="artillery_fire", anchor="any")
    # window [start + 1, end + 7]; lag measured from the start
    assert anyd.pairs.loc[0, "response_id"] == "e003" and anyd.pairs.loc[0, "lag_days"] == 11
    start = pair_responses(HAND, "ALLIANCE", "DPRK", actions_a="joint_exercise", actions_b="artillery_fire", anchor="start")
    assert start.n_responded == 0


def test_result_contract() -> None:
    r = pair_responses(HAND, "ALLIANCE", "DPRK")
    d = r.to_dict()
    assert d["n_triggers"] == 3 and d["response_rate"] == round(2 / 3, 6)
    assert list(r.pairs.columns) == [
        "trigger_id", "trigger_date", "trigger_action", "response_id", "response_date", "response_action", "lag_days",
    ]
    assert "ALLIANCE -> DPRK" in r.summary()
    before = HAND.copy(deep=True)
    pair_responses(HAND.iloc[::-1], "ALLIANCE", "DPRK")
    pd.testing.assert_frame_equal(HAND, before)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        pair_responses(HAND, "ALLIANCE", "DPRK", window_days=0, min_lag_days=1)
    with pytest.raises(ValueError):
        pair_responses(HAND, "ALLIANCE", "DPRK", anchor="middle")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        pair_responses(HAND, "DPRK", "DPRK", min_lag_days=0)


def planted(seed: int, n: int = 300, prob: float = 0.6, lag: int = 3) -> tuple[pd.DataFrame, int]:
    """A events at least 10 days apart; each followed by a B event exactly `lag` days later with `prob`."""
    rng = np.random.default_rng(seed)
    a_days = np.cumsum(rng.integers(10, 30, size=n))
    hit = rng.random(n) < prob
    b_days = a_days[hit] + lag
    d0 = pd.Timestamp("2000-01-01")
    rows = [(d0 + pd.Timedelta(days=int(d)), "ALLIANCE", "joint_exercise") for d in a_days]
    rows += [(d0 + pd.Timedelta(days=int(d)), "DPRK", "missile_launch") for d in b_days]
    return make_events(rows), int(hit.sum())


def test_planted_response_found_with_lag_and_rate() -> None:
    ev, n_hit = planted(seed=1)
    r = pair_responses(ev, "ALLIANCE", "DPRK", window_days=7)
    assert r.n_triggers == 300
    assert r.n_responded == n_hit
    assert r.response_rate == pytest.approx(0.6, abs=0.1)
    assert r.median_lag_days == 3 and r.mean_lag_days == 3
    assert r.lag_counts.idxmax() == 3 and r.lag_counts.loc[3] == n_hit


row_lists = st.lists(
    st.tuples(st.integers(0, 400), st.sampled_from(["ALLIANCE", "DPRK", "OTHER"]), st.sampled_from(["missile_launch", "joint_exercise"]),
              st.integers(0, 12)),
    min_size=0, max_size=40,
)


def _frame(rows: list[tuple[int, str, str, int]], shift: int = 0) -> pd.DataFrame:
    d0 = pd.Timestamp("2019-06-01") + pd.Timedelta(days=shift)
    return make_events([(d0 + pd.Timedelta(days=d), s, a, d0 + pd.Timedelta(days=d + dur)) for d, s, a, dur in rows])


@settings(max_examples=60, deadline=None)
@given(rows=row_lists, seed=st.integers(0, 2**32 - 1), anchor=st.sampled_from(["start", "end", "any"]))
def test_row_order_does_not_matter(rows: list, seed: int, anchor: str) -> None:
    ev = _frame(rows)
    perm = np.random.default_rng(seed).permutation(len(ev))
    a = pair_responses(ev, "ALLIANCE", "DPRK", anchor=anchor).pairs  # type: ignore[arg-type]
    b = pair_responses(ev.iloc[perm], "ALLIANCE", "DPRK", anchor=anchor).pairs  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(rows=row_lists, shift=st.integers(-3000, 3000), anchor=st.sampled_from(["start", "end", "any"]))
def test_shifting_both_streams_changes_nothing(rows: list, shift: int, anchor: str) -> None:
    a = pair_responses(_frame(rows), "ALLIANCE", "DPRK", anchor=anchor)  # type: ignore[arg-type]
    b = pair_responses(_frame(rows, shift), "ALLIANCE", "DPRK", anchor=anchor)  # type: ignore[arg-type]
    cols = ["trigger_id", "response_id", "lag_days", "trigger_action", "response_action"]
    pd.testing.assert_frame_equal(a.pairs[cols], b.pairs[cols])
    assert a.n_responded == b.n_responded
    np.testing.assert_equal(a.median_lag_days, b.median_lag_days)
    pd.testing.assert_series_equal(a.lag_counts, b.lag_counts)


def _brute_lags(trig: np.ndarray, resp: np.ndarray, lo: int, hi: int) -> np.ndarray:
    out = []
    for t in trig:
        cand = sorted(r - t for r in resp if lo <= r - t <= hi)
        out.append(cand[0] if cand else -1)
    return np.array(out, dtype=np.int64)


@settings(max_examples=100, deadline=None)
@given(
    trig=st.lists(st.integers(-50, 50), max_size=30),
    resp=st.lists(st.integers(-50, 50), max_size=30),
    lo=st.integers(0, 5),
    width=st.integers(0, 10),
)
def test_array_kernel_matches_brute_force(trig: list[int], resp: list[int], lo: int, width: int) -> None:
    t, r = np.array(trig, dtype=np.int64), np.array(resp, dtype=np.int64)
    expected = _brute_lags(t, r, lo, lo + width)
    for method in ("auto", "table", "search"):
        np.testing.assert_array_equal(first_response_lags(t, r, lo, lo + width, method=method), expected)  # type: ignore[arg-type]


def test_array_kernel_wide_day_range_and_per_trigger_windows() -> None:
    rng = np.random.default_rng(9)
    t = rng.integers(0, 10**9, 300)
    r = np.concatenate([t[:100] + rng.integers(1, 5, 100), rng.integers(0, 10**9, 200)])
    lags = first_response_lags(t, r, 1, 4)  # span too wide for a table: "auto" takes the search path
    np.testing.assert_array_equal(lags, _brute_lags(t, r, 1, 4))
    assert (lags[:100] >= 1).all()
    # per-trigger window ends
    t2, r2 = np.array([0, 10, 20]), np.array([3, 15, 21])
    hi = np.array([2, 5, 1])
    for method in ("table", "search"):
        assert first_response_lags(t2, r2, 1, hi, method=method).tolist() == [-1, 5, 1]  # type: ignore[arg-type]


def test_first_response_index_empty() -> None:
    assert first_response_index(np.array([], dtype=np.int64), np.array([1, 2]), np.array([3, 4])).tolist() == [-1, -1]


def test_array_kernel_is_fast_on_a_million() -> None:
    rng = np.random.default_rng(0)
    t = rng.integers(0, 11_000, 500_000)
    r = rng.integers(0, 11_000, 500_000)
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        lags = first_response_lags(t, r, 1, 7)
        best = min(best, time.perf_counter() - t0)
    assert lags.shape == (500_000,)
    assert best < 1.0
