"""titfortat.text.coder on sentences written for these tests, and on the seed article."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from titfortat.text.articles import load_article
from titfortat.text.linking import code_article
from titfortat.text.coder import (
    ITEM_COLUMNS,
    CodedItem,
    code_text,
    load_dictionaries,
    side_of,
    split_sentences,
)

REPO = Path(__file__).resolve().parents[1]
SEED_DIR = REPO.parent / "shared" / "seed-article"
PUB = date(2023, 8, 6)  # Sunday


def one(text: str, action: str, published: date = PUB) -> CodedItem:
    """The one item of ``action`` in ``text`` told on a page of Korea's calendar (a weekday six days back
    stays six days back; on a page of unknown zone it would be Korea's next day)."""
    items = [it for it in code_text(text, published, source_zone="Asia/Seoul") if it.action == action]
    assert len(items) == 1, [it.summary() for it in code_text(text, published, source_zone="Asia/Seoul")]
    return items[0]


# --- sentences -------------------------------------------------------------------------
def test_split_sentences_survives_abbreviations() -> None:
    text = ("The U.S. Forces Korea said Gen. Paul LaCamera met Lt. Col. John Smith Jr. on Aug. 3. "
            "The North fired a missile at 7 a.m. on Sept. 2, U.S. officials said! Was it new? "
            "Officials met in the U.S. The talks ended.\n\nA new paragraph without a full stop")
    assert split_sentences(text) == [
        "The U.S. Forces Korea said Gen. Paul LaCamera met Lt. Col. John Smith Jr. on Aug. 3.",
        "The North fired a missile at 7 a.m. on Sept. 2, U.S. officials said!",
        "Was it new?",
        "Officials met in the U.S.",
        "The talks ended.",
        "A new paragraph without a full stop",
    ]


def test_split_sentences_quotes() -> None:
    text = 'Kim called it "a top priority." The KCNA report followed.'
    assert split_sentences(text) == ['Kim called it "a top priority."', "The KCNA report followed."]


# --- sides -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("actor", "side"),
    [("DPRK", "DPRK"), ("US", "ALLIANCE"), ("US+ROK", "ALLIANCE"), ("US+ROK+JP", "ALLIANCE"),
     ("DPRK+RU", "OTHER"), ("RU", "OTHER"), ("CN", "OTHER"), ("US+RU", "OTHER"), (None, None)],
)
def test_side_of(actor: str | None, side: str | None) -> None:
    assert side_of(actor) == side


# --- actor attribution -----------------------------------------------------------------
def test_subject_is_actor_and_speaker_is_not() -> None:
    it = one("North Korea fired two short-range ballistic missiles off its east coast on Thursday, "
             "South Korea's Joint Chiefs of Staff said.", "missile_launch")
    assert (it.actor, it.side) == ("DPRK", "DPRK")
    assert (it.start, it.end, it.date_text) == (date(2023, 8, 3), date(2023, 8, 3), "Thursday")
    assert not it.negated and not it.hedged


def test_combined_actor() -> None:
    it = one("South Korea and the United States began their annual Freedom Shield exercise on Monday.",
             "joint_exercise")
    assert (it.actor, it.side, it.start) == ("US+ROK", "ALLIANCE", date(2023, 7, 31))


def test_hyphenated_combination_inside_phrase() -> None:
    it = one("The pace of the joint U.S.-South Korea military drills has picked up.", "joint_exercise")
    assert it.actor == "US+ROK"


def test_combined_unilateral_drill_becomes_joint() -> None:
    it = one("Seoul and Tokyo held naval drills on Tuesday.", "joint_exercise")
    assert (it.actor, it.side) == ("ROK+JP", "ALLIANCE")


def test_us_asset_deployment() -> None:
    it = one("Washington flew B-52 bombers over the peninsula on Tuesday.", "strategic_asset_deployment")
    assert (it.actor, it.side, it.start) == ("US", "ALLIANCE", date(2023, 8, 1))


def test_passive_by() -> None:
    it = one("Two cruise missiles were launched by North Korea early on Friday.", "missile_launch")
    assert it.actor == "DPRK" and it.start == date(2023, 8, 4)


def test_pronoun_resolved_to_previous_subject() -> None:
    items = code_text("Kim Jong Un visited a munitions factory. He later watched a missile launch.", PUB)
    assert [(i.action, i.actor) for i in items] == [("weapons_inspection", "DPRK"), ("missile_launch", "DPRK")]


def test_target_is_not_actor_nor_participant() -> None:
    it = one("North Korea launched missiles designed to target South Korea and the United States.",
             "missile_launch")
    assert it.actor == "DPRK" and it.participants == ()


def test_capability_is_not_a_launch() -> None:
    items = code_text("The trucks are designed to transport and fire ballistic missiles.", PUB)
    assert not [i for i in items if i.action == "missile_launch"]


def test_other_side_summit() -> None:
    it = one("Putin met Kim Jong Un at a summit in Vladivostok on Sept. 13.", "summit", date(2023, 9, 14))
    # the leader met (the object of "met") is a party to the summit
    assert (it.actor, it.side, it.start) == ("DPRK+RU", "OTHER", date(2023, 9, 13))
    assert it.participants == ()


# --- participants ----------------------------------------------------------------------
def test_participants_at_parade() -> None:
    it = one("Kim watched the parade with Russian Defence Minister Sergei Shoigu and a Chinese delegation "
             "on July 27.", "military_parade")
    assert it.actor == "DPRK"
    assert it.participants == ("RU", "CN")
    assert it.start == date(2023, 7, 27)


def test_attendee_is_participant_not_actor() -> None:
    it = one("Shoigu's presence at the parade in Pyongyang drew attention.", "military_parade")
    assert it.actor == "DPRK" and it.participants == ("RU",)


# --- negation and hedging --------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("North Korea did not conduct a nuclear test last year.", "nuclear_test"),
        ("Pyongyang denied that it had fired a missile toward Japan.", "missile_launch"),
        ("North Korea has never launched a satellite successfully.", "satellite_launch"),
        ("There was no missile launch during the holiday.", "missile_launch"),
    ],
)
def test_negated(text: str, action: str) -> None:
    assert one(text, action).negated


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("North Korea may be preparing a satellite launch, officials said.", "satellite_launch"),
        ("Analysts said the North could conduct a nuclear test.", "nuclear_test"),
        ("There are suspicions that Pyongyang fired a new cruise missile.", "missile_launch"),
        ("Seoul and Washington prepared for combined exercises.", "joint_exercise"),
    ],
)
def test_hedged(text: str, action: str) -> None:
    it = one(text, action)
    assert it.hedged and not it.negated


def test_planned_event_kept_hedged_with_future_dates() -> None:
    it = one("The allies will hold combined drills from Aug. 21 to 31.", "joint_exercise")
    assert it.hedged
    assert (it.start, it.end) == (date(2023, 8, 21), date(2023, 8, 31))
    it = one("The United States and South Korea plan joint drills next month.", "joint_exercise")
    assert it.hedged and (it.start, it.end) == (date(2023, 9, 1), date(2023, 9, 30))


def test_plain_past_event_not_hedged() -> None:
    assert not one("North Korea launched an ICBM on Wednesday.", "missile_launch").hedged


def test_undated_mention_kept() -> None:
    it = one("North Korea has launched many missiles.", "missile_launch")
    assert it.start is None and it.end is None and it.date_text is None


def test_dates_go_to_nearest_action() -> None:
    items = code_text("Kim's two-day factory tour ending Friday came before a parade last month.", PUB)
    got = {i.action: (i.start, i.end) for i in items}
    assert got["weapons_inspection"] == (date(2023, 8, 3), date(2023, 8, 4))
    assert got["military_parade"] == (date(2023, 7, 1), date(2023, 7, 31))


def test_leading_date_is_shared() -> None:
    items = code_text("On Monday, North Korea fired a missile and the United States flew bombers.", PUB,
                      source_zone="Asia/Seoul")
    assert {i.action: i.start for i in items} == {
        "missile_launch": date(2023, 7, 31), "strategic_asset_deployment": date(2023, 7, 31)}
    assert {i.action: i.actor for i in items} == {"missile_launch": "DPRK", "strategic_asset_deployment": "US"}


def test_dateline_is_ignored() -> None:
    it = one("SEOUL, South Korea (Wire) \u2014 North Korea fired a missile on Friday.", "missile_launch")
    assert it.actor == "DPRK" and it.participants == ()


def test_item_to_dict_and_summary() -> None:
    it = one("North Korea launched an ICBM on Wednesday.", "missile_launch")
    d = it.to_dict()
    assert d["start"] == "2023-08-02" and d["participants"] == []
    assert "DPRK missile_launch" in it.summary()


# --- dictionaries ----------------------------------------------------------------------
def test_dictionaries_extendable(tmp_path: Path) -> None:
    actors = tmp_path / "actors.yaml"
    actors.write_text("actors:\n  DPRK:\n    people: [Kim]\n  RU:\n    people: [Ivanov]\n", encoding="utf-8")
    actions = tmp_path / "actions.yaml"
    actions.write_text(
        "actions:\n  weapons_test:\n    priority: 50\n    patterns:\n"
        "      - regex: '\\bdemonstrat\\w*\\s+{g3}railgun'\n", encoding="utf-8")
    dic = load_dictionaries(actors, actions)
    items = code_text("Ivanov demonstrated a new railgun on Friday.", PUB, dic)
    assert [(i.actor, i.action, i.start) for i in items] == [("RU", "weapons_test", date(2023, 8, 4))]


def test_dictionaries_validated(tmp_path: Path) -> None:
    actors = tmp_path / "actors.yaml"
    actors.write_text("actors:\n  XX:\n    people: [Nobody]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="XX"):
        load_dictionaries(actors, None)
    actions = tmp_path / "actions.yaml"
    actions.write_text("actions:\n  dancing:\n    patterns: [{regex: dance}]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="dancing"):
        load_dictionaries(None, actions)


def test_repository_dictionaries_use_codebook_vocabulary() -> None:
    dic = load_dictionaries()
    assert {p.action for p in dic.action_patterns} >= {
        "weapons_inspection", "military_parade", "joint_exercise", "missile_launch", "satellite_launch",
        "nuclear_test", "strategic_asset_deployment", "sanctions", "summit", "agreement"}


# --- code_article on the repository's samples --------------------------------------------
def test_code_article_columns_and_sample() -> None:
    art = load_article(REPO / "data" / "articles" / "2022-11-04_vigilant-storm-launches-brief.html")
    df = code_article(art)
    assert list(df.columns) == ITEM_COLUMNS
    launches = df[(df.action == "missile_launch") & (df.side == "DPRK") & df.start.notna()]
    assert date(2022, 11, 2) in set(launches.start) and date(2022, 11, 3) in set(launches.start)
    ex = df[(df.action == "joint_exercise") & (df.side == "ALLIANCE")]
    assert date(2022, 10, 31) in set(ex.start.dropna())
    assert all(isinstance(v, list) for v in df.matched_event_ids)


# --- the seed article ------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_items() -> pd.DataFrame:
    if not SEED_DIR.is_dir():
        pytest.skip(f"seed article folder {SEED_DIR} is absent (it lives outside the repository)")
    files = sorted(SEED_DIR.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed article .txt in {SEED_DIR}")
    art = load_article(files[0], published=PUB)
    events = pd.DataFrame({
        "event_id": ["2023-08-21_us-rok_joint_exercise", "2023-07-27_dprk_military_parade",
                     "2023-03-13_us-rok_joint_exercise"],
        "date": pd.to_datetime(["2023-08-21", "2023-07-27", "2023-03-13"]),
        "end_date": pd.to_datetime(["2023-08-31", "2023-07-27", "2023-03-23"]),
        "actor": ["US+ROK", "DPRK", "US+ROK"],
        "action": ["joint_exercise", "military_parade", "joint_exercise"],
        "side": ["ALLIANCE", "DPRK", "ALLIANCE"],
        "detail": ["Ulchi Freedom Shield 2023", "", "Freedom Shield 2023"],
    })
    return code_article(art, events, tolerance_days=3)


def test_seed_weapons_inspection(seed_items: pd.DataFrame) -> None:
    df = seed_items
    hit = df[(df.actor == "DPRK") & (df.action == "weapons_inspection")
             & (df.start == date(2023, 8, 3)) & (df.end == date(2023, 8, 5))]
    assert len(hit) >= 1
    assert not hit.iloc[0].negated


def test_seed_upcoming_exercise(seed_items: pd.DataFrame) -> None:
    df = seed_items
    ex = df[(df.side == "ALLIANCE") & (df.action == "joint_exercise") & df.start.notna()]
    ex = ex[[s > PUB and e <= date(2023, 8, 31) for s, e in zip(ex.start, ex.end)]]
    assert len(ex) >= 1
    assert ex.iloc[0].hedged  # planned, not yet held
    assert ex.iloc[0].matched_event_ids == ["2023-08-21_us-rok_joint_exercise"]


def test_seed_parade(seed_items: pd.DataFrame) -> None:
    df = seed_items
    par = df[(df.actor == "DPRK") & (df.action == "military_parade") & (df.start == date(2023, 7, 27))]
    assert len(par) >= 1
    assert "RU" in par.iloc[0].participants
    assert par.iloc[0].matched_event_ids == ["2023-07-27_dprk_military_parade"]


def test_seed_no_false_launch_from_launcher_trucks(seed_items: pd.DataFrame) -> None:
    # launch vehicles / launcher trucks and "designed to ... fire" are not launches
    dated = seed_items[(seed_items.action == "missile_launch") & seed_items.start.notna()]
    assert dated.empty


def test_items_frame_dtypes_keep_none() -> None:
    from titfortat.text.coder import items_frame

    df = items_frame(code_text("North Korea has launched many missiles. Nothing else happened.", PUB))
    assert len(df) == 1
    assert df.date_text.iloc[0] is None and df.start.iloc[0] is None
    assert df.negated.dtype == bool and df.sentence_index.dtype == "int64"
    empty = items_frame([])
    assert list(empty.columns) == ITEM_COLUMNS and len(empty) == 0


def test_suppression_and_co_occurrence() -> None:
    # a satellite launch is not also a missile launch; joint drills are not also a unilateral drill
    items = code_text("North Korea launched a military reconnaissance satellite on Tuesday.", PUB)
    assert [i.action for i in items] == ["satellite_launch"]
    items = code_text("Seoul and Washington wrapped up joint military drills on Friday.", PUB)
    assert [i.action for i in items] == ["joint_exercise"]
    # overlapping phrases of unrelated actions are both kept, with the same date
    items = code_text("The United States, South Korea and Japan staged a trilateral naval exercise involving "
                      "the aircraft carrier USS Carl Vinson from Monday through Wednesday.", PUB)
    got = {i.action: (i.side, i.start, i.end) for i in items}
    assert got["joint_exercise"] == ("ALLIANCE", date(2023, 7, 31), date(2023, 8, 2))
    assert got["strategic_asset_deployment"] == ("ALLIANCE", date(2023, 7, 31), date(2023, 8, 2))


def test_same_action_two_actors_in_two_clauses() -> None:
    items = code_text("Putin accepted an invitation to visit Pyongyang, the Kremlin said, after North Korea's "
                      "foreign minister Choe Son Hui held talks with Lavrov in Moscow on Tuesday.", PUB)
    got = sorted((i.actor, i.action, i.start, i.hedged) for i in items)
    # (the minister's talks in Moscow join visitor and host)
    assert got == [("DPRK+RU", "diplomatic_visit", date(2023, 8, 1), False),
                   ("RU", "diplomatic_visit", None, True)]


def test_same_event_two_phrases_one_item() -> None:
    items = code_text("Putin met Kim Jong Un at a summit in Vladivostok on Sept. 13.", date(2023, 9, 14))
    assert len(items) == 1


def test_clause_boundary_keeps_date_with_its_action() -> None:
    items = code_text("The North fired more than 200 artillery rounds near the sea border on Jan. 5, prompting "
                      "South Korea to stage its own live-fire drills.", date(2024, 1, 15))
    got = {i.action: (i.actor, i.start) for i in items}
    assert got["artillery_fire"] == ("DPRK", date(2024, 1, 5))
    assert got["military_drill"] == ("ROK", None)


def test_sources_are_not_participants() -> None:
    it = one("North Korea fired a hypersonic missile on Sunday, South Korea's military said.", "missile_launch")
    assert it.participants == ()


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_apostrophes_in_dictionary_phrases(apostrophe: str) -> None:
    it = one(f"The Korean People{apostrophe}s Army fired artillery rounds into the sea on Friday.", "artillery_fire")
    assert it.actor == "DPRK"
    it = one(f"Shoigu{apostrophe}s presence at the parade in Pyongyang was noted.", "military_parade")
    assert it.actor == "DPRK" and it.participants == ("RU",)


def test_edited_dictionary_is_reloaded(tmp_path: Path) -> None:
    import os

    actors = tmp_path / "actors.yaml"
    actors.write_text("actors:\n  RU:\n    people: [Ivanov]\n", encoding="utf-8")
    assert code_text("Ivanov fired a missile.", PUB, load_dictionaries(actors))[0].actor == "RU"
    actors.write_text("actors:\n  CN:\n    people: [Ivanov]\n", encoding="utf-8")
    st = actors.stat()
    os.utime(actors, (st.st_atime, st.st_mtime + 5))
    assert code_text("Ivanov fired a missile.", PUB, load_dictionaries(actors))[0].actor == "CN"


# --- datelines, the lead rule, parts of the day, report dates --------------------------------
from titfortat.text.coder import merge_mentions  # noqa: E402
from titfortat.text.dates import find_dates  # noqa: E402


def events_of(text: str, published: date, title: str | None = None) -> list[CodedItem]:
    return merge_mentions(code_text(text, published, title=title))


def test_report_date_is_not_the_event_date_and_night_is_the_day_before() -> None:
    text = ("SEOUL, South Korea (AP) \u2014 North Korea launched a cruise missile toward the Yellow Sea, the "
            "South Korean military said Friday.\n\nThe missile was fired just before midnight from a western "
            "coastal town, officials said.")
    ev = [e for e in events_of(text, date(2024, 3, 8)) if e.action == "missile_launch"]
    assert len(ev) == 1
    assert ev[0].start == date(2024, 3, 7) and ev[0].date_rule == "lead sentence"
    assert "evening before" in ev[0].date_reason and ev[0].mentions == (0, 1)


def test_undated_lead_is_the_story_event_on_the_dateline_day() -> None:
    text = "SEOUL, March 5 (Yonhap) -- North Korea fired a short-range ballistic missile into the East Sea."
    ev = events_of(text, date(2024, 3, 6))  # metadata a day later; the dateline's own date wins
    assert [(e.action, e.start, e.date_rule) for e in ev] == [("missile_launch", date(2024, 3, 5), "lead sentence")]
    # without a dateline (a web page) the lead is dated by the publication day, a day either side
    ev = events_of("North Korea fired a short-range ballistic missile.", date(2024, 3, 6))
    assert [(e.start, e.date_rule, e.date_margin_days) for e in ev] == [(date(2024, 3, 6), "lead sentence", 1)]
    # background and habits in a lead are no event of the day
    assert events_of("North Korea has launched many missiles.", date(2024, 3, 6))[0].start is None


def test_lead_dated_by_the_next_sentence_about_the_same_event() -> None:
    text = ("SEOUL, South Korea (AP) \u2014 Kim Jong Un toured a shell factory and urged more output, state media "
            "said Tuesday.\n\nKCNA said the factory visit took place on Sunday.")
    ev = [e for e in events_of(text, date(2023, 9, 12)) if e.action == "weapons_inspection"]
    assert [(e.start, e.date_rule) for e in ev] == [(date(2023, 9, 10), "following sentence")]


@pytest.mark.parametrize(("phrase", "expected"), [
    ("late Monday", date(2024, 2, 13)),          # 18-24 in Washington = Tuesday morning in Seoul
    ("Monday night", date(2024, 2, 13)),
    ("early Monday", date(2024, 2, 12)),         # 0-9 in Washington = 14-23 in Seoul
    ("on Monday morning local time", date(2024, 2, 12)),
])
def test_washington_dateline_converts_to_kst(phrase: str, expected: date) -> None:
    text = f"WASHINGTON (AP) \u2014 North Korea fired a ballistic missile {phrase}, U.S. officials said."
    ev = events_of(text, date(2024, 2, 13))  # Tuesday
    assert (ev[0].start, ev[0].date_margin_days) == (expected, 0), ev[0].date_reason


def test_washington_weekday_without_time_is_uncertain() -> None:
    # Washington's own act keeps its local day, +-1 day (the events data's date_precision rule in codebook.yaml)
    text = "WASHINGTON (Reuters) - The United States imposed new sanctions on North Korean banks on Monday."
    ev = events_of(text, date(2024, 2, 13))
    assert (ev[0].start, ev[0].date_margin_days) == (date(2024, 2, 12), 1)
    assert "keeps its local day" in ev[0].date_reason
    # what happens in Korea moves to the Korean calendar day
    text = "WASHINGTON (Reuters) - North Korea fired a ballistic missile on Monday, South Korea's military said."
    ev = events_of(text, date(2024, 2, 13))
    assert (ev[0].start, ev[0].date_margin_days) == (date(2024, 2, 13), 1)
    assert "uncertain by a day" in ev[0].date_reason
    assert not ev[0].hedged  # a KST day after the US publication day is not the future


def test_washington_weekday_of_the_next_day_is_a_korean_date() -> None:
    # published on the US Tuesday; "Wednesday" can only be the Korean day, not six days before
    text = "WASHINGTON (AP) \u2014 North Korea fired a ballistic missile Wednesday, South Korea's military said."
    ev = events_of(text, date(2024, 2, 13))
    assert (ev[0].start, ev[0].date_margin_days, ev[0].hedged) == (date(2024, 2, 14), 0, False)
    assert "Korean date" in ev[0].date_reason
    # a Seoul dateline on a page of Korea's calendar keeps the usual reading (the most recent Wednesday); on a page
    # whose calendar is unknown (an AP story from Seoul on a US site dated Monday told of talks begun "Tuesday
    # morning") the day after the page's date is Korea's next day
    seoul = text.replace("WASHINGTON (AP)", "SEOUL (AP)")
    ev = merge_mentions(code_text(seoul, date(2024, 2, 13), source_zone="Asia/Seoul"))
    assert ev[0].start == date(2024, 2, 7)
    assert events_of(seoul, date(2024, 2, 13))[0].start == date(2024, 2, 14)


def test_later_in_the_day_and_day_after() -> None:
    text = ("North Korea fired artillery shells near the border on Wednesday. South Korean troops held a "
            "live-fire drill later in the day.\n\nThe North had launched a cruise missile a day earlier.")
    ev = {(e.side, e.action): e for e in events_of(text, date(2024, 1, 12))}
    assert ev[("DPRK", "artillery_fire")].start == date(2024, 1, 10)
    assert ev[("ALLIANCE", "military_drill")].start == date(2024, 1, 10)
    assert ev[("ALLIANCE", "military_drill")].date_rule == "same day as previous event"


def test_a_day_after_clause() -> None:
    items = code_text("Seoul and Washington staged combined air drills on Friday, a day after North Korea "
                      "fired two ballistic missiles.", date(2024, 1, 20))
    got = {(i.side, i.action): (i.start, i.date_rule) for i in items}
    assert got[("ALLIANCE", "joint_exercise")] == (date(2024, 1, 19), "date phrase")
    assert got[("DPRK", "missile_launch")] == (date(2024, 1, 18), "offset from previous event")


# --- actors: passive voice, places, "in response", weak subjects ----------------------------
def test_passive_launch_from_a_north_korean_place() -> None:
    it = one("Three ballistic missiles were fired from near Sinpo on Tuesday, the Joint Chiefs of Staff said.",
             "missile_launch")
    assert (it.actor, it.actor_rule) == ("DPRK", "place")
    it = one("Two projectiles were launched on Tuesday from an area near the North Korean city of Hamhung, "
             "South Korea's military said.", "missile_launch")
    assert it.actor == "DPRK"


def test_in_response_does_not_flip_the_subject() -> None:
    it = one("The allies in response have expanded their joint training, officials said on Monday.",
             "joint_exercise")
    assert it.side == "ALLIANCE"
    it = one("In response to North Korea's launch, South Korea and the United States held combined air drills "
             "on Monday.", "joint_exercise")
    assert it.actor == "US+ROK"


def test_reaction_verbs_do_not_make_an_actor() -> None:
    it = one("Japan condemned the missile launch by North Korea on Monday.", "missile_launch")
    assert it.actor == "DPRK"
    it = one("South Korea's military detected the launch of two ballistic missiles from Pyongyang on Monday.",
             "missile_launch")
    assert it.actor == "DPRK"


def test_joint_exercise_is_never_a_single_non_allied_actor() -> None:
    it = one("North Korea denounced the combined drills that the U.S. and South Korea began on Monday.",
             "joint_exercise")
    assert it.side == "ALLIANCE"


# --- one event per action --------------------------------------------------------------------
def test_headline_lead_and_later_mentions_are_one_event() -> None:
    text = ("SEOUL, South Korea (AP) \u2014 North Korea test-fired an intercontinental ballistic missile on Friday, "
            "Japan's defense ministry said.\n\nThe missile flew for 70 minutes. It was the North's fourth "
            "launch of an ICBM this year, after it fired one on Feb. 3.")
    # ("the North's fourth launch of an ICBM this year" is a period item of its own, not a claim about a day)
    ev = [e for e in events_of(text, date(2024, 3, 15), title="North Korea fires ICBM") if e.action == "missile_launch"
          and e.date_precision == "day"]
    assert [(e.start, e.mentions) for e in ev] == [(date(2024, 3, 15), (-1, 0)), (date(2024, 2, 3), (2,))]
    assert ev[0].evidence[0] == "North Korea fires ICBM"


def test_negated_and_planned_mentions_stay_apart() -> None:
    text = ("North Korea fired a missile on Monday. It did not fire any missile on Tuesday. "
            "It plans to launch a satellite next week.")
    ev = events_of(text, date(2024, 3, 15))
    assert [(e.action, e.negated, e.hedged) for e in ev] == [
        ("missile_launch", False, False), ("missile_launch", True, False), ("satellite_launch", False, True)]


# --- rules added after the seventh held-out round ----------------------------------------------
def test_a_dated_sentence_without_an_action_before_any_action_is_coded() -> None:
    # a day named before the first action phrase of the story used to raise UnboundLocalError
    items = code_text("Officials gathered from noon on Tuesday. The North fired a missile hours later.", PUB)
    assert [(it.action, it.start) for it in items] == [("missile_launch", date(2023, 8, 1))]


def test_an_anaphor_takes_the_actor_of_an_undated_action_two_sentences_back() -> None:
    # the memory of the latest actor per action is kept for every sentence, dated or not
    text = ("South Korea and the United States staged combined drills this summer, and North Korea fired a missile. "
            "Officials spoke on Tuesday. "
            "North Korea condemned such drills on Wednesday.")
    it = [x for x in code_text(text, PUB) if x.sentence_index == 2][0]
    assert (it.action, it.side, it.actor_rule) == ("joint_exercise", "ALLIANCE", "anaphor")


FRI = date(2023, 8, 4)  # the Friday before PUB


@pytest.mark.parametrize("text, action, side", [
    ("The aircraft carrier USS Carl Vinson returned to the area on Friday.", "strategic_asset_deployment", "ALLIANCE"),
    ("The U.S. redeployed an aircraft carrier to waters east of the peninsula on Friday.",
     "strategic_asset_deployment", "ALLIANCE"),
    ("A U.S. B-52 bomber landed at an air base in Cheongju on Friday.", "strategic_asset_deployment", "ALLIANCE"),
    ("North Korea sent a missile arcing over northern Japan on Friday morning.", "missile_launch", "DPRK"),
    ("On Friday, North Korea fired a barrage of rockets off its east coast.", "artillery_fire", "DPRK"),
    ("North Korea severed all communication channels with South Korea on Friday.", "suspension", "DPRK"),
    ("President Donald Trump on Friday designated North Korea a state sponsor of terrorism.", "sanctions", "ALLIANCE"),
    ("The Biden administration on Friday sanctioned three North Korean officials.", "sanctions", "ALLIANCE"),
    ("Trump and Kim signed a joint statement on Friday.", "agreement", "OTHER"),
    ("Trump and Kim shook hands on Friday, the first meeting between the leaders of the two countries.",
     "summit", "OTHER"),
    ("Yoon and Li held separate bilateral talks on Friday.", "summit", "OTHER"),
    ("U.S. special envoy Sung Kim was in Seoul for talks on Friday.", "diplomatic_visit", "ALLIANCE"),
])
def test_vocabulary_of_the_seventh_held_out_round(text: str, action: str, side: str) -> None:
    it = one(text, action)
    assert (it.side, it.start, it.negated, it.hedged) == (side, FRI, False, False)


def test_sending_missiles_abroad_is_not_a_launch() -> None:
    assert not [it for it in code_text("North Korea sent missiles to Russia on Friday.", PUB)
                if it.action == "missile_launch"]


def test_an_arrival_told_after_the_asset_is_a_deployment() -> None:
    text = "The carrier USS Nimitz was docked in Busan last week. It arrived there on Thursday."
    ev = [e for e in events_of(text, PUB) if e.action == "strategic_asset_deployment" and e.date_precision == "day"]
    assert [(e.side, e.start) for e in ev] == [("ALLIANCE", date(2023, 8, 3))]


def test_not_since_a_day_when_it_did_keeps_the_day_as_an_event() -> None:
    text = "North Korea has not tested a missile since July 12, when it fired one into the sea."
    items = [it for it in code_text(text, PUB) if it.action == "missile_launch"]
    assert sorted((it.negated, it.start) for it in items) == [(False, date(2023, 7, 12)), (True, None)]


def test_a_coordinated_plan_does_not_hedge_the_action_before_it() -> None:
    it = one("North Korea said on Friday it was scrapping the military agreement and would deploy troops.",
             "suspension")
    assert not it.hedged
    it = one("The exercise began on Monday and is scheduled to run through Friday.", "military_drill")
    assert not it.hedged
    it = one("North Korea fired a missile on Friday that could reach the U.S. mainland.", "missile_launch")
    assert not it.hedged
    # a step the North announces it takes is taken by the announcement (as announced sanctions are); a threat is not
    assert not one("North Korea said it would scrap the military agreement.", "suspension").hedged
    assert one("North Korea threatened to scrap the military agreement.", "suspension").hedged
    assert one("North Korea said it may scrap the military agreement.", "suspension").hedged


def test_a_day_after_between_the_date_and_the_action_counts_back() -> None:
    text = "The carrier returned to the area on Wednesday, a day after allied forces fired missiles into the sea."
    it = one(text, "missile_launch", date(2022, 10, 6))
    assert (it.side, it.start) == ("ALLIANCE", date(2022, 10, 4))
    it = one("On Monday North Korea warned the allies, and two days later it fired a missile.", "missile_launch")
    assert it.start == date(2023, 8, 2)


def test_a_state_visit_is_the_summit_it_belongs_to() -> None:
    text = ("Chinese President Xi Jinping arrived in Pyongyang on Thursday for a two-day state visit and held talks "
            "with North Korean leader Kim Jong Un.")
    ev = events_of(text, date(2019, 6, 20))
    assert [(e.action, e.side, e.start) for e in ev] == [("summit", "OTHER", date(2019, 6, 20))]
    text = ("Yoon arrived in Washington on Monday for a six-day state visit. "
            "On Wednesday, Yoon and Biden held a summit at the White House.")
    ev = [e for e in events_of(text, date(2023, 4, 27)) if e.action == "summit"]
    assert len(ev) == 1 and set(ev[0].mentions) == {0, 1} and ev[0].start == date(2023, 4, 26)


def test_an_action_in_an_after_clause_does_not_take_the_main_clause_date() -> None:
    text = ("North Korea sent a missile arcing over Japan on Friday morning, in an apparent show of defiance "
            "after the U.N. Security Council tightened sanctions over its latest nuclear test.")
    items = {it.action: it for it in code_text(text, date(2017, 9, 15))}
    assert items["missile_launch"].start == date(2017, 9, 15)
    assert items["sanctions"].start is None and items["nuclear_test"].start is None
    # a comma closes the after-clause: "On Monday, after weeks of tension, North Korea fired ..."
    assert one("On Friday, after weeks of tension, North Korea fired a missile.", "missile_launch").start == FRI


def test_a_relative_clause_between_a_phrase_and_its_date_is_skipped_and_shares_the_date() -> None:
    text = ("The three-day Freedom Edge exercise, which featured the aircraft carrier USS Theodore Roosevelt, "
            "wrapped up Saturday in international waters.")
    items = {it.action: it for it in code_text(text, date(2024, 7, 1))}
    assert items["joint_exercise"].start == date(2024, 6, 29)
    assert items["strategic_asset_deployment"].start == date(2024, 6, 29)


def test_a_where_clause_and_a_plural_pronoun_share_the_meeting() -> None:
    text = ("Kim met South Korean President Moon Jae-in on April 27 in the border village of Panmunjom, "
            "where they signed a declaration pledging to end hostilities.")
    items = {it.action: it for it in code_text(text, date(2018, 6, 12))}
    assert (items["summit"].actor, items["summit"].start) == ("DPRK+ROK", date(2018, 4, 27))
    assert (items["agreement"].actor, items["agreement"].start) == ("DPRK+ROK", date(2018, 4, 27))
    # a single named actor before "they" stays the previous behaviour (the nearest antecedent)
    it = one("Seoul said they staged an artillery drill on Friday.", "artillery_fire")
    assert it.actor == "ROK"


def test_a_day_after_clause_in_an_undated_lead_counts_back_from_the_lead() -> None:
    text = ("SEOUL, South Korea (AP) \u2014 North Korea said Thursday it was scrapping a 2018 military agreement "
            "and would deploy troops to the border, a day after Seoul partially suspended the deal in response "
            "to the North's spy satellite launch.")
    ev = {(e.side, e.action): e for e in events_of(text, date(2023, 11, 23)) if not e.hedged}
    assert ev[("DPRK", "suspension")].start == date(2023, 11, 23)
    assert ev[("ALLIANCE", "suspension")].start == date(2023, 11, 22)
    assert ev[("DPRK", "satellite_launch")].start is None  # referred to by 'in response to', not dated


def test_launches_a_resolution_is_over_are_not_the_lead_event() -> None:
    text = ("UNITED NATIONS (AP) \u2014 China and Russia on Thursday vetoed a U.S.-drafted resolution that would "
            "have imposed new sanctions on North Korea over its latest string of ballistic missile launches.")
    assert not [e for e in events_of(text, date(2022, 5, 26))
                if e.action == "missile_launch" and e.start is not None]


def test_the_side_that_responds_with_an_action_performs_it() -> None:
    it = one("South Korea responded to Friday's launch with a live-fire drill, firing a ballistic missile into the sea.",
             "missile_launch")
    assert it.side == "ALLIANCE"
    assert one("South Korea condemned the missile launch by North Korea on Friday.", "missile_launch").side == "DPRK"


def test_a_place_next_to_the_date_gives_the_zone() -> None:
    it = one("The Security Council approved a fresh round of sanctions in New York on Monday.", "sanctions",
             date(2017, 9, 15))
    # Monday in New York (Sept. 11) may be Tuesday in Korea: one-day margin
    assert (it.start, it.date_margin_days) in {(date(2017, 9, 11), 1), (date(2017, 9, 12), 1)}
    assert one("The Security Council approved new sanctions on Monday.", "sanctions", date(2017, 9, 15)).date_margin_days == 0


def test_an_undated_action_of_the_lead_side_continues_the_lead() -> None:
    text = ("SEOUL, South Korea (AP) \u2014 A U.S. B-52 bomber landed in South Korea on Tuesday.\n\n"
            "The bomber touched down after a combined drill with South Korean fighter jets.")
    ev = [e for e in events_of(text, date(2023, 10, 17)) if e.action == "joint_exercise"]
    assert [(e.side, e.start, e.date_rule) for e in ev] == [("ALLIANCE", date(2023, 10, 17), "continues the lead")]


def test_a_phrase_gap_never_runs_across_a_clause_comma() -> None:
    # "launch with a live-fire drill, firing a ballistic" is not one launch phrase
    items = code_text("The North's launch drew a drill, firing a ballistic missile into the sea on Friday.", PUB)
    assert [it.trigger for it in items if it.action == "missile_launch"] == ["firing a ballistic"]
    assert one("North Korea fired 1,000 rounds of artillery on Friday.", "artillery_fire").start == FRI


def test_a_participle_tells_what_the_drill_was() -> None:
    text = ("South Korea responded to Friday's launch with a live-fire drill of its own, firing a ballistic "
            "missile into the sea minutes later.")
    items = code_text(text, PUB)
    assert [(it.action, it.side, it.start) for it in items] == [("missile_launch", "ALLIANCE", FRI)]


def test_a_date_in_an_after_or_since_clause_after_the_phrase_dates_that_clause() -> None:
    text = ("North Korea said on Wednesday it had placed a spy satellite into orbit, after two failed attempts "
            "earlier this year.\n\nThe rocket lifted off from the Sohae launching station late on Tuesday.")
    ev = [e for e in events_of("SEOUL (Reuters) - " + text, date(2023, 11, 22)) if e.action == "satellite_launch"]
    assert [(e.start, e.date_rule) for e in ev] == [(date(2023, 11, 21), "following sentence")]
    # a date right after "since" is the start of what is going on
    it = one("The allies have been conducting the exercise since Aug. 21.", "joint_exercise", date(2017, 8, 29))
    assert it.start == date(2017, 8, 21)
    # a phrase after "since" is an earlier event than the day before it
    text = ("The two leaders dined together on Wednesday evening, their first encounter since their meeting in "
            "Singapore on June 12 last year.")
    items = code_text(text, date(2019, 2, 28))
    assert [it.start for it in items if it.action == "summit"] == [date(2018, 6, 12)]


def test_hours_after_the_event_in_another_zone_may_be_the_next_day() -> None:
    text = ("TOKYO (AP) \u2014 North Korea test-launched a new intercontinental ballistic missile on Thursday "
            "morning.\n\nHours after the launch, U.S. Secretary of State Antony Blinken met his South Korean "
            "counterpart in Washington, where they condemned the test and the deployment of North Korean troops "
            "to Russia.")
    ev = {e.action: e for e in events_of(text, date(2024, 10, 31))}
    visit = ev["diplomatic_visit"]
    assert (visit.side, visit.start, visit.date_margin_days) == ("ALLIANCE", date(2024, 10, 31), 1)
    assert ev["troop_deployment"].start is None  # condemned: referred to, not dated
    assert one("North Korea warned on Friday. Hours later, it fired a missile.", "missile_launch").date_margin_days == 0


def test_a_plural_pronoun_stands_for_the_group_named_in_a_recent_sentence() -> None:
    text = ("North Korean leader Kim Jong Un made a visit to Beijing and held talks with Chinese President Xi Jinping. "
            "Kim arrived on Sunday, Xinhua news agency said. The two leaders met again on Monday.")
    ev = [e for e in events_of(text, date(2018, 3, 28)) if e.action == "summit" and e.start is not None]
    assert [(e.actor, e.start) for e in ev] == [("DPRK+CN", date(2018, 3, 26))]


def test_the_side_that_names_its_weapon_launched_it() -> None:
    text = ("The visits followed the launch on Monday of what Pyongyang called a new hypersonic missile, which "
            "Seoul's military said flew 1,100 kilometers.")
    it = one(text, "missile_launch", date(2025, 1, 10))
    assert (it.side, it.actor_rule, it.start) == ("DPRK", "namer", date(2025, 1, 6))


def test_a_plan_governs_a_long_object() -> None:
    it = one("South Korea plans to kick off its annual Hoguk field training exercise on Monday.", "military_drill")
    assert it.hedged
    it = one("North Korea fired a missile on Friday, and South Korea will hold a drill.", "missile_launch")
    assert not it.hedged


def test_super_large_rocket_launchers_are_missiles_per_the_codebook() -> None:
    it = one("North Korea fired super-large multiple rocket launchers on Friday.", "missile_launch")
    assert (it.side, it.start) == ("DPRK", FRI)
    assert [x.action for x in code_text("North Korea fired rocket launchers on Friday.", PUB)] == ["artillery_fire"]


def test_exercises_of_two_different_pairs_on_one_day_are_two_events() -> None:
    text = ("South Korea and the United States staged combined air drills with U.S. B-1B bombers on Friday. "
            "Separately, the U.S. and Japan held a joint exercise with the bombers on the same day.")
    ev = events_of(text, PUB)
    assert sorted(e.actor for e in ev if e.action == "joint_exercise") == ["US+JP", "US+ROK"]
    assert len([e for e in ev if e.action == "strategic_asset_deployment"]) == 1
    # a pair and a single country (an incomplete reading of a group) are one exercise
    text = ("The United States and South Korea held combined drills on Friday. "
            "Japan joined the trilateral drills on Friday as well.")
    assert len([e for e in events_of(text, PUB) if e.action == "joint_exercise"]) == 1


def test_shortly_after_keeps_the_date_of_the_same_event() -> None:
    text = "A North Korean rocket carrying a spy satellite exploded shortly after it was launched late on Friday."
    it = one(text, "satellite_launch")
    assert (it.start, it.date_rule) == (FRI, "date phrase + time of day")  # late Friday in Seoul is Friday


def test_test_launched_and_named_missiles_in_the_passive() -> None:
    text = ("US and South Korean troops fired ballistic missiles into the sea on Wednesday, a day after North Korea "
            "test-launched what it called its first intercontinental ballistic missile.")
    items = {it.side: it for it in code_text(text, date(2017, 7, 5)) if it.action == "missile_launch"}
    assert items["DPRK"].start == date(2017, 7, 4) and items["ALLIANCE"].start == date(2017, 7, 5)
    assert one("The Hwasong-14 was launched from Banghyon on Friday.", "missile_launch").side == "DPRK"


def test_suspending_an_exercise_is_a_suspension() -> None:
    it = one("The Pentagon on Friday suspended a major military exercise with South Korea.", "suspension")
    assert (it.side, it.start) == ("ALLIANCE", FRI)
    assert not [x for x in code_text("The Pentagon on Friday suspended a major military exercise.", PUB)
                if x.action in ("military_drill", "joint_exercise")]


# --- head nouns of launch and test objects (heads: in actions.yaml) ----------------------
def test_component_head_makes_a_test_not_a_launch() -> None:
    it = one("North Korea said on Friday it had tested a solid-fuel engine for a new hypersonic missile.", "weapons_test")
    assert it.side == "DPRK"
    assert not [x for x in code_text("North Korea said on Friday it had tested a solid-fuel engine for a new "
                                     "hypersonic missile.", PUB) if x.action == "missile_launch"]
    # the engine is the head of "a missile engine" too; a missile with a warhead stays a missile
    assert one("The North tested a high-thrust missile engine on Friday.", "weapons_test").start == FRI
    assert one("The North fired a new missile carrying a large warhead on Friday.", "missile_launch").start == FRI


def test_rounds_take_the_action_of_the_launcher_they_came_from() -> None:
    text = "On Friday the North fired two rounds from what it calls a super-large multiple rocket launcher."
    assert one(text, "missile_launch").start == FRI
    text = "On Friday the North fired dozens of rounds from 240-mm multiple rocket launchers near the border."
    assert one(text, "artillery_fire").start == FRI
    assert not [x for x in code_text(text, PUB) if x.action == "missile_launch"]


def test_naming_clause_counts_as_one_word_and_satellite_heads() -> None:
    text = "North Korea's launch of what it claimed was a military reconnaissance satellite failed on Friday."
    assert one(text, "satellite_launch").start == FRI
    text = "The test of what it calls a super-large multiple rocket launcher came on Friday."
    assert one(text, "missile_launch").start == FRI


def test_explicit_dates_are_not_moved_by_a_foreign_dateline() -> None:
    text = ("UNITED NATIONS (AP) \u2014 Russia on Thursday vetoed the renewal of the panel. "
            "On March 19, North Korea said it had test-fired a ballistic missile.")
    it = one(text, "missile_launch", date(2024, 3, 28))
    assert (it.start, it.date_margin_days) == (date(2024, 3, 19), 0)
    # a weekday of the same story is still the dateline's day, converted to Korea
    text = "WASHINGTON (AP) \u2014 The United States imposed new sanctions on North Korean banks on Tuesday."
    assert one(text, "sanctions", date(2024, 3, 26)).start in (date(2024, 3, 26), date(2024, 3, 27))


# --- definite event nouns, listed days, one-day events inside a span --------------------
def test_event_noun_with_its_own_date_dates_the_lead() -> None:
    text = ("SEOUL (AFP) - North Korea said Thursday it had tested a hypersonic missile.\n\n"
            "The launch on Wednesday morning was detected by Seoul and Tokyo, officials said.")
    ev = [e for e in events_of(text, date(2022, 1, 6)) if e.action == "missile_launch"]
    assert [(e.start, e.actor) for e in ev] == [(date(2022, 1, 5), "DPRK")]


def test_event_noun_is_not_a_mention_when_referred_to_or_far_from_its_date() -> None:
    text = ("North Korea fired a missile on Friday.\n\n"
            "Kishida, who met Biden in Washington last Monday, condemned the launch as a violation.")
    assert [e.start for e in code_text(text, PUB) if e.action == "missile_launch"] == [FRI]
    text = "North Korea fired a missile on Friday.\n\nThe test site was quiet on Saturday."
    assert [e.start for e in code_text(text, PUB) if e.action == "missile_launch"] == [FRI]


def test_days_listed_with_and_are_two_launches_that_replace_the_weekend() -> None:
    text = ("North Korea test-fired new cruise missiles over the weekend, state media said Monday.\n\n"
            "The tests were conducted on Saturday and Sunday, it said.")
    ev = [e for e in events_of(text, date(2021, 9, 13)) if e.action == "missile_launch"]
    assert sorted(e.start for e in ev) == [date(2021, 9, 11), date(2021, 9, 12)]
    assert sorted(len(e.mentions) for e in ev) == [1, 2]  # the weekend mention is evidence of the first
    # an exercise "from Monday to Thursday" stays a span
    ex = one("South Korea and the United States held combined drills from Monday to Thursday.", "joint_exercise",
             date(2023, 8, 11))
    assert (ex.start, ex.end) == (date(2023, 8, 7), date(2023, 8, 10))


def test_offset_counts_from_the_sentences_own_event() -> None:
    text = ("North Korea fired two missiles on Sunday.\n\n"
            "It last fired ballistic missiles on March 25, a week after U.S. Secretary of State Antony Blinken "
            "and Defense Secretary Lloyd Austin wrapped up a visit to Seoul.")
    it = one(text, "diplomatic_visit", date(2021, 9, 13))
    assert (it.side, it.start) == ("ALLIANCE", date(2021, 3, 18))


def test_start_and_end_of_one_exercise_told_apart_are_one_event() -> None:
    text = ("North Korea fired two missiles late on Thursday, hours after South Korea and the United States "
            "concluded a series of large-scale live-fire exercises near the border.\n\n"
            "The allied drills, which began on May 25, involved fighter jets and attack helicopters.")
    ex = [e for e in events_of(text, date(2023, 6, 16)) if e.action == "joint_exercise"]
    assert [(e.start, e.end, e.side) for e in ex] == [(date(2023, 5, 25), date(2023, 6, 15), "ALLIANCE")]
    # two exercises that only began are two events
    text = ("South Korea and the United States began combined drills on May 25.\n\n"
            "South Korea and the United States began another combined exercise on June 12.")
    assert len([e for e in events_of(text, date(2023, 6, 16)) if e.action == "joint_exercise"]) == 2


def test_announced_step_in_force_by_the_report_day_is_not_a_plan() -> None:
    text = "North Korea will sever all communication channels with South Korea from noon on Tuesday, state media said."
    it = one(text, "suspension", date(2020, 6, 9))  # a Tuesday
    assert (it.start, it.hedged) == (date(2020, 6, 9), False)
    # told the day before, it is still a plan; without an onset, "will" is a plan
    assert one(text, "suspension", date(2020, 6, 8)).hedged
    text = "North Korea will sever all communication channels with South Korea on Tuesday, state media said."
    assert one(text, "suspension", date(2020, 6, 9)).hedged


def test_present_tense_attendance_dates_the_summit_on_the_story_day() -> None:
    text = ("SEOUL, July 12 (Yonhap) -- North Korea fired a long-range ballistic missile on Wednesday.\n\n"
            "President Yoon Suk Yeol, who is in Vilnius for a NATO summit, convened an emergency meeting.")
    it = one(text, "summit", date(2023, 7, 12))
    assert (it.start, it.side, it.date_rule) == (date(2023, 7, 12), "ALLIANCE", "present-tense attendance")
    text = text.replace("who is in Vilnius for", "who attended")
    assert one(text, "summit", date(2023, 7, 12)).start is None


# --- lexicon and attachment rules added for rounds 11 and 12 ------------------------------
def test_waters_are_places_not_actors_and_a_named_carrier_is_american() -> None:
    text = ("In the Sea of Japan, the aircraft carriers USS Carl Vinson and USS Ronald Reagan began two days of "
            "joint drills with Japanese destroyers on Friday.")
    ev = {e.action: e for e in code_text(text, PUB)}
    assert ev["strategic_asset_deployment"].actor == "US" and ev["joint_exercise"].side == "ALLIANCE"
    text = ("The aircraft carrier USS Theodore Roosevelt pulled into Busan on Friday, days after the leaders of "
            "North Korea and Russia signed a pact.")
    it = one(text, "strategic_asset_deployment")
    assert (it.actor, it.start) == ("US", FRI)


def test_asset_with_a_parenthetical_before_its_verb() -> None:
    text = "U.S. Air Force B-1B Lancer bombers, escorted by fighter jets, flew east of North Korea on Friday."
    assert one(text, "strategic_asset_deployment").side == "ALLIANCE"


def test_blacklist_and_executive_order_are_sanctions_of_the_subject() -> None:
    it = one("The U.N. Security Council voted on Friday to add 15 North Korean officials and four entities to its "
             "sanctions blacklist.", "sanctions")
    assert (it.actor, it.start) == ("UN", FRI)
    it = one("President Donald Trump on Friday signed an executive order giving the Treasury Department authority "
             "to target companies that trade with North Korea.", "sanctions")
    assert (it.side, it.start) == ("ALLIANCE", FRI)


def test_agreement_inked_at_a_dated_summit_shares_its_day() -> None:
    text = ("Kim Jong Un and Russian President Vladimir Putin inked the \u201ccomprehensive strategic partnership\u201d "
            "treaty at their summit in Pyongyang on Friday.")
    assert one(text, "agreement").start == FRI and one(text, "summit").start == FRI


def test_by_evening_is_the_day_of_the_event_before_and_a_relative_clause_is_no_hedge() -> None:
    text = ("Kim Jong Un shook hands with South Korean President Moon Jae-in on Friday.\n\n"
            "By evening they had put their names to a declaration in which they pledged to seek peace this year.")
    it = one(text, "agreement")
    assert (it.start, it.hedged, it.side) == (FRI, False, "OTHER")


def test_a_drill_told_again_in_a_later_sentence_is_the_firing() -> None:
    text = ("North Korean troops fired coastal artillery near the sea border on Friday.\n\n"
            "The North Korean leader watched the drill from an observation post, state media said.")
    ev = events_of(text, PUB)
    assert [e.action for e in ev] == ["artillery_fire"] and ev[0].mentions == (0, 1)


def test_a_launch_described_as_a_test_of_warheads_stays_the_launch() -> None:
    text = ("On Friday, the North fired two short-range ballistic missiles that it later said were tests of "
            "tactical guided missile warheads.")
    assert {e.action for e in code_text(text, PUB) if e.start == FRI} == {"missile_launch"}


# --- issue-coder3: classes of rounds 10-13 --------------------------------------------
PUB3 = date(2022, 12, 2)  # Friday


def _coded(text: str, published: date = PUB3) -> list[CodedItem]:
    return [it for it in code_text(text, published) if not it.negated and not it.hedged]


def test_a_meeting_on_the_launch_is_no_new_launch() -> None:
    text = ("North Korea fired a ballistic missile on Tuesday, the military said. "
            "The Security Council will hold an urgent session on the launch later on Wednesday.")
    launches = [it for it in code_text(text, date(2017, 7, 5)) if it.action == "missile_launch"]
    assert [str(it.start) for it in launches] == ["2017-07-04"]


@pytest.mark.parametrize("sentence, actor", [
    ("Japan on Friday froze the assets of three North Korean entities.", "JP"),
    ("On Friday Seoul said it was placing nine people and four banks under sanctions.", "ROK"),
    ("On Friday the Treasury Department targeted two officials of the ruling party, widening its sanctions.", "US"),
    ("The European Union on Friday blacklisted six firms tied to the weapons programme.", "EU"),
    ("Japan on Friday announced an export ban on luxury goods bound for North Korea.", "JP"),
])
def test_sanctions_vocabulary(sentence: str, actor: str) -> None:
    items = [it for it in _coded(sentence) if it.action == "sanctions"]
    assert [(it.actor, str(it.start)) for it in items] == [(actor, "2022-12-02")]


@pytest.mark.parametrize("sentence", [
    "Chinese President Xi Jinping and North Korean leader Kim Jong Un strolled along a beach and held two rounds of talks on Thursday.",
    "Russian President Vladimir Putin and North Korean leader Kim Jong Un sat across a table from each other on Thursday.",
    "South Korean President Moon Jae-in and North Korean leader Kim Jong Un met face to face on Thursday.",
])
def test_summit_paraphrases_of_two_heads(sentence: str) -> None:
    items = [it for it in _coded(sentence) if it.action == "summit"]
    assert len(items) == 1 and items[0].side == "OTHER" and str(items[0].start) == "2022-12-01"


def test_two_ministers_meeting_is_no_summit() -> None:
    text = "Foreign Minister Park Jin and Foreign Minister Wang Yi held talks on Thursday."
    assert not [it for it in code_text(text, PUB3) if it.action == "summit"]


def test_negation_does_not_reach_a_coordinated_clause_with_its_own_verb() -> None:
    text = ("North Korea has not tested a long-range missile since 2017, but it has staged a string of smaller "
            "launches in recent weeks, including a hypersonic missile on Sept. 28.")
    items = [it for it in _coded(text, date(2021, 10, 19)) if it.action == "missile_launch"]
    assert [(it.actor, str(it.start)) for it in items] == [("DPRK", "2021-09-28")]


def test_quoted_official_keeps_the_launchers_side() -> None:
    text = ("Japan on Friday froze the assets of two firms. "
            "A spokesman said the step was a response to North Korea's \"reckless\" number of missile launches this year, "
            "including one that fell inside Japan's waters on Nov. 18.")
    launches = [it for it in _coded(text) if it.action == "missile_launch"]
    assert [(it.actor, str(it.start)) for it in launches] == [("DPRK", "2022-11-18")]


def test_test_firing_of_a_tactical_weapon_is_a_weapons_test() -> None:
    it = one("State media said Kim watched the test-firing of a new-type tactical guided weapon on Friday.",
             "weapons_test")
    assert it.actor == "DPRK" and str(it.start) == "2023-08-04"


def test_an_announced_halt_of_testing_is_a_statement_of_the_speaker() -> None:
    text = ("Kim and Moon met on Friday. The meeting came a week after Kim announced that the North would stop "
            "testing nuclear bombs and long-range missiles.")
    items = [it for it in code_text(text, date(2018, 4, 27)) if it.action in ("statement", "missile_launch", "nuclear_test")]
    assert [(it.actor, it.action, str(it.start), it.hedged) for it in items] == [("DPRK", "statement", "2018-04-20", False)]


def test_summit_agreements_are_a_reference_and_a_destroyed_liaison_office_a_suspension() -> None:
    text = ("North Korea destroyed the inter-Korean liaison office on Tuesday, a move Seoul called a betrayal of "
            "the 2018 summit agreements.")
    items = _coded(text, date(2020, 6, 16))
    assert [(it.actor, it.action, str(it.start)) for it in items] == [("DPRK", "suspension", "2020-06-16")]


# --- issue-coder4: classes of round 14 made general ----------------------------------------------------
def _dated(text: str, published: date) -> list[tuple[str | None, str, str]]:
    return [(it.actor, it.action, str(it.start)) for it in _coded(text, published) if it.start is not None]


def test_a_part_of_the_day_takes_the_day_of_the_current_event() -> None:
    text = ("North Korea fired dozens of artillery shells near the sea border on Tuesday morning. "
            "South Korean marines held a live-fire drill in the afternoon, the military said.")
    assert ("ROK", "military_drill", "2024-03-12") in _dated(text, date(2024, 3, 12))


def test_a_response_by_saying_is_a_dated_statement_of_the_speaker() -> None:
    text = ("Seoul suspended part of the military pact on March 4. "
            "Pyongyang responded the next day by saying it would scrap the whole accord.")
    assert ("DPRK", "statement", "2024-03-05") in _dated(text, date(2024, 3, 20))


@pytest.mark.parametrize("text", ["The B-1B landed at an air base in South Korea on Thursday, the air force said.",
                                  "The Carl Vinson arrived in Busan on Thursday, the navy said."])
def test_a_named_bomber_or_carrier_without_a_class_noun_is_a_deployment(text: str) -> None:
    assert _dated(text, date(2024, 6, 9)) == [("US", "strategic_asset_deployment", "2024-06-06")]


def test_an_elliptical_second_test_inherits_the_action() -> None:
    text = "KCNA said the first engine was tested on Tuesday and the second engine on Thursday."
    assert sorted(_dated(text, date(2024, 6, 9))) == [("DPRK", "weapons_test", "2024-06-04"),
                                                      ("DPRK", "weapons_test", "2024-06-06")]
    text = "North Korea test-fired a cruise missile on Tuesday. A second launch followed on Thursday."
    assert sorted(_dated(text, date(2024, 6, 9))) == [("DPRK", "missile_launch", "2024-06-04"),
                                                      ("DPRK", "missile_launch", "2024-06-06")]


def test_a_defense_secretary_meeting_a_minister_is_a_diplomatic_visit() -> None:
    text = "U.S. Defense Secretary Lloyd Austin met South Korean Defense Minister Shin Won-sik in Seoul on Monday."
    assert ("diplomatic_visit", "2023-11-13") in [(a, d) for _, a, d in _dated(text, date(2023, 11, 15))]


@pytest.mark.parametrize("kind", ["new surface-to-air missiles", "two new air defense missiles"])
def test_an_air_defense_missile_test_is_a_weapons_test(kind: str) -> None:
    text = f"On Saturday, Kim oversaw a test of {kind}, state media said."
    assert _dated(text, date(2025, 8, 24)) == [("DPRK", "weapons_test", "2025-08-23")]


def test_a_guest_at_a_parade_abroad_is_not_its_actor_and_a_later_meeting_is_a_summit() -> None:
    text = ("BEIJING (AP) - Kim Jong Un held talks with Xi Jinping on Thursday, a day after the two attended a "
            "military parade. Kim also met Putin after Wednesday's parade, the Kremlin said.")
    got = _dated(text, date(2025, 9, 4))
    assert not [g for g in got if g[1] == "military_parade" and g[0] and "DPRK" in g[0]]
    assert any(a == "summit" and d == "2025-09-03" and "RU" in (x or "") for x, a, d in got)


def test_a_trip_for_a_summit_is_the_summit_only() -> None:
    text = "Yoon flew to Tokyo on Thursday for a summit with Prime Minister Kishida."
    got = _dated(text, date(2023, 3, 18))
    assert [a for _, a, _ in got] == ["summit"]


def test_a_launch_in_what_it_said_was_a_drill_is_not_hedged() -> None:
    text = ("North Korea last fired ballistic missiles on May 8, launching several missiles off its east coast "
            "in what it said was a joint strike drill.")
    assert ("DPRK", "missile_launch", "2025-05-08") in _dated(text, date(2025, 9, 4))


# --- round 15 (issue 12): classes found when round 15 was scored ------------------------------------
@pytest.mark.parametrize("sentence, published, expected", [
    ("The South Korean government said on Friday it would blacklist four North Korean officials involved in "
     "arms trading.", date(2023, 12, 2), [("ROK", "sanctions", "2023-12-01")]),
    ("Washington said on Monday it would seek new sanctions if Pyongyang carried out another nuclear test.",
     date(2023, 12, 5), []),
])
def test_a_sanctions_step_announced_as_decided_is_not_hedged_by_its_would(
        sentence: str, published: date, expected: list[tuple[str, str, str]]) -> None:
    assert [g for g in _dated(sentence, published) if g[1] == "sanctions"] == expected


def test_the_lead_of_a_story_without_a_dateline_is_dated_by_its_report_day() -> None:
    text = ("North Korea said on Sunday it had test-fired a new strategic cruise missile the previous day, "
            "calling the launch a success. State media released photos of the missile in flight.")
    assert ("DPRK", "missile_launch", "2024-04-20") in _dated(text, date(2024, 4, 22))


def test_a_modal_in_a_relative_clause_after_the_action_does_not_hedge_it() -> None:
    text = ("Pyongyang has not fired a missile since May 30, when it launched a rocket engine test that it claimed "
            "would power a new satellite carrier.")
    assert [g for g in _dated(text, date(2024, 7, 1)) if g[2] == "2024-05-30"]


def test_an_undated_lead_takes_the_day_of_an_indefinite_next_mention_on_the_day_before_the_report() -> None:
    text = ("SEOUL, June 14 (Yonhap) -- North Korean leader Kim Jong-un guided an artillery firing drill near the "
            "western border, state media said Friday. Kim watched live-fire drills by rocket artillery units on "
            "Thursday, the Korean Central News Agency said.")
    got = [(it.action, str(it.start)) for it in merge_mentions(code_text(text, date(2024, 6, 14)))]
    assert got == [("artillery_fire", "2024-06-13")]


def test_steps_of_one_visit_told_in_one_sentence_are_one_visit() -> None:
    text = "Austin arrived in Seoul on Monday and held talks with Defense Minister Shin Won-sik on Tuesday."
    visits = [it for it in merge_mentions(code_text(text, date(2023, 11, 15))) if it.action == "diplomatic_visit"]
    assert [(str(v.start), str(v.end)) for v in visits] == [("2023-11-13", "2023-11-14")]


# --- round 16 (issue 12): classes found when round 16 and 25 real news excerpts were scored ---------------
def test_a_stop_without_a_space_after_it_ends_a_sentence() -> None:
    assert split_sentences("It fired a missile later in the day.The South held a drill.It was the U.S. Navy.") == [
        "It fired a missile later in the day.", "The South held a drill.", "It was the U.S. Navy."]


def test_the_surname_no_is_no_negation_but_fired_no_missiles_is() -> None:
    text = ("Defense Minister Song Young-moo and his North Korean counterpart No Kwang-chol signed a military "
            "agreement on Wednesday.")
    assert [(it.action, it.negated) for it in code_text(text, date(2018, 9, 20))] == [("agreement", False)]
    assert all(it.negated for it in code_text("North Korea fired no missiles on Wednesday.", date(2018, 9, 20)))


def test_a_date_between_two_phrases_of_one_clause_dates_both() -> None:
    text = "A U.S. B-52 bomber flew to the peninsula Tuesday for a combined air drill with South Korean jets."
    got = {(a, d) for _, a, d in _dated(text, date(2023, 7, 13))}
    assert got == {("strategic_asset_deployment", "2023-07-11"), ("joint_exercise", "2023-07-11")}


def test_earlier_this_week_is_a_period_not_a_span() -> None:
    items = code_text("Earlier this week the North tested a new cruise missile.", date(2024, 1, 24))
    assert [it.date_precision for it in items if it.action == "missile_launch"] == ["period"]


def test_a_day_in_a_relative_clause_is_not_what_later_in_the_afternoon_counts_from() -> None:
    text = ("SEOUL (AFP) - North Korea fired a missile on Thursday. Its launch came hours after the Japanese envoy, "
            "who arrived on Wednesday, met the South Korean president. Later in the afternoon the South fired a "
            "ballistic missile of its own from a submarine.")
    got = [(a, d) for x, a, d in _dated(text, date(2024, 3, 14)) if x == "ROK"]
    assert got == [("missile_launch", "2024-03-14")]


def test_within_minutes_of_the_launch_is_the_launch_day() -> None:
    text = ("North Korea fired a ballistic missile on Friday, the military said. Within minutes of the launch, "
            "South Korean forces staged a missile drill near the sea border.")
    assert ("ROK", "military_drill", "2023-04-14") in _dated(text, date(2023, 4, 15))


def test_a_package_of_sanctions_is_a_sanctions_phrase() -> None:
    text = "Britain on Monday unveiled its biggest package of sanctions yet against North Korean arms traders."
    assert [(a, d) for _, a, d in _dated(text, date(2024, 5, 8))] == [("sanctions", "2024-05-06")]


def test_a_passive_launch_from_a_northern_place_is_the_norths_whatever_the_speaker() -> None:
    text = ("South Korea's Joint Chiefs of Staff (JCS) said on Tuesday that a ballistic missile had been fired from the "
            "Sunan area at 7 a.m.")
    assert [(x, a) for x, a, _ in _dated(text, date(2024, 2, 20))] == [("DPRK", "missile_launch")]


def test_a_launch_object_before_its_verb_and_a_date_in_a_detached_relative_clause() -> None:
    text = ("North Korea said on Tuesday that the missiles it fired the previous day tested a new warhead for its "
            "newest tactical weapon system, which it said would be deployed by the end of 2025.")
    assert ("DPRK", "missile_launch", "2024-05-27") in _dated(text, date(2024, 5, 28))


def test_sailors_are_no_sailing_and_an_engine_test_site_is_no_test() -> None:
    text = "A U.S. carrier strike group composed of 7,000 sailors and Marines arrived Tuesday in South Korea's port city."
    assert _dated(text, date(2023, 3, 29)) == [("US", "strategic_asset_deployment", "2023-03-28")]
    text = "The North said on Wednesday it would permanently close its engine test site."
    assert not [g for g in _dated(text, date(2018, 9, 20)) if g[1] == "weapons_test"]


def test_a_modal_after_a_named_speaker_in_a_relative_clause_does_not_hedge() -> None:
    text = ("North Korea fired a ballistic missile on Sunday, the military said. The launch came a week after the North "
            "tested a new missile that Pyongyang said could carry a heavy warhead.")
    items = [it for it in code_text(text, date(2017, 5, 21)) if it.action == "missile_launch" and it.sentence_index == 1]
    assert [(str(it.start), it.hedged) for it in items] == [("2017-05-14", False)]


def test_a_phrase_in_a_relative_clause_on_another_noun_takes_no_date_from_outside() -> None:
    text = ("A U.S. bomber landed in South Korea on Tuesday amid tension with North Korea, which has been stepping "
            "up its test launches of ballistic missiles.")
    assert not [g for g in _dated(text, date(2023, 3, 29)) if g[1] == "missile_launch"]


def test_a_definite_head_noun_with_a_day_in_the_next_sentence_dates_an_undated_lead() -> None:
    text = ("SEOUL, March 21 (Yonhap) -- Kim Jong-un guided an artillery fire contest on the western front, state "
            "media said Saturday. The contest Friday pitted large artillery units against each other, KCNA said.")
    got = [(it.action, str(it.start)) for it in merge_mentions(code_text(text, date(2020, 3, 21)))]
    assert got == [("artillery_fire", "2020-03-20")]


def test_a_hydrogen_bomb_test_is_a_nuclear_test() -> None:
    text = "North Korea said on Wednesday it had carried out its first hydrogen bomb test."
    assert [(a, d) for _, a, d in _dated(text, date(2016, 1, 6))] == [("nuclear_test", "2016-01-06")]


def test_a_definite_event_noun_takes_no_date_from_a_relative_clause_on_another_noun() -> None:
    text = ("North Korea fired a missile on Thursday, the military said. The latest missile launch comes amid the "
            "North's refusal to answer the liaison hotline calls that it stopped picking up last Friday.")
    got = [it for it in merge_mentions(code_text(text, date(2023, 4, 13))) if it.action == "missile_launch"]
    assert [str(it.start) for it in got] == ["2023-04-13"]


@pytest.mark.parametrize("text, expected", [
    ("North Korea fired a ballistic missile on Monday, the coast guard said, as the U.S. secretary of state held talks "
     "in Seoul with his South Korean counterpart.", ("diplomatic_visit", "2025-01-06")),
    ("The North fired ten rockets at around 3 p.m. Saturday, while the South Korean and Chinese presidents were "
     "holding summit talks in Gyeongju.", ("summit", "2025-01-04")),
])
def test_a_phrase_in_a_while_or_as_clause_of_a_dated_phrase_happened_then(text: str, expected: tuple[str, str]) -> None:
    assert expected in [(a, d) for _, a, d in _dated(text, date(2025, 1, 7))]


def test_the_publication_zone_comes_from_the_site_or_the_outlet_name() -> None:
    from titfortat.text.coder import publication_zone

    assert publication_zone("", "https://www.cnn.com/2017/05/13/asia/x/index.html") == "America/New_York"
    assert publication_zone("Yonhap") == "Asia/Seoul"
    assert publication_zone("Reuters (via CNBC)") == "America/New_York"
    assert publication_zone("Evaluation set (written by the project)", "") is None


def test_a_page_of_a_us_outlet_dated_the_day_before_speaks_of_the_korean_day() -> None:
    text = "North Korea carried out its fifth nuclear test on Friday, South Korea said."
    korean = code_text(text, date(2016, 9, 8), source_zone="Asia/Seoul")
    assert [(it.action, str(it.start)) for it in korean] == [("nuclear_test", "2016-09-02")]  # six days ago
    # a page with no dateline whose outlet's zone is unknown is dated by metadata, most often behind Seoul's
    assert _dated(text, date(2016, 9, 8)) == [("DPRK", "nuclear_test", "2016-09-09")]
    assert _dated("North Korea carried out a nuclear test last Friday.", date(2016, 9, 8))[0][2] == "2016-09-02"
    # so is one under a dateline without a day of its own ("TOKYO -") on a page whose calendar is unknown
    tokyo = "TOKYO \u2013 North Korea tried but failed to launch a missile Friday, the South Korean military said."
    assert _dated(tokyo, date(2016, 4, 14)) == [("DPRK", "missile_launch", "2016-04-15")]
    assert [str(it.start) for it in code_text(tokyo, date(2016, 4, 14), source_zone="Asia/Seoul")] == ["2016-04-08"]
    got = [(it.action, str(it.start)) for it in code_text(text, date(2016, 9, 8), source_zone="America/New_York")]
    assert got == [("nuclear_test", "2016-09-09")]
    text = "North Korea launched a ballistic missile early Sunday morning local time, officials said."
    assert _dated(text, date(2017, 5, 13)) == [("DPRK", "missile_launch", "2017-05-14")]


def test_a_nuclear_test_named_by_a_speaker_is_still_the_norths() -> None:
    text = ("North Korea was shaken by two tremors on Sunday, with the South's Joint Chiefs of Staff saying it was "
            "presumed to be a sixth nuclear test.")
    assert [(x, a) for x, a, _ in _dated(text, date(2017, 9, 3))] == [("DPRK", "nuclear_test")]


@pytest.mark.parametrize("text, expected", [
    ("Japan will impose additional sanctions on North Korea over its missile launches, the government's top "
     "spokesman said on Friday.", ("sanctions", "2017-08-25")),
    ("The spokesman told reporters on Friday that Japan would freeze the assets of six more organisations.",
     ("sanctions", "2017-08-25")),
    ("The United States on Friday sanctioned five North Koreans over the weapons programmes.", ("sanctions", "2017-08-25")),
    ("South Korea suspended part of a 2018 inter-Korean military tension reduction agreement Friday.",
     ("suspension", "2017-08-25")),
    ("North Korea blew up sections of inter-Korean roads and rail lines on Friday.", ("suspension", "2017-08-25")),
    ("A U.S. nuclear submarine arrived in Busan on Friday.", ("strategic_asset_deployment", "2017-08-25")),
    ("The U.S. flew nuclear-capable bombers and stealth jets near the peninsula for joint training with South Korean "
     "warplanes on Friday.", ("strategic_asset_deployment", "2017-08-25")),
])
def test_round_of_real_excerpts_phrasings(text: str, expected: tuple[str, str]) -> None:
    assert expected in [(a, d) for _, a, d in _dated(text, date(2017, 8, 26))]


def test_will_impose_sanctions_if_is_still_a_plan() -> None:
    text = "Japan will impose sanctions if North Korea tests again, the spokesman said on Friday."
    assert not [g for g in _dated(text, date(2017, 8, 26)) if g[1] == "sanctions"]


def test_a_foreign_clock_beside_the_korean_one_marks_the_korean_day() -> None:
    text = "The missile was fired from near Kusong at 5:27 a.m. Sunday (4:27 p.m. Saturday ET), the military said."
    assert _dated(text, date(2017, 5, 13)) == [("DPRK", "missile_launch", "2017-05-14")]


def test_called_off_talks_are_a_suspension() -> None:
    text = "North Korea on Wednesday abruptly called off high-level talks with South Korea."
    assert ("DPRK", "suspension", "2018-05-16") in _dated(text, date(2018, 5, 17))


def test_the_same_day_clause_shares_the_day_and_its_subject_acts() -> None:
    text = ("A U.S. submarine pulled into Busan on Tuesday, the same day North Korea marked an anniversary with what "
            "officials described as a massive live-fire artillery drill.")
    got = _dated(text, date(2017, 4, 26))
    assert ("DPRK", "artillery_fire", "2017-04-25") in got or ("DPRK", "military_drill", "2017-04-25") in got


def test_came_two_days_after_counts_from_an_undated_leads_report_day() -> None:
    text = ("North Korea's state media said Thursday that the new constitution names the South a hostile state. "
            "The report came two days after North Korean troops blew up sections of two roads near the border.")
    assert ("DPRK", "suspension", "2024-10-15") in _dated(text, date(2024, 10, 17))


def test_the_subject_of_came_days_after_is_not_moved_by_the_offset() -> None:
    text = ("North Korea fired a missile on Thursday, the military said. The latest launch came two days after state "
            "media reported a speech by the leader.")
    got = {d for _, a, d in _dated(text, date(2023, 4, 13)) if a == "missile_launch"}
    assert got == {"2023-04-13"}


def test_a_stop_glued_after_a_capitalised_word_ends_a_sentence_but_not_after_an_abbreviation() -> None:
    assert split_sentences("It began last Friday.It also came. Mr.Kim said.") == [
        "It began last Friday.", "It also came.", "Mr. Kim said."]


def test_a_clock_named_after_a_capital_is_no_actor_and_pukchang_is_northern() -> None:
    text = "The missile was fired from near Pukchang at 7 a.m. on Sunday, Washington time, officials said."
    assert [(x, a) for x, a, _ in _dated(text, date(2017, 5, 1))] == [("DPRK", "missile_launch")]
    text = "Kim watched as the army paraded dozens of missiles through Pyongyang on April 15."
    assert ("DPRK", "military_parade", "2017-04-15") in _dated(text, date(2017, 4, 20))


def test_a_report_on_a_day_dates_the_report_and_hours_after_the_launch_is_its_day() -> None:
    text = "Kim watched a test of a new air defense missile, according to a separate KCNA report on Friday."
    assert [it.date_rule for it in code_text(text, date(2025, 3, 22))] == ["lead sentence"]  # Friday is the report's
    text = ("North Korea test-launched an ICBM on Thursday, its neighbors said. In response, South Korea fired a volley "
            "of its own missiles into the sea less than two hours after the launch, the military said.")
    assert ("ROK", "missile_launch", "2022-03-24") in _dated(text, date(2022, 3, 25))


def test_a_satellite_launching_station_is_a_place_not_a_launch() -> None:
    text = "Kim visited the Sohae satellite launching station on March 10 and ordered it expanded."
    assert not [g for g in _dated(text, date(2022, 3, 24)) if g[1] == "satellite_launch"]


@pytest.mark.parametrize("text, expected", [
    ("South Korea suspended on Wednesday operations at a jointly run factory park just inside North Korea.",
     ("ALLIANCE", "suspension", "2016-02-10")),
    ("The 15-member Security Council on Wednesday unanimously adopted a resolution capping the North's coal exports.",
     ("OTHER", "sanctions", "2016-02-10")),
    ("Washington and Seoul called for tougher U.N. sanctions over its fourth nuclear test on Jan. 6.",
     ("DPRK", "nuclear_test", "2016-01-06")),
    ("The leaders of North and South Korea held a historic summit on Wednesday at the border.",
     ("OTHER", "summit", "2016-02-10")),
])
def test_real_page_phrasings_of_set_three(text: str, expected: tuple[str, str, str]) -> None:
    from titfortat.text.coder import side_of

    got = [(side_of(x), a, d) for x, a, d in _dated(text, date(2016, 2, 11))]
    assert expected in got


def test_the_us_mainland_as_a_target_is_a_place_not_an_actor() -> None:
    from titfortat.text.coder import _find_mentions

    sent = "It tested a missile able to carry a warhead to any part of the U.S. mainland."
    ms = [(sent[m.start:m.end], m.code, m.role) for m in _find_mentions(sent, load_dictionaries())]
    assert ("U.S. mainland", "", "location") in ms and not [m for m in ms if m[1] == "US"]


@pytest.mark.parametrize("section", ["datelines", "outlets"])
def test_a_gazetteer_zone_that_is_not_iana_is_refused_with_its_place(tmp_path: Path, section: str) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(f"version: 1\n{section}:\n  SOMEWHERE: Mars/Olympus\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{section}: SOMEWHERE: 'Mars/Olympus' is not an IANA time zone"):
        load_dictionaries(places_path=places)


def test_a_pronoun_after_a_speaker_is_the_subject_unless_it_opens_what_the_speaker_says() -> None:
    text = ("North Korea fired two short-range ballistic missiles off its east coast on Wednesday, South Korea's "
            "Joint Chiefs of Staff said, six days after it launched similar missiles near the same area.")
    assert _dated(text, date(2019, 7, 25)) == [("DPRK", "missile_launch", "2019-07-24"),
                                               ("DPRK", "missile_launch", "2019-07-18")]
    text = "North Korea fired a missile on Monday. South Korea's military said on Tuesday it staged a live-fire drill."
    assert [(it.actor, it.action) for it in _coded(text, date(2023, 3, 14))] == [("DPRK", "missile_launch"),
                                                                                ("ROK", "military_drill")]


def test_a_singular_pronoun_is_the_subject_not_the_guests_named_after_it() -> None:
    text = ("North Korean leader Kim Jong Un was joined by Russian and Chinese officials as he presided over a "
            "military parade in the capital on Thursday, state media reported Friday.")
    assert _dated(text, date(2023, 7, 28)) == [("DPRK", "military_parade", "2023-07-27")]


def test_a_speaker_with_a_postmodifier_is_no_launcher_and_fired_off_a_town_names_the_side() -> None:
    text = ("The Joint Chiefs of Staff of the Republic of Korea said on Wednesday that two cruise missiles "
            "were fired off the DPRK's western coastal town of Onchon on Sunday morning.")
    assert _dated(text, date(2021, 3, 24)) == [("DPRK", "missile_launch", "2021-03-21")]


def test_who_detected_a_launch_is_not_its_actor() -> None:
    text = ("Kim Jong Un oversaw a drill on Friday, state media said. It came a day after the launch of several "
            "ballistic missiles detected by Japanese and South Korean defense authorities.")
    got = _dated(text, date(2024, 9, 14))
    assert ("DPRK", "missile_launch", "2024-09-12") in got
    assert not [g for g in got if g[1] == "missile_launch" and g[0] != "DPRK"]


def test_a_leader_attending_a_parade_in_a_seoul_story_attends_his_own() -> None:
    text = ("SEOUL, Aug. 6 (Yonhap) -- Kim Jong Un inspected arms factories on Saturday, a week after he "
            "attended a military parade on July 27.")
    assert ("DPRK", "military_parade", "2023-07-27") in _dated(text, date(2023, 8, 6))


def test_the_fifteen_member_council_is_the_security_council() -> None:
    text = "The 15-member council on Wednesday unanimously adopted a resolution imposing new sanctions on Pyongyang."
    assert _dated(text, date(2016, 12, 1)) == [("UN", "sanctions", "2016-11-30")]


def test_a_date_before_a_semicolon_dates_its_own_clause_and_throughout_a_country_is_a_place() -> None:
    text = ("The two allies began the 11-day Ulchi Freedom Shield exercise on land, air and sea throughout South Korea "
            "on Monday; it is the second large-scale exercise conducted by the allies annually.")
    assert _dated(text, date(2024, 8, 19)) == [("US+ROK", "joint_exercise", "2024-08-19")]


def test_the_day_of_a_story_told_with_state_media_reporting_that_is_not_the_acts() -> None:
    text = ("Kim Jong Un made a return to the headlines on Wednesday, with state media reporting that the leader "
            "oversaw a missile launch. The missile was fired on Tuesday, the report said.")
    assert [(e.actor, e.action, str(e.start)) for e in events_of(text, date(2022, 1, 12))] == [
        ("DPRK", "missile_launch", "2022-01-11")]


def test_a_lead_after_a_day_dateline_takes_the_day_of_the_event_told_next() -> None:
    text = ("July 28 (UPI) \u2014 North Korean leader Kim Jong Un presided over a large military parade, state media "
            "reported Friday.\n\nThe parade was held Thursday in Pyongyang.")
    assert {g for g in _dated(text, date(2023, 7, 28)) if g[1] == "military_parade"} == {
        ("DPRK", "military_parade", "2023-07-27")}


def test_a_where_clause_after_a_day_happens_on_it_and_he_and_a_leader_are_both_parties() -> None:
    text = ("Crowds greeted Russian President Vladimir Putin in Pyongyang on Wednesday, where he and North Korean "
            "leader Kim Jong Un signed an agreement upgrading ties.")
    assert ("DPRK+RU", "agreement", "2024-06-19") in _dated(text, date(2024, 6, 19))


def test_the_main_event_of_a_lead_is_not_the_launch_a_show_of_force_answers() -> None:
    text = ("SEOUL (AP) \u2014 In a show of force against North Korea's second launch of an intercontinental "
            "ballistic missile, two U.S. bombers flew over the Korean Peninsula for a joint drill with South Korean "
            "jets, the militaries said Sunday.")
    got = _dated(text, date(2017, 7, 30))
    assert {(a, d) for _, a, d in got} == {("strategic_asset_deployment", "2017-07-30"),
                                           ("joint_exercise", "2017-07-30")}


def test_a_long_range_rocket_is_a_satellite_launch_when_the_story_tells_of_a_satellite() -> None:
    text = ("North Korea launched a long-range rocket from its Dongchang-ri site on Sunday, officials said. "
            "The North said it had put a satellite into orbit.")
    assert _dated(text, date(2016, 2, 7)) == [("DPRK", "satellite_launch", "2016-02-07")]
    text = "North Korea launched a long-range rocket on Sunday, officials said."
    assert _dated(text, date(2016, 2, 7)) == [("DPRK", "missile_launch", "2016-02-07")]


def test_the_launch_date_is_no_mention_of_the_launch() -> None:
    text = ("North Korea fired a missile on Sunday. The North had on Saturday advanced the launch date "
            "by a week.")
    assert _dated(text, date(2016, 2, 7)) == [("DPRK", "missile_launch", "2016-02-07")]


def test_a_carrier_taking_part_in_the_exercise_is_there_on_its_first_day() -> None:
    text = ("The U.S., Japan and South Korea kicked off the Freedom Edge exercise on Thursday. U.S. forces taking "
            "part in the exercise are the Theodore Roosevelt Carrier Strike Group and two destroyers.")
    got = _dated(text, date(2024, 6, 27))
    assert ("US", "strategic_asset_deployment", "2024-06-27") in got


def test_an_exercise_announced_is_not_held_on_the_day_of_the_announcement() -> None:
    text = ("The U.S., Japan and South Korea kicked off the Freedom Edge exercise on Thursday. The defense chiefs of "
            "the U.S., Japan and South Korea announced the exercise on June 2 in Singapore.")
    assert [d for _, a, d in _dated(text, date(2024, 6, 27)) if a == "joint_exercise"] == ["2024-06-27"]
    text = "Trump announced the change after meeting Kim Jong Un in Singapore on June 12."
    assert [d for _, a, d in _dated(text, date(2018, 6, 20)) if a == "summit"] == ["2018-06-12"]


def test_an_exercise_that_ends_on_a_coming_day_is_the_end_of_the_one_begun() -> None:
    text = ("SEOUL (AP) \u2014 Warships from the United States, Japan and South Korea gathered on Wednesday to kick "
            "off their second exercise of the year. Freedom Edge ends on Friday.")
    items = [it for it in merge_mentions(code_text(text, date(2024, 11, 14))) if it.action == "joint_exercise"]
    assert [(str(it.start), str(it.end)) for it in items] == [("2024-11-13", "2024-11-15")]


def test_a_leaders_visit_abroad_is_a_summit_with_the_host() -> None:
    text = "The official Xinhua news agency said Kim paid an unofficial visit to China from Sunday to Wednesday."
    assert [(it.actor, it.action, str(it.start)) for it in _coded(text, date(2018, 3, 28))] == [
        ("DPRK+CN", "summit", "2018-03-25")]
    text = "The Chinese president arrived in Pyongyang on Thursday, the official Xinhua News Agency said."
    assert _dated(text, date(2019, 6, 20)) == [("DPRK+CN", "summit", "2019-06-20")]


def test_a_minister_meeting_a_leader_is_a_diplomatic_visit_not_a_summit() -> None:
    text = "Russian Foreign Minister Sergey Lavrov met with North Korean leader Kim Jong Un in Wonsan on Saturday."
    assert _dated(text, date(2025, 7, 12)) == [("DPRK+RU", "diplomatic_visit", "2025-07-12")]
    text = "Russian President Vladimir Putin met with North Korean leader Kim Jong Un in Vostochny on Wednesday."
    assert _dated(text, date(2023, 9, 13)) == [("DPRK+RU", "summit", "2023-09-13")]


def test_a_speaker_on_a_visit_to_meet_a_leader_is_the_visitor() -> None:
    text = ("Chinese President Xi Jinping said on Thursday that he valued the friendship of North Korea, during a "
            "two-day trip to meet leader Kim Jong Un in Pyongyang.")
    assert [(it.actor, it.action) for it in _coded(text, date(2019, 6, 20))] == [("DPRK+CN", "summit")]
    # the speaker's own trip is the speaker's and the host's, and puts the speaker into no meeting of others
    # told after "that"
    text = ("South Korea's president said on Thursday, during a visit to Washington, that Kim Jong Un met Chinese "
            "President Xi Jinping in Pyongyang.")
    assert [(it.actor, it.action) for it in code_text(text, date(2019, 6, 20))] == [
        ("US+ROK", "diplomatic_visit"), ("DPRK+CN", "summit")]


def test_a_leaders_arrival_is_part_of_the_summit_held_days_later() -> None:
    text = ("Yoon arrived in Washington on Monday for a six-day visit. Yoon and Biden held a summit at the White "
            "House on Wednesday.")
    got = [(it.actor, it.action, str(it.start)) for it in events_of(text, date(2023, 4, 27)) if not it.hedged]
    assert got == [("US+ROK", "summit", "2023-04-26")]


def test_partners_named_with_with_take_part_in_a_joint_exercise_and_its_drills_are_one_event() -> None:
    text = ("SEOUL (Reuters) - South Korean and Japanese jets joined exercises with two U.S. bombers near the "
            "peninsula on Thursday. The drills, involving U.S. stealth jets, came at the end of annual joint "
            "U.S.-South Korea exercises focused on computer simulations.")
    got = [(it.actor, it.action, str(it.start)) for it in events_of(text, date(2017, 8, 31))
           if it.action in ("joint_exercise", "military_drill") and it.start is not None]
    assert got == [("US+ROK+JP", "joint_exercise", "2017-08-31")]


def test_a_lead_on_a_law_is_dated_by_the_law_in_a_later_sentence() -> None:
    text = ("North Korea has passed a law proclaiming itself a nuclear weapons state, state media reported on Friday. "
            "The move comes as observers expect a nuclear test. Officials said little. "
            "The parliament passed the law on Thursday, KCNA said.")
    got = [(e.action, str(e.start)) for e in events_of(text, date(2022, 9, 9)) if e.action == "statement"]
    assert got == [("statement", "2022-09-08")]


def test_a_definite_mention_weeks_before_the_report_does_not_date_the_lead() -> None:
    text = ("Seoul: North Korea fired a ballistic missile into east waters, the JCS said on Wednesday. "
            "The launch came after North Korea test-fired two Rodong missiles on July 19.")
    got = sorted(str(e.start) for e in events_of(text, date(2016, 8, 3)) if e.action == "missile_launch")
    assert got == ["2016-07-19", "2016-08-03"]


def test_one_countrys_sanctions_and_anothers_a_day_apart_are_two_packages() -> None:
    text = ("South Korea has announced its own sanctions against North Korea, blacklisting eight individuals. "
            "The decision came as the U.S. Treasury Department on Thursday imposed its own sanctions on three "
            "North Korean officials.")
    got = sorted((e.actor, str(e.start)) for e in events_of(text, date(2022, 12, 2)) if e.action == "sanctions")
    assert got == [("ROK", "2022-12-02"), ("US", "2022-12-01")]


def test_a_leader_who_met_anothers_president_is_a_party_and_the_bracketed_report_day_is_the_reports() -> None:
    text = ("BEIJING - China confirmed on Wednesday (March 28) that North Korean leader Kim Jong Un met China's "
            "President Xi Jinping in Beijing for talks. The official Xinhua news agency said Kim paid an unofficial "
            "visit to China from Sunday to Wednesday.")
    got = [(e.actor, e.action, str(e.start), str(e.end)) for e in events_of(text, date(2018, 3, 28))]
    assert got == [("DPRK+CN", "summit", "2018-03-25", "2018-03-28")]
    assert [d.report for d in find_dates("China confirmed on Wednesday (March 28) that", date(2018, 3, 28))] == [
        True, True]


def test_a_leader_who_visited_a_country_met_its_leader() -> None:
    text = "North Korean leader Kim Jong Un visited China and met President Xi Jinping on Tuesday."
    assert _dated(text, date(2018, 5, 8)) == [("DPRK+CN", "summit", "2018-05-08")]


def test_no_single_country_of_the_north_holds_a_joint_exercise() -> None:
    text = ("Warships from the United States, Japan and South Korea began the Freedom Edge exercise on Wednesday. "
            "North Korea has fired many missiles this year. It also follows less than five months after the first Freedom Edge began on June 27, a day after the "
            "North fired a missile.")
    got = {(e.side, str(e.start)) for e in events_of(text, date(2024, 11, 14)) if e.action == "joint_exercise"}
    assert got == {("ALLIANCE", "2024-11-13"), ("ALLIANCE", "2024-06-27")}


def test_the_eus_restrictive_measures_are_sanctions_and_unsc_is_the_security_council() -> None:
    text = ("The European Union on Thursday announced it would add 18 people and one entity to the list of those "
            "subject to EU restrictive measures against North Korea. The EU last strengthened its restrictive "
            "measures on March 31, 2016. The UNSC unanimously adopted resolution 2270 on North Korea on March 2.")
    got = sorted(_dated(text, date(2016, 5, 20)))
    assert got == [("EU", "sanctions", "2016-03-31"), ("EU", "sanctions", "2016-05-19"), ("UN", "sanctions", "2016-03-02")]


def test_an_office_blown_up_a_joint_declaration_announced_and_a_missile_firing_drill() -> None:
    text = "North Korea blew up an office set up to foster better ties with South Korea on Tuesday."
    assert _dated(text, date(2020, 6, 17)) == [("DPRK", "suspension", "2020-06-16")]
    text = ("On Sept. 19, South Korean President Moon Jae-in and North Korean leader Kim Jong-un jointly announced "
            "the September Pyongyang Declaration.")
    assert [(a, d) for _, a, d in _dated(text, date(2018, 9, 20))] == [("agreement", "2018-09-19")]
    text = "On Thursday, Foreign Minister Choe Son Hui issued a statement warning the United States."
    assert not [a for _, a, _ in _dated(text, date(2022, 11, 18)) if a == "agreement"]
    text = ("North Korea fired an ICBM on Wednesday. South Korea conducted a missile-firing test in response "
            "shortly after.")
    assert ("ROK", "military_drill", "2017-11-29") in _dated(text, date(2017, 11, 29))


def test_warning_shots_prompted_by_a_dated_act_share_its_day_and_hours_earlier_is_that_day() -> None:
    text = ("North Korea blew up sections of inter-Korean roads and rail lines on its side of the border on Tuesday, "
            "prompting South Korea's military to fire warning shots.")
    assert ("ROK", "artillery_fire", "2024-10-15") in _dated(text, date(2024, 10, 15))
    text = ("Putin and Kim held talks on Wednesday at the Vostochny cosmodrome. Hours earlier, North Korea fired two "
            "ballistic missiles toward the sea.")
    assert ("DPRK", "missile_launch", "2023-09-13") in _dated(text, date(2023, 9, 13))


def test_earlier_in_the_day_after_a_dated_act_of_the_same_sentence_is_its_day() -> None:
    text = ("SEOUL, Oct. 14 (Yonhap) -- North Korea fired additional artillery shells into the East Sea on Friday, the "
            "South Korean military said, following its firing of a short-range ballistic missile earlier in the day.")
    assert ("DPRK", "missile_launch", "2022-10-14") in _dated(text, date(2022, 10, 14))


def test_a_meeting_with_the_leader_of_the_country_named_in_full_is_a_summit() -> None:
    text = ("US President Donald Trump met with the Democratic People's Republic of Korea (DPRK) leader Kim Jong Un "
            "on Sunday (June 30).")
    assert _dated(text, date(2019, 6, 30)) == [("DPRK+US", "summit", "2019-06-30")]


def test_waters_south_of_a_countrys_island_are_a_place_not_an_actor() -> None:
    text = ("South Korea, the United States and Japan held talks on Friday. Titled \"Freedom Edge,\" the three-day "
            "exercise began Thursday in international waters south of South Korea's southern resort island of Jeju.")
    got = [(e.side, e.action, str(e.start)) for e in events_of(text, date(2024, 6, 29)) if e.start is not None
           and e.action in ("joint_exercise", "military_drill")]
    assert got == [("ALLIANCE", "joint_exercise", "2024-06-27")]


def test_the_end_and_length_of_an_exercise_under_way_give_its_days() -> None:
    text = ("SEOUL, March 22 (Yonhap) -- North Korea fired cruise missiles on Wednesday. On Thursday, Seoul and "
            "Washington plan to conclude their 11-day Freedom Shield military exercise.")
    got = [(e.actor, str(e.start), str(e.end), e.hedged) for e in events_of(text, date(2023, 3, 22))
           if e.action == "joint_exercise"]
    assert got == [("US+ROK", "2023-03-13", "2023-03-23", False)]


def test_forces_that_trained_with_another_navy_held_a_joint_exercise() -> None:
    text = ("The USS Nimitz led its strike group into Busan on Tuesday, a day after the strike group trained with "
            "the South Korean Navy south of Jeju.")
    assert ("ALLIANCE", "joint_exercise", "2023-03-27") in [
        (e.side, e.action, str(e.start)) for e in events_of(text, date(2023, 3, 28))]


def test_a_calendar_day_after_reported_is_the_reports_and_the_launch_ordered_for_a_day_is_the_event() -> None:
    text = ("North Korea claims it successfully tested its new ICBM, the Hwasong-19, state media reported on Nov. 1. "
            "Rodong Sinmun said leader Kim Jong-un ordered the Oct. 31 launch and supervised the test.")
    assert [(e.action, str(e.start)) for e in events_of(text, date(2024, 11, 1))] == [("missile_launch", "2024-10-31")]


def test_a_day_between_two_coordinated_verb_phrases_dates_both() -> None:
    text = ("North Korean leader Kim Jong Un met with Russian Defense Minister Sergei Shoigu on Wednesday and showed "
            "him around an arms exhibition held in the capital.")
    got = _dated(text, date(2023, 7, 27))
    assert ("DPRK+RU", "diplomatic_visit", "2023-07-26") in got and ("DPRK", "weapons_inspection", "2023-07-26") in got


def test_an_approximate_gap_gives_no_day() -> None:
    text = ("North Korea fired a ballistic missile on Tuesday, the JCS said. The North fired four cruise missiles on "
            "June 8 in the wake of a ballistic missile launch about a week earlier.")
    assert _dated(text, date(2017, 7, 4)) == [("DPRK", "missile_launch", "2017-07-04"),
                                              ("DPRK", "missile_launch", "2017-06-08")]


def test_a_rocket_carrying_a_satellite_fired_is_a_satellite_launch_and_a_norths_announced_step_is_taken() -> None:
    text = ("Its most recent launch was on May 31, when North Korea fired what it claimed to be a rocket carrying a "
            "military reconnaissance satellite.")
    assert _dated(text, date(2023, 6, 15)) == [("DPRK", "satellite_launch", "2023-05-31")]
    text = "North Korea said on Thursday it will scrap the 2018 military agreement with the South."
    assert [(a, d) for _, a, d in _dated(text, date(2023, 11, 23))] == [("suspension", "2023-11-23")]


def test_drills_an_arrival_is_for_come_after_the_arrivals_day() -> None:
    text = ("SEOUL (UPI) -- The aircraft carrier USS Ronald Reagan and its strike group arrived in the port city of "
            "Busan on Friday to conduct joint drills with the South Korean navy.")
    got = [(e.action, str(e.start)) for e in events_of(text, date(2022, 9, 23))]
    assert ("strategic_asset_deployment", "2022-09-23") in got and ("joint_exercise", "2022-09-23") not in got


def test_words_glued_by_markup_are_parted_and_a_second_launch_after_and_of_takes_its_day() -> None:
    text = "The news follows President Donald Trump's Monday announcement, designatingNorth Korea a state sponsor of terrorism."
    assert [a for _, a, _ in _dated(text, date(2017, 11, 21))] == ["sanctions"]
    text = ("The drills followed the North's launch of a long-range ballistic missile last Saturday and of two "
            "short-range ballistic missiles on Monday.")
    assert sorted(d for _, a, d in _dated(text, date(2023, 2, 22)) if a == "missile_launch") == ["2023-02-18", "2023-02-20"]


def test_a_bomber_named_as_taking_part_in_the_drill_however_long_its_list_of_companions() -> None:
    text = ("Japan, the United States and South Korea conducted a joint aerial drill on Sunday. A B-52 bomber and "
            "F-16 jets from the U.S. military, as well as fighters from the South Korean air force, took part in the drill.")
    assert ("US", "strategic_asset_deployment", "2023-10-22") in [
        (e.actor, e.action, str(e.start)) for e in events_of(text, date(2023, 10, 23))]


def test_washingtons_own_acts_keep_their_local_day_and_two_weekdays_are_two_days() -> None:
    text = ("The U.S. Treasury introduced new sanctions Tuesday to curb North Korea's programs. The news follows "
            "President Donald Trump's Monday announcement, designating North Korea a state sponsor of terrorism.")
    arts = [(str(e.start), e.date_margin_days) for e in merge_mentions(code_text(text, date(2017, 11, 21),
                                                                                 source_zone="America/New_York"))
            if e.action == "sanctions"]
    assert sorted(arts) == [("2017-11-20", 1), ("2017-11-21", 1)]


def test_a_day_that_names_an_accord_dates_nothing_else() -> None:
    text = ('North Korea fired artillery shells into the buffer zone on Tuesday night. "Firing artillery shells into '
            'the buffer zones is a clear violation of the September 19 military agreement," the JCS said.')
    assert "2022-09-19" not in [d for _, a, d in _dated(text, date(2022, 10, 19)) if a == "artillery_fire"]


def test_what_a_ban_forbids_and_a_kind_of_act_do_not_continue_the_lead() -> None:
    text = ("SEOUL (AP) \u2014 North Korea on Tuesday made a third attempt to place a spy satellite into orbit. "
            "It is certain to invite condemnation because the U.N. bans North Korea from conducting satellite "
            "launches, calling them covers for tests of missile technology.")
    got = [(e.action, str(e.start)) for e in events_of(text, date(2023, 11, 21)) if e.start is not None]
    assert got == [("satellite_launch", "2023-11-21")]


def test_a_dateline_place_closed_by_a_full_stop_is_a_dateline() -> None:
    text = ("SEOUL. June 16 (UPI) -- A U.S. nuclear submarine arrived in South Korea on Friday. It comes after "
            "Pyongyang fired two short-range ballistic missiles on Thursday evening.")
    # (a UPI page: without its Seoul dateline the outlet's New York calendar would move Thursday evening a day)
    got = sorted((e.action, str(e.start)) for e in merge_mentions(code_text(text, date(2023, 6, 16),
                                                                            source_zone="America/New_York")))
    assert ("missile_launch", "2023-06-15") in got and ("missile_launch", "2023-06-16") not in got


def test_a_satellite_told_later_retypes_the_leads_launch_but_not_a_launch_years_before() -> None:
    text = ("North Korea launched a projectile using ballistic missile technology at around 10:43 p.m. on Tuesday, "
            "according to the Japanese government. North Korea's KCNA reported Wednesday that the country had "
            "successfully launched a rocket carrying a reconnaissance satellite.")
    assert [(e.action, str(e.start)) for e in events_of(text, date(2023, 11, 22)) if e.start] == [
        ("satellite_launch", "2023-11-21")]
    text = ("North Korea launched a ballistic missile over Japan on Tuesday. It is the first such flight since 2009, "
            "when Pyongyang called its launch of a rocket carrying a satellite a success.")
    assert [(e.action, str(e.start)) for e in events_of(text, date(2017, 8, 29)) if e.start] == [
        ("missile_launch", "2017-08-29")]


def test_a_leader_flying_into_anothers_capital_and_missiles_the_north_fired() -> None:
    text = "Moon flew into Pyongyang's Sunan International Airport on Tuesday morning, where Kim greeted him."
    assert _dated(text, date(2018, 9, 18)) == [("DPRK+ROK", "summit", "2018-09-18")]
    text = ("She ridiculed South Korea's Joint Chiefs of Staff over the two cruise missiles the North fired early "
            "Wednesday.")
    assert [(a, x) for a, x, _ in _dated(text, date(2022, 8, 19))] == [("DPRK", "missile_launch")]


def test_a_bomber_that_dropped_bombs_is_a_strategic_asset_shown() -> None:
    text = "A US B-1B strategic bomber dropped precision-guided bombs over the Korean Peninsula on Wednesday."
    assert ("US", "strategic_asset_deployment", "2024-06-05") in _dated(text, date(2024, 6, 6))


def test_an_offset_of_two_digits_counts_back() -> None:
    text = ("North Korea fired an intermediate-range missile toward the East Sea on Tuesday morning. The launch comes "
            "15 days after North Korean leader Kim Jong Un supervised a live-fire drill of super-large multiple "
            "rocket launchers.")
    got = _dated(text, date(2024, 4, 2))
    assert ("DPRK", "missile_launch", "2024-04-02") in got and any(d == "2024-03-18" for _, _, d in got)


def test_a_time_told_by_seouls_military_is_on_koreas_clock_and_a_suspected_missile_was_fired() -> None:
    text = ("North Korea fired a suspected short-range ballistic missile after a warning to the US. South Korea's Joint "
            "Chiefs of Staff said the missile was fired at around 6:20 p.m. Thursday from the western port city of "
            "Nampho toward the Yellow Sea.")
    got = [(e.actor, e.action, str(e.start), e.hedged) for e in merge_mentions(
        code_text(text, date(2023, 3, 9), source_zone="America/New_York")) if e.action == "missile_launch"]
    assert got == [("DPRK", "missile_launch", "2023-03-09", False)]


def test_a_retaliatory_launch_prompted_by_a_dated_barrage_shares_its_day() -> None:
    text = ("SEOUL, Nov. 2 (UPI) -- North Korea launched a barrage of missiles on Wednesday, prompting an air raid "
            "alert on the island of Ulleungdo and a retaliatory launch by South Korea, Seoul defense officials said.")
    assert ("ROK", "missile_launch", "2022-11-02") in _dated(text, date(2022, 11, 2))


def test_a_korean_evening_under_a_us_calendar_dateline_is_the_datelines_day() -> None:
    told = (" -- North Korea fired what looked like a missile from a submarine, the South's military said. The "
            "projectile was fired at about 6:30 p.m. local time, the Joint Chiefs of Staff said.")
    # UPI dates by the US calendar: 18:30 in Seoul on April 23 is the US morning of April 23
    assert _dated("SEOUL, April 23 (UPI)" + told, date(2016, 4, 23)) == [("DPRK", "missile_launch", "2016-04-23")]
    # a Korean agency's dateline of the next morning: the evening before
    assert _dated("SEOUL, April 24 (Yonhap)" + told, date(2016, 4, 24)) == [("DPRK", "missile_launch", "2016-04-23")]


def test_troops_deployed_in_a_long_phrase_or_transported_are_a_troop_deployment() -> None:
    text = ("North Korea has deployed an initial contingent of 1,500 special forces soldiers to Russia's Vladivostok, "
            "Seoul's spy agency said Friday.")
    assert [(x, a) for x, a, _ in _dated(text, date(2024, 10, 18))] == [("DPRK", "troop_deployment")]
    text = "North Korea transported its special forces to Russia on Tuesday, the agency said."
    assert _dated(text, date(2024, 10, 18)) == [("DPRK", "troop_deployment", "2024-10-15")]


def test_previous_launches_on_two_days_are_two_background_launches() -> None:
    text = ("SEOUL (AP) \u2014 North Korea on Monday launched a military reconnaissance satellite, which exploded. "
            "It marks the third failure following previous launches on May 31 and Aug. 24 last year.")
    got = sorted(str(e.start) for e in events_of(text, date(2024, 5, 28)) if e.action == "satellite_launch")
    assert got == ["2023-05-31", "2023-08-24", "2024-05-27"]


def test_a_bomber_taking_part_in_a_joint_drill_shares_its_day_and_flying_with_fighters_is_a_joint_exercise() -> None:
    text = ("SEOUL (KBS) -- A U.S. B-52H Stratofortress is currently taking part in a joint air drill with the South "
            "Korean Air Force on the Korean Peninsula.")
    got = {(e.action, str(e.start)) for e in events_of(text, date(2023, 3, 6))}
    assert got == {("strategic_asset_deployment", "2023-03-06"), ("joint_exercise", "2023-03-06")}
    text = "U.S. Air Force B-1 Lancer bombers flew with Japanese F-2 and F-15 fighters Wednesday over the Sea of Japan."
    assert ("US+JP", "joint_exercise", "2023-08-30") in _dated(text, date(2023, 8, 31))


def test_a_named_exercise_with_its_abbreviation_is_the_joint_exercise() -> None:
    text = "The annual Ulchi Freedom Guardian (UFG) exercise, which started on Aug. 21, has involved 50,000 troops."
    assert [(a, d) for _, a, d in _dated(text, date(2017, 8, 31))] == [("joint_exercise", "2017-08-21")]


def test_added_to_its_north_korea_sanctions_list_is_a_sanctions_step() -> None:
    text = ("BRUSSELS, Aug 10 (Reuters) - The European Union said on Thursday it added nine people and four entities "
            "to its North Korea sanctions list.")
    assert _dated(text, date(2017, 8, 10)) == [("EU", "sanctions", "2017-08-10")]


def test_sanctions_approved_are_not_hedged_by_what_they_will_do_and_a_very_important_test() -> None:
    text = ("Tokyo, Nov. 7 (Jiji Press)--The Japanese government approved at a cabinet meeting on Tuesday additional "
            "sanction measures it will impose on its own against North Korea.")
    assert _dated(text, date(2017, 11, 7)) == [("JP", "sanctions", "2017-11-07")]
    assert one("Japan said it may impose additional sanctions on North Korea.", "sanctions").hedged
    text = ("The DPRK carried out \"a very important test\" at the Sohae Satellite Launching Ground on Saturday "
            "afternoon, KCNA reported Sunday.")
    assert _dated(text, date(2019, 12, 8)) == [("DPRK", "weapons_test", "2019-12-07")]


def test_a_bracketed_gmt_gloss_of_a_local_time_does_not_move_the_day() -> None:
    text = "Pyongyang fired off a projectile at 6:27 a.m. (2127 GMT) on May 31 and it flew southwards."
    assert _dated(text, date(2023, 6, 1)) == [("DPRK", "missile_launch", "2023-05-31")]


def test_military_might_is_a_noun_not_a_modal() -> None:
    assert not one("Beijing on Wednesday rolled out its military might with a massive military parade.",
                   "military_parade").hedged
    assert one("North Korea might hold a military parade on Saturday.", "military_parade").hedged


def test_an_arrival_in_a_capital_named_by_its_country_or_as_a_noun_is_a_visit() -> None:
    text = "Pompeo arrived in the North Korean capital, Pyongyang, on Wednesday from Japan."
    assert _dated(text, date(2018, 5, 9)) == [("DPRK+US", "diplomatic_visit", "2018-05-09")]
    text = "State media confirmed the arrival of Russian Defense Minister Andrei Belousov in Pyongyang on Thursday."
    assert [(a, d) for _, a, d in _dated(text, date(2024, 11, 30))] == [("diplomatic_visit", "2024-11-28")]


def test_a_test_of_a_hydrogen_bomb_is_a_nuclear_test() -> None:
    text = "The North said it carried out a successful test of a hydrogen bomb on Jan. 6, its fourth."
    assert _dated(text, date(2016, 2, 20)) == [("DPRK", "nuclear_test", "2016-01-06")]


def test_two_leaders_named_in_full_who_convened_held_a_summit() -> None:
    text = "Kim Jong Un and Vladimir Putin convened at the Vostochny spaceport on Wednesday."
    assert [(a, d) for _, a, d in _dated(text, date(2023, 9, 13))] == [("summit", "2023-09-13")]


def test_a_headline_infinitive_is_a_plan_and_a_habit_dates_nothing() -> None:
    assert one("U.S. to deploy B-1B strategic bomber to South Korea on Saturday", "strategic_asset_deployment",
               date(2022, 11, 5)).hedged
    assert one("The North has usually held such a parade on April 15.", "military_parade", date(2022, 4, 10)).hedged
    # a noun before "to" is no headline subject: "Reaction to the launch on Monday" tells the launch
    assert not one("Reaction to the missile launch on Monday was swift.", "missile_launch", date(2022, 4, 12)).hedged


def test_the_anniversary_of_an_accord_does_not_date_the_accord() -> None:
    text = ("Kim held talks with Shoigu in Pyongyang on Tuesday, as the two countries prepare to mark the first "
            "anniversary of their mutual defense treaty.")
    assert _dated(text, date(2025, 6, 18)) == [("DPRK+RU", "diplomatic_visit", "2025-06-17")]
    text = "Pyongyang staged a parade on Friday to mark the 80th anniversary of the party's founding."
    assert _dated(text, date(2025, 10, 11)) == [("DPRK", "military_parade", "2025-10-10")]


def test_less_than_a_week_after_gives_no_day_and_a_place_before_a_possessive_speaker_is_no_list() -> None:
    text = ("North Korea fired two short-range ballistic missiles off its east coast on Wednesday, the military said, "
            "less than a week after it launched similar missiles near the same area.")
    assert _dated(text, date(2019, 7, 31)) == [("DPRK", "missile_launch", "2019-07-31")]
    text = "The missile was fired at 7:23 a.m. from near Pyongyang, South Korea's Joint Chiefs of Staff said."
    assert [(a, r) for a, _, _, r in _actors(text, date(2023, 4, 13))] == [("DPRK", "place")]


def test_in_preparation_for_a_parade_is_a_plan() -> None:
    assert one("Li arrived in North Korea on Thursday, in preparation for a parade on Friday.", "military_parade",
               date(2025, 10, 9)).hedged


def _actors(text: str, published: date) -> list[tuple[str | None, str, str, str]]:
    return [(it.actor, it.action, str(it.start), it.actor_rule) for it in _coded(text, published)]


def test_gunfire_at_a_guard_post_and_an_agreement_ditched() -> None:
    text = "North Korean troops fired several bullets at a South Korean guard post on Sunday, the military said."
    assert _dated(text, date(2020, 5, 3)) == [("DPRK", "artillery_fire", "2020-05-03")]
    text = "Seoul announced its decision Thursday to ditch a bilateral agreement with Japan on sharing military secrets."
    assert [(a, d) for _, a, d in _dated(text, date(2019, 8, 22))] == [("suspension", "2019-08-22")]


def test_an_asset_named_with_its_abbreviation_in_brackets_and_delegations_arriving_abroad() -> None:
    text = ("The first elements of the Terminal High Altitude Area Defense (THAAD) system arrived at Osan Air Base on "
            "Monday.")
    assert _dated(text, date(2017, 3, 7)) == [("US", "strategic_asset_deployment", "2017-03-06")]
    text = "The North Korean delegation arrived in Stockholm on Thursday for the working-level talks."
    assert [(a, d) for _, a, d in _dated(text, date(2019, 10, 5))] == [("diplomatic_visit", "2019-10-03")]
    text = "Kim Yo Jong met South Korean officials upon touching down in South Korea on Friday."
    assert [(a, d) for _, a, d in _dated(text, date(2018, 2, 9))] == [("diplomatic_visit", "2018-02-09")]
    # a missile that landed somewhere visits nothing
    text = "North Korea fired an ICBM that landed in waters off Japan on Friday."
    assert [a for _, a, _ in _dated(text, date(2022, 11, 18))] == ["missile_launch"]


def test_meetings_between_ministers_are_a_visit_and_an_explosion_test_of_a_warhead_a_nuclear_test() -> None:
    text = ("The issues topped the list discussed in Seoul on Wednesday during meetings between the foreign and "
            "defense ministers from the United States and South Korea.")
    assert [(a, d) for _, a, d in _dated(text, date(2021, 3, 18))] == [("diplomatic_visit", "2021-03-17")]
    text = "North Korea announced on Friday its successful explosion test of a nuclear warhead."
    assert [(it.actor, it.action) for it in _coded(text, date(2016, 9, 13))] == [("DPRK", "nuclear_test")]


def test_a_visit_joins_the_visitor_and_the_host_even_when_a_country_names_the_visitor() -> None:
    text = "North Korea's foreign minister arrived in Russia's far east on Tuesday on her way to Moscow."
    assert _dated(text, date(2024, 10, 30)) == [("DPRK+RU", "diplomatic_visit", "2024-10-29")]
    text = "U.S. Secretary of State Blinken arrived in Seoul on Sunday for talks."
    assert _dated(text, date(2025, 1, 6)) == [("US+ROK", "diplomatic_visit", "2025-01-05")]


def test_a_joint_document_rolled_out_or_released_is_an_agreement() -> None:
    text = "The U.S. and South Korea rolled out a joint document called the Washington Declaration on Wednesday."
    assert _dated(text, date(2023, 4, 27)) == [("US+ROK", "agreement", "2023-04-26")]
    text = "Japan, the United States and South Korea released a joint statement on Friday."
    assert [(a, d) for _, a, d in _dated(text, date(2023, 8, 19))] == [("agreement", "2023-08-18")]


def test_an_undated_main_clause_counts_back_from_the_day_of_its_event() -> None:
    text = ("A U.S. B-52H bomber flew over the Korean Peninsula on Thursday. The deployment of a B-52H to the Korean "
            "Peninsula comes 13 days after one participated in the allies' joint air drills.")
    got = _dated(text, date(2023, 7, 14))
    assert ("US+ROK", "joint_exercise", "2023-06-30") in got and not any(d == "2023-06-17" for _, _, d in got)


def test_a_planned_day_is_no_event_to_count_from() -> None:
    text = ("The US military on Tuesday flew two bombers over South Korea. The US had planned to send the bombers on "
            "Monday, but bad weather delayed them. The flight came just four days after North Korea's nuclear test.")
    got = _dated(text, date(2016, 9, 13))
    assert ("DPRK", "nuclear_test", "2016-09-09") in got


def test_sanctions_vetoed_were_not_imposed() -> None:
    text = "China and Russia vetoed yesterday a U.S.-led push to impose more United Nations sanctions on North Korea."
    assert one(text, "sanctions", date(2022, 5, 27)).negated


def test_sanctioned_with_a_person_as_object_and_tested_a_hydrogen_bomb() -> None:
    text = "The United States on Wednesday sanctioned North Korean leader Kim Jong Un for the first time."
    assert _dated(text, date(2016, 7, 7)) == [("US", "sanctions", "2016-07-06")]
    assert not [i for i in code_text("Three firms were sanctioned by Japan.", date(2016, 7, 7)) if i.actor == "JP"
                and i.start is not None]
    text = "North Korea said it had tested a hydrogen bomb on Jan. 6."
    assert _dated(text, date(2016, 1, 10)) == [("DPRK", "nuclear_test", "2016-01-06")]


def test_a_leaders_envoys_meeting_a_leader_are_a_visit_and_the_nuclear_armed_north_is_north_korea() -> None:
    text = "President Moon Jae-in's special envoys met with North Korean leader Kim Jong-un in Pyongyang on Monday."
    assert [(a, d) for _, a, d in _dated(text, date(2018, 3, 5))] == [("diplomatic_visit", "2018-03-05")]
    text = "It was like the launch on Aug. 29, when the nuclear-armed North test-fired a missile over Hokkaido."
    assert ("DPRK", "missile_launch", "2017-08-29") in _dated(text, date(2017, 9, 15))


def test_told_or_briefed_reporters_on_a_day_is_the_report_day() -> None:
    got = [(d.text, d.report) for d in find_dates("Moon briefed reporters on Sunday about the meeting.", date(2018, 5, 28))]
    assert got == [("Sunday", True)]


def test_a_web_pages_headline_and_byline_lines_are_sentences_of_their_own_but_wrapped_text_stays_whole() -> None:
    page = ("South fires rounds in drill\nPublished: 27 Nov. 2024, 16:05\n- SEO JI-EUN\n"
            "The Marine Corps fired rounds on Wednesday.\nThe drill started at 1 p.m.")
    assert split_sentences(page) == ["South fires rounds in drill", "Published: 27 Nov. 2024, 16:05", "- SEO JI-EUN",
                                     "The Marine Corps fired rounds on Wednesday.", "The drill started at 1 p.m."]
    wrapped = "North Korea fired a missile on\nTuesday, the military said. It\nflew 300 km and then the\nmissile fell."
    assert split_sentences(wrapped) == ["North Korea fired a missile on Tuesday, the military said.",
                                        "It flew 300 km and then the missile fell."]


def test_of_two_days_given_to_one_phrase_the_nearer_counts() -> None:
    text = ("In retaliation to the Sunday North Korean missile display, the United States and South Korean militaries "
            "on Monday launched eight ballistic missiles into the sea.")
    assert _dated(text, date(2022, 6, 6)) == [("US+ROK", "missile_launch", "2022-06-06")]
    text = ("North Korean leader Kim Jong Un led a party meeting on Wednesday and inspected an artillery drill on "
            "Thursday, state media KCNA said on Friday.")
    assert _dated(text, date(2025, 5, 30)) == [("DPRK", "artillery_fire", "2025-05-29")]
    # a list still makes one mention a day
    text = "North Korea fired missiles on July 4 and July 28."
    assert [d for _, _, d in _dated(text, date(2017, 8, 5))] == ["2017-07-04", "2017-07-28"]


def test_a_passive_launch_told_by_the_other_sides_military_is_the_story_subjects() -> None:
    text = ("North Korea warned of a strong response. A ballistic missile was launched eastward on Wednesday morning, "
            "South Korea's Joint Chiefs of Staff said.")
    assert _dated(text, date(2025, 10, 22)) == [("DPRK", "missile_launch", "2025-10-22")]


def test_a_launch_over_the_weekend_takes_the_day_a_later_mention_gives() -> None:
    text = ("North Korea has claimed the missile it launched over the weekend was a new type of rocket. "
            "He said Sunday's launch was a challenge to the new president.")
    ev = [e for e in events_of(text, date(2017, 5, 15)) if e.action == "missile_launch"]
    assert [(str(e.start), str(e.end)) for e in ev] == [("2017-05-14", "2017-05-14")]


def test_a_generic_drill_folds_into_a_joint_exercise_of_its_partner() -> None:
    text = ("SEOUL - Three US aircraft carriers, accompanied by South Korean warships, launched a joint naval drill "
            "Saturday in a show of force. The four-day exercise involves three carriers and seven South Korean vessels. "
            "It is the first such triple-carrier drill in the region for a decade.")
    ev = [e for e in events_of(text, date(2017, 11, 12)) if e.action in ("military_drill", "joint_exercise")]
    assert [e.action for e in ev] == ["joint_exercise"]


def test_a_phrase_behind_a_second_after_is_not_counted_from_the_first_offset() -> None:
    text = ("North Korea fired three ballistic missiles off its east coast Monday, South Korea's military said. "
            "The launch comes four days before the 68th anniversary of the founding of North Korea's government, and "
            "days after South Korea and the United States finished their annual military drills.")
    assert [it.start for it in code_text(text, date(2016, 9, 5)) if it.action == "joint_exercise"] == [None]


def test_an_arrival_followed_by_a_planned_meeting_in_a_where_clause_is_still_an_arrival() -> None:
    text = ("Moscow's top security official, Sergei Shoigu, arrived in Pyongyang on Wednesday, where he will meet "
            "North Korean leader Kim Jong Un for talks, Russian media reported.")
    assert _dated(text, date(2025, 6, 4)) == [("DPRK+RU", "diplomatic_visit", "2025-06-04")]


def test_a_pages_header_lines_are_not_its_lead() -> None:
    text = ("North Korea fires missiles off east coast\n08:15 14/01/2025\n"
            "The military says it has strengthened monitoring\n"
            "North Korea launched several short-range ballistic missiles into the East Sea, South Korea said Tuesday.\n"
            "The military said it detected the launch at about 9:30 a.m.")
    assert _dated(text, date(2025, 1, 14)) == [("DPRK", "missile_launch", "2025-01-14")]
    # a dateline on a line of its own still opens the lead
    text = "SEOUL, South Korea (AP) \u2014\nNorth Korea fired a missile, the military said Friday."
    assert _dated(text, date(2024, 3, 8)) == [("DPRK", "missile_launch", "2024-03-08")]


def test_troops_parading_through_the_capital_and_a_parade_for_an_anniversary_are_parades() -> None:
    text = "Thousands of North Korean troops followed by artillery and tanks paraded through Pyongyang Sunday."
    assert _dated(text, date(2018, 9, 10)) == [("DPRK", "military_parade", "2018-09-09")]
    text = "North Korea celebrated the anniversary of its foundation with a night-time parade in the capital on Thursday."
    assert _dated(text, date(2021, 9, 10)) == [("DPRK", "military_parade", "2021-09-09")]


def test_severing_all_ties_announced_is_a_suspension() -> None:
    text = ("North Korean state media announced Tuesday that it would be severing all ties with the South, including "
            "military hotlines.")
    assert _dated(text, date(2020, 6, 9)) == [("DPRK", "suspension", "2020-06-09")]


def test_a_countrys_diplomat_meeting_a_leader_is_a_visit_and_a_summit_that_must_be_held_is_a_plan() -> None:
    text = "The top US diplomat met with Kim in Pyongyang for two hours on Sunday."
    assert _dated(text, date(2018, 10, 7)) == [("DPRK+US", "diplomatic_visit", "2018-10-07")]
    assert one("Moon said the two agreed the June 12 North Korea-U.S. summit must be successfully held.", "summit",
               date(2018, 5, 28)).hedged


def test_a_leaders_sister_named_in_full_is_no_leader_and_looking_forward_is_a_plan() -> None:
    text = ("North Korean leader Kim Jong-un's powerful younger sister Kim Yo-jong met South Korean officials upon "
            "touching down in South Korea on Friday.")
    assert [(a, d) for _, a, d in _dated(text, date(2018, 2, 9))] == [("diplomatic_visit", "2018-02-09")]
    assert one("Kim said he was looking forward to his first talks with President Vladimir Putin.", "summit",
               date(2019, 4, 24)).hedged


def test_an_action_the_actor_reports_with_no_day_of_its_own_takes_the_report_day_a_day_either_side() -> None:
    text = ("The North Korean delegation arrived in Stockholm on Thursday for talks. North Korea said on Wednesday it "
            "had successfully test-fired a new submarine-launched ballistic missile.")
    items = [it for it in code_text(text, date(2019, 10, 6)) if it.action == "missile_launch"]
    assert [(it.actor, str(it.start), it.date_margin_days, it.date_rule) for it in items] == [
        ("DPRK", "2019-10-02", 1, "self-reported day")]
    # told by the other side, the report's day stays the report's
    text = ("The delegation arrived in Stockholm on Thursday. South Korea said on Wednesday it had detected a launch "
            "of a new missile.")
    assert [it.start for it in code_text(text, date(2019, 10, 6)) if it.action == "missile_launch"] == [None]


def test_tests_named_as_what_is_suspended_are_no_tests() -> None:
    for text in ("DPRK to suspend nuclear, ICBM tests from April 21",
                 "The DPRK will suspend nuclear tests and ICBM tests immediately from Saturday.",
                 "We will discontinue nuclear test and ballistic rocket test-fire from April 21."):
        assert not _dated(text, date(2018, 4, 21)), text
    # a suspension of something else beside a launch leaves the launch
    text = "North Korea suspended talks with Seoul and fired two missiles on Friday."
    assert ("DPRK", "missile_launch", "2018-04-20") in _dated(text, date(2018, 4, 21))
    text = "The launch came hours after U.S. Vice President Kamala Harris ended her visit to South Korea on Thursday."
    assert any(a == "diplomatic_visit" for _, a, _ in _dated(text, date(2022, 9, 29)))


def test_a_test_told_by_its_site_and_talks_two_countries_began() -> None:
    text = "North Korea said it had conducted another test at a satellite launch site on Friday."
    assert _dated(text, date(2019, 12, 14)) == [("DPRK", "weapons_test", "2019-12-13")]
    text = "KCNA said that North Korea had carried out a \"very important\" test on Dec. 7 at the Sohae site."
    assert _dated(text, date(2019, 12, 14)) == [("DPRK", "weapons_test", "2019-12-07")]
    text = "North and South Korea have begun talks Tuesday morning at their border."
    assert _dated(text, date(2018, 1, 9)) == [("DPRK+ROK", "diplomatic_visit", "2018-01-09")]


def test_a_carrier_making_a_port_call_and_drills_with_another_country() -> None:
    text = ("BUSAN, South Korea \u2014 The USS Ronald Reagan and its strike group of ships, aircraft and sailors made a "
            "port call Saturday in Busan after a week of naval drills with South Korea.")
    items = code_text(text, date(2017, 10, 21))
    assert [(i.action, str(i.start)) for i in items] == [("strategic_asset_deployment", "2017-10-21"),
                                                         ("joint_exercise", "None")]


def test_what_happened_at_the_time_of_a_dated_event_shares_its_day_unless_told_elsewhere() -> None:
    text = ("North Korea fired short-range ballistic missiles into the sea on Monday as U.S. Secretary of State Antony "
            "Blinken visited South Korea for a conference.")
    assert ("diplomatic_visit", "2024-03-18") in [(x, d) for _, x, d in _dated(text, date(2024, 3, 18))]
    text = ("The USS Michigan arrived in the port of Busan on Tuesday. It came as representatives from the U.S., Japan "
            "and South Korea met in Tokyo.")
    assert ("US+ROK+JP", "diplomatic_visit", "2017-04-25") in _dated(text, date(2017, 4, 25))
    # an ongoing action the story dates elsewhere is a mention of that event, not a second one
    text = ("Blinken arrived in Seoul on Sunday for talks. North Korea fired a missile on Monday as Blinken was "
            "visiting Seoul.")
    visits = [e for e in events_of(text, date(2024, 3, 18)) if e.action == "diplomatic_visit"]
    assert [str(e.start) for e in visits] == ["2024-03-17"]
    # a plan in the clause is no event
    text = "The test came on Tuesday as the carrier prepared to join the trilateral exercise."
    assert not any(a == "strategic_asset_deployment" for _, a, _ in _dated(text, date(2024, 6, 26)))


def test_a_document_signed_and_a_declaration_issued_by_two_parties_are_agreements() -> None:
    text = "Trump and Kim Jong Un signed a comprehensive document at the end of their summit in Singapore on Tuesday."
    assert ("DPRK+US", "agreement", "2018-06-12") in _dated(text, date(2018, 6, 12))
    text = "On Friday, Moon and Kim issued a declaration on the common goal of a nuclear-free Korean peninsula."
    assert _dated(text, date(2018, 4, 28)) == [("DPRK+ROK", "agreement", "2018-04-27")]


def test_a_gap_does_not_cross_after_and_a_date_before_an_as_clause_belongs_to_the_clause_it_ends() -> None:
    text = ("Thursday's launch came about two months after the North fired multiple ballistic missiles, presumed to be "
            "close-range ones, on March 10 as South Korea and the U.S. launched their joint springtime military drills.")
    got = _dated(text, date(2025, 5, 8))
    assert ("DPRK", "missile_launch", "2025-03-10") in got and ("US+ROK", "joint_exercise", "2025-03-10") in got
    text = "US and South Korean forces held drills following North Korea's previous ballistic launches on May 25."
    assert ("DPRK", "missile_launch", "2022-05-25") in _dated(text, date(2022, 6, 6))


def test_pulling_out_of_a_planned_meeting_is_a_suspension() -> None:
    text = ("North Korea abruptly pulled out of a planned meeting with the South Wednesday hours before the talks were "
            "scheduled to take place.")
    assert _dated(text, date(2018, 5, 16)) == [("DPRK", "suspension", "2018-05-16")]


def test_a_upi_dateline_is_a_us_date_and_a_dateline_after_a_standfirst_still_counts() -> None:
    text = ("The object is most likely a mid-range missile, according to Seoul's Joint Chiefs of Staff.\n"
            "SEOUL, March 17 (UPI) -- North Korea fired at least one ballistic missile into the sea Friday.")
    assert ("DPRK", "missile_launch", "2016-03-18") in _dated(text, date(2016, 3, 18))
    # another agency's dateline keeps its day: Friday is the Friday before
    text = "SEOUL, March 17 (Yonhap) -- North Korea fired at least one ballistic missile into the sea Friday."
    assert _dated(text, date(2016, 3, 18)) == [("DPRK", "missile_launch", "2016-03-11")]
