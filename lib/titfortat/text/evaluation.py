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

__all__ = ["GoldAction", "EvalResult", "Agreement", "load_gold", "scored_predictions", "score", "agreement", "evaluate",
           "main"]


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


def load_gold(path: str | os.PathLike[str],
              set_name: str | None = None) -> tuple[list[GoldAction], dict[str, tuple[str, ...]]]:
    """Read a ``gold.yaml``, or one set of a manifest of several (``sets: {name: {reports: ...}}``, as
    ``tests/eval_articles/real_pages.yaml``).

    Parameters
    ----------
    path : path
    set_name : str, optional
        The set to read from a manifest (required there, refused for a plain gold file).

    Returns
    -------
    tuple
        ``(gold_actions, report_tags)``: every gold action, and for each report the union of
        its actions' tags and its ``constructions``.
    """
    p = Path(path)
    with open(p, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if "sets" in data:
        sets = data["sets"] or {}
        if set_name is None or set_name not in sets:
            raise ValueError(f"{p}: a manifest of several sets; name one of them (set_name / --set): "
                             f"{', '.join(map(str, sets))}" + (f"; {set_name!r} is not one" if set_name else ""))
        reports = sets[set_name].get("reports") or {}
    elif set_name is not None:
        raise ValueError(f"{p}: holds no sets (it is a single gold file), so set {set_name!r} cannot be read from it")
    else:
        reports = data.get("reports") or {}
    gold: list[GoldAction] = []
    tags: dict[str, tuple[str, ...]] = {}
    for report, spec in reports.items():
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


@dataclass
class Agreement:
    """How far two labellings of the same reports agree (:func:`agreement`).

    Attributes
    ----------
    n_first, n_second : int
        Gold actions of each labelling.
    matched : int
        Pairs matched one to one.
    margin_days : int
        Days the dates of a pair may lie apart.
    only_first, only_second : DataFrame
        The actions of each labelling the other has not (report, side, action, date, end).
    """

    n_first: int
    n_second: int
    matched: int
    margin_days: int
    only_first: pd.DataFrame
    only_second: pd.DataFrame

    @property
    def first_found(self) -> float:
        """Share of the first labelling's actions the second has (the second's recall against the first)."""
        return self.matched / self.n_first if self.n_first else float("nan")

    @property
    def second_found(self) -> float:
        """Share of the second labelling's actions the first has (the second's precision against the first)."""
        return self.matched / self.n_second if self.n_second else float("nan")

    def summary(self) -> str:
        """One line of counts and shares."""
        return (f"first {self.n_first}, second {self.n_second}, matched {self.matched} (dates within "
                f"{self.margin_days} day(s)): {self.first_found:.2f} of the first found in the second, "
                f"{self.second_found:.2f} of the second in the first")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts and shares."""
        return {"n_first": self.n_first, "n_second": self.n_second, "matched": self.matched,
                "margin_days": self.margin_days, "first_found": round(self.first_found, 4),
                "second_found": round(self.second_found, 4)}


def agreement(first: list[GoldAction], second: list[GoldAction], margin_days: int = 0) -> Agreement:
    """Agreement of two labellings of the same reports, matched one to one as :func:`score` matches the coder.

    Two actions pair when their report and side are the same, their action lists share an action and their date
    spans overlap (``margin_days`` widens each by that many days). Pairs at the exact day are taken first. Both
    labellings must cover the same reports (a report may have no action in either).
    """
    if margin_days < 0:
        raise ValueError(f"margin_days: {margin_days} is negative; allowed: 0 or more")
    a, b = list(first), list(second)
    pair: dict[int, int] = {}
    taken: set[int] = set()
    for m in sorted({0, margin_days}):
        slack = _dt.timedelta(days=m)
        for i, g in enumerate(a):
            if i in pair:
                continue
            for j, h in enumerate(b):
                if j in taken or h.report != g.report or h.side != g.side or not set(g.actions) & set(h.actions):
                    continue
                if h.start - slack <= g.end and g.start - slack <= h.end:
                    pair[i] = j
                    taken.add(j)
                    break

    def frame(gs: list[GoldAction]) -> pd.DataFrame:
        return pd.DataFrame([{"report": g.report, "side": g.side, "action": "/".join(g.actions), "date": g.start,
                              "end": g.end} for g in gs], columns=["report", "side", "action", "date", "end"])

    return Agreement(len(a), len(b), len(pair), margin_days,
                     frame([g for i, g in enumerate(a) if i not in pair]),
                     frame([h for j, h in enumerate(b) if j not in taken]))


def evaluate(folder: str | os.PathLike[str], gold_path: str | os.PathLike[str] | None = None,
             dictionaries: Any = None, set_name: str | None = None, allow_missing: bool = False) -> EvalResult:
    """Code every report of a labelled folder and score it (:func:`score`).

    Parameters
    ----------
    folder : path
        Folder of articles with a ``gold.yaml`` (or pass ``gold_path``).
    gold_path : path, optional
        A gold file, or a manifest of several sets with ``set_name`` (:func:`load_gold`).
    dictionaries : titfortat.text.coder.Dictionaries, optional
    set_name : str, optional
        The set of a manifest to score.
    allow_missing : bool
        Score only the reports found in the folder (a note says how many gold reports were absent)
        instead of refusing. A report is found by its file name, or by its stem with another suffix
        (a page saved as ``x.html`` for the gold's ``x.txt``).
    """
    from titfortat.text.articles import load_articles
    from titfortat.text.linking import code_articles

    folder = Path(folder)
    gold, tags = load_gold(gold_path or folder / "gold.yaml", set_name)
    by_stem = {Path(k).stem: k for k in tags}
    key = {}
    for a in load_articles(folder):
        k = a.path.name if a.path.name in tags else by_stem.get(a.path.stem)
        if k is not None and k not in key.values():
            key[a.path.name] = k
    articles = [a for a in load_articles(folder) if a.path.name in key]
    missing = sorted(set(tags) - set(key.values()))
    notes = []
    if missing and not allow_missing:
        raise ValueError(f"{folder}: the gold names reports that are not in the folder ({len(missing)}): "
                         f"{', '.join(missing)}")
    if missing:
        notes.append(f"{len(missing)} of {len(tags)} gold reports are not in {folder} and were left out")
        gold = [g for g in gold if g.report in key.values()]
        tags = {k: v for k, v in tags.items() if k in key.values()}
    if not articles:
        raise ValueError(f"{folder}: none of the gold's reports is in the folder")
    items = code_articles(articles, dictionaries=dictionaries)
    items = items.rename(columns={"article": "report"})
    items["report"] = items["report"].map(lambda n: key.get(n, n))
    result = score(items, gold, tags)
    result.notes.extend(notes)
    return result


def main(argv: list[str] | None = None) -> int:
    """``python -m titfortat.text.evaluation FOLDER [--gold FILE] [--set NAME] [--allow-missing] [--list]``:
    score the coder on a folder of labelled articles and print the table (``--list`` adds the gold actions
    missed and the false claims). ``--gold MANIFEST --agreement SET OTHER_SET [--margin-days N] [--list]``:
    how far two labellings of the same pages agree."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m titfortat.text.evaluation", description=main.__doc__)
    ap.add_argument("folder", nargs="?", help="folder of articles (.txt/.md with front matter, or .html)")
    ap.add_argument("--gold", help="gold file or manifest (default: FOLDER/gold.yaml)")
    ap.add_argument("--set", dest="set_name", help="set of a manifest such as tests/eval_articles/real_pages.yaml")
    ap.add_argument("--allow-missing", action="store_true", help="score the reports present, leave out the others")
    ap.add_argument("--list", action="store_true", help="also list missed gold actions and false claims")
    ap.add_argument("--agreement", nargs=2, metavar=("SET", "OTHER_SET"),
                    help="instead of scoring the coder: how far two labellings in --gold agree (no folder needed)")
    ap.add_argument("--margin-days", type=int, default=0, help="with --agreement: days two dates may lie apart")
    args = ap.parse_args(argv)
    if args.agreement:
        try:
            if not args.gold:
                raise ValueError("--agreement needs --gold, the manifest that holds both sets")
            first, first_reports = load_gold(args.gold, args.agreement[0])
            second, second_reports = load_gold(args.gold, args.agreement[1])
            if set(first_reports) != set(second_reports):
                differ = sorted(set(first_reports) ^ set(second_reports))
                raise ValueError(f"{args.gold}: sets {args.agreement[0]!r} and {args.agreement[1]!r} label different "
                                 f"reports ({len(differ)} in one only: {', '.join(differ[:5])}"
                                 f"{' ...' if len(differ) > 5 else ''}); allowed: two labellings of the same reports")
            agreed = agreement(first, second, args.margin_days)
        except (ValueError, OSError) as exc:
            print(f"error: {exc}")
            return 2
        print(agreed.summary())
        if args.list:
            print("\nonly in the first:")
            print(agreed.only_first.to_string(index=False) if len(agreed.only_first) else "(none)")
            print("\nonly in the second:")
            print(agreed.only_second.to_string(index=False) if len(agreed.only_second) else "(none)")
        return 0
    if not args.folder:
        print("error: FOLDER is required (or use --agreement SET OTHER_SET with --gold)")
        return 2
    try:
        result = evaluate(args.folder, args.gold, set_name=args.set_name, allow_missing=args.allow_missing)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}")
        return 2
    for note in result.notes:
        print(f"note: {note}")
    print(result.summary())
    if args.list:
        missed = result.gold[~result.gold["found"]]
        cols = [c for c in ("report", "side", "action", "date", "end") if c in missed]
        print("\nmissed gold actions:")
        print(missed[cols].to_string(index=False) if len(missed) else "(none)")
        fp = result.false_positives
        cols = [c for c in ("report", "side", "action", "start", "date_rule", "sentence") if c in fp]
        print("\nfalse claims:")
        print(fp[cols].to_string(index=False, max_colwidth=100) if len(fp) else "(none)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
