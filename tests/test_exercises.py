"""Tests of titfortat.stats.exercises: window counts on a hand example, and the daily GLM against a direct statsmodels fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from titfortat.stats.exercises import daily_design, exercise_rate_ratio, exercise_windows, summarize_windows
from conftest import make_events as _make_events



def make_events(rows: list[tuple]) -> pd.DataFrame:
    return _make_events(rows, id_width=4)


HAND = make_events(
    [
        ("2020-03-10", "ALLIANCE", "joint_exercise", "2020-03-19", "Spring drill"),  # 10 days
        ("2020-02-25", "DPRK", "missile_launch"),  # 14 days before: in "before" (first day)
        ("2020-02-24", "DPRK", "missile_launch"),  # 15 days before: outside
        ("2020-03-10", "DPRK", "missile_launch"),  # first day: during
        ("2020-03-19", "DPRK", "artillery_fire"),  # last day: during
        ("2020-04-02", "DPRK", "missile_launch"),  # 14 days after: after
        ("2020-04-03", "DPRK", "missile_launch"),  # 15 days after: outside
        ("2020-08-10", "ALLIANCE", "joint_exercise", "2020-08-20", ""),  # no detail -> name is the id
        ("2020-08-12", "ALLIANCE", "strategic_asset_deployment"),  # not an exercise, not a response
    ]
)


def test_windows_hand_example() -> None:
    w = exercise_windows(HAND)
    assert list(w["exercise_id"]) == ["e0000", "e0007"]
    assert list(w["name"]) == ["Spring drill", "e0007"]
    row = w.iloc[0]
    assert (row["days_before"], row["days_during"], row["days_after"]) == (14, 10, 14)
    assert (row["n_before"], row["n_during"], row["n_after"]) == (1, 2, 1)
    assert row["rate_during"] == pytest.approx(0.2)
    assert tuple(w.iloc[1][["n_before", "n_during", "n_after"]]) == (0, 0, 0)
    w2 = exercise_windows(HAND, response_actions=["missile_launch"], pre_days=15, post_days=15)
    assert tuple(w2.iloc[0][["n_before", "n_during", "n_after"]]) == (2, 1, 2)
    s = summarize_windows(w)
    assert list(s.index) == ["before", "during", "after"]
    assert s.loc["during", "total_days"] == 21 and s.loc["during", "total_events"] == 2
    assert s.loc["before", "rate_per_day"] == pytest.approx(1 / 28)
    assert s.loc["during", "ratio_to_before"] == pytest.approx((2 / 21) / (1 / 28))


def simulated(seed: int, effect: float = 3.0, dispersion: float = 0.0) -> pd.DataFrame:
    """Spring and summer exercises 2015-2022; DPRK daily Poisson counts, `effect` times higher on exercise days.

    With ``dispersion`` > 0 the daily rate is multiplied by a gamma draw of mean 1 and variance
    ``dispersion``: negative-binomial (NB2) counts with alpha = ``dispersion``."""
    rng = np.random.default_rng(seed)
    rows = []
    for y in range(2015, 2023):
        for m, dur in ((3, 12), (8, 10)):
            s = pd.Timestamp(y, m, 4)
            rows.append((s, "ALLIANCE", "joint_exercise", s + pd.Timedelta(days=dur - 1), f"ex {y}-{m}"))
    days = pd.date_range("2015-01-01", "2022-12-31")
    on = np.zeros(len(days), dtype=bool)
    for r in rows:
        on |= (days >= r[0]) & (days <= r[3])
    lam = 0.05 * np.where(on, effect, 1.0) * (1 + 0.3 * np.sin(2 * np.pi * days.day_of_year / 365.25))
    if dispersion > 0:
        lam = lam * rng.gamma(1 / dispersion, dispersion, size=len(days))
    n = rng.poisson(lam)
    for d, k in zip(days, n, strict=True):
        rows += [(d, "DPRK", "missile_launch")] * int(k)
    return make_events(rows)


def test_design_matrix_by_hand() -> None:
    ev = simulated(0)
    y, X = daily_design(ev, controls=("year", "month"))
    days = pd.date_range("2015-01-01", "2022-12-31")
    assert y.index.equals(days) and len(X) == len(days)
    dprk = ev.loc[ev["side"] == "DPRK", "date"].value_counts()
    np.testing.assert_array_equal(y.to_numpy(), dprk.reindex(days, fill_value=0).to_numpy())
    ex = ev.loc[ev["action"] == "joint_exercise"]
    running = np.array([((ex["date"] <= d) & (ex["end_date"] >= d)).any() for d in days])
    np.testing.assert_array_equal(X["exercise"].to_numpy(), running.astype(float))
    assert X.shape[1] == 2 + 7 + 11  # const, exercise, 7 year dummies, 11 month dummies
    np.testing.assert_array_equal(X["month_12"].to_numpy(), (days.month == 12).astype(float))


@pytest.mark.parametrize("controls", [(), ("month",), ("year", "month")])
def test_poisson_rate_ratio_equals_direct_statsmodels_fit(controls: tuple[str, ...]) -> None:
    ev = simulated(1)
    res = exercise_rate_ratio(ev, model="poisson", controls=controls)
    # the same fit written out directly with statsmodels and pandas
    days = pd.date_range("2015-01-01", "2022-12-31")
    y = ev.loc[ev["side"] == "DPRK", "date"].value_counts().reindex(days, fill_value=0).to_numpy()
    ex = ev.loc[ev["action"] == "joint_exercise"]
    x = np.array([((ex["date"] <= d) & (ex["end_date"] >= d)).any() for d in days], dtype=float)
    cols = {"const": np.ones(len(days)), "exercise": x}
    for c in controls:
        vals = days.month if c == "month" else days.year
        for v in sorted(set(vals))[1:]:
            cols[f"{c}_{v}"] = (vals == v).astype(float)
    fit = sm.GLM(y, pd.DataFrame(cols), family=sm.families.Poisson()).fit()
    assert res.rate_ratio == pytest.approx(np.exp(fit.params["exercise"]), rel=1e-8)
    lo, hi = np.exp(fit.conf_int().loc["exercise"])
    assert res.ci_low == pytest.approx(lo, rel=1e-8) and res.ci_high == pytest.approx(hi, rel=1e-8)
    assert res.p_value == pytest.approx(fit.pvalues["exercise"], rel=1e-6)
    assert res.n_days == len(days) and res.n_exercise_days == int(x.sum())
    assert res.ci_low < 3.0 < res.ci_high  # the planted effect is inside the interval


def test_negbin_alpha_estimated_and_fixed() -> None:
    ev = simulated(2, dispersion=2.0)
    y, X = daily_design(ev, controls=("month",))
    res = exercise_rate_ratio(ev, model="negbin", controls=("month",))
    nb = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(disp=0, maxiter=200)
    assert res.alpha == pytest.approx(nb.params["alpha"], rel=1e-6) and 0.5 < res.alpha < 8
    glm = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=res.alpha)).fit()
    assert res.rate_ratio == pytest.approx(np.exp(glm.params["exercise"]), rel=1e-8)
    fixed = exercise_rate_ratio(ev, model="negbin", controls=("month",), alpha=0.5)
    glm2 = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=0.5)).fit()
    assert fixed.alpha_method == "fixed" and fixed.rate_ratio == pytest.approx(np.exp(glm2.params["exercise"]), rel=1e-8)
    d = fixed.to_dict()
    assert d["model"] == "negbin" and d["alpha"] == 0.5 and d["controls"] == ["month"]
    assert "rate ratio" in fixed.summary()


def test_null_effect_and_errors() -> None:
    res = exercise_rate_ratio(simulated(3, effect=1.0), controls=())
    assert res.ci_low < 1.0 < res.ci_high
    with pytest.raises(ValueError):
        exercise_rate_ratio(simulated(3), model="zip")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        daily_design(simulated(3), controls=("weekday",))


# --- review bugs, event study, influence, scale -------------------------------------------------------
from titfortat.stats.exercises import (  # noqa: E402
    adjust_exercises,
    exercise_event_study,
    exercise_scale_ratio,
    leave_one_exercise_out,
)
from titfortat.stats.simulate import WORLD_PRESETS, simulate_world, with_settings  # noqa: E402


def _uniform_world(seed: int, years: int = 4) -> pd.DataFrame:
    """Poisson-like data (no overdispersion): the NB alpha estimate sits at 0."""
    spec = with_settings(WORLD_PRESETS["independent_uniform"], n_years=years, start_year=2016)
    w = simulate_world(spec, seed)
    ex = w["side"] == "ALLIANCE"
    w.loc[ex, "action"] = "joint_exercise"
    w.loc[ex, "end_date"] = w.loc[ex, "date"] + pd.Timedelta(days=4)
    return w


def test_negbin_with_zero_alpha_falls_back_to_poisson() -> None:
    # seeds 27 and 35 of this generator give an alpha estimate at 0 (found by a scan of seeds 0-39; the optimizer
    # stopped below 1e-8 on an AMD EPYC and at 1.8e-5 on an Intel Xeon: both negligible dispersion);
    # before the fix the NB2 family then divided by zero
    for seed in (27, 35):
        w = _uniform_world(seed)
        nb = exercise_rate_ratio(w, model="negbin", controls=("month",))
        assert nb.alpha == 0.0 and "Poisson" in (nb.alpha_method or "")
        pois = exercise_rate_ratio(w, model="poisson", controls=("month",))
        assert nb.rate_ratio == pytest.approx(pois.rate_ratio)


@pytest.mark.parametrize("cov_type", ["HAC", "cluster", "HC0"])
def test_robust_covariances_fit(cov_type: str) -> None:
    w = _uniform_world(1)
    r = exercise_rate_ratio(w, model="poisson", controls=("month",), cov_type=cov_type)
    base = exercise_rate_ratio(w, model="poisson", controls=("month",))
    assert r.rate_ratio == pytest.approx(base.rate_ratio) and r.cov_type == cov_type
    assert np.isfinite(r.ci_low) and r.ci_low < r.rate_ratio < r.ci_high
    with pytest.raises(ValueError, match="cov_type"):
        exercise_rate_ratio(w, cov_type="bogus")


def test_event_study_finds_a_planted_response_and_no_pre_trend() -> None:
    spec = with_settings(WORLD_PRESETS["seasons_bursts_years"], response="ALLIANCE->DPRK", response_prob=0.6,
                         exercise_share=1.0)
    w = simulate_world(spec, 4)
    s = exercise_event_study(w, window=20, n_boot=300)
    assert list(s.table["rel_day"]) == list(range(-20, 21))
    assert s.during_after["excess"] > 0 and s.during_after["ci_low"] > 0
    assert s.pre["ci_low"] < 0 < s.pre["ci_high"] or abs(s.pre["excess"]) < s.during_after["excess"]
    peak = s.table.set_index("rel_day")["excess"].loc[2:4].mean()
    assert peak > s.table.set_index("rel_day")["excess"].loc[-20:-1].mean()
    d = s.to_dict()
    assert set(d) >= {"pre_trend", "from_anchor", "daily"} and "Event study" in s.summary()


def test_leave_one_out_matches_refits_without_each_exercise() -> None:
    w = _uniform_world(2, years=2)
    loo = leave_one_exercise_out(w, model="poisson", controls=("month",))
    ids = w.loc[w["action"] == "joint_exercise", "event_id"]
    assert sorted(loo["event_id"]) == sorted(ids)
    for eid in loo["event_id"].head(3):
        direct = exercise_rate_ratio(w.loc[w["event_id"] != eid], model="poisson", controls=("month",),
                                     start="2016-01-01", end="2017-12-31")
        got = loo.set_index("event_id").loc[eid, "rate_ratio"]
        assert got == pytest.approx(direct.rate_ratio, rel=1e-6)


def test_scale_term_needs_the_column_and_enough_sizes() -> None:
    w = _uniform_world(3)
    assert exercise_scale_ratio(w)["available"] is False
    w["scale_troops"] = np.where(w["action"] == "joint_exercise", np.linspace(1000, 50000, len(w)), np.nan)
    res = exercise_scale_ratio(w)
    assert res["available"] and np.isfinite(res["rate_ratio_per_doubling"]) and res["n_sized_exercises"] > 5
    adj = adjust_exercises({"rate_ratios": [{"p_value": 0.01}, {"p_value": 0.2}], "scale": res})
    assert adj["n_tests"] == 3 and adj["rate_ratios"][0]["p_holm"] == pytest.approx(0.03)
