"""titfortat.text.linking: item-event matching and pace-claim checks on synthetic frames."""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from titfortat.text.linking import ClaimCheck, compare_windows, find_pace_cues, link_items, pace_claims
from conftest import make_events as _make_events



def make_events(rows: list[tuple]) -> pd.DataFrame:
    return _make_events(rows, id_width=3, real_actors=True)


def make_items(rows: list[tuple]) -> pd.DataFrame:
    """Items frame from (side, action, start, end) tuples (dates as datetime.date or None)."""
    return pd.DataFrame([{"actor": "", "side": s, "action": a, "start": st, "end": en} for s, a, st, en in rows])


D = date.fromisoformat


# --- link_items ------------------------------------------------------------------------
def test_link_overlap_same_side_action() -> None:
    ev = make_events([
        ("2023-08-21", "ALLIANCE", "joint_exercise", "2023-08-31"),
        ("2023-08-04", "DPRK", "weapons_inspection"),
        ("2023-08-03", "DPRK", "missile_launch"),        # other action
        ("2023-08-04", "ALLIANCE", "weapons_inspection"),  # other side
        ("2023-07-27", "DPRK", "military_parade"),
    ])
    items = make_items([
        ("ALLIANCE", "joint_exercise", D("2023-08-07"), D("2023-08-31")),
        ("DPRK", "weapons_inspection", D("2023-08-03"), D("2023-08-05")),
        ("DPRK", "military_parade", None, None),
    ])
    out = link_items(items, ev)
    assert out.matched_event_ids.tolist() == [["e000"], ["e001"], []]
    assert "matched_event_ids" not in items.columns  # input untouched


def test_link_tolerance_boundaries() -> None:
    ev = make_events([("2023-08-10", "DPRK", "missile_launch")])
    for start, expected in [("2023-08-07", ["e000"]), ("2023-08-06", []), ("2023-08-13", ["e000"]),
                            ("2023-08-14", [])]:
        items = make_items([("DPRK", "missile_launch", D(start), D(start))])
        assert link_items(items, ev, tolerance_days=3).matched_event_ids.iloc[0] == expected, start
    items = make_items([("DPRK", "missile_launch", D("2023-08-06"), D("2023-08-06"))])
    assert link_items(items, ev, tolerance_days=0).matched_event_ids.iloc[0] == []
    assert link_items(items, ev, tolerance_days=4).matched_event_ids.iloc[0] == ["e000"]


def test_link_multiday_event_and_sorted_ids() -> None:
    ev = make_events([
        ("2022-11-03", "DPRK", "missile_launch"),
        ("2022-11-02", "DPRK", "missile_launch"),
        ("2022-10-31", "ALLIANCE", "joint_exercise", "2022-11-05"),
    ])
    ev = ev.iloc[::-1].reset_index(drop=True)
    items = make_items([
        ("DPRK", "missile_launch", D("2022-10-31"), D("2022-11-06")),   # "this week"
        ("ALLIANCE", "joint_exercise", D("2022-11-05"), D("2022-11-05")),
    ])
    out = link_items(items, ev, tolerance_days=0)
    assert out.matched_event_ids.tolist() == [["e000", "e001"], ["e002"]]


def test_link_accepts_timestamps_and_empty() -> None:
    ev = make_events([("2023-01-01", "DPRK", "missile_launch")])
    items = make_items([("DPRK", "missile_launch", pd.Timestamp("2023-01-02"), pd.Timestamp("2023-01-02"))])
    assert link_items(items, ev).matched_event_ids.iloc[0] == ["e000"]
    assert link_items(items, ev.iloc[0:0]).matched_event_ids.iloc[0] == []
    empty = link_items(items.iloc[0:0], ev)
    assert "matched_event_ids" in empty.columns and len(empty) == 0


def test_link_missing_end_uses_start() -> None:
    ev = make_events([("2023-01-05", "DPRK", "missile_launch")])
    items = make_items([("DPRK", "missile_launch", D("2023-01-05"), None)])
    assert link_items(items, ev, tolerance_days=0).matched_event_ids.iloc[0] == ["e000"]


# --- pace claims -----------------------------------------------------------------------
def periodic(start: str, end: str, every_days: int, side: str, action: str) -> list[tuple]:
    return [(d, side, action) for d in pd.date_range(start, end, freq=f"{every_days}D")]


PUB = date(2023, 8, 6)
CLAIM = ("The pace of North Korea's missile tests and of the joint drills of the United States and "
         "South Korea has intensified.")


def test_find_pace_cues() -> None:
    assert find_pace_cues("North Korea has stepped up its missile launches.") == [("stepped up", "up")]
    assert find_pace_cues("Tensions are at their highest level in years.")[0][1] == "up"
    assert find_pace_cues("The pace of launches slowed this year.") == [("slowed", "down")]
    assert find_pace_cues("Kim called for increasing the production of shells.") == []
    assert find_pace_cues("Prices increased in the market.") == []


def test_pace_claim_supported_and_not_supported_per_side() -> None:
    rows = (periodic("2021-08-10", "2022-08-05", 30, "DPRK", "missile_launch")      # ~12 prior
            + periodic("2022-08-10", "2023-08-05", 8, "DPRK", "missile_launch")     # ~46 recent
            + periodic("2021-08-10", "2022-08-05", 60, "ALLIANCE", "joint_exercise")  # 6 prior
            + periodic("2022-08-10", "2023-08-05", 60, "ALLIANCE", "joint_exercise")  # 6 recent
            + [("2021-08-01", "OTHER", "summit")])
    ev = make_events(rows).sample(frac=1.0, random_state=1).reset_index(drop=True)
    checks = pace_claims(CLAIM, ev, PUB)
    assert [c.side for c in checks] == ["DPRK", "ALLIANCE"]
    dprk, alli = checks
    assert dprk.actions == ("missile_launch",)
    assert set(alli.actions) == {"joint_exercise", "military_drill"}
    assert dprk.verdict == "supported"
    assert dprk.recent_count > 3 * dprk.prior_count
    assert alli.recent_count == alli.prior_count == 7
    assert alli.verdict.startswith("not supported")
    assert dprk.cue == "intensified" and dprk.direction == "up"
    assert dprk.recent_start == D("2022-08-07") and dprk.recent_end == PUB
    assert dprk.prior_start == D("2021-08-07") and dprk.prior_end == D("2022-08-06")


def test_pace_claim_exact_binomial_p_value() -> None:
    rows = (periodic("2022-08-10", "2023-08-01", 30, "DPRK", "missile_launch")[:9]
            + periodic("2021-08-10", "2022-08-01", 60, "DPRK", "missile_launch")[:4]
            + [("2021-01-01", "OTHER", "summit")])
    ev = make_events(rows)
    res = compare_windows(ev, PUB, "DPRK", ("missile_launch",))
    a, b = res["recent_count"], res["prior_count"]
    assert (a, b) == (9, 4)
    t1 = (pd.Timestamp(PUB) - pd.Timestamp("2022-08-06")).days
    t2 = (pd.Timestamp("2022-08-06") - pd.Timestamp("2021-08-06")).days
    expected = stats.binomtest(9, 13, t1 / (t1 + t2), alternative="greater").pvalue
    assert res["p_value"] == pytest.approx(expected)
    assert res["rate_ratio"] == pytest.approx((9 / t1) / (4 / t2))
    # small counts: more events but not significant -> mixed
    c = pace_claims("North Korea has stepped up missile launches.", ev, PUB)[0]
    assert c.verdict.startswith("mixed:") and "not statistically significant" in c.verdict


def test_pace_claim_no_events_and_coverage() -> None:
    ev = make_events([("2023-05-01", "DPRK", "missile_launch")])
    c = pace_claims("North Korea has stepped up missile launches.", ev, PUB)[0]
    assert c.verdict.startswith("mixed:") and "data start" in c.verdict
    c2 = pace_claims("Japan has stepped up its naval drills.", ev, PUB)[0]
    assert c2.side == "ALLIANCE" and c2.recent_count == 0 and c2.prior_count == 0
    assert c2.verdict.startswith("not supported")
    assert math.isnan(c2.rate_ratio)


def test_pace_claim_without_named_side_checks_both() -> None:
    ev = make_events(periodic("2021-08-10", "2023-08-05", 20, "DPRK", "missile_launch"))
    checks = pace_claims("Tensions have escalated sharply on the peninsula.", ev, PUB)
    assert [c.side for c in checks] == ["DPRK", "ALLIANCE"]
    assert all(c.actions == () for c in checks)


def test_pace_claim_decrease_direction() -> None:
    rows = (periodic("2021-08-10", "2022-08-05", 7, "DPRK", "missile_launch")
            + periodic("2022-08-10", "2023-08-05", 60, "DPRK", "missile_launch"))
    c = pace_claims("North Korea's missile launches have slowed.", make_events(rows), PUB)[0]
    assert c.direction == "down" and c.verdict == "supported" and c.rate_ratio < 1


def test_claimcheck_to_dict_json_ready() -> None:
    ev = make_events(periodic("2021-08-10", "2023-08-05", 20, "DPRK", "missile_launch"))
    c = pace_claims("North Korea has ramped up missile tests.", ev, PUB)[0]
    assert isinstance(c, ClaimCheck)
    d = c.to_dict()
    json.dumps(d)
    assert d["recent_end"] == "2023-08-06"
    assert isinstance(d["p_value"], float) and d["p_value"] == round(d["p_value"], 6)
    assert "DPRK" in c.summary() and c.verdict in c.summary()


def test_claimcheck_to_dict_inf_ratio_is_none() -> None:
    ev = make_events([("2020-01-01", "OTHER", "summit")]
                     + periodic("2023-01-01", "2023-08-01", 30, "DPRK", "missile_launch"))
    c = pace_claims("North Korea has stepped up missile tests.", ev, PUB)[0]
    assert c.prior_count == 0 and math.isinf(c.rate_ratio)
    assert c.to_dict()["rate_ratio"] is None
    assert c.verdict == "supported"


def test_no_claims_in_plain_text() -> None:
    ev = make_events([("2023-01-01", "DPRK", "missile_launch")])
    assert pace_claims("North Korea fired a missile on Monday.", ev, PUB) == []


def test_vectorised_link_scales() -> None:
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3000, 2000), unit="D")
    ev = make_events([(d, "DPRK", "missile_launch") for d in days])
    items = make_items([("DPRK", "missile_launch", d.date(), d.date()) for d in days[:300]])
    out = link_items(items, ev, tolerance_days=0)
    assert all(len(m) >= 1 for m in out.matched_event_ids)


def test_claimcheck_explanation_and_aliases() -> None:
    ev = make_events(periodic("2021-08-10", "2023-08-05", 20, "DPRK", "missile_launch"))
    c = pace_claims("North Korea has ramped up missile tests.", ev, PUB)[0]
    d = c.to_dict()
    assert d["phrase"] == c.cue == "ramped up"
    assert str(c.recent_count) in d["explanation"] and "p =" in d["explanation"]


# --- batches and candidate events -----------------------------------------------------------
from titfortat.text.articles import load_articles  # noqa: E402
from titfortat.text.linking import CANDIDATE_COLUMNS, article_results, candidate_events, code_batch  # noqa: E402


def _batch_folder(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(
        "---\ntitle: Launch story\npublished: 2024-03-08\nurl: https://example.org/a\n---\n"
        "SEOUL, South Korea (AP) \u2014 North Korea fired two ballistic missiles into the sea, the military said "
        "Friday.\n\nThe allies held combined drills on Monday. North Korea did not fire artillery on Tuesday.\n",
        encoding="utf-8")
    (tmp_path / "b.md").write_text(
        "---\ntitle: Drills story\npublished: 2024-03-09\n---\nSouth Korea and the United States will hold "
        "joint drills next week. Japan imposed sanctions on North Korean firms on Thursday.\n", encoding="utf-8")
    return tmp_path


def test_code_batch_items_and_candidates(tmp_path) -> None:  # type: ignore[no-untyped-def]
    arts = load_articles(_batch_folder(tmp_path))
    events = pd.DataFrame({"event_id": ["e1"], "date": pd.to_datetime(["2024-03-04"]),
                           "end_date": pd.to_datetime(["2024-03-14"]), "side": ["ALLIANCE"],
                           "action": ["joint_exercise"], "actor": ["US+ROK"]})
    b = code_batch(arts, events, tolerance_days=1, claims_events=events)
    assert set(b.items.article) == {"a.txt", "b.md"}
    assert list(b.candidates.columns) == CANDIDATE_COLUMNS
    got = sorted(zip(b.candidates.article, b.candidates.side, b.candidates.action, b.candidates.start))
    # the launch (lead rule) and the sanctions are missing from the data; the drills match e1; the
    # negated artillery and the planned drills are not candidates
    assert got == [("a.txt", "DPRK", "missile_launch", date(2024, 3, 8)),
                   ("b.md", "ALLIANCE", "sanctions", date(2024, 3, 7))]
    launch = b.candidates[b.candidates.action == "missile_launch"].iloc[0]
    assert launch.url == "https://example.org/a" and launch.date_rule == "lead sentence"
    assert "undated lead" in launch.date_reason and launch.sentence.startswith("North Korea fired")
    d = article_results(b, {"article_path": "x"})
    assert d["parameters"] == {"article_path": "x"} and len(d["articles"]) == 2
    assert {c["action"] for c in d["candidates"]} == {"missile_launch", "sanctions"}
    assert all("date_rule" in it and "actor_rule" in it for it in d["extracted"])


def test_batch_tables_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    arts = load_articles(_batch_folder(tmp_path / "in") if (tmp_path / "in").mkdir() is None else None)
    b = code_batch(arts)
    paths = b.write_tables(tmp_path / "out")
    assert [p.name for p in paths] == ["01_article_items.csv", "01_article_candidate_events.csv"]
    items = pd.read_csv(paths[0])
    assert {"article", "date_rule", "actor_rule", "evidence"} <= set(items.columns)
    cands = pd.read_csv(paths[1])
    assert list(cands.columns) == CANDIDATE_COLUMNS
    assert not list((tmp_path / "out").glob(".*tmp"))  # nothing half-written


def test_candidate_events_empty() -> None:
    assert list(candidate_events(pd.DataFrame()).columns) == CANDIDATE_COLUMNS
