"""Event frequencies: counts and rates per period and group, and tests of a change of pace.

Events are counted once, on their start ``date`` (a two-week exercise is one event in the month it
begins). Periods with no events are kept as rows of zeros, so a table or chart never hides a quiet
year. Column order is fixed (sides DPRK, ALLIANCE, OTHER; actions in codebook order; anything else
alphabetically), so it does not depend on the order of the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from titfortat.results import to_jsonable
from titfortat.events.schema import analysis_period

__all__ = [
    "ACTION_ORDER",
    "SIDE_ORDER",
    "PaceChange",
    "count_events",
    "exposure_days",
    "order_values",
    "pace_change",
    "rates",
]

SIDE_ORDER: tuple[str, ...] = ("DPRK", "ALLIANCE", "OTHER")
ACTION_ORDER: tuple[str, ...] = (
    "missile_launch", "satellite_launch", "nuclear_test", "artillery_fire", "weapons_test",
    "weapons_inspection", "military_parade", "military_drill", "joint_exercise",
    "strategic_asset_deployment", "troop_deployment", "sanctions", "summit", "agreement",
    "suspension", "diplomatic_visit", "statement",
)
_KNOWN_ORDER = {v: i for i, v in enumerate(SIDE_ORDER + ACTION_ORDER)}
Freq = Literal["Y", "Q", "M"]
_SEP = "/"


def order_values(values: Iterable[Any]) -> list[Any]:
    """Sort group values in the package's fixed order: sides, then actions (codebook order), then the rest alphabetically."""
    uniq = set(values)
    return sorted(uniq, key=lambda v: (0, _KNOWN_ORDER[v], "") if v in _KNOWN_ORDER else (1, 0, str(v)))


def _by_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _labels(events: pd.DataFrame, by: list[str]) -> pd.Series:
    if not by:
        return pd.Series("all", index=events.index, dtype="str")
    if len(by) == 1:
        return events[by[0]].astype("str")
    parts = [events[c].astype("str") for c in by]
    out = parts[0]
    for p in parts[1:]:
        out = out + _SEP + p
    return out


def _column_order(events: pd.DataFrame, by: list[str]) -> list[str]:
    if not by:
        return ["all"]
    combos = events[by].astype("str").drop_duplicates()
    keys = [tuple(r) for r in combos.itertuples(index=False, name=None)]
    orders = [{v: i for i, v in enumerate(order_values(combos[c]))} for c in by]
    keys.sort(key=lambda k: tuple(o[v] for o, v in zip(orders, k, strict=True)))
    return [_SEP.join(k) for k in keys]


def _filtered(events: pd.DataFrame, actions: str | Iterable[str] | None, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.DataFrame:
    keep = (events["date"] >= lo) & (events["date"] <= hi)
    if actions is not None:
        keep &= events["action"].isin([actions] if isinstance(actions, str) else list(actions))
    return events.loc[keep]


def count_events(
    events: pd.DataFrame,
    by: str | Sequence[str] | None = ("side",),
    freq: Freq = "Y",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    actions: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Number of events per period (rows) and group (columns).

    Parameters
    ----------
    events
        Events frame; never modified. Events are counted on their start ``date``.
    by
        Column(s) to group by (``"side"``, ``"action"``, ``("side", "action")`` ...); with several
        columns the labels are joined with ``"/"`` (``"DPRK/missile_launch"``). ``None`` or ``()``
        gives one column ``"all"``.
    freq
        ``"Y"`` (calendar years), ``"Q"`` (quarters) or ``"M"`` (months).
    start, end
        Inclusive period; ``None``: the whole calendar years the data span. Every period in
        ``[start, end]`` is a row, with zeros when nothing happened.
    actions
        Keep only these actions (``None``: all).

    Returns
    -------
    DataFrame
        Integer counts, a ``PeriodIndex`` named ``period``, columns in the fixed order
        (see :func:`order_values`).
    """
    if freq not in ("Y", "Q", "M"):
        raise ValueError(f"freq must be 'Y', 'Q' or 'M', got {freq!r}")
    by_cols = _by_list(by)
    lo, hi = analysis_period(events, start, end)
    sel = _filtered(events, actions, lo, hi)
    index = pd.period_range(lo.to_period(freq), hi.to_period(freq), freq=freq, name="period")
    # columns: every group value of the (action-filtered) data, also those absent in [start, end]
    columns = _column_order(_filtered(events, actions, pd.Timestamp.min, pd.Timestamp.max), by_cols)
    if sel.empty:
        return pd.DataFrame(0, index=index, columns=pd.Index(columns if by_cols else ["all"], dtype="str"), dtype="int64")
    table = (
        pd.DataFrame({"period": sel["date"].dt.to_period(freq), "group": _labels(sel, by_cols)})
        .groupby(["period", "group"], observed=True)
        .size()
        .unstack("group", fill_value=0)
    )
    table = table.reindex(index=index, columns=columns, fill_value=0).astype("int64")
    table.columns = pd.Index(columns, dtype="str", name=_SEP.join(by_cols) if by_cols else None)
    return table


def exposure_days(index: pd.PeriodIndex, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Days of each period that lie inside ``[start, end]`` (partial first and last periods)."""
    p_start = index.start_time.normalize()
    p_end = index.end_time.normalize()
    lo = np.maximum(p_start.values, np.datetime64(start, "ns"))
    hi = np.minimum(p_end.values, np.datetime64(end, "ns"))
    days = ((hi - lo) / np.timedelta64(1, "D")).astype(np.int64) + 1
    return pd.Series(np.maximum(days, 0), index=index, name="exposure_days")


def rates(
    events: pd.DataFrame,
    by: str | Sequence[str] | None = ("side",),
    freq: Freq = "Y",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    actions: str | Iterable[str] | None = None,
    per: Literal["30d", "year"] = "30d",
) -> pd.DataFrame:
    """Events per 30 days or per year, per period and group.

    Same arguments as :func:`count_events`, plus ``per``. Each count is divided by the number of
    days of its period inside ``[start, end]`` (so a partial first or last period is not diluted)
    and multiplied by 30 (``per="30d"``) or 365.25 (``per="year"``).

    Returns
    -------
    DataFrame
        Float rates, same shape as :func:`count_events`.
    """
    if per not in ("30d", "year"):
        raise ValueError(f"per must be '30d' or 'year', got {per!r}")
    counts = count_events(events, by=by, freq=freq, start=start, end=end, actions=actions)
    lo, hi = analysis_period(events, start, end)
    days = exposure_days(counts.index, lo, hi)  # type: ignore[arg-type]
    scale = 30.0 if per == "30d" else 365.25
    return counts.div(days.replace(0, np.nan), axis=0) * scale


@dataclass(frozen=True, eq=False)
class PaceChange:
    """Change of event rate between two periods, per group, with an exact conditional test.

    Under equal rates, the number of events in period 2 given the total ``n1 + n2`` is binomial with
    ``p0 = T2 / (T1 + T2)`` (``T`` = exposure days). The two-sided p-value is the exact binomial
    test's; the rate-ratio CI converts the Clopper-Pearson interval of ``p`` with
    ``RR = p / (1 - p) * T1 / T2``.

    Attributes
    ----------
    table
        One row per group (plus ``"all"``): ``group``, ``n1``, ``n2``, ``days1``, ``days2``,
        ``rate1``, ``rate2`` (per 30 days), ``rate_ratio`` (period 2 / period 1), ``ci_low``,
        ``ci_high``, ``p_value``.
    period1, period2
        The inclusive periods ``(start, end)``.
    by
        The grouping column(s).
    """

    table: pd.DataFrame
    period1: tuple[pd.Timestamp, pd.Timestamp]
    period2: tuple[pd.Timestamp, pd.Timestamp]
    by: tuple[str, ...]
    conf_level: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready periods and table."""
        return to_jsonable(
            {
                "by": list(self.by),
                "period1": list(self.period1),
                "period2": list(self.period2),
                "conf_level": self.conf_level,
                "groups": self.table,
            }
        )

    def summary(self) -> str:
        """A readable table."""
        head = (
            f"Pace change: {self.period1[0].date()}..{self.period1[1].date()} vs "
            f"{self.period2[0].date()}..{self.period2[1].date()} (rates per 30 days; exact conditional test)"
        )
        rows = [head]
        for r in self.table.itertuples(index=False):
            rows.append(
                f"  {r.group:<30} {r.n1:>5} -> {r.n2:>5}   {r.rate1:7.3f} -> {r.rate2:7.3f}   "
                f"RR {r.rate_ratio:7.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}]  p = {r.p_value:.4g}"
            )
        return "\n".join(rows)


def _ratio_test(n1: int, n2: int, t1: float, t2: float, conf: float) -> tuple[float, float, float, float]:
    n = n1 + n2
    rr = (n2 / t2) / (n1 / t1) if n1 > 0 else (np.inf if n2 > 0 else np.nan)
    if n == 0:
        return float(rr), np.nan, np.nan, np.nan
    p0 = t2 / (t1 + t2)
    test = stats.binomtest(n2, n, p0)
    ci = test.proportion_ci(confidence_level=conf, method="exact")
    odds = lambda p: np.inf if p >= 1 else p / (1 - p)  # noqa: E731
    return float(rr), float(odds(ci.low) * t1 / t2), float(odds(ci.high) * t1 / t2), float(test.pvalue)


def pace_change(
    events: pd.DataFrame,
    split_date: str | pd.Timestamp | None = None,
    *,
    periods: tuple[tuple[Any, Any], tuple[Any, Any]] | None = None,
    by: str | Sequence[str] | None = "side",
    actions: str | Iterable[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    conf_level: float = 0.95,
) -> PaceChange:
    """Did the pace change? Rates before and after a split date (or in two periods), per group.

    Parameters
    ----------
    events
        Events frame; never modified. Events count on their start ``date``.
    split_date
        Period 1 is ``[start, split_date - 1 day]``, period 2 ``[split_date, end]``.
    periods
        Instead of ``split_date``: ``((start1, end1), (start2, end2))``, inclusive.
    by
        Grouping column(s) (``None``: only the total).
    actions
        Keep only these actions.
    start, end
        With ``split_date``: the outer bounds (``None``: whole calendar years of the data).
    conf_level
        Confidence level of the rate-ratio interval.

    Returns
    -------
    PaceChange
        Counts, exposure days, rates, rate ratio, exact CI and p-value per group.
    """
    if (split_date is None) == (periods is None):
        raise ValueError("give exactly one of split_date or periods")
    if periods is not None:
        (a0, a1), (b0, b1) = ((pd.Timestamp(x), pd.Timestamp(y)) for x, y in periods)
    else:
        lo, hi = analysis_period(events, start, end)
        split = pd.Timestamp(split_date)
        a0, a1, b0, b1 = lo, split - pd.Timedelta(days=1), split, hi
    for s, e in ((a0, a1), (b0, b1)):
        if e < s:
            raise ValueError(f"empty period {s.date()}..{e.date()}")
    t1 = float((a1 - a0).days + 1)
    t2 = float((b1 - b0).days + 1)
    by_cols = _by_list(by)
    sel1 = _filtered(events, actions, a0, a1)
    sel2 = _filtered(events, actions, b0, b1)
    groups = _column_order(pd.concat([sel1, sel2]), by_cols) if by_cols else []
    c1 = _labels(sel1, by_cols).value_counts() if by_cols else pd.Series(dtype="int64")
    c2 = _labels(sel2, by_cols).value_counts() if by_cols else pd.Series(dtype="int64")
    rows = []
    for g, n1, n2 in [*((g, int(c1.get(g, 0)), int(c2.get(g, 0))) for g in groups), ("all", len(sel1), len(sel2))]:
        rr, lo_ci, hi_ci, p = _ratio_test(n1, n2, t1, t2, conf_level)
        rows.append(
            {
                "group": g, "n1": n1, "n2": n2, "days1": int(t1), "days2": int(t2),
                "rate1": n1 / t1 * 30.0, "rate2": n2 / t2 * 30.0,
                "rate_ratio": rr, "ci_low": lo_ci, "ci_high": hi_ci, "p_value": p,
            }
        )
    table = pd.DataFrame(rows)
    table["group"] = table["group"].astype("str")
    return PaceChange(table=table, period1=(a0, a1), period2=(b0, b1), by=tuple(by_cols), conf_level=conf_level)
