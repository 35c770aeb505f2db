"""Plots of the workbook: each takes data and an optional ``ax=``, returns the Axes, never shows.

Colours are fixed and colour-blind friendly: sides use the Okabe-Ito palette (DPRK vermillion,
ALLIANCE blue, OTHER grey); actions use Paul Tol's "muted" palette together with distinct marker
shapes, so that no two actions differ by colour alone. :func:`save_figure` writes PNG and SVG files
that are byte-identical from run to run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from titfortat.stats.frequencies import ACTION_ORDER, SIDE_ORDER

__all__ = [
    "ACTION_STYLES",
    "SIDE_COLORS",
    "action_hatch",
    "action_style",
    "exercise_profile",
    "heatmap",
    "lag_histogram",
    "rate_ratio_forest",
    "save_figure",
    "stacked_bars_by_year",
    "swimlane",
]

# Okabe-Ito
SIDE_COLORS: dict[str, str] = {"DPRK": "#D55E00", "ALLIANCE": "#0072B2", "OTHER": "#999999"}
_OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
# Paul Tol "muted", then Paul Tol "light" (without its grey) and "bright"'s yellow-free extras: 18 distinct colours,
# so that every action of the vocabulary has a colour of its own and no panel repeats one.
_TOL_MUTED = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")
_TOL_LIGHT = ("#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#4477AA")
_PALETTE = _TOL_MUTED + _TOL_LIGHT
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">")
ACTION_STYLES: dict[str, tuple[str, str]] = {
    a: (_PALETTE[i % len(_PALETTE)], _MARKERS[(i // len(_TOL_MUTED) * 4 + i) % len(_MARKERS)])
    for i, a in enumerate(ACTION_ORDER)
}
_NEUTRAL = "#BBBBBB"
_NULL_COLOR = "#555555"


def action_style(action: str) -> tuple[str, str]:
    """``(colour, marker)`` of an action (a fixed fallback for unknown actions)."""
    return ACTION_STYLES.get(action, (_NEUTRAL, "o"))


def action_hatch(action: str) -> str:
    """Hatch of an action's bars: actions that reuse a colour of the palette get a hatch."""
    i = ACTION_ORDER.index(action) if action in ACTION_ORDER else 0
    return "" if i < len(_TOL_MUTED) else "///"


def _new_ax(ax: Axes | None, figsize: tuple[float, float] = (8.0, 4.5)) -> Axes:
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=figsize)
    return new


def _column_colors(columns: Sequence[str]) -> list[str]:
    """One colour per column, never the same twice in one call: the fixed colour of a side or action when
    it is still free, otherwise the next unused colour of the palette."""
    colors: list[str] = []
    spare = [c for c in (*_OKABE_ITO, *_PALETTE) if c not in SIDE_COLORS.values()]
    for c in columns:
        key = str(c)
        fixed = SIDE_COLORS.get(key) or ACTION_STYLES.get(key, ("",))[0]
        if not fixed and "/" in key:
            fixed = ACTION_STYLES.get(key.split("/", 1)[1], ("",))[0]
        if not fixed or fixed in colors:
            free = [x for x in spare if x not in colors]
            fixed = free[0] if free else mpl.colormaps["tab20"](len(colors) % 20)
            fixed = fixed if isinstance(fixed, str) else mpl.colors.to_hex(fixed)
        colors.append(fixed)
    return colors


def stacked_bars_by_year(
    counts: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None, ylabel: str = "Number of events"
) -> Axes:
    """Stacked bars of event counts per period (rows) and group (columns).

    Parameters
    ----------
    counts
        Output of :func:`titfortat.stats.frequencies.count_events` (rows: periods, columns: groups).
    ax
        Axes to draw on (a new figure when None).
    title, ylabel
        Labels; the default title names what is counted and the period covered.

    Returns
    -------
    Axes
    """
    ax = _new_ax(ax)
    labels = [str(p) for p in counts.index]
    x = np.arange(len(labels))
    bottom = np.zeros(len(labels))
    for col, color in zip(counts.columns, _column_colors(list(counts.columns)), strict=True):
        vals = counts[col].to_numpy(dtype=float)
        ax.bar(x, vals, bottom=bottom, color=color, label=str(col), edgecolor="white", linewidth=0.5)
        bottom += vals
    if len(labels):
        top = float(bottom.max())
        ax.set_ylim(0, top * 1.08 + 0.5)  # headroom: the tallest bar is never cut by the frame
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    step = max(1, len(labels) // 20)
    # Labels rotate as soon as they would run together: about 60 characters fit under a panel.
    crowded = sum(len(lb) + 1 for lb in labels[::step]) > 36
    ax.set_xticks(x[::step], labels[::step], rotation=45 if crowded else 0, ha="right" if crowded else "center",
                  rotation_mode="anchor")
    group = counts.columns.name or "group"
    span = f"{labels[0]}-{labels[-1]}" if labels else ""
    ax.set_title(title or f"Events per period by {group}, {span} (counted on start date)")
    ax.set_xlabel("Period")
    ax.set_ylabel(ylabel)
    if len(counts.columns) > 1 or counts.columns[0] != "all":
        ax.legend(title=group, fontsize="small", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def heatmap(
    matrix: pd.DataFrame,
    ax: Axes | None = None,
    annotate: bool = True,
    *,
    title: str | None = None,
    fmt: str | None = None,
    cbar_label: str | None = None,
) -> Axes:
    """Heat map of a labelled matrix (e.g. transition counts or standardized residuals).

    Matrices with negative values get a diverging colour map centred on 0 (``RdBu_r``), others a
    sequential one (``cividis``); NaN cells are left blank.

    Parameters
    ----------
    matrix
        Rows and columns labelled (e.g. ``TransitionResult.counts`` or ``.residuals``).
    ax
        Axes to draw on.
    annotate
        Write each cell's value.
    title, fmt, cbar_label
        Title, number format (default ``"d"`` for integers, ``".2f"`` otherwise), colour-bar label.

    Returns
    -------
    Axes
    """
    ax = _new_ax(ax, (1.2 + 0.6 * matrix.shape[1], 1.0 + 0.5 * matrix.shape[0]))
    vals = matrix.to_numpy(dtype=float)
    finite = vals[np.isfinite(vals)]
    diverging = finite.size > 0 and finite.min() < 0
    if diverging:
        lim = float(np.abs(finite).max()) or 1.0
        im = ax.imshow(np.ma.masked_invalid(vals), cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    else:
        im = ax.imshow(np.ma.masked_invalid(vals), cmap="cividis", aspect="auto")
    ax.set_xticks(np.arange(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=45, ha="right")
    ax.set_yticks(np.arange(matrix.shape[0]), [str(i) for i in matrix.index])
    ax.set_xlabel(str(matrix.columns.name or ""))
    ax.set_ylabel(str(matrix.index.name or ""))
    is_int = bool(np.all(np.equal(np.mod(finite, 1), 0))) if finite.size else True
    fmt = fmt or ("d" if is_int and not diverging else ".2f")
    if annotate:
        norm = im.norm
        for (i, j), v in np.ndenumerate(vals):
            if not np.isfinite(v):
                continue
            shade = norm(v)
            dark = shade < 0.25 or shade > 0.75 if diverging else shade < 0.5
            ax.text(j, i, format(int(v) if fmt == "d" else v, fmt), ha="center", va="center", fontsize="small",
                    color="white" if dark else "black")
    cbar = ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    cbar.set_label(cbar_label or ("Adjusted standardized residual" if diverging else "Count"))
    if title is None:
        if matrix.index.name == "from":
            title = ("Adjusted standardized residuals of consecutive-event transitions" if diverging
                     else "Counts of consecutive-event transitions (row: first event, column: next event)")
        else:
            title = f"{matrix.index.name or 'rows'} by {matrix.columns.name or 'columns'}"
    ax.set_title(title)
    return ax


def lag_histogram(
    lags: Any,
    null_band: pd.DataFrame | None = None,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    window: tuple[int, int] | None = None,
    color: str = SIDE_COLORS["DPRK"],
) -> Axes:
    """Histogram of response lags in days, with the null model's band when given.

    Parameters
    ----------
    lags
        Lags in days (array-like, NA/negative dropped), or a
        :class:`titfortat.stats.pairing.PairingResult` (its ``lag_counts`` are used).
    null_band
        ``NullResult.lag_band`` (columns ``lag_days``, ``null_mean``, ``null_lo``, ``null_hi``):
        drawn as a line (null mean) and a shaded 95% band.
    ax
        Axes to draw on.
    title, window
        Title; ``(min_lag, max_lag)`` range of the x axis (default: from the data).
    color
        Bar colour.

    Returns
    -------
    Axes
    """
    ax = _new_ax(ax)
    label = "first responses"
    if hasattr(lags, "lag_counts"):
        counts = lags.lag_counts
        window = window or (int(lags.min_lag_days), int(counts.index.max()))
        label = f"first {lags.side_b} responses to {lags.side_a}"
        title = title or (
            f"Lag from {lags.side_a} trigger ({lags.anchor}) to first {lags.side_b} event, "
            f"{lags.min_lag_days}-{lags.window_days} day window (n = {lags.n_responded} of {lags.n_triggers})"
        )
    else:
        arr = pd.to_numeric(pd.Series(lags, dtype="object"), errors="coerce").dropna().to_numpy(dtype=np.int64)
        arr = arr[arr >= 0]
        if window is None:
            if null_band is not None and len(null_band):
                window = (int(null_band["lag_days"].min()), int(null_band["lag_days"].max()))
            else:
                window = (int(arr.min()) if arr.size else 0, int(arr.max()) if arr.size else 1)
        idx = np.arange(window[0], window[1] + 1)
        counts = pd.Series(arr).value_counts().reindex(idx, fill_value=0)
    counts = counts.reindex(np.arange(window[0], window[1] + 1), fill_value=0)
    # Bars in front of the null band (seen through them), the null mean on top of both.
    ax.bar(counts.index, counts.to_numpy(), color=color, width=0.8, alpha=0.8, zorder=2, label=f"observed {label}")
    if null_band is not None and len(null_band):
        band = null_band.set_index("lag_days").reindex(counts.index)
        # One step per lag, from lag - 0.5 to lag + 0.5: centred on the bars like the bars themselves.
        edges = np.append(counts.index.to_numpy(dtype=float) - 0.5, float(counts.index[-1]) + 0.5)
        ax.stairs(band["null_hi"].to_numpy(dtype=float), edges, baseline=band["null_lo"].to_numpy(dtype=float),
                  fill=True, color=_NULL_COLOR, alpha=0.25, zorder=1, label="circular-shift null, 95% band")
        ax.stairs(band["null_mean"].to_numpy(dtype=float), edges, baseline=None, color=_NULL_COLOR, linewidth=1.5,
                  zorder=3, label="null mean")
    if len(counts) <= 21:
        ax.set_xticks(counts.index)
    else:
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("Lag (days after the trigger)")
    ax.set_ylabel("Number of triggers with first response at this lag")
    ax.set_title(title or f"Lag to first response, {window[0]}-{window[1]} days")
    ax.legend(frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def swimlane(
    events: pd.DataFrame,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    ax: Axes | None = None,
    highlight_ids: Iterable[str] | None = None,
    *,
    title: str | None = None,
) -> Axes:
    """Timeline with one lane per side: multi-day events as bars, one-day events as markers.

    Parameters
    ----------
    events
        Events frame; never modified.
    start, end
        Inclusive date range shown (default: the events' range).
    ax
        Axes to draw on.
    highlight_ids
        event_ids to ring in black (e.g. the events of the longest chain).
    title
        Title (default names the range).

    Returns
    -------
    Axes
    """
    ax = _new_ax(ax, (11.0, 3.5))
    lo = pd.Timestamp(start) if start is not None else events["date"].min()
    hi = pd.Timestamp(end) if end is not None else events["end_date"].max()
    sel = events.loc[(events["end_date"] >= lo) & (events["date"] <= hi)].sort_values(["date", "event_id"], kind="stable")
    sides = [s for s in SIDE_ORDER if s in set(sel["side"])] + sorted(set(sel["side"]) - set(SIDE_ORDER))
    lanes = {s: i for i, s in enumerate(reversed(sides))}
    hl = set(highlight_ids or ())
    multi = sel["end_date"] > sel["date"]
    used: dict[str, None] = {}
    bars: dict[str, None] = {}
    for act, grp in sel.loc[multi].groupby("action", sort=True):
        color, _ = action_style(str(act))
        for side, g2 in grp.groupby("side", sort=True):
            y = lanes[str(side)]
            starts = mpl.dates.date2num(g2["date"])
            widths = mpl.dates.date2num(g2["end_date"] + pd.Timedelta(days=1)) - starts
            edge = ["black" if e in hl else color for e in g2["event_id"]]
            ax.broken_barh(list(zip(starts, widths, strict=True)), (y - 0.3, 0.25), facecolors=color, edgecolors=edge,
                           linewidth=1.2, alpha=0.8, hatch=action_hatch(str(act)))
        bars[str(act)] = None
    # Marker size follows the density: a marker is at most as wide as one day on the axis, so that many
    # events stay separate markers instead of merging into a band.
    days = max(1.0, (hi - lo).days + 3.0)
    width_pt = ax.get_figure().get_size_inches()[0] * ax.get_position().width * 72
    day_pt = width_pt / days
    size = float(np.clip((1.6 * day_pt) ** 2, 4.0, 36.0))
    ring = float(np.clip(size * 3.0, 12.0, 110.0))
    ring_width = 1.3 if size >= 30 else 0.7
    for act, grp in sel.loc[~multi].groupby("action", sort=True):
        color, marker = action_style(str(act))
        y = grp["side"].map(lanes).to_numpy(dtype=float) + 0.1
        ax.scatter(grp["date"], y, color=color, marker=marker, s=size, edgecolors="none", zorder=3,
                   alpha=1.0 if size >= 30 else 0.85)
        used[str(act)] = None
    if hl:
        h = sel.loc[sel["event_id"].isin(hl)]
        ax.scatter(h["date"], h["side"].map(lanes).to_numpy(dtype=float) + np.where(h["end_date"] > h["date"], -0.175, 0.1),
                   s=ring, facecolors="none", edgecolors="black", linewidths=ring_width, zorder=4)
    ax.set_yticks(list(lanes.values()), list(lanes.keys()))
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_xlim(mpl.dates.date2num(lo) - 1, mpl.dates.date2num(hi) + 2)
    locator = mpl.dates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mpl.dates.ConciseDateFormatter(locator))
    ordered = [a for a in ACTION_ORDER if a in used] + sorted(set(used) - set(ACTION_ORDER))
    handles: list[Any] = [
        Line2D([], [], color=action_style(a)[0], marker=action_style(a)[1], linestyle="none", markersize=7, label=a)
        for a in ordered
    ]
    ordered_bars = [a for a in ACTION_ORDER if a in bars] + sorted(set(bars) - set(ACTION_ORDER))
    handles += [
        Patch(facecolor=action_style(a)[0], hatch=action_hatch(a), alpha=0.8, label=f"{a} (multi-day)") for a in ordered_bars
    ]
    if hl:
        handles.append(Line2D([], [], color="black", marker="o", markerfacecolor="none", linestyle="none", label="highlighted"))
    if handles:
        ax.legend(handles=handles, fontsize="small", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_xlabel("Date (KST)")
    ax.set_title(title or f"Events by side, {lo.date()} to {hi.date()} ({len(sel)} events; bars: multi-day, markers: one-day)")
    ax.grid(axis="x", color="#EEEEEE")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def exercise_profile(windows_table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Response-side events per day before, during and after exercises.

    Bars: pooled rate per window (all events / all window days); dots: each exercise's own rate
    (deterministic horizontal spread).

    Parameters
    ----------
    windows_table
        Output of :func:`titfortat.stats.exercises.exercise_windows`.
    ax
        Axes to draw on.
    title
        Title (default names the windows and the number of exercises).

    Returns
    -------
    Axes
    """
    ax = _new_ax(ax, (6.0, 4.5))
    names = ["before", "during", "after"]
    colors = ["#56B4E9", "#E69F00", "#009E73"]
    x = np.arange(3)
    pooled = []
    for w in names:
        days = windows_table[f"days_{w}"].sum()
        pooled.append(windows_table[f"n_{w}"].sum() / days if days else np.nan)
    ax.bar(x, pooled, color=colors, width=0.6, label="pooled rate")
    n = len(windows_table)
    spread = (np.arange(n) / max(n - 1, 1) - 0.5) * 0.4 if n else np.array([])
    for i, w in enumerate(names):
        ax.scatter(i + spread, windows_table[f"rate_{w}"], color="black", s=10, alpha=0.6, zorder=3,
                   label="single exercise" if i == 0 else None)
    pre = int(windows_table["days_before"].max()) if n else 0
    post = int(windows_table["days_after"].max()) if n else 0
    ax.set_xticks(x, [f"{pre} days before", "during", f"{post} days after"])
    ax.set_ylabel("Response-side events per day")
    ax.set_title(title or f"Events per day around {n} exercises (counted on start date)")
    ax.legend(frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def rate_ratio_forest(
    results: Sequence[Any], labels: Sequence[str] | None = None, ax: Axes | None = None, *, title: str | None = None
) -> Axes:
    """Forest plot of rate ratios with their 95% intervals on a log axis (one row per model).

    Parameters
    ----------
    results
        Objects or mappings with ``rate_ratio``, ``ci_low`` and ``ci_high`` (e.g. ``RateRatioResult``).
    labels
        One label per result (default: ``model`` and ``controls``).
    """
    ax = _new_ax(ax, figsize=(7.0, 0.6 * max(len(results), 2) + 1.2))

    def get(r: Any, k: str) -> Any:
        return r[k] if isinstance(r, dict) else getattr(r, k)

    rr = np.array([get(r, "rate_ratio") for r in results], dtype=float)
    lo = np.array([get(r, "ci_low") for r in results], dtype=float)
    hi = np.array([get(r, "ci_high") for r in results], dtype=float)
    if labels is None:
        labels = [f"{get(r, 'model')}, controls: {', '.join(get(r, 'controls')) or 'none'}" for r in results]
    y = np.arange(len(results))[::-1]
    ax.errorbar(rr, y, xerr=[rr - lo, hi - rr], fmt="o", color=SIDE_COLORS["DPRK"], ecolor="0.35", capsize=4)
    ax.axvline(1.0, color="0.5", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    # Plain numbers on the log axis (0.5, 1, 2, 4), not 10^0 and 2x10^0.
    finite = np.concatenate([lo, hi, [1.0]])
    finite = finite[np.isfinite(finite) & (finite > 0)]
    lo_t, hi_t = float(finite.min()), float(finite.max())
    ticks = [t for t in (0.05, 0.1, 0.2, 0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 8, 10, 20, 50, 100) if lo_t / 1.3 <= t <= hi_t * 1.3]
    ax.set_xlim(lo_t / 1.15, hi_t * 1.15)
    ax.xaxis.set_major_locator(mpl.ticker.FixedLocator(ticks))
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_yticks(y, labels)
    ax.set_xlabel("rate ratio, exercise days vs other days (log scale; 95% CI)")
    ax.set_title(title or "North Korean actions per day during exercises, relative to other days")
    return ax


def save_figure(fig: Figure, output_dir: str | os.PathLike[str], stem: str) -> list[Path]:
    """Write ``<output_dir>/<stem>.png`` (dpi 120) and ``<stem>.svg``, byte-identical across runs.

    SVG ids are salted with a fixed string (``svg.hashsalt = "titfortat"``) and the SVG date and
    PNG software metadata are left out, so the same figure always gives the same bytes.

    Returns
    -------
    list[Path]
        The PNG and SVG paths.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{stem}.png", out / f"{stem}.svg"
    with mpl.rc_context({"svg.hashsalt": "titfortat", "svg.fonttype": "path"}):
        fig.savefig(png, dpi=120, format="png", metadata={"Software": None}, bbox_inches="tight")
        fig.savefig(svg, format="svg", metadata={"Date": None}, bbox_inches="tight")
    _show_saved(fig, png)
    return [png, svg]


def _show_saved(fig: Figure, png: Path) -> None:
    """In a notebook with the inline backend, show the PNG just written and close the figure.

    Otherwise the inline backend would draw the same figure a second time at the end of the cell:
    saving it once and showing those bytes avoids rendering every figure twice. Outside IPython (scripts,
    tests) nothing happens.
    """
    if "inline" not in mpl.get_backend().lower():
        return
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:  # pragma: no cover - matplotlib-inline implies IPython
        return
    if get_ipython() is None:
        return
    data = png.read_bytes()
    width = int.from_bytes(data[16:20], "big")  # PNG IHDR width in pixels (saved at 120 dpi)
    display(Image(data=data, format="png", width=round(width * 100 / 120)))
    plt.close(fig)
