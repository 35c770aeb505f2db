"""The one declaration of every notebook parameter (``notebooks/parameters.yaml``) and the checks on it.

Each parameter is declared once, with its type, range or allowed values, help text, default and the
notebooks that use it. The report runner checks every value of a run against the declaration before
any notebook starts (:func:`check_values`); a test checks each notebook's ``parameters`` cell against
it; the README's parameter table is rendered from it (:func:`render_table`).

``python -m titfortat.report.parameters table`` prints the table;
``python -m titfortat.report.parameters readme`` rewrites it in README.md between its markers.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from titfortat.paths import repo_root

__all__ = ["ParamSpec", "check_values", "declaration_path", "load_declaration", "render_table", "update_readme"]

TYPES = ("integer", "number", "string", "boolean", "date", "file", "articles", "folder", "list", "mapping")
_KEYS = {"type", "nullable", "min", "max", "choices", "choices_from", "at_least", "at_most", "min_items",
         "items", "default", "help", "notebooks"}
README_BEGIN = "<!-- parameters table: generated from notebooks/parameters.yaml by `make params-table` -->"
README_END = "<!-- end of parameters table -->"


def declaration_path(root: Path | None = None) -> Path:
    """``notebooks/parameters.yaml`` of the repository."""
    return (root or repo_root()) / "notebooks" / "parameters.yaml"


@dataclass(frozen=True)
class ParamSpec:
    """What one parameter may hold. ``items`` describes the elements of a list."""

    name: str
    type: str
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[Any, ...] | None = None
    choices_from: str | None = None
    at_least: str | None = None
    at_most: str | None = None
    min_items: int | None = None
    items: ParamSpec | None = None
    default: Any = None
    help: str = ""
    notebooks: tuple[str, ...] = field(default_factory=tuple)

    def allowed(self, vocab: Mapping[str, Sequence[str]] | None = None) -> str:
        """What is allowed, in words (used in error messages and the README table)."""
        if self.type == "list":
            assert self.items is not None
            what = f"a list of {self.items.allowed(vocab)}"
            if self.min_items:
                what += f" (at least {self.min_items})"
        elif self.choices is not None or self.choices_from:
            options = self.choices if self.choices is not None else tuple((vocab or {}).get(self.choices_from or "", ()))
            what = ("one of " + ", ".join(repr(c) for c in options)) if options else f"a code from the codebook's {self.choices_from}"
        else:
            what = {"integer": "an integer", "number": "a number", "string": "a text", "boolean": "true or false",
                    "date": "an ISO date YYYY-MM-DD", "file": "the path of an existing file",
                    "articles": "an article file, a folder of articles or a glob pattern matching some",
                    "folder": "the path of a report folder",
                    "mapping": "a mapping (checked in full by the notebook's library call)"}[self.type]
            lo, hi = self.min, self.max
            if lo is not None and hi is not None:
                what += f" from {_num(lo)} to {_num(hi)}"
            elif lo is not None:
                what += f" of at least {_num(lo)}"
            elif hi is not None:
                what += f" of at most {_num(hi)}"
        if self.nullable:
            what += ", or null"
        return what


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _spec(name: str, raw: Any, where: str) -> ParamSpec:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: parameter {name!r} must be a mapping of type, help, ...")
    unknown = set(raw) - _KEYS
    if unknown:
        raise ValueError(f"{where}: parameter {name!r} has unknown keys {sorted(unknown)}; allowed: {sorted(_KEYS)}")
    kind = raw.get("type")
    if kind not in TYPES:
        raise ValueError(f"{where}: parameter {name!r} has type {kind!r}; allowed: {', '.join(TYPES)}")
    items = _spec(f"{name}[]", raw["items"], where) if kind == "list" else None
    if kind == "list" and "items" not in raw:
        raise ValueError(f"{where}: list parameter {name!r} needs `items:`")
    choices = raw.get("choices")
    return ParamSpec(
        name=name, type=kind, nullable=bool(raw.get("nullable", False)), min=raw.get("min"), max=raw.get("max"),
        choices=tuple(choices) if choices is not None else None, choices_from=raw.get("choices_from"),
        at_least=raw.get("at_least"), at_most=raw.get("at_most"), min_items=raw.get("min_items"), items=items,
        default=raw.get("default"), help=str(raw.get("help", "")), notebooks=tuple(raw.get("notebooks") or ()),
    )


def load_declaration(path: str | Path | None = None) -> dict[str, ParamSpec]:
    """Parse ``notebooks/parameters.yaml`` into ``{name: ParamSpec}`` (declaration order)."""
    p = Path(path) if path is not None else declaration_path()
    raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"{p.name}: must be a mapping of parameter names to declarations")
    specs = {str(name): _spec(str(name), body, p.name) for name, body in raw.items()}
    for s in specs.values():
        for other in (s.at_least, s.at_most):
            if other is not None and other not in specs:
                raise ValueError(f"{p.name}: parameter {s.name!r} refers to undeclared parameter {other!r}")
    return specs


def codebook_vocabulary() -> dict[str, list[str]]:
    """The vocabularies ``choices_from`` may name: ``actions`` and ``sides`` of the codebook."""
    from titfortat.events.schema import load_codebook

    cb = load_codebook()
    sides = sorted({a["side"] for a in cb.actors.values()}, key=["DPRK", "ALLIANCE", "OTHER"].index)
    return {"actions": list(cb.actions), "sides": sides}


def _type_problem(spec: ParamSpec, value: Any, vocab: Mapping[str, Sequence[str]], root: Path) -> str | None:
    """Why ``value`` does not fit ``spec`` (``None`` when it does); cross-parameter rules are separate."""
    if value is None:
        return None if spec.nullable else "null, not allowed here"
    t = spec.type
    if t == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return "not an integer"
    if t == "number" and (isinstance(value, bool) or not isinstance(value, (int, float)) or
                          (isinstance(value, float) and not math.isfinite(value))):
        return "not a finite number"
    if t == "boolean" and not isinstance(value, bool):
        return "not true or false"
    if t in ("string", "file", "articles", "folder") and not isinstance(value, str):
        return f"not a text ({type(value).__name__})"
    if t in ("file", "articles", "folder") and not value.strip():
        return "an empty path"
    if t == "mapping" and not isinstance(value, Mapping):
        return f"not a mapping ({type(value).__name__})"
    if t == "articles":
        p = Path(value).expanduser()
        p = p if p.is_absolute() else root / p
        if not p.exists() and not any(ch in value for ch in "*?[") :
            return "a path where no file or folder exists"
    if t == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = value.isoformat()
        if not isinstance(value, str):
            return f"not a date ({type(value).__name__})"
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "not a valid date in YYYY-MM-DD form"
        if len(value) != 10:
            return "not a date in YYYY-MM-DD form"
    if t == "file":
        p = Path(value).expanduser()
        p = p if p.is_absolute() else root / p
        if p.is_dir():
            return "a directory, not a file"
        if not p.exists():
            return "a path where no file exists"
    if t == "list":
        if not isinstance(value, (list, tuple)):
            return f"not a list ({type(value).__name__})"
        if spec.min_items and len(value) < spec.min_items:
            return f"a list of {len(value)} elements"
        assert spec.items is not None
        for i, v in enumerate(value):
            why = _type_problem(spec.items, v, vocab, root)
            if why:
                return f"a list whose element {i} ({v!r}) is {why}"
        return None
    if t in ("integer", "number"):
        if spec.min is not None and value < spec.min:
            return f"below {_num(spec.min)}"
        if spec.max is not None and value > spec.max:
            return f"above {_num(spec.max)}"
    options = spec.choices if spec.choices is not None else (vocab.get(spec.choices_from) if spec.choices_from else None)
    if options is not None and value not in options:
        return "not one of the allowed values"
    return None


def _comparable(spec: ParamSpec, value: Any) -> Any:
    return dt.date.fromisoformat(str(value)) if spec.type == "date" else value


def check_values(
    values: Mapping[str, Any],
    specs: Mapping[str, ParamSpec] | None = None,
    *,
    vocab: Mapping[str, Sequence[str]] | None = None,
    root: Path | None = None,
    source: str = "parameters",
) -> list[str]:
    """Check a run's merged parameters against the declaration; return one message per problem.

    ``values`` maps parameter names to the values the notebooks will run with (defaults updated with
    the overrides). Each message names the parameter, the value and what is allowed.
    """
    specs = specs if specs is not None else load_declaration()
    vocab = vocab if vocab is not None else codebook_vocabulary()
    root = root or repo_root()
    problems: list[str] = []
    bad: set[str] = set()
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            problems.append(f"{source}: parameter {name!r} is not declared in notebooks/parameters.yaml")
            bad.add(name)
            continue
        why = _type_problem(spec, value, vocab, root)
        if why:
            problems.append(f"{source}: parameter {name!r} has value {value!r}, which is {why}; "
                            f"allowed: {spec.allowed(vocab)} ({spec.help})")
            bad.add(name)
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None or name in bad or value is None:
            continue
        for other, relation, ok in ((spec.at_least, "before" if spec.type == "date" else "below",
                                     lambda a, b: a >= b),
                                    (spec.at_most, "after" if spec.type == "date" else "above",
                                     lambda a, b: a <= b)):
            if other is None or other in bad or values.get(other) is None:
                continue
            if not ok(_comparable(spec, value), _comparable(specs[other], values[other])):
                problems.append(f"{source}: parameter {name!r} has value {value!r}, which is {relation} "
                                f"{other} = {values[other]!r}; {name} may not be {relation} {other}")
    return problems


def _fmt_default(v: Any) -> str:
    if v is None:
        return "`null`"
    if isinstance(v, str):
        return f"`{v}`"
    if isinstance(v, list):
        return "`[" + ", ".join(str(x) for x in v) + "]`"
    return f"`{v}`"


def render_table(specs: Mapping[str, ParamSpec] | None = None,
                 vocab: Mapping[str, Sequence[str]] | None = None) -> str:
    """The README's Markdown table of every parameter: name, notebooks, default, allowed values, meaning."""
    specs = specs if specs is not None else load_declaration()
    vocab = vocab if vocab is not None else {"sides": ["DPRK", "ALLIANCE", "OTHER"]}
    rows = ["| parameter | notebooks | default | allowed | meaning |", "| --- | --- | --- | --- | --- |"]
    for s in specs.values():
        nbs = ", ".join(n.split("_", 1)[0] for n in s.notebooks)
        allowed = s.allowed(vocab).replace("|", "\\|")
        rows.append(f"| `{s.name}` | {nbs} | {_fmt_default(s.default)} | {allowed} | {s.help.replace('|', chr(92) + '|')} |")
    return "\n".join(rows) + "\n"


def update_readme(readme: Path | None = None) -> bool:
    """Rewrite the table between the README's markers; return True when the file changed."""
    readme = readme or repo_root() / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, sep, rest = text.partition(README_BEGIN)
    _, sep2, tail = rest.partition(README_END)
    if not sep or not sep2:
        raise ValueError(f"{readme.name}: the parameters table markers are missing")
    new = f"{head}{README_BEGIN}\n{render_table()}{README_END}{tail}"
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def _main(argv: list[str]) -> int:
    if argv == ["table"]:
        sys.stdout.write(render_table())
        return 0
    if argv == ["readme"]:
        print("README.md parameters table", "updated" if update_readme() else "already current")
        return 0
    print("usage: python -m titfortat.report.parameters table|readme", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
