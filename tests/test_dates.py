"""Date rules of titfortat.text.dates, each on sentences written for these tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from titfortat.text.dates import (
    find_dates,
    infer_year,
    is_future_context,
    most_recent_weekend,
    next_month,
    previous_month,
    previous_week,
    resolve_date,
    week_bounds,
    weekday_on_or_after,
    weekday_on_or_before,
)

SUN = date(2023, 8, 6)  # a Sunday
WED = date(2023, 8, 9)  # a Wednesday
THU = date(2022, 11, 3)


def d(s: str) -> date:
    return date.fromisoformat(s)


# --- helpers ---------------------------------------------------------------------------
def test_weekday_helpers() -> None:
    assert weekday_on_or_before(WED, 0) == d("2023-08-07")
    assert weekday_on_or_before(WED, 2) == WED  # same weekday -> that day
    assert weekday_on_or_before(WED, 4) == d("2023-08-04")
    assert weekday_on_or_after(WED, 4) == d("2023-08-11")
    assert weekday_on_or_after(WED, 2) == WED


def test_week_month_helpers() -> None:
    assert week_bounds(WED) == (d("2023-08-07"), d("2023-08-13"))
    assert week_bounds(SUN) == (d("2023-07-31"), d("2023-08-06"))  # Sunday ends its week
    assert previous_week(WED) == (d("2023-07-31"), d("2023-08-06"))
    assert previous_month(d("2024-01-15")) == (d("2023-12-01"), d("2023-12-31"))
    assert next_month(d("2023-12-15")) == (d("2024-01-01"), d("2024-01-31"))
    assert previous_month(d("2024-03-31")) == (d("2024-02-01"), d("2024-02-29"))


def test_weekend_helper() -> None:
    assert most_recent_weekend(WED) == (d("2023-08-05"), d("2023-08-06"))
    assert most_recent_weekend(SUN) == (d("2023-08-05"), d("2023-08-06"))
    assert most_recent_weekend(d("2023-08-05")) == (d("2023-08-05"), d("2023-08-05"))  # clipped


def test_infer_year() -> None:
    assert infer_year(12, 30, d("2024-01-05")) == d("2023-12-30")  # rollover
    assert infer_year(1, 3, d("2024-01-05")) == d("2024-01-03")
    assert infer_year(1, 10, d("2023-12-20"), future=True) == d("2024-01-10")
    assert infer_year(2, 29, d("2024-03-01")) == d("2024-02-29")
    assert infer_year(2, 30, d("2024-03-01")) is None


def test_a_day_without_year_is_this_years_when_it_is_close_ahead() -> None:
    # news style gives the year of a day in another year: "June 12" in a story of June 1 is eleven days
    # ahead, not 354 days back; "April 15" on a page dated April 14 in a calendar behind Seoul's is Korea's
    assert infer_year(6, 12, d("2018-06-01")) == d("2018-06-12")
    assert infer_year(4, 15, d("2016-04-14")) == d("2016-04-15")
    assert infer_year(3, 1, d("2018-06-01")) == d("2018-03-01")  # earlier this year, as before
    assert infer_year(9, 1, d("2018-06-01")) == d("2017-09-01")  # far ahead: last year's, as before
    assert infer_year(12, 30, d("2024-12-05")) == d("2024-12-30")
    assert infer_year(6, 12, d("2018-06-01"), near=0) == d("2017-06-12")
    summit = find_dates("Trump said the June 12 summit in Singapore is back on.", d("2018-06-01"))
    assert [m.start for m in summit] == [d("2018-06-12")]


@pytest.mark.parametrize("text, want", [
    ("The launch failed, as did previous launches on May 31 last year.", ["2023-05-31"]),
    ("It was the third failure after previous launches on May 31 and Aug. 24 last year.",
     ["2023-05-31", "2023-08-24"]),
    ("It followed launches on March 2, April 9, and May 31 last year.", ["2023-03-02", "2023-04-09", "2023-05-31"]),
    ("The drills held on Jan. 9 of last year were smaller.", ["2023-01-09"]),
    ("The talks on May 2, 2022 and on May 31 last year failed.", ["2022-05-02", "2023-05-31"]),
])
def test_a_year_phrase_after_days_gives_them_its_year(text: str, want: list[str]) -> None:
    found = find_dates(text, d("2024-05-28"))
    assert [str(m.start) for m in found] == want
    assert all(m.start == m.end for m in found)


def test_future_context() -> None:
    s = "The allies will begin the drills on Monday."
    assert is_future_context(s, s.index("Monday"))
    s = "The missile was fired on Monday."
    assert not is_future_context(s, s.index("Monday"))


# --- weekdays --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected", "matched"),
    [
        ("The North fired two missiles on Saturday, the military said.", "2023-08-05", "Saturday"),
        ("The launch came late on Monday, officials said.", "2023-07-31", "Monday"),
        ("A rocket lifted off just before midnight Monday.", "2023-07-31", "Monday"),
        ("The drills ended on Wednesday.", "2023-08-02", "Wednesday"),
        # publication day is the named weekday -> that day
        ("Pyongyang held a rally on Sunday.", "2023-08-06", "Sunday"),
    ],
)
def test_weekday_on_or_before(sentence: str, expected: str, matched: str) -> None:
    assert resolve_date(sentence, SUN) == (d(expected), d(expected), matched)


def test_weekday_on_publication_day_midweek() -> None:
    assert resolve_date("The envoy arrived on Wednesday.", WED)[:2] == (WED, WED)


def test_weekday_future_and_relative() -> None:
    assert resolve_date("The allies will start their drills on Monday.", SUN)[:2] == (d("2023-08-07"),) * 2
    assert resolve_date("The talks were held last Sunday.", SUN)[:2] == (d("2023-07-30"),) * 2
    assert resolve_date("Officials plan to meet next Friday.", SUN)[:2] == (d("2023-08-11"),) * 2


def test_report_date_is_skipped() -> None:
    s = "Kim visited a shipyard, state media said Sunday."
    ms = find_dates(s, SUN)
    assert len(ms) == 1 and ms[0].report
    assert resolve_date(s, SUN) == (None, None, None)
    # an event date in the same sentence is still found
    s = "The North fired a missile on Friday, KCNA reported Saturday."
    assert resolve_date(s, SUN) == (d("2023-08-04"), d("2023-08-04"), "Friday")


# --- relative words --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "start", "end", "matched"),
    [
        ("The ministry issued the warning today.", "2023-08-09", "2023-08-09", "today"),
        ("A drone crossed the border yesterday.", "2023-08-08", "2023-08-08", "yesterday"),
        ("The allies flew bombers last week.", "2023-07-31", "2023-08-06", "last week"),
        ("The parade took place last month.", "2023-07-01", "2023-07-31", "last month"),
        ("The sanctions were announced this month.", "2023-08-01", "2023-08-31", "this month"),
        ("The drills are planned for later this month.", "2023-08-10", "2023-08-31", "later this month"),
        ("A summit is expected next month.", "2023-09-01", "2023-09-30", "next month"),
        ("The navy held drills over the weekend.", "2023-08-05", "2023-08-06", "over the weekend"),
        ("The North tested engines earlier this year.", "2023-01-01", "2023-08-08", "earlier this year"),
        ("The carrier arrived earlier this month.", "2023-08-01", "2023-08-08", "earlier this month"),
        ("The envoy visited three days ago.", "2023-08-06", "2023-08-06", "three days ago"),
    ],
)
def test_relative(sentence: str, start: str, end: str, matched: str) -> None:
    assert resolve_date(sentence, WED) == (d(start), d(end), matched)


def test_later_this_month_on_last_day() -> None:
    s, e, _ = resolve_date("More drills are planned for later this month.", d("2023-08-31"))
    assert s == e == d("2023-08-31")


def test_last_month_in_january() -> None:
    assert resolve_date("The launch happened last month.", d("2024-01-10"))[:2] == (d("2023-12-01"), d("2023-12-31"))


# --- spans -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("Kim's three-day tour of arms plants through Saturday drew wide coverage.", "2023-08-03", "2023-08-05"),
        ("The minister wrapped up a two-day visit ending Friday.", "2023-08-03", "2023-08-04"),
        ("The drills ran from Aug. 3 to 5 off the east coast.", "2023-08-03", "2023-08-05"),
        ("The drills ran Aug. 3-5 off the east coast.", "2023-08-03", "2023-08-05"),
        ("The talks were held 3-5 August in Geneva.", "2023-08-03", "2023-08-05"),
        ("Exercises were staged from July 28 to Aug. 2.", "2023-07-28", "2023-08-02"),
        ("The allies held a 10-day exercise starting July 10.", "2023-07-10", "2023-07-19"),
        ("Air drills ran from Monday through Thursday.", "2023-07-31", "2023-08-03"),
    ],
)
def test_spans(sentence: str, start: str, end: str) -> None:
    s, e, text = resolve_date(sentence, SUN)
    assert (s, e) == (d(start), d(end))
    assert text is not None and text in sentence


def test_span_with_years_across_new_year() -> None:
    s, e, _ = resolve_date("The exercise ran from Dec. 28 to Jan. 2.", d("2024-01-05"))
    assert (s, e) == (d("2023-12-28"), d("2024-01-02"))


# --- explicit dates --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected", "matched"),
    [
        ("The parade was held on July 27 in the capital.", "2023-07-27", "July 27"),
        ("The inspections began Aug. 3, officials said.", "2023-08-03", "Aug. 3"),
        ("The test took place on August 3, 2022.", "2022-08-03", "August 3, 2022"),
        ("The envoy arrived on 3 August.", "2023-08-03", "3 August"),
        ("The accord was signed on the 27th.", "2023-07-27", "on the 27th"),
        ("The launch on 2023-05-31 failed.", "2023-05-31", "2023-05-31"),
        ("A satellite launch failed on Sept. 1, 2022.", "2022-09-01", "Sept. 1, 2022"),
    ],
)
def test_explicit(sentence: str, expected: str, matched: str) -> None:
    assert resolve_date(sentence, SUN) == (d(expected), d(expected), matched)


def test_explicit_not_after_publication() -> None:
    # Aug. 20 in an article of Aug. 6 without future words -> the previous year
    assert resolve_date("The drills began Aug. 20.", SUN)[0] == d("2022-08-20")
    # ...but a future phrase keeps it ahead
    assert resolve_date("The drills are planned for Aug. 21.", SUN)[0] == d("2023-08-21")
    assert resolve_date("The exercise will run from Aug. 21 to 31.", SUN)[:2] == (d("2023-08-21"), d("2023-08-31"))


def test_year_rollover_dec_30_in_january() -> None:
    assert resolve_date("North Korea fired a missile on Dec. 30.", d("2024-01-05"))[:2] == (d("2023-12-30"),) * 2


def test_on_the_nth_previous_month() -> None:
    assert resolve_date("The talks collapsed on the 27th.", d("2023-08-05"))[0] == d("2023-07-27")


def test_month_names() -> None:
    assert resolve_date("North Korea launched a satellite in May.", SUN)[:2] == (d("2023-05-01"), d("2023-05-31"))
    assert resolve_date("A nuclear test in September 2017 was the last.", SUN)[:2] == (
        d("2017-09-01"), d("2017-09-30"))
    # the modal "may" is not a month
    assert resolve_date("The North may launch a satellite soon.", SUN) == (None, None, None)


def test_undated() -> None:
    assert resolve_date("The North has tested many missiles.", SUN) == (None, None, None)


def test_find_dates_order_and_longest() -> None:
    s = "A three-day tour through Saturday came before drills planned for later this month."
    ms = find_dates(s, SUN)
    assert [m.text for m in ms] == ["three-day tour through Saturday", "later this month"]
    assert ms[1].future and not ms[0].future


def test_capitalised_month_preposition_and_quarters() -> None:
    assert resolve_date("In December, the North launched an ICBM.", d("2024-01-15"))[:2] == (
        d("2023-12-01"), d("2023-12-31"))
    assert resolve_date("The talks were held in late July.", SUN)[:2] == (d("2023-07-21"), d("2023-07-31"))
    assert resolve_date("Drills are planned for mid-September.", SUN)[:2] == (d("2023-09-11"), d("2023-09-20"))


# --- datelines, times of day, time zones ---------------------------------------------------
from titfortat.text.dates import find_times, parse_dateline, to_kst_day  # noqa: E402

ZONES = {"SEOUL": "Asia/Seoul", "WASHINGTON": "America/New_York", "UNITED NATIONS": "America/New_York",
         "TOKYO": "Asia/Tokyo", "MOSCOW": "Europe/Moscow"}


@pytest.mark.parametrize(("text", "place", "tz", "day", "agency", "rest"), [
    ("SEOUL, South Korea (AP) \u2014 North Korea fired", "SEOUL", "Asia/Seoul", None, "AP", "North Korea fired"),
    ("SEOUL, July 31 (Yonhap) -- North Korea fired", "SEOUL", "Asia/Seoul", date(2019, 7, 31), "Yonhap", "North"),
    ("TOKYO (Reuters) - Japan said", "TOKYO", "Asia/Tokyo", None, "Reuters", "Japan said"),
    ("UNITED NATIONS (AP) \u2014 The council", "UNITED NATIONS", "America/New_York", None, "AP", "The council"),
    ("GENEVA (AP) \u2014 Talks", "GENEVA", "Asia/Seoul", None, "AP", "Talks"),  # not in the zones: KST
    ("SEOUL, Oct 4 (Reuters) - North Korea", "SEOUL", "Asia/Seoul", date(2018, 10, 4), "Reuters", "North"),  # not after publication
    ("WASHINGTON/SEOUL, Oct 4 (Reuters) - The", "WASHINGTON/SEOUL", "America/New_York", date(2018, 10, 4),
     "Reuters", "The"),
    ("Seoul (AFP) - North Korea fired", "Seoul", "Asia/Seoul", None, "AFP", "North Korea"),
    ("TOKYO, May 9 Kyodo - North Korea fired", "TOKYO", "Asia/Tokyo", date(2019, 5, 9), "Kyodo", "North"),  # no brackets
    # Kyodo's web dateline on a line of its own, without a dash; Jiji's title-case place with the day
    ("TOKYO, May 9, Kyodo\nNorth Korea fired", "TOKYO", "Asia/Tokyo", date(2019, 5, 9), "Kyodo", "North"),
    ("TOKYO, May 9, Kyodo North Korea fired", "TOKYO", "Asia/Tokyo", date(2019, 5, 9), "Kyodo", "North"),
    ("Seoul, May 9 (Jiji Press)--North Korea fired", "Seoul", "Asia/Seoul", date(2019, 5, 9), "Jiji Press", "North"),
    # IANS: a plain space after the bracketed agency
    ("Brussels, May 9 (IANS) The European Union", "Brussels", "Asia/Seoul", date(2019, 5, 9), "IANS", "The European"),
])
def test_parse_dateline(text: str, place: str, tz: str, day: date | None, agency: str, rest: str) -> None:
    dl = parse_dateline(text, date(2019, 7, 31), ZONES)
    assert dl is not None and (dl.place, dl.tz, dl.day, dl.agency) == (place, tz, day, agency)
    assert text[dl.end:].startswith(rest)
    assert dl.known_place == any(p.upper() in ZONES for p in place.split("/"))


@pytest.mark.parametrize(("text", "place", "agency", "rest"), [
    ("By Oh Seok-min SEOUL, Aug. 28 (Yonhap) -- South Korea", "SEOUL", "Yonhap", "South Korea"),
    ("By Josh Smith SEOUL (Reuters) - North Korea", "SEOUL", "Reuters", "North Korea"),
    ("By Kim Tong-hyung and Mari Yamaguchi TOKYO (AP) \u2014 Japan", "TOKYO", "AP", "Japan"),
])
def test_a_byline_run_into_the_dateline_is_passed_over(text: str, place: str, agency: str, rest: str) -> None:
    dl = parse_dateline(text, date(2020, 8, 28), ZONES)
    assert dl is not None and (dl.place, dl.agency) == (place, agency)
    assert text[dl.end:].startswith(rest)
    assert parse_dateline("By Friday NORTH KOREA had fired three missiles.", date(2020, 8, 28), ZONES) is None


def test_a_dateline_with_a_day_and_an_agency_but_no_place() -> None:
    dl = parse_dateline("July 28 (UPI) \u2014 North Korean leader Kim", date(2023, 7, 28), ZONES)
    assert dl is not None and (dl.place, dl.day, dl.agency, dl.known_place) == ("", date(2023, 7, 28), "UPI", False)
    assert "July 28 (UPI) -- North"[parse_dateline("July 28 (UPI) -- North", date(2023, 7, 28), ZONES).end:] == "North"
    assert parse_dateline("July 28 was the day (they said) of the parade", date(2023, 7, 28), ZONES) is None


def test_a_possessive_day_after_a_verb_of_saying_is_the_events_day() -> None:
    got = [(m.text, m.start, m.report) for m in find_dates("The agency said Sunday\u2019s launch was a test, it said Monday.",
                                                         date(2024, 1, 15))]
    assert got == [("Sunday", date(2024, 1, 14), False), ("Monday", date(2024, 1, 15), True)]


def test_no_dateline() -> None:
    assert parse_dateline("North Korea fired a missile on Monday.", date(2024, 1, 1), ZONES) is None
    assert parse_dateline("Kim Jong Un (pictured) - the leader", date(2024, 1, 1), ZONES) is None
    assert parse_dateline("U.S. officials said the launch failed.", date(2024, 1, 1), ZONES) is None
    assert parse_dateline("SEOUL, South Korea North Korea fired", date(2024, 1, 1), ZONES) is None
    assert parse_dateline("Seoul, May 9 North Korea fired", date(2024, 1, 1), ZONES) is None
    assert parse_dateline("Seoul (photo) the leader smiled", date(2024, 1, 1), ZONES) is None


@pytest.mark.parametrize(("text", "lo", "hi", "zone"), [
    ("fired late Thursday", 18, 24, None),
    ("early Saturday", 0, 9, None),
    ("launched Thursday night", 20, 24, None),
    ("on Tuesday morning local time", 5, 12, "Asia/Seoul"),
    ("shortly before midnight", 23, 24, None),
    ("just after midnight", 0, 1, None),
    ("at about 7:10 a.m.", 7 + 10 / 60, 7 + 10 / 60, None),
    ("at 10:42 p.m. on Tuesday", 22.7, 22.7, None),
    ("(2153 GMT Monday)", 21 + 53 / 60, 21 + 53 / 60, "UTC"),
    ("before dawn", 2, 6, None),
])
def test_find_times(text: str, lo: float, hi: float, zone: str | None) -> None:
    t = find_times(text)[0]
    assert (t.lo, t.hi) == (pytest.approx(lo), pytest.approx(hi))
    assert t.zone == zone


def test_no_times_in_plain_dates() -> None:
    assert find_times("North Korea fired a missile on Monday, Aug. 3.") == []
    assert find_times("It was a night to remember.") == []  # "night" without a day word


def test_to_kst_day() -> None:
    # a Washington "Tuesday" without a time: the KST day is probably Wednesday, uncertain by a day
    assert to_kst_day(date(2024, 5, 28), "America/New_York")[:2] == (date(2024, 5, 29), 1)
    # "Tuesday night" in Washington (EDT): Wednesday morning in Seoul, certain
    assert to_kst_day(date(2023, 7, 11), "America/New_York", 20, 24)[:2] == (date(2023, 7, 12), 0)
    # "Monday morning" in Washington: Monday evening in Seoul (one hour past midnight is tolerated)
    assert to_kst_day(date(2024, 5, 27), "America/New_York", 5, 12)[:2] == (date(2024, 5, 27), 0)
    # winter (EST, UTC-5): 9 a.m. Washington is 11 p.m. Seoul the same day
    assert to_kst_day(date(2024, 1, 10), "America/New_York", 9, 9)[:2] == (date(2024, 1, 10), 0)
    # Beijing is an hour behind: the same day
    assert to_kst_day(date(2019, 1, 8), "Asia/Shanghai")[:2] == (date(2019, 1, 8), 0)
    # Seoul and Tokyo: unchanged, no note
    assert to_kst_day(date(2023, 2, 16), "Asia/Tokyo", 20, 24) == (date(2023, 2, 16), 0, "")
    # a clock time in GMT
    assert to_kst_day(date(2024, 4, 1), "UTC", 21 + 53 / 60, 21 + 53 / 60)[:2] == (date(2024, 4, 2), 0)


def test_and_lists_two_days_not_a_range() -> None:
    got = [(m.start, m.kind) for m in find_dates("tests on July 4 and July 28", date(2017, 8, 5))]
    assert got == [(date(2017, 7, 4), "explicit"), (date(2017, 7, 28), "explicit")]
    got = find_dates("between Aug. 3 and 5", date(2023, 8, 6))
    assert [(m.start, m.end) for m in got] == [(date(2023, 8, 3), date(2023, 8, 5))]


# --- properties ------------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ZONES = ["Asia/Seoul", "Asia/Tokyo", "Asia/Shanghai", "Europe/Moscow", "Europe/London", "America/New_York",
          "America/Los_Angeles", "UTC"]


@given(day=st.dates(date(2016, 1, 1), date(2026, 12, 31)), tz=st.sampled_from(_ZONES),
       lo=st.floats(0, 23.99), width=st.floats(0, 8), timed=st.booleans())
@settings(max_examples=300, deadline=None)
def test_kst_day_is_within_a_day_of_the_local_day(day: date, tz: str, lo: float, width: float, timed: bool) -> None:
    hi = min(24.0, lo + width)
    kday, margin, note = to_kst_day(day, tz, lo if timed else None, hi if timed else None)
    assert day - timedelta(days=1) <= kday <= day + timedelta(days=1)
    assert margin in (0, 1)
    if tz in ("Asia/Seoul", "Asia/Tokyo"):
        assert (kday, margin, note) == (day, 0, "")
    elif tz.startswith("America/"):
        assert kday >= day  # Seoul is ahead of the Americas
        if not timed:
            assert (kday, margin) == (day + timedelta(days=1), 1)


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_date_and_time_finders_never_fail(text: str) -> None:
    pub = date(2024, 3, 15)
    for m in find_dates(text, pub):
        assert m.start <= m.end and text[m.span[0]:m.span[1]] == m.text
    for t in find_times(text):
        assert 0 <= t.lo <= t.hi <= 24
    parse_dateline(text, pub, ZONES)


def test_future_context_reaches_back_to_the_clause_verb() -> None:
    # "will" 68 characters before the weekday, in the same clause: next Tuesday, not last Tuesday
    text = "North Korea will sever all communication channels with South Korea from noon on Tuesday, it said."
    d = [x for x in find_dates(text, date(2020, 6, 8)) if x.kind == "weekday"][0]
    assert d.start == date(2020, 6, 9)


def test_a_day_right_before_the_reporting_verb_is_the_reports() -> None:
    from titfortat.text.dates import find_dates

    (d,) = find_dates("North Korea on Monday said it flight-tested a new missile.", date(2024, 1, 15))
    assert d.report and str(d.start) == "2024-01-15"
    (d,) = find_dates("North Korea on Monday fired a new missile.", date(2024, 1, 15))
    assert not d.report


def test_a_sentence_opening_with_its_day_and_going_on_in_the_future_points_forward() -> None:
    wed = date(2023, 3, 22)
    got = find_dates("On Thursday, Seoul and Washington plan to conclude the exercise.", wed)
    assert [(m.text, m.start) for m in got] == [("Thursday", date(2023, 3, 23))]
    got = find_dates("On Thursday, Seoul and Washington concluded the exercise.", date(2023, 3, 25))
    assert [(m.text, m.start) for m in got] == [("Thursday", date(2023, 3, 23))]


def test_a_day_that_opens_a_sentence_whose_subject_reports_is_the_report_day_when_the_event_has_its_own() -> None:
    text = ("On September 13, North Korea also announced the testing of a new cruise missile, which was held on "
            "September 11.")
    got = [(d.text, d.report) for d in find_dates(text, date(2021, 9, 29))]
    assert got == [("September 13", True), ("September 11", False)]
    # with no day of its own, the day told stays the event's (as the events data record it)
    text = "On March 19, North Korea said it had tested a solid-fuel engine."
    assert [(d.text, d.report) for d in find_dates(text, date(2024, 3, 29))] == [("March 19", False)]
