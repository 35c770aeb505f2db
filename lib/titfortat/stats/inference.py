"""Inference on responses that holds when both sides share a calendar, a trend and their own bursts.

The question: after an event of side A, does side B act within ``min_lag_days..window_days`` days more
often than B would anyway? "Anyway" has to carry what the two sides share without any causal link:
the season (the big exercises and much North Korean activity fall in March and August), busy and
quiet years (2016-2017 and 2022-2023 against 2018-2021), and each side's own bursts (launches come in
clusters). Circular shifts of one stream keep its clustering but not its calendar or trend, and on
worlds with these features they call a response "beyond chance" in 30-90% of datasets with no link at
all (see the calibration table in the README). This module replaces them as the headline test.

**The model of B's own rate** (a discrete-time Hawkes process, i.e. a Poisson autoregression; the
design follows Goldstein and Freeman's reciprocity models and the self-exciting point processes used
for insurgent violence, Lewis et al. 2012). B's daily event count ``y_t`` is Poisson with log-rate

    log mu_t = calendar_t + history_t (+ beta * c_t in the full model)

- ``calendar_t``: month-of-year and calendar-year dummies (levels present in the period; months only
  when the period is shorter than two years);
- ``history_t``: B's **own** recent events, ``log(1 + count)`` in the lag bins 1, 2-3, 4-7, 8-14,
  15-30 and 31-90 days (self-excitation, and slowly changing busy spells that do not follow the
  calendar year);
- ``c_t``: the number of A's triggers whose response window covers day t (cross-excitation).

**The headline test** is a score-type test of ``beta = 0`` whose null distribution is built by
**shifting A's triggers within calendar-month blocks**: every trigger dated in a given month of a
given year moves by that block's random circular offset inside the month. This keeps A's monthly
counts (its season and its busy years, at a resolution of a month) and A's clustering inside the
month, and breaks only A's timing relative to B within the month. The statistic is the **excess
ratio**: B's events inside the triggers' windows divided by what B's own model predicts there,
``sum_t c_t y_t / sum_t c_t mu_t``. Under the null its permutation distribution is centred near 1;
the one-sided p-value is ``(1 + #{null >= observed}) / (1 + n_permutations)``. Two safeguards thus
stack: the model absorbs the calendar and B's own bursts, and the permutation keeps A's calendar at
month resolution, so that co-movement that the model misses is in the null too.

The **estimate** is the rate ratio ``exp(beta)`` of the full model (per covering trigger) with a
95% HAC (Newey-West) interval; the p-value reported as the headline is the permutation one, whose
calibration the slow tests prove on simulated worlds (``titfortat.stats.simulate``).

Diagnostics kept beside it, labelled as such: the response rate against the same block null, the
exact circular-shift null (all shifts enumerated with an FFT), the **placebo** at negative lags (B's
excess *before* A's triggers: where it is as strong as after, the sides move together and no
direction can be read), the model-adjusted **lag profile** (leads and lags) and the raw
**cross-correlogram** at -30..+30 days with its block-permutation band. :func:`holm` adjusts a run's
p-values for the number of tests.

Dates are KST calendar days; same-day order is unknown, hence ``min_lag_days`` defaults to 1.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm

from titfortat.events.schema import analysis_period
from titfortat.results import to_jsonable
from titfortat.stats.pairing import Anchor, day_numbers, trigger_windows

__all__ = [
    "Block",
    "CircularExact",
    "ResponseTest",
    "DEFAULT_HISTORY_BINS",
    "block_shift_offsets",
    "circular_shift_exact",
    "cross_correlogram",
    "drop_reported_responses",
    "hawkes_check",
    "holm",
    "HawkesResult",
    "lag_profile",
    "response_test",
]

Block = Literal["month", "quarter", "year"]
DEFAULT_HISTORY_BINS: tuple[tuple[int, int], ...] = ((1, 1), (2, 3), (4, 7), (8, 14), (15, 30), (31, 90))
_CHUNK = 256


# --------------------------------------------------------------------------------------------------
# Small building blocks
# --------------------------------------------------------------------------------------------------


def drop_reported_responses(events: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Events without the rows that the data mark as reported responses.

    A row is a reported response when its optional ``reported_response_to`` column is non-empty (the
    report said it answered a specific action of the other side). Other people's data without the
    column come back unchanged.

    Returns
    -------
    (events, n_dropped)
    """
    if "reported_response_to" not in events:
        return events, 0
    col = events["reported_response_to"]
    marked = col.notna() & (col.astype(str).str.strip() != "")
    return events.loc[~marked], int(marked.sum())


def _period(events: pd.DataFrame, start: Any, end: Any) -> tuple[int, int, pd.Timestamp, pd.Timestamp]:
    lo, hi = analysis_period(events, start, end)
    d0, d1 = (int(x) for x in day_numbers([lo, hi]))
    if d1 < d0:
        raise ValueError(f"the period is empty: start {lo.date()} is after end {hi.date()}")
    return d0, d1 - d0 + 1, lo, hi


def _side_days(events: pd.DataFrame, side: str, actions: str | Iterable[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Start and end day numbers of one side's events (some actions), unsorted: no string sort on hot paths."""
    keep = (events["side"] == side).to_numpy()
    if actions is not None:
        keep = keep & events["action"].isin([actions] if isinstance(actions, str) else list(actions)).to_numpy()
    start = events["date"].to_numpy()[keep].astype("datetime64[D]").astype(np.int64)
    if "end_date" in events:
        end = events["end_date"].to_numpy()[keep].astype("datetime64[D]").astype(np.int64)
        end = np.where(end < start, start, end)  # NaT or a missing end: one-day event
    else:
        end = start
    return start, end


def _daily_counts(days: np.ndarray, d0: int, n: int) -> np.ndarray:
    d = np.asarray(days, dtype=np.int64) - d0
    d = d[(d >= 0) & (d < n)]
    return np.bincount(d, minlength=n).astype(np.float64)


def _block_index(d0: int, n: int, block: Block) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per day: its block number; per block: first day (offset from d0), length, and a stable key."""
    days = np.arange(d0, d0 + n).astype("datetime64[D]")
    months = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    if block == "month":
        key = months
    elif block == "quarter":
        key = months // 3
    elif block == "year":
        key = months // 12
    else:
        raise ValueError(f"block must be 'month', 'quarter' or 'year', got {block!r}")
    uniq, first, inv = np.unique(key, return_index=True, return_inverse=True)
    length = np.bincount(inv)
    return inv, first.astype(np.int64), length.astype(np.int64), uniq.astype(np.int64)


def block_shift_offsets(keys: np.ndarray, lengths: np.ndarray, n_permutations: int, seed: int, block: Block) -> np.ndarray:
    """Circular offsets, one per (permutation, block), drawn from ``seed`` and each block's calendar key.

    The same seed, block kind and calendar block always give the same offsets, whatever the period or
    the events analysed: draw ``j`` of every specification of a specification curve uses the same
    shifts (common random numbers), so draw ``j`` across specifications is one null curve.

    Returns
    -------
    numpy.ndarray
        ``(n_permutations, n_blocks)`` int64 offsets, ``0 <= offset < length`` of the block.
    """
    kind = {"month": 1, "quarter": 2, "year": 3}[block]
    keys, lengths = np.asarray(keys, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
    memo = (keys.tobytes(), lengths.tobytes(), int(n_permutations), int(seed), kind)
    out = _OFFSET_CACHE.get(memo)
    if out is None:
        out = np.empty((n_permutations, keys.size), dtype=np.int64)
        for b, (k, length) in enumerate(zip(keys.tolist(), lengths.tolist(), strict=True)):
            u = np.random.default_rng([int(seed) & 0xFFFFFFFF, kind, int(k) + 100_000]).random(n_permutations)
            out[:, b] = np.floor(u * length).astype(np.int64)
        out.setflags(write=False)
        if len(_OFFSET_CACHE) >= 16:
            _OFFSET_CACHE.clear()
        _OFFSET_CACHE[memo] = out
    return out


# Memo of block_shift_offsets: a specification curve asks for the same offsets in every specification
# (read-only arrays, shared).
_OFFSET_CACHE: dict[tuple[Any, ...], np.ndarray] = {}


def _shifted_days(rel_days: np.ndarray, day_block: np.ndarray, first: np.ndarray, length: np.ndarray,
                  offsets: np.ndarray) -> np.ndarray:
    """Shift of each trigger (relative day) under each permutation: ``(n_perm, n_trig)`` deltas."""
    b = day_block[rel_days]
    pos = rel_days - first[b]
    size = length[b]
    new = pos[None, :] + offsets[:, b]  # < 2 * size: one conditional subtraction is the modulo
    new -= size[None, :] * (new >= size[None, :])
    return new - pos[None, :]


def _burst_anchor(ref: np.ndarray, gap: int) -> np.ndarray:
    """For each trigger, the first day of its burst (a run of triggers at most ``gap`` days apart)."""
    if ref.size == 0 or gap <= 0:
        return ref
    order = np.argsort(ref, kind="stable")
    r = ref[order]
    new = np.concatenate([[True], np.diff(r) > gap])
    first = np.maximum.accumulate(np.where(new, np.arange(r.size), 0))
    out = np.empty_like(ref)
    out[order] = r[first]
    return out


def _coverage(lo: np.ndarray, hi: np.ndarray, n: int) -> np.ndarray:
    """Day-by-day number of windows ``[lo, hi]`` (relative days, any shape ``(..., k)``) covering it.

    Returns an array of shape ``(..., n)``; parts of windows outside ``[0, n)`` are ignored.
    """
    lo = np.asarray(lo)
    hi = np.asarray(hi)
    lead = lo.shape[:-1]
    rows = int(np.prod(lead)) if lead else 1
    lo2 = lo.reshape(rows, -1)
    hi2 = hi.reshape(rows, -1)
    a = np.clip(lo2, 0, n)
    b = np.clip(hi2 + 1, 0, n)
    keep = b > a
    width = n + 1
    base = (np.arange(rows, dtype=np.int64) * width)[:, None]
    plus = np.bincount((base + a)[keep], minlength=rows * width)
    minus = np.bincount((base + b)[keep], minlength=rows * width)
    cov = np.cumsum((plus - minus).reshape(rows, width)[:, :n], axis=1)
    return cov.reshape(*lead, n) if lead else cov.reshape(n)


def _prefix(values: np.ndarray) -> np.ndarray:
    """``P`` with ``P[0] = 0`` and ``P[t + 1] = values[0] + ... + values[t]`` (float64)."""
    return np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])


def _window_sums(prefix: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Sum of a daily series over each window ``[lo, hi]`` (relative days, any shape), from the series'
    :func:`_prefix`; parts of windows outside the period count nothing.

    ``(windows' coverage) @ series`` without building the day-by-day coverage: two gathers per window,
    so the permutation null costs (draws x triggers), not (draws x days). Equal to
    ``_coverage(lo, hi, n) @ series`` summed over the last axis (a test checks).
    """
    n = prefix.size - 1
    a = np.clip(lo, 0, n)
    b = np.maximum(np.clip(hi + 1, 0, n), a)
    return prefix[b] - prefix[a]


def _history(counts_ext: np.ndarray, pad: int, n: int, bins: Sequence[tuple[int, int]]) -> np.ndarray:
    """``log1p`` of own counts in each lag bin; ``counts_ext`` starts ``pad`` days before the period."""
    cs = np.concatenate([[0.0], np.cumsum(counts_ext)])
    t = np.arange(n) + pad  # index of day t in counts_ext
    cols = []
    for a, b in bins:
        lo = np.clip(t - b, 0, None)
        hi = np.clip(t - a + 1, 0, None)
        cols.append(np.log1p(cs[hi] - cs[lo]))
    return np.column_stack(cols) if cols else np.zeros((n, 0))


def _calendar(d0: int, n: int, seasonal: bool, trend: bool) -> tuple[np.ndarray, list[str]]:
    days = np.arange(d0, d0 + n).astype("datetime64[D]")
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    cols, names = [np.ones(n)], ["const"]
    if trend:
        for y in np.unique(year)[1:]:
            cols.append((year == y).astype(float))
            names.append(f"year_{y}")
    if seasonal:
        for m in np.unique(month)[1:]:
            cols.append((month == m).astype(float))
            names.append(f"month_{m}")
    return np.column_stack(cols), names


def _poisson_irls(X: np.ndarray, y: np.ndarray, ridge: float = 1e-4, max_iter: int = 60) -> np.ndarray:
    """Fitted means of a Poisson log-linear model by IRLS with a tiny ridge (not on the intercept).

    The ridge keeps coefficients finite when a calendar level has no events (the fitted mean there is
    then close to 0), where plain maximum likelihood diverges.
    """
    p = X.shape[1]
    pen = np.full(p, ridge)
    pen[0] = 0.0
    beta = np.zeros(p)
    beta[0] = np.log(max(y.mean(), 1e-8))
    dev_old = np.inf
    for _ in range(max_iter):
        eta = np.clip(X @ beta, -30, 30)
        mu = np.exp(eta)
        z = eta + (y - mu) / mu
        XtW = X.T * mu
        beta = np.linalg.solve(XtW @ X + np.diag(pen), XtW @ z)
        mu = np.exp(np.clip(X @ beta, -30, 30))
        with np.errstate(divide="ignore", invalid="ignore"):
            dev = 2 * float(np.sum(np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)))
        if abs(dev - dev_old) < 1e-8 * (1 + abs(dev)):
            break
        dev_old = dev
    return mu


_MU_CACHE: dict[tuple[Any, ...], np.ndarray] = {}
_X0_CACHE: dict[tuple[Any, ...], tuple[np.ndarray, tuple[str, ...]]] = {}


def _memo_put(cache: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any, size: int = 64) -> Any:
    if len(cache) >= size:
        cache.clear()
    cache[key] = value
    return value


def _own_model_mean(X0: np.ndarray, y: np.ndarray, key: tuple[Any, ...] | None = None) -> np.ndarray:
    """:func:`_poisson_irls` memoised on the design and counts: a specification curve refits the same
    responding side's model for every trigger choice, and the fit does not depend on the triggers.
    ``key`` (from :func:`_design`) names the design and counts; without it they are hashed."""
    if key is None:
        key = (X0.shape, hashlib.blake2b(X0.tobytes() + y.tobytes(), digest_size=16).hexdigest())
    mu = _MU_CACHE.get(key)
    if mu is None:
        mu = _poisson_irls(X0, y)
        mu.setflags(write=False)
        _memo_put(_MU_CACHE, key, mu)
    return mu


@dataclass(frozen=True)
class _Design:
    d0: int
    n: int
    lo: pd.Timestamp
    hi: pd.Timestamp
    y: np.ndarray
    X0: np.ndarray
    names: list[str]
    trig_ref: np.ndarray  # relative day the lags are measured from
    trig_lo: np.ndarray  # relative window bounds (may fall outside [0, n))
    trig_hi: np.ndarray
    resp_days: np.ndarray  # relative days of B's events inside the period (sorted)
    model_key: tuple[Any, ...]  # names the responding side's design and counts (memo key of its fit)


def _design(
    events: pd.DataFrame, side_a: str, side_b: str, *, actions_a: Any, actions_b: Any, window_days: int,
    min_lag_days: int, anchor: Anchor, start: Any, end: Any, history_bins: Sequence[tuple[int, int]],
    seasonal: bool | None, trend: bool | None, lead: bool = False,
) -> _Design:
    d0, n, lo, hi = _period(events, start, end)
    t_start, t_end = _side_days(events, side_a, actions_a)
    inside = (t_start >= d0) & (t_start < d0 + n)
    t_start, t_end = t_start[inside], t_end[inside]
    ref, w_lo, w_hi = trigger_windows(t_start, t_end, window_days=window_days, min_lag_days=min_lag_days, anchor=anchor)
    if lead:  # placebo: the mirror-image window before the trigger's start
        ref = t_start
        w_lo, w_hi = t_start - window_days, t_start - min_lag_days
    pad = max((b for _, b in history_bins), default=0)
    r_all, _ = _side_days(events, side_b, actions_b)
    y_ext = _daily_counts(r_all, d0 - pad, n + pad)
    y = y_ext[pad:]
    long_enough = n >= 2 * 365
    seasonal_on = long_enough if seasonal is None else seasonal
    trend_on = long_enough if trend is None else trend
    # B's design depends on B's counts and the model settings only, not on the triggers: built once
    # per specification curve and shared (read-only)
    model_key = (d0, n, bool(seasonal_on), bool(trend_on), tuple((int(a), int(b)) for a, b in history_bins),
                 hashlib.blake2b(y_ext.tobytes(), digest_size=16).hexdigest())
    cached = _X0_CACHE.get(model_key)
    if cached is None:
        cal, cal_names = _calendar(d0, n, seasonal_on, trend_on)
        X0 = np.column_stack([cal, _history(y_ext, pad, n, history_bins)])
        X0.setflags(write=False)
        cached = _memo_put(_X0_CACHE, model_key, (X0, (*cal_names, *(f"own_{a}_{b}" for a, b in history_bins))))
    X0, names = cached
    y.setflags(write=False)
    r_rel = np.sort(r_all[(r_all >= d0) & (r_all < d0 + n)] - d0)
    return _Design(d0, n, lo, hi, y, X0, list(names), ref - d0, w_lo - d0, w_hi - d0, r_rel, model_key)


def _full_model(y: np.ndarray, X0: np.ndarray, x: np.ndarray, maxlags: int) -> tuple[float, float, float, float, str]:
    """Rate ratio of the cross term with a HAC 95% interval and Wald p; NaNs with a note on failure."""
    if not np.any(x):
        return float("nan"), float("nan"), float("nan"), float("nan"), "no day is covered by a trigger window"
    X = np.column_stack([X0, x])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GLM(y, X, family=sm.families.Poisson()).fit(
                cov_type="HAC", cov_kwds={"maxlags": max(1, int(maxlags))}, maxiter=100
            )
        b, se = float(fit.params[-1]), float(fit.bse[-1])
        if not (np.isfinite(b) and np.isfinite(se)) or se <= 0:
            raise ValueError("non-finite estimate")
        p = float(fit.pvalues[-1])
        return float(np.exp(b)), float(np.exp(b - 1.959964 * se)), float(np.exp(b + 1.959964 * se)), p, ""
    except Exception as exc:  # noqa: BLE001 - a failed fit is reported, not raised
        return float("nan"), float("nan"), float("nan"), float("nan"), f"full model failed: {type(exc).__name__}"


# --------------------------------------------------------------------------------------------------
# The headline test
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ResponseTest:
    """Does side B act after side A's events more often than B's own model predicts?

    Attributes
    ----------
    side_a, side_b
        Trigger and response sides; ``direction`` is ``"A->B"``.
    n_triggers, n_responses, n_days
        A's triggers and B's events inside the period, and its length in days.
    n_responded, response_rate
        Triggers with at least one B event in their window, and their share (descriptive).
    null_response_rate, null_response_interval, response_rate_p_value
        The same share under the block null (mean, middle 95%) and its one-sided p-value.
    observed_in_windows, expected_in_windows, excess_ratio
        B's events inside the windows (counted once per covering trigger), what B's own model
        (calendar, trend, own history) predicts there, and their ratio.
    null_excess_interval
        Middle 95% of the excess ratio under the block null.
    excess_ci
        95% interval of the excess ratio by inverting the permutation test under a multiplicative
        shift: the values ``theta`` for which ``excess / theta`` lies inside the middle 95% of the null
        draws scaled to mean 1.
    p_value
        The headline p-value: the excess ratio against the block null (one-sided).
    rate_ratio, ci_low, ci_high, rate_ratio_p_value
        The full model's cross-excitation rate ratio per covering trigger, HAC 95% interval, Wald p.
    lead
        True for the placebo test (the window mirrored before each trigger).
    null_draws
        The excess ratio under each permutation (for specification curves; not in ``to_dict``).
    """

    side_a: str
    side_b: str
    actions_a: tuple[str, ...] | None
    actions_b: tuple[str, ...] | None
    window_days: int
    min_lag_days: int
    anchor: str
    lead: bool
    start: pd.Timestamp
    end: pd.Timestamp
    n_days: int
    n_triggers: int
    n_responses: int
    n_responded: int
    response_rate: float
    null_response_rate: float
    null_response_interval: tuple[float, float]
    response_rate_p_value: float
    observed_in_windows: float
    expected_in_windows: float
    excess_ratio: float
    null_excess_mean: float
    null_excess_interval: tuple[float, float]
    excess_ci: tuple[float, float]
    p_value: float
    rate_ratio: float
    ci_low: float
    ci_high: float
    rate_ratio_p_value: float
    block: str
    n_permutations: int
    seed: int
    model_terms: tuple[str, ...]
    note: str
    null_draws: np.ndarray = field(repr=False)

    @property
    def direction(self) -> str:
        return f"{self.side_a}->{self.side_b}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers and settings (the null draws are left out)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "null_draws"}
        out["direction"] = self.direction
        out["test"] = (
            "excess ratio of responses in the window over the response side's own model (calendar month and "
            f"year, own history), against {self.n_permutations} shifts of the triggers within calendar "
            f"{self.block} blocks"
        )
        return to_jsonable(out)

    def summary(self) -> str:
        """A readable paragraph."""
        when = (f"{self.min_lag_days}-{self.window_days} days before" if self.lead
                else f"{self.min_lag_days}-{self.window_days} days after")
        lines = [
            f"{'Placebo (leads)' if self.lead else 'Response test'} {self.direction}: {self.side_b} events "
            f"{when} {self.side_a}'s triggers ({self.anchor} anchor), {self.start.date()} to {self.end.date()}",
            f"  triggers {self.n_triggers}; answered {self.n_responded} ({self.response_rate:.1%}) vs "
            f"{self.null_response_rate:.1%} under the {self.block}-block null (p = {self.response_rate_p_value:.3g})",
            f"  {self.side_b} events in windows {self.observed_in_windows:.0f} vs {self.expected_in_windows:.1f} "
            f"expected from its own model: excess ratio {self.excess_ratio:.2f} (null 95% "
            f"{self.null_excess_interval[0]:.2f}-{self.null_excess_interval[1]:.2f}), p = {self.p_value:.3g}",
        ]
        if np.isfinite(self.rate_ratio):
            lines.append(f"  full model rate ratio {self.rate_ratio:.2f} [95% CI {self.ci_low:.2f}-{self.ci_high:.2f}], "
                         f"HAC Wald p = {self.rate_ratio_p_value:.3g}")
        if self.note:
            lines.append(f"  note: {self.note}")
        return "\n".join(lines)


def _as_tuple(v: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if v is None:
        return None
    return (v,) if isinstance(v, str) else tuple(v)


def response_test(
    events: pd.DataFrame,
    side_a: str,
    side_b: str,
    *,
    actions_a: str | Iterable[str] | None = None,
    actions_b: str | Iterable[str] | None = None,
    window_days: int = 7,
    min_lag_days: int = 1,
    anchor: Anchor = "start",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    n_permutations: int = 2000,
    seed: int = 0,
    block: Block = "month",
    history_bins: Sequence[tuple[int, int]] = DEFAULT_HISTORY_BINS,
    seasonal: bool | None = None,
    trend: bool | None = None,
    lead: bool = False,
    full_model: bool = True,
    burst_gap_days: int = 3,
) -> ResponseTest:
    """The calibrated test of "B answers A within the window" (see the module docstring).

    Parameters
    ----------
    events
        Events frame (the loader's contract); never modified. Only events dated inside the period
        take part as triggers and responses; B's events in the 90 days before the period feed B's
        own-history terms.
    side_a, side_b, actions_a, actions_b
        Triggers (side A, optionally some actions) and responses (side B).
    window_days, min_lag_days, anchor
        The response window after each trigger's anchor (as in :func:`titfortat.stats.pairing.pair_responses`).
    start, end
        Inclusive period (``None``: the whole calendar years the data span).
    n_permutations
        Shifts of the triggers within blocks (at least 99).
    seed
        Seed of the block offsets (common to every specification with the same seed and block).
    block
        ``"month"`` (default), ``"quarter"`` or ``"year"``: the calendar blocks the triggers move in.
    history_bins
        Lag bins (days) of B's own-history terms; ``()`` for none.
    seasonal, trend
        Month-of-year and calendar-year dummies in B's model (default: both when the period is at
        least two years long, neither otherwise: the block permutation then carries the calendar).
    lead
        Placebo: test B's events ``min_lag_days..window_days`` days *before* each trigger's start.
    full_model
        Also fit the model with the cross term (rate ratio with HAC interval); False skips it (faster,
        for calibration runs).
    burst_gap_days
        Triggers at most this many days after the previous one form a burst that the null moves as one
        unit (so a block's circular wrap never splits a burst); 0 moves every trigger day on its own.

    Returns
    -------
    ResponseTest
    """
    if n_permutations < 99:
        raise ValueError(f"n_permutations must be at least 99, got {n_permutations}")
    des = _design(events, side_a, side_b, actions_a=actions_a, actions_b=actions_b, window_days=window_days,
                  min_lag_days=min_lag_days, anchor=anchor, start=start, end=end, history_bins=history_bins,
                  seasonal=seasonal, trend=trend, lead=lead)
    n, y = des.n, des.y
    mu = _own_model_mean(des.X0, y, des.model_key)
    # Sums of B's counts and of its model mean over the windows, by prefix sums: the observed statistic
    # and every null draw are computed the same way (ties between them stay exact).
    p_y, p_mu = _prefix(y), _prefix(mu)
    w_y = _window_sums(p_y, des.trig_lo, des.trig_hi)
    obs_in = float(w_y.sum())
    exp_in = float(_window_sums(p_mu, des.trig_lo, des.trig_hi).sum())
    excess = obs_in / exp_in if exp_in > 0 else float("nan")
    answered = w_y > 0
    n_trig = int(des.trig_ref.size)
    rate = float(answered.mean()) if n_trig else float("nan")
    day_block, first, length, keys = _block_index(des.d0, n, block)
    offsets = block_shift_offsets(keys, length, n_permutations, seed, block)
    null_ratio = np.empty(n_permutations)
    null_rate = np.empty(n_permutations)
    # bursts move as units: a trigger within burst_gap_days of the previous one shares its burst's shift,
    # decided by the burst's first day (its block, its position); a circular wrap never splits a burst
    ref = np.clip(_burst_anchor(des.trig_ref, burst_gap_days), 0, n - 1)
    for s in range(0, n_permutations, _CHUNK):
        off = offsets[s:s + _CHUNK]
        if not n_trig:
            null_ratio[s:s + _CHUNK] = np.nan
            null_rate[s:s + _CHUNK] = np.nan
            continue
        delta = _shifted_days(ref, day_block, first, length, off)
        lo_p, hi_p = des.trig_lo[None, :] + delta, des.trig_hi[None, :] + delta
        wy_p = _window_sums(p_y, lo_p, hi_p)
        e = _window_sums(p_mu, lo_p, hi_p).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            null_ratio[s:s + _CHUNK] = np.where(e > 0, wy_p.sum(axis=1) / e, np.nan)
        null_rate[s:s + _CHUNK] = (wy_p > 0).mean(axis=1)
    ok = np.isfinite(null_ratio)
    if np.isfinite(excess) and ok.any():
        p = float((1 + np.sum(null_ratio[ok] >= excess - 1e-12)) / (1 + ok.sum()))
        ex_lo, ex_hi = (float(v) for v in np.quantile(null_ratio[ok], [0.025, 0.975]))
        ex_mean = float(np.mean(null_ratio[ok]))
        ci = (excess * ex_mean / ex_hi, excess * ex_mean / ex_lo) if ex_lo > 0 else (excess * ex_mean / ex_hi, float("inf"))
    else:
        p, ex_lo, ex_hi, ex_mean = float("nan"), float("nan"), float("nan"), float("nan")
        ci = (float("nan"), float("nan"))
    if n_trig:
        p_rate = float((1 + np.sum(null_rate >= rate - 1e-12)) / (1 + n_permutations))
        r_lo, r_hi = (float(v) for v in np.quantile(null_rate, [0.025, 0.975]))
        r_mean = float(null_rate.mean())
    else:
        p_rate, r_lo, r_hi, r_mean = float("nan"), float("nan"), float("nan"), float("nan")
    note = ""
    if n_trig == 0:
        note = f"no {side_a} triggers in the period"
    elif y.sum() == 0:
        note = f"no {side_b} events in the period"
    rr, ci_lo, ci_hi, rr_p = (float("nan"),) * 4
    if full_model and n_trig and y.sum() > 0:
        cov = _coverage(des.trig_lo, des.trig_hi, n).astype(np.float64)
        rr, ci_lo, ci_hi, rr_p, msg = _full_model(y, des.X0, cov, maxlags=window_days)
        note = "; ".join(x for x in (note, msg) if x)
    return ResponseTest(
        side_a=side_a, side_b=side_b, actions_a=_as_tuple(actions_a), actions_b=_as_tuple(actions_b),
        window_days=int(window_days), min_lag_days=int(min_lag_days), anchor=anchor, lead=lead,
        start=des.lo, end=des.hi, n_days=n, n_triggers=n_trig, n_responses=int(y.sum()),
        n_responded=int(answered.sum()), response_rate=rate, null_response_rate=r_mean,
        null_response_interval=(r_lo, r_hi), response_rate_p_value=p_rate, observed_in_windows=obs_in,
        expected_in_windows=exp_in, excess_ratio=excess, null_excess_mean=ex_mean,
        null_excess_interval=(ex_lo, ex_hi), excess_ci=(float(ci[0]), float(ci[1])), p_value=p, rate_ratio=rr, ci_low=ci_lo, ci_high=ci_hi,
        rate_ratio_p_value=rr_p, block=block, n_permutations=int(n_permutations), seed=int(seed),
        model_terms=tuple(des.names), note=note, null_draws=null_ratio,
    )


# --------------------------------------------------------------------------------------------------
# Diagnostics
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CircularExact:
    """The circular-shift null enumerated exactly: answered triggers under every shift of B.

    A diagnostic, not a calibrated test (it keeps B's clustering but not its calendar or trend).

    Attributes
    ----------
    answered_by_shift
        Number of answered triggers for each circular shift 0..n_days-1 of B's events (shift 0 is
        the data).
    observed, null_mean_rate, p_value
        Answered triggers in the data; mean share over all shifts; exact one-sided p-value
        ``#{shifts with >= observed} / n_days``.
    """

    answered_by_shift: np.ndarray
    n_triggers: int
    observed: int
    null_mean_rate: float
    null_interval: tuple[float, float]
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers (the per-shift counts are left out)."""
        return to_jsonable({
            "n_triggers": self.n_triggers, "observed": self.observed, "n_shifts": int(self.answered_by_shift.size),
            "null_response_rate": self.null_mean_rate, "null_interval": list(self.null_interval),
            "p_value": self.p_value,
            "test": "all circular shifts of the response side over the period, enumerated with an FFT (diagnostic)",
        })


def circular_shift_exact(
    events: pd.DataFrame,
    side_a: str,
    side_b: str,
    *,
    actions_a: str | Iterable[str] | None = None,
    actions_b: str | Iterable[str] | None = None,
    window_days: int = 7,
    min_lag_days: int = 1,
    anchor: Anchor = "start",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> CircularExact:
    """Every circular shift of B's events over the period at once, by FFT cross-correlation.

    Under a shift by ``k`` days (wrapping round the period) trigger ``i`` is answered when the shifted
    B stream has an event in its window ``[lo_i, hi_i]`` (windows are clipped at the period's end, as in
    the data). For each window length ``w`` the indicator ``H_w[u]`` (an event of B in ``[u, u+w-1]``,
    circularly) is computed once; the answered count under every shift is the circular
    cross-correlation of the triggers' window starts with ``H_w``: O(n log n) per distinct window
    length. Windows clipped by the period's end are counted exactly with cumulative sums.
    """
    d0, n, lo, hi = _period(events, start, end)
    t_start, t_end = _side_days(events, side_a, actions_a)
    inside = (t_start >= d0) & (t_start < d0 + n)
    _, w_lo, w_hi = trigger_windows(t_start[inside], t_end[inside], window_days=window_days,
                                    min_lag_days=min_lag_days, anchor=anchor)
    a, b = w_lo - d0, np.minimum(w_hi - d0, n - 1)
    r = _daily_counts(_side_days(events, side_b, actions_b)[0], d0, n) > 0
    answered = np.zeros(n, dtype=np.int64)
    valid = a <= b  # windows starting after the period's end are never answered
    clipped = valid & (w_hi - d0 > n - 1)
    normal = valid & ~clipped
    r_f = r.astype(np.float64)
    two = np.concatenate([r_f, r_f])
    cs = np.concatenate([[0.0], np.cumsum(two)])
    nfft = 1 << int(np.ceil(np.log2(max(2 * n, 2))))
    for w in np.unique(b[normal] - a[normal] + 1):
        u = np.arange(n)
        h = (cs[u + w] - cs[u]) > 0  # event of B in [u, u+w-1], circularly
        starts = a[normal & (b - a + 1 == w)]
        t = np.bincount(starts, minlength=n).astype(np.float64)
        # shifting B by k moves H to H[(u - k) mod n]: count(k) = sum_u t[u] h[(u - k) mod n]
        # = sum_v h[v] t2[v + k] with t2 = [t, t], a linear correlation (nfft >= 2n: no aliasing)
        lin = np.fft.irfft(np.fft.rfft(np.concatenate([t, t]), nfft) * np.conj(np.fft.rfft(h.astype(np.float64), nfft)), nfft)
        full = lin[:n]
        answered += np.rint(full).astype(np.int64)
    if clipped.any():
        k = np.arange(n)
        for ai, bi in zip(a[clipped].tolist(), b[clipped].tolist(), strict=True):
            # shifted B has an event at day s iff r[(s - k) mod n]: window sum over s in [ai, bi]
            s_lo = (ai - k) % n
            tot = cs[s_lo + (bi - ai) + 1] - cs[s_lo]
            answered += (tot > 0).astype(np.int64)
    n_trig = int(inside.sum())
    obs = int(answered[0])
    if n_trig:
        rates = answered / n_trig
        p = float(np.mean(answered >= obs))
        interval = (float(np.quantile(rates, 0.025)), float(np.quantile(rates, 0.975)))
        mean = float(rates.mean())
    else:
        p, interval, mean = float("nan"), (float("nan"), float("nan")), float("nan")
    return CircularExact(answered, n_trig, obs, mean, interval, p)


def cross_correlogram(
    events: pd.DataFrame,
    side_a: str,
    side_b: str,
    *,
    actions_a: str | Iterable[str] | None = None,
    actions_b: str | Iterable[str] | None = None,
    max_lag: int = 30,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    n_permutations: int = 500,
    seed: int = 0,
    block: Block = "month",
) -> pd.DataFrame:
    """Cross-correlation of the two sides' daily counts at lags ``-max_lag..max_lag``, with a null band.

    Lag ``k > 0`` correlates A on day t with B on day t + k (B after A); ``k < 0`` is B before A.
    The band is the middle 95% of the same correlation when A's days are shifted within calendar
    blocks (:func:`response_test`'s null), so co-movement at the scale of a month or more lies inside
    it. Symmetric excess around zero is co-movement, not a response.

    Returns
    -------
    DataFrame
        Indexed by ``lag_days``: ``ccf``, ``null_mean``, ``null_lo``, ``null_hi``.
    """
    d0, n, _, _ = _period(events, start, end)
    a_days = _side_days(events, side_a, actions_a)[0]
    a_days = a_days[(a_days >= d0) & (a_days < d0 + n)] - d0
    b = _daily_counts(_side_days(events, side_b, actions_b)[0], d0, n)
    nfft = 1 << int(np.ceil(np.log2(2 * n)))
    lags = np.arange(-max_lag, max_lag + 1)

    def ccf(a_mat: np.ndarray) -> np.ndarray:
        am = a_mat - a_mat.mean(axis=-1, keepdims=True)
        bm = b - b.mean()
        denom = np.sqrt((am ** 2).sum(axis=-1) * (bm ** 2).sum())
        # c[k] = sum_t a[t] b[t+k]
        spec = np.conj(np.fft.rfft(am, nfft, axis=-1)) * np.fft.rfft(bm, nfft)[None, :]
        raw = np.fft.irfft(spec, nfft, axis=-1)
        vals = raw[..., lags % nfft]
        with np.errstate(divide="ignore", invalid="ignore"):
            return vals / denom[..., None]

    obs = ccf(np.bincount(a_days, minlength=n).astype(float)[None, :])[0]
    day_block, first, length, keys = _block_index(d0, n, block)
    offsets = block_shift_offsets(keys, length, n_permutations, seed, block)
    null = np.empty((n_permutations, lags.size))
    for s in range(0, n_permutations, _CHUNK):
        off = offsets[s:s + _CHUNK]
        delta = _shifted_days(a_days, day_block, first, length, off)
        moved = a_days[None, :] + delta
        rows = off.shape[0]
        mat = np.bincount((np.arange(rows)[:, None] * n + moved).ravel(), minlength=rows * n).reshape(rows, n)
        null[s:s + rows] = ccf(mat.astype(float))
    return pd.DataFrame(
        {"ccf": obs, "null_mean": np.nanmean(null, axis=0), "null_lo": np.nanquantile(null, 0.025, axis=0),
         "null_hi": np.nanquantile(null, 0.975, axis=0)},
        index=pd.Index(lags, name="lag_days"),
    )


DEFAULT_PROFILE_BINS: tuple[tuple[int, int], ...] = (
    (-30, -22), (-21, -15), (-14, -8), (-7, -4), (-3, -1), (1, 1), (2, 2), (3, 3), (4, 5), (6, 7), (8, 14),
    (15, 21), (22, 30),
)


def lag_profile(
    events: pd.DataFrame,
    side_a: str,
    side_b: str,
    *,
    actions_a: str | Iterable[str] | None = None,
    actions_b: str | Iterable[str] | None = None,
    bins: Sequence[tuple[int, int]] = DEFAULT_PROFILE_BINS,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    history_bins: Sequence[tuple[int, int]] = DEFAULT_HISTORY_BINS,
) -> pd.DataFrame:
    """Model-adjusted impulse response of B to A's events, at leads and lags (days from A's start).

    One Poisson model of B's daily counts with B's calendar and own-history terms (as in
    :func:`response_test`) and, for each bin ``[a, b]`` of days, the number of A's events that started
    ``a..b`` days before (positive bins) or ``-b..-a`` days after (negative bins: B *before* A, the
    placebo side). Rate ratios with 95% HAC (Newey-West, 30 lags) intervals.

    Returns
    -------
    DataFrame
        One row per bin: ``lag_from``, ``lag_to``, ``rate_ratio``, ``ci_low``, ``ci_high``, ``p_value``.
    """
    des = _design(events, side_a, side_b, actions_a=actions_a, actions_b=actions_b, window_days=1, min_lag_days=1,
                  anchor="start", start=start, end=end, history_bins=history_bins, seasonal=None, trend=None)
    n = des.n
    a_rel = des.trig_lo - 1  # trigger start days (window_days=1, min_lag=1 -> lo = start + 1)
    cols = []
    for lo_b, hi_b in bins:
        # B on day t, A started on t - k for k in [lo_b, hi_b]: A's day s covers t in [s + lo_b, s + hi_b]
        cols.append(_coverage(a_rel + lo_b, a_rel + hi_b, n).astype(float))
    Xc = np.column_stack(cols)
    X = np.column_stack([des.X0, Xc])
    k0 = des.X0.shape[1]
    rows = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GLM(des.y, X, family=sm.families.Poisson()).fit(cov_type="HAC", cov_kwds={"maxlags": 30}, maxiter=100)
        params, bse, pv = np.asarray(fit.params), np.asarray(fit.bse), np.asarray(fit.pvalues)
    except Exception:  # noqa: BLE001
        params = bse = pv = np.full(X.shape[1], np.nan)
    for i, (lo_b, hi_b) in enumerate(bins):
        b_, s_ = params[k0 + i], bse[k0 + i]
        ok = np.isfinite(b_) and np.isfinite(s_) and Xc[:, i].any()
        rows.append({
            "lag_from": lo_b, "lag_to": hi_b,
            "rate_ratio": float(np.exp(b_)) if ok else float("nan"),
            "ci_low": float(np.exp(b_ - 1.959964 * s_)) if ok else float("nan"),
            "ci_high": float(np.exp(b_ + 1.959964 * s_)) if ok else float("nan"),
            "p_value": float(pv[k0 + i]) if ok else float("nan"),
        })
    return pd.DataFrame(rows)


def holm(pvalues: Mapping[str, float]) -> dict[str, float]:
    """Holm-Bonferroni adjusted p-values of a family of tests (NaNs are left out and stay NaN).

    Parameters
    ----------
    pvalues
        Test name -> raw p-value.

    Returns
    -------
    dict
        Test name -> adjusted p-value (monotone in the raw order, capped at 1), same keys.
    """
    names = [k for k, v in pvalues.items() if v is not None and np.isfinite(v)]
    raw = np.array([pvalues[k] for k in names], dtype=float)
    m = raw.size
    out: dict[str, float] = {k: float("nan") for k in pvalues}
    if m == 0:
        return out
    order = np.argsort(raw, kind="stable")
    adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * raw[order]))
    for i, j in enumerate(order):
        out[names[j]] = float(adj[i])
    return out


# --------------------------------------------------------------------------------------------------
# Verdicts and the results of notebook 03
# --------------------------------------------------------------------------------------------------

Verdict = Literal["response", "co-movement", "none", "untestable"]


def direction_verdict(p_adjusted: float, placebo_p: float, alpha: float = 0.05) -> Verdict:
    """What may be said of one direction A -> B.

    - ``"response"``: B's excess after A's triggers is significant after Holm adjustment and B shows
      no significant excess *before* them (the placebo);
    - ``"co-movement"``: B's excess before A's triggers is significant too (leads as strong as lags):
      the sides move together and no direction can be read;
    - ``"none"``: no excess beyond what calendar, trend and B's own history give;
    - ``"untestable"``: too few events for a p-value.
    """
    if p_adjusted is None or not np.isfinite(p_adjusted):
        return "untestable"
    placebo_sig = placebo_p is not None and np.isfinite(placebo_p) and placebo_p < alpha
    if placebo_sig:
        return "co-movement"
    return "response" if p_adjusted < alpha else "none"


def direction_results(
    test: ResponseTest,
    placebo: ResponseTest,
    *,
    median_lag_days: float,
    mean_lag_days: float,
    lag_counts: Mapping[str, int],
    circular: CircularExact,
    within_year: Mapping[str, Any] | None = None,
    without_reported: ResponseTest | None = None,
    n_reported_dropped: int = 0,
) -> dict[str, Any]:
    """The JSON entry of one direction in ``03_tit_for_tat.json`` (before the Holm adjustment).

    The top-level ``p_value`` is the headline test's; the response rate's ``null_response_rate`` and
    ``null_interval`` come from the same month-block null. The circular-shift and within-year nulls are
    kept under ``diagnostics``; they are not calibrated when both sides share a calendar.
    """
    out: dict[str, Any] = {
        "trigger_side": test.side_a,
        "response_side": test.side_b,
        "n_triggers": test.n_triggers,
        "n_responded": test.n_responded,
        "response_rate": test.response_rate,
        "null_response_rate": test.null_response_rate,
        "null_interval": list(test.null_response_interval),
        "response_rate_p_value": test.response_rate_p_value,
        "excess_ratio": test.excess_ratio,
        "null_excess_interval": list(test.null_excess_interval),
        "observed_in_windows": test.observed_in_windows,
        "expected_in_windows": test.expected_in_windows,
        "rate_ratio": test.rate_ratio,
        "rate_ratio_ci": [test.ci_low, test.ci_high],
        "rate_ratio_p_value": test.rate_ratio_p_value,
        "p_value": test.p_value,
        "test": test.to_dict()["test"],
        "placebo": {
            "window": f"{test.side_b} events {test.min_lag_days}-{test.window_days} days before {test.side_a}'s triggers",
            "excess_ratio": placebo.excess_ratio, "null_excess_interval": list(placebo.null_excess_interval),
            "p_value": placebo.p_value,
        },
        "median_lag_days": median_lag_days,
        "mean_lag_days": mean_lag_days,
        "lag_counts": dict(lag_counts),
        "diagnostics": {"circular_exact": circular.to_dict()},
        "note": test.note,
    }
    if within_year is not None:
        out["diagnostics"]["within_year"] = dict(within_year)
    if without_reported is not None:
        out["without_reported_responses"] = {
            "n_rows_dropped": n_reported_dropped, "n_triggers": without_reported.n_triggers,
            "response_rate": without_reported.response_rate,
            "null_response_rate": without_reported.null_response_rate,
            "excess_ratio": without_reported.excess_ratio, "p_value": without_reported.p_value,
        }
    return to_jsonable(out)


def adjust_tit_for_tat(results: dict[str, Any], alpha: float = 0.05) -> dict[str, Any]:
    """Holm-adjust every p-value of a ``03_tit_for_tat`` results dict in place and add the verdicts.

    The family is every p-value the notebook reports: per direction the headline, the placebo, the
    response rate against the block null, the two diagnostics and the run without reported responses;
    then the chain and transition tests. Each gets a ``p_holm`` beside it (``holm`` maps test names to
    adjusted values); each direction gets ``verdict`` from :func:`direction_verdict`.
    """
    raw: dict[str, float] = {}
    for name, d in results["directions"].items():
        raw[f"{name}: headline"] = d.get("p_value")
        raw[f"{name}: placebo"] = d["placebo"].get("p_value")
        raw[f"{name}: response rate"] = d.get("response_rate_p_value")
        for k, v in d.get("diagnostics", {}).items():
            raw[f"{name}: diagnostic {k}"] = v.get("p_value")
        if "without_reported_responses" in d:
            raw[f"{name}: without reported responses"] = d["without_reported_responses"].get("p_value")
        if "hawkes_check" in d:
            raw[f"{name}: Hawkes cross-check"] = d["hawkes_check"].get("lr_p_value")
    if results.get("chains") and results["chains"].get("p_value") is not None:
        raw["chains"] = results["chains"]["p_value"]
    if results.get("transitions") and results["transitions"].get("p_value") is not None:
        raw["transitions"] = results["transitions"]["p_value"]
    raw = {k: (float(v) if v is not None else float("nan")) for k, v in raw.items()}
    adj = holm(raw)
    for name, d in results["directions"].items():
        d["p_holm"] = adj[f"{name}: headline"]
        d["placebo"]["p_holm"] = adj[f"{name}: placebo"]
        d["response_rate_p_holm"] = adj[f"{name}: response rate"]
        for k, v in d.get("diagnostics", {}).items():
            v["p_holm"] = adj[f"{name}: diagnostic {k}"]
        if "without_reported_responses" in d:
            d["without_reported_responses"]["p_holm"] = adj[f"{name}: without reported responses"]
        if "hawkes_check" in d:
            d["hawkes_check"]["lr_p_holm"] = adj[f"{name}: Hawkes cross-check"]
        d["verdict"] = direction_verdict(d["p_holm"], d["placebo"]["p_value"], alpha)
    if "chains" in raw:
        results["chains"]["p_holm"] = adj["chains"]
    if "transitions" in raw:
        results["transitions"]["p_holm"] = adj["transitions"]
    results["n_tests"] = int(sum(np.isfinite(v) for v in raw.values()))
    results["multiple_testing"] = {"method": "Holm", "family": sorted(raw), "alpha": alpha}
    return to_jsonable(results)


def expected_counts(
    events: pd.DataFrame,
    side: str,
    *,
    actions: str | Iterable[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    history_bins: Sequence[tuple[int, int]] = (),
) -> pd.DataFrame:
    """One side's daily counts and the counts its own Poisson model expects.

    The model has the calendar terms of :func:`response_test` (month of year and calendar year when the
    period is at least two years long) and, when ``history_bins`` is given, the side's own-history terms.

    Returns
    -------
    DataFrame
        Indexed by date: ``observed`` and ``expected``.
    """
    des = _design(events, side, side, actions_a=actions, actions_b=actions, window_days=1, min_lag_days=1,
                  anchor="start", start=start, end=end, history_bins=history_bins, seasonal=None, trend=None)
    mu = _poisson_irls(des.X0, des.y)
    idx = pd.DatetimeIndex(np.arange(des.d0, des.d0 + des.n).astype("datetime64[D]").astype("datetime64[ns]"), name="date")
    return pd.DataFrame({"observed": des.y, "expected": mu}, index=idx)


# --------------------------------------------------------------------------------------------------
# A second model: a linear bivariate Hawkes process on daily counts (the cross-check)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class HawkesResult:
    """Linear Hawkes model of B's daily counts with a calendar baseline, own and cross excitation.

    ``lambda_t = c * m_t + a_bb * sum_k g_bb(k) y_{t-k} + a_ab * sum_k g_ab(k) x_{t-k}``, where ``m_t`` is
    B's calendar-only Poisson fit (month of year, calendar year), ``x`` A's event starts, ``y`` B's events
    and ``g`` geometric kernels on lags 1, 2, ... (``g(k) = (1 - r) r^(k-1)``, mean lag ``1 / (1 - r)``).

    Attributes
    ----------
    branching_ab, branching_ab_ci
        Expected number of B events set off by one A event (the cross branching ratio) and its 95% Wald
        interval (from the observed information, on the log scale).
    branching_bb
        B's own branching ratio (self-excitation).
    mean_lag_ab
        Mean lag of the cross kernel, in days.
    lr_statistic, lr_p_value
        Likelihood-ratio test of ``a_ab = 0`` (boundary: p from the 50:50 mixture of chi-square 0 and 1).
        Asymptotic and not calibrated by the slow tests: a cross-check of the headline test's direction
        and size, not a substitute for it.
    """

    side_a: str
    side_b: str
    branching_ab: float
    branching_ab_ci: tuple[float, float]
    branching_bb: float
    mean_lag_ab: float
    baseline_scale: float
    lr_statistic: float
    lr_p_value: float
    converged: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers."""
        return to_jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})

    def summary(self) -> str:
        """A readable line."""
        lo, hi = self.branching_ab_ci
        return (f"Hawkes check {self.side_a}->{self.side_b}: {self.branching_ab:.3f} {self.side_b} events set off per "
                f"{self.side_a} event [95% CI {lo:.3f}-{hi:.3f}], mean lag {self.mean_lag_ab:.1f} days; "
                f"own branching {self.branching_bb:.2f}; LR test p = {self.lr_p_value:.3g}")


def _geometric_filter(counts: np.ndarray, r: float) -> np.ndarray:
    """``sum_{k>=1} (1 - r) r^(k-1) counts[t-k]`` for every t (a first-order recursive filter)."""
    from scipy.signal import lfilter

    shifted = np.concatenate([[0.0], counts[:-1]])
    return lfilter([1.0 - r], [1.0, -r], shifted)


def hawkes_check(
    events: pd.DataFrame,
    side_a: str,
    side_b: str,
    *,
    actions_a: str | Iterable[str] | None = None,
    actions_b: str | Iterable[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> HawkesResult:
    """Fit the linear bivariate Hawkes model of :class:`HawkesResult` by maximum likelihood (scipy).

    A maintained Hawkes library would be preferable; none installs and fits here (``tick``'s learners fail
    with current numpy, the others are unmaintained), so the model is fitted directly: five parameters
    on a log scale with L-BFGS-B, the kernels as recursive filters (no loop over events).
    """
    from scipy.optimize import minimize
    from scipy.stats import chi2

    exp = expected_counts(events, side_b, actions=actions_b, start=start, end=end)
    y = exp["observed"].to_numpy(float)
    m = np.maximum(exp["expected"].to_numpy(float), 1e-10)
    d0 = int(day_numbers(exp.index[:1])[0])
    n = y.size
    x = _daily_counts(_side_days(events, side_a, actions_a)[0], d0, n)

    def unpack(theta: np.ndarray, cross: bool) -> tuple[float, float, float, float, float]:
        c, abb = np.exp(theta[0]), np.exp(theta[1])
        rbb = 1 / (1 + np.exp(-theta[2]))
        aab = np.exp(theta[3]) if cross else 0.0
        rab = 1 / (1 + np.exp(-theta[4])) if cross else 0.5
        return c, abb, rbb, aab, rab

    def nll(theta: np.ndarray, cross: bool) -> float:
        c, abb, rbb, aab, rab = unpack(theta, cross)
        lam = c * m + abb * _geometric_filter(y, rbb)
        if cross:
            lam = lam + aab * _geometric_filter(x, rab)
        lam = np.maximum(lam, 1e-12)
        return float(-(y * np.log(lam) - lam).sum())

    start0 = np.array([np.log(0.7), np.log(0.3), 0.0, np.log(0.05), 0.0])
    null_fit = minimize(nll, start0[:3], args=(False,), method="L-BFGS-B")
    full_fit = minimize(nll, np.concatenate([null_fit.x, start0[3:]]), args=(True,), method="L-BFGS-B")
    c, abb, rbb, aab, rab = unpack(full_fit.x, True)
    # Wald interval for log(a_ab) from a numerical Hessian of the negative log-likelihood
    h = 1e-3
    k = full_fit.x.size
    H = np.zeros((k, k))
    f0 = nll(full_fit.x, True)
    for i in range(k):
        for j in range(i, k):
            ei, ej = np.eye(k)[i] * h, np.eye(k)[j] * h
            H[i, j] = H[j, i] = (nll(full_fit.x + ei + ej, True) - nll(full_fit.x + ei, True)
                                 - nll(full_fit.x + ej, True) + f0) / h ** 2
    try:
        se = float(np.sqrt(np.linalg.inv(H)[3, 3]))
    except np.linalg.LinAlgError:
        se = float("nan")
    if not np.isfinite(se):
        se = float("nan")
    ci = (float(np.exp(full_fit.x[3] - 1.959964 * se)), float(np.exp(full_fit.x[3] + 1.959964 * se)))
    lr = max(0.0, 2 * (null_fit.fun - full_fit.fun))
    p = float(0.5 * chi2.sf(lr, 1)) if lr > 0 else 1.0
    return HawkesResult(side_a=side_a, side_b=side_b, branching_ab=float(aab), branching_ab_ci=ci,
                        branching_bb=float(abb), mean_lag_ab=float(1 / (1 - rab)), baseline_scale=float(c),
                        lr_statistic=float(lr), lr_p_value=p, converged=bool(full_fit.success and null_fit.success))
