"""The events loader: every codebook rule gets a bad row, and errors name file, line, id, column, value."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import COLUMNS, good_row
from titfortat.events.schema import EventsError, assign_intensity, load_codebook, load_events


def _violations(path: Path) -> list:
    with pytest.raises(EventsError) as info:
        load_events(path)
    return info.value.violations


def test_good_file_loads_typed_and_sorted(write_csv):
    rows = [
        good_row(event_id="b", date="2023-08-21", end_date="2023-08-31", actor="US+ROK", action="joint_exercise"),
        good_row(event_id="a"),
        good_row(event_id="c", date="2023-07-12", end_date="", action="missile_launch", weapon_class="ICBM"),
    ]
    ev = load_events(write_csv(rows))
    assert list(ev["event_id"]) == ["c", "a", "b"]
    assert ev["date"].dtype == "datetime64[ns]" and ev["end_date"].dtype == "datetime64[ns]"
    assert ev.loc[0, "end_date"] == ev.loc[0, "date"]  # one-day event: end_date filled
    assert list(ev["side"]) == ["DPRK", "DPRK", "ALLIANCE"]
    assert list(ev["intensity"]) == [4, 1, 2]
    assert list(ev["duration_days"]) == [1, 3, 11]


def test_extra_columns_kept_and_optional_columns_may_be_absent(write_csv):
    cols = ["event_id", "date", "actor", "action", "description", "source", "source_url", "my_extra"]
    row = good_row(my_extra="x")
    ev = load_events(write_csv([row], columns=cols))
    assert ev.loc[0, "my_extra"] == "x"
    assert ev.loc[0, "end_date"] == pd.Timestamp("2023-08-03")


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("date", "2023-13-01", "not a valid date"),
        ("date", "03/08/2023", "not a valid date"),
        ("end_date", "2023-02-30", "not a valid date"),
        ("actor", "NK", "unknown actor code 'NK'"),
        ("actor", "ROK+US", "canonical order"),
        ("actor", "US+US", "repeated"),
        ("action", "missile", "unknown action"),
        ("weapon_class", "ICBM", "only for action missile_launch"),
        ("source_url", "www.example.org", "not an http(s) URL"),
        ("source2_url", "ftp://x", "not an http(s) URL"),
        ("description", "", "required value is blank"),
        ("source", "", "required value is blank"),
        ("event_id", "has space", "white space"),
    ],
)
def test_each_rule_names_line_id_column_value(write_csv, field, value, fragment):
    rows = [good_row(event_id="ok-1", date="2023-01-01", end_date=""), good_row(**{field: value})]
    v = _violations(write_csv(rows))
    assert len(v) == 1, v
    assert v[0].line == 3 and v[0].column == field and v[0].value == value
    assert fragment in v[0].message
    text = str(v[0])
    assert "events.csv, line 3" in text and f"column {field!r}" in text


def test_end_before_start(write_csv):
    v = _violations(write_csv([good_row(date="2023-08-05", end_date="2023-08-03")]))
    assert [(x.line, x.event_id, x.column, x.value) for x in v] == [(2, "2023-08-03_dprk_weapons_inspection", "end_date", "2023-08-03")]
    assert "before date" in v[0].message


def test_duplicate_ids_name_both_lines(write_csv):
    v = _violations(write_csv([good_row(), good_row(date="2023-08-04")]))
    assert len(v) == 1 and v[0].line == 3 and "first used on line 2" in v[0].message


def test_all_violations_reported_at_once(write_csv):
    rows = [good_row(event_id="x", date="bad"), good_row(event_id="y", actor="XX"), good_row(event_id="z", action="nope")]
    v = _violations(write_csv(rows))
    assert [(x.line, x.column) for x in v] == [(2, "date"), (3, "actor"), (4, "action")]
    with pytest.raises(EventsError, match="3 schema violations"):
        load_events(write_csv(rows))


def test_missing_required_column(write_csv):
    cols = [c for c in COLUMNS if c != "source_url"]
    v = _violations(write_csv([good_row()], columns=cols))
    assert v[0].column == "source_url" and "missing from the header" in v[0].message


def test_empty_file_and_header_only(tmp_path, write_csv):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(EventsError, match="empty.csv.*file is empty"):
        load_events(empty)
    with pytest.raises(EventsError, match="header but no event rows"):
        load_events(write_csv([]))


def test_not_utf8_names_line(tmp_path, write_csv):
    path = write_csv([good_row(), good_row(event_id="second", description="caf\u00e9")])
    path.write_bytes(path.read_bytes().replace("caf\u00e9".encode(), b"caf\xe9"))
    v = _violations(path)
    assert v[0].line == 3 and "not UTF-8" in v[0].message


def test_ragged_row_and_missing_file(tmp_path, write_csv):
    path = write_csv([good_row()])
    path.write_text(path.read_text() + "only,three,fields\n")
    v = _violations(path)
    assert v[0].line == 3 and "3 fields" in v[0].message
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        load_events(tmp_path / "nope.csv")


def test_multiline_quoted_field_keeps_line_numbers(write_csv):
    rows = [good_row(event_id="a", description="two\nlines"), good_row(event_id="b", action="bogus")]
    v = _violations(write_csv(rows))
    assert v[0].line == 4  # record "a" spans lines 2-3


def test_sides_follow_codebook():
    cb = load_codebook()
    assert cb.side_of("US+ROK+JP") == "ALLIANCE"
    assert cb.side_of("DPRK") == "DPRK"
    assert cb.side_of("DPRK+RU") == "OTHER" and cb.side_of("DPRK+US") == "OTHER"
    assert cb.side_of("RU") == "OTHER"


def test_intensity_rule():
    frame = pd.DataFrame({
        "action": ["nuclear_test", "missile_launch", "missile_launch", "satellite_launch", "joint_exercise", "summit"],
        "weapon_class": ["", "ICBM", "SRBM", "", "", ""],
    })
    assert list(assign_intensity(frame)) == [5, 4, 3, 4, 2, 1]


def test_shipped_dataset_is_valid():
    ev = load_events("data/events.csv")
    assert ev["event_id"].is_unique
    assert (ev["source_url"].str.startswith("http")).all()


def test_readable_codebook_in_sync_with_yaml():
    from titfortat.paths import repo_root
    from titfortat.events.schema import render_codebook_markdown

    assert (repo_root() / "data" / "CODEBOOK.md").read_text(encoding="utf-8") == render_codebook_markdown()


# --- optional columns: reported_response_to, date_precision, scale -------------------------------------

NEW_COLUMNS = [*COLUMNS, "reported_response_to", "date_precision", "scale"]


def _exercise(**overrides: str) -> dict[str, str]:
    row = good_row(event_id="ex", date="2023-08-21", end_date="2023-08-31", actor="US+ROK", action="joint_exercise",
                   detail="Ulchi Freedom Shield 23")
    row.update(overrides)
    return row


def _launch(**overrides: str) -> dict[str, str]:
    row = good_row(event_id="ml", date="2023-08-24", end_date="", action="missile_launch", weapon_class="SRBM")
    row.update(overrides)
    return row


def test_core_columns_only_still_load_with_derived_columns(write_csv):
    core = ["event_id", "date", "end_date", "actor", "action", "description", "source", "source_url"]
    ev = load_events(write_csv([_exercise(), _launch()], columns=core))
    assert list(ev["reported_response"]) == [False, False]
    assert ev["reported_response"].dtype == bool
    assert list(ev["date_precision"]) == ["day", "day"]
    assert ev["scale_troops"].isna().all() and ev["scale_ships"].isna().all()
    assert ev["scale_troops"].dtype == "float64"
    assert list(ev["scale_type"]) == [None, None]


def test_new_columns_parsed(write_csv):
    rows = [
        _exercise(scale="troops=19000;aircraft=120;type=combined"),
        _launch(reported_response_to="ex", date_precision="+-1 day"),
        _launch(event_id="ml2", date="2023-08-30", reported_response_to="ex"),
        good_row(event_id="st", actor="US+ROK", action="statement", date="2023-08-31", end_date="",
                 reported_response_to="ml;ml2"),
    ]
    ev = load_events(write_csv(rows, columns=NEW_COLUMNS)).set_index("event_id")
    assert ev.loc["ex", "scale_troops"] == 19000 and ev.loc["ex", "scale_aircraft"] == 120
    assert pd.isna(ev.loc["ex", "scale_ships"]) and ev.loc["ex", "scale_type"] == "combined"
    assert pd.isna(ev.loc["ml", "scale_troops"]) and ev.loc["ml", "scale_type"] is None
    assert ev.loc["ml", "date_precision"] == "+-1 day" and ev.loc["ml2", "date_precision"] == "day"
    assert ev["reported_response"].to_dict() == {"ex": False, "ml": True, "ml2": True, "st": True}
    assert ev.loc["st", "reported_response_to"] == "ml;ml2"


@pytest.mark.parametrize(
    ("row", "column", "value", "fragment"),
    [
        (_launch(event_id="ml9", date_precision="approx"), "date_precision", "approx", "allowed: day, +-1 day"),
        (_launch(event_id="ml9", date_precision="Day"), "date_precision", "Day", "not an allowed value"),
        (_exercise(event_id="ex2", scale="troops=12,000"), "scale", "troops=12,000", "whole numbers without separators"),
        (_exercise(event_id="ex2", scale="troops=-5"), "scale", "troops=-5", "whole numbers"),
        (_exercise(event_id="ex2", scale="soldiers=100"), "scale", "soldiers=100", "unknown key (allowed keys: troops, aircraft, ships, type)"),
        (_exercise(event_id="ex2", scale="type=tabletop"), "scale", "type=tabletop", "type must be one of: field, command_post, combined, computer_simulation"),
        (_exercise(event_id="ex2", scale="troops=5;troops=6"), "scale", "troops=5;troops=6", "more than once"),
        (_exercise(event_id="ex2", scale="big"), "scale", "big", "key=value"),
        (_launch(event_id="ml9", scale="troops=10"), "scale", "troops=10", "only for action joint_exercise"),
        (_launch(event_id="ml9", reported_response_to="nope"), "reported_response_to", "nope", "'nope' does not exist"),
        (_launch(event_id="ml9", reported_response_to="ex;"), "reported_response_to", "ex;", "empty item"),
        (_launch(event_id="ml9", reported_response_to="ml"), "reported_response_to", "ml", "is on side DPRK; a row on side DPRK may answer only ALLIANCE or OTHER rows"),
        (_exercise(event_id="ex2", date="2023-08-25", reported_response_to="ex"), "reported_response_to", "ex", "is on side ALLIANCE; a row on side ALLIANCE may answer only DPRK rows"),
        (good_row(event_id="un", actor="UN", action="sanctions", date="2023-08-25", end_date="", reported_response_to="ex"),
         "reported_response_to", "ex", "a row on side OTHER may answer only DPRK rows"),
        (_exercise(event_id="ex2", date="2023-08-01", end_date="2023-08-02", reported_response_to="ml"), "reported_response_to", "ml",
         "starts after this row (2023-08-24)"),
        (_exercise(event_id="ex2", date="2023-08-25", end_date="", reported_response_to="ml;ml"), "reported_response_to", "ml;ml", "listed twice"),
    ],
)
def test_new_column_rules_name_file_line_id_column_value(write_csv, row, column, value, fragment):
    rows = [_exercise(), _launch(), row]
    v = _violations(write_csv(rows, columns=NEW_COLUMNS))
    assert len(v) == 1, v
    assert (v[0].line, v[0].event_id, v[0].column, v[0].value) == (4, row["event_id"], column, value)
    assert fragment in v[0].message
    # the file is named as the person running the workbook can find it (full path outside the repository)
    assert f"events.csv, line 4, event_id {row['event_id']!r}, column {column!r}, value {value!r}: " in str(v[0])


def test_dprk_row_may_answer_other_side_rows(write_csv):
    rows = [good_row(event_id="un", actor="UN", action="sanctions", date="2023-08-20", end_date=""),
            _launch(reported_response_to="un")]
    ev = load_events(write_csv(rows, columns=NEW_COLUMNS))
    assert ev["reported_response"].tolist() == [False, True]


def test_reference_to_duplicated_or_bad_row_reports_only_the_real_problem(write_csv):
    rows = [_exercise(), _launch(actor="XX", reported_response_to="ex")]
    v = _violations(write_csv(rows, columns=NEW_COLUMNS))
    assert [(x.line, x.column) for x in v] == [(3, "actor")]


def test_shipped_dataset_new_columns_consistent():
    ev = load_events("data/events.csv")
    assert set(ev["date_precision"]) <= {"day", "+-1 day"}
    assert ev.loc[ev["scale_type"].notna(), "action"].eq("joint_exercise").all()
    sam = ev["detail"].str.contains("surface-to-air", case=False) & ev["side"].eq("DPRK")
    assert not (sam & ev["action"].eq("missile_launch")).any()


def test_coverage_by_year_counts_sides_and_launch_days(write_csv):
    from titfortat.events.schema import coverage_by_year

    rows = [
        _launch(event_id="a", date="2021-03-01"),
        _launch(event_id="b", date="2021-03-01", reported_response_to=""),
        _launch(event_id="c", date="2023-05-02"),
        _exercise(event_id="d", date="2023-08-21"),
        good_row(event_id="e", actor="UN", action="sanctions", date="2023-12-01", end_date=""),
        good_row(event_id="f", date="2023-06-01", end_date=""),
    ]
    cov = coverage_by_year(load_events(write_csv(rows, columns=NEW_COLUMNS)))
    assert list(cov.index) == [2021, 2022, 2023]
    assert cov.loc[2021].to_dict() == {"DPRK": 2, "ALLIANCE": 0, "OTHER": 0, "total": 2, "dprk_launch_days": 1}
    assert cov.loc[2022].sum() == 0
    assert cov.loc[2023].to_dict() == {"DPRK": 2, "ALLIANCE": 1, "OTHER": 1, "total": 4, "dprk_launch_days": 1}
