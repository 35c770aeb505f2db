"""The narrative: wording follows the numbers and the verdicts, every way."""

from __future__ import annotations

import pytest

from titfortat.report.narrative import build_summary, evidence_phrase, format_p
from titfortat.stats.inference import adjust_tit_for_tat


def _tft(p_value: float, placebo_p: float = 0.6, anchor: str = "start") -> dict:
    d = {"trigger_side": "ALLIANCE", "response_side": "DPRK", "n_triggers": 100, "n_responded": 40,
         "response_rate": 0.4, "median_lag_days": 2.0, "null_response_rate": 0.25, "null_interval": [0.18, 0.33],
         "response_rate_p_value": 0.01, "excess_ratio": 1.6, "null_excess_interval": [0.8, 1.2],
         "observed_in_windows": 80.0, "expected_in_windows": 50.0, "rate_ratio": 1.5, "rate_ratio_ci": [1.1, 2.0],
         "rate_ratio_p_value": 0.01, "p_value": p_value,
         "placebo": {"excess_ratio": 1.4 if placebo_p < 0.05 else 1.0, "null_excess_interval": [0.8, 1.2],
                     "p_value": placebo_p},
         "diagnostics": {"circular_exact": {"null_response_rate": 0.2, "p_value": 0.0001}}}
    r = {"parameters": {"min_lag_days": 1, "window_days": 7, "anchor": anchor, "n_permutations": 1000, "seed": 1,
                        "block": "month"},
         "period": {"start": "2016-01-01", "end": "2025-12-31"}, "directions": {"ALLIANCE->DPRK": d}}
    return adjust_tit_for_tat(r)


def test_p_value_formats():
    assert format_p(0.0004) == "p < 0.001"
    assert format_p(0.003) == "p = 0.003"
    assert format_p(0.41) == "p = 0.41"
    assert evidence_phrase(None).startswith("could not be tested")


@pytest.mark.parametrize(
    ("p", "placebo", "verdict", "phrase"),
    [
        (0.001, 0.6, "response", "consistent with DPRK answering ALLIANCE"),
        (0.001, 0.01, "co-movement", "no direction can be read"),
        (0.41, 0.6, "none", "the data do not show DPRK answering ALLIANCE"),
        (0.41, 0.01, "co-movement", "the two sides move together"),
    ],
)
def test_each_verdict_has_its_own_careful_wording(p: float, placebo: float, verdict: str, phrase: str) -> None:
    r = _tft(p, placebo)
    assert r["directions"]["ALLIANCE->DPRK"]["verdict"] == verdict
    text = build_summary({"03_tit_for_tat": r})
    assert phrase in text
    assert "After 100 ALLIANCE actions, DPRK acted within 1-7 days in 40 cases (40%, median lag 2 days)" in text
    assert "excess ratio 1.60" in text and "Holm-adjusted" in text
    assert "For comparison only: circular shifts" in text  # the old null is labelled as a diagnostic
    other = {"response", "co-movement", "none"} - {verdict}
    wordings = {"response": "consistent with DPRK answering", "co-movement": "no direction can be read",
                "none": "do not show DPRK answering"}
    assert not any(wordings[o] in text for o in other if wordings[o] != wordings[verdict])


def test_holm_adjustment_is_applied_and_reported():
    r = _tft(0.01)
    d = r["directions"]["ALLIANCE->DPRK"]
    assert d["p_holm"] >= d["p_value"] and r["n_tests"] == 4
    assert r["multiple_testing"]["method"] == "Holm"


def test_caveats_count_the_tests_of_every_notebook():
    text = build_summary({"03_tit_for_tat": _tft(0.2), "02_frequencies": {
        "period": {"start": "2016-01-01", "end": "2025-12-31"}, "totals_by_side": {"DPRK": 3},
        "busiest_year": {}, "pace_change": [], "n_tests": 4}})
    assert "This run made 8 significance tests" in text
    assert "common causes acting within days" in text
