"""Circular-shift null models for response rates and lag histograms.

The question "does B follow A within N days more often than chance?" needs a null model that keeps
each stream's own clustering and volume. Here the **trigger stream stays fixed** and the **response
stream is shifted circularly** by a random number of days:

- ``mode="period"``: all responses move by the same random offset within the analysis period
  ``[start, end]`` (a day pushed past ``end`` wraps round to ``start``). The responses' spacing
  (clusters, gaps) is kept exactly; their timing relative to the triggers is randomised.
- ``mode="year"``: each calendar year's responses (the part of the year inside ``[start, end]``)
  move by their own random offset within that year. This keeps each year's volume and most of the
  seasonal calendar weight, for data where both sides' activity changes from year to year.

Only events dated inside ``[start, end]`` take part (triggers and responses alike); the default
period is the whole calendar years the data span (:func:`titfortat.events.schema.analysis_period`).
The p-value is ``(1 + #{null >= observed}) / (1 + n_permutations)`` (one-sided: more responses than
chance), so it is never 0.

All permutations are computed at once: a permutations x responses matrix of shifted days is sorted
row-wise, the rows are laid end to end with a gap wider than any window, and a single
``numpy.searchsorted`` pairs every trigger in every permutation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from titfortat.stats.pairing import Anchor, day_numbers, pair_responses, select_events, trigger_windows
from titfortat.results import to_jsonable
from titfortat.events.schema import analysis_period

__all__ = [
    "NullMode",
    "NullResult",
    "circular_shifts",
    "null_lag_band",
    "null_response_rate",
    "restrict_period",
    "year_segments",
]

NullMode = Literal["period", "year"]
_CHUNK_CELLS = 4_000_000


def restrict_period(
    events: pd.DataFrame, start: str | pd.Timestamp | None = None, end: str | pd.Timestamp | None = None
) -> tuple[pd.DataFrame, pd.Timestamp, pd.Timestamp]:
    """Events dated inside the analysis period, and the period itself.

    Parameters
    ----------
    events
        Events frame; never modified.
    start, end
        Inclusive bounds; ``None`` gives the whole calendar years the data span.

    Returns
    -------
    (events, start, end)
    """
    lo, hi = analysis_period(events, start, end)
    keep = (events["date"] >= lo) & (events["date"] <= hi)
    return events.loc[keep], lo, hi


def year_segments(days: np.ndarray, start_day: int, end_day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The calendar years of some day numbers, each clipped to ``[start_day, end_day]``.

    Returns
    -------
    (years, index, first_day, length)
        The distinct years, each day's position in them, and each year's first day and length in days
        inside the period.
    """
    years = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    uniq, inv = np.unique(years, return_inverse=True)
    y0 = (uniq - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    y1 = (uniq - 1970 + 1).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) - 1
    seg_start = np.maximum(y0, start_day)
    return uniq, inv, seg_start, np.minimum(y1, end_day) - seg_start + 1


def circular_shifts(
    days: np.ndarray,
    n_permutations: int,
    *,
    start_day: int,
    end_day: int,
    mode: NullMode = "period",
    rng: np.random.Generator | None = None,
    seed: int | None = 0,
) -> np.ndarray:
    """Randomly circularly shifted copies of a stream of day numbers.

    Parameters
    ----------
    days
        Day numbers of the stream, all within ``[start_day, end_day]``.
    n_permutations
        Number of shifted copies (rows).
    start_day, end_day
        The inclusive period (day numbers).
    mode
        ``"period"``: one offset per copy over the whole period; ``"year"``: one offset per copy
        and calendar year, each year's days wrapping within that year (clipped to the period).
    rng, seed
        Random generator, or a seed for ``numpy.random.default_rng`` when ``rng`` is None.

    Returns
    -------
    numpy.ndarray
        ``(n_permutations, len(days))`` int64 matrix of shifted days (rows not sorted).
    """
    rng = rng if rng is not None else np.random.default_rng(seed)
    d = np.asarray(days, dtype=np.int64)
    if d.size and (d.min() < start_day or d.max() > end_day):
        raise ValueError("all days must lie within [start_day, end_day]")
    if mode == "period":
        length = end_day - start_day + 1
        k = rng.integers(0, length, size=n_permutations, dtype=np.int64)
        return start_day + (d[None, :] - start_day + k[:, None]) % length
    if mode == "year":
        uniq, inv, seg_start, seg_len = year_segments(d, start_day, end_day)
        k = rng.integers(0, seg_len[None, :], size=(n_permutations, uniq.size), dtype=np.int64) if uniq.size else np.zeros(
            (n_permutations, 0), dtype=np.int64
        )
        s0 = seg_start[inv]
        return s0[None, :] + (d[None, :] - s0[None, :] + k[:, inv]) % seg_len[inv][None, :]
    raise ValueError(f"mode must be 'period' or 'year', got {mode!r}")


def _batched_first_lags(
    shifted: np.ndarray, ref: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Lag of the first response per (permutation, trigger); -1 when none. Fully vectorized."""
    n_perm, n_resp = shifted.shape
    n_trig = ref.size
    if n_resp == 0 or n_trig == 0:
        return np.full((n_perm, n_trig), -1, dtype=np.int64)
    base = int(min(shifted.min(), lo.min()))
    gap = int(max(shifted.max(), hi.max())) - base + 2
    offs = (np.arange(n_perm, dtype=np.int64) * gap)[:, None]
    flat = (np.sort(shifted, axis=1) - base + offs).ravel()
    q_lo = (lo - base)[None, :] + offs
    q_hi = (hi - base)[None, :] + offs
    idx = np.searchsorted(flat, q_lo.ravel(), side="left").reshape(n_perm, n_trig)
    safe = np.minimum(idx, flat.size - 1)
    day = flat[safe]
    ok = (idx < flat.size) & (day <= q_hi)
    return np.where(ok, day - offs + base - ref[None, :], -1)


@dataclass(frozen=True, eq=False)
class NullResult:
    """Observed response rate against its circular-shift null distribution.

    Attributes
    ----------
    observed_rate
        Share of triggers with a response in the window (observed data).
    null_mean, null_lo, null_hi
        Mean and 2.5 / 97.5 percentiles of the null response rates.
    p_value
        ``(1 + #{null >= observed}) / (1 + n_permutations)``.
    excess_ratio
        ``observed_rate / null_mean`` (NaN when the null mean is 0).
    n_triggers, n_responses
        Triggers and response candidates inside the period.
    n_permutations, mode, seed, start, end
        The null's settings.
    null_rates
        The null distribution (one rate per permutation); not in :meth:`to_dict`.
    lag_band
        Per lag day: ``observed`` count of first responses, ``null_mean`` and ``null_lo`` /
        ``null_hi`` (2.5 / 97.5 percentiles) of the null counts; for :func:`titfortat.report.plots.lag_histogram`.
    params
        The pairing parameters (sides, actions, window, anchor).
    """

    observed_rate: float
    null_mean: float
    null_lo: float
    null_hi: float
    p_value: float
    excess_ratio: float
    n_triggers: int
    n_responses: int
    n_permutations: int
    mode: str
    seed: int | None
    start: pd.Timestamp
    end: pd.Timestamp
    null_rates: np.ndarray
    lag_band: pd.DataFrame
    params: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers and settings (the null distribution and lag band are left out)."""
        return to_jsonable(
            {
                **self.params,
                "observed_rate": self.observed_rate,
                "null_mean": self.null_mean,
                "null_lo": self.null_lo,
                "null_hi": self.null_hi,
                "p_value": self.p_value,
                "excess_ratio": self.excess_ratio,
                "n_triggers": self.n_triggers,
                "n_responses": self.n_responses,
                "n_permutations": self.n_permutations,
                "mode": self.mode,
                "seed": self.seed,
                "start": self.start,
                "end": self.end,
            }
        )

    def summary(self) -> str:
        """A readable paragraph."""
        p = self.params
        return "\n".join(
            [
                f"Circular-shift null ({self.mode} mode, {self.n_permutations} permutations, seed {self.seed}), "
                f"{self.start.date()} to {self.end.date()}",
                f"  {p['side_a']} -> {p['side_b']}, window {p['min_lag_days']}-{p['window_days']} days "
                f"(anchor {p['anchor']}); {self.n_triggers} triggers, {self.n_responses} response candidates",
                f"  observed response rate {self.observed_rate:.3f}; null mean {self.null_mean:.3f} "
                f"[95% band {self.null_lo:.3f}-{self.null_hi:.3f}]; ratio {self.excess_ratio:.2f}; "
                f"one-sided p = {self.p_value:.4f}",
            ]
        )


def null_response_rate(
    events: pd.DataFrame,
    side_a: str,
    side_b: str,
    *,
    actions_a: str | Iterable[str] | None = None,
    actions_b: str | Iterable[str] | None = None,
    window_days: int = 7,
    min_lag_days: int = 1,
    anchor: Anchor = "start",
    n_permutations: int = 10_000,
    seed: int | None = 0,
    mode: NullMode = "period",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> NullResult:
    """Test the response rate of :func:`titfortat.stats.pairing.pair_responses` against a circular-shift null.

    Triggers (side A) stay where they are; the response stream (side B) is shifted circularly,
    by one random offset over the whole period (``mode="period"``) or by one offset per calendar
    year within the year (``mode="year"``). See the module docstring.

    Parameters
    ----------
    events
        Events frame; never modified.
    side_a, side_b, actions_a, actions_b, window_days, min_lag_days, anchor
        As in :func:`titfortat.stats.pairing.pair_responses`.
    n_permutations
        Number of shifted response streams.
    seed
        Seed of ``numpy.random.default_rng``.
    mode
        ``"period"`` or ``"year"``.
    start, end
        Inclusive analysis period; ``None``: the whole calendar years the data span. Only events
        dated inside it are used.

    Returns
    -------
    NullResult
        Observed rate, null mean and band, p-value, null distribution and the lag-histogram band.
    """
    if n_permutations < 1:
        raise ValueError("n_permutations must be >= 1")
    inside, lo_ts, hi_ts = restrict_period(events, start, end)
    observed = pair_responses(
        inside, side_a, side_b, actions_a=actions_a, actions_b=actions_b,
        window_days=window_days, min_lag_days=min_lag_days, anchor=anchor,
    )
    trig = select_events(inside, side_a, actions_a)
    resp = select_events(inside, side_b, actions_b)
    t_start = day_numbers(trig["date"])
    t_end = day_numbers(trig["end_date"])
    ref, lo, hi = trigger_windows(t_start, t_end, window_days=window_days, min_lag_days=min_lag_days, anchor=anchor)
    r_days = day_numbers(resp["date"])
    start_day = int(day_numbers([lo_ts])[0])
    end_day = int(day_numbers([hi_ts])[0])
    rng = np.random.default_rng(seed)
    max_lag = int(max(window_days, (hi - ref).max() if ref.size else window_days))
    obs_counts = observed.lag_counts.reindex(range(min_lag_days, max_lag + 1), fill_value=0)
    n_bins = max_lag - min_lag_days + 1
    n_trig = ref.size
    rates = np.empty(n_permutations, dtype=float)
    hist = np.zeros((n_permutations, n_bins), dtype=np.int64)
    chunk = max(1, _CHUNK_CELLS // max(1, max(r_days.size, n_trig)))
    for c0 in range(0, n_permutations, chunk):
        c1 = min(n_permutations, c0 + chunk)
        shifted = circular_shifts(r_days, c1 - c0, start_day=start_day, end_day=end_day, mode=mode, rng=rng)
        lags = _batched_first_lags(shifted, ref, lo, hi)
        ok = lags >= 0
        rates[c0:c1] = ok.mean(axis=1) if n_trig else np.nan
        rows = np.broadcast_to(np.arange(c1 - c0)[:, None], lags.shape)[ok]
        bins = np.minimum(lags[ok] - min_lag_days, n_bins - 1)
        hist[c0:c1] = np.bincount(rows * n_bins + bins, minlength=(c1 - c0) * n_bins).reshape(c1 - c0, n_bins)
    obs = observed.response_rate
    null_mean = float(np.mean(rates)) if n_trig else float("nan")
    p = float((1 + np.sum(rates >= obs - 1e-12)) / (1 + n_permutations)) if n_trig else float("nan")
    band = pd.DataFrame(
        {
            "lag_days": np.arange(min_lag_days, max_lag + 1),
            "observed": obs_counts.to_numpy(),
            "null_mean": hist.mean(axis=0),
            "null_lo": np.percentile(hist, 2.5, axis=0),
            "null_hi": np.percentile(hist, 97.5, axis=0),
        }
    )
    params = {
        "side_a": side_a,
        "side_b": side_b,
        "actions_a": list(observed.actions_a) if observed.actions_a is not None else None,
        "actions_b": list(observed.actions_b) if observed.actions_b is not None else None,
        "window_days": int(window_days),
        "min_lag_days": int(min_lag_days),
        "anchor": anchor,
    }
    return NullResult(
        observed_rate=float(obs),
        null_mean=null_mean,
        null_lo=float(np.percentile(rates, 2.5)) if n_trig else float("nan"),
        null_hi=float(np.percentile(rates, 97.5)) if n_trig else float("nan"),
        p_value=p,
        excess_ratio=float(obs / null_mean) if n_trig and null_mean > 0 else float("nan"),
        n_triggers=int(n_trig),
        n_responses=int(r_days.size),
        n_permutations=int(n_permutations),
        mode=mode,
        seed=seed,
        start=lo_ts,
        end=hi_ts,
        null_rates=rates,
        lag_band=band,
        params=params,
    )


def null_lag_band(events: pd.DataFrame, side_a: str, side_b: str, **kwargs: Any) -> pd.DataFrame:
    """The null expectation of the lag histogram (see :attr:`NullResult.lag_band`).

    Takes the arguments of :func:`null_response_rate` and returns its ``lag_band`` table: per lag
    day the observed count of first responses, the null mean count and its 2.5 / 97.5 percentiles.
    """
    return null_response_rate(events, side_a, side_b, **kwargs).lag_band
