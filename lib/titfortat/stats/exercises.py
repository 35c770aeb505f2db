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
from titfortat.stats.inference import expected_counts, holm

__all__ = [
    "RateRatioResult",
    "daily_design",
    "exercise_rate_ratio",
    "exercise_windows",
    "summarize_windows",
]

_WINDOWS = ("before", "during", "after")
#: An estimated NB2 alpha with ``alpha * max(mu)`` below this is taken as 0 (the Poisson model): the
#: variance ``mu + alpha mu^2`` then exceeds the Poisson variance by less than 0.1% on every day.
NEGLIGIBLE_DISPERSION = 1e-3


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
    hac_maxlags: int = 7,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> RateRatioResult:
    """Rate ratio of response-side events on exercise days, from a daily count GLM.

    Builds the daily series with :func:`daily_design` and fits ``statsmodels.api.GLM``:

    - ``model="poisson"``: Poisson family, log link.
    - ``model="negbin"``: negative-binomial (NB2) family. With ``alpha=None`` the dispersion is
      estimated by maximum likelihood with the discrete model
      ``statsmodels.discrete.discrete_model.NegativeBinomial`` on the same design, then the GLM is
      fitted with that alpha held fixed; pass ``alpha`` to fix it yourself. An estimate whose extra
      variance is negligible (``alpha * max(mu) < NEGLIGIBLE_DISPERSION``) is taken as 0 and the
      Poisson family is used.

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
        ``"nonrobust"``, ``"HC0"`` (sandwich), ``"HAC"`` (Newey-West with ``hac_maxlags`` lags: daily
        counts are autocorrelated) or ``"cluster"`` (clustered by calendar month of each year).
    hac_maxlags
        Lags of the HAC covariance (only with ``cov_type="HAC"``).

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
            if alpha_used * float(np.max(nb.predict())) < NEGLIGIBLE_DISPERSION:
                # no overdispersion: the NB2 variance mu + alpha mu^2 is the Poisson variance to within 0.1% on
                # every day. The optimizer stops anywhere on that flat stretch of the likelihood (1.8e-5 on an
                # Intel Xeon, below 1e-8 on an AMD EPYC for the same data), and the NB2 family with alpha = 0
                # divides by zero: it is the Poisson model
                alpha_used = 0.0
                alpha_method = "estimated as 0 (no overdispersion): Poisson family used"
        else:
            alpha_used = float(alpha)
            alpha_method = "fixed"
        family = sm.families.NegativeBinomial(alpha=alpha_used) if alpha_used > 0 else sm.families.Poisson()
    cov_kwds: dict[str, Any] | None = None
    if cov_type == "HAC":
        cov_kwds = {"maxlags": int(hac_maxlags)}
    elif cov_type == "cluster":
        months = X.index.year * 12 + X.index.month
        cov_kwds = {"groups": pd.factorize(np.asarray(months))[0]}
    elif cov_type not in ("nonrobust", "HC0", "HC1", "HC2", "HC3"):
        raise ValueError(f"cov_type must be 'nonrobust', 'HC0'-'HC3', 'HAC' or 'cluster', got {cov_type!r}")
    fit = sm.GLM(y, X, family=family).fit(cov_type=cov_type, cov_kwds=cov_kwds)
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


# --------------------------------------------------------------------------------------------------
# Event study, influence and scale
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class EventStudyResult:
    """Response-side events around exercise starts (or ends) against the calendar model.

    Attributes
    ----------
    table
        One row per day relative to the anchor (``rel_day`` from ``-window`` to ``window``):
        ``observed`` and ``expected`` events per exercise, ``excess`` (their difference) and its 95%
        bootstrap interval over exercises (``ci_low``, ``ci_high``).
    pre, during_after
        Pooled excess per exercise-day before the anchor (days ``-window..-1``: the pre-trend check) and
        from the anchor on (days ``0..window``), each with a 95% interval and a two-sided bootstrap p.
    n_exercises, anchor, window
        The design.
    """

    table: pd.DataFrame
    pre: dict[str, float]
    during_after: dict[str, float]
    n_exercises: int
    anchor: str
    window: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers (the daily table included)."""
        return to_jsonable({"n_exercises": self.n_exercises, "anchor": self.anchor, "window": self.window,
                            "pre_trend": self.pre, "from_anchor": self.during_after,
                            "daily": self.table.to_dict(orient="list")})

    def summary(self) -> str:
        """A readable paragraph."""
        p, d = self.pre, self.during_after
        return (f"Event study around {self.n_exercises} exercise {self.anchor}s (+-{self.window} days): excess per "
                f"exercise-day before {p['excess']:+.3f} [{p['ci_low']:+.3f}, {p['ci_high']:+.3f}] (p = {p['p_value']:.3g}); "
                f"from the {self.anchor} on {d['excess']:+.3f} [{d['ci_low']:+.3f}, {d['ci_high']:+.3f}] (p = {d['p_value']:.3g})")


def exercise_event_study(
    events: pd.DataFrame,
    *,
    exercise_actions: str | Iterable[str] = ("joint_exercise",),
    exercise_sides: str | Iterable[str] = ("ALLIANCE",),
    response_side: str = "DPRK",
    response_actions: str | Iterable[str] | None = None,
    anchor: Literal["start", "end"] = "start",
    window: int = 30,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    n_boot: int = 2000,
    seed: int = 0,
) -> EventStudyResult:
    """Event study of response-side events around exercise starts or ends (days ``-window..window``).

    For each exercise and relative day, the observed count of response-side events and the count the
    side's calendar model expects (:func:`titfortat.stats.inference.expected_counts`: month of year and
    calendar year, no own history). Their difference averaged over exercises is the excess; intervals
    and p-values come from resampling exercises with replacement (``n_boot`` draws). The pooled excess
    over days ``-window..-1`` is the pre-trend check: a response cannot precede its trigger.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 day, got {window}")
    exp = expected_counts(events, response_side, actions=response_actions, start=start, end=end)
    obs, mu = exp["observed"].to_numpy(), exp["expected"].to_numpy()
    d0 = int(day_numbers(exp.index[:1])[0])
    n = len(exp)
    ex = select_events(events, exercise_sides, exercise_actions)
    a = day_numbers(ex["date"] if anchor == "start" else ex["end_date"]) - d0
    a = a[(a >= 0) & (a < n)]
    rel = np.arange(-window, window + 1)
    idx = a[:, None] + rel[None, :]
    inside = (idx >= 0) & (idx < n)
    safe = np.clip(idx, 0, n - 1)
    o = np.where(inside, obs[safe], np.nan)
    e = np.where(inside, mu[safe], np.nan)
    diff = o - e
    rng = np.random.default_rng(seed)
    m = a.size
    if m == 0:
        raise ValueError("no exercise starts inside the period: nothing to study")
    boot = rng.integers(0, m, size=(n_boot, m))
    daily_boot = np.nanmean(diff[boot], axis=1)  # (n_boot, days)
    pre_mask, post_mask = rel < 0, rel >= 0

    def pooled(mask: np.ndarray) -> dict[str, float]:
        est = float(np.nanmean(diff[:, mask]))
        draws = np.nanmean(diff[boot][:, :, mask], axis=(1, 2))
        lo, hi = np.quantile(draws, [0.025, 0.975])
        p = float(min(1.0, 2 * min(np.mean(draws <= 0), np.mean(draws >= 0)) + 1 / (n_boot + 1)))
        return {"excess": est, "ci_low": float(lo), "ci_high": float(hi), "p_value": p,
                "observed_per_day": float(np.nanmean(o[:, mask])), "expected_per_day": float(np.nanmean(e[:, mask]))}

    table = pd.DataFrame({
        "rel_day": rel, "observed": np.nanmean(o, axis=0), "expected": np.nanmean(e, axis=0),
        "excess": np.nanmean(diff, axis=0), "ci_low": np.nanquantile(daily_boot, 0.025, axis=0),
        "ci_high": np.nanquantile(daily_boot, 0.975, axis=0),
    })
    return EventStudyResult(table, pooled(pre_mask), pooled(post_mask), int(m), anchor, int(window))


def leave_one_exercise_out(
    events: pd.DataFrame,
    *,
    exercise_actions: str | Iterable[str] = ("joint_exercise",),
    exercise_sides: str | Iterable[str] = ("ALLIANCE",),
    response_side: str = "DPRK",
    response_actions: str | Iterable[str] | None = None,
    model: Literal["poisson", "negbin"] = "poisson",
    controls: Sequence[str] = ("month",),
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The exercise-day rate ratio refitted with each exercise left out in turn (influence).

    The daily design of :func:`exercise_rate_ratio` is built once; leaving exercise ``i`` out removes
    its days from the exercise indicator (days that another exercise covers stay exposed) and the GLM
    is refitted (negative binomial with the full-data alpha held fixed).

    Returns
    -------
    DataFrame
        One row per exercise in the period (``event_id``, ``detail``, ``date``, ``rate_ratio``,
        ``ci_low``, ``ci_high``, ``p_value``, ``change``: the rate ratio without it over the full-data
        one), sorted by the size of the change, largest first.
    """
    full = exercise_rate_ratio(events, exercise_actions=exercise_actions, exercise_sides=exercise_sides,
                               response_side=response_side, response_actions=response_actions, model=model,
                               controls=controls, start=start, end=end)
    y, X = daily_design(events, exercise_actions=exercise_actions, exercise_sides=exercise_sides,
                        response_side=response_side, response_actions=response_actions, controls=controls,
                        start=start, end=end)
    d0, n = int(day_numbers(X.index[:1])[0]), len(X)
    ex = select_events(events, exercise_sides, exercise_actions)
    s = np.clip(day_numbers(ex["date"]) - d0, 0, n)
    e = np.clip(np.maximum(day_numbers(ex["end_date"]), day_numbers(ex["date"])) - d0 + 1, 0, n)
    inside = e > s
    ex, s, e = ex.loc[inside], s[inside], e[inside]
    diff = np.zeros(n + 1, dtype=np.int64)
    np.add.at(diff, s, 1)
    np.add.at(diff, e, -1)
    cover = np.cumsum(diff[:-1])
    family: sm.families.Family = (sm.families.NegativeBinomial(alpha=full.alpha) if model == "negbin" and full.alpha
                                  else sm.families.Poisson())
    Xv = X.to_numpy(dtype=float).copy()
    col = list(X.columns).index("exercise")
    rows = []
    for (eid, detail, date), si, ei in zip(
        zip(ex["event_id"], ex["detail"] if "detail" in ex else [""] * len(ex), ex["date"], strict=True), s, e, strict=True
    ):
        own = np.zeros(n, dtype=np.int64)
        own[si:ei] = 1
        Xv[:, col] = ((cover - own) > 0).astype(float)
        rec = {"event_id": eid, "detail": detail, "date": date}
        if Xv[:, col].any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                f = sm.GLM(y.to_numpy(), Xv, family=family).fit()
            b, se = float(f.params[col]), float(f.bse[col])
            rec.update(rate_ratio=float(np.exp(b)), ci_low=float(np.exp(b - 1.959964 * se)),
                       ci_high=float(np.exp(b + 1.959964 * se)), p_value=float(f.pvalues[col]))
        else:
            rec.update(rate_ratio=np.nan, ci_low=np.nan, ci_high=np.nan, p_value=np.nan)
        rows.append(rec)
    out = pd.DataFrame(rows, columns=["event_id", "detail", "date", "rate_ratio", "ci_low", "ci_high", "p_value"])
    out["change"] = out["rate_ratio"] / full.rate_ratio
    order = np.argsort(-np.abs(np.log(out["change"].to_numpy(float))), kind="stable")
    return out.iloc[order].reset_index(drop=True)


def exercise_scale_ratio(
    events: pd.DataFrame,
    *,
    exercise_actions: str | Iterable[str] = ("joint_exercise",),
    exercise_sides: str | Iterable[str] = ("ALLIANCE",),
    response_side: str = "DPRK",
    response_actions: str | Iterable[str] | None = None,
    controls: Sequence[str] = ("month", "year"),
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    min_exercises: int = 5,
) -> dict[str, Any]:
    """Does the response scale with the exercise? Rate ratio per doubling of the troops reported.

    Needs the optional ``scale_troops`` column (parsed by the loader from ``scale``). The daily Poisson
    model has the exercise-day indicator, ``log2(troops / median troops)`` on the days of exercises with a
    reported size (0 elsewhere), an indicator of exercise days with no reported size, and the calendar
    controls; HAC (7 lags) standard errors. Returns ``{"available": False, "reason": ...}`` when the
    data do not record enough sizes.
    """
    if "scale_troops" not in events:
        return {"available": False, "reason": "the events data have no scale column"}
    ex = select_events(events, exercise_sides, exercise_actions)
    sized = ex.loc[pd.to_numeric(ex["scale_troops"], errors="coerce") > 0]
    if len(sized) < min_exercises:
        return {"available": False, "reason": f"only {len(sized)} exercises with a reported troop number (need {min_exercises})"}
    y, X = daily_design(events, exercise_actions=exercise_actions, exercise_sides=exercise_sides,
                        response_side=response_side, response_actions=response_actions, controls=controls,
                        start=start, end=end)
    d0 = int(day_numbers(X.index[:1])[0])
    n = len(X)
    troops = pd.to_numeric(sized["scale_troops"]).to_numpy(float)
    med = float(np.median(troops))
    log_size = np.zeros(n)
    has_size = np.zeros(n, dtype=bool)
    s = day_numbers(sized["date"]) - d0
    e = np.maximum(day_numbers(sized["end_date"]), day_numbers(sized["date"])) - d0
    for si, ei, t in zip(s, e, troops, strict=True):  # a handful of exercises: the loop is over exercises, not days
        a, b = max(si, 0), min(ei, n - 1)
        if b >= a:
            log_size[a:b + 1] = np.maximum(log_size[a:b + 1], np.log2(t / med))
            has_size[a:b + 1] = True
    X = X.copy()
    X["log2_troops"] = log_size
    unsized = ((X["exercise"] > 0) & ~has_size).astype(float)
    if unsized.any():
        X["exercise_unsized"] = unsized
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.GLM(y, X, family=sm.families.Poisson()).fit(cov_type="HAC", cov_kwds={"maxlags": 7})
    b, se = float(fit.params["log2_troops"]), float(fit.bse["log2_troops"])
    return to_jsonable({
        "available": True, "n_sized_exercises": int(len(sized)), "median_troops": med,
        "rate_ratio_per_doubling": float(np.exp(b)), "ci_low": float(np.exp(b - 1.959964 * se)),
        "ci_high": float(np.exp(b + 1.959964 * se)), "p_value": float(fit.pvalues["log2_troops"]),
        "exercise_rate_ratio_at_median": float(np.exp(fit.params["exercise"])),
    })


def adjust_exercises(results: dict[str, Any]) -> dict[str, Any]:
    """Holm-adjust the p-values of a ``04_exercise_windows`` results dict in place (``p_holm`` beside each).

    The family: every rate-ratio model, the event study's pre-trend and post-anchor tests (start and
    end), and the scale term when available. ``n_tests`` is set to its size.
    """
    raw: dict[str, float] = {}
    for i, rr in enumerate(results.get("rate_ratios", [])):
        raw[f"rate_ratio_{i}"] = rr.get("p_value")
    for a, s in results.get("event_study", {}).items():
        raw[f"event_study_{a}_pre"] = s["pre_trend"]["p_value"]
        raw[f"event_study_{a}_post"] = s["from_anchor"]["p_value"]
    if results.get("scale", {}).get("available"):
        raw["scale"] = results["scale"]["p_value"]
    raw = {k: float("nan") if v is None else float(v) for k, v in raw.items()}
    adj = holm(raw)
    for i, rr in enumerate(results.get("rate_ratios", [])):
        rr["p_holm"] = adj[f"rate_ratio_{i}"]
    for a, s in results.get("event_study", {}).items():
        s["pre_trend"]["p_holm"] = adj[f"event_study_{a}_pre"]
        s["from_anchor"]["p_holm"] = adj[f"event_study_{a}_post"]
    if "scale" in raw:
        results["scale"]["p_holm"] = adj["scale"]
    results["n_tests"] = int(sum(np.isfinite(v) for v in raw.values()))
    results["multiple_testing"] = {"method": "Holm", "family": sorted(raw)}
    return to_jsonable(results)
