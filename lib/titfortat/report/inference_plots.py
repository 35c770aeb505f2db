"""Figures of the response inference: lag profile (impulse response), cross-correlogram, event study.

Each function takes the library's result tables, an optional ``ax=``, draws, and returns the Axes; none
calls ``plt.show()``. Titles and labels say what is counted and over which window.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from titfortat.report.plots import SIDE_COLORS

__all__ = ["correlogram", "event_study_plot", "impulse_response"]

_NULL = "#555555"


def _ax(ax: Axes | None, size: tuple[float, float] = (8.0, 4.2)) -> Axes:
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=size)
    return new


def impulse_response(profile: pd.DataFrame, ax: Axes | None = None, *, side_a: str = "A", side_b: str = "B",
                     color: str | None = None) -> Axes:
    """Model-adjusted rate ratios of B's events by days from A's events (leads < 0 < lags), with 95% CIs.

    Parameters
    ----------
    profile
        :func:`titfortat.stats.inference.lag_profile` output (``lag_from``, ``lag_to``, ``rate_ratio``,
        ``ci_low``, ``ci_high``).
    """
    ax = _ax(ax)
    color = color or SIDE_COLORS.get(side_b, "#333333")
    mid = (profile["lag_from"] + profile["lag_to"]) / 2
    half = (profile["lag_to"] - profile["lag_from"]) / 2
    rr = profile["rate_ratio"].to_numpy(float)
    lo, hi = profile["ci_low"].to_numpy(float), profile["ci_high"].to_numpy(float)
    ok = np.isfinite(rr)
    lead = mid < 0
    for sel, c, lab in ((lead & ok, "0.55", f"{side_b} before {side_a} (placebo)"),
                        (~lead & ok, color, f"{side_b} after {side_a}")):
        ax.errorbar(mid[sel], rr[sel], xerr=half[sel], yerr=[rr[sel] - lo[sel], hi[sel] - rr[sel]], fmt="o",
                    color=c, ecolor=c, capsize=3, label=lab)
    ax.axhline(1.0, color="0.4", linestyle="--", linewidth=1)
    ax.axvline(0.0, color="0.7", linewidth=1)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(plt.NullFormatter())
    ax.set_xlabel(f"days from the start of {side_a}'s event (negative: {side_b} came first)")
    ax.set_ylabel("rate ratio vs own model (log; 95% HAC CI)")
    ax.set_title(f"{side_b} events around {side_a} events, adjusted for calendar, trend and {side_b}'s own history",
                 fontsize="medium")
    ax.legend(frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def correlogram(ccf: pd.DataFrame, ax: Axes | None = None, *, side_a: str = "A", side_b: str = "B",
                color: str | None = None) -> Axes:
    """Cross-correlation of daily counts at leads and lags with the block-permutation 95% band.

    Parameters
    ----------
    ccf
        :func:`titfortat.stats.inference.cross_correlogram` output (index ``lag_days``; ``ccf``,
        ``null_lo``, ``null_hi``, ``null_mean``).
    """
    ax = _ax(ax)
    color = color or SIDE_COLORS.get(side_b, "#333333")
    lags = ccf.index.to_numpy()
    ax.fill_between(lags, ccf["null_lo"], ccf["null_hi"], color=_NULL, alpha=0.2, step="mid",
                    label="null: A shifted within months, 95%")
    ax.plot(lags, ccf["null_mean"], color=_NULL, linewidth=1, drawstyle="steps-mid", label="null mean")
    ax.vlines(lags, 0, ccf["ccf"], color=color, linewidth=2)
    ax.plot(lags, ccf["ccf"], "o", color=color, markersize=3, label="observed")
    ax.axhline(0, color="0.4", linewidth=0.8)
    ax.axvline(0, color="0.7", linewidth=0.8)
    ax.set_xlabel(f"lag in days (positive: {side_b} after {side_a}; negative: {side_b} before {side_a})")
    ax.set_ylabel("correlation of daily counts")
    ax.set_title(f"Cross-correlogram of {side_a} and {side_b} daily event counts", fontsize="medium")
    ax.legend(frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def event_study_plot(study: Any, ax: Axes | None = None, *, color: str | None = None) -> Axes:
    """Excess of response-side events per exercise by day relative to the exercise's start or end.

    Parameters
    ----------
    study
        :class:`titfortat.stats.exercises.EventStudyResult` (its ``table``: ``rel_day``, ``excess``,
        ``ci_low``, ``ci_high``) or the table itself.
    """
    ax = _ax(ax)
    table = study.table if hasattr(study, "table") else study
    color = color or SIDE_COLORS["DPRK"]
    x = table["rel_day"].to_numpy()
    ax.fill_between(x, table["ci_low"], table["ci_high"], color=color, alpha=0.2, step="mid", label="95% CI (bootstrap over exercises)")
    ax.plot(x, table["excess"], drawstyle="steps-mid", color=color, label="observed - expected")
    ax.axhline(0, color="0.4", linestyle="--", linewidth=1)
    ax.axvline(0, color="0.6", linewidth=1)
    anchor = getattr(study, "anchor", "start")
    ax.set_xlabel(f"days from the exercise's {anchor} (negative: before)")
    ax.set_ylabel("events per exercise-day above the calendar model")
    ax.legend(frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return ax
