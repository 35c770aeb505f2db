"""Specification curve (multiverse) of the headline tests, computed on Dask.

A tit-for-tat headline ("DPRK followed ALLIANCE more often than chance") depends on many defensible
choices. This module expands a grid of such choices into **specifications**, runs the headline test on
every one (both directions), adjusts the p-values for the number of specifications (Holm), and tests
the curve as a whole against the null (Simonsohn, Simmons and Nelson 2020, "Specification curve
analysis", *Nature Human Behaviour* 4: 1208-1214).

Choices (keys of ``choices``; values are lists)
-----------------------------------------------
``window_days``, ``min_lag_days``
    The response window ``min_lag_days..window_days`` days after the trigger's anchor.
``anchor``
    ``"start"``, ``"end"`` or ``"any"`` day of a multi-day trigger (see :mod:`titfortat.stats.pairing`).
``trigger_actions``, ``response_actions``
    Names of action sets (``action_sets[side][name]``: a list of actions or ``None`` for all) counted
    for the trigger and the response side.
``period``
    ``"all"`` (the analysis period), ``"first_half"`` / ``"second_half"`` (its calendar years split in
    two), or an explicit ``"YYYY-MM-DD..YYYY-MM-DD"`` inside the analysis period.
``variant``
    The model / test variant the headline test offers: for the calibrated test the calendar blocks the
    triggers move in under the null (``"month"``, ``"quarter"``); for the old circular-shift test
    ``"period"`` or ``"year"``.
``reported_responses``
    ``"keep"`` or ``"drop"`` the rows the data mark as reported responses (optional column
    ``reported_response_to``, non-empty = the row was reported as answering another event).
``uncertain_dates``
    ``"as_coded"``, ``"earlier"`` or ``"later"``: rows whose optional column ``date_precision`` is
    ``"+-1 day"`` move by 0, -1 or +1 day (``date`` and ``end_date`` together).

The last two are **skipped** (left out of the grid, with the reason in :attr:`SpecificationGrid.skipped`)
when their column is absent or no row is affected, so that they never duplicate specifications.
Each direction (``directions``) is one **headline** with its own curve, Holm family and joint test.

Randomness: two kinds of seed
-----------------------------
- **Null draws use common random numbers.** The shift offsets of null draw ``j`` derive from ``seed``
  alone (:func:`null_seed`), never from the specification: draw ``j`` of every specification shifts the
  response stream by the same fraction of the same circle (period mode) or of each calendar year (year
  mode). Draw ``j`` across the specifications is therefore one *null curve*, and the joint test of the
  curve needs no extra fits: it compares the observed curve with the ``n_draws`` null curves.
  This holds only among specifications whose draw ``j`` is the same null world: the same shift of the
  same response stream. Specifications with another null model (``variant``: a shift over the period is
  not a shift within years) or another period (the period-mode circle has another length) see other
  worlds, and pooling them makes the null curves less correlated than the observed one (a simulation
  showed a median test rejecting 12% of null datasets at 0.05). So the joint test is run per **family**
  (same ``variant`` and ``period``; :data:`DEFAULT_FAMILIES`, or the test's ``joint_families``) and the
  families' p-values are combined by Bonferroni for the whole curve (:class:`CurveTest`).
- **Anything else random uses a per-specification seed** (:func:`spec_seed`), a hash of ``seed`` and the
  specification's choices (e.g. the cluster bootstrap of the CI in :func:`circular_shift_test`).

Both depend on nothing else (not the batch, the worker, nor the order), so results are identical for any
number of workers and any batching.

The headline test is a callable ``test_fn(events, spec, seed) -> Mapping`` (:class:`HeadlineTest`);
:data:`HEADLINE_TESTS` maps names to tests and :data:`DEFAULT_TEST` names the default.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import stats as sps

from titfortat.events.schema import analysis_period
from titfortat.results import to_jsonable, write_text
from titfortat.stats.inference import response_test
from titfortat.stats.nulls import year_segments
from titfortat.stats.pairing import trigger_windows

__all__ = [
    "ACTION_SETS",
    "CHOICE_VALUES",
    "DEFAULT_CHOICES",
    "DEFAULT_DIRECTIONS",
    "DEFAULT_TEST",
    "HEADLINE_TESTS",
    "HeadlineTest",
    "CurveTest",
    "DEFAULT_FAMILIES",
    "JointTest",
    "combine_families",
    "SpecificationCurve",
    "SpecificationGrid",
    "circular_shift_test",
    "dashboard_text",
    "dask_client",
    "expand_grid",
    "holm",
    "joint_test",
    "null_p_values",
    "null_seed",
    "prepare_events",
    "resolve_test",
    "robustness_paragraph",
    "robustness_summary",
    "run_specification_curve",
    "spec_seed",
]

# ----------------------------------------------------------------------------------------------
# Choices
# ----------------------------------------------------------------------------------------------

ACTION_SETS: dict[str, dict[str, list[str] | None]] = {
    "DPRK": {
        "all": None,
        "military": ["missile_launch", "satellite_launch", "nuclear_test", "artillery_fire", "weapons_test",
                     "military_drill"],
    },
    "ALLIANCE": {
        "all": None,
        "military": ["joint_exercise", "strategic_asset_deployment", "military_drill", "artillery_fire"],
    },
}
"""Default named action sets per side (``None``: every action of the side)."""

DEFAULT_DIRECTIONS: list[tuple[str, str]] = [("ALLIANCE", "DPRK"), ("DPRK", "ALLIANCE")]
"""The headlines: ``(trigger side, response side)``."""

DEFAULT_CHOICES: dict[str, list[Any]] = {
    "window_days": [3, 7, 14, 21],
    "min_lag_days": [0, 1, 2],
    "anchor": ["start", "end", "any"],
    "trigger_actions": ["all", "military"],
    "response_actions": ["all", "military"],
    "period": ["all"],
    "variant": ["month"],
    "reported_responses": ["keep", "drop"],
    "uncertain_dates": ["as_coded", "later"],
}
"""The default grid: 288 specifications over the two directions on data without the optional columns, 1,152
on data with ``reported_response_to`` and ``date_precision`` (the project's)."""

CHOICE_VALUES: dict[str, tuple[str, ...] | None] = {
    "window_days": None,  # integers >= 0
    "min_lag_days": None,  # integers >= 0
    "anchor": ("start", "end", "any"),
    "trigger_actions": None,  # names in action_sets
    "response_actions": None,
    "period": None,  # "all", "first_half", "second_half", "YYYY-MM-DD..YYYY-MM-DD"
    "variant": None,  # the test's variants
    "reported_responses": ("keep", "drop"),
    "uncertain_dates": ("as_coded", "earlier", "later"),
}
"""Every choice the grid knows, with its allowed values where they are fixed."""

_DATE_SHIFT = {"as_coded": 0, "earlier": -1, "later": 1}
_PRECISION_VALUES = ("", "day", "+-1 day")
_PERIOD_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
_DATA_CHOICES = ("reported_responses", "uncertain_dates")


@dataclass(frozen=True, eq=False)
class SpecificationGrid:
    """The expanded grid: one row per specification.

    Attributes
    ----------
    table
        Columns ``spec_id`` (``"s0000"``...), ``headline`` (``"A->B"``), ``side_a``, ``side_b``, then one
        column per choice kept, then the resolved ``start`` / ``end`` (ISO dates) of the period.
    choices
        The choices kept and their values (in grid order).
    skipped
        Choices left out of the grid, with the reason.
    action_sets
        The named action sets used, per side.
    start, end
        The analysis period.
    """

    table: pd.DataFrame
    choices: dict[str, list[Any]]
    skipped: dict[str, str]
    action_sets: dict[str, dict[str, list[str] | None]]
    start: pd.Timestamp
    end: pd.Timestamp

    def __len__(self) -> int:
        return len(self.table)

    @property
    def headlines(self) -> list[str]:
        """The headlines, in grid order."""
        return list(dict.fromkeys(self.table["headline"]))

    def spec(self, i: int) -> dict[str, Any]:
        """The specification of row ``i`` as the mapping a :class:`HeadlineTest` receives (without the
        run settings ``n_draws`` and ``null_seed``)."""
        return self._as_spec(self.table.iloc[i].to_dict())

    def specs(self) -> list[dict[str, Any]]:
        """Every row's :meth:`spec`, in grid order (one pass over the table)."""
        return [self._as_spec(row) for row in self.table.to_dict("records")]

    def _as_spec(self, row: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {k: _plain(v) for k, v in row.items()}
        out["actions_a"] = self.action_sets[row["side_a"]][row["trigger_actions"]] if "trigger_actions" in row else None
        out["actions_b"] = self.action_sets[row["side_b"]][row["response_actions"]] if "response_actions" in row else None
        return out


def _plain(v: Any) -> Any:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _bad(param: str, value: Any, allowed: str) -> ValueError:
    return ValueError(f"parameter {param!r}: value {value!r} is not allowed; allowed: {allowed}")


def _resolve_period(name: str, lo: pd.Timestamp, hi: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    if name == "all":
        return lo, hi
    if name in ("first_half", "second_half"):
        years = list(range(lo.year, hi.year + 1))
        if len(years) < 2:
            raise ValueError(
                f"parameter 'choices[\"period\"]': value {name!r} needs an analysis period of at least two calendar "
                f"years, got {lo.date()} to {hi.date()}"
            )
        cut = years[len(years) // 2]  # first year of the second half
        if name == "first_half":
            return lo, pd.Timestamp(year=cut - 1, month=12, day=31)
        return pd.Timestamp(year=cut, month=1, day=1), hi
    m = _PERIOD_RE.match(str(name))
    if not m:
        raise _bad('choices["period"]', name, '"all", "first_half", "second_half" or "YYYY-MM-DD..YYYY-MM-DD"')
    try:
        a, b = pd.Timestamp(m.group(1)), pd.Timestamp(m.group(2))
    except ValueError as err:
        raise _bad('choices["period"]', name, "valid calendar dates") from err
    if b < a or a < lo or b > hi:
        raise _bad('choices["period"]', name, f"a period inside the analysis period {lo.date()}..{hi.date()}")
    return a, b


def _check_optional_columns(events: pd.DataFrame) -> None:
    if "date_precision" in events.columns:
        vals = events["date_precision"].fillna("").astype(str).str.strip()
        bad = ~vals.isin(_PRECISION_VALUES)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            eid = events["event_id"].iloc[i] if "event_id" in events else i
            raise ValueError(
                f"event_id {eid!r}: column 'date_precision' has value {vals.iloc[i]!r}; allowed: "
                f"'day', '+-1 day' or empty ({int(bad.sum())} row(s) affected)"
            )


def _reported_mask(events: pd.DataFrame) -> np.ndarray:
    if "reported_response_to" not in events.columns:
        return np.zeros(len(events), dtype=bool)
    return (events["reported_response_to"].fillna("").astype(str).str.strip() != "").to_numpy()


def _uncertain_mask(events: pd.DataFrame) -> np.ndarray:
    if "date_precision" not in events.columns:
        return np.zeros(len(events), dtype=bool)
    return (events["date_precision"].fillna("").astype(str).str.strip() == "+-1 day").to_numpy()


def expand_grid(
    events: pd.DataFrame,
    choices: Mapping[str, Sequence[Any]] | None = None,
    *,
    directions: Sequence[Sequence[str]] = DEFAULT_DIRECTIONS,
    action_sets: Mapping[str, Mapping[str, Sequence[str] | None]] | None = None,
    variants: Sequence[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> SpecificationGrid:
    """Expand choices into specifications (the Cartesian product, per direction), after checking them.

    Parameters
    ----------
    events
        The events frame (used for the analysis period and the optional columns); never modified.
    choices
        Choice name -> list of values (see the module docstring); ``None``: :data:`DEFAULT_CHOICES`.
        Choices not given take their single default (``anchor="start"``, ``period="all"`` ...).
    directions
        ``(trigger side, response side)`` pairs; each is one headline.
    action_sets
        Side -> name -> actions (``None``: all); default :data:`ACTION_SETS`.
    variants
        The variants the headline test offers (checks ``choices["variant"]``); ``None``: not checked.
    start, end
        The analysis period (``None``: the whole calendar years the data span).

    Returns
    -------
    SpecificationGrid

    Raises
    ------
    ValueError
        Naming the parameter, the value and what is allowed, for any bad choice; or the event, column
        and value for a bad ``date_precision``.
    """
    given = dict(DEFAULT_CHOICES if choices is None else choices)
    unknown = [k for k in given if k not in CHOICE_VALUES]
    if unknown:
        raise _bad("choices", unknown[0], ", ".join(CHOICE_VALUES))
    sets = {s: dict(v) for s, v in (action_sets if action_sets is not None else ACTION_SETS).items()}
    defaults: dict[str, Any] = {
        "window_days": 7, "min_lag_days": 1, "anchor": "start", "trigger_actions": "all", "response_actions": "all",
        "period": "all", "variant": variants[0] if variants else "period", "reported_responses": "keep",
        "uncertain_dates": "as_coded",
    }
    grid: dict[str, list[Any]] = {}
    for name in CHOICE_VALUES:
        vals = given.get(name, [defaults[name]])
        if isinstance(vals, (str, bytes)) or not isinstance(vals, Sequence):
            raise _bad(f"choices[{name!r}]", vals, "a list of values")
        vals = list(vals)
        if not vals:
            raise _bad(f"choices[{name!r}]", vals, "a non-empty list")
        if len(set(map(str, vals))) != len(vals):
            raise _bad(f"choices[{name!r}]", vals, "a list without repeated values")
        fixed = CHOICE_VALUES[name]
        for v in vals:
            if name in ("window_days", "min_lag_days"):
                if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
                    raise _bad(f"choices[{name!r}]", v, "integers >= 0")
            elif fixed is not None and v not in fixed:
                raise _bad(f"choices[{name!r}]", v, ", ".join(map(repr, fixed)))
            elif name == "variant" and variants is not None and v not in variants:
                raise _bad('choices["variant"]', v, ", ".join(map(repr, variants)) + " (the headline test's variants)")
        grid[name] = [int(v) if name in ("window_days", "min_lag_days") else v for v in vals]
    if max(grid["min_lag_days"]) > min(grid["window_days"]):
        raise ValueError(
            f"parameter choices: min_lag_days {max(grid['min_lag_days'])} exceeds window_days "
            f"{min(grid['window_days'])}; every min_lag_days must be <= every window_days"
        )
    dirs = [tuple(d) for d in directions]
    if not dirs or any(len(d) != 2 or d[0] == d[1] for d in dirs):
        raise _bad("directions", list(directions), "a non-empty list of [trigger side, response side] pairs of two sides")
    for a, b in dirs:
        for side, key in ((a, "trigger_actions"), (b, "response_actions")):
            if side not in sets:
                raise _bad("action_sets", side, f"a mapping with an entry for every side of the directions ({', '.join(sets)})")
            missing = [v for v in grid[key] if v not in sets[side]]
            if missing:
                raise _bad(f"choices[{key!r}]", missing[0], f"names of action_sets[{side!r}]: {', '.join(sets[side])}")
    _check_optional_columns(events)
    skipped: dict[str, str] = {}
    if "reported_responses" in given:
        if "reported_response_to" not in events.columns:
            skipped["reported_responses"] = "the events have no column 'reported_response_to'"
        elif not _reported_mask(events).any():
            skipped["reported_responses"] = "no row of column 'reported_response_to' is filled"
    if "uncertain_dates" in given:
        if "date_precision" not in events.columns:
            skipped["uncertain_dates"] = "the events have no column 'date_precision'"
        elif not _uncertain_mask(events).any():
            skipped["uncertain_dates"] = "no row has date_precision '+-1 day'"
    for name in skipped:
        grid[name] = [defaults[name]]
    lo, hi = analysis_period(events, start, end)
    bounds = {p: _resolve_period(p, lo, hi) for p in grid["period"]}
    kept = [n for n in CHOICE_VALUES if n in given and n not in skipped]
    names = list(CHOICE_VALUES)
    idx = pd.MultiIndex.from_product([grid[n] for n in names], names=names).to_frame(index=False)
    frames = []
    for a, b in dirs:
        f = idx.copy()
        f.insert(0, "side_b", b)
        f.insert(0, "side_a", a)
        f.insert(0, "headline", f"{a}->{b}")
        frames.append(f)
    table = pd.concat(frames, ignore_index=True)
    table["start"] = table["period"].map(lambda p: bounds[p][0].date().isoformat())
    table["end"] = table["period"].map(lambda p: bounds[p][1].date().isoformat())
    table.insert(0, "spec_id", [f"s{i:04d}" for i in range(len(table))])
    table = table[["spec_id", "headline", "side_a", "side_b", *names, "start", "end"]]
    for c in ("window_days", "min_lag_days"):
        table[c] = table[c].astype("int64")
    return SpecificationGrid(
        table=table,
        choices={n: list(grid[n]) for n in kept},
        skipped=skipped,
        action_sets={s: {k: (list(v) if v is not None else None) for k, v in sets[s].items()} for s in sets},
        start=lo,
        end=hi,
    )


# ----------------------------------------------------------------------------------------------
# Seeds and data-level choices
# ----------------------------------------------------------------------------------------------

_SPEC_KEYS = ("headline", "side_a", "side_b", *CHOICE_VALUES, "start", "end")


def _canonical(spec: Mapping[str, Any]) -> str:
    return json.dumps({k: to_jsonable(spec.get(k)) for k in _SPEC_KEYS}, sort_keys=True, separators=(",", ":"))


def spec_seed(seed: int, spec: Mapping[str, Any]) -> int:
    """Seed of one specification: a hash (BLAKE2b) of ``seed`` and the specification's choices.

    Depends only on ``seed`` and the values of the choices (headline, sides, every choice, the resolved
    period), never on the spec's position in the grid, its batch or its worker. A value in ``[0, 2**63)``.
    """
    h = hashlib.blake2b(f"{int(seed)}|{_canonical(spec)}".encode(), digest_size=8).digest()
    return int.from_bytes(h, "little") & ((1 << 63) - 1)


def null_seed(seed: int) -> int:
    """Seed of the common random numbers of the null draws: derived from ``seed`` alone."""
    h = hashlib.blake2b(f"{int(seed)}|common-null-draws".encode(), digest_size=8).digest()
    return int.from_bytes(h, "little") & ((1 << 63) - 1)


def prepare_events(events: pd.DataFrame, spec: Mapping[str, Any]) -> pd.DataFrame:
    """Apply the data-level choices of a specification (dropping reported responses, moving uncertain
    dates); the other choices are the headline test's. Returns ``events`` itself when nothing changes."""
    out = events
    if spec.get("reported_responses", "keep") == "drop":
        out = out.loc[~_reported_mask(out)]
    shift = _DATE_SHIFT[spec.get("uncertain_dates", "as_coded")]
    if shift:
        mask = _uncertain_mask(out)
        if mask.any():
            out = out.copy()
            delta = pd.to_timedelta(np.where(mask, shift, 0), unit="D")
            out["date"] = out["date"] + delta
            out["end_date"] = out["end_date"] + delta
            out = out.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    return out


# ----------------------------------------------------------------------------------------------
# The headline test interface and the adapter over today's test
# ----------------------------------------------------------------------------------------------


class HeadlineTest(Protocol):
    """The headline test run on every specification.

    ``test_fn(events, spec, seed)`` receives the events after the data-level choices
    (:func:`prepare_events`), the specification (``side_a``, ``side_b``, ``actions_a``, ``actions_b``
    (lists or ``None``), ``window_days``, ``min_lag_days``, ``anchor``, ``variant``, ``start``, ``end``
    (ISO dates), plus the run settings ``n_draws`` and ``null_seed``), and the per-specification ``seed``.

    It returns a mapping with at least ``estimate``, ``ci_low``, ``ci_high``, ``p_value``, ``observed``
    (the test statistic) and ``null_draws`` (1-D array of ``n_draws`` null draws of the statistic,
    larger = more response, draw ``j`` made from the common random numbers of ``null_seed``).
    Optional: ``null_estimates`` (the estimate under each null draw; used by the median test of the
    curve, else the statistic standardised by its null mean and SD is used) and any other scalars
    (kept as extra columns). A test may carry ``variants`` (tuple of the variants it accepts) and
    ``joint_families`` (the choices whose values give different null worlds; default
    :data:`DEFAULT_FAMILIES`; ``()`` when draw ``j`` is the same world for every specification).
    """

    def __call__(self, events: pd.DataFrame, spec: Mapping[str, Any], seed: int) -> Mapping[str, Any]: ...


# Work in blocks of null draws of at most this many cells: 96 KB of int64, below glibc's default mmap
# threshold. Dask workers set MALLOC_TRIM_THRESHOLD_, which freezes that threshold; larger temporaries
# were then mapped and unmapped on every call (twice the page faults and system time).
_CHUNK_CELLS = 12_000
_N_BOOT = 2000


def _common_shifts(
    r_days: np.ndarray, n_draws: int, start_day: int, end_day: int, variant: str, seed: int,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Circularly shifted response days from common random numbers: ``(n_draws, len(r_days))``.

    ``"period"``: draw ``j`` moves every day by ``floor(u_j * L)`` round the period of ``L`` days;
    ``"year"``: each calendar year ``Y``'s days by ``floor(u_jY * L_Y)`` round that year (clipped to the
    period). ``u_j`` and ``u_jY`` come from ``seed`` (and ``Y``) only, so draw ``j`` is the same shift
    fraction for every specification. ``rows``: only these draws (rows of the full result).
    """
    d = np.asarray(r_days, dtype=np.int64)
    if variant == "period":
        length = end_day - start_day + 1
        k = _period_offsets(seed, n_draws, length)
        k = k if rows is None else k[rows]
        return start_day + (d[None, :] - start_day + k[:, None]) % length
    if variant == "year":
        uniq, inv, seg_start, seg_len = year_segments(d, start_day, end_day)
        u = np.stack([np.random.default_rng([seed, 1, int(y)]).random(n_draws) for y in uniq], axis=1) if uniq.size else (
            np.zeros((n_draws, 0)))
        k = np.floor(u * seg_len[None, :]).astype(np.int64)
        k = k if rows is None else k[rows]
        s0 = seg_start[inv]
        return s0[None, :] + (d[None, :] - s0[None, :] + k[:, inv]) % seg_len[inv][None, :]
    raise _bad('choices["variant"]', variant, "'period', 'year' (circular-shift null)")


def _period_offsets(seed: int, n_draws: int, length: int) -> np.ndarray:
    """Offsets ``floor(u_j * length)`` of the period-mode shifts (common random numbers)."""
    return np.floor(np.random.default_rng([seed, 0]).random(n_draws) * length).astype(np.int64)


def _period_shift_share(
    r_days: np.ndarray, lo: np.ndarray, hi: np.ndarray, start_day: int, end_day: int, offsets: np.ndarray
) -> np.ndarray:
    """Share of triggers answered under each period-mode circular shift, without materialising shifts.

    With ``P`` the prefix sum of the response counts over the period's circle laid twice, the responses
    that shift ``k`` moves into the window ``[a, b]`` are ``P[s + b - a + 1] - P[s]`` with
    ``s = (a - k) mod L``: two gathers per (draw, trigger). Equal to :func:`_answered_share` of the
    shifted streams (a test checks).
    """
    n_trig = lo.size
    if n_trig == 0:
        return np.full(offsets.size, np.nan)
    length = end_day - start_day + 1
    cnt = np.bincount(np.asarray(r_days, dtype=np.int64) - start_day, minlength=length)
    pref = np.concatenate([[0], np.cumsum(np.concatenate([cnt, cnt]))])
    a = lo - start_day
    width = np.minimum(hi, end_day) - lo + 1  # <= 0: the window lies past the end of the period
    live = width > 0
    a, width = a[live], np.minimum(width[live], length)
    out = np.empty(offsets.size)
    chunk = max(1, _CHUNK_CELLS // max(1, a.size))
    for c0 in range(0, offsets.size, chunk):
        k = offsets[c0:c0 + chunk]
        st = (a[None, :] - k[:, None]) % length
        out[c0:c0 + k.size] = ((pref[st + width[None, :]] - pref[st]) > 0).sum(axis=1) / n_trig
    return out


def _answered_share(shifted: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Share of triggers with at least one shifted response in ``[lo, hi]``, per row of ``shifted``.

    Rows are sorted and laid end to end with a gap wider than any window; one ``searchsorted`` answers
    every (row, trigger). Chunked to bound memory.
    """
    n_rows, n_resp = shifted.shape
    n_trig = lo.size
    if n_trig == 0:
        return np.full(n_rows, np.nan)
    if n_resp == 0:
        return np.zeros(n_rows)
    out = np.empty(n_rows)
    base = int(min(shifted.min(), lo.min()))
    gap = int(max(shifted.max(), hi.max())) - base + 2
    chunk = max(1, _CHUNK_CELLS // max(n_resp, n_trig))
    for c0 in range(0, n_rows, chunk):
        block = shifted[c0:c0 + chunk]
        m = block.shape[0]
        offs = (np.arange(m, dtype=np.int64) * gap)[:, None]
        flat = (np.sort(block, axis=1) - base + offs).ravel()
        q_lo = (lo - base)[None, :] + offs
        q_hi = (hi - base)[None, :] + offs
        idx = np.searchsorted(flat, q_lo.ravel(), side="left").reshape(m, n_trig)
        day = flat[np.minimum(idx, flat.size - 1)]
        ok = (idx < flat.size) & (day <= q_hi)
        out[c0:c0 + m] = ok.mean(axis=1)
    return out


def _days(values: Any) -> np.ndarray:
    return np.asarray(values).astype("datetime64[D]").astype(np.int64)


def circular_shift_test(events: pd.DataFrame, spec: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """Adapter of today's headline test (:func:`titfortat.stats.pairing.pair_responses` against the
    circular-shift null of :func:`titfortat.stats.nulls.null_response_rate`) to :class:`HeadlineTest`.

    - ``observed``: the response rate of :func:`~titfortat.stats.pairing.pair_responses` on the events
      dated inside ``[start, end]`` (the share of triggers with a response in their window);
    - ``null_draws``: the response rate under ``n_draws`` circular shifts of the response stream (variant
      ``"period"`` or ``"year"``, as in :func:`~titfortat.stats.nulls.null_response_rate`), drawn from the
      common random numbers of ``spec["null_seed"]``;
    - ``estimate``: observed rate / null mean rate (the excess ratio), ``null_estimates`` the same for
      each null draw;
    - ``ci_low`` / ``ci_high``: 95% percentile interval of the estimate from a cluster bootstrap of the
      triggers by calendar month (2,000 resamples, seeded by the per-specification ``seed``), with the
      null mean held fixed;
    - ``p_value``: ``(1 + #{null >= observed}) / (1 + n_draws)``, one-sided, as today's test.

    The same quantities as the two functions (tests check equality), computed on arrays: the
    specification curve runs it hundreds of times.
    """
    variant = spec.get("variant", "period")
    n_draws = int(spec["n_draws"])
    lo_ts, hi_ts = analysis_period(events, spec.get("start"), spec.get("end"))
    start_day, end_day = int(_days(lo_ts.to_datetime64())), int(_days(hi_ts.to_datetime64()))
    d0 = _days(events["date"].to_numpy())
    inside = (d0 >= start_day) & (d0 <= end_day)
    side = events["side"].to_numpy()
    action = events["action"].to_numpy()

    def _mask(s: str, acts: Any) -> np.ndarray:
        m = inside & (side == s)
        if acts is not None:
            m &= np.isin(action, [acts] if isinstance(acts, str) else list(acts))
        return m

    tm = _mask(spec["side_a"], spec.get("actions_a"))
    rm = _mask(spec["side_b"], spec.get("actions_b"))
    t_start = d0[tm]
    _, lo, hi = trigger_windows(t_start, _days(events["end_date"].to_numpy()[tm]), window_days=int(spec["window_days"]),
                                min_lag_days=int(spec["min_lag_days"]), anchor=spec.get("anchor", "start"))
    r_days = np.sort(d0[rm])
    idx = np.searchsorted(r_days, lo, side="left")
    answered = (idx < r_days.size) & (r_days[np.minimum(idx, max(r_days.size - 1, 0))] <= hi) if r_days.size else (
        np.zeros(lo.size, dtype=bool))
    if variant == "period":
        k = _period_offsets(int(spec["null_seed"]), n_draws, end_day - start_day + 1)
        null = _period_shift_share(r_days, lo, hi, start_day, end_day, k)
    else:
        null = np.empty(n_draws)
        step = max(1, _CHUNK_CELLS // max(1, r_days.size, lo.size))
        for c0 in range(0, n_draws, step):
            rows = np.arange(c0, min(n_draws, c0 + step))
            shifted = _common_shifts(r_days, n_draws, start_day, end_day, variant, int(spec["null_seed"]), rows=rows)
            null[rows] = _answered_share(shifted, lo, hi)
    n_trig = int(lo.size)
    nan = float("nan")
    obs = float(answered.mean()) if n_trig else nan
    null_mean = float(null.mean()) if n_trig else nan
    ok = n_trig > 0 and null_mean > 0
    estimate = obs / null_mean if ok else nan
    ci_low = ci_high = nan
    if ok:
        month = t_start.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        _, m_inv = np.unique(month, return_inverse=True)
        n_m = np.bincount(m_inv)
        a_m = np.bincount(m_inv, weights=answered.astype(float))
        rng = np.random.default_rng(seed)
        boot = np.empty(_N_BOOT)
        step = max(1, _CHUNK_CELLS // n_m.size)
        for c0 in range(0, _N_BOOT, step):
            pick = rng.integers(0, n_m.size, size=(min(step, _N_BOOT - c0), n_m.size))
            boot[c0:c0 + pick.shape[0]] = a_m[pick].sum(axis=1) / n_m[pick].sum(axis=1)
        ci_low, ci_high = (float(x) / null_mean for x in np.percentile(boot, [2.5, 97.5]))
    return {
        "estimate": estimate,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "p_value": float((1 + np.sum(null >= obs - 1e-12)) / (1 + n_draws)) if n_trig else nan,
        "observed": obs,
        "null_draws": null,
        "null_estimates": null / null_mean if ok else np.full(n_draws, nan),
        "null_mean": null_mean,
        "n_triggers": n_trig,
        "n_responses": int(r_days.size),
    }


circular_shift_test.variants = ("period", "year")  # type: ignore[attr-defined]

def calibrated_test(events: pd.DataFrame, spec: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """The calibrated headline test (:func:`titfortat.stats.inference.response_test`) as a :class:`HeadlineTest`.

    - ``observed`` and ``estimate``: the excess ratio (the responding side's events in the triggers'
      windows over what its own calendar-and-history model expects there);
    - ``ci_low`` / ``ci_high``: its 95% interval by inverting the permutation test;
    - ``null_draws`` (= ``null_estimates``): the excess ratio with the triggers shifted within calendar
      blocks (variant ``"month"`` or ``"quarter"``); the offsets come from ``spec["null_seed"]`` and each
      block's calendar key, so draw ``j`` is the same shift of every calendar month in every
      specification, whatever its period or actions: the joint test needs one family per variant only;
    - ``p_value``: one-sided, ``(1 + #{null >= observed}) / (1 + n_draws)``.

    The per-specification ``seed`` is not needed (nothing else is random). The responding side's model is
    fitted once per (side, actions, period) and reused across specifications (memoised).
    """
    r = response_test(
        events, spec["side_a"], spec["side_b"], actions_a=spec.get("actions_a"), actions_b=spec.get("actions_b"),
        window_days=int(spec["window_days"]), min_lag_days=int(spec["min_lag_days"]),
        anchor=spec.get("anchor", "start"), start=spec.get("start"), end=spec.get("end"),
        n_permutations=int(spec["n_draws"]), seed=int(spec["null_seed"]), block=spec.get("variant", "month"),
        full_model=False,
    )
    return {
        "estimate": r.excess_ratio, "ci_low": r.excess_ci[0], "ci_high": r.excess_ci[1], "p_value": r.p_value,
        "observed": r.excess_ratio, "null_draws": r.null_draws, "null_estimates": r.null_draws,
        "null_mean": r.null_excess_mean, "n_triggers": r.n_triggers, "n_responses": r.n_responses,
        "response_rate": r.response_rate,
    }


calibrated_test.variants = ("month", "quarter")  # type: ignore[attr-defined]
calibrated_test.joint_families = ("variant",)  # type: ignore[attr-defined]

HEADLINE_TESTS: dict[str, HeadlineTest] = {"calibrated": calibrated_test, "circular_shift": circular_shift_test}
"""Headline tests by name (the notebook's ``model`` parameter)."""

DEFAULT_TEST = "calibrated"
"""The default headline test: the calibrated test of :mod:`titfortat.stats.inference`. ``"circular_shift"``
reruns the curve with the old, uncalibrated circular-shift test for comparison."""


# ----------------------------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------------------------

DEFAULT_FAMILIES = ("variant", "period")
"""Choices whose values make separate families of the joint test, unless the test sets ``joint_families``."""

_REQUIRED = ("estimate", "ci_low", "ci_high", "p_value", "observed", "null_draws")


def _run_batch(
    events: pd.DataFrame, specs: list[dict[str, Any]], test_fn: HeadlineTest, n_draws: int, seed: int
) -> dict[str, Any]:
    """Run the test on a batch of specifications (one Dask task). Data-level preparations are shared
    by the specifications of the batch that make the same data choices."""
    prepared: dict[tuple[Any, ...], pd.DataFrame] = {}
    rows: list[dict[str, Any]] = []
    draws = np.empty((len(specs), n_draws))
    ests = np.empty((len(specs), n_draws))
    has_est = True
    same_est = np.zeros(len(specs), dtype=bool)
    common = null_seed(seed)
    for i, spec in enumerate(specs):
        key = tuple(spec.get(k) for k in _DATA_CHOICES)
        if key not in prepared:
            prepared[key] = prepare_events(events, spec)
        res = test_fn(prepared[key], {**spec, "n_draws": n_draws, "null_seed": common}, spec_seed(seed, spec))
        missing = [k for k in _REQUIRED if k not in res]
        if missing:
            raise KeyError(f"headline test {getattr(test_fn, '__name__', test_fn)!r} returned no {missing}")
        if res.get("alternative", "greater") != "greater":
            raise ValueError("the specification curve needs one-sided tests (alternative 'greater')")
        nd = np.asarray(res["null_draws"], dtype=float)
        if nd.shape != (n_draws,):
            raise ValueError(f"null_draws must have shape ({n_draws},), got {nd.shape}")
        draws[i] = nd
        if "null_estimates" not in res:
            has_est = False
        elif res["null_estimates"] is res["null_draws"]:
            same_est[i] = True  # the statistic is the estimate (the calibrated test): not sent twice
        else:
            ests[i] = np.asarray(res["null_estimates"], dtype=float)
        rows.append({k: _plain(v) for k, v in res.items()
                     if k not in ("null_draws", "null_estimates", "alternative") and np.ndim(v) == 0})
    # each specification's null p-values (ranks within its own draws) are computed here, on the worker
    out = {"index": [s["_index"] for s in specs], "rows": rows, "null_draws": draws, "null_p": null_p_values(draws)}
    if has_est and same_est.all():
        return {**out, "null_estimates": "null_draws"}
    ests[same_est] = draws[same_est]
    return {**out, "null_estimates": ests if has_est else None}


def holm(p: np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values (NaN stays NaN and does not count as a test).

    ``p_(i)`` sorted ascending becomes ``max_{k <= i} min(1, (m - k + 1) p_(k))``; the same numbers as
    ``statsmodels.stats.multitest.multipletests(method="holm")`` (a test checks), without its
    ``gc.collect()`` on every call.
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    if ok.size:
        order = ok[np.argsort(p[ok], kind="stable")]
        m = order.size
        adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
        out[order] = adj
    return out


def null_p_values(null_draws: np.ndarray) -> np.ndarray:
    """P-value of every null draw against the other draws of its specification (rows).

    ``p[i, j] = (1 + #{k != j: x[i, k] >= x[i, j]}) / n_draws``, the observed p-value's formula with draw
    ``j`` in the place of the data (one-sided, larger = more response); NaN rows stay NaN.
    """
    x = np.asarray(null_draws, dtype=float)
    n = x.shape[1]
    ge = n - sps.rankdata(x, axis=1, method="min") + 1  # #{k: x_k >= x_j}, includes j
    p = ge / n
    p[~np.isfinite(x)] = np.nan
    return p


@dataclass(frozen=True)
class JointTest:
    """Simonsohn-Simmons-Nelson inference on one family of specifications against its ``n_draws`` null curves.

    Attributes
    ----------
    headline, family, n_specs, n_valid
        The headline, the family (e.g. ``"variant=period, period=all"``), its specifications, those with a
        p-value.
    n_significant, share_significant, null_n_significant_mean, null_n_significant_hi, p_n_significant
        Specifications with p < alpha; mean and 97.5th percentile of the same over the null curves;
        ``p = (1 + #{null >= observed}) / (1 + n_draws)``.
    median_estimate, null_median_mean, null_median_hi, p_median
        The median estimate over the specifications, against the null curves' medians (same p formula).
    mean_z, null_mean_z_mean, p_stouffer
        Stouffer: the mean of ``Phi^-1(1 - p)`` over the specifications, against the null curves.
    median_of
        ``"estimate"`` (the test gave ``null_estimates``) or ``"z"`` (statistic standardised by its null).
    alpha, n_draws
    """

    headline: str
    family: str
    n_specs: int
    n_valid: int
    n_significant: int
    share_significant: float
    null_n_significant_mean: float
    null_n_significant_hi: float
    p_n_significant: float
    median_estimate: float
    null_median_mean: float
    null_median_hi: float
    p_median: float
    mean_z: float
    null_mean_z_mean: float
    p_stouffer: float
    median_of: str
    alpha: float
    n_draws: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return to_jsonable(self.__dict__)

    def summary(self) -> str:
        """Two readable lines."""
        return (
            f"{self.headline} [{self.family}]: {self.n_significant} of {self.n_valid} specifications significant at {self.alpha:g} "
            f"(null curves: mean {self.null_n_significant_mean:.1f}), p = {_fmt_p(self.p_n_significant)}\n"
            f"  median {self.median_of} {self.median_estimate:.3f} (null curves: mean {self.null_median_mean:.3f}), "
            f"p = {_fmt_p(self.p_median)}; Stouffer mean z {self.mean_z:.2f}, p = {_fmt_p(self.p_stouffer)}"
        )


@dataclass(frozen=True)
class CurveTest:
    """The joint test of one headline's whole curve: its families' joint tests combined by Bonferroni.

    Attributes
    ----------
    headline, n_specs, n_valid, n_significant, share_significant, median_estimate
        Over all the headline's specifications (the median over those with an estimate).
    null_n_significant_mean
        Expected number of significant specifications under the null (sum over the families).
    p_n_significant, p_median, p_stouffer
        ``min(1, F * min over the F families)`` of each family's p-value: a valid test of the null that
        holds in every family.
    median_of, alpha, n_draws
    families
        The :class:`JointTest` of each family.
    """

    headline: str
    n_specs: int
    n_valid: int
    n_significant: int
    share_significant: float
    median_estimate: float
    null_n_significant_mean: float
    p_n_significant: float
    p_median: float
    p_stouffer: float
    median_of: str
    alpha: float
    n_draws: int
    families: list[JointTest]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, the families' tests included."""
        return to_jsonable({**{k: v for k, v in self.__dict__.items() if k != "families"},
                            "families": [f.to_dict() for f in self.families]})

    def summary(self) -> str:
        """A readable block: the whole curve, then each family."""
        head = (f"{self.headline}: {self.n_significant} of {self.n_valid} specifications significant at {self.alpha:g} "
                f"(expected under the null {self.null_n_significant_mean:.1f}); joint p (Bonferroni over "
                f"{len(self.families)} families): count {_fmt_p(self.p_n_significant)}, median {_fmt_p(self.p_median)}, "
                f"Stouffer {_fmt_p(self.p_stouffer)}")
        return "\n".join([head] + ["  " + f.summary().replace("\n", "\n  ") for f in self.families])


def _bonferroni_min(ps: Sequence[float]) -> float:
    fin = [p for p in ps if math.isfinite(p)]
    return min(1.0, len(fin) * min(fin)) if fin else float("nan")


def combine_families(headline: str, families: Sequence[JointTest], estimates: np.ndarray) -> CurveTest:
    """Combine the families' joint tests of one headline into a :class:`CurveTest` (Bonferroni)."""
    n_valid = sum(f.n_valid for f in families)
    n_sig = sum(f.n_significant for f in families)
    est = np.asarray(estimates, dtype=float)
    est = est[np.isfinite(est)]
    return CurveTest(
        headline=headline,
        n_specs=sum(f.n_specs for f in families),
        n_valid=n_valid,
        n_significant=n_sig,
        share_significant=n_sig / n_valid if n_valid else float("nan"),
        median_estimate=float(np.median(est)) if est.size else float("nan"),
        null_n_significant_mean=float(sum(f.null_n_significant_mean for f in families)),
        p_n_significant=_bonferroni_min([f.p_n_significant for f in families]),
        p_median=_bonferroni_min([f.p_median for f in families]),
        p_stouffer=_bonferroni_min([f.p_stouffer for f in families]),
        median_of=families[0].median_of,
        alpha=families[0].alpha,
        n_draws=families[0].n_draws,
        families=list(families),
    )


def _z(p: np.ndarray) -> np.ndarray:
    return sps.norm.isf(np.clip(p, 1e-12, 1 - 1e-12))


def joint_test(
    headline: str,
    family: str,
    p_values: np.ndarray,
    estimates: np.ndarray,
    null_draws: np.ndarray,
    null_estimates: np.ndarray | None = None,
    *,
    observed: np.ndarray | None = None,
    alpha: float = 0.05,
    null_p: np.ndarray | None = None,
) -> JointTest:
    """The joint test of one curve: counts of significant specifications, median estimate and Stouffer's
    mean z, observed against the null curves (column ``j`` of ``null_draws`` = null curve ``j``).

    Parameters
    ----------
    headline, family
        Names of the headline and of the family of specifications.
    p_values, estimates
        Per specification (length S).
    null_draws
        ``(S, n_draws)`` null draws of the statistic, common random numbers across specifications.
    null_estimates
        ``(S, n_draws)`` estimates under each null draw; ``None``: the median test uses the statistic
        standardised by its null mean and SD (``observed`` is then required).
    observed
        The observed statistic per specification (for the standardised median).
    alpha
        Significance level of a specification.
    null_p
        :func:`null_p_values` of ``null_draws`` when already computed (the engine computes them on the
        workers); ``None``: computed here.
    """
    p = np.asarray(p_values, dtype=float)
    draws = np.asarray(null_draws, dtype=float)
    n_draws = draws.shape[1]
    valid = np.isfinite(p)
    pn = null_p_values(draws) if null_p is None else np.asarray(null_p, dtype=float)
    sig_obs = int(np.sum(p[valid] < alpha))
    sig_null = np.sum(pn[valid] < alpha, axis=0)
    if null_estimates is not None:
        est, est_null, median_of = np.asarray(estimates, dtype=float), np.asarray(null_estimates, dtype=float), "estimate"
    else:
        if observed is None:
            raise ValueError("joint_test needs observed when null_estimates is None")
        mu = np.nanmean(draws, axis=1, keepdims=True)
        sd = np.nanstd(draws, axis=1, keepdims=True)
        sd = np.where(sd > 0, sd, np.nan)
        est = (np.asarray(observed, dtype=float) - mu[:, 0]) / sd[:, 0]
        est_null = (draws - mu) / sd
        median_of = "z"
    use = valid & np.isfinite(est)
    nan = float("nan")
    with np.errstate(all="ignore"), _quiet_nan():
        med_obs = float(np.median(est[use])) if use.any() else nan
        med_null = np.nanmedian(est_null[use], axis=0) if use.any() else np.full(n_draws, nan)
        z_obs = float(np.mean(_z(p[valid]))) if valid.any() else nan
        z_null = np.mean(_z(pn[valid]), axis=0) if valid.any() else np.full(n_draws, nan)

    def _p(null: np.ndarray, obs: float) -> float:
        if not math.isfinite(obs):
            return nan
        return float((1 + np.sum(null >= obs - 1e-12)) / (1 + n_draws))

    n_valid = int(valid.sum())
    return JointTest(
        headline=headline,
        family=family,
        n_specs=int(p.size),
        n_valid=n_valid,
        n_significant=sig_obs,
        share_significant=sig_obs / n_valid if n_valid else nan,
        null_n_significant_mean=float(sig_null.mean()),
        null_n_significant_hi=float(np.percentile(sig_null, 97.5)),
        p_n_significant=_p(sig_null, sig_obs) if n_valid else nan,
        median_estimate=med_obs,
        null_median_mean=float(np.nanmean(med_null)) if np.isfinite(med_null).any() else nan,
        null_median_hi=float(np.nanpercentile(med_null, 97.5)) if np.isfinite(med_null).any() else nan,
        p_median=_p(med_null, med_obs),
        mean_z=z_obs,
        null_mean_z_mean=float(np.mean(z_null)),
        p_stouffer=_p(z_null, z_obs),
        median_of=median_of,
        alpha=float(alpha),
        n_draws=int(n_draws),
    )


@contextlib.contextmanager
def _quiet_nan() -> Iterator[None]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _fmt_p(p: float) -> str:
    if not math.isfinite(p):
        return "n/a"
    return f"{p:.3f}" if p >= 0.00095 else f"{p:.1e}"


@dataclass(frozen=True, eq=False)
class SpecificationCurve:
    """Results of every specification, with the joint test of each headline's curve.

    Attributes
    ----------
    table
        One row per specification, in grid order: the grid's columns, then ``estimate``, ``ci_low``,
        ``ci_high``, ``p_value``, ``p_holm`` (Holm within the headline), ``significant``
        (``p_value < alpha``), ``observed`` and the test's extra scalars.
    joint
        Headline -> :class:`CurveTest` (with the :class:`JointTest` of each family).
    grid
        The :class:`SpecificationGrid`.
    null_draws, null_estimates
        ``(n_specs, n_draws)`` arrays (``null_estimates`` may be ``None``); not in :meth:`to_dict`.
    test, n_draws, seed, alpha
        The run's settings.
    joint_families
        The choices whose values split the joint test into families.
    """

    table: pd.DataFrame
    joint: dict[str, CurveTest]
    grid: SpecificationGrid
    null_draws: np.ndarray
    null_estimates: np.ndarray | None
    test: str
    n_draws: int
    seed: int
    alpha: float
    joint_families: tuple[str, ...] = DEFAULT_FAMILIES

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: settings, choices, skipped choices, the joint tests and every specification."""
        return to_jsonable({
            "settings": {"test": self.test, "n_draws": self.n_draws, "seed": self.seed, "alpha": self.alpha,
                         "start": self.grid.start, "end": self.grid.end,
                         "holm_family": "the specifications of one headline",
                         "null_draws": "common random numbers: draw j of every specification from the seed alone",
                         "joint_families": list(self.joint_families),
                         "joint_combination": "Bonferroni over the families of each headline"},
            "choices": self.grid.choices,
            "skipped_choices": self.grid.skipped,
            "action_sets": self.grid.action_sets,
            "n_specifications": len(self.table),
            "headlines": {h: {**j.to_dict(), "paragraph": robustness_paragraph(self, h)} for h, j in self.joint.items()},
            "by_choice": self.share_by_choice(),
            "specifications": self.table,
        })

    def summary(self) -> str:
        """A readable block: the grid, and each headline's joint test."""
        lines = [f"Specification curve: {len(self.table)} specifications ({', '.join(f'{len(self.grid.choices[c])} {c}' for c in self.grid.choices)}"
                 f" x {len(self.joint)} directions), test {self.test!r}, {self.n_draws} null draws, seed {self.seed}"]
        lines += [f"  skipped {c}: {why}" for c, why in self.grid.skipped.items()]
        lines += [self.joint[h].summary() for h in self.joint]
        return "\n".join(lines)

    def share_by_choice(self) -> pd.DataFrame:
        """Per headline, choice and value: specifications, the share significant and the median estimate."""
        rows = []
        for h in self.joint:
            t = self.table[self.table["headline"] == h]
            for c, values in self.grid.choices.items():
                for v in values:
                    part = t[t[c].astype(str) == str(v)]
                    rows.append({"headline": h, "choice": c, "value": str(v), "n_specs": len(part),
                                 "share_significant": float(part["significant"].mean()) if len(part) else float("nan"),
                                 "median_estimate": float(part["estimate"].median()) if len(part) else float("nan")})
        return pd.DataFrame(rows)

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write :attr:`table` as CSV (atomically; floats with 6 significant digits)."""
        write_text(self.table.to_csv(index=False, float_format="%.6g", lineterminator="\n"), path)


def _n_workers(client: Any) -> int:
    if client is None:
        return 1
    return max(1, sum(int(w.get("nthreads", 1)) for w in client.scheduler_info()["workers"].values()))


def _batch_sizes(n: int, n_workers: int, batch_size: int | None) -> list[int]:
    """Sizes of the tasks: ``batch_size`` each, or (``None``) guided self-scheduling: each task takes
    ``1 / (4 * n_workers)`` of the specifications still left (at least 8), so the first tasks are big
    (little scheduling per specification) and the last ones small (no worker waits long for another's
    last task)."""
    if batch_size is not None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise _bad("batch_size", batch_size, "an integer >= 1 or None")
        return [min(int(batch_size), n - i) for i in range(0, n, int(batch_size))]
    sizes, left = [], n
    while left > 0:
        size = min(left, max(8, math.ceil(left / (4 * max(1, n_workers)))))
        sizes.append(size)
        left -= size
    return sizes


def _batches(grid: SpecificationGrid, n_workers: int, batch_size: int | None) -> list[list[dict[str, Any]]]:
    sizes = _batch_sizes(len(grid), n_workers, batch_size)
    order = grid.table.reset_index(drop=True).sort_values([*_DATA_CHOICES, "spec_id"], kind="stable").index.to_numpy()
    every = grid.specs()
    specs = [{**every[i], "_index": int(i)} for i in order]
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    return [specs[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def resolve_test(test: str | HeadlineTest | None, *, param: str = "model") -> tuple[str, HeadlineTest]:
    """``(name, callable)`` of a headline test given by name (in :data:`HEADLINE_TESTS`; ``None``:
    :data:`DEFAULT_TEST`) or as a callable; an unknown name is an error naming ``param``."""
    if test is None:
        test = DEFAULT_TEST
    if isinstance(test, str):
        if test not in HEADLINE_TESTS:
            raise _bad(param, test, ", ".join(map(repr, HEADLINE_TESTS)))
        return test, HEADLINE_TESTS[test]
    if not callable(test):
        raise _bad(param, test, "a test name or a callable test_fn(events, spec, seed)")
    return getattr(test, "__name__", "custom"), test


def run_specification_curve(
    events: pd.DataFrame,
    grid: SpecificationGrid,
    *,
    test: str | HeadlineTest | None = None,
    n_draws: int = 1000,
    seed: int = 0,
    alpha: float = 0.05,
    client: Any = None,
    batch_size: int | None = None,
    progress: bool = False,
) -> SpecificationCurve:
    """Run the headline test on every specification of ``grid`` and test each curve as a whole.

    Parameters
    ----------
    events
        The events frame; never modified.
    grid
        From :func:`expand_grid`.
    test
        A name in :data:`HEADLINE_TESTS`, a :class:`HeadlineTest` (importable on the workers), or ``None``
        for :data:`DEFAULT_TEST`.
    n_draws
        Null draws per specification (= null curves of the joint test), >= 99.
    seed
        The run's seed (see the module docstring for the two seeds derived from it).
    alpha
        Significance level of one specification.
    client
        A ``dask.distributed.Client``; ``None`` runs the batches one after the other in this process
        (same results).
    batch_size
        Specifications per Dask task; ``None``: guided self-scheduling, tasks that shrink from a quarter
        of the grid's share per worker thread to 8 specifications (big tasks first, small ones last, so
        no worker idles long at the end).
    progress
        Show ``dask.distributed``'s text progress bar while the tasks run (with a client).

    Returns
    -------
    SpecificationCurve
    """
    test_name, test_fn = resolve_test(test, param="test")
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or n_draws < 99:
        raise _bad("n_draws", n_draws, "an integer >= 99")
    if not 0 < alpha < 1:
        raise _bad("alpha", alpha, "a number between 0 and 1")
    variants = getattr(test_fn, "variants", None)
    bad = [v for v in grid.table["variant"].unique() if variants is not None and v not in variants]
    if bad:
        raise _bad('choices["variant"]', bad[0], ", ".join(map(repr, variants)) + f" (variants of test {test_name!r})")
    batches = _batches(grid, _n_workers(client), batch_size)
    n_draws = int(n_draws)
    if client is None:
        parts = [_run_batch(events, b, test_fn, n_draws, seed) for b in batches]
    else:
        [ev] = client.scatter([events], broadcast=True, hash=False)  # a key of its own: a previous call releasing the same data cannot lose it
        futures = [client.submit(_run_batch, ev, b, test_fn, n_draws, seed, pure=False) for b in batches]
        if progress:
            from distributed import progress as _progress

            _progress(futures, notebook=False)
        parts = client.gather(futures)
    n = len(grid)
    draws = np.empty((n, n_draws))
    null_p = np.empty((n, n_draws))
    ests: np.ndarray | None = np.empty((n, n_draws))
    rows: list[dict[str, Any]] = [{}] * n
    for part in parts:
        idx = np.asarray(part["index"], dtype=np.int64)
        draws[idx] = part["null_draws"]
        null_p[idx] = part["null_p"]
        if part["null_estimates"] is None or ests is None:
            ests = None
        elif isinstance(part["null_estimates"], str):  # "null_draws": the same numbers
            ests[idx] = part["null_draws"]
        else:
            ests[idx] = part["null_estimates"]
        for i, r in zip(idx, part["rows"], strict=True):
            rows[int(i)] = r
    res = pd.DataFrame(rows)
    table = grid.table.copy()
    for c in ("estimate", "ci_low", "ci_high", "p_value"):
        table[c] = res[c].astype(float).to_numpy()
    table["p_holm"] = np.nan
    for h in grid.headlines:
        m = (table["headline"] == h).to_numpy()
        table.loc[m, "p_holm"] = holm(table.loc[m, "p_value"].to_numpy())
    table["significant"] = (table["p_value"] < alpha).to_numpy()
    table["observed"] = res["observed"].astype(float).to_numpy()
    for c in res.columns:
        if c not in table.columns:
            table[c] = res[c].to_numpy()
    fam_keys = [k for k in getattr(test_fn, "joint_families", DEFAULT_FAMILIES) if k in table.columns]
    joint = {}
    labels = pd.Series("all", index=table.index)
    for i, k in enumerate(fam_keys):
        part = f"{k}=" + table[k].astype(str)
        labels = part if i == 0 else labels + ", " + part
    for h in grid.headlines:
        hm = (table["headline"] == h).to_numpy()
        fams = []
        for label in dict.fromkeys(labels[hm]):
            m = hm & (labels == label).to_numpy()
            fams.append(joint_test(h, label, table.loc[m, "p_value"].to_numpy(), table.loc[m, "estimate"].to_numpy(),
                                   draws[m], ests[m] if ests is not None else None,
                                   observed=table.loc[m, "observed"].to_numpy(), alpha=alpha, null_p=null_p[m]))
        joint[h] = combine_families(h, fams, table.loc[hm, "estimate"].to_numpy())
    return SpecificationCurve(table=table, joint=joint, grid=grid, null_draws=draws, null_estimates=ests,
                              test=test_name, n_draws=n_draws, seed=int(seed), alpha=float(alpha),
                              joint_families=tuple(fam_keys))


# ----------------------------------------------------------------------------------------------
# Words
# ----------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """Escape Markdown and HTML special characters of a value that came from input."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("&", "&amp;")


def robustness_paragraph(curve: SpecificationCurve, headline: str) -> str:
    """One paragraph (Markdown, input values escaped) on how robust one headline is, from the results."""
    j = curve.joint[headline]
    t = curve.table[curve.table["headline"] == headline]
    a, b = t["side_a"].iloc[0], t["side_b"].iloc[0]
    n_holm = int((t["p_holm"] < curve.alpha).sum())
    share = f"{j.share_significant:.0%}" if math.isfinite(j.share_significant) else "n/a"
    est = t["estimate"].dropna()
    what = {"calibrated": "excess ratio over the responding side's own model",
            "circular_shift": "response rate relative to the null mean"}.get(curve.test, "estimate")
    if j.median_of != "estimate":
        what = "standardised statistic"
    whole = min(j.p_n_significant, j.p_median) if math.isfinite(j.p_median) else j.p_n_significant
    verdict = ("the curve as a whole differs from the null" if math.isfinite(whole) and whole < curve.alpha
               else "the curve as a whole is not distinguishable from the null")
    fams = "; ".join(f"{_md(f.family)}: p = {_fmt_p(f.p_n_significant)} and {_fmt_p(f.p_median)}" for f in j.families)
    combined = (f" (Bonferroni over {len(j.families)} families of specifications that share a null model and period; "
                f"{fams})" if len(j.families) > 1 else "")
    text = (
        f"**{_md(b)} after {_md(a)}**: significant (one-sided p < {curve.alpha:g}) in {share} of {j.n_valid} "
        f"specifications ({n_holm} after Holm adjustment across them); median {what} "
        f"{j.median_estimate:.2f}"
        + (f" (range {est.min():.2f} to {est.max():.2f})" if len(est) else "")
        + f". Against {j.n_draws} null curves, {verdict}: p = {_fmt_p(j.p_n_significant)} for the number of "
        f"significant specifications ({j.n_significant} against {j.null_n_significant_mean:.1f} expected), "
        f"p = {_fmt_p(j.p_median)} for the median estimate{combined}."
    )
    if n_holm == 0 and j.n_valid and j.n_valid / (curve.n_draws + 1) >= curve.alpha:
        text += (f" No specification can pass Holm's threshold with {curve.n_draws} null draws: the smallest possible "
                 f"p-value, 1/{curve.n_draws + 1}, times {j.n_valid} specifications exceeds {curve.alpha:g}.")
    if j.n_valid < j.n_specs:
        text += f" {j.n_specs - j.n_valid} specifications had no trigger and give no test."
    return text


def robustness_summary(curve: SpecificationCurve) -> str:
    """The paragraphs of every headline, separated by blank lines (for ``summary.md``)."""
    return "\n\n".join(robustness_paragraph(curve, h) for h in curve.joint)


# ----------------------------------------------------------------------------------------------
# Dask
# ----------------------------------------------------------------------------------------------

_ADDRESS_RE = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://[^\s/]+(:\d+)?/?$")


def _machine_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, *, n_workers: int | None = None, timeout: float = 30) -> Iterator[Any]:
    """A ``dask.distributed.Client``: on an existing cluster (``scheduler`` address such as
    ``"tcp://host:8786"``) or on a ``LocalCluster`` of one single-threaded worker process per core
    (``scheduler=None``; ``n_workers`` overrides). The local cluster is closed on exit; an existing
    cluster is left running (only the client is closed)."""
    from distributed import Client, LocalCluster

    if scheduler is not None and (not isinstance(scheduler, str) or not _ADDRESS_RE.match(scheduler)):
        raise _bad("dask_scheduler", scheduler, "None (a local cluster) or an address such as 'tcp://host:8786'")
    if n_workers is not None and (isinstance(n_workers, bool) or not isinstance(n_workers, int) or n_workers < 1):
        raise _bad("n_workers", n_workers, "an integer >= 1 or None")
    if scheduler is None:
        import logging

        import dask

        # Two worker defaults cost CPU on this workload, and are off on the local cluster: the statistical
        # profiler (the dashboard's Profile page) sampling every 10 ms, and MALLOC_TRIM_THRESHOLD_, which
        # freezes glibc's mmap threshold so that numpy temporaries are mapped and unmapped on every call
        # (+27% worker CPU measured on the default grid). The short-lived local workers keep their heap.
        environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
                   if k != "MALLOC_TRIM_THRESHOLD_"}
        with dask.config.set({"distributed.worker.profile.enabled": False,
                              "distributed.nanny.pre-spawn-environ": environ}, priority="new"):
            cluster = LocalCluster(n_workers=n_workers or _machine_cores(), threads_per_worker=1, processes=True,
                                   dashboard_address="127.0.0.1:0", host="127.0.0.1", silence_logs=logging.ERROR)
        try:
            client = Client(cluster, timeout=timeout)
            try:
                yield client
            finally:
                client.close()
        finally:
            cluster.close()
    else:
        client = Client(scheduler, timeout=timeout)
        try:
            yield client
        finally:
            client.close()


def dashboard_text(client: Any) -> str:
    """``"Dask dashboard: <link>"``, or a sentence saying there is none."""
    link = getattr(client, "dashboard_link", None)
    return f"Dask dashboard: {link}" if link else "Dask dashboard: not available (install bokeh for it)"

