"""Exercise designs: activity before, during and after joint exercises, and a daily rate-ratio model.

Two designs from the literature, on the same data and with the windows as parameters:

- :func:`exercise_windows` (the CSIS Beyond Parallel design, Cha, Lee and Lim 2016): for each
  exercise, the response side's events in the ``pre_days`` before its first day, during it, and in
  the ``post_days`` after its last day, as counts and rates per day. Windows of exercises that are
  close together overlap, so an event can count for several exercises.
- :func:`exercise_rate_ratio` (after Bernhardt and Sukin 2021): a daily series over the whole period,
  ``y`` = number of response-side events that day, ``x`` = 1 when any exercise runs that day,
  fitted by a Poisson or negative-binomial GLM with optional month / year controls; the rate ratio
  ``exp(beta)`` says how much more (or less) often the response side acts on exercise days.

Events are counted on their start ``date``; exercises run from ``date`` to ``end_date`` inclusive.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

from titfortat.stats.pairing import day_numbers, days_to_dates, select_events
from titfortat.results import to_jsonable
from titfortat.events.schema import analysis_period

__all__ = [
    "RateRatioResult",
    "daily_design",
    "exercise_rate_ratio",
    "exercise_windows",
    "summarize_windows",
]

_WINDOWS = ("before", "during", "after")


def _count_between(sorted_days: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Number of sorted days in each inclusive interval [lo, hi] (0 when hi < lo)."""
    n = np.searchsorted(sorted_days, hi, side="right") - np.searchsorted(sorted_days, lo, side="left")
    return np.maximum(n, 0).astype(np.int64)


def exercise_windows(
    events: pd.DataFrame,
    pre_days: int = 14,
    post_days: int = 14,
    exercise_actions: str | Iterable[str] = ("joint_exercise",),
    exercise_sides: str | Iterable[str] = ("ALLIANCE",),
    response_side: str | Iterable[str] = "DPRK",
    response_actions: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Response-side events before, during and after each exercise (one row per exercise).

    Windows: ``before`` = the ``pre_days`` days before the exercise's ``date``; ``during`` =
    ``date``..``end_date``; ``after`` = the ``post_days`` days after ``end_date``.

    Parameters
    ----------
    events
        Events frame; never modified.
    pre_days, post_days
        Lengths of the before and after windows in days.
    exercise_actions, exercise_sides
        Which events are exercises.
    response_side, response_actions
        Which events are counted (``response_actions=None``: all actions of the side).

    Returns
    -------
    DataFrame
        ``exercise_id``, ``name`` (the ``detail`` column, or the event_id when blank), ``start``,
        ``end``, and for each window ``w`` in before / during / after: ``days_w``, ``n_w`` and
        ``rate_w`` (events per day); sorted by start date then exercise_id.
    """
    if pre_days < 0 or post_days < 0:
        raise ValueError("pre_days and post_days must be >= 0")
    ex = select_events(events, exercise_sides, exercise_actions)
    resp_days = np.sort(day_numbers(select_events(events, response_side, response_actions)["date"]))
    s = day_numbers(ex["date"])
    e = np.maximum(day_numbers(ex["end_date"]), s)
    bounds = {
        "before": (s - pre_days, s - 1),
        "during": (s, e),
        "after": (e + 1, e + post_days),
    }
    if "detail" in ex:
        detail = ex["detail"].astype("str").fillna("")
        name = detail.where(detail.str.strip() != "", ex["event_id"].astype("str"))
    else:
        name = ex["event_id"].astype("str")
    out = pd.DataFrame(
        {
            "exercise_id": ex["event_id"].astype("str").to_numpy(),
            "name": pd.Series(name.to_numpy(), dtype="str"),
            "start": days_to_dates(s),
            "end": days_to_dates(e),
        }
    )
    for w in _WINDOWS:
        lo, hi = bounds[w]
        days = (hi - lo + 1).astype(np.int64)
        n = _count_between(resp_days, lo, hi)
        out[f"days_{w}"] = days
        out[f"n_{w}"] = n
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"rate_{w}"] = np.where(days > 0, n / np.maximum(days, 1), np.nan)
    return out


def summarize_windows(windows: pd.DataFrame) -> pd.DataFrame:
    """Aggregate table of :func:`exercise_windows`: one row per window (before, during, after).

    Returns
    -------
    DataFrame
        Index ``window``; columns ``n_exercises``, ``total_days``, ``total_events``,
        ``rate_per_day`` (pooled: total events / total days), ``mean_rate_per_day`` (mean of the
        exercises' rates), ``share_with_event`` (share of exercises with at least one event in the
        window), ``ratio_to_before`` (pooled rate / pooled rate before).
    """
    rows = []
    for w in _WINDOWS:
        days = windows[f"days_{w}"].to_numpy()
        n = windows[f"n_{w}"].to_numpy()
        total_days = int(days.sum())
        rows.append(
            {
                "window": w,
                "n_exercises": int(len(windows)),
                "total_days": total_days,
                "total_events": int(n.sum()),
                "rate_per_day": float(n.sum() / total_days) if total_days else np.nan,
                "mean_rate_per_day": float(np.nanmean(windows[f"rate_{w}"])) if len(windows) and total_days else np.nan,
                "share_with_event": float(np.mean(n > 0)) if len(windows) else np.nan,
            }
        )
    table = pd.DataFrame(rows).set_index("window")
    before = table.loc["before", "rate_per_day"]
    table["ratio_to_before"] = table["rate_per_day"] / before if before and before > 0 else np.nan
    return table


# --------------------------------------------------------------------------------------------------
# Daily rate-ratio model
# --------------------------------------------------------------------------------------------------


def daily_design(
    events: pd.DataFrame,
    *,
    exercise_actions: str | Iterable[str] = ("joint_exercise",),
    exercise_sides: str | Iterable[str] = ("ALLIANCE",),
    response_side: str | Iterable[str] = "DPRK",
    response_actions: str | Iterable[str] | None = None,
    controls: Sequence[str] = ("month",),
    post_days: int = 0,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> tuple[pd.Series, pd.DataFrame]:
    """The daily outcome and design matrix of :func:`exercise_rate_ratio`.

    Parameters
    ----------
    events
        Events frame; never modified.
    exercise_actions, exercise_sides, response_side, response_actions
        As in :func:`exercise_windows`.
    controls
        Any of ``"month"`` and ``"year"``: calendar dummies (first level dropped); ``()`` for none.
    post_days
        Also mark the ``post_days`` days after each exercise's end as exposed (0: exercise days only).
    start, end
        Inclusive period of the series; ``None``: the whole calendar years the data span.

    Returns
    -------
    (y, X)
        ``y`` (int, events per day, indexed by date) and ``X`` (float columns ``const``,
        ``exercise`` and the dummies ``month_2`` ... / ``year_<yyyy>``); ready for
        ``statsmodels.api.GLM(y, X, family=...)``.
    """
    bad = [c for c in controls if c not in ("month", "year")]
    if bad:
        raise ValueError(f"unknown controls {bad}; use 'month' and/or 'year'")
    lo, hi = analysis_period(events, start, end)
    d0, d1 = int(day_numbers([lo])[0]), int(day_numbers([hi])[0])
    n_days = d1 - d0 + 1
    resp = day_numbers(select_events(events, response_side, response_actions)["date"])
    resp = resp[(resp >= d0) & (resp <= d1)]
    y = np.bincount(resp - d0, minlength=n_days).astype(np.int64)
    ex = select_events(events, exercise_sides, exercise_actions)
    s = day_numbers(ex["date"])
    e = np.maximum(day_numbers(ex["end_date"]), s) + post_days
    # running-day indicator via a difference array (no loop over exercises)
    diff = np.zeros(n_days + 1, dtype=np.int64)
    s_c, e_c = np.clip(s - d0, 0, n_days), np.clip(e - d0 + 1, 0, n_days)
    keep = e_c > s_c
    np.add.at(diff, s_c[keep], 1)
    np.add.at(diff, e_c[keep], -1)
    running = np.cumsum(diff[:-1]) > 0
    dates = days_to_dates(np.arange(d0, d1 + 1))
    X = pd.DataFrame({"const": 1.0, "exercise": running.astype(float)}, index=dates)
    for c in controls:
        values = dates.month if c == "month" else dates.year
        dummies = pd.get_dummies(pd.Categorical(values), prefix=c, drop_first=True, dtype=float)
        dummies.index = dates
        X = pd.concat([X, dummies], axis=1)
    X.index.name = "date"
    return pd.Series(y, index=dates, name="n_events"), X


@dataclass(frozen=True, eq=False)
class RateRatioResult:
    """Rate ratio of response-side events on exercise days vs other days (daily GLM).

    Attributes
    ----------
    rate_ratio, ci_low, ci_high, p_value
        ``exp(beta_exercise)``, its 95% Wald interval, and the Wald p-value.
    coef, se
        ``beta_exercise`` and its standard error (log scale).
    model
        ``"poisson"`` or ``"negbin"``.
    alpha, alpha_method
        Negative-binomial dispersion (NB2, ``var = mu + alpha mu^2``) and how it was obtained
        (``"estimated (statsmodels NegativeBinomial MLE)"`` or ``"fixed"``); None for Poisson.
    n_days, n_exercise_days, n_events, n_events_exercise_days
        Size of the series.
    controls, post_days, start, end
        The design settings.
    raw_rate_ratio
        The unadjusted ratio of mean daily counts (exercise days / other days).
    """

    rate_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    coef: float
    se: float
    model: str
    alpha: float | None
    alpha_method: str | None
    n_days: int
    n_exercise_days: int
    n_events: int
    n_events_exercise_days: int
    raw_rate_ratio: float
    controls: tuple[str, ...]
    post_days: int
    cov_type: str
    start: pd.Timestamp
    end: pd.Timestamp

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers and settings."""
        return to_jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})

    def summary(self) -> str:
        """A readable paragraph."""
        ctrl = ", ".join(self.controls) if self.controls else "none"
        disp = f"; alpha = {self.alpha:.4g} ({self.alpha_method})" if self.alpha is not None else ""
        return "\n".join(
            [
                f"Daily {self.model} GLM, {self.start.date()} to {self.end.date()} ({self.n_days} days, "
                f"{self.n_exercise_days} exercise days{f' incl. {self.post_days} days after each' if self.post_days else ''}); "
                f"controls: {ctrl}; covariance: {self.cov_type}{disp}",
                f"  events: {self.n_events} ({self.n_events_exercise_days} on exercise days); "
                f"raw rate ratio {self.raw_rate_ratio:.3f}",
                f"  rate ratio exp(beta) = {self.rate_ratio:.3f} [95% CI {self.ci_low:.3f}-{self.ci_high:.3f}], "
                f"p = {self.p_value:.4g}",
            ]
        )


def exercise_rate_ratio(
    events: pd.DataFrame,
    *,
    exercise_actions: str | Iterable[str] = ("joint_exercise",),
    exercise_sides: str | Iterable[str] = ("ALLIANCE",),
    response_side: str | Iterable[str] = "DPRK",
    response_actions: str | Iterable[str] | None = None,
    model: Literal["poisson", "negbin"] = "poisson",
    controls: Sequence[str] = ("month",),
    alpha: float | None = None,
    post_days: int = 0,
    cov_type: str = "nonrobust",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> RateRatioResult:
    """Rate ratio of response-side events on exercise days, from a daily count GLM.

    Builds the daily series with :func:`daily_design` and fits ``statsmodels.api.GLM``:

    - ``model="poisson"``: Poisson family, log link.
    - ``model="negbin"``: negative-binomial (NB2) family. With ``alpha=None`` the dispersion is
      estimated by maximum likelihood with the discrete model
      ``statsmodels.discrete.discrete_model.NegativeBinomial`` on the same design, then the GLM is
      fitted with that alpha held fixed; pass ``alpha`` to fix it yourself.

    Parameters
    ----------
    events
        Events frame; never modified.
    exercise_actions, exercise_sides, response_side, response_actions, controls, post_days, start, end
        As in :func:`daily_design`.
    model
        ``"poisson"`` or ``"negbin"``.
    alpha
        Fixed NB2 dispersion (only with ``model="negbin"``).
    cov_type
        Passed to ``GLM.fit`` (``"nonrobust"``, or ``"HC0"`` for sandwich standard errors).

    Returns
    -------
    RateRatioResult
    """
    if model not in ("poisson", "negbin"):
        raise ValueError(f"model must be 'poisson' or 'negbin', got {model!r}")
    y, X = daily_design(
        events, exercise_actions=exercise_actions, exercise_sides=exercise_sides,
        response_side=response_side, response_actions=response_actions,
        controls=controls, post_days=post_days, start=start, end=end,
    )
    x = X["exercise"].to_numpy() > 0
    if x.all() or not x.any():
        raise ValueError("the exercise indicator is constant over the period: no rate ratio can be estimated")
    alpha_used: float | None = None
    alpha_method: str | None = None
    if model == "poisson":
        family: sm.families.Family = sm.families.Poisson()
    else:
        if alpha is None:
            with warnings.catch_warnings():
                # alpha near 0 (Poisson-like data) makes the Hessian singular; only the point
                # estimate of alpha is used here, the GLM below gives the standard errors
                warnings.simplefilter("ignore", HessianInversionWarning)
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                nb = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(disp=0, maxiter=200)
            alpha_used = float(nb.params["alpha"])
            if not np.isfinite(alpha_used) or alpha_used < 0:
                raise RuntimeError(f"negative-binomial alpha estimate failed ({alpha_used}); pass alpha= to fix it")
            alpha_method = "estimated (statsmodels NegativeBinomial MLE)"
        else:
            alpha_used = float(alpha)
            alpha_method = "fixed"
        family = sm.families.NegativeBinomial(alpha=alpha_used)
    fit = sm.GLM(y, X, family=family).fit(cov_type=cov_type)
    beta = float(fit.params["exercise"])
    se = float(fit.bse["exercise"])
    ci = fit.conf_int(alpha=0.05).loc["exercise"]
    yv = y.to_numpy()
    lo, hi = X.index[0], X.index[-1]
    return RateRatioResult(
        rate_ratio=float(np.exp(beta)),
        ci_low=float(np.exp(ci.iloc[0])),
        ci_high=float(np.exp(ci.iloc[1])),
        p_value=float(fit.pvalues["exercise"]),
        coef=beta,
        se=se,
        model=model,
        alpha=alpha_used,
        alpha_method=alpha_method,
        n_days=int(len(y)),
        n_exercise_days=int(x.sum()),
        n_events=int(yv.sum()),
        n_events_exercise_days=int(yv[x].sum()),
        raw_rate_ratio=float(yv[x].mean() / yv[~x].mean()) if yv[~x].mean() > 0 else float("nan"),
        controls=tuple(controls),
        post_days=int(post_days),
        cov_type=cov_type,
        start=pd.Timestamp(lo),
        end=pd.Timestamp(hi),
    )
