"""The events schema: codebook, loading and validation of a tension-cycle events CSV.

This module is the one place where the event schema lives. :func:`load_events` reads a CSV in the
schema of ``data/events.csv``, checks every rule of the codebook (``data/codebook.yaml``) and
either returns a clean, typed DataFrame or raises :class:`EventsError` listing **every** violation
at once, each naming the file, the line, the event_id, the column and the bad value.

The returned frame (the contract every analysis function relies on) has one row per event, sorted by
``(date, event_id)``, index ``0..n-1``:

- ``event_id`` (str, unique), ``actor`` (str), ``action`` (str), ``side`` (``DPRK``, ``ALLIANCE`` or
  ``OTHER``, derived from the actor by the codebook), ``intensity`` (int 1-5, derived by
  :func:`assign_intensity`);
- ``date`` and ``end_date`` (``datetime64[ns]``, KST calendar dates; ``end_date`` equals ``date`` for
  one-day events, never NaT); ``duration_days`` (int, ``end_date - date + 1``);
- every other codebook column as ``str`` (``""`` when blank), plus any extra columns of the file;
  ``date_precision`` is ``"day"`` where the file leaves it blank or lacks the column;
- derived from the optional columns (present even when the file lacks them): ``reported_response``
  (bool, ``reported_response_to`` non-blank); ``scale_troops``, ``scale_aircraft``, ``scale_ships``
  (float64, NaN when not reported) and ``scale_type`` (str, or None when not reported), parsed from
  ``scale``.

Files with only the eight core columns (event_id, date, end_date, actor, action, description, source,
source_url) load unchanged: the optional columns are added blank.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from titfortat.paths import display_path, message_path, repo_root, resolve_path

__all__ = [
    "Codebook",
    "EventsError",
    "Violation",
    "analysis_period",
    "assign_intensity",
    "coverage_by_year",
    "filter_period",
    "load_codebook",
    "load_events",
    "parse_scale",
    "side_of",
]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_RE = re.compile(r"^https?://\S+$")
_MAX_LISTED = 200
_SCALE_NUMERIC = ("troops", "aircraft", "ships")
_SCALE_PAIR_RE = re.compile(r"^(?P<key>[a-z_]+)=(?P<value>.*)$")
_SCALE_INT_RE = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Codebook:
    """The parsed codebook: columns, actors with their side, actions, weapon classes."""

    columns: dict[str, dict[str, Any]]
    actors: dict[str, dict[str, str]]
    actions: dict[str, str]
    weapon_classes: dict[str, str]
    sides: dict[str, str]
    path: str = ""

    @property
    def required_columns(self) -> list[str]:
        """Columns every events file must have."""
        return [c for c, spec in self.columns.items() if spec.get("required")]

    def actor_problem(self, actor: str) -> str | None:
        """Return why ``actor`` is not a valid actor code, or ``None`` when it is."""
        parts = actor.split("+")
        unknown = [p for p in parts if p not in self.actors]
        if unknown:
            return f"unknown actor code {unknown[0]!r} (known: {', '.join(self.actors)})"
        if len(set(parts)) != len(parts):
            return "an actor code is repeated in the combination"
        order = list(self.actors)
        if [order.index(p) for p in parts] != sorted(order.index(p) for p in parts):
            canonical = "+".join(sorted(parts, key=order.index))
            return f"combined actor not in canonical order (write {canonical!r})"
        return None

    def side_of(self, actor: str) -> str:
        """Side of a valid actor code: the actor's side, ALLIANCE for alliance-only combinations,
        DPRK for DPRK alone, OTHER for anything else (mixed or non-alliance combinations)."""
        sides = {self.actors[p]["side"] for p in actor.split("+")}
        if len(sides) == 1:
            return sides.pop()
        return "OTHER"


@lru_cache(maxsize=8)
def _load_codebook_cached(path: str) -> Codebook:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return Codebook(
        columns=dict(raw["columns"]),
        actors=dict(raw["actors"]),
        actions=dict(raw["actions"]),
        weapon_classes=dict(raw["weapon_classes"]),
        sides=dict(raw["sides"]),
        path=display_path(path),
    )


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load the codebook (default ``data/codebook.yaml`` of the repository)."""
    p = resolve_path(path) if path is not None else repo_root() / "data" / "codebook.yaml"
    assert p is not None
    return _load_codebook_cached(str(p))


def side_of(actor: str, codebook: Codebook | None = None) -> str:
    """Side (``DPRK``, ``ALLIANCE`` or ``OTHER``) of a valid actor code."""
    return (codebook or load_codebook()).side_of(actor)


@dataclass(frozen=True)
class Violation:
    """One broken rule: where (file, line, event_id, column), what value, and why."""

    file: str
    line: int | None
    event_id: str | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line is not None else "")
        parts = [where]
        if self.event_id:
            parts.append(f"event_id {self.event_id!r}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return ": ".join([", ".join(parts), self.message])


@dataclass
class EventsError(ValueError):
    """An events file broke the schema. ``violations`` lists every problem found."""

    file: str
    violations: list[Violation] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.violations)
        head = f"{self.file}: {n} schema violation{'s' if n != 1 else ''}"
        shown = [f"  - {v}" for v in self.violations[:_MAX_LISTED]]
        if n > _MAX_LISTED:
            shown.append(f"  ... and {n - _MAX_LISTED} more")
        return "\n".join([head, *shown])


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.end]
        raise EventsError(
            name,
            [Violation(name, line, None, None, repr(bad)[2:-1], f"file is not UTF-8 text ({exc.reason} at byte {exc.start})")],
        ) from None


def _read_records(text: str, name: str) -> tuple[list[str], list[list[str]], list[int], list[Violation]]:
    """Parse CSV text into header, records and the line each record starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Violation] = []
    header: list[str] | None = None
    header_line = 1
    records: list[list[str]] = []
    lines: list[int] = []
    prev_end = 0
    try:
        for row in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if header is None:
                header, header_line = [c.strip() for c in row], start
                continue
            records.append([c.strip() for c in row])
            lines.append(start)
    except csv.Error as exc:
        problems.append(Violation(name, reader.line_num, None, None, None, f"CSV syntax error: {exc}"))
    if header is None:
        raise EventsError(name, [Violation(name, None, None, None, None, "file is empty: no header and no events")])
    dupes = sorted({c for c in header if header.count(c) > 1})
    for c in dupes:
        problems.append(Violation(name, header_line, None, c, None, "column appears more than once in the header"))
    return header, records, lines, problems


def _mask_violations(
    frame: pd.DataFrame, mask: pd.Series | np.ndarray, column: str, message: str, name: str
) -> list[Violation]:
    rows = frame.loc[np.asarray(mask, dtype=bool)]
    return [
        Violation(name, int(line), eid or None, column, str(val), message)
        for line, eid, val in zip(rows["_line"], rows["event_id"], rows[column], strict=True)
    ]


def _check_frame(frame: pd.DataFrame, cb: Codebook, name: str) -> list[Violation]:
    """Every row-level rule of the codebook, vectorized per column; returns all violations."""
    out: list[Violation] = []
    for col, spec in cb.columns.items():
        if col not in frame:
            continue
        values = frame[col]
        blank = values.eq("")
        if spec.get("required"):
            out += _mask_violations(frame, blank, col, "required value is blank", name)
        kind = spec.get("type")
        if kind == "date":
            parsed = pd.to_datetime(values.where(values.str.match(_DATE_RE), None), format="%Y-%m-%d", errors="coerce")
            out += _mask_violations(frame, ~blank & parsed.isna(), col, "not a valid date in YYYY-MM-DD form", name)
        elif kind == "actor":
            problems = {a: cb.actor_problem(a) for a in values[~blank].unique()}
            for actor, problem in sorted((a, p) for a, p in problems.items() if p):
                out += _mask_violations(frame, values.eq(actor), col, problem, name)
        elif kind == "action":
            bad = ~blank & ~values.isin(list(cb.actions))
            out += _mask_violations(frame, bad, col, f"unknown action (known: {', '.join(cb.actions)})", name)
        elif kind == "weapon_class":
            bad = ~blank & ~values.isin(list(cb.weapon_classes))
            out += _mask_violations(frame, bad, col, f"unknown weapon class (known: {', '.join(cb.weapon_classes)})", name)
            if "action" in frame:
                misplaced = ~blank & frame["action"].ne("missile_launch")
                out += _mask_violations(frame, misplaced, col, "weapon_class is only for action missile_launch", name)
        elif kind == "url":
            bad = ~blank & ~values.str.match(_URL_RE)
            out += _mask_violations(frame, bad, col, "not an http(s) URL", name)
        elif kind == "id":
            out += _mask_violations(frame, ~blank & values.str.contains(r"\s", regex=True), col, "event_id contains white space", name)
            dup = ~blank & values.duplicated(keep=False)
            if dup.any():
                first_line = frame.loc[dup].groupby("event_id")["_line"].transform("min")
                for line, eid, first in zip(frame.loc[dup, "_line"], frame.loc[dup, "event_id"], first_line, strict=True):
                    if line != first:
                        out.append(Violation(name, int(line), eid, col, eid, f"duplicate event_id (first used on line {first})"))
        elif kind == "choice":
            allowed = [str(v) for v in spec.get("values", [])]
            bad = ~blank & ~values.isin(allowed)
            out += _mask_violations(frame, bad, col, f"not an allowed value (allowed: {', '.join(allowed)}; blank means {allowed[0]})", name)
        elif kind == "scale":
            out += _check_scale(frame, col, spec, name)
        elif kind == "event_refs":
            out += _check_refs(frame, col, cb, name)
    if {"date", "end_date"} <= set(frame.columns):
        start = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
        end = pd.to_datetime(frame["end_date"], format="%Y-%m-%d", errors="coerce")
        out += _mask_violations(frame, (end < start).to_numpy(), "end_date", "end_date is before date", name)
    return out


def _scale_pairs(values: pd.Series) -> pd.DataFrame:
    """One row per ``key=value`` item of non-blank scale cells: columns ``row`` (index label), ``item``,
    ``key`` and ``value`` (``key`` NaN where the item is not of the form key=value)."""
    items = values[values.ne("")].str.split(";").explode()
    items = items.str.strip()
    parts = items.str.extract(_SCALE_PAIR_RE)
    return pd.DataFrame({"row": items.index, "item": items.to_numpy(), "key": parts["key"].to_numpy(), "value": parts["value"].to_numpy()})


def _check_scale(frame: pd.DataFrame, col: str, spec: dict[str, Any], name: str) -> list[Violation]:
    """``scale`` cells: known keys once each, non-negative integers, an allowed type, joint_exercise rows only."""
    out: list[Violation] = []
    values = frame[col]
    blank = values.eq("")
    if blank.all():
        return out
    keys = [str(k) for k in spec.get("keys", [*_SCALE_NUMERIC, "type"])]
    types = [str(v) for v in spec.get("values", [])]
    form = "; form is 'troops=N;aircraft=N;ships=N;type=T' with only the keys reported"
    if "action" in frame:
        misplaced = ~blank & frame["action"].ne("joint_exercise")
        out += _mask_violations(frame, misplaced, col, "scale is only for action joint_exercise", name)
    pairs = _scale_pairs(values)
    bad_row = pd.Series("", index=frame.index, dtype=object)

    def flag(mask: pd.Series, message: str) -> None:
        for row in pairs.loc[mask.to_numpy(), "row"].unique():
            if not bad_row[row]:
                bad_row[row] = message

    flag(pairs["key"].isna(), f"every item must be key=value{form}")
    flag(pairs["key"].notna() & ~pairs["key"].isin(keys), f"unknown key (allowed keys: {', '.join(keys)}){form}")
    flag(pairs.duplicated(["row", "key"], keep=False) & pairs["key"].notna(), f"a key appears more than once{form}")
    numeric = pairs["key"].isin(list(_SCALE_NUMERIC))
    flag(numeric & ~pairs["value"].fillna("").str.match(_SCALE_INT_RE), "troops, aircraft and ships must be whole numbers without separators (e.g. troops=12000)")
    flag(pairs["key"].eq("type") & ~pairs["value"].isin(types), f"type must be one of: {', '.join(types)}")
    rows = bad_row[bad_row.ne("")]
    for idx, message in rows.items():
        out.append(Violation(name, int(frame.at[idx, "_line"]), frame.at[idx, "event_id"] or None, col, str(values[idx]), message))
    return out


def _check_refs(frame: pd.DataFrame, col: str, cb: Codebook, name: str) -> list[Violation]:
    """``reported_response_to``: each ';'-separated id exists in the file, belongs to the other side
    (DPRK vs non-DPRK) and does not start after the row. Vectorized over the exploded references."""
    values = frame[col]
    if values.eq("").all():
        return []
    exploded = values[values.ne("")].str.split(";").explode().str.strip()
    refs = pd.DataFrame({"row": exploded.index.to_numpy(), "ref": exploded.to_numpy(dtype=object)})
    first_row = pd.Series(frame.index.to_numpy(), index=frame["event_id"].to_numpy())
    first_row = first_row[~first_row.index.duplicated(keep="first")]
    refs["target"] = refs["ref"].map(first_row)
    sides = {a: (cb.side_of(a) if cb.actor_problem(a) is None else "") for a in frame["actor"].unique()}
    side = frame["actor"].map(sides)
    date = pd.to_datetime(frame["date"].where(frame["date"].str.match(_DATE_RE), None), format="%Y-%m-%d", errors="coerce")
    found = refs["target"].notna()
    tgt = refs["target"].fillna(refs["row"]).astype("int64").to_numpy()
    own = side.loc[refs["row"]].to_numpy(dtype=object)
    other = side.loc[tgt].to_numpy(dtype=object)
    known = (own != "") & (other != "")
    wrong_side = found.to_numpy() & known & ((own == other) | ((own != "DPRK") & (other != "DPRK")))
    later = found.to_numpy() & ~wrong_side & (date.loc[tgt].to_numpy() > date.loc[refs["row"]].to_numpy())
    empty = refs["ref"].eq("").to_numpy()
    missing = ~found.to_numpy() & ~empty
    twice = refs.duplicated(["row", "ref"]).to_numpy() & ~empty
    messages = np.select(
        [empty, missing, wrong_side, later, twice],
        [
            "empty item (write event_ids separated by ';' with nothing between two ';')",
            "event_id {ref!r} does not exist in the file (allowed: event_ids of rows of the other side in this file)",
            "event_id {ref!r} is on side {other}; a row on side {own} may answer only {allowed}",
            "event_id {ref!r} starts after this row ({tdate}); a response cannot precede the action it answers",
            "event_id {ref!r} is listed twice",
        ],
        default="",
    )
    out: list[Violation] = []
    for i in np.flatnonzero(messages != ""):
        row, ref = refs.at[i, "row"], refs.at[i, "ref"]
        msg = str(messages[i]).format(
            ref=ref, own=own[i], other=other[i], tdate=frame.at[tgt[i], "date"],
            allowed="ALLIANCE or OTHER rows" if own[i] == "DPRK" else "DPRK rows",
        )
        out.append(Violation(name, int(frame.at[row, "_line"]), frame.at[row, "event_id"] or None, col, str(values[row]), msg))
    return out


def parse_scale(values: pd.Series) -> pd.DataFrame:
    """Parse validated ``scale`` cells into ``scale_troops``, ``scale_aircraft``, ``scale_ships`` (float64,
    NaN when absent) and ``scale_type`` (str or None), aligned on ``values``' index."""
    pairs = _scale_pairs(values.fillna("").astype(str))
    out = pd.DataFrame(index=values.index)
    for key in _SCALE_NUMERIC:
        sel = pairs[pairs["key"].eq(key)]
        out[f"scale_{key}"] = pd.Series(pd.to_numeric(sel["value"]).to_numpy(dtype="float64"), index=sel["row"].to_numpy()).reindex(values.index)
    sel = pairs[pairs["key"].eq("type")]
    typ = pd.Series(sel["value"].to_numpy(dtype=object), index=sel["row"].to_numpy(), dtype=object).reindex(values.index)
    out["scale_type"] = typ.astype(object).where(typ.notna(), None)
    return out


def assign_intensity(events: pd.DataFrame) -> pd.Series:
    """Ordinal intensity 1-5 by the codebook's written rule (first matching rule wins).

    5 nuclear_test; 4 missile_launch of class ICBM/IRBM, or satellite_launch; 3 any other
    missile_launch, strategic_asset_deployment, artillery_fire, troop_deployment, sanctions;
    2 joint_exercise, military_drill, weapons_test, military_parade, suspension; 1 everything else.
    """
    action = events["action"].to_numpy(dtype=object)
    wclass = events["weapon_class"].to_numpy(dtype=object) if "weapon_class" in events else np.full(len(events), "", dtype=object)
    conditions = [
        action == "nuclear_test",
        ((action == "missile_launch") & np.isin(wclass, ["ICBM", "IRBM"])) | (action == "satellite_launch"),
        np.isin(action, ["missile_launch", "strategic_asset_deployment", "artillery_fire", "troop_deployment", "sanctions"]),
        np.isin(action, ["joint_exercise", "military_drill", "weapons_test", "military_parade", "suspension"]),
    ]
    return pd.Series(np.select(conditions, [5, 4, 3, 2], default=1).astype("int64"), index=events.index, name="intensity")


def load_events(path: str | Path, codebook: Codebook | None = None) -> pd.DataFrame:
    """Load and validate an events CSV in the schema of ``data/events.csv``.

    Parameters
    ----------
    path
        The CSV file; a relative path is resolved from the repository root.
    codebook
        The codebook to enforce (default: ``data/codebook.yaml``).

    Returns
    -------
    DataFrame
        The typed events frame described in the module docstring.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    EventsError
        When anything breaks the schema; ``str(error)`` lists every violation with file, line,
        event_id, column and value.
    """
    cb = codebook or load_codebook()
    p = resolve_path(path)
    assert p is not None
    name = message_path(p)
    if not p.is_file():
        raise FileNotFoundError(f"{name}: events file not found (looked for {name}); pass events_path=... to a CSV in the schema of data/events.csv")
    text = _decode(p.read_bytes(), name)
    if not text.strip():
        raise EventsError(name, [Violation(name, None, None, None, None, "file is empty: no header and no events")])
    header, records, lines, problems = _read_records(text, name)
    missing = [c for c in cb.required_columns if c not in header]
    for c in missing:
        problems.append(Violation(name, 1, None, c, None, "required column is missing from the header"))
    if not records:
        problems.append(Violation(name, None, None, None, None, "the file has a header but no event rows"))
    good: list[list[str]] = []
    good_lines: list[int] = []
    for rec, line in zip(records, lines, strict=True):
        if len(rec) != len(header):
            eid = rec[header.index("event_id")] if "event_id" in header and header.index("event_id") < len(rec) else None
            problems.append(Violation(name, line, eid, None, None, f"row has {len(rec)} fields, the header has {len(header)}"))
        else:
            good.append(rec)
            good_lines.append(line)
    if missing or not records:
        raise EventsError(name, problems)
    frame = pd.DataFrame(good, columns=header, dtype=str)
    for col in cb.columns:
        if col not in frame:
            frame[col] = ""
    frame["_line"] = good_lines
    problems += _check_frame(frame, cb, name)
    if problems:
        problems.sort(key=lambda v: (v.line or 0, v.column or ""))
        raise EventsError(name, problems)
    return _typed(frame, cb)


def _typed(frame: pd.DataFrame, cb: Codebook) -> pd.DataFrame:
    out = frame.drop(columns="_line")
    out["date"] = pd.to_datetime(out["date"], format="%Y-%m-%d").astype("datetime64[ns]")
    end = pd.to_datetime(out["end_date"].replace("", None), format="%Y-%m-%d").astype("datetime64[ns]")
    out["end_date"] = end.fillna(out["date"])
    out["duration_days"] = ((out["end_date"] - out["date"]).dt.days + 1).astype("int64")
    sides = {a: cb.side_of(a) for a in out["actor"].unique()}
    out["side"] = out["actor"].map(sides).astype(str)
    out["intensity"] = assign_intensity(out)
    if "date_precision" in out:
        out["date_precision"] = out["date_precision"].replace("", "day")
    derived = ["side", "intensity", "duration_days"]
    if "reported_response_to" in out:
        out["reported_response"] = out["reported_response_to"].ne("")
        derived.append("reported_response")
    if "scale" in out:
        scale = parse_scale(out["scale"])
        for c in scale.columns:
            out[c] = scale[c]
        derived += list(scale.columns)
    ordered = [c for c in cb.columns if c in out] + derived
    ordered += [c for c in out.columns if c not in ordered]
    out = out[ordered].sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    return out


def analysis_period(
    events: pd.DataFrame, start: str | pd.Timestamp | None = None, end: str | pd.Timestamp | None = None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The inclusive period ``[start, end]`` an analysis covers.

    ``None`` means the whole calendar years the data span: 1 January of the first event's year to
    31 December of the last event's year (or of its ``end_date``).
    """
    lo = pd.Timestamp(start) if start is not None else pd.Timestamp(year=events["date"].min().year, month=1, day=1)
    hi = pd.Timestamp(end) if end is not None else pd.Timestamp(year=events["end_date"].max().year, month=12, day=31)
    if hi < lo:
        raise ValueError(f"end {hi.date()} is before start {lo.date()}")
    return lo, hi


def filter_period(
    events: pd.DataFrame,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    *,
    sides: Iterable[str] | None = None,
    actions: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Events whose ``date`` lies in ``[start, end]`` (``None``: open), optionally of some sides or actions."""
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["date"] >= pd.Timestamp(start)
    if end is not None:
        keep &= events["date"] <= pd.Timestamp(end)
    if sides is not None:
        keep &= events["side"].isin(list(sides))
    if actions is not None:
        keep &= events["action"].isin(list(actions))
    return events.loc[keep].reset_index(drop=True)


def coverage_by_year(events: pd.DataFrame) -> pd.DataFrame:
    """Rows per calendar year (of ``date``) and side, plus DPRK missile-launch days.

    Returns a frame indexed by ``year`` (int) with integer columns ``DPRK``, ``ALLIANCE``, ``OTHER``,
    ``total`` and ``dprk_launch_days`` (distinct dates of DPRK ``missile_launch`` rows); every year from the
    first to the last event appears, with zeros where there is nothing.
    """
    year = events["date"].dt.year.rename("year")
    counts = pd.crosstab(year, events["side"]).reindex(columns=["DPRK", "ALLIANCE", "OTHER"], fill_value=0)
    launches = events["side"].eq("DPRK") & events["action"].eq("missile_launch")
    days = events.loc[launches, "date"].groupby(year[launches]).nunique()
    years = pd.RangeIndex(int(year.min()), int(year.max()) + 1, name="year") if len(events) else pd.RangeIndex(0, name="year")
    out = counts.reindex(years, fill_value=0)
    out["total"] = out[["DPRK", "ALLIANCE", "OTHER"]].sum(axis=1)
    out["dprk_launch_days"] = days.reindex(years, fill_value=0)
    out.columns.name = None
    return out.astype("int64")


def render_codebook_markdown(codebook: Codebook | None = None) -> str:
    """The readable codebook (``data/CODEBOOK.md``), rendered from ``data/codebook.yaml``.

    A test checks the committed file equals this rendering, so the two never drift apart.
    """
    cb = codebook or load_codebook()
    with open(repo_root() / "data" / "codebook.yaml", encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    lines = [
        "# Codebook of `data/events.csv`",
        "",
        "Generated from `data/codebook.yaml` by `titfortat.events.schema.render_codebook_markdown()`; edit the YAML,",
        "then regenerate this file (`make codebook`). The loader `titfortat.events.schema.load_events` enforces every rule here.",
        "",
        "**Dates are KST (UTC+9) calendar dates.** A launch at 07:00 KST on 3 November is dated 2022-11-03 even where",
        "US outlets dated it 2 November. UN Security Council votes and other announcements in Washington or New York are",
        "dated by the KST calendar day in which they happened when the time of day was reported (the notes column gives the",
        "local date); otherwise the local date is kept and `date_precision` is `+-1 day`.",
        "",
        "## Columns",
        "",
        "| column | required | type | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for col, spec in cb.columns.items():
        lines.append(f"| `{col}` | {'yes' if spec.get('required') else 'no'} | {spec.get('type')} | {spec.get('description', '')} |")
    lines += ["", "Derived by the loader: `side` (from the actor), `intensity` (rule below), `duration_days`; from the optional",
              "columns (present even when a file lacks them): `reported_response` (bool: `reported_response_to` is not blank),",
              "`scale_troops`, `scale_aircraft`, `scale_ships` (numbers, NaN when not reported) and `scale_type` (None when not",
              "reported), parsed from `scale`. A blank `date_precision` is returned as `day`.", ""]
    rules = [(c, spec) for c, spec in raw["columns"].items() if spec.get("rule")]
    if rules:
        lines += ["## Filling rules of the optional columns", ""]
        for col, spec in rules:
            allowed = f" Allowed values: {', '.join(f'`{v}`' for v in spec['values'])}." if spec.get("values") else ""
            if spec.get("keys"):
                allowed = f" Keys: {', '.join(f'`{k}`' for k in spec['keys'])}; `type` values: {', '.join(f'`{v}`' for v in spec.get('values', []))}."
            lines += [f"- **`{col}`**: {' '.join(str(spec['rule']).split())}{allowed}", ""]
    lines += ["## Actors and sides", "", "| code | name | side |", "| --- | --- | --- |"]
    for code, spec in cb.actors.items():
        lines.append(f"| `{code}` | {spec['name']} | {spec['side']} |")
    lines += ["", "Combined actors join codes with `+` in the order of this table (`US+ROK`, `US+ROK+JP`, `DPRK+RU`).", ""]
    lines += [f"- **{side}**: {text}" for side, text in cb.sides.items()]
    lines += ["", "## Actions", "", "| action | definition |", "| --- | --- |"]
    lines += [f"| `{a}` | {d} |" for a, d in cb.actions.items()]
    lines += ["", "## Weapon classes (`missile_launch` only)", "", "| class | definition |", "| --- | --- |"]
    lines += [f"| `{w}` | {d} |" for w, d in cb.weapon_classes.items()]
    lines += ["", "## Intensity", "", raw["intensity"]["description"].strip(), ""]
    lines += [f"{i}. intensity **{r['intensity']}** when {r['when']}" for i, r in enumerate(raw["intensity"]["rules"], 1)]
    return "\n".join(lines) + "\n"
