"""Resolve date phrases in news sentences against the article's publication date.

Every function here is pure: it takes a string and the publication date (a
:class:`datetime.date`, the article's own calendar day) and returns dates; nothing
reads a clock.

Conventions
-----------
* **Weeks run Monday to Sunday** (ISO 8601). "last week" is the Monday-Sunday week
  before the week that contains the publication day; "this week" is the week that
  contains it; "next week" the one after.
* **A bare weekday** ("on Saturday", "late on Monday", "just before midnight Monday")
  is the most recent such weekday on or before publication; if the article was
  published on that weekday, it is the publication day itself. When the words just
  before the phrase mark the future ("will ... on Monday", "planned for Monday") it is
  the next such weekday on or after publication. "last Monday" is strictly before
  publication, "next Monday" strictly after.
* **Explicit dates without a year** ("July 27", "Aug. 3", "3 August", "on the 27th")
  take the year (or month) that puts them on or before publication, so "Dec. 30" in a
  January article is December of the previous year. When the phrase is in a future
  context ("planned for Aug. 21", "will start Aug. 21", "next ...") the nearest
  occurrence on or after publication is used instead.
* **Months** "last month" / "next month" are whole calendar months; "this month" is the
  whole calendar month of publication; "earlier this month" runs from the 1st to the
  day before publication; "later this month" from the day after publication to the
  end of the month. "earlier this year" is 1 January to the day before publication.
* **Weekends** "over the weekend" / "last weekend" is the most recent Saturday-Sunday
  whose Saturday is on or before publication (the Sunday is clipped to publication).
* **Spans** "three-day inspections through Saturday" end on the anchor and start
  N-1 days earlier; "two-day visit starting Monday" start on the anchor; "from Aug. 3
  to 5", "Aug. 3-5", "3-5 August", "Aug. 28 to Sept. 2" are closed ranges.
* **Attribution dates** A weekday or "today" that directly follows a verb of saying
  ("state media said Sunday", "KCNA reported Monday") is the report date, not the
  event date: :func:`find_dates` marks it ``report=True`` and :func:`resolve_date`
  skips it.

* **Lists** "on July 4 and July 28" are two days; "and" makes a range only after "between".
* **Datelines, times of day, time zones** :func:`parse_dateline` reads a wire dateline
  ("SEOUL, July 31 (Yonhap) --"); :func:`find_times` finds clock times and parts of the day
  ("late Thursday" 18-24 h, "early Saturday" 0-9 h, "Thursday night" 20-24 h, "shortly before
  midnight" 23-24 h, "7:10 a.m.", "1343 GMT"); :func:`to_kst_day` turns a local day (and hours)
  in the dateline's zone into the KST calendar day, with a one-day margin when the time of day
  does not settle it.

Every resolver returns ``(start, end, matched_text)``; text without a usable date gives
``(None, None, None)``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

__all__ = [
    "DateMatch",
    "POSSESSIVE_DAY",
    "find_dates",
    "resolve_date",
    "weekday_on_or_before",
    "weekday_on_or_after",
    "week_bounds",
    "month_bounds",
    "previous_week",
    "previous_month",
    "next_month",
    "most_recent_weekend",
    "infer_year",
    "is_future_context",
    "Dateline",
    "parse_dateline",
    "TimeMatch",
    "find_times",
    "to_kst_day",
    "KST",
]

DateRange = tuple[date | None, date | None, str | None]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30,
}

# Month names are matched case-sensitively (capitalised) so that the modal "may" is
# never read as a month.
_MON = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
    r"(?![a-z])"
)
_DAY = r"(?:[12]?\d|3[01])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:19|20)\d{2}(?!\d)"
_WD = r"(?:[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|[Ss]aturday|[Ss]unday)"
_DASH = r"(?:\s*[-\u2013\u2014]\s*|\s+(?:to|through|thru|until|till|and)\s+)"
_NUM = r"(?:\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"

_SPEECH = re.compile(
    r"\b(?:said|says|say|reported|reports|announced|announces|told|stated|confirmed|added|"
    r"disclosed|revealed|claimed|alleged|noted|wrote)\s+(?:on\s+|late\s+|early\s+)?$"
    # "according to a separate KCNA report on Friday", "in a statement released Saturday"
    r"|\b(?:report|statement|dispatch|announcement|briefing)\s+(?:(?:released|published|issued|carried)\s+)?(?:on\s+)?$"
    # "told reporters on Tuesday", "briefed lawmakers Monday"
    r"|\b(?:told|tells|briefed|briefs|informed)\s+(?:reporters|journalists|lawmakers|legislators|parliament|the\s+press|"
    r"the\s+media)\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)
# "North Korea on Monday said it flight-tested ...": the day right before the reporting verb is the report's
_SPEECH_AFTER = re.compile(r"\s+(?:said|says|reported|announced|claimed|alleged|confirmed|disclosed|stated|revealed)\b",
                           re.IGNORECASE)
#: a day's possessive ("Sunday's launch"): the day names the event the noun tells
POSSESSIVE_DAY = re.compile(r"['\u2019]s\b")
# "On September 13, North Korea also announced ...": a day that opens the sentence and whose subject then reports
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?]\s+)\W*On\s+$")
_THEN_REPORTED = re.compile(r",\s+(?:[\w'\u2019.-]+\s+){1,5}?(?:also\s+)?(?:said|says|reported|announced|claimed|confirmed|"
                            r"disclosed|stated|revealed)\b", re.IGNORECASE)
_FUTURE_AFTER = re.compile(r",?\s+(?:[\w'\u2019.-]+\s+){0,6}?(?:will|shall|plans?\s+to|planned\s+to|intends?\s+to|"
                           r"(?:is|are)\s+(?:set|scheduled|due|expected)\s+to)\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|planned|plans?|planning|scheduled|upcoming|set\s+to|due|"
    r"expected|expects?|later|next|is\s+to|are\s+to|intends?|would\s+begin|to\s+(?:begin|start|hold|host))\b"
    # the present tense of an end still to come: "Freedom Edge ends on Friday", "runs through Sunday"
    r"|\b(?:ends|concludes|wraps\s+up|runs|lasts|continues)(?:\s+(?:on|through|until|till))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    """One date phrase found in a text.

    Attributes
    ----------
    start, end : datetime.date
        First and last day the phrase denotes (equal for one day).
    text : str
        The matched phrase as it appears in the text.
    span : tuple[int, int]
        Character offsets of the phrase in the text.
    kind : str
        Which rule matched (``"explicit"``, ``"range"``, ``"duration"``, ``"weekday"``,
        ``"relative"``, ``"month"``, ``"iso"``).
    report : bool
        True when the phrase is the date of a statement ("said Sunday"), not of an event.
    future : bool
        True when the phrase was resolved forward (future context).
    """

    start: date
    end: date
    text: str
    span: tuple[int, int]
    kind: str
    report: bool = False
    future: bool = False

    def to_tuple(self) -> tuple[date, date, str]:
        """Return ``(start, end, text)``."""
        return (self.start, self.end, self.text)


# --------------------------------------------------------------------------------------
# Calendar helpers (each unit-tested)
# --------------------------------------------------------------------------------------
def weekday_on_or_before(published: date, weekday: int) -> date:
    """Most recent day with ``weekday`` (Monday=0) on or before ``published``."""
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def weekday_on_or_after(published: date, weekday: int) -> date:
    """First day with ``weekday`` (Monday=0) on or after ``published``."""
    return published + timedelta(days=(weekday - published.weekday()) % 7)


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the (ISO, Monday-Sunday) week containing ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def previous_week(published: date) -> tuple[date, date]:
    """Monday-Sunday week before the week containing ``published`` ("last week")."""
    monday, _ = week_bounds(published)
    return monday - timedelta(days=7), monday - timedelta(days=1)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a calendar month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def previous_month(published: date) -> tuple[date, date]:
    """The whole calendar month before ``published`` ("last month")."""
    first = published.replace(day=1) - timedelta(days=1)
    return month_bounds(first.year, first.month)


def next_month(published: date) -> tuple[date, date]:
    """The whole calendar month after ``published`` ("next month")."""
    _, last = month_bounds(published.year, published.month)
    nxt = last + timedelta(days=1)
    return month_bounds(nxt.year, nxt.month)


def most_recent_weekend(published: date) -> tuple[date, date]:
    """Most recent Saturday-Sunday whose Saturday is on or before ``published``.

    The Sunday is clipped to ``published`` (an article of a Saturday gets that Saturday).
    """
    saturday = weekday_on_or_before(published, 5)
    return saturday, min(saturday + timedelta(days=1), published)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def infer_year(month: int, day: int, published: date, future: bool = False, near: int = 31) -> date | None:
    """Date for a month and day given without a year.

    Not future: the latest candidate on or before ``published`` (so "Dec. 30" in a
    January article is the previous December), unless that lies in an earlier year and
    the publication year's own day is at most ``near`` days ahead: news style gives the
    year of a day in another year, so "June 12" in a story of June 1 is this June (a
    coming day, or a Korean date one day ahead of a page dated in a calendar behind
    Seoul's), not last year's. Future: the earliest candidate on or after ``published``.
    ``None`` for an impossible day (Feb. 30).
    """
    years = (published.year - 1, published.year, published.year + 1)
    cands = [d for y in years if (d := _safe_date(y, month, day)) is not None]
    if not cands:
        return None
    if future:
        after = [d for d in cands if d >= published]
        return min(after) if after else max(cands)
    before = [d for d in cands if d <= published]
    this_year = _safe_date(published.year, month, day)
    if (before and max(before).year < published.year and this_year is not None
            and (this_year - published).days <= near):
        return this_year
    return max(before) if before else min(cands)


def is_future_context(text: str, pos: int, window: int = 100) -> bool:
    """True when the words just before ``pos`` (same clause) mark the future."""
    left = text[max(0, pos - window):pos]
    cut = max(left.rfind("."), left.rfind(";"), left.rfind(","))
    if cut >= 0:
        left = left[cut + 1:]
    return bool(_FUTURE.search(left))


_SPEECH_VERB = re.compile(r"\b(?:said|says|reported|reports|announced|stated|confirmed|disclosed|revealed|claimed|alleged)\s+"
                          r"(?:on\s+)?$", re.IGNORECASE)


def _sentence_end(text: str, pos: int) -> int:
    m = re.search(r"[.!?](?:\s|$)", text[pos:])
    return pos + m.end() if m else len(text)


def _is_report_verb(text: str, pos: int) -> bool:
    return bool(_SPEECH_VERB.search(text[max(0, pos - 25):pos]))


def _is_report(text: str, pos: int) -> bool:
    return bool(_SPEECH.search(text[max(0, pos - 40):pos]))


def _month_num(token: str) -> int:
    return _MONTHS[token.strip(".").lower()[:3]]


def _day_num(token: str) -> int:
    return int(re.match(r"\d+", token).group(0))  # type: ignore[union-attr]


def _number(token: str) -> int | None:
    token = token.lower()
    if token.isdigit():
        return int(token)
    if "-" in token:  # twenty-one
        parts = token.split("-")
        if all(p in _NUMBER_WORDS for p in parts):
            return sum(_NUMBER_WORDS[p] for p in parts)
    return _NUMBER_WORDS.get(token)


# --------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------
_P_ISO = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b")
# Aug. 3-5 / from Aug. 3 to 5 / Aug. 28 to Sept. 2 / between Aug. 3 and 5, 2023
_P_RANGE_MD = re.compile(
    rf"(?:\b(?:from|between)\s+)?\b(?P<m1>{_MON})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?"
    rf"{_DASH}(?:(?P<m2>{_MON})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?"
)
# 3-5 August / 3 to 5 Aug. 2023 / 28 August to 2 September
_P_RANGE_DM = re.compile(
    rf"(?:\b(?:from|between)\s+)?\b(?P<d1>{_DAY})(?:\s+(?P<m1>{_MON}))?{_DASH}(?P<d2>{_DAY})"
    rf"\s+(?:of\s+)?(?P<m2>{_MON})(?:,?\s+(?P<y2>{_YEAR}))?"
)
_P_MD = re.compile(rf"\b(?P<m>{_MON})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?")
_P_DM = re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?")
# "on the 27th", but not "the 14th anniversary", "the 8th party congress", "the 5th round"
_P_NTH = re.compile(
    r"\b(?:on\s+)?the\s+(?P<d>[12]?\d|3[01])(?:st|nd|rd|th)\b"
    r"(?!\s+(?!(?:of|and|or|to|through|until|when|at|in|on|this|last|next|morning|afternoon|evening|night)\b)[A-Za-z])",
    re.IGNORECASE)
_P_MONTH = re.compile(
    rf"(?:\b(?i:in|during|since|through|until|by|of)\s+(?:(?P<q>(?i:early|mid|late))[- ]?)?|\b(?P<q2>(?i:early|mid|late))[- ])"
    rf"(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?(?!\.?\s*\d)"
    rf"|\b(?P<m3>{_MON})\s+(?P<y3>{_YEAR})"
)
_P_WEEKDAY_RANGE = re.compile(
    rf"\b(?:from\s+)?(?P<w1>{_WD})\s*(?:[-\u2013]|\s+(?:to|through|thru|until|and)\s+)(?P<w2>{_WD})\b"
)
_P_WEEKDAY = re.compile(rf"\b(?:(?P<rel>last|this|next|past|coming)\s+)?(?P<wd>{_WD})\b", re.IGNORECASE)
_ANCHOR = rf"(?:{_WD}|{_MON}\s+{_DAY}|{_DAY}\s+{_MON}|the\s+\d{{1,2}}(?:st|nd|rd|th)|today|tomorrow|yesterday)"
_P_DURATION_END = re.compile(
    rf"\b(?P<n>{_NUM}(?:-{_NUM})?)[- ]day\b(?:\s+[\w'\u2019.-]+){{0,6}}?\s+"
    rf"(?:through|thru|until|till|to|ending(?:\s+on)?|(?:that|which)\s+ended(?:\s+on)?|ended(?:\s+on)?|running\s+through)\s+"
    rf"(?P<anchor>{_ANCHOR})",
    re.IGNORECASE,
)
_P_DURATION_START = re.compile(
    rf"\b(?P<n>{_NUM}(?:-{_NUM})?)[- ]day\b(?:\s+[\w'\u2019.-]+){{0,6}}?\s+"
    rf"(?:starting|beginning|from|(?:that|which)\s+(?:began|begins|starts|started|opened)|began|begins|starts|started|opening)(?:\s+on)?\s+"
    rf"(?P<anchor>{_ANCHOR})",
    re.IGNORECASE,
)

_RELATIVE: list[tuple[str, str]] = [
    (r"the\s+day\s+before\s+yesterday", "dby"),
    (r"later\s+this\s+month", "later_month"),
    (r"earlier\s+this\s+month", "earlier_month"),
    (r"later\s+this\s+week", "later_week"),
    (r"earlier\s+this\s+week", "earlier_week"),
    (r"later\s+this\s+year", "later_year"),
    (r"earlier\s+this\s+year", "earlier_year"),
    (r"(?:over|during|at)\s+the\s+(?:past\s+)?weekend|last\s+weekend|this\s+past\s+weekend", "weekend"),
    (r"(?:this\s+)?coming\s+weekend|next\s+weekend", "next_weekend"),
    (r"last\s+week|the\s+previous\s+week|the\s+week\s+before", "last_week"),
    (r"this\s+week", "this_week"),
    (r"next\s+week", "next_week"),
    (r"last\s+month|the\s+previous\s+month", "last_month"),
    (r"this\s+month", "this_month"),
    (r"next\s+month", "next_month"),
    (r"last\s+year|the\s+previous\s+year", "last_year"),
    (r"this\s+year", "this_year"),
    (r"next\s+year", "next_year"),
    (r"today|tonight|this\s+morning|this\s+afternoon|this\s+evening", "today"),
    (r"yesterday|last\s+night", "yesterday"),
    (r"tomorrow", "tomorrow"),
    (r"(?P<nd>" + _NUM + r")\s+days\s+ago", "days_ago"),
    (r"(?P<nw>" + _NUM + r")\s+weeks\s+ago", "weeks_ago"),
]
_P_RELATIVE = re.compile(
    r"\b(?:" + "|".join(f"(?P<{name}>{pat})" for pat, name in _RELATIVE) + r")\b",
    re.IGNORECASE,
)

_FUTURE_RELATIVE = {"later_month", "later_week", "later_year", "next_weekend", "next_week",
                    "next_month", "next_year", "tomorrow"}


def _relative(name: str, published: date, n: int | None) -> tuple[date, date]:
    p = published
    one = timedelta(days=1)
    if name == "today":
        return p, p
    if name == "yesterday":
        return p - one, p - one
    if name == "dby":
        return p - 2 * one, p - 2 * one
    if name == "tomorrow":
        return p + one, p + one
    if name == "last_week":
        return previous_week(p)
    if name == "this_week":
        return week_bounds(p)
    if name == "next_week":
        mon, sun = week_bounds(p)
        return mon + 7 * one, sun + 7 * one
    if name == "earlier_week":
        mon, _ = week_bounds(p)
        return mon, max(mon, p - one)
    if name == "later_week":
        _, sun = week_bounds(p)
        return min(p + one, sun), sun
    if name == "weekend":
        return most_recent_weekend(p)
    if name == "next_weekend":
        sat = weekday_on_or_after(p + one, 5)
        return sat, sat + one
    if name == "last_month":
        return previous_month(p)
    if name == "this_month":
        return month_bounds(p.year, p.month)
    if name == "earlier_month":
        return p.replace(day=1), max(p.replace(day=1), p - one)
    if name == "later_month":
        _, last = month_bounds(p.year, p.month)
        return min(p + one, last), last
    if name == "next_month":
        return next_month(p)
    if name == "last_year":
        return date(p.year - 1, 1, 1), date(p.year - 1, 12, 31)
    if name == "this_year":
        return date(p.year, 1, 1), date(p.year, 12, 31)
    if name == "earlier_year":
        return date(p.year, 1, 1), max(date(p.year, 1, 1), p - one)
    if name == "later_year":
        return min(p + one, date(p.year, 12, 31)), date(p.year, 12, 31)
    if name == "next_year":
        return date(p.year + 1, 1, 1), date(p.year + 1, 12, 31)
    if name == "days_ago":
        d = p - timedelta(days=n or 0)
        return d, d
    if name == "weeks_ago":
        d = p - timedelta(days=7 * (n or 0))
        return d, d
    raise ValueError(name)  # pragma: no cover


def _weekday(rel: str | None, wd: str, published: date, future: bool) -> date:
    w = WEEKDAYS.index(wd.lower())
    rel = (rel or "").lower()
    if rel in ("last", "past"):
        return weekday_on_or_before(published - timedelta(days=1), w)
    if rel in ("next", "coming"):
        return weekday_on_or_after(published + timedelta(days=1), w)
    if rel == "this":
        return weekday_on_or_after(published, w) if future else weekday_on_or_before(published, w)
    return weekday_on_or_after(published, w) if future else weekday_on_or_before(published, w)


def _nth(day: int, published: date, future: bool) -> date | None:
    cands = []
    for k in (-1, 0, 1):
        y, m = published.year, published.month + k
        if m == 0:
            y, m = y - 1, 12
        elif m == 13:
            y, m = y + 1, 1
        d = _safe_date(y, m, day)
        if d is not None:
            cands.append(d)
    if not cands:
        return None
    if future:
        after = [d for d in cands if d >= published]
        return min(after) if after else None
    before = [d for d in cands if d <= published]
    return max(before) if before else None


def _anchor(token: str, published: date, future: bool) -> date | None:
    """Resolve the anchor of a duration span (weekday, explicit date, ordinal, relative)."""
    t = token.strip()
    low = t.lower()
    if low in WEEKDAYS:
        return _weekday(None, low, published, future)
    if low == "today":
        return published
    if low == "yesterday":
        return published - timedelta(days=1)
    if low == "tomorrow":
        return published + timedelta(days=1)
    m = re.fullmatch(r"the\s+(\d{1,2})(?:st|nd|rd|th)", t, re.IGNORECASE)
    if m:
        return _nth(int(m.group(1)), published, future)
    m = re.fullmatch(rf"({_MON})\s+({_DAY})", t)
    if m:
        return infer_year(_month_num(m.group(1)), _day_num(m.group(2)), published, future)
    m = re.fullmatch(rf"({_DAY})\s+({_MON})", t)
    if m:
        return infer_year(_month_num(m.group(2)), _day_num(m.group(1)), published, future)
    return None


def _range(m1: int, d1: int, y1: int | None, m2: int, d2: int, y2: int | None,
           published: date, future: bool) -> tuple[date, date] | None:
    if y1 is None and y2 is not None:
        y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    start = _safe_date(y1, m1, d1) if y1 is not None else infer_year(m1, d1, published, future)
    if start is None:
        return None
    if y2 is None:
        y2 = start.year if (m2, d2) >= (m1, d1) else start.year + 1
    end = _safe_date(y2, m2, d2)
    if end is None or end < start:
        return None
    return start, end


def _and_without_between(phrase: str) -> bool:
    return bool(re.search(r"\sand\s", phrase)) and not re.match(r"between\b", phrase, re.IGNORECASE)


_PAST_VERB_BEFORE = re.compile(r"(?i)\b(?:\w+ed|began|held|met|flew|sent|went|came|took\s+place|ran|broke)\s+"
                               r"(?:on\s+|from\s+|since\s+)?$")


def _near(text: str, pos: int) -> int:
    """Days ahead of publication a day told without a year may lie (see ``infer_year``).

    A day right after a past-tense verb ("the drills began Aug. 20") is past: only the time-zone day
    (one ahead of a page dated in a calendar behind Seoul's) is this year's.
    """
    return 1 if _PAST_VERB_BEFORE.search(text, max(0, pos - 40), pos) else 31


_YEAR_AFTER = re.compile(r"(?i),?\s+(?:of\s+)?(last|this|next)\s+year\b")
_DAY_LIST_SEP = re.compile(r"(?i)\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:on\s+)?")
_Cand = tuple[int, int, date, date, str, bool]


def _year_after_days(text: str, chosen: list[_Cand], published: date) -> list[_Cand]:
    """Give days told without a year the year named right after them.

    "on May 31 last year" and "on May 31 and Aug. 24 last year" are days of the year before
    publication: the year phrase re-years every day of the list it closes (a day with its own year
    keeps it) and becomes part of the last day's phrase.
    """
    out = list(chosen)
    for k in range(len(out) - 1, 0, -1):
        s, e, start, end, kind, fut = out[k]
        m = _YEAR_AFTER.fullmatch(text, out[k - 1][1], e)
        if kind != "relative" or m is None:
            continue
        year = published.year + {"last": -1, "this": 0, "next": 1}[m.group(1).lower()]
        j = k - 1
        while j >= 0:
            c = out[j]
            if c[4] != "explicit" or c[2] != c[3] or re.search(r"\d{4}", text[c[0]:c[1]]):
                break
            day = _safe_date(year, c[2].month, c[2].day)
            if day is not None:
                out[j] = (c[0], e if j == k - 1 else c[1], day, day, c[4], c[5])
            if j == 0 or not _DAY_LIST_SEP.fullmatch(text, out[j - 1][1], c[0]):
                break
            j -= 1
        if j < k - 1 or out[k - 1][1] == e:
            del out[k]
    return out


def find_dates(text: str, published: date) -> list[DateMatch]:
    """Find every date phrase in ``text`` and resolve it against ``published``.

    Overlapping candidates are resolved by keeping the longest phrase (so "three-day
    inspections through Saturday" wins over "Saturday", "Aug. 3-5" over "Aug. 3").

    Parameters
    ----------
    text : str
        A sentence or short passage.
    published : datetime.date
        Publication date of the article.

    Returns
    -------
    list[DateMatch]
        In order of appearance.
    """
    cands: list[tuple[int, int, date, date, str, bool]] = []  # (s, e, start, end, kind, future)

    def add(s: int, e: int, start: date | None, end: date | None, kind: str, fut: bool) -> None:
        if start is not None and end is not None and end >= start:
            cands.append((s, e, start, end, kind, fut))

    for m in _P_ISO.finditer(text):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        add(m.start(), m.end(), d, d, "iso", False)
    for m in _P_RANGE_MD.finditer(text):
        if _and_without_between(m.group(0)):
            continue  # "on July 4 and July 28" lists two days; "between Aug. 3 and 5" is a range
        fut = is_future_context(text, m.start())
        r = _range(_month_num(m["m1"]), _day_num(m["d1"]), int(m["y1"]) if m["y1"] else None,
                   _month_num(m["m2"] or m["m1"]), _day_num(m["d2"]), int(m["y2"]) if m["y2"] else None,
                   published, fut)
        if r:
            add(m.start(), m.end(), r[0], r[1], "range", fut)
    for m in _P_RANGE_DM.finditer(text):
        if _and_without_between(m.group(0)):
            continue
        fut = is_future_context(text, m.start())
        r = _range(_month_num(m["m1"] or m["m2"]), _day_num(m["d1"]), None,
                   _month_num(m["m2"]), _day_num(m["d2"]), int(m["y2"]) if m["y2"] else None,
                   published, fut)
        if r:
            add(m.start(), m.end(), r[0], r[1], "range", fut)
    for m in _P_MD.finditer(text):
        fut = is_future_context(text, m.start())
        mo, dd = _month_num(m["m"]), _day_num(m["d"])
        d = _safe_date(int(m["y"]), mo, dd) if m["y"] else infer_year(mo, dd, published, fut, _near(text, m.start()))
        add(m.start(), m.end(), d, d, "explicit", fut)
    for m in _P_DM.finditer(text):
        fut = is_future_context(text, m.start())
        mo, dd = _month_num(m["m"]), _day_num(m["d"])
        d = _safe_date(int(m["y"]), mo, dd) if m["y"] else infer_year(mo, dd, published, fut, _near(text, m.start()))
        add(m.start(), m.end(), d, d, "explicit", fut)
    for m in _P_NTH.finditer(text):
        fut = is_future_context(text, m.start())
        d = _nth(int(m["d"]), published, fut)
        add(m.start(), m.end(), d, d, "explicit", fut)
    for m in _P_MONTH.finditer(text):
        mon = m["m"] or m["m3"]
        yr = m["y"] or m["y3"]
        q = (m["q"] or m["q2"] or "").lower()
        fut = is_future_context(text, m.start())
        mo = _month_num(mon)
        if yr:
            y = int(yr)
        else:
            ref = infer_year(mo, 1, published, fut, near=0)
            y = ref.year if ref else published.year
        first, last = month_bounds(y, mo)
        if q == "early":
            last = first + timedelta(days=9)
        elif q == "mid":
            first, last = first + timedelta(days=10), first + timedelta(days=19)
        elif q == "late":
            first = first + timedelta(days=20)
        add(m.start(), m.end(), first, last, "month", fut)
    for m in _P_DURATION_END.finditer(text):
        n = _number(m["n"].split("-")[-1])
        fut = is_future_context(text, m.start())
        end = _anchor(m["anchor"], published, fut)
        if n and end is not None:
            add(m.start(), m.end(), end - timedelta(days=n - 1), end, "duration", fut)
    for m in _P_DURATION_START.finditer(text):
        n = _number(m["n"].split("-")[-1])
        fut = is_future_context(text, m.start())
        start = _anchor(m["anchor"], published, fut)
        if n and start is not None:
            add(m.start(), m.end(), start, start + timedelta(days=n - 1), "duration", fut)
    for m in _P_WEEKDAY_RANGE.finditer(text):
        fut = is_future_context(text, m.start())
        w1, w2 = WEEKDAYS.index(m["w1"].lower()), WEEKDAYS.index(m["w2"].lower())
        if fut:
            start = weekday_on_or_after(published, w1)
            end = start + timedelta(days=(w2 - w1) % 7)
        else:
            end = weekday_on_or_before(published, w2)
            start = end - timedelta(days=(w2 - w1) % 7)
        add(m.start(), m.end(), start, end, "range", fut)
    for m in _P_WEEKDAY.finditer(text):
        fut = is_future_context(text, m.start()) and not (m["rel"] or "").lower() in ("last", "past")
        d = _weekday(m["rel"], m["wd"], published, fut)
        add(m.start(), m.end(), d, d, "weekday", fut or (m["rel"] or "").lower() in ("next", "coming"))
    for m in _P_RELATIVE.finditer(text):
        name = m.lastgroup
        assert name is not None
        num = m["nd"] or m["nw"]
        n = _number(num) if num else None
        start, end = _relative(name, published, n)
        add(m.start(), m.end(), start, end, "relative", name in _FUTURE_RELATIVE)

    # keep the longest non-overlapping candidates
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, date, date, str, bool]] = []
    for c in cands:
        if all(c[1] <= o[0] or c[0] >= o[1] for o in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    chosen = _year_after_days(text, chosen, published)
    out: list[DateMatch] = []
    for s, e, start, end, kind, fut in chosen:
        # ("said Sunday's launch ...": a possessive day names the event, whatever verb stands before it)
        # (a calendar day right after a verb of saying is the report's too: "state media reported on Nov. 1")
        report = start == end and not POSSESSIVE_DAY.match(text, e) and (
            (kind in ("weekday", "relative") and (_is_report(text, s) or bool(_SPEECH_AFTER.match(text, e))))
            or (kind not in ("weekday", "relative") and _is_report_verb(text, s))
            # (only when the sentence gives the event a day of its own: "On March 19, North Korea said it had
            # tested an engine" keeps the day it was told, as the events data do)
            or (bool(_OPENS_SENTENCE.search(text[max(0, s - 12):s])) and bool(_THEN_REPORTED.match(text, e))
                and any(c[0] >= e and c[0] < _sentence_end(text, e) for c in chosen)))
        # "On Thursday, Seoul and Washington plan to conclude ...": a sentence that opens with its day and goes on
        # in the future points the weekday forward
        if kind == "weekday" and start == end and not fut and re.fullmatch(r"\s*(?:[Oo]n\s+)?", text[:s]) \
                and _FUTURE_AFTER.match(text, e):
            start = end = weekday_on_or_after(published, start.weekday())
            fut = True
        # "China confirmed on Wednesday (March 28) that ...": the date in brackets glosses the report's day
        if out and out[-1].report and start == end == out[-1].start and re.fullmatch(r"\s*\(\s*", text[out[-1].span[1]:s]):
            report = True
        out.append(DateMatch(start, end, text[s:e], (s, e), kind, report, fut))
    return out


def resolve_date(text: str, published: date) -> DateRange:
    """Resolve the (first) event date phrase in ``text``.

    Report dates ("state media said Sunday") are skipped.

    Parameters
    ----------
    text : str
        A sentence.
    published : datetime.date
        Publication date of the article.

    Returns
    -------
    tuple
        ``(start, end, matched_text)``, or ``(None, None, None)`` when undated.

    Examples
    --------
    >>> resolve_date("Kim's three-day inspections through Saturday ended.", date(2023, 8, 6))
    (datetime.date(2023, 8, 3), datetime.date(2023, 8, 5), 'three-day inspections through Saturday')
    """
    for m in find_dates(text, published):
        if not m.report:
            return m.start, m.end, m.text
    return None, None, None


# --------------------------------------------------------------------------------------
# Datelines, times of day and time zones
# --------------------------------------------------------------------------------------
KST = "Asia/Seoul"

# "SEOUL, South Korea (AP) -- ", "SEOUL, July 31 (Yonhap) -- ", "TOKYO (Reuters) - ",
# "UNITED NATIONS (AP) — ", "WASHINGTON, Nov. 3 (Yonhap) -- "
_P_DATELINE = re.compile(
    r"^(?P<place>[A-Z]{2}[A-Z'\u2019.-]*(?:(?:\s+|/)[A-Z]{2}[A-Z'\u2019.-]*)*"
    r"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?=(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})?\s*\((?:AFP|AP|Reuters|Yonhap|Kyodo|"
    r"Bloomberg|dpa|UPI|NHK|Xinhua|TASS|CNN|BBC|Nikkei|Jiji(?:\s+Press)?)\)"
    # "Seoul, Sept. 13 (Jiji Press)--": a title-case place with the dateline's day before the agency
    r"|,\s+" + _MON + r"\s+" + _DAY + r"\s*\([A-Z][\w .]{1,30}\)))"
    rf"(?:,\s+(?:(?P<mon>{_MON})\s+(?P<day>{_DAY})|(?P<region>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){{0,3}})))?"
    r"(?:,?\s+(?P<mon2>" + _MON + r")\s+(?P<day2>" + _DAY + r"))?"
    r"(?:\s*\((?P<agency>[^)]{1,40})\)|\s+(?P<agency2>Kyodo|Yonhap|AFP|AP|Reuters|Xinhua|TASS|UPI|dpa)(?=\s*-)"
    # "BEIJING, Feb. 13, Kyodo" on a line of its own
    r"|,\s+(?P<agency3>Kyodo|Yonhap|AFP|AP|Reuters|Xinhua|TASS|UPI|dpa)(?=\s*\n|\s+[A-Z]))?"
    # ("Brussels, May 20 (IANS) The EU ...": after a bracketed agency a plain space may end the dateline)
    r"(?(agency3)\s*|(?:\s*[\u2014\u2013]\s*|\s+--?\s+|\s*--\s*|(?(agency)\s+(?=[A-Z\u201c\"])|(?!))))"
)


_P_DAY_DATELINE = re.compile(rf"^(?P<mon>{_MON})\s+(?P<day>{_DAY})\s*\((?P<agency>[A-Z][^)]{{0,39}})\)"
                             r"(?:\s*[\u2014\u2013]\s*|\s+--?\s+|\s*--\s*)")


@dataclass(frozen=True)
class Dateline:
    """The dateline that opens a wire report.

    Attributes
    ----------
    place : str
        "SEOUL", "WASHINGTON", "UNITED NATIONS" ...
    tz : str
        IANA time zone of the place (KST when the place is not in the gazetteer).
    day : datetime.date or None
        The dateline's own date (Yonhap: "SEOUL, July 31 (Yonhap) --"), year from publication.
    agency : str
        "AP", "Reuters", "Yonhap" ... ("" when absent).
    end : int
        Length of the dateline in the sentence (the text after it is the lead).
    known_place : bool
        Whether the place's zone came from the gazetteer.
    """

    place: str
    tz: str
    day: date | None
    agency: str
    end: int
    known_place: bool = True

    @property
    def us_calendar(self) -> bool:
        """True when the dateline's day is on the US (Eastern) calendar whatever its place: UPI dates its
        datelines so ("SEOUL, April 23 (UPI) --" on a Korean evening of April 23, or told Korea's next day)."""
        return self.agency.upper() == "UPI"


# "By Oh Seok-min " before an upper-case place and its comma or agency: a byline of one to six name words
_NAME_WORD = r"[A-Z][a-z][\w'\u2019.-]*"
_BYLINE_BEFORE_PLACE = re.compile(rf"By\s+{_NAME_WORD}(?:(?:\s+|,\s+|\s+and\s+){_NAME_WORD}){{0,5}}\s+"
                                  r"(?=[A-Z]{2}[A-Z'\u2019.-]*(?:\s+[A-Z]{2}[A-Z'\u2019.-]*)*(?:,|\s*\())")


def parse_dateline(sentence: str, published: date, zones: dict[str, str] | None = None) -> Dateline | None:
    """Parse a wire dateline at the start of ``sentence`` (``None`` when there is none).

    A byline run into it ("By Oh Seok-min SEOUL, Aug. 28 (Yonhap) --", a page whose lines were joined)
    is passed over: the dateline's ``end`` then counts from the sentence's start.
    """
    by = _BYLINE_BEFORE_PLACE.match(sentence)
    if by:
        inner = parse_dateline(sentence[by.end():], published, zones)
        return replace(inner, end=inner.end + by.end()) if inner else None
    m = _P_DATELINE.match(sentence)
    if not m:
        # "July 28 (UPI) -- ": a dateline with the day and the agency but no place (the writer's zone unknown)
        d = _P_DAY_DATELINE.match(sentence)
        if not d:
            return None
        day0 = infer_year(_month_num(d["mon"]), _day_num(d["day"]), published + timedelta(days=1))
        return Dateline(place="", tz=KST, day=day0, agency=d["agency"].strip(), end=d.end(), known_place=False)
    place = re.sub(r"\s+", " ", m["place"]).strip()
    zones = zones or {}
    # "WASHINGTON/SEOUL": the first place with a known zone (the writer's)
    tz = next((zones[p.strip().upper()] for p in place.split("/") if p.strip().upper() in zones), None)
    mon, day = m["mon"] or m["mon2"], m["day"] or m["day2"]
    d = infer_year(_month_num(mon), _day_num(day), published + timedelta(days=1)) if mon and day else None
    return Dateline(place=place, tz=tz or KST, day=d, agency=(m["agency"] or m["agency2"] or m["agency3"] or "").strip(), end=m.end(),
                    known_place=tz is not None)


@dataclass(frozen=True)
class TimeMatch:
    """A time of day in a sentence.

    ``lo``/``hi`` are hours (floats, 0-24) of the local day; ``zone`` is an explicit zone given
    with it ("local time", "KST" -> KST; "GMT" -> UTC; "EDT" -> US Eastern) or ``None``.
    ``evening`` is True for times from 18:00 on (used when the day is taken from a report date).
    """

    lo: float
    hi: float
    text: str
    span: tuple[int, int]
    zone: str | None = None

    @property
    def evening(self) -> bool:
        """True when the whole window lies at or after 18:00."""
        return self.lo >= 18


_PART_BEFORE = {  # "late Thursday", "early Saturday", "before dawn Sunday"
    "early": (0.0, 9.0), "late": (18.0, 24.0), "before dawn": (2.0, 6.0), "pre-dawn": (2.0, 6.0),
    "predawn": (2.0, 6.0),
}
_PART_AFTER = {  # "Thursday night", "Tuesday morning"
    "morning": (5.0, 12.0), "afternoon": (12.0, 18.0), "evening": (18.0, 22.0), "night": (20.0, 24.0),
}
_P_PART_BEFORE = re.compile(
    r"\b(?P<q>early|late|before\s+dawn|pre-?dawn)(?:\s+(?:on|in\s+the\s+day\s+on))?\s+(?=" + _WD + r"|"
    + _MON + r"\s+\d|(?i:today|yesterday))", re.IGNORECASE)
_P_PART_AFTER = re.compile(
    r"(?<=[a-z0-9.])\s+(?P<q>morning|afternoon|evening|night)\b", re.IGNORECASE)
_P_MIDNIGHT = re.compile(
    r"\b(?P<q>(?:shortly|just|minutes|an\s+hour|hours)\s+(?:before|after)|before|after|around|about|near|at)\s+midnight\b",
    re.IGNORECASE)
_P_PART_ALONE = re.compile(
    r"\b(?:(?:early|late)\s+in\s+the\s+(?P<q1>morning|afternoon|evening|day)|in\s+the\s+(?P<q2>early\s+morning|morning|afternoon|evening)"
    r"|(?P<q3>before\s+dawn|at\s+dawn|late\s+at\s+night|overnight|at\s+noon|around\s+noon))\b",
    re.IGNORECASE)
_P_CLOCK = re.compile(
    r"\b(?:at\s+)?(?:about\s+|around\s+|approximately\s+|roughly\s+|some\s+)?"
    r"(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?P<ap>a\.m\.?|p\.m\.?|am\b|pm\b)",
    re.IGNORECASE)
_P_CLOCK24 = re.compile(r"\(?\b(?P<hm>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s*(?P<z>GMT|UTC)\b\)?")
_P_ZONE = re.compile(
    r"^\s*,?\s*\(?(?:(?P<kst>local\s+time|Korea(?:n)?\s+time|Seoul\s+time|Japan\s+time|Tokyo\s+time|KST|JST)"
    r"|(?P<us>EDT|EST|ET|Washington\s+time|U\.S\.\s+Eastern\s+time)|(?P<utc>GMT|UTC))\b",
    re.IGNORECASE)


def _zone_after(text: str, pos: int) -> str | None:
    m = _P_ZONE.match(text[pos:pos + 30])
    if not m:
        return None
    return KST if m["kst"] else ("America/New_York" if m["us"] else "UTC")


def find_times(text: str) -> list[TimeMatch]:
    """Times of day in ``text``: clock times, parts of the day and midnight phrases.

    Windows (local hours): "early <day>" 0-9, "late <day>" 18-24, "<day> morning" 5-12,
    "afternoon" 12-18, "evening" 18-22, "night" 20-24, "before dawn" 2-6, "shortly before
    midnight" 23-24, "shortly after midnight" 0-1, "7:10 a.m." 7.17, "1343 GMT" 13.72 UTC.
    A zone right after the phrase ("local time", "KST", "EDT", "GMT") is kept in ``zone``.
    """
    out: list[TimeMatch] = []

    def add(lo: float, hi: float, s: int, e: int) -> None:
        if any(not (e <= t.span[0] or s >= t.span[1]) for t in out):
            return
        out.append(TimeMatch(lo, hi, text[s:e], (s, e), _zone_after(text, e)))

    for m in _P_CLOCK24.finditer(text):
        h = int(m["hm"]) + int(m["mm"]) / 60
        out.append(TimeMatch(h, h, m.group(0), m.span(), "UTC"))
    for m in _P_CLOCK.finditer(text):
        h = int(m["h"]) % 12 + (12 if m["ap"].lower().startswith("p") else 0) + int(m["m"] or 0) / 60
        add(h, h, m.start(), m.end())
    for m in _P_MIDNIGHT.finditer(text):
        q = m["q"].lower()
        if "before" in q:
            add(22.0 if ("hour" in q) else 23.0, 24.0, m.start(), m.end())
        elif "after" in q:
            add(0.0, 2.0 if "hour" in q else 1.0, m.start(), m.end())
        else:
            add(23.5, 24.0, m.start(), m.end())
    for m in _P_PART_BEFORE.finditer(text):
        q = re.sub(r"\s+", " ", m["q"].lower())
        lo, hi = _PART_BEFORE[q if q in _PART_BEFORE else "before dawn"]
        add(lo, hi, m.start(), m.end())
    for m in _P_PART_AFTER.finditer(text):
        left = text[max(0, m.start() - 14):m.start()]
        if not re.search(_WD + r"$|\d$|(?i:today|yesterday|last|this|tomorrow)$", left):
            continue
        lo, hi = _PART_AFTER[m["q"].lower()]
        add(lo, hi, m.start(), m.end())
    for m in _P_PART_ALONE.finditer(text):
        q = (m["q1"] or m["q2"] or m["q3"]).lower()
        q = re.sub(r"\s+", " ", q)
        win = {"morning": (5.0, 12.0), "early morning": (0.0, 8.0), "afternoon": (12.0, 18.0),
               "evening": (18.0, 22.0), "day": (0.0, 24.0), "before dawn": (2.0, 6.0), "at dawn": (4.0, 7.0),
               "late at night": (21.0, 24.0), "overnight": (0.0, 24.0), "at noon": (11.5, 12.5),
               "around noon": (11.0, 13.0)}[q]
        if m["q1"] == "day" or q == "overnight":
            continue
        add(win[0], win[1], m.start(), m.end())
    out.sort(key=lambda t: t.span[0])
    return out


def to_kst_day(day: date, tz: str, lo: float | None = None, hi: float | None = None) -> tuple[date, int, str]:
    """KST calendar day of an event on local ``day`` in zone ``tz``, between local hours lo and hi.

    Without a time of day the whole local day is the window and its midday stands for it. The
    result is certain (margin 0) when at most three hours of the window fall on another KST day
    than the one chosen; otherwise ``margin`` is 1 (the KST day may be one off).

    Returns
    -------
    tuple
        ``(kst_day, margin_days, explanation)``.
    """
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if tz in (KST, "Asia/Pyongyang", "Asia/Tokyo") and lo is None:
        return day, 0, ""
    zone, kst = ZoneInfo(tz), ZoneInfo(KST)
    timed = lo is not None
    lo_h = 0.0 if lo is None else lo
    hi_h = 24.0 if hi is None else hi

    def at(h: float) -> datetime:
        base = datetime(day.year, day.month, day.day, tzinfo=zone)
        return (base + timedelta(hours=h)).astimezone(kst)

    start, end = at(lo_h), at(max(lo_h, min(hi_h, 24.0) - 1e-6))
    mid = at(12.0 if not timed else (lo_h + hi_h) / 2)
    chosen = mid.date()
    # hours of the window on other KST days than the chosen one
    total = (hi_h - lo_h)
    on_chosen = 0.0
    if start.date() == end.date():
        on_chosen = total
    else:
        boundary = datetime(end.year, end.month, end.day, tzinfo=kst)
        first = (boundary - start).total_seconds() / 3600
        on_chosen = first if chosen == start.date() else total - first
    margin = 0 if total - on_chosen <= 3.0 else 1
    if tz in (KST, "Asia/Pyongyang", "Asia/Tokyo"):
        return chosen, margin, ""
    when = "the whole day" if not timed else (f"{lo_h:05.2f}".replace(".", ":")[:5] if lo_h == hi_h else
                                              f"{int(lo_h):02d}:00-{int(hi_h):02d}:00")
    note = (f"{day.isoformat()} {when} in {tz} is {chosen.isoformat()} KST"
            + (" (uncertain by a day)" if margin else ""))
    return chosen, margin, note
