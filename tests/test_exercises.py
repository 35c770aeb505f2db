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


def simulated(seed: int, effect: float = 3.0) -> pd.DataFrame:
    """Spring and summer exercises 2015-2022; DPRK daily Poisson counts, `effect` times higher on exercise days."""
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
    ev = simulated(2)
    y, X = daily_design(ev, controls=("month",))
    res = exercise_rate_ratio(ev, model="negbin", controls=("month",))
    nb = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(disp=0, maxiter=200)
    assert res.alpha == pytest.approx(nb.params["alpha"], rel=1e-6)
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
