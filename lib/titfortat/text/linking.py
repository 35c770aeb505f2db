"""Link coded article items to the events table, and check an article's pace claims.

* :func:`link_items` adds ``matched_event_ids`` to a frame of coded items: the events of
  the same side and action whose ``[date, end_date]`` overlaps the item's
  ``[start - tolerance, end + tolerance]``.
* :func:`pace_claims` finds sentences claiming that activity "intensified", "escalated",
  "stepped up" ... and tests each claim, per side, against the events table: counts in the
  ``window_months`` before publication versus the same length before that, with an exact
  conditional binomial test of equal rates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from titfortat.text.articles import Article
from titfortat.text.coder import (
    ITEM_COLUMNS,
    Dictionaries,
    _find_mentions,
    code_text,
    items_frame,
    merge_mentions,
    load_dictionaries,
    publication_zone,
    side_of,
    split_sentences,
)

__all__ = ["code_article", "code_articles", "code_batch", "ArticleBatch", "candidate_events", "CANDIDATE_COLUMNS", "article_results", "link_items", "pace_claims", "find_pace_cues", "ClaimCheck", "compare_windows"]

_DAY_NS = np.int64(86_400_000_000_000)


def _to_day_number(values: pd.Series) -> np.ndarray:
    """Days since epoch as float (NaN for missing) from dates, Timestamps or strings."""
    ts = pd.to_datetime(values.astype(object).where(values.notna(), None), errors="coerce")
    ns = ts.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
    ns[np.isnat(ts.to_numpy(dtype="datetime64[ns]"))] = np.nan
    return np.floor(ns / float(_DAY_NS))


def link_items(items_df: pd.DataFrame, events: pd.DataFrame, tolerance_days: int = 3) -> pd.DataFrame:
    """Match coded items to events of the same side and action with overlapping dates.

    Parameters
    ----------
    items_df : DataFrame
        Coded items with at least ``side``, ``action``, ``start``, ``end`` (dates or None).
    events : DataFrame
        Events frame with ``event_id``, ``date``, ``end_date``, ``side``, ``action``
        (any order; ``end_date`` may be missing, then ``date`` is used).
    tolerance_days : int
        The item's interval is widened by this many days on both sides.

    Returns
    -------
    DataFrame
        A copy of ``items_df`` with ``matched_event_ids``: a sorted list of event ids
        (empty for undated items or when nothing matches).
    """
    out = items_df.copy()
    n = len(out)
    if n == 0:
        out["matched_event_ids"] = pd.Series([], dtype=object)
        return out
    if len(events) == 0:
        out["matched_event_ids"] = [[] for _ in range(n)]
        return out
    i_start = _to_day_number(out["start"])
    i_end = _to_day_number(out["end"])
    i_end = np.where(np.isnan(i_end), i_start, i_end)
    e_start = _to_day_number(events["date"])
    e_end = _to_day_number(events["end_date"]) if "end_date" in events else e_start.copy()
    e_end = np.where(np.isnan(e_end), e_start, e_end)
    tol = float(tolerance_days)
    overlap = ((i_start[:, None] - tol) <= e_end[None, :]) & ((i_end[:, None] + tol) >= e_start[None, :])
    same = (out["side"].astype(object).to_numpy()[:, None] == events["side"].astype(object).to_numpy()[None, :]) & (
        out["action"].astype(object).to_numpy()[:, None] == events["action"].astype(object).to_numpy()[None, :])
    match = overlap & same & ~np.isnan(i_start)[:, None]
    ids = events["event_id"].astype(str).to_numpy()
    out["matched_event_ids"] = [sorted(ids[row].tolist()) for row in match]
    return out


# --------------------------------------------------------------------------------------
# Pace claims
# --------------------------------------------------------------------------------------
_UP = (
    r"intensif(?:y|ied|ies|ying|ication)|escalat(?:e|ed|es|ing|ion|ions)|stepp?(?:ed|ing|s)?\s+up|"
    r"ramp(?:ed|ing|s)?\s+up|increas(?:ed|ing|es)|(?:sharp|steep|significant)\s+(?:rise|increase)|"
    r"rose|risen|surg(?:e|ed|es|ing)|accelerat(?:e|ed|es|ing)|(?:more|increasingly)\s+frequent|"
    r"highest\s+(?:level|point|pace|number)(?:\s+in\s+(?:years|decades))?|record\s+(?:number|pace|pace)|"
    r"unprecedented\s+(?:pace|number)|flurry|spree|barrage|quickened|growing\s+(?:pace|number|frequency)"
)
_DOWN = (
    r"slow(?:ed|ing|s)?(?:\s+down)?|decreas(?:ed|ing|es)|declin(?:ed|ing|es)|fewer|lull|eas(?:ed|ing)|"
    r"scaled\s+(?:back|down)|reduc(?:ed|ing)|lowest\s+(?:level|point|pace|number)|wound\s+down"
)
_P_UP = re.compile(rf"\b(?:{_UP})\b", re.IGNORECASE)
_P_DOWN = re.compile(rf"\b(?:{_DOWN})\b", re.IGNORECASE)
# a pace claim must be about activity, not e.g. "increased production of shells"
_P_ACTIVITY = re.compile(
    r"\b(?:pace|tempo|frequency|number|tests?|launch(?:es)?|drills?|exercises?|provocations?|"
    r"tensions?|activit(?:y|ies)|cycle|firings?|flights?|deployments?|shows?\s+of\s+force|"
    r"hostilit(?:y|ies)|confrontations?|weapons\s+(?:tests|demonstrations)|missiles?)\b",
    re.IGNORECASE,
)

_P_NOT_PACE = re.compile(
    r"\s+(?:the\s+|its\s+|their\s+)?(?:production|output|quality|capacity|range|accuracy|efficiency|"
    r"manufactur\w*|supplies|exports?|trade|budget|spending)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ClaimCheck:
    """The check of one pace claim for one side.

    Attributes
    ----------
    sentence, sentence_index : str, int
        The claim sentence and its position in the text.
    cue : str
        The words that make it a pace claim ("intensified").
    direction : str
        ``"up"`` or ``"down"``: what the claim asserts.
    side : str
        ``"DPRK"``, ``"ALLIANCE"`` or ``"OTHER"``.
    actions : tuple[str, ...]
        Actions counted (empty = every action of the side).
    published : datetime.date
    recent_start, recent_end, prior_start, prior_end : datetime.date
        The two windows (inclusive); recent ends on publication.
    recent_count, prior_count : int
    recent_rate, prior_rate : float
        Events per 30.4375 days.
    rate_ratio : float
        recent_rate / prior_rate (inf when prior_count is 0 and recent_count > 0, NaN when
        both are 0).
    p_value : float
        Exact conditional binomial test of equal rates, one-sided in the claimed direction.
    verdict : str
        "supported", "not supported" or "mixed: ..." with the reason.
    """

    sentence: str
    sentence_index: int
    cue: str
    direction: str
    side: str
    actions: tuple[str, ...]
    published: date
    recent_start: date
    recent_end: date
    prior_start: date
    prior_end: date
    recent_count: int
    prior_count: int
    recent_rate: float
    prior_rate: float
    rate_ratio: float
    p_value: float
    verdict: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict: floats rounded to 6 decimals, NaN/inf -> None, dates ISO."""
        def num(x: float) -> float | None:
            return None if (x is None or not math.isfinite(x)) else round(float(x), 6)

        return {
            "sentence": self.sentence,
            "sentence_index": int(self.sentence_index),
            "cue": self.cue,
            "direction": self.direction,
            "side": self.side,
            "actions": list(self.actions),
            "published": self.published.isoformat(),
            "recent_start": self.recent_start.isoformat(),
            "recent_end": self.recent_end.isoformat(),
            "prior_start": self.prior_start.isoformat(),
            "prior_end": self.prior_end.isoformat(),
            "recent_count": int(self.recent_count),
            "prior_count": int(self.prior_count),
            "recent_rate": num(self.recent_rate),
            "prior_rate": num(self.prior_rate),
            "rate_ratio": num(self.rate_ratio),
            "p_value": num(self.p_value),
            "verdict": self.verdict,
            "phrase": self.cue,
            "explanation": self.explanation(),
        }

    def explanation(self) -> str:
        """One plain sentence with the counts, ratio and p-value behind the verdict."""
        acts = ", ".join(a.replace("_", " ") for a in self.actions) if self.actions else "all"
        ratio = "undefined" if not math.isfinite(self.rate_ratio) else f"{self.rate_ratio:.2f}"
        return (
            f"{self.recent_count} {self.side} events ({acts}) in the {self.recent_start}..{self.recent_end} "
            f"window against {self.prior_count} in {self.prior_start}..{self.prior_end}: rate ratio {ratio}, "
            f"one-sided exact binomial p = {self.p_value:.3g}."
        )

    def summary(self) -> str:
        """Readable multi-line summary."""
        acts = ", ".join(self.actions) if self.actions else "all actions"
        ratio = "n/a" if not math.isfinite(self.rate_ratio) else f"{self.rate_ratio:.2f}"
        return (
            f"Claim ({self.cue!r}, {self.direction}) for {self.side} [{acts}]: "
            f"{self.recent_count} events {self.recent_start}..{self.recent_end} vs "
            f"{self.prior_count} events {self.prior_start}..{self.prior_end}; "
            f"rate ratio {ratio}, one-sided exact p = {self.p_value:.4g} -> {self.verdict}"
        )


def find_pace_cues(sentence: str) -> list[tuple[str, str]]:
    """Pace-claim cues in a sentence: list of ``(cue_text, direction)``.

    A cue counts only when the sentence is about activity (pace, tests, drills, launches,
    tensions ...).
    """
    acts = [m.start() for m in _P_ACTIVITY.finditer(sentence)]
    if not acts:
        return []
    out: list[tuple[int, str, str]] = []
    for pat, direction in ((_P_UP, "up"), (_P_DOWN, "down")):
        for m in pat.finditer(sentence):
            if _P_NOT_PACE.match(sentence, m.end()):
                continue  # "increasing the production of ...": output, not pace
            near = any(len(sentence[min(a, m.start()):max(a, m.start())].split()) <= 12 for a in acts)
            if near:
                out.append((m.start(), m.group(0), direction))
    return [(c, d) for _, c, d in sorted(out)]


def compare_windows(
    events: pd.DataFrame,
    published: date,
    side: str,
    actions: tuple[str, ...] = (),
    window_months: int = 12,
    direction: str = "up",
) -> dict[str, object]:
    """Counts, rates, ratio and exact p-value for one side over two adjacent windows.

    The recent window is ``(published - window_months, published]``, the prior one the
    same length before it. Under equal rates the recent count, given the total, is
    binomial with p = recent_days / (recent_days + prior_days) (exact conditional test,
    one-sided in the claimed ``direction``). ``coverage_ok`` is False when the earliest
    event of the whole frame is more than a month after the prior window opens (the
    data probably do not cover it).
    """
    pub = pd.Timestamp(published)
    r_lo = pub - pd.DateOffset(months=window_months)
    p_lo = r_lo - pd.DateOffset(months=window_months)
    d = pd.to_datetime(events["date"]).to_numpy(dtype="datetime64[ns]")
    mask = events["side"].astype(object).to_numpy() == side
    if actions:
        mask &= np.isin(events["action"].astype(object).to_numpy(), np.array(actions, dtype=object))
    recent = mask & (d > r_lo.to_datetime64()) & (d <= pub.to_datetime64())
    prior = mask & (d > p_lo.to_datetime64()) & (d <= r_lo.to_datetime64())
    a, b = int(recent.sum()), int(prior.sum())
    t1 = (pub - r_lo).days
    t2 = (r_lo - p_lo).days
    month = 30.4375
    ra, rb = a / t1 * month, b / t2 * month
    if b > 0:
        ratio = ra / rb
    else:
        ratio = math.inf if a > 0 else math.nan
    if a + b == 0:
        p = 1.0
    else:
        alt = "greater" if direction == "up" else "less"
        p = float(stats.binomtest(a, a + b, t1 / (t1 + t2), alternative=alt).pvalue)
    first = pd.to_datetime(events["date"]).min() if len(events) else pd.NaT
    return {
        "recent_start": (r_lo + pd.Timedelta(days=1)).date(), "recent_end": pub.date(),
        "prior_start": (p_lo + pd.Timedelta(days=1)).date(), "prior_end": r_lo.date(),
        "recent_count": a, "prior_count": b, "recent_rate": ra, "prior_rate": rb,
        "rate_ratio": ratio, "p_value": p,
        # the frame must reach back to the prior window (one month of slack: a frame that
        # starts in its first weeks is taken to cover it)
        "coverage_ok": bool(pd.notna(first) and first <= p_lo + pd.DateOffset(months=1)),
        "first_event": None if pd.isna(first) else first.date(),
    }


def _verdict(res: dict[str, object], direction: str, alpha: float) -> str:
    a, b = int(res["recent_count"]), int(res["prior_count"])  # type: ignore[arg-type]
    ratio = float(res["rate_ratio"])  # type: ignore[arg-type]
    p = float(res["p_value"])  # type: ignore[arg-type]
    if a + b == 0:
        return "not supported: no such events in either window"
    went_up = ratio > 1
    went_down = ratio < 1
    claimed = went_up if direction == "up" else went_down
    if not res["coverage_ok"]:
        return (f"mixed: the events data start on {res['first_event']}, after the prior window opens "
                f"({res['prior_start']}); {a} vs {b} events cannot be compared fairly")
    if claimed and p < alpha:
        return "supported"
    if claimed:
        word = "more" if direction == "up" else "fewer"
        return (f"mixed: {word} events in the recent window ({a} vs {b}) but the change is not "
                f"statistically significant (one-sided p = {p:.3g})")
    return f"not supported: {a} events in the recent window vs {b} before"


def pace_claims(
    text: str,
    events: pd.DataFrame,
    published: date,
    window_months: int = 12,
    alpha: float = 0.05,
    dictionaries: object | None = None,
) -> list[ClaimCheck]:
    """Find pace claims in ``text`` and check each against ``events``, per side.

    The sides and actions checked come from the claim sentence, coded with
    :func:`titfortat.text.coder.code_text`: each side with actions named in the sentence
    ("missile tests" -> DPRK missile_launch, "joint drills" -> ALLIANCE joint_exercise)
    is checked on those actions' families (``family`` in actions.yaml); a side named
    without an action is checked on all its actions; a sentence naming no side
    ("tensions have escalated") is checked for DPRK and ALLIANCE on all actions.

    Parameters
    ----------
    text : str
        Article body.
    events : DataFrame
        Events frame (``date``, ``side``, ``action`` used).
    published : datetime.date
        Publication date; the recent window ends on it.
    window_months : int
        Window length (default 12: the last year against the year before).
    alpha : float
        Significance level of the verdict.
    dictionaries : titfortat.text.coder.Dictionaries, optional

    Returns
    -------
    list[ClaimCheck]
        In sentence order, then side order (DPRK, ALLIANCE, OTHER).
    """
    dic = dictionaries or load_dictionaries()
    out: list[ClaimCheck] = []
    side_rank = {"DPRK": 0, "ALLIANCE": 1, "OTHER": 2}
    for i, sent in enumerate(split_sentences(text)):
        cues = find_pace_cues(sent)
        if not cues:
            continue
        cue, direction = cues[0]
        items = code_text(sent, published, dic)  # type: ignore[arg-type]
        per_side: dict[str, set[str]] = {}
        for it in items:
            if it.side and not it.negated:
                per_side.setdefault(it.side, set()).update(dic.families.get(it.action, (it.action,)))  # type: ignore[attr-defined]
        for m in _find_mentions(sent, dic):  # type: ignore[arg-type]
            if m.role in ("agent",) and m.code:
                s = side_of(m.code, dic.actor_sides)  # type: ignore[attr-defined]
                if s and s not in per_side:
                    per_side[s] = set()
        if not per_side:
            per_side = {"DPRK": set(), "ALLIANCE": set()}
        for side in sorted(per_side, key=lambda s: side_rank.get(s, 9)):
            actions = tuple(sorted(per_side[side]))
            res = compare_windows(events, published, side, actions, window_months, direction)
            out.append(ClaimCheck(
                sentence=sent, sentence_index=i, cue=cue, direction=direction, side=side,
                actions=actions, published=published,
                recent_start=res["recent_start"], recent_end=res["recent_end"],  # type: ignore[arg-type]
                prior_start=res["prior_start"], prior_end=res["prior_end"],  # type: ignore[arg-type]
                recent_count=res["recent_count"], prior_count=res["prior_count"],  # type: ignore[arg-type]
                recent_rate=res["recent_rate"], prior_rate=res["prior_rate"],  # type: ignore[arg-type]
                rate_ratio=res["rate_ratio"], p_value=res["p_value"],  # type: ignore[arg-type]
                verdict=_verdict(res, direction, alpha),
            ))
    return out


def code_article(
    article: Article,
    events: pd.DataFrame | None = None,
    tolerance_days: int = 3,
    dictionaries: Dictionaries | None = None,
) -> pd.DataFrame:
    """Code an article and, when ``events`` is given, link each item to matching events.

    Parameters
    ----------
    article : Article
        From :func:`titfortat.text.articles.load_article`; its headline and body are coded and
        the mentions of one event are merged into one item (:func:`titfortat.text.coder.merge_mentions`),
        the other mentions kept as evidence.
    events : DataFrame, optional
        Events frame (see the contract); when given, ``matched_event_ids`` lists the
        events of the same side and action whose dates overlap the item's dates widened
        by ``tolerance_days``.
    tolerance_days : int
        Slack on both sides of the item's dates.
    dictionaries : Dictionaries, optional
        Custom dictionaries.

    Returns
    -------
    DataFrame
        Columns :data:`ITEM_COLUMNS`; ``start``/``end`` are ``datetime.date`` or None.
    """
    dic = dictionaries or load_dictionaries()
    df = items_frame(merge_mentions(code_text(article.text, article.published, dic, title=article.title,
                                              source_zone=publication_zone(article.outlet, article.url, dic))))
    if events is not None:
        df = link_items(df, events, tolerance_days=tolerance_days)
    return df


def code_articles(
    articles: list[Article],
    events: pd.DataFrame | None = None,
    tolerance_days: int = 3,
    dictionaries: Dictionaries | None = None,
) -> pd.DataFrame:
    """Code a batch of articles into one items table (linked to ``events`` in one vectorized pass).

    Returns
    -------
    DataFrame
        The columns of :func:`code_article` preceded by ``article`` (file name), ``title``,
        ``url`` and ``published``; articles in the order given.
    """
    dic = dictionaries or load_dictionaries()
    coded = [merge_mentions(code_text(a.text, a.published, dic, title=a.title,
                                      source_zone=publication_zone(a.outlet, a.url, dic))) for a in articles]
    df = items_frame([it for items in coded for it in items])
    counts = [len(items) for items in coded]
    for col, values in (("published", [a.published for a in articles]), ("url", [a.url for a in articles]),
                        ("title", [a.title for a in articles]), ("article", [a.path.name for a in articles])):
        df.insert(0, col, pd.Series([v for v, n in zip(values, counts) for _ in range(n)], dtype=object))
    if events is not None:
        df = link_items(df, events, tolerance_days=tolerance_days)
    return df


# --------------------------------------------------------------------------------------
# Batches: one items table, candidate events for a curator, the results of notebook 01
# --------------------------------------------------------------------------------------
#: Columns of the candidate-events table (what a curator needs to check and add a row).
CANDIDATE_COLUMNS = [
    "article", "url", "published", "actor", "side", "action", "start", "end", "date_margin_days",
    "hedged", "sentence", "date_text", "date_rule", "date_reason", "actor_rule", "evidence",
]


def candidate_events(items: pd.DataFrame) -> pd.DataFrame:
    """Coded actions that the events data may be missing: candidates for a curator.

    A candidate is an item of :func:`code_articles` (with ``matched_event_ids`` from linking) that
    is dated to a day or an explicit span (not a vague period), not negated, not dated after its
    article's publication (plans), with a side, and matching no row of the events data. Hedged
    items ("reportedly", "suspected") stay, flagged ``hedged``.

    Returns
    -------
    DataFrame
        :data:`CANDIDATE_COLUMNS`, sorted by date, article and sentence (deterministic).
    """
    if items.empty:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    pub = items["published"] if "published" in items else pd.Series([None] * len(items), index=items.index)
    future = [bool(s is not None and p is not None and s > p + pd.Timedelta(days=int(m)).to_pytimedelta())
              for s, p, m in zip(items["start"], pub, items["date_margin_days"])]
    keep = (items["start"].notna() & ~items["negated"].astype(bool) & items["side"].notna()
            & items["date_precision"].isin(["day", "span"]) & ~pd.Series(future, index=items.index)
            & items["matched_event_ids"].map(lambda ids: len(ids) == 0))
    out = items[keep].copy()
    for col in CANDIDATE_COLUMNS:
        if col not in out:
            out[col] = ""
    out = out[CANDIDATE_COLUMNS].sort_values(["start", "article", "sentence"], kind="mergesort")
    return out.reset_index(drop=True)


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Lists as ' | '-joined text, dates as ISO strings, for a CSV a spreadsheet opens cleanly."""
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: " | ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


@dataclass
class ArticleBatch:
    """Articles coded together: the items of every article, the candidate events, the pace claims.

    Attributes
    ----------
    articles : list[Article]
    items : DataFrame
        :func:`code_articles` output (``article`` = file name), linked to the events.
    candidates : DataFrame
        :func:`candidate_events` of ``items``.
    claims : dict[str, list[ClaimCheck]]
        Pace claims per article file name.
    tolerance_days : int
    """

    articles: list[Article]
    items: pd.DataFrame
    candidates: pd.DataFrame
    claims: dict[str, list[ClaimCheck]]
    tolerance_days: int = 3

    def summary(self) -> str:
        """A few readable lines."""
        dated = int(self.items["start"].notna().sum()) if len(self.items) else 0
        linked = int(self.items["matched_event_ids"].map(len).gt(0).sum()) if len(self.items) else 0
        n_claims = sum(len(c) for c in self.claims.values())
        return (f"{len(self.articles)} article(s), {len(self.items)} coded actions ({dated} dated, {linked} linked "
                f"to rows of the events data within {self.tolerance_days} days), {len(self.candidates)} candidate "
                f"event(s) for a curator, {n_claims} pace-claim check(s)")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready results of notebook 01 (parameters are added by :func:`article_results`)."""
        def item(row: dict[str, object]) -> dict[str, object]:
            return {k: row[k] for k in ["article", "actor", "side", "action", "start", "end", "date_precision",
                                        "date_margin_days", "date_text", "date_rule", "date_reason", "actor_rule",
                                        "negated", "hedged", "participants", "sentence_index", "sentence",
                                        "mentions", "evidence", "matched_event_ids"] if k in row}

        claims = [{"article": name, **c.to_dict()} for name, cs in self.claims.items() for c in cs]
        first = self.articles[0] if self.articles else None
        return {
            "article": None if first is None else _article_meta(first),
            "articles": [_article_meta(a) for a in self.articles],
            "extracted": [item(r) for r in self.items.to_dict(orient="records")],
            "candidates": self.candidates.to_dict(orient="records"),
            "claims": claims,
            "n_tests": len(claims),
        }

    def write_tables(self, output_dir: str | Path, stem: str = "01_article") -> list[Path]:
        """Write ``<stem>_items.csv`` and ``<stem>_candidate_events.csv`` (atomically)."""
        from titfortat.results import write_text

        out = Path(output_dir)
        paths = []
        for name, df in (("items", self.items.drop(columns=["title"], errors="ignore")),
                         ("candidate_events", self.candidates)):
            paths.append(write_text(_csv_frame(df).to_csv(index=False, lineterminator="\n"),
                                    out / f"{stem}_{name}.csv"))
        return paths


def _article_meta(a: Article) -> dict[str, object]:
    from titfortat.paths import display_path

    return {"path": display_path(a.path), "file": a.path.name, "title": a.title, "outlet": a.outlet,
            "published": a.published.isoformat(), "date_source": a.date_source, "url": a.url}


def code_batch(
    articles: list[Article],
    events: pd.DataFrame | None = None,
    tolerance_days: int = 3,
    claims_events: pd.DataFrame | None = None,
    window_months: int = 12,
    dictionaries: Dictionaries | None = None,
) -> ArticleBatch:
    """Code a batch of articles, link them to ``events``, list candidate events, check pace claims.

    Parameters
    ----------
    articles : list[Article]
        From :func:`titfortat.text.articles.load_articles`.
    events : DataFrame, optional
        Events used for linking (and candidates: items matching none of them).
    tolerance_days : int
        Linking slack in days.
    claims_events : DataFrame, optional
        Events the pace claims are checked against (default ``events``); no claims without any.
    window_months : int
        Pace-claim window.
    """
    items = code_articles(articles, events, tolerance_days=tolerance_days, dictionaries=dictionaries)
    cands = candidate_events(items)
    ev = claims_events if claims_events is not None else events
    claims = {a.path.name: (pace_claims(a.text, ev, a.published, window_months=window_months, dictionaries=dictionaries)
                            if ev is not None else []) for a in articles}
    return ArticleBatch(list(articles), items, cands, claims, tolerance_days)


def article_results(batch: ArticleBatch, parameters: dict[str, object]) -> dict[str, object]:
    """The JSON of notebook 01: ``parameters`` then the batch (:meth:`ArticleBatch.to_dict`)."""
    return {"parameters": dict(parameters), **batch.to_dict()}
