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
