"""Synthetic worlds built like the real data, for calibrating the tests of :mod:`titfortat.stats.inference`.

A *world* is two streams of daily events, the alliance (side ``ALLIANCE``) and North Korea (side
``DPRK``), over whole calendar years, with the features that break naive response tests:

- **shared seasons**: both sides' rates are multiplied in the same months (by default March and
  August, x3), either as a step over the calendar month (``season_shape="month"``) or as a smooth
  bump centred in the month (``season_shape="bump"``, a Gaussian of ``bump_sd_days``);
- **shared busy and quiet years**: a log-normal factor per year (``year_sd``), shared by both sides
  with correlation ``year_corr`` (1 = the same factor), so that intensity varies by a factor of 2-3
  across years; optionally a smooth shared **regime** that is not aligned with calendar years
  (an AR(1) log-intensity with ``regime_sd`` and ``regime_days``);
- **self-excitation**: each event raises its own side's rate over the next days (branching ratios
  ``branching_a`` and ``branching_b``, geometric lag kernels), so launches come in bursts, and a launch
  day may carry several launches (``multi_launch``);
- **multi-day exercises**: a share of the alliance's events in the season months are exercises lasting
  ``exercise_days`` days;
- **planted one-way responses**: with ``response="ALLIANCE->DPRK"`` each alliance event (exercise start
  or show of force) is answered by a North Korean event with probability ``response_prob`` at a lag drawn
  uniformly from ``response_lags`` days; ``"DPRK->ALLIANCE"`` plants the reverse; ``None`` plants none
  (the two sides then share only the calendar).

:func:`simulate_world` returns an events frame in the loader's contract (the eight core columns plus
``side`` and ``duration_days``), so every analysis runs on it unchanged. The day loop is over days,
not events (about 7,000 iterations for 20 years), and costs a few milliseconds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["WorldSpec", "simulate_world", "WORLD_PRESETS"]

Direction = Literal["ALLIANCE->DPRK", "DPRK->ALLIANCE"]


@dataclass(frozen=True)
class WorldSpec:
    """Settings of one family of synthetic worlds (see the module docstring).

    Rates are baseline events per day before the season, year and regime factors; the realised yearly
    counts are larger once self-excitation adds its offspring (by ``1 / (1 - branching)``).
    """

    start_year: int = 2006
    n_years: int = 20
    rate_a: float = 12 / 365
    rate_b: float = 14 / 365
    season_months: tuple[int, ...] = (3, 8)
    season_factor: float = 3.0
    season_shape: Literal["month", "bump"] = "month"
    bump_sd_days: float = 10.0
    year_sd: float = 0.45
    year_corr: float = 1.0
    regime_sd: float = 0.0
    regime_days: float = 90.0
    branching_a: float = 0.3
    branching_b: float = 0.5
    kernel_mean_a: float = 3.0
    kernel_mean_b: float = 2.5
    multi_launch: float = 0.4
    exercise_share: float = 0.5
    exercise_days: tuple[int, int] = (4, 14)
    response: Direction | None = None
    response_prob: float = 0.3
    response_lags: tuple[int, int] = (2, 4)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The settings as a plain dict (JSON-ready)."""
        return asdict(self)


#: Named settings used by the calibration tests and the README table. They vary the season's shape, the
#: year and regime structure, the burstiness and the rates, so that no one generator is tuned to.
WORLD_PRESETS: dict[str, WorldSpec] = {
    "independent_uniform": WorldSpec(season_factor=1.0, year_sd=0.0, branching_a=0.0, branching_b=0.0,
                                     multi_launch=0.0, exercise_share=0.0),
    "seasons_bursts": WorldSpec(year_sd=0.0),
    "seasons_bursts_years": WorldSpec(),
    "bump_seasons_regimes": WorldSpec(season_shape="bump", year_sd=0.3, regime_sd=0.5, regime_days=120,
                                      branching_b=0.6, rate_a=10 / 365, rate_b=12 / 365),
    "short_busy_decade": WorldSpec(n_years=10, start_year=2016, year_sd=0.55, season_factor=2.5,
                                   rate_a=16 / 365, rate_b=18 / 365, branching_b=0.55),
}


def _season_factor(days: np.ndarray, spec: WorldSpec) -> np.ndarray:
    dates = days.astype("datetime64[D]")
    month = (dates.astype("datetime64[M]").astype(np.int64) % 12) + 1
    if not spec.season_months or spec.season_factor == 1.0:
        return np.ones(days.size)
    if spec.season_shape == "month":
        return np.where(np.isin(month, spec.season_months), spec.season_factor, 1.0)
    # smooth bumps centred on the 15th of each season month, of every year
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    bump = np.zeros(days.size)
    for y in np.unique(years):
        for m in spec.season_months:
            centre = np.datetime64(f"{y:04d}-{m:02d}-15").astype("datetime64[D]").astype(np.int64)
            bump += np.exp(-0.5 * ((days - centre) / spec.bump_sd_days) ** 2)
    return 1.0 + (spec.season_factor - 1.0) * np.minimum(bump, 1.0)


def _kernel(mean: float, length: int = 30) -> np.ndarray:
    """Geometric lag kernel on lags 1..length with the given mean, normalised to sum 1."""
    p = 1.0 / max(mean, 1.0)
    k = p * (1 - p) ** np.arange(length)
    return k / k.sum()


def _self_exciting(base: np.ndarray, branching: float, kernel: np.ndarray, rng: np.random.Generator,
                   inputs: np.ndarray | None = None) -> np.ndarray:
    """Daily counts of a discrete-time Hawkes process with baseline ``base`` (loop over days)."""
    n = base.size
    counts = np.zeros(n, dtype=np.int64)
    extra = np.zeros(n + kernel.size + 1)
    add = inputs if inputs is not None else np.zeros(n, dtype=np.int64)
    for t in range(n):
        c = rng.poisson(base[t] + extra[t]) + add[t]
        counts[t] = c
        if c and branching > 0:
            extra[t + 1:t + 1 + kernel.size] += branching * c * kernel
    return counts


def _planted(trigger_days: np.ndarray, n: int, spec: WorldSpec, rng: np.random.Generator) -> np.ndarray:
    """Counts per day of responses planted after each trigger day (thinning + uniform lags)."""
    hit = trigger_days[rng.random(trigger_days.size) < spec.response_prob]
    lags = rng.integers(spec.response_lags[0], spec.response_lags[1] + 1, size=hit.size)
    d = hit + lags
    d = d[d < n]
    return np.bincount(d, minlength=n).astype(np.int64)


def simulate_world(spec: WorldSpec, seed: int) -> pd.DataFrame:
    """One synthetic world: an events frame with ``ALLIANCE`` and ``DPRK`` events.

    Parameters
    ----------
    spec
        The world's settings.
    seed
        Seed of ``numpy.random.default_rng``; the same (spec, seed) gives the same world.

    Returns
    -------
    DataFrame
        Columns ``event_id, date, end_date, actor, action, description, source, source_url, side,
        duration_days, detail, weapon_class, intensity``, sorted by date then event_id. Alliance events
        are ``joint_exercise`` (multi-day) or ``strategic_asset_deployment``; North Korean events are
        ``missile_launch`` (several rows on a multi-launch day). Planted responses are not marked.
    """
    rng = np.random.default_rng(seed)
    d0 = int(np.datetime64(f"{spec.start_year:04d}-01-01").astype("datetime64[D]").astype(np.int64))
    d1 = int(np.datetime64(f"{spec.start_year + spec.n_years:04d}-01-01").astype("datetime64[D]").astype(np.int64))
    days = np.arange(d0, d1)
    n = days.size
    season = _season_factor(days, spec)
    year_idx = (days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970) - spec.start_year
    z1 = rng.normal(size=spec.n_years)
    z2 = spec.year_corr * z1 + np.sqrt(max(0.0, 1 - spec.year_corr ** 2)) * rng.normal(size=spec.n_years)
    year_a = np.exp(spec.year_sd * z1 - spec.year_sd ** 2 / 2)[year_idx]
    year_b = np.exp(spec.year_sd * z2 - spec.year_sd ** 2 / 2)[year_idx]
    if spec.regime_sd > 0:
        phi = np.exp(-1.0 / spec.regime_days)
        eps = rng.normal(scale=spec.regime_sd * np.sqrt(1 - phi ** 2), size=n)
        reg = np.empty(n)
        reg[0] = rng.normal(scale=spec.regime_sd)
        for t in range(1, n):  # AR(1): a cheap scalar recursion over days
            reg[t] = phi * reg[t - 1] + eps[t]
        regime = np.exp(reg - spec.regime_sd ** 2 / 2)
    else:
        regime = np.ones(n)
    base_a = spec.rate_a * (1 - spec.branching_a) * season * year_a * regime
    base_b = spec.rate_b * (1 - spec.branching_b) * season * year_b * regime
    k_a, k_b = _kernel(spec.kernel_mean_a), _kernel(spec.kernel_mean_b)
    if spec.response == "DPRK->ALLIANCE":
        counts_b = _self_exciting(base_b, spec.branching_b, k_b, rng)
        b_days = np.repeat(np.arange(n), np.minimum(counts_b, 1))
        counts_a = _self_exciting(base_a, spec.branching_a, k_a, rng, inputs=_planted(b_days, n, spec, rng))
    else:
        counts_a = _self_exciting(base_a, spec.branching_a, k_a, rng)
        inputs = None
        if spec.response == "ALLIANCE->DPRK":
            inputs = _planted(np.repeat(np.arange(n), counts_a), n, spec, rng)
        counts_b = _self_exciting(base_b, spec.branching_b, k_b, rng, inputs=inputs)
    # alliance: at most one row a day (exercises and shows of force are announced per day)
    a_day = np.flatnonzero(counts_a > 0)
    in_season = np.isin((days[a_day].astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12) + 1,
                        spec.season_months) if spec.season_months else np.zeros(a_day.size, bool)
    is_ex = in_season & (rng.random(a_day.size) < spec.exercise_share)
    dur = np.where(is_ex, rng.integers(spec.exercise_days[0], spec.exercise_days[1] + 1, size=a_day.size), 1)
    # North Korea: launch days, with several launches on some days
    b_day = np.flatnonzero(counts_b > 0)
    per_day = counts_b[b_day] + (rng.random(b_day.size) < spec.multi_launch) * rng.integers(0, 3, size=b_day.size)
    b_rows = np.repeat(b_day, np.maximum(per_day, 1))
    start = np.concatenate([days[a_day], days[b_rows]])
    end = np.concatenate([days[a_day] + dur - 1, days[b_rows]])
    side = np.array(["ALLIANCE"] * a_day.size + ["DPRK"] * b_rows.size, dtype=object)
    action = np.concatenate([np.where(is_ex, "joint_exercise", "strategic_asset_deployment"),
                             np.full(b_rows.size, "missile_launch")]).astype(object)
    order = np.lexsort((np.arange(start.size), start))
    start, end, side, action = start[order], end[order], side[order], action[order]
    m = start.size
    frame = pd.DataFrame(
        {
            "event_id": [f"w{i:05d}" for i in range(m)],
            "date": start.astype("datetime64[D]").astype("datetime64[ns]"),
            "end_date": end.astype("datetime64[D]").astype("datetime64[ns]"),
            "actor": np.where(side == "ALLIANCE", "US+ROK", "DPRK").astype(object),
            "action": action,
            "description": "",
            "source": "simulated",
            "source_url": "",
            "side": side,
            "duration_days": (end - start + 1).astype(np.int64),
            "detail": "",
            "weapon_class": "",
            "intensity": 1,
        }
    )
    return frame


def with_settings(spec: WorldSpec, **changes: Any) -> WorldSpec:
    """A copy of ``spec`` with some settings changed (``dataclasses.replace``)."""
    return replace(spec, **changes)
