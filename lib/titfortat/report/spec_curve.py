"""The specification-curve figure (Simonsohn, Simmons and Nelson 2020), in the style of
:mod:`titfortat.report.plots`: it takes a figure or two Axes, returns the Axes and never shows.

Top panel: every specification's estimate with its CI, sorted by the estimate; significant ones are
filled in the colour of the responding side, the others hollow grey. Bottom panel: which value of each
choice the specification uses (one row per choice value), with the same marking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from titfortat.report.plots import SIDE_COLORS

__all__ = ["specification_curve_plot"]

_GREY = "#999999"


def specification_curve_plot(
    curve: Any,
    headline: str,
    *,
    fig: Figure | None = None,
    axes: Sequence[Axes] | None = None,
    choices: Mapping[str, Sequence[Any]] | None = None,
    null_value: float | None = 1.0,
    ylabel: str = "response rate / null mean (95% CI)",
    title: str | None = None,
) -> tuple[Axes, Axes]:
    """Draw one headline's specification curve.

    Parameters
    ----------
    curve
        A :class:`titfortat.stats.robustness.SpecificationCurve`, or its ``table`` (then ``choices``
        is required).
    headline
        Which curve (``"ALLIANCE->DPRK"`` ...).
    fig, axes
        Draw on ``axes`` (top, bottom), or on two new Axes of ``fig``, or of a new figure.
    choices
        Choice -> values for the indicator panel (default: the choices the grid varied); choices with
        a single value are left out.
    null_value
        A dashed reference line (the estimate under no response; ``None``: none).
    ylabel, title
        Labels of the top panel.

    Returns
    -------
    (top, bottom)
        The two Axes.
    """
    table = curve.table if hasattr(curve, "table") else pd.DataFrame(curve)
    if choices is None:
        if not hasattr(curve, "grid"):
            raise ValueError("specification_curve_plot: pass choices= with a table")
        choices = curve.grid.choices
    t = table[table["headline"] == headline]
    if t.empty:
        raise ValueError(f"specification_curve_plot: headline {headline!r} not in the results "
                         f"({', '.join(dict.fromkeys(table['headline']))})")
    t = t.sort_values(["estimate", "spec_id"], kind="stable", na_position="last").reset_index(drop=True)
    rows = [(c, v) for c in choices if len(choices[c]) > 1 for v in choices[c]]
    if axes is None:
        fig = fig if fig is not None else plt.figure(figsize=(11.0, 3.2 + 0.22 * len(rows)))
        gs = fig.add_gridspec(2, 1, height_ratios=[3.0, max(1.0, 0.16 * len(rows))], hspace=0.08)
        top = fig.add_subplot(gs[0])
        bottom = fig.add_subplot(gs[1], sharex=top)
    else:
        top, bottom = axes
    x = np.arange(len(t))
    sig = t["significant"].to_numpy(dtype=bool)
    color = SIDE_COLORS.get(str(t["side_b"].iloc[0]), "#D55E00")
    est = t["estimate"].to_numpy(dtype=float)
    lo = t["ci_low"].to_numpy(dtype=float)
    hi = t["ci_high"].to_numpy(dtype=float)
    top.vlines(x, lo, hi, color=np.where(sig, color, _GREY).tolist(), linewidth=0.8, alpha=0.55)
    small = 4 if len(t) > 150 else 6
    top.plot(x[sig], est[sig], "o", color=color, markersize=small)
    top.plot(x[~sig], est[~sig], "o", markerfacecolor="white", markeredgecolor=_GREY, markersize=small)
    if null_value is not None:
        top.axhline(null_value, color="0.4", linestyle="--", linewidth=1)
    top.set_ylabel(ylabel)
    top.tick_params(labelbottom=False)
    n_sig = int(sig.sum())
    alpha = getattr(curve, "alpha", None)
    top.set_title(title or f"{headline}: {len(t)} specifications sorted by estimate, {n_sig} significant")
    top.legend(handles=[
        Line2D([], [], marker="o", color=color, linestyle="", label=f"significant (one-sided p < {alpha:g})" if alpha else "significant"),
        Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor=_GREY, linestyle="", label="not significant"),
    ], frameon=False, fontsize="small", loc="upper left")
    for r, (c, v) in enumerate(rows):
        y = len(rows) - 1 - r
        on = (t[c].astype(str) == str(v)).to_numpy()
        bottom.plot(x[on & sig], np.full(int((on & sig).sum()), y), "|", color=color, markersize=7)
        bottom.plot(x[on & ~sig], np.full(int((on & ~sig).sum()), y), "|", color=_GREY, markersize=7)
    bottom.set_yticks(np.arange(len(rows))[::-1], [f"{c} = {v}" for c, v in rows], fontsize="small")
    bottom.set_ylim(-0.7, len(rows) - 0.3)
    bottom.set_xlim(-1, len(t))
    bottom.set_xlabel("specification (rank of the estimate)")
    for ax in (top, bottom):
        ax.spines[["top", "right"]].set_visible(False)
    return top, bottom
