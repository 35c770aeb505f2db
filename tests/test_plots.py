"""Tests of titfortat.report.plots: every plot draws on the given Axes with a title, and save_figure is byte-deterministic."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from titfortat.report import plots  # noqa: E402
from titfortat.stats.exercises import exercise_windows  # noqa: E402
from titfortat.stats.frequencies import count_events  # noqa: E402
from titfortat.stats.nulls import null_response_rate  # noqa: E402
from titfortat.stats.pairing import pair_responses  # noqa: E402
from titfortat.stats.sequences import tit_for_tat_chains, transition_matrix  # noqa: E402


def make_events(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    d0 = pd.Timestamp("2018-01-01")
    recs = []
    for y in range(2018, 2021):
        for m in (3, 8):
            s = pd.Timestamp(y, m, 5)
            recs.append((s, s + pd.Timedelta(days=10), "ALLIANCE", "joint_exercise"))
    for side, actions, n in (("DPRK", ["missile_launch", "artillery_fire", "statement"], 60),
                             ("ALLIANCE", ["strategic_asset_deployment", "sanctions"], 25), ("OTHER", ["summit"], 5)):
        for d, a in zip(rng.integers(0, 1096, n), rng.choice(actions, n), strict=True):
            recs.append((d0 + pd.Timedelta(days=int(d)), d0 + pd.Timedelta(days=int(d)), side, str(a)))
    df = pd.DataFrame(recs, columns=["date", "end_date", "side", "action"])
    df["actor"] = df["side"]
    df["detail"] = ""
    df["event_id"] = [f"e{i:03d}" for i in range(len(df))]
    return df


EV = make_events()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_every_plot_returns_its_axes_with_labels() -> None:
    fig, axs = plt.subplots(2, 3, figsize=(18, 9))
    axs = axs.ravel()
    pr = pair_responses(EV, "ALLIANCE", "DPRK")
    nr = null_response_rate(EV, "ALLIANCE", "DPRK", n_permutations=200)
    chains = tit_for_tat_chains(EV, "ALLIANCE", "DPRK")
    drawn = [
        plots.stacked_bars_by_year(count_events(EV), ax=axs[0]),
        plots.heatmap(transition_matrix(EV).residuals, ax=axs[1]),
        plots.lag_histogram(pr.pairs["lag_days"], null_band=nr.lag_band, ax=axs[2]),
        plots.swimlane(EV, "2018-03-01", "2018-04-30", ax=axs[3], highlight_ids=chains["event_ids"].iloc[0] if len(chains) else None),
        plots.exercise_profile(exercise_windows(EV), ax=axs[4]),
        plots.lag_histogram(pr, ax=axs[5]),
    ]
    for given, ax in zip(axs, drawn, strict=True):
        assert ax is given
        assert ax.get_title() and ax.get_ylabel() is not None
    assert "by side" in axs[0].get_title()
    assert "2018-03-01" in axs[3].get_title()
    assert "ALLIANCE" in axs[5].get_title()
    # stacked bars: one bar container per side, side colours fixed
    assert len(axs[0].containers) == 3
    assert to_hex(axs[0].containers[0].patches[0].get_facecolor()) == plots.SIDE_COLORS["DPRK"].lower()
    # the null band is drawn
    assert any(c.get_label().startswith("circular-shift null") for c in [*axs[2].collections, *axs[2].patches])


def test_plots_create_a_figure_when_no_ax() -> None:
    ax = plots.heatmap(transition_matrix(EV).counts, annotate=True)
    assert ax.figure is not None and len(ax.texts) == 9
    ax = plots.swimlane(EV)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["OTHER", "ALLIANCE", "DPRK"]


def test_action_styles_unique() -> None:
    styles = list(plots.ACTION_STYLES.values())
    assert len(set(styles)) == len(styles)  # no two actions share colour and marker


def _figure() -> plt.Figure:
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    plots.stacked_bars_by_year(count_events(EV), ax=ax[0])
    plots.heatmap(transition_matrix(EV).residuals, ax=ax[1])
    return fig


def test_save_figure_is_byte_identical(tmp_path) -> None:
    paths1 = plots.save_figure(_figure(), tmp_path / "a", "fig")
    plt.close("all")
    paths2 = plots.save_figure(_figure(), tmp_path / "b", "fig")
    assert [p.name for p in paths1] == ["fig.png", "fig.svg"]
    for p1, p2 in zip(paths1, paths2, strict=True):
        assert p1.read_bytes() == p2.read_bytes(), p1.name
    svg = paths1[1].read_text()
    assert "<dc:date>" not in svg
    assert b"Software" not in paths1[0].read_bytes()
    # a different figure gives different bytes (the comparison can fail)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    other = plots.save_figure(fig, tmp_path / "c", "fig")
    assert other[0].read_bytes() != paths1[0].read_bytes()


# --- readability fixes: distinct colours, labels, headroom, log ticks, band alignment, dense swimlanes ----------

def _random_counts(actions, years, seed):
    rng = np.random.default_rng(seed)
    idx = pd.period_range(f"{years[0]}", f"{years[1]}", freq="Y", name="period")
    return pd.DataFrame(rng.integers(0, 20, (len(idx), len(actions))), index=idx,
                        columns=pd.Index(actions, name="action"))


@pytest.mark.parametrize("seed", range(5))
def test_stacked_bars_never_repeat_a_colour_in_a_panel_and_never_cut_a_bar(seed):
    from titfortat.stats.frequencies import ACTION_ORDER

    rng = np.random.default_rng(seed)
    actions = list(rng.choice(ACTION_ORDER, size=int(rng.integers(2, len(ACTION_ORDER) + 1)), replace=False))
    actions += ["some_new_action", "another"]  # actions outside the vocabulary get colours of their own too
    counts = _random_counts(actions, (2001, 2001 + int(rng.integers(2, 30))), seed)
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    plots.stacked_bars_by_year(counts, ax=ax)
    first_bar = {c.get_label(): to_hex(c.patches[0].get_facecolor()) for c in ax.containers}
    assert len(set(first_bar.values())) == len(counts.columns), first_bar
    assert ax.get_ylim()[1] > counts.sum(axis=1).max()
    labels = ax.get_xticklabels()
    if len(counts) > 9:
        assert all(lb.get_rotation() == 45 for lb in labels)
    plt.close(fig)


def test_rate_ratio_axis_reads_plain_numbers():
    fig, ax = plt.subplots()
    plots.rate_ratio_forest([{"rate_ratio": 2.4, "ci_low": 1.7, "ci_high": 3.4, "model": "poisson", "controls": []},
                             {"rate_ratio": 0.8, "ci_low": 0.5, "ci_high": 1.3, "model": "negbin", "controls": ["month"]}],
                            ax=ax)
    fig.canvas.draw()
    texts = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert texts and all("10^" not in t and "times" not in t and "$" not in t for t in texts), texts
    assert {"0.5", "1", "2"} <= set(texts)
    plt.close(fig)


def test_lag_band_is_centred_on_the_bars():
    lags = np.array([1, 1, 2, 3, 3, 3, 5, 7])
    band = pd.DataFrame({"lag_days": np.arange(1, 8), "null_mean": np.linspace(1, 2, 7),
                         "null_lo": np.linspace(0, 1, 7), "null_hi": np.linspace(2, 3, 7)})
    fig, ax = plt.subplots()
    plots.lag_histogram(lags, null_band=band, ax=ax)
    bars = list(ax.containers[0].patches)
    centres = sorted(b.get_x() + b.get_width() / 2 for b in bars)
    band_patch = next(p for p in ax.patches if p.get_label() == "circular-shift null, 95% band")
    xs = band_patch.get_path().vertices[:, 0]
    assert xs.min() == pytest.approx(centres[0] - 0.5) and xs.max() == pytest.approx(centres[-1] + 0.5)
    plt.close(fig)


def test_swimlane_markers_shrink_with_many_events():
    rng = np.random.default_rng(3)
    n = 1500
    days = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D")
    ev = pd.DataFrame({"date": days, "end_date": days, "side": rng.choice(["DPRK", "ALLIANCE"], n),
                       "action": rng.choice(["missile_launch", "statement"], n)})
    ev["event_id"] = [f"x{i}" for i in range(n)]
    fig, ax = plt.subplots(figsize=(12, 4))
    plots.swimlane(ev, ax=ax, highlight_ids=list(ev["event_id"][:300]))
    sizes = [c.get_sizes().max() for c in ax.collections if len(c.get_sizes())]
    assert max(sizes) < 40 and min(sizes) < 10  # one-day markers at most a day wide, rings scaled alike
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(12, 4))
    few = ev.head(5).assign(date=pd.date_range("2016-01-03", periods=5, freq="3D"))
    plots.swimlane(few.assign(end_date=few["date"]), start="2016-01-01", end="2016-01-20", ax=ax)
    assert max(c.get_sizes().max() for c in ax.collections if len(c.get_sizes())) == 36
    plt.close(fig)
