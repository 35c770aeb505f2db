"""The narrative summary: ``summary.md`` generated sentence by sentence from the notebooks' JSON.

Every sentence is built from the results files of notebooks 01-04 (``01_article.json``,
``02_frequencies.json``, ``03_tit_for_tat.json``, ``04_exercise_windows.json``), so a rerun with
other parameters rewrites it. The wording of evidence is fixed in one place, :func:`evidence_phrase`:
"more often than chance would give (p = 0.003)" below the significance level, "not distinguishable
from chance (p = 0.41)" above it, with the null expectation beside every observed rate.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from typing import Any

from titfortat.report.markup import is_http_url, md_code, md_link, md_text, plural

__all__ = ["build_summary", "evidence_phrase", "format_p", "format_rate"]

ALPHA = 0.05


def format_p(p: float | None) -> str:
    """``p = 0.003``, ``p < 0.001`` or ``p not available``."""
    if p is None:
        return "p not available"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def format_rate(x: float | None) -> str:
    """A share as a percentage with no false precision."""
    return "n/a" if x is None else f"{100 * x:.0f}%"


def evidence_phrase(
    p: float | None,
    *,
    higher: str = "more often than chance would give",
    null: str = "not distinguishable from chance",
    alpha: float = ALPHA,
) -> str:
    """Careful wording of a test result: ``higher`` below ``alpha``, ``null`` above it, with the p-value."""
    if p is None:
        return "could not be tested (too few events)"
    return f"{higher if p < alpha else null} ({format_p(p)})"


def _period(r: Mapping[str, Any]) -> str:
    p = r.get("period") or {}
    return f"{p.get('start')} to {p.get('end')}"


def _when(it: Mapping[str, Any]) -> str:
    return md_text(it["start"] if it["start"] == it["end"] else f"{it['start']} to {it['end']}")


def _article(r: Mapping[str, Any]) -> list[str]:
    arts = r.get("articles") or ([r["article"]] if r.get("article") else [])
    items = r.get("extracted", [])
    dated = [i for i in items if i.get("start")]
    linked = [i for i in items if i.get("matched_event_ids")]
    affirmed = [i for i in linked if not i.get("negated")]
    negated = [i for i in linked if i.get("negated")]
    cands = r.get("candidates", [])
    tol = r["parameters"].get("tolerance_days")
    tol_text = plural(tol, "day") if isinstance(tol, int) else md_text(tol) + " days"
    if len(arts) == 1:
        art = arts[0]
        outlet = md_text(art.get("outlet")) if art.get("outlet") else "outlet not given"
        source = f", {md_link('source', art.get('url'))}" if is_http_url(art.get("url")) else ""
        head = (f"**The article.** \"{md_text(art.get('title') or 'untitled')}\" ({outlet}, published "
                f"{md_text(art.get('published'))}{source}) yields")
    else:
        head = f"**The articles.** {len(arts)} articles yield"
    out = [
        f"{head} {plural(len(items), 'coded action')} (mentions of one event merged), {len(dated)} of them with a "
        f"resolved date; {plural(len(affirmed), 'action')} {'matches' if len(affirmed) == 1 else 'match'} rows of "
        f"the events data within {tol_text}, and {plural(len(cands), 'dated action')} "
        f"{'matches' if len(cands) == 1 else 'match'} none (candidate events for a curator)"
        + (f"; {plural(len(negated), 'negated mention')} (the article says the action did not happen) "
           f"{'falls' if len(negated) == 1 else 'fall'} near rows of the data." if negated else ".")
    ]
    for it in affirmed[:6]:
        hedge = " (described as planned or uncertain)" if it.get("hedged") else ""
        rule = f" [date: {md_text(it['date_rule'])}]" if it.get("date_rule") else ""
        ids = ", ".join(md_code(e) for e in it["matched_event_ids"][:3])
        out.append(f"- {md_text(it['side'])} {md_text(str(it['action']).replace('_', ' '))}, {_when(it)}{hedge}{rule}: "
                   f"matches {ids}.")
    for it in negated[:3]:
        ids = ", ".join(md_code(e) for e in it["matched_event_ids"][:3])
        out.append(f"- Negated in the article: {md_text(it['side'])} {md_text(str(it['action']).replace('_', ' '))}, "
                   f"{_when(it)}; the data nevertheless hold {ids} within the tolerance (not counted as a match).")
    for c in cands[:6]:
        out.append(f"- Candidate: {md_text(c['side'])} {md_text(str(c['action']).replace('_', ' '))}, {_when(c)} "
                   f"({md_text(c.get('date_reason'))}), from {md_text(c.get('article'))}.")
    for c in r.get("claims", []):
        out.append(f"- Claim \"{md_text(c['phrase'])}\" ({md_text(c['side'])}): {md_text(c['explanation'])} "
                   f"Verdict: **{md_text(c['verdict'])}**.")
    if not r.get("claims"):
        out.append("- The article makes no claim about the pace of events that the coder recognises.")
    return out


def _frequencies(r: Mapping[str, Any]) -> list[str]:
    totals = r["totals_by_side"]
    parts = ", ".join(f"{n} by {md_text(side)}" for side, n in totals.items())
    out = [f"**Counts and pace.** From {_period(r)} the data hold {plural(sum(totals.values()), 'event')}: {parts}."]
    for side, top in r.get("busiest_year", {}).items():
        out.append(f"- {md_text(side)}'s busiest year was {top['year']} ({plural(top['count'], 'event')}).")
    for pc in r.get("pace_change", []):
        a, b = pc["before"], pc["after"]
        direction = "faster" if (pc.get("rate_ratio") or 0) > 1 else "slower"
        test = evidence_phrase(pc.get("p_value"), higher="a change in pace beyond chance",
                               null="a difference chance alone could give")
        out.append(
            f"- {md_text(pc['group'])}: {a['rate_per_year']:.1f} events a year from {a['start']} to {a['end']} against "
            f"{b['rate_per_year']:.1f} from {b['start']} to {b['end']}, {direction} by a factor of "
            f"{pc['rate_ratio']:.2f} (95% CI {pc['ci_low']:.2f}-{pc['ci_high']:.2f}); {test}."
        )
    return out


def _direction_sentence(name: str, d: Mapping[str, Any], window: str) -> str:
    a, b = (md_text(x) for x in name.split("->"))
    if not d.get("n_triggers"):
        return f"- {a} -> {b}: no {a} triggers in the period; nothing to test."
    lag = ""
    if d.get("median_lag_days") is not None:
        m = d["median_lag_days"]
        lag = f", median lag {m:g} day{'' if m == 1 else 's'}"
    rr = ""
    if d.get("rate_ratio") is not None:
        lo, hi = d["rate_ratio_ci"]
        rr = (f" The model's rate ratio for {b}'s events in the window is {d['rate_ratio']:.2f} "
              f"(95% HAC interval {lo:.2f}-{hi:.2f}).")
    first = (
        f"- **{a} -> {b}.** After {d['n_triggers']} {a} actions, {b} acted {window} in {d['n_responded']} cases "
        f"({format_rate(d['response_rate'])}{lag}); with the triggers moved at random within their calendar month "
        f"the share is {format_rate(d['null_response_rate'])}. {b}'s events in these windows number "
        f"{d['observed_in_windows']:.0f} against {d['expected_in_windows']:.0f} expected from {b}'s own calendar, trend and "
        f"recent history (excess ratio {d['excess_ratio']:.2f}; {format_p(d['p_value'])}, Holm-adjusted "
        f"{format_p(d.get('p_holm'))}).{rr}"
    )
    verdict = d.get("verdict")
    pl = d.get("placebo", {})
    if verdict == "response":
        second = (f" {b} acted after {a} more often than its own rhythm and the shared calendar give, and not before "
                  f"{a}'s actions (placebo {format_p(pl.get('p_value'))}): consistent with {b} answering {a}, though the "
                  f"data cannot exclude a common cause acting within days.")
    elif verdict == "co-movement":
        second = (f" {b} also shows excess activity *before* {a}'s actions (placebo excess ratio "
                  f"{pl.get('excess_ratio', float('nan')):.2f}, {format_p(pl.get('p_value'))}): the two sides move "
                  f"together, and no direction can be read from these data.")
    elif verdict == "untestable":
        second = " Too few events to test."
    else:
        second = (f" This is not distinguishable from what {b}'s own calendar, trend and bursts give: the data do not "
                  f"show {b} answering {a} within the window.")
    diag = d.get("diagnostics", {})
    third = ""
    if "circular_exact" in diag:
        c = diag["circular_exact"]
        third = (f" (For comparison only: circular shifts of {b}'s events, which ignore the shared calendar, expect "
                 f"{format_rate(c.get('null_response_rate'))} and give {format_p(c.get('p_value'))}; such shifts reject "
                 f"far too often on simulated worlds with no link.)")
    hk = d.get("hawkes_check")
    if hk:
        lo, hi = hk["branching_ab_ci"]
        third += (f" A second model, a linear Hawkes process with the same calendar baseline, puts the number of {b} events "
                  f"set off by one {a} event at {hk['branching_ab']:.2f} (95% {lo:.2f}-{hi:.2f}).")
    w = d.get("without_reported_responses")
    fourth = ""
    if w:
        fourth = (f" Without the {w['n_rows_dropped']} rows the data mark as reported responses, the excess ratio is "
                  f"{w['excess_ratio']:.2f} ({format_p(w['p_value'])}).")
    return first + second + third + fourth


def _tit_for_tat(r: Mapping[str, Any]) -> list[str]:
    p = r["parameters"]
    window = f"within {p['min_lag_days']}-{p['window_days']} days"
    anchors = {"start": "windows counted from each trigger's first day",
               "end": "windows counted from each trigger's last day",
               "any": "windows open from each trigger's first day to its last day plus the window, lags from its first day"}
    excluded = ""
    if p.get("exclude_reported_responses"):
        excluded = f"; {r.get('n_reported_responses_excluded', 0)} rows marked as reported responses left out"
    out = [f"**Who answers whom.** {_period(r)}, {anchors.get(p.get('anchor', 'start'), 'start')}, "
           f"{p['n_permutations']} shifts of the triggers within calendar {p.get('block', 'month')}s (seed {p['seed']}){excluded}. "
           "The test compares the responding side's events after each trigger with what its own model (calendar month, "
           "calendar year, its own recent events) expects, so shared seasons, busy years and bursts are not read as responses:"]
    out += [_direction_sentence(name, d, window) for name, d in r["directions"].items()]
    ch = r.get("chains")
    if ch and ch.get("longest"):
        top = ch["longest"][0]
        out.append(
            f"- The longest tit-for-tat chain alternates {top['length']} times from {top['start']} to {top['end']} "
            f"({', '.join(md_code(e) for e in top['event_ids'][:4])}{', ...' if len(top['event_ids']) > 4 else ''}). "
            f"Circularly shifted data give a longest chain of {ch['null_longest_mean']:.1f} on average "
            f"({format_p(ch.get('p_value'))}; a descriptive comparison that does not keep the shared calendar)."
        )
    tr = r.get("transitions")
    if tr:
        out.append(
            f"- Consecutive events on different days, by side: chi-square {tr['chi2']:.1f} on {tr['dof']} degrees of "
            f"freedom ({format_p(tr['p_value'])}); each side's own clustering alone produces a small p here."
        )
    return out


def _short(text: Any, limit: int = 60) -> str:
    s = str(text)
    return s if len(s) <= limit else s[: limit - 3].rstrip() + "..."


def _exercise_selection(p: Mapping[str, Any]) -> str:
    """Which rows count as exercises, in words: the actions, the months, the shortest length."""
    acts = [str(a).replace("_", " ") for a in (p.get("exercise_actions") or ["joint_exercise"])]
    what = " or ".join(md_text(a) for a in acts) + " rows"
    months = p.get("exercise_months")
    if months:
        names = [calendar.month_name[m] if isinstance(m, int) and 1 <= m <= 12 else md_text(m) for m in months]
        what += " starting in " + (", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0])
    min_days = p.get("min_exercise_days") or 1
    if isinstance(min_days, int) and min_days > 1:
        what += f", lasting {plural(min_days, 'day')} or more"
    return what


def _exercises(r: Mapping[str, Any]) -> list[str]:
    p = r["parameters"]
    agg = r["aggregate"]
    n = r["n_exercises"]
    pre, post = p["pre_days"], p["post_days"]
    out = [
        f"**Exercise windows.** Over {plural(n, 'exercise')} ({_exercise_selection(p)}; {_period(r)}), North Korean "
        f"actions ran at {agg['before']['rate_per_30_days']:.2f} per 30 days in the {plural(pre, 'day')} before the "
        f"exercises, {agg['during']['rate_per_30_days']:.2f} during them and {agg['after']['rate_per_30_days']:.2f} in "
        f"the {plural(post, 'day')} after (the CSIS before/during/after design; windows of neighbouring exercises "
        "overlap)."
    ]
    busiest = sorted((e for e in r.get("exercises", []) if e.get("n_during")),
                     key=lambda e: (-e["n_during"], str(e.get("start"))))[:3]
    if busiest:
        named = "; ".join(f"{md_text(_short(e.get('name') or e.get('exercise_id')))} ({md_text(e.get('start'))} to "
                          f"{md_text(e.get('end'))}, {plural(e['n_during'], 'action')})" for e in busiest)
        out.append(f"- The exercises with the most North Korean actions while they ran: {named}.")
    for rr in r.get("rate_ratios", []):
        ctl = ", ".join(md_text(c) for c in (rr.get("controls") or [])) or "no"
        higher = "higher on exercise days than on other days" if rr["rate_ratio"] > 1 else "lower on exercise days"
        out.append(
            f"- {md_text(str(rr['model']).capitalize())} GLM with {ctl} controls: rate ratio {rr['rate_ratio']:.2f} "
            f"(95% CI {rr['ci_low']:.2f}-{rr['ci_high']:.2f}) over {plural(rr['n_days'], 'day')}, "
            f"{rr['n_exercise_days']} of them exercise days: "
            f"{higher if rr['p_value'] < ALPHA else 'not distinguishable from no effect'} ({format_p(rr['p_value'])})."
        )
    if r.get("rate_ratios"):
        out.insert(1 + bool(busiest), "- Daily GLMs of North Korean actions on an exercise-day indicator "
                   "(the Bernhardt and Sukin design):")
    return out


def _exercise_inference(r: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for anchor, s in (r.get("event_study") or {}).items():
        pre, post = s["pre_trend"], s["from_anchor"]
        out.append(
            f"- Event study around {s['n_exercises']} exercise {anchor}s (+-{s['window']} days, against the calendar "
            f"model): North Korean actions per exercise-day {post['excess']:+.3f} from the {anchor} on "
            f"(95% {post['ci_low']:+.3f} to {post['ci_high']:+.3f}; {format_p(post['p_value'])}), "
            f"{pre['excess']:+.3f} in the days before ({format_p(pre['p_value'])}, the pre-trend check)."
        )
    inf = r.get("influence")
    if inf:
        top = inf["most_influential"][0] if inf.get("most_influential") else None
        who = f"; the most influential is {md_code(top['event_id'])}" if top else ""
        out.append(f"- Leaving one exercise out at a time, the month-controlled rate ratio ranges from "
                   f"{inf['min_rate_ratio']:.2f} to {inf['max_rate_ratio']:.2f} (all exercises: {inf['full_rate_ratio']:.2f}){who}.")
    sc = r.get("scale")
    if sc:
        if sc.get("available"):
            out.append(f"- Scaled to the exercise: rate ratio per doubling of troops {sc['rate_ratio_per_doubling']:.2f} "
                       f"(95% {sc['ci_low']:.2f}-{sc['ci_high']:.2f}; {format_p(sc['p_value'])}; "
                       f"{sc['n_sized_exercises']} exercises with a reported size).")
        else:
            out.append(f"- A response scaled to the exercise's size could not be tested: {sc.get('reason')}.")
    return out


def _robustness(r: Mapping[str, Any]) -> list[str]:
    heads = r.get("headlines") or {}
    out = ["**How robust is each headline?** The specification curve of notebook 06 runs the headline test on every "
           "combination of the defensible choices (window, minimum lag, anchor, actions, rows reported as responses, "
           "dates uncertain by a day):"]
    out += [f"- {h.get('paragraph', '')}" for h in heads.values() if h.get("paragraph")]
    return out if len(out) > 1 else []


def _caveats(results: Mapping[str, Mapping[str, Any]]) -> list[str]:
    n_tests = sum(int(r.get("n_tests", 0)) for r in results.values())
    return [
        "**Caveats.**",
        f"- This run made {n_tests} significance tests; each notebook adjusts its own with Holm's method "
        "(the adjusted values are beside the raw ones in its JSON); at the 5% level about "
        f"{0.05 * n_tests:.1f} raw p-values would come out significant by chance alone.",
        "- What the response test controls for: the responding side's calendar month and calendar year, its own "
        "events over the previous 90 days, and (through the null) the trigger side's monthly counts. What it cannot "
        "control for: common causes acting within days (a crisis that moves both sides in the same week), events "
        "missing from the data, and the one-day uncertainty of dates.",
        "- Coverage: the events data list launch days, named exercises and major actions reported in the press; "
        "small drills, unannounced deployments and most statements are missing (see data/README.md).",
        "- Seasonality and trend are modelled at the resolution of a calendar month and year; the calibration on "
        "simulated worlds (README) shows the test holds its level there, but a world unlike those simulated may not.",
        "- Dates are KST calendar days; same-day order is unknown, which is why same-day events do not count as "
        "responses unless min_lag_days is 0.",
    ]


def build_summary(results: Mapping[str, Mapping[str, Any]], *, title: str = "Tension-cycle report",
                  figures: Sequence[str] = ()) -> str:
    """The Markdown summary from the notebooks' results (keys: notebook stems).

    Parameters
    ----------
    results
        ``{"01_article": {...}, "02_frequencies": {...}, ...}``; missing notebooks are skipped.
    title
        The heading.
    figures
        Figure file names (relative to the output folder) to list at the end.
    """
    sections: list[list[str]] = []
    builders = {"01_article": _article, "02_frequencies": _frequencies, "03_tit_for_tat": _tit_for_tat,
                "04_exercise_windows": _exercises, "06_robustness": _robustness}
    for stem, build in builders.items():
        if stem in results:
            sections.append(build(results[stem]))
            if stem == "04_exercise_windows":
                sections[-1] += _exercise_inference(results[stem])
    sections.append(_caveats(results))
    if figures:
        sections.append(["**Figures.**", *[f"- [{md_text(f)}]({f})" if re.fullmatch(r"[\w.-]+", f) else f"- {md_text(f)}"
                                           for f in figures]])
    body = "\n\n".join("\n".join(s) for s in sections)
    return f"# {md_text(title)}\n\n{body}\n"
