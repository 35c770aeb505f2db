"""Tests of titfortat.stats.sequences: transition counts and tit-for-tat chains on hand-built examples, invariances, the chain null."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from titfortat.stats.sequences import chain_events, chain_length_null, chain_links, tit_for_tat_chains, transition_matrix
from conftest import make_events as _make_events



def make_events(rows: list[tuple]) -> pd.DataFrame:
    return _make_events(rows, id_width=2)


HAND = make_events(
    [
        ("2020-01-01", "ALLIANCE", "joint_exercise"),  # e00  chain 1: e00 -> e01 -> e02 -> e03
        ("2020-01-03", "DPRK", "missile_launch"),  # e01
        ("2020-01-05", "ALLIANCE", "strategic_asset_deployment"),  # e02
        ("2020-01-06", "DPRK", "missile_launch"),  # e03  (no ALLIANCE event 1-7 days later)
        ("2020-01-20", "DPRK", "missile_launch"),  # e04  chain 2: e04 -> e05
        ("2020-01-22", "ALLIANCE", "sanctions"),  # e05
        ("2020-01-21", "DPRK", "artillery_fire"),  # e06  also answered by e05, but e04 is earlier: no link
        ("2020-03-01", "OTHER", "summit"),  # e07
        ("2020-03-02", "DPRK", "missile_launch"),  # e08  single
    ]
)


def test_transition_counts_hand_example() -> None:
    # order by date: e00 A, e01 D, e02 A, e03 D, e04 D, e06 D, e05 A, e07 O, e08 D
    t = transition_matrix(HAND, drop_same_day=False)
    assert list(t.counts.index) == ["DPRK", "ALLIANCE", "OTHER"]
    # A->D (e00-e01, e02-e03), D->A (e01-e02, e06-e05), D->D (e03-e04, e04-e06), A->O (e05-e07), O->D (e07-e08)
    expected = [[2, 2, 0], [2, 0, 1], [1, 0, 0]]  # rows/columns DPRK, ALLIANCE, OTHER
    np.testing.assert_array_equal(t.counts.to_numpy(), expected)
    assert t.n_transitions == 8
    r, c, n = t.counts.sum(axis=1).to_numpy(), t.counts.sum(axis=0).to_numpy(), 8
    np.testing.assert_allclose(t.expected.to_numpy(), np.outer(r, c) / n)
    chi2, p, dof, _ = stats.chi2_contingency(t.counts.to_numpy(), correction=False)
    assert t.chi2 == pytest.approx(chi2) and t.dof == dof and t.p_value == pytest.approx(p)


def test_transition_side_action_and_same_day() -> None:
    ev = make_events([("2020-01-01", "DPRK", "missile_launch"), ("2020-01-01", "ALLIANCE", "sanctions"),
                      ("2020-01-02", "DPRK", "missile_launch"), ("2020-01-03", "DPRK", "artillery_fire")])
    t = transition_matrix(ev, by="side_action", drop_same_day=False)
    assert list(t.counts.index) == ["DPRK/missile_launch", "DPRK/artillery_fire", "ALLIANCE/sanctions"]
    assert t.counts.loc["DPRK/missile_launch", "ALLIANCE/sanctions"] == 1
    assert t.counts.loc["DPRK/missile_launch", "DPRK/artillery_fire"] == 1
    d = transition_matrix(ev, by="side_action", drop_same_day=True)
    assert d.counts.loc["DPRK/missile_launch", "ALLIANCE/sanctions"] == 0 and d.n_transitions == 2
    # the default leaves same-day pairs out: their order is unknown (ids would order them DPRK first)
    assert transition_matrix(ev, by="side_action").counts.loc["DPRK/missile_launch", "ALLIANCE/sanctions"] == 0
    s = transition_matrix(ev, sides=["DPRK"])
    assert list(s.counts.index) == ["DPRK"] and s.counts.iloc[0, 0] == 2
    assert s.to_dict()["counts"] == {"DPRK": {"DPRK": 2}}


def test_chains_hand_example() -> None:
    c = tit_for_tat_chains(HAND, "ALLIANCE", "DPRK")
    assert list(c["chain_id"]) == [1, 2]
    assert c.loc[0, "event_ids"] == ("e00", "e01", "e02", "e03")
    assert c.loc[0, "length"] == 4 and c.loc[0, "first_side"] == "ALLIANCE"
    assert c.loc[0, "start"] == pd.Timestamp("2020-01-01") and c.loc[0, "end"] == pd.Timestamp("2020-01-06")
    assert c.loc[0, "span_days"] == 5
    assert c.loc[1, "event_ids"] == ("e04", "e05") and c.loc[1, "first_side"] == "DPRK"
    assert tit_for_tat_chains(HAND, "ALLIANCE", "DPRK", min_length=3)["event_ids"].tolist() == [("e00", "e01", "e02", "e03")]
    # a 1-day window: e00 -> e01 (2 days) and e04 -> e05 (2 days) break; e02 -> e03 and e06 -> e05 remain
    short = tit_for_tat_chains(HAND, "ALLIANCE", "DPRK", window_days=1)
    assert short["event_ids"].tolist() == [("e02", "e03"), ("e06", "e05")]
    ev = chain_events(HAND, c, top=1)
    assert ev["event_id"].tolist() == ["e00", "e01", "e02", "e03"]
    assert ev["position"].tolist() == [1, 2, 3, 4]
    assert ev["lag_days"].tolist()[1:] == [2, 2, 1] and pd.isna(ev["lag_days"].iloc[0])


def test_chains_reject_same_day_links() -> None:
    with pytest.raises(ValueError):
        tit_for_tat_chains(HAND, "ALLIANCE", "DPRK", min_lag_days=0)
    with pytest.raises(ValueError):
        tit_for_tat_chains(HAND, "DPRK", "DPRK")


def _brute_chain_lengths(a: list[int], b: list[int], lo: int, hi: int) -> list[int]:
    """Reference implementation with plain Python loops."""
    nodes = [(d, 0, i) for i, d in enumerate(sorted(a))] + [(d, 1, i) for i, d in enumerate(sorted(b))]
    by_side = {0: sorted(a), 1: sorted(b)}
    nxt: dict[int, int] = {}
    for k, (d, s, i) in enumerate(nodes):
        other = by_side[1 - s]
        for j, od in enumerate(other):
            if d + lo <= od <= d + hi:
                nxt[k] = (len(a) + j) if s == 0 else j
                break
    # earliest source keeps the link
    src_of: dict[int, int] = {}
    for k in sorted(nxt):
        src_of.setdefault(nxt[k], k)
    links = {k: t for k, t in nxt.items() if src_of[t] == k}
    heads = [k for k in links if k not in links.values()]
    out = []
    for h in heads:
        n, k = 1, h
        while k in links:
            k, n = links[k], n + 1
        out.append(n)
    return sorted(out, reverse=True)


@settings(max_examples=80, deadline=None)
@given(a=st.lists(st.integers(0, 120), max_size=25), b=st.lists(st.integers(0, 120), max_size=25),
       lo=st.integers(1, 3), width=st.integers(0, 8))
def test_chain_links_match_reference(a: list[int], b: list[int], lo: int, width: int) -> None:
    nxt, depth = chain_links(np.sort(np.array(a, dtype=np.int64)), np.sort(np.array(b, dtype=np.int64)),
                             window_days=lo + width, min_lag_days=lo)
    has_in = np.zeros(nxt.shape[1], dtype=bool)
    has_in[nxt[0][nxt[0] >= 0]] = True
    lengths = sorted((depth[0][(~has_in) & (nxt[0] >= 0)] + 1).tolist(), reverse=True)
    assert lengths == _brute_chain_lengths(a, b, lo, lo + width)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 200), st.sampled_from(["ALLIANCE", "DPRK", "OTHER"])), max_size=40),
       seed=st.integers(0, 10_000), shift=st.integers(-500, 500))
def test_chains_invariant_to_row_order_and_shift(rows: list, seed: int, shift: int) -> None:
    d0 = pd.Timestamp("2021-01-01")
    ev = make_events([(d0 + pd.Timedelta(days=d), s, "missile_launch") for d, s in rows])
    a = tit_for_tat_chains(ev, "ALLIANCE", "DPRK")
    b = tit_for_tat_chains(ev.iloc[np.random.default_rng(seed).permutation(len(ev))], "ALLIANCE", "DPRK")
    pd.testing.assert_frame_equal(a, b)
    moved = ev.assign(date=ev["date"] + pd.Timedelta(days=shift), end_date=ev["end_date"] + pd.Timedelta(days=shift))
    c = tit_for_tat_chains(moved, "ALLIANCE", "DPRK")
    assert a["event_ids"].tolist() == c["event_ids"].tolist()


def test_chain_null_detects_planted_alternation() -> None:
    rng = np.random.default_rng(3)
    d0 = pd.Timestamp("2015-01-01")
    rows = []
    # background: 60 events per side over 5 years
    for side in ("ALLIANCE", "DPRK"):
        rows += [(d0 + pd.Timedelta(days=int(d)), side, "missile_launch") for d in rng.integers(0, 1826, 60)]
    # six planted exchanges of 8 alternating events, 2 days apart
    for k in range(6):
        start = 100 + 300 * k
        rows += [(d0 + pd.Timedelta(days=start + 2 * j), ("ALLIANCE", "DPRK")[j % 2], "missile_launch") for j in range(8)]
    ev = make_events(rows)
    res = chain_length_null(ev, "ALLIANCE", "DPRK", n_permutations=300, seed=0, min_length=5)
    assert res.observed_longest >= 8
    assert res.p_longest < 0.05 and res.p_n_long < 0.05
    assert res.null_mean_longest < res.observed_longest
    assert res.null_longest.shape == (300,)
    d = res.to_dict()
    assert "null_longest" not in d and d["observed_longest"] == res.observed_longest
    # the vectorized null at shift 0 equals the observed chains
    obs = tit_for_tat_chains(ev, "ALLIANCE", "DPRK")
    assert obs["length"].max() == res.observed_longest
    assert int((obs["length"] >= 5).sum()) == res.observed_n_long
