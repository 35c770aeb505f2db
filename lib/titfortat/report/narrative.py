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
    art = r["article"]
    items = r.get("extracted", [])
    dated = [i for i in items if i.get("start")]
    linked = [i for i in items if i.get("matched_event_ids")]
    affirmed = [i for i in linked if not i.get("negated")]
    negated = [i for i in linked if i.get("negated")]
    tol = r["parameters"].get("tolerance_days")
    outlet = md_text(art.get("outlet")) if art.get("outlet") else "outlet not given"
    source = f", {md_link('source', art.get('url'))}" if is_http_url(art.get("url")) else ""
    out = [
        f"**The article.** \"{md_text(art.get('title') or 'untitled')}\" ({outlet}, published "
        f"{md_text(art.get('published'))}{source}) yields {plural(len(items), 'coded mention')} of actions, "
        f"{len(dated)} of them with a resolved date; {plural(len(affirmed), 'mention')} "
        f"{'matches' if len(affirmed) == 1 else 'match'} rows of the events data within "
        f"{plural(tol, 'day') if isinstance(tol, int) else md_text(tol) + ' days'}"
        + (f", and {plural(len(negated), 'negated mention')} (the article says the action did not happen) "
           f"{'falls' if len(negated) == 1 else 'fall'} near rows of the data." if negated else ".")
    ]
    for it in affirmed[:6]:
        hedge = " (described as planned or uncertain)" if it.get("hedged") else ""
        ids = ", ".join(md_code(e) for e in it["matched_event_ids"][:3])
        out.append(f"- {md_text(it['side'])} {md_text(str(it['action']).replace('_', ' '))}, {_when(it)}{hedge}: "
                   f"matches {ids}.")
    for it in negated[:3]:
        ids = ", ".join(md_code(e) for e in it["matched_event_ids"][:3])
        out.append(f"- Negated in the article: {md_text(it['side'])} {md_text(str(it['action']).replace('_', ' '))}, "
                   f"{_when(it)}; the data nevertheless hold {ids} within the tolerance (not counted as a match).")
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
    a, b = name.split("->")
    if not d.get("n_triggers"):
        return f"- {a} -> {b}: no triggers in the period."
    lag = f", median lag {d['median_lag_days']:g} days" if d.get("median_lag_days") is not None else ""
    seasonal = d.get("null_year") or {}
    extra = ""
    if seasonal:
        extra = (f" Against a null that shifts {b}'s events only within each year (keeping seasonality), "
                 f"the expectation is {format_rate(seasonal.get('null_response_rate'))}: "
                 f"{evidence_phrase(seasonal.get('p_value'))}.")
    verdict = evidence_phrase(d["p_value"], higher=f"{b} followed {a} more often than chance would give",
                              null=f"how often {b} followed {a} is not distinguishable from chance")
    return (
        f"- After {d['n_triggers']} {a} actions, {b} acted {window} in {d['n_responded']} cases "
        f"({format_rate(d['response_rate'])}{lag}); circular shifts of {b}'s events give "
        f"{format_rate(d['null_response_rate'])} (95% of shifts between {format_rate(d['null_interval'][0])} and "
        f"{format_rate(d['null_interval'][1])}), so {verdict}.{extra}"
    )


def _tit_for_tat(r: Mapping[str, Any]) -> list[str]:
    p = r["parameters"]
    window = f"within {p['min_lag_days']}-{p['window_days']} days"
    anchors = {"start": "windows counted from each trigger's first day",
               "end": "windows counted from each trigger's last day",
               "any": "windows open from each trigger's first day to its last day plus the window, lags from its first day"}
    out = [f"**Who answers whom.** Pairing on {_period(r)}, {anchors.get(p.get('anchor', 'start'), 'start')}, "
           f"{p['n_permutations']} circular shifts (seed {p['seed']}):"]
    out += [_direction_sentence(name, d, window) for name, d in r["directions"].items()]
    ch = r.get("chains")
    if ch and ch.get("longest"):
        top = ch["longest"][0]
        out.append(
            f"- The longest tit-for-tat chain alternates {top['length']} times from {top['start']} to {top['end']} "
            f"({', '.join(top['event_ids'][:4])}{', ...' if len(top['event_ids']) > 4 else ''}). "
            f"Shifted data give a longest chain of {ch['null_longest_mean']:.1f} on average: "
            f"{evidence_phrase(ch.get('p_value'), higher='longer than chance would give')}."
        )
    tr = r.get("transitions")
    if tr:
        out.append(
            f"- Consecutive events by side: chi-square {tr['chi2']:.1f} on {tr['dof']} degrees of freedom "
            f"({format_p(tr['p_value'])}); note that clustering within each side alone also produces a small p."
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


def _caveats(results: Mapping[str, Mapping[str, Any]]) -> list[str]:
    n_tests = sum(int(r.get("n_tests", 0)) for r in results.values())
    return [
        "**Caveats.**",
        f"- This run made {n_tests} significance tests; at the 5% level about {0.05 * n_tests:.1f} would come out "
        "significant by chance alone, so single small p-values deserve caution.",
        "- Coverage: the events data list launch days, named exercises and major actions reported in the press; "
        "small drills, unannounced deployments and most statements are missing (see data/README.md).",
        "- Seasonality: the big exercises fall in March and August every year; the within-year null and the month "
        "controls address it only in part.",
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
                "04_exercise_windows": _exercises}
    for stem, build in builders.items():
        if stem in results:
            sections.append(build(results[stem]))
    sections.append(_caveats(results))
    if figures:
        sections.append(["**Figures.**", *[f"- [{md_text(f)}]({f})" if re.fullmatch(r"[\w.-]+", f) else f"- {md_text(f)}"
                                           for f in figures]])
    body = "\n\n".join("\n".join(s) for s in sections)
    return f"# {md_text(title)}\n\n{body}\n"
