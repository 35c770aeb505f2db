"""Score the article coder against hand-labelled gold actions: recall and precision of dated actions.

A labelled set is a folder of articles plus a ``gold.yaml`` (see ``tests/eval_articles/``)::

    reports:
      r01_story.txt:
        constructions: [negation, future]        # traps without a gold action (optional)
        actions:
          - {side: DPRK, action: missile_launch, date: 2023-03-16, tags: [undated_lead]}
          - {side: ALLIANCE, action: [joint_exercise, missile_launch], date: 2017-07-05, end: 2017-07-05}

Which coded items count as **dated actions** (the coder's claims): a date (``start``), not
negated, not hedged (planned, threatened, uncertain), and a date precise to the day or an explicit
span (``date_precision`` ``"day"`` or ``"span"``; vague periods such as "last year" are not
claims about a day).

Matching, per report, one-to-one: a predicted action matches a gold action of the same side
whose action is one of the gold's, when the predicted start falls in the gold's
``[date, end]``. A prediction the coder marks uncertain by ``date_margin_days`` (a
Washington-datelined "Tuesday" with no time of day) may be off by that many days; the strict
score (``strict_*``) ignores that allowance. Exact matches are taken first. A second item
for an event already matched (an unmerged mention) is a false positive.

Recall per construction is over the gold actions with that tag; precision per construction over
all predicted dated actions of the reports that carry the tag (in a gold action or in
``constructions``).
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

__all__ = ["GoldAction", "EvalResult", "load_gold", "scored_predictions", "score", "evaluate"]


@dataclass(frozen=True)
class GoldAction:
    """One labelled action of a report."""

    report: str
    side: str
    actions: tuple[str, ...]
    start: _dt.date
    end: _dt.date
    tags: tuple[str, ...] = ()


def _date(value: Any, where: str) -> _dt.date:
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def load_gold(path: str | os.PathLike[str]) -> tuple[list[GoldAction], dict[str, tuple[str, ...]]]:
    """Read a ``gold.yaml``.

    Returns
    -------
    tuple
        ``(gold_actions, report_tags)``: every gold action, and for each report the union of
        its actions' tags and its ``constructions``.
    """
    p = Path(path)
    with open(p, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    gold: list[GoldAction] = []
    tags: dict[str, tuple[str, ...]] = {}
    for report, spec in (data.get("reports") or {}).items():
        report_tags = set(spec.get("constructions") or [])
        for k, a in enumerate(spec.get("actions") or []):
            where = f"{p}: {report} action {k + 1}"
            for key in ("side", "action", "date"):
                if key not in a:
                    raise ValueError(f"{where}: missing {key!r}")
            acts = a["action"] if isinstance(a["action"], list) else [a["action"]]
            start = _date(a["date"], where)
            end = _date(a.get("end") or a["date"], where)
            t = tuple(a.get("tags") or ())
            report_tags.update(t)
            gold.append(GoldAction(report, str(a["side"]), tuple(acts), start, end, t))
        tags[report] = tuple(sorted(report_tags))
    return gold, tags


def scored_predictions(items: pd.DataFrame) -> pd.DataFrame:
    """The coded items that count as dated actions (see the module docstring)."""
    if items.empty:
        return items.copy()
    keep = items["start"].notna() & ~items["negated"].astype(bool) & ~items["hedged"].astype(bool)
    if "date_precision" in items:
        keep &= items["date_precision"].isin(["day", "span"])
    return items[keep].copy()


@dataclass
class EvalResult:
    """Scores of the coder on a labelled set.

    Attributes
    ----------
    table : DataFrame
        One row per construction plus ``overall`` (first): ``n_gold``, ``found``, ``recall``,
        ``n_pred``, ``correct``, ``precision``.
    gold : DataFrame
        Every gold action with ``found`` and the matched prediction's date and rules.
    false_positives : DataFrame
        Predicted dated actions that matched no gold action.
    strict_recall, strict_precision : float
        Overall scores without the declared one-day allowance.
    """

    table: pd.DataFrame
    gold: pd.DataFrame
    false_positives: pd.DataFrame
    strict_recall: float
    strict_precision: float
    n_reports: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Overall recall of dated actions."""
        return float(self.table.loc[self.table.construction == "overall", "recall"].iloc[0])

    @property
    def precision(self) -> float:
        """Overall precision of dated actions."""
        return float(self.table.loc[self.table.construction == "overall", "precision"].iloc[0])

    def summary(self) -> str:
        """The table as aligned text, with the strict scores."""
        t = self.table.copy()
        for c in ("recall", "precision"):
            t[c] = t[c].map(lambda x: "n/a" if pd.isna(x) else f"{x:.2f}")
        lines = [f"{self.n_reports} reports, {int(self.table.n_gold.iloc[0])} gold dated actions",
                 t.to_string(index=False),
                 f"strict (no one-day allowance): recall {self.strict_recall:.2f}, "
                 f"precision {self.strict_precision:.2f}"]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready scores."""
        def num(x: Any) -> float | None:
            return None if pd.isna(x) else round(float(x), 4)

        return {
            "n_reports": self.n_reports,
            "table": [{"construction": r.construction, "n_gold": int(r.n_gold), "found": int(r.found),
                       "recall": num(r.recall), "n_pred": int(r.n_pred), "correct": int(r.correct),
                       "precision": num(r.precision)} for r in self.table.itertuples(index=False)],
            "strict_recall": num(self.strict_recall),
            "strict_precision": num(self.strict_precision),
        }


def _match(gold: list[GoldAction], preds: pd.DataFrame, allowance: bool) -> tuple[dict[int, int], set[int]]:
    """Gold index -> prediction row label; predictions used."""
    matched: dict[int, int] = {}
    used: set[int] = set()
    by_report = {r: g for r, g in preds.groupby("report", sort=False)} if not preds.empty else {}
    for pass_margin in ((False, True) if allowance else (False,)):
        for gi, g in enumerate(gold):
            if gi in matched or g.report not in by_report:
                continue
            cand = by_report[g.report]
            for label, row in cand.iterrows():
                if label in used or row["side"] != g.side or row["action"] not in g.actions:
                    continue
                margin = int(row.get("date_margin_days", 0) or 0) if pass_margin else 0
                lo = g.start - _dt.timedelta(days=margin)
                hi = g.end + _dt.timedelta(days=margin)
                if lo <= row["start"] <= hi:
                    matched[gi] = label
                    used.add(label)
                    break
    return matched, used


def score(items: pd.DataFrame, gold: list[GoldAction], report_tags: dict[str, tuple[str, ...]]) -> EvalResult:
    """Score coded items (with a ``report`` column naming the article file) against gold actions.

    Parameters
    ----------
    items : DataFrame
        Coded items of every report: ``report``, ``side``, ``action``, ``start``, ``negated``,
        ``hedged`` and optionally ``date_precision``, ``date_margin_days``.
    gold, report_tags
        From :func:`load_gold`.
    """
    preds = scored_predictions(items).reset_index(drop=True)
    preds = preds[preds["report"].isin(report_tags)]
    matched, used = _match(gold, preds, allowance=True)
    strict_matched, strict_used = _match(gold, preds, allowance=False)
    n_pred = len(preds)
    rows = []
    constructions = ["overall"] + sorted({t for ts in report_tags.values() for t in ts})
    for c in constructions:
        gi = [i for i, g in enumerate(gold) if c == "overall" or c in g.tags]
        reports = set(report_tags) if c == "overall" else {r for r, ts in report_tags.items() if c in ts}
        pr = preds[preds["report"].isin(reports)]
        correct = sum(1 for label in pr.index if label in used)
        found = sum(1 for i in gi if i in matched)
        rows.append({"construction": c, "n_gold": len(gi), "found": found,
                     "recall": found / len(gi) if gi else float("nan"),
                     "n_pred": len(pr), "correct": correct,
                     "precision": correct / len(pr) if len(pr) else float("nan")})
    table = pd.DataFrame(rows)
    extra = [c for c in ("date_rule", "actor_rule", "date_text") if c in preds]
    gold_rows = []
    for i, g in enumerate(gold):
        hit = preds.loc[matched[i]] if i in matched else None
        gold_rows.append({
            "report": g.report, "side": g.side, "action": "/".join(g.actions), "date": g.start,
            "end": g.end, "tags": list(g.tags), "found": hit is not None,
            "predicted": None if hit is None else hit["start"],
            **{c: (None if hit is None else hit[c]) for c in extra},
        })
    fps = preds.loc[[lbl for lbl in preds.index if lbl not in used]]
    return EvalResult(
        table=table,
        gold=pd.DataFrame(gold_rows),
        false_positives=fps.reset_index(drop=True),
        strict_recall=len(strict_matched) / len(gold) if gold else float("nan"),
        strict_precision=len(strict_used) / n_pred if n_pred else float("nan"),
        n_reports=len(report_tags),
    )


def evaluate(folder: str | os.PathLike[str], gold_path: str | os.PathLike[str] | None = None,
             dictionaries: Any = None) -> EvalResult:
    """Code every report of a labelled folder and score it (:func:`score`).

    Parameters
    ----------
    folder : path
        Folder of articles with a ``gold.yaml`` (or pass ``gold_path``).
    dictionaries : titfortat.text.coder.Dictionaries, optional
    """
    from titfortat.text.articles import load_articles
    from titfortat.text.linking import code_articles

    folder = Path(folder)
    gold, tags = load_gold(gold_path or folder / "gold.yaml")
    articles = [a for a in load_articles(folder) if a.path.name in tags]
    missing = sorted(set(tags) - {a.path.name for a in articles})
    if missing:
        raise ValueError(f"{folder}: gold.yaml names reports that are not in the folder: {', '.join(missing)}")
    items = code_articles(articles, dictionaries=dictionaries)
    items = items.rename(columns={"article": "report"})
    return score(items, gold, tags)
