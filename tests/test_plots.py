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
    assert any(c.get_label().startswith("circular-shift null") for c in axs[2].collections)


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
