"""Sequences: transitions between consecutive events, and tit-for-tat chains.

Two views of "which sequences recur":

- :func:`transition_matrix` counts consecutive event pairs (events in ``(date, event_id)`` order) by
  side or by side and action, with the counts expected if the next event's label were independent
  of the current one, adjusted standardized residuals and a chi-square test (the first-order vs
  zero-order Markov test of Anderson and Goodman). Events on the same day have no known order
  (dates only); their order is by event_id, and ``drop_same_day=True`` leaves such pairs out.
- :func:`tit_for_tat_chains` follows alternating chains A, B, A, ... (or B, A, B, ...) where each
  link is the **first** event of the other side ``min_lag_days``..``window_days`` days after the
  previous link (the rule of :func:`titfortat.stats.pairing.pair_responses`). When several events have the
  same first answer, only the earliest of them keeps the link, so chains never share events and
  every event is in at most one chain. :func:`chain_length_null` compares the longest chain with the
  circular-shift null of :mod:`titfortat.stats.nulls` (side B shifted, side A fixed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from titfortat.stats.frequencies import order_values
from titfortat.stats.nulls import NullMode, circular_shifts, restrict_period
from titfortat.stats.pairing import day_numbers, select_events
from titfortat.results import to_jsonable

__all__ = [
    "ChainNullResult",
    "TransitionResult",
    "chain_events",
    "chain_length_null",
    "chain_links",
    "tit_for_tat_chains",
    "transition_matrix",
]

_CHUNK_NODES = 2_000_000


# --------------------------------------------------------------------------------------------------
# Transitions
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TransitionResult:
    """Counts of consecutive event pairs and a test of independence.

    Attributes
    ----------
    counts
        ``counts.loc[from, to]``: how often an event labelled ``from`` was directly followed by one
        labelled ``to``.
    expected
        Counts expected under independence: ``row total * column total / n_transitions``.
    residuals
        Adjusted standardized residuals ``(O - E) / sqrt(E (1 - r/N) (1 - c/N))``; about N(0, 1)
        per cell under independence (NaN where E = 0).
    chi2, dof, p_value
        Pearson chi-square over the rows and columns with any transitions.
    n_transitions
        Number of consecutive pairs counted.
    by
        ``"side"`` or ``"side_action"``.
    """

    counts: pd.DataFrame
    expected: pd.DataFrame
    residuals: pd.DataFrame
    chi2: float
    dof: int
    p_value: float
    n_transitions: int
    by: str
    drop_same_day: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready test numbers and the count matrix (as ``{from: {to: n}}``)."""
        return to_jsonable(
            {
                "by": self.by,
                "drop_same_day": self.drop_same_day,
                "n_transitions": self.n_transitions,
                "chi2": self.chi2,
                "dof": self.dof,
                "p_value": self.p_value,
                "counts": {str(k): v for k, v in self.counts.to_dict(orient="index").items()},
            }
        )

    def summary(self) -> str:
        """A readable table of counts and the test."""
        return "\n".join(
            [
                f"Transitions between consecutive events (by {self.by}{', same-day pairs dropped' if self.drop_same_day else ''}): "
                f"{self.n_transitions} pairs",
                self.counts.to_string(),
                f"chi2 = {self.chi2:.3f}, dof = {self.dof}, p = {self.p_value:.4g}",
            ]
        )


def transition_matrix(
    events: pd.DataFrame,
    by: Literal["side", "side_action"] = "side",
    sides: Iterable[str] | None = None,
    *,
    drop_same_day: bool = True,
) -> TransitionResult:
    """Count consecutive event pairs by side (or side and action) and test independence.

    Parameters
    ----------
    events
        Events frame; never modified. Sorted internally by ``(date, event_id)``.
    by
        ``"side"`` (labels DPRK, ALLIANCE, OTHER) or ``"side_action"`` (``"DPRK/missile_launch"`` ...).
    sides
        Keep only events of these sides before forming pairs (``None``: all).
    drop_same_day
        Leave out pairs of events on the same date (default): dates have no time, so their order is
        unknown, and sorting by ``event_id`` would make every same-day pair run one way.

    Returns
    -------
    TransitionResult
    """
    if by not in ("side", "side_action"):
        raise ValueError(f"by must be 'side' or 'side_action', got {by!r}")
    ev = select_events(events, sides)
    side = ev["side"].astype("str")
    if by == "side":
        labels = side
        order = order_values(side)
    else:
        action = ev["action"].astype("str")
        labels = side + "/" + action
        s_ord = {v: i for i, v in enumerate(order_values(side))}
        a_ord = {v: i for i, v in enumerate(order_values(action))}
        order = sorted(set(labels), key=lambda v: (s_ord[v.split("/", 1)[0]], a_ord[v.split("/", 1)[1]]))
    codes = pd.Categorical(labels, categories=order).codes.astype(np.int64)
    frm, to = codes[:-1], codes[1:]
    if drop_same_day and len(ev) > 1:
        d = day_numbers(ev["date"])
        keep = d[1:] != d[:-1]
        frm, to = frm[keep], to[keep]
    k = len(order)
    mat = np.bincount(frm * k + to, minlength=k * k).reshape(k, k).astype(np.int64) if k else np.zeros((0, 0), dtype=np.int64)
    n = int(mat.sum())
    r = mat.sum(axis=1, dtype=float)
    c = mat.sum(axis=0, dtype=float)
    exp = np.outer(r, c) / n if n else np.zeros_like(mat, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = np.sqrt(exp * np.outer(1 - r / n, 1 - c / n)) if n else np.full_like(exp, np.nan)
        resid = np.where(denom > 0, (mat - exp) / denom, np.nan)
    rows, cols = r > 0, c > 0
    dof = int((rows.sum() - 1) * (cols.sum() - 1)) if n else 0
    if dof > 0:
        sub_o, sub_e = mat[np.ix_(rows, cols)], exp[np.ix_(rows, cols)]
        chi2 = float(((sub_o - sub_e) ** 2 / sub_e).sum())
        p = float(stats.chi2.sf(chi2, dof))
    else:
        chi2, p = float("nan"), float("nan")
    idx = pd.Index(order, dtype="str", name="from")
    cols_idx = pd.Index(order, dtype="str", name="to")
    return TransitionResult(
        counts=pd.DataFrame(mat, index=idx, columns=cols_idx),
        expected=pd.DataFrame(exp, index=idx, columns=cols_idx),
        residuals=pd.DataFrame(resid, index=idx, columns=cols_idx),
        chi2=chi2,
        dof=dof,
        p_value=p,
        n_transitions=n,
        by=by,
        drop_same_day=drop_same_day,
    )


# --------------------------------------------------------------------------------------------------
# Chains
# --------------------------------------------------------------------------------------------------


def _check_chain_window(window_days: int, min_lag_days: int) -> None:
    if min_lag_days < 1:
        raise ValueError("chains need min_lag_days >= 1 (a same-day link could point back and form a loop)")
    if window_days < min_lag_days:
        raise ValueError(f"window_days ({window_days}) must be >= min_lag_days ({min_lag_days})")


def chain_links(
    a_days: np.ndarray, b_days: np.ndarray, *, window_days: int, min_lag_days: int
) -> tuple[np.ndarray, np.ndarray]:
    """Chain links of many (A, B) configurations at once, and the links-to-tail of every node.

    Parameters
    ----------
    a_days
        Day numbers of side A's events, sorted ascending (shared by all configurations).
    b_days
        ``(P, nB)`` day numbers of side B's events, each row sorted ascending (one row per
        configuration, e.g. per circular shift); a 1-D array is one configuration.
    window_days, min_lag_days
        Link window (``min_lag_days >= 1``).

    Returns
    -------
    (nxt, depth)
        ``(P, nA + nB)`` arrays over nodes (A events first, then B events, per row): ``nxt`` the
        local index of the next link (``-1`` for none), ``depth`` the number of links from the node
        to the end of its chain (a chain's length is its head's depth + 1).
    """
    _check_chain_window(window_days, min_lag_days)
    a = np.asarray(a_days, dtype=np.int64)
    b = np.atleast_2d(np.asarray(b_days, dtype=np.int64))
    n_perm, n_b = b.shape
    n_a = a.size
    n = n_a + n_b
    nxt = np.full((n_perm, n), -1, dtype=np.int64)
    if n_a and n_b:
        # A -> B: B differs per row, so lay rows end to end with a gap wider than the window
        base = int(min(a.min(), b.min()))
        gap = int(max(a.max(), b.max())) - base + window_days + 2
        offs = (np.arange(n_perm, dtype=np.int64) * gap)[:, None]
        flat_b = (b - base + offs).ravel()
        q = (a - base)[None, :] + offs
        idx = np.searchsorted(flat_b, (q + min_lag_days).ravel(), side="left").reshape(n_perm, n_a)
        safe = np.minimum(idx, flat_b.size - 1)
        ok = (idx < flat_b.size) & (flat_b[safe] <= q + window_days)
        nxt[:, :n_a] = np.where(ok, idx - np.arange(n_perm)[:, None] * n_b + n_a, -1)
        # B -> A: A is shared, one searchsorted
        jdx = np.searchsorted(a, b + min_lag_days, side="left")
        safe = np.minimum(jdx, n_a - 1)
        ok = (jdx < n_a) & (a[safe] <= b + window_days)
        nxt[:, n_a:] = np.where(ok, jdx, -1)
    # several sources with the same target: keep only the earliest source (lowest local index;
    # nodes of each side are in date order)
    flat = nxt.ravel()
    glob = np.where(flat >= 0, flat + np.repeat(np.arange(n_perm, dtype=np.int64) * n, n), -1)
    src = np.flatnonzero(glob >= 0)
    if src.size:
        tgt = glob[src]
        order = np.lexsort((src, tgt))
        first = np.ones(order.size, dtype=bool)
        first[1:] = tgt[order][1:] != tgt[order][:-1]
        losers = src[order][~first]
        glob[losers] = -1
        flat = np.where(glob >= 0, flat, -1)
        nxt = flat.reshape(n_perm, n)
        glob = np.where(flat >= 0, glob, -1)
    # list ranking by pointer jumping (tails point to themselves)
    total = n_perm * n
    ptr = np.where(glob >= 0, glob, np.arange(total, dtype=np.int64))
    depth = (glob >= 0).astype(np.int64)
    while True:
        nptr = ptr[ptr]
        if np.array_equal(nptr, ptr):
            break
        depth = depth + depth[ptr]
        ptr = nptr
    return nxt, depth.reshape(n_perm, n)


def _chain_nodes(
    events: pd.DataFrame, side_a: str, side_b: str, actions_a: Any, actions_b: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    return select_events(events, side_a, actions_a), select_events(events, side_b, actions_b)


def tit_for_tat_chains(
    events: pd.DataFrame,
    side_a: str,
    side_b: str,
    window_days: int = 7,
    min_lag_days: int = 1,
    actions_a: str | Iterable[str] | None = None,
    actions_b: str | Iterable[str] | None = None,
    *,
    min_length: int = 2,
) -> pd.DataFrame:
    """Alternating chains of events of two sides, longest first.

    Each event of side A links to the first event of side B ``min_lag_days``..``window_days`` days
    after its ``date``; each event of side B links likewise to the first event of side A. When
    several events link to the same event, only the earliest keeps the link (so chains are
    disjoint). A chain starts at an event nobody links to and follows the links to the end; it may
    start with either side.

    Parameters
    ----------
    events
        Events frame; never modified.
    side_a, side_b
        The two sides (different).
    window_days, min_lag_days
        The link window in days (``min_lag_days >= 1``; same-day order is unknown).
    actions_a, actions_b
        Actions to keep for each side (``None``: all).
    min_length
        Shortest chain (number of events) to list; 2 lists every answered event.

    Returns
    -------
    DataFrame
        ``chain_id`` (1 = longest), ``length`` (events), ``start`` and ``end`` (dates of the first
        and last link), ``span_days``, ``first_side``, ``event_ids`` (tuple, in chain order);
        sorted by length (descending), then start date, then first event_id.
    """
    if side_a == side_b:
        raise ValueError("side_a and side_b must differ")
    ea, eb = _chain_nodes(events, side_a, side_b, actions_a, actions_b)
    nodes = pd.concat([ea[["event_id", "date", "side"]], eb[["event_id", "date", "side"]]], ignore_index=True)
    nxt, depth = chain_links(day_numbers(ea["date"]), day_numbers(eb["date"]), window_days=window_days, min_lag_days=min_lag_days)
    nxt, depth = nxt[0], depth[0]
    columns = ["chain_id", "length", "start", "end", "span_days", "first_side", "event_ids"]
    n = len(nodes)
    if n == 0:
        return pd.DataFrame({c: [] for c in columns})
    has_in = np.zeros(n, dtype=bool)
    has_in[nxt[nxt >= 0]] = True
    heads = np.flatnonzero(~has_in & (depth + 1 >= max(min_length, 1)))
    # walk all chains in lockstep (one numpy step per link, not per event)
    chain_idx, member, position = [np.arange(heads.size)], [heads], [np.zeros(heads.size, dtype=np.int64)]
    alive, cur, step = np.arange(heads.size), heads, 0
    while alive.size:
        nx = nxt[cur]
        keep = nx >= 0
        alive, cur, step = alive[keep], nx[keep], step + 1
        chain_idx.append(alive)
        member.append(cur)
        position.append(np.full(alive.size, step, dtype=np.int64))
    ci, mem, pos = np.concatenate(chain_idx), np.concatenate(member), np.concatenate(position)
    order = np.lexsort((pos, ci))
    ci, mem = ci[order], mem[order]
    ids = nodes["event_id"].to_numpy(dtype=object)
    bounds = np.searchsorted(ci, np.arange(heads.size + 1))
    seqs = [tuple(ids[mem[bounds[i] : bounds[i + 1]]]) for i in range(heads.size)]
    d = day_numbers(nodes["date"])
    start_d = d[heads]
    end_d = d[mem[bounds[1:] - 1]] if heads.size else np.array([], dtype=np.int64)
    table = pd.DataFrame(
        {
            "length": (depth[heads] + 1).astype("int64"),
            "start": pd.Series(start_d.astype("datetime64[D]").astype("datetime64[ns]")),
            "end": pd.Series(end_d.astype("datetime64[D]").astype("datetime64[ns]")),
            "span_days": (end_d - start_d).astype("int64"),
            "first_side": pd.Series(nodes["side"].to_numpy(dtype=object)[heads], dtype="str"),
            "event_ids": seqs,
            "_first": pd.Series([s[0] for s in seqs], dtype="str"),
        }
    )
    table = table.sort_values(["length", "start", "_first"], ascending=[False, True, True], kind="stable").drop(columns="_first")
    table.insert(0, "chain_id", np.arange(1, len(table) + 1, dtype=np.int64))
    return table.reset_index(drop=True)


def chain_events(events: pd.DataFrame, chains: pd.DataFrame, top: int | None = 3) -> pd.DataFrame:
    """The events of the longest chains, one row per event in chain order.

    Parameters
    ----------
    events
        The events frame the chains were built from.
    chains
        Output of :func:`tit_for_tat_chains`.
    top
        Number of chains (by ``chain_id``) to list; ``None``: all.

    Returns
    -------
    DataFrame
        ``chain_id``, ``position`` (1-based), ``lag_days`` (from the previous link; NA for the
        first), then the event's columns.
    """
    sel = chains if top is None else chains.loc[chains["chain_id"] <= top]
    rows = sel[["chain_id", "event_ids"]].explode("event_ids").rename(columns={"event_ids": "event_id"})
    rows["position"] = rows.groupby("chain_id").cumcount() + 1
    rows["event_id"] = rows["event_id"].astype("str")
    out = rows.merge(events.assign(event_id=events["event_id"].astype("str")), on="event_id", how="left", validate="one_to_one")
    out = out.sort_values(["chain_id", "position"], kind="stable").reset_index(drop=True)
    lag = out.groupby("chain_id")["date"].diff().dt.days
    out.insert(2, "lag_days", pd.array(lag, dtype="Int64"))
    return out


@dataclass(frozen=True, eq=False)
class ChainNullResult:
    """Longest tit-for-tat chain against the circular-shift null (side B shifted, side A fixed).

    Attributes
    ----------
    observed_longest, null_mean_longest, null_lo_longest, null_hi_longest, p_longest
        Longest chain (events): observed, null mean and 2.5 / 97.5 percentiles, and
        ``(1 + #{null >= observed}) / (1 + n)``.
    observed_n_long, null_mean_n_long, p_n_long
        Number of chains with at least ``min_length`` events: observed, null mean, p-value.
    null_longest, null_n_long
        The null distributions (not in :meth:`to_dict`).
    """

    observed_longest: int
    null_mean_longest: float
    null_lo_longest: float
    null_hi_longest: float
    p_longest: float
    min_length: int
    observed_n_long: int
    null_mean_n_long: float
    p_n_long: float
    n_permutations: int
    mode: str
    seed: int | None
    start: pd.Timestamp
    end: pd.Timestamp
    params: dict[str, Any]
    null_longest: np.ndarray
    null_n_long: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers and settings."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("params", "null_longest", "null_n_long")}
        return to_jsonable({**self.params, **out})

    def summary(self) -> str:
        """A readable paragraph."""
        p = self.params
        return "\n".join(
            [
                f"Tit-for-tat chains {p['side_a']} <-> {p['side_b']}, links {p['min_lag_days']}-{p['window_days']} days; "
                f"circular-shift null ({self.mode}, {self.n_permutations} permutations, seed {self.seed})",
                f"  longest chain: observed {self.observed_longest}, null mean {self.null_mean_longest:.2f} "
                f"[95% band {self.null_lo_longest:g}-{self.null_hi_longest:g}], p = {self.p_longest:.4f}",
                f"  chains of >= {self.min_length} events: observed {self.observed_n_long}, "
                f"null mean {self.null_mean_n_long:.2f}, p = {self.p_n_long:.4f}",
            ]
        )


def _longest_and_count(nxt: np.ndarray, depth: np.ndarray, min_length: int) -> tuple[np.ndarray, np.ndarray]:
    n_perm, n = nxt.shape
    if n == 0:
        return np.zeros(n_perm, dtype=np.int64), np.zeros(n_perm, dtype=np.int64)
    has_in = np.zeros(nxt.size, dtype=bool)
    flat = nxt.ravel()
    row = np.repeat(np.arange(n_perm, dtype=np.int64) * n, n)
    has_in[(flat + row)[flat >= 0]] = True
    head_len = np.where(~has_in.reshape(n_perm, n), depth + 1, 0)
    return head_len.max(axis=1), (head_len >= min_length).sum(axis=1)


def chain_length_null(
    events: pd.DataFrame,
    side_a: str,
    side_b: str,
    window_days: int = 7,
    min_lag_days: int = 1,
    actions_a: str | Iterable[str] | None = None,
    actions_b: str | Iterable[str] | None = None,
    *,
    min_length: int = 3,
    n_permutations: int = 1000,
    seed: int | None = 0,
    mode: NullMode = "period",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> ChainNullResult:
    """Are the observed chains longer (or more numerous) than with side B shifted at random?

    Side B's events are shifted circularly exactly as in :func:`titfortat.stats.nulls.null_response_rate`
    (``mode="period"`` or ``"year"``), side A stays fixed, and chains are rebuilt for every shift
    (all shifts at once, vectorized). Only events dated inside ``[start, end]`` are used.

    Returns
    -------
    ChainNullResult
    """
    if side_a == side_b:
        raise ValueError("side_a and side_b must differ")
    _check_chain_window(window_days, min_lag_days)
    inside, lo_ts, hi_ts = restrict_period(events, start, end)
    ea, eb = _chain_nodes(inside, side_a, side_b, actions_a, actions_b)
    a = day_numbers(ea["date"])
    b = day_numbers(eb["date"])
    start_day = int(day_numbers([lo_ts])[0])
    end_day = int(day_numbers([hi_ts])[0])
    nxt, depth = chain_links(a, b, window_days=window_days, min_lag_days=min_lag_days)
    obs_long, obs_n = _longest_and_count(nxt, depth, min_length)
    rng = np.random.default_rng(seed)
    null_long = np.empty(n_permutations, dtype=np.int64)
    null_n = np.empty(n_permutations, dtype=np.int64)
    chunk = max(1, _CHUNK_NODES // max(1, a.size + b.size))
    for c0 in range(0, n_permutations, chunk):
        c1 = min(n_permutations, c0 + chunk)
        shifted = np.sort(circular_shifts(b, c1 - c0, start_day=start_day, end_day=end_day, mode=mode, rng=rng), axis=1)
        nx, dp = chain_links(a, shifted, window_days=window_days, min_lag_days=min_lag_days)
        null_long[c0:c1], null_n[c0:c1] = _longest_and_count(nx, dp, min_length)
    params = {
        "side_a": side_a,
        "side_b": side_b,
        "actions_a": [actions_a] if isinstance(actions_a, str) else (list(actions_a) if actions_a is not None else None),
        "actions_b": [actions_b] if isinstance(actions_b, str) else (list(actions_b) if actions_b is not None else None),
        "window_days": int(window_days),
        "min_lag_days": int(min_lag_days),
    }
    return ChainNullResult(
        observed_longest=int(obs_long[0]),
        null_mean_longest=float(null_long.mean()),
        null_lo_longest=float(np.percentile(null_long, 2.5)),
        null_hi_longest=float(np.percentile(null_long, 97.5)),
        p_longest=float((1 + np.sum(null_long >= obs_long[0])) / (1 + n_permutations)),
        min_length=int(min_length),
        observed_n_long=int(obs_n[0]),
        null_mean_n_long=float(null_n.mean()),
        p_n_long=float((1 + np.sum(null_n >= obs_n[0])) / (1 + n_permutations)),
        n_permutations=int(n_permutations),
        mode=mode,
        seed=seed,
        start=lo_ts,
        end=hi_ts,
        params=params,
        null_longest=null_long,
        null_n_long=null_n,
    )
