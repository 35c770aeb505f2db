"""The narrative: wording follows the numbers, both ways."""

from __future__ import annotations

from titfortat.report.narrative import build_summary, evidence_phrase, format_p


def _tft(p_value: float, anchor: str = "start") -> dict:
    d = {"n_triggers": 100, "n_responded": 40, "response_rate": 0.4, "median_lag_days": 2.0,
         "null_response_rate": 0.25, "null_interval": [0.18, 0.33], "p_value": p_value,
         "null_year": {"null_response_rate": 0.3, "null_interval": [0.2, 0.4], "p_value": 0.5}}
    return {"parameters": {"min_lag_days": 1, "window_days": 7, "anchor": anchor, "n_permutations": 1000, "seed": 1},
            "period": {"start": "2016-01-01", "end": "2025-12-31"}, "directions": {"ALLIANCE->DPRK": d}, "n_tests": 2}


def test_p_value_formats():
    assert format_p(0.0004) == "p < 0.001"
    assert format_p(0.003) == "p = 0.003"
    assert format_p(0.41) == "p = 0.41"
    assert evidence_phrase(None).startswith("could not be tested")


def test_significant_and_null_results_read_differently():
    sig = build_summary({"03_tit_for_tat": _tft(0.003)})
    assert "DPRK followed ALLIANCE more often than chance would give (p = 0.003)" in sig
    null = build_summary({"03_tit_for_tat": _tft(0.41, anchor="any")})
    assert "how often DPRK followed ALLIANCE is not distinguishable from chance (p = 0.41)" in null
    assert "first day to its last day" in null
    assert "After 100 ALLIANCE actions, DPRK acted within 1-7 days in 40 cases (40%" in null


def test_caveats_count_the_tests_of_every_notebook():
    text = build_summary({"03_tit_for_tat": _tft(0.2), "02_frequencies": {
        "period": {"start": "2016-01-01", "end": "2025-12-31"}, "totals_by_side": {"DPRK": 3},
        "busiest_year": {}, "pace_change": [], "n_tests": 4}})
    assert "This run made 6 significance tests" in text
