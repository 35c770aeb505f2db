"""Dictionary-based event coder for news articles (in the spirit of CAMEO/TABARI/PETRARCH).

The coder reads two dictionaries a researcher can extend without touching code:
``data/dictionaries/actors.yaml`` (phrases -> actor codes) and
``data/dictionaries/actions.yaml`` (regular expressions -> codebook actions). It splits the
text into sentences and, for each sentence and each action found, emits one item.

Actor attribution heuristic (documented, deterministic)
--------------------------------------------------------
Actor mentions are found by longest-phrase dictionary matching. Mentions joined only by
"and", "-", "/" or "," are merged ("Washington and Seoul" -> ``US+ROK``). Each mention gets
a role:

* **participant** - introduced by "joined by", "accompanied by", "alongside", "with",
  "attended by", "together with", "including", or followed by "'s presence", "attended",
  "in attendance", "as a guest" (Shoigu at a parade); a mention coordinated with a
  participant ("joined by Shoigu and a Chinese official") is one too;
* **target** - just after "target", "against", "toward(s)", "at", "into", "counter",
  "threat to", "invasion of", "reach", "sanctions on" (missiles "designed to target
  South Korea", "sanctions on North Korean officials");
* **source** - a news agency, a mention directly followed by a verb of saying ("KCNA
  said", "Cheong said"), or introduced by "according to";
* **pronoun** - "he", "his", "they", "its" ... (see below);
* **agent** - every other mention.

A dateline ("SEOUL, South Korea (AP) --") is removed before coding.

For an action phrase the actor is, in order: the actor of the latest item of the same
action family when the phrase is anaphoric ("such drills", "these launches"); an
adjectival mention inside the phrase ("joint U.S.-South Korea drills", "North Korean
missile launch"); the agent of a passive "by X" or a postmodifier "of X" right after
the phrase; the nearest agent to the left of the phrase (the grammatical subject in
English news syntax); a pronoun to the left (-> a speaker named earlier in the same
sentence, "X said their drills ...", else the previous sentence's subject); the
nearest agent to the right; a source; a weak dictionary entry ("allies", "combined");
the action's ``default_actor``; the previous sentence's subject; a participant. A
pattern with ``requires_actor`` is dropped when the actor found is not listed. A ``military_drill``
whose actor combines two or more countries becomes a ``joint_exercise``.

Participants are the other actor codes named in the sentence, except targets and the
actors of the sentence's other actions (unless those are marked participants).

Dates: each non-report date phrase of the sentence (see :mod:`titfortat.text.dates`) is
given to the nearest action phrase; when the sentence has one date phrase and it leads
the sentence, separated from the first action by a comma ("On Monday, ..."), it is shared
by all actions. One item per sentence and action: a later phrase of the same action only
fills a missing date or actor, unless it has another actor and lies in another clause
(then it is an item of its own). Actions without a date keep ``start = end = None``.

Negation: "not", "never", "no", "denied", "without", "did not", "refused to" ... within
six words before the action phrase in the same clause (or "failed to adopt/pass/..."),
or a denial verb ("denied", "rejected") anywhere earlier in the sentence. Hedging: "may", "might", "could", "would", "possible", "suspicions", "planned",
"planning", "expected", "likely", "prepare(d) for", "will", "agreed to", "later this month" ...
within eight words before or six after the phrase in the same clause, or a date
phrase that lies after publication (planned and future events are kept, marked hedged).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from titfortat.text.dates import DateMatch, find_dates

__all__ = [
    "Dictionaries",
    "CodedItem",
    "load_dictionaries",
    "split_sentences",
    "side_of",
    "canonical_actor",
    "code_text",
    "items_frame",
    "ITEM_COLUMNS",
]

ITEM_COLUMNS = [
    "actor", "side", "action", "start", "end", "sentence", "sentence_index", "date_text",
    "negated", "hedged", "participants", "matched_event_ids",
]


# --------------------------------------------------------------------------------------
# Dictionaries
# --------------------------------------------------------------------------------------
def _dictionary_dir() -> Path:
    from titfortat.paths import repo_root

    return repo_root() / "data" / "dictionaries"


def _codebook_path() -> Path:
    from titfortat.paths import repo_root

    return repo_root() / "data" / "codebook.yaml"


@dataclass(frozen=True)
class _ActorPattern:
    regex: re.Pattern[str]
    code: str
    kind: str  # person/title/institution/media/country/demonym/capital/combination/weak/pronoun


@dataclass(frozen=True)
class _ActionPattern:
    action: str
    priority: int
    regex: re.Pattern[str]
    context: re.Pattern[str] | None = None
    context_sentences: int = 0
    requires_actor: tuple[str, ...] = ()
    default_actor: str | None = None
    requires_other_actor: bool = False


@dataclass(frozen=True)
class Dictionaries:
    """Compiled actor and action dictionaries plus the codebook's actor order and sides.

    Build with :func:`load_dictionaries`.
    """

    actor_patterns: tuple[_ActorPattern, ...]
    action_patterns: tuple[_ActionPattern, ...]
    families: dict[str, tuple[str, ...]]
    suppresses: dict[str, frozenset[str]]
    actor_order: tuple[str, ...]
    actor_sides: dict[str, str]


_SECTION_KIND = {
    "people": "person", "titles": "title", "institutions": "institution", "media": "media",
    "countries": "country", "demonyms": "demonym", "capitals": "capital",
}


def _phrase_regex(phrase: str, ignore_case: bool) -> re.Pattern[str]:
    body = re.escape(phrase.strip()).replace(r"\ ", r"\s+")
    body = re.sub("['\u2019]", lambda _: "['\u2019]", body)  # straight and curly apostrophes alike
    if body.startswith("the") and not ignore_case:
        body = "[Tt]he" + body[3:]
    # a word boundary is only meaningful next to a word character ("U.S." ends with a dot)
    left = r"(?<![\w.\-])" if phrase[:1].isalnum() else ""
    right = r"(?:['\u2019]s)?(?![\w])" if phrase[-1:].isalnum() else r"(?!\w)"
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(left + body + right, flags)


def _expand_action_regex(rx: str) -> str:
    rx = re.sub(r"\{g(\d+)\}", lambda m: r"(?:[\w'\u2019.,\-]+\s+){0," + m.group(1) + r"}?", rx)
    launch = (r"launch(?:ed|es|ing)?(?!\s*[- ]?(?:vehicles?|pads?|trucks?|sites?|platforms?|systems?|"
              r"capabilit\w*|facilit\w*|tubes?|er))")
    return rx.replace("{launch}", launch)


@lru_cache(maxsize=8)
def _load_dictionaries_cached(actors_path: str, actions_path: str, codebook_path: str,
                              _mtimes: tuple[float, ...] = ()) -> Dictionaries:
    with open(codebook_path, encoding="utf-8") as fh:
        codebook = yaml.safe_load(fh)
    actor_order = tuple(codebook["actors"])
    actor_sides = {k: v["side"] for k, v in codebook["actors"].items()}
    vocab = set(codebook["actions"])

    with open(actors_path, encoding="utf-8") as fh:
        actors = yaml.safe_load(fh)
    entries: list[tuple[str, str, str, bool]] = []  # phrase, code, kind, ignorecase
    for key, spec in (actors.get("actors") or {}).items():
        code = spec.get("code", key)
        for section, kind in _SECTION_KIND.items():
            for phrase in spec.get(section, []) or []:
                entries.append((str(phrase), code, spec.get("kind", kind), False))
    for code, phrases in (actors.get("combinations") or {}).items():
        for phrase in phrases:
            entries.append((str(phrase), code, "combination", False))
    for code, phrases in (actors.get("weak") or {}).items():
        for phrase in phrases:
            entries.append((str(phrase), code, "weak", True))
    for phrase in actors.get("pronouns") or []:
        entries.append((str(phrase), "", "pronoun", True))
    for _, code, _, _ in entries:
        for part in filter(None, code.split("+")):
            if part not in actor_order:
                raise ValueError(f"{actors_path}: actor code {code!r} is not in the codebook")
    entries.sort(key=lambda e: (-len(e[0]), e[0]))
    actor_patterns = tuple(_ActorPattern(_phrase_regex(p, ic), c, k) for p, c, k, ic in entries)

    with open(actions_path, encoding="utf-8") as fh:
        actions = yaml.safe_load(fh)
    pats: list[_ActionPattern] = []
    families: dict[str, tuple[str, ...]] = {}
    suppresses: dict[str, frozenset[str]] = {}
    for action, spec in (actions.get("actions") or {}).items():
        if action not in vocab:
            raise ValueError(f"{actions_path}: action {action!r} is not in the codebook vocabulary")
        families[action] = tuple(spec.get("family") or [action])
        suppresses[action] = frozenset(spec.get("suppresses") or ())
        for other in (*families[action], *suppresses[action]):
            if other not in vocab:
                raise ValueError(f"{actions_path}: {action}: {other!r} is not in the codebook vocabulary")
        for p in spec.get("patterns") or []:
            ctx = p.get("context")
            pats.append(_ActionPattern(
                action=action,
                priority=int(spec.get("priority", 50)),
                regex=re.compile(_expand_action_regex(p["regex"]), re.IGNORECASE),
                context=re.compile(_expand_action_regex(ctx), re.IGNORECASE) if ctx else None,
                context_sentences=int(p.get("context_sentences", 0)),
                requires_actor=tuple(p.get("requires_actor") or ()),
                default_actor=p.get("default_actor"),
                requires_other_actor=bool(p.get("requires_other_actor", False)),
            ))
    return Dictionaries(actor_patterns, tuple(pats), families, suppresses, actor_order, actor_sides)


def load_dictionaries(
    actors_path: str | Path | None = None,
    actions_path: str | Path | None = None,
    codebook_path: str | Path | None = None,
) -> Dictionaries:
    """Load and compile the coder dictionaries (cached per set of paths and their mtimes).

    Parameters
    ----------
    actors_path, actions_path : path, optional
        Default ``data/dictionaries/actors.yaml`` and ``actions.yaml`` of the repository.
    codebook_path : path, optional
        Default ``data/codebook.yaml``; gives the actor order and sides.

    Returns
    -------
    Dictionaries
    """
    d = _dictionary_dir()
    paths = (
        str(Path(actors_path) if actors_path else d / "actors.yaml"),
        str(Path(actions_path) if actions_path else d / "actions.yaml"),
        str(Path(codebook_path) if codebook_path else _codebook_path()),
    )
    # the modification times are part of the cache key: an edited dictionary is re-read
    mtimes = tuple(Path(p).stat().st_mtime if Path(p).exists() else 0.0 for p in paths)
    return _load_dictionaries_cached(*paths, mtimes)


def canonical_actor(codes: list[str] | set[str] | tuple[str, ...], order: tuple[str, ...]) -> str:
    """Join actor codes with '+' in codebook order (duplicates removed)."""
    parts = {p for c in codes for p in c.split("+") if p}
    rank = {c: i for i, c in enumerate(order)}
    return "+".join(sorted(parts, key=lambda c: (rank.get(c, len(rank)), c)))


def side_of(actor: str | None, sides: dict[str, str] | None = None) -> str | None:
    """Side of an actor code per the codebook.

    DPRK alone -> ``"DPRK"``; any combination of US, ROK, JP -> ``"ALLIANCE"``; anything else
    (including mixes with DPRK) -> ``"OTHER"``; ``None`` for no actor.
    """
    if not actor:
        return None
    if sides is None:
        sides = load_dictionaries().actor_sides
    parts = actor.split("+")
    if parts == ["DPRK"]:
        return "DPRK"
    if all(sides.get(p) == "ALLIANCE" for p in parts):
        return "ALLIANCE"
    return "OTHER"


# --------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------
_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "cmdr", "gov",
    "sen", "rep", "pres", "jr", "sr", "st", "no", "vs", "etc", "inc", "corp", "co", "ltd",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "approx", "est", "fig",
    "u.s", "u.n", "u.k", "e.u", "u.s.a", "d.c", "a.m", "p.m", "e.g", "i.e", "n", "s", "rev",
}
# words that start a new sentence after "U.S." (otherwise "U.S. Forces" would be split)
_STARTERS = {
    "the", "it", "he", "she", "they", "we", "but", "however", "this", "that", "in", "on", "a",
    "an", "its", "his", "their", "north", "south", "meanwhile", "earlier", "later", "last",
    "kim", "i", "there", "after", "since", "while", "when", "as", "officials", "some",
}
_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences.

    Paragraph breaks (blank lines) always end a sentence. Within a paragraph a sentence
    ends at ``.``, ``!`` or ``?`` (plus closing quotes) followed by a capital or digit,
    except after abbreviations ("U.S.", "Aug.", "Gen.", "Jr.", "No."), single initials
    ("Kim J. Un") and decimal numbers; after "U.S." or "U.N." a split happens only when
    the next word is a usual sentence opener ("The", "It", "North" ...).
    """
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        para = re.sub(r"\s+", " ", para).strip()
        if not para:
            continue
        start = 0
        for m in _BOUNDARY.finditer(para):
            cut = m.start()
            before = para[start:cut + 1]
            token = re.search(r"(\S+)$", before)
            word = token.group(1).rstrip(".!?\"'\u201d\u2019)]").lower() if token else ""
            word = word.lstrip("(\"'\u201c\u2018")
            nxt = para[m.end():].split(" ", 1)[0].strip("\"'\u201c\u2018(").lower()
            if para[cut] == ".":
                if word in ("u.s", "u.n", "u.k", "e.u"):
                    if nxt not in _STARTERS:
                        continue
                elif word in _ABBREV or re.fullmatch(r"[a-z]", word) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
                    continue
            out.append(para[start:m.end()].strip())
            start = m.end()
        rest = para[start:].strip()
        if rest:
            out.append(rest)
    return out


# --------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------
@dataclass
class _Mention:
    start: int
    end: int
    code: str
    kind: str
    role: str = "agent"


_PARTICIPANT_BEFORE = re.compile(
    r"\b(?:joined\s+by|accompanied\s+by|alongside|attended\s+by|together\s+with|along\s+with|with|"
    r"hosted|hosting|welcomed|guests?\s+(?:including|such\s+as)|including|and\s+(?:was|were)\s+joined\s+by)"
    r"\s+(?:the\s+|a\s+|an\s+|visiting\s+|top\s+|senior\s+)?$",
    re.IGNORECASE,
)
_PARTICIPANT_AFTER = re.compile(
    r"^(?:['\u2019]s)?\s*(?:presence|attended|attending|attendance|was\s+present|were\s+present|"
    r"as\s+(?:a\s+)?guests?|in\s+attendance)",
    re.IGNORECASE,
)
_TARGET_BEFORE = re.compile(
    r"\b(?:(?:target(?:s|ed|ing)?|against|toward|towards|counter(?:ing)?|threat(?:s|en(?:s|ed|ing)?)?\s*(?:to)?|"
    r"invasion\s+of|invade|reach(?:ing)?|strike|deter(?:ring)?|pressure\s+on|aimed\s+at|directed\s+at|"
    r"intimidate|provoke)\s+(?:the\s+)?(?:growing\s+|\w+\s+)?|(?:at|hit|into)\s+(?:the\s+)?|"
    r"(?:sanctions?|embargo(?:es)?|bans?|penalties)\s+(?:on|against)\s+(?:[\w-]+\s+){0,3})$",
    re.IGNORECASE,
)
_SPEECH_AFTER = re.compile(
    r"^(?:['\u2019]s)?\s*(?:\w+\s+)?(?:said|says|say|told|reported|reports|announced|stated|added|noted|"
    r"claimed|confirmed|wrote|according)\b",
    re.IGNORECASE,
)
_SOURCE_BEFORE = re.compile(r"\b(?:according\s+to|reported\s+by|quoted\s+by|cited\s+by)\s+(?:the\s+)?(?:\w+\s+){0,3}$",
                            re.IGNORECASE)
_JOIN = re.compile(
    r"^\s*(?:,\s*(?:and\s+)?|and\s+|-|\u2013|/)\s*(?:the\s+)?"
    r"(?:(?:President|Prime\s+Minister|Premier|Chairman|leader|Foreign\s+Minister|Defen[cs]e\s+Minister|"
    r"Secretary(?:\s+of\s+State)?|Gen\.|General|Adm\.|Admiral)\s+)?$",
)


def _find_mentions(sentence: str, dic: Dictionaries) -> list[_Mention]:
    taken = [False] * len(sentence)
    found: list[_Mention] = []
    for pat in dic.actor_patterns:
        for m in pat.regex.finditer(sentence):
            s, e = m.span()
            if any(taken[s:e]):
                continue
            for i in range(s, e):
                taken[i] = True
            found.append(_Mention(s, e, pat.code, pat.kind))
    found.sort(key=lambda x: x.start)
    # merge mentions joined by "and", "-", "/" or "," into combined actors
    merged: list[_Mention] = []
    for m in found:
        if (merged and m.kind not in ("pronoun", "weak") and merged[-1].kind not in ("pronoun", "weak")
                and _JOIN.match(sentence[merged[-1].end:m.start]) and merged[-1].code != m.code):
            prev = merged[-1]
            # "North Korea and Russia" stays one combined actor; a three-part list too
            merged[-1] = _Mention(prev.start, m.end, canonical_actor({prev.code, m.code}, dic.actor_order),
                                  "combination")
        elif merged and (_JOIN.match(sentence[merged[-1].end:m.start]) or not sentence[merged[-1].end:m.start].strip()) \
                and merged[-1].code == m.code and m.kind not in ("pronoun", "weak") \
                and merged[-1].kind not in ("pronoun", "weak"):
            merged[-1] = _Mention(merged[-1].start, m.end, m.code, merged[-1].kind)
        else:
            merged.append(m)
    prev_role = None
    prev_end = -1
    for m in merged:
        before = sentence[max(0, m.start - 45):m.start]
        coordinated = prev_role in ("participant", "target") and re.fullmatch(
            r"\s*(?:,\s*)?(?:and|or)\s+(?:the\s+|a\s+|an\s+)?", sentence[prev_end:m.start], re.IGNORECASE)
        after = sentence[m.end:m.end + 40]
        if m.kind == "pronoun":
            m.role = "pronoun"
        elif coordinated:
            m.role = prev_role  # "joined by Shoigu and a Chinese official"
        elif _PARTICIPANT_BEFORE.search(before) or _PARTICIPANT_AFTER.match(after):
            m.role = "participant"
        elif _TARGET_BEFORE.search(before):
            m.role = "target"
        elif m.kind == "media" or _SPEECH_AFTER.match(after) or _SOURCE_BEFORE.search(before):
            m.role = "source"
        elif m.kind == "weak":
            m.role = "weak"
        prev_role, prev_end = m.role, m.end
    return merged


# --------------------------------------------------------------------------------------
# Cues
# --------------------------------------------------------------------------------------
_NEG = re.compile(
    r"\b(?:not|never|no|denied|denies|deny|denying|without|didn't|hasn't|haven't|won't|wasn't|weren't|"
    r"isn't|aren't|refused\s+to|refrained\s+from|ruled\s+out|rejected|"
    r"failed\s+to\s+(?:adopt|pass|agree|approve|reach|hold|sign))\b",
    re.IGNORECASE,
)
_DENY = re.compile(r"\b(?:denied|denies|deny|denying|dismissed|rejected)\b", re.IGNORECASE)
_HEDGE = re.compile(
    r"\b(?:may|might|could|would|possible|possibly|possibility|suspicions?|suspected|suspect|planned|planning|"
    r"plans?|expected|expects?|likely|unlikely|probably|potential(?:ly)?|reportedly|apparently|prepar(?:e|ed|es|ing)\s+for|"
    r"will|shall|upcoming|scheduled|intends?|intended|threaten(?:ed|s|ing)?\s+to|agree(?:d|s)?\s+to|"
    r"invitation\s+to|invited\s+to|vow(?:ed|s)?\s+to|pledged\s+to|later\s+this\s+(?:month|week|year)|"
    r"next\s+(?:week|month|year)|considering|consider)\b",
    re.IGNORECASE,
)
_CAPABILITY = re.compile(
    r"\b(?:designed|built|able|capable|ability|capacity|meant|intended|used|can|could|enough)\s+(?:to|of|for)?\s*"
    r"(?:\w+\s+(?:and|or)\s+)?$",
    re.IGNORECASE,
)
# "SEOUL, South Korea (AP) -- ", "PYONGYANG (Reuters) - "
_DATELINE = re.compile(
    r"^[A-Z]{2}[A-Z'\u2019.-]*(?:\s+[A-Z]{2}[A-Z'\u2019.-]*)*"          # SEOUL / PANMUNJOM / NEW YORK
    r"(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})?"                     # , South Korea
    r"(?:\s*\([^)]{1,40}\))?"                                            # (AP)
    r"(?:\s*[\u2014\u2013]\s*|\s+--?\s+)"                                # em/en dash, or a spaced hyphen
)
_CLAUSE = re.compile(r"[;:\u2014\u2013()]|,\s|\s-\s")


def _clause_bounds(sentence: str, s: int, e: int) -> tuple[int, int]:
    left = 0
    for m in _CLAUSE.finditer(sentence, 0, s):
        left = m.end()
    m = _CLAUSE.search(sentence, e)
    right = m.start() if m else len(sentence)
    return left, right


def _window(sentence: str, s: int, e: int, before_words: int, after_words: int) -> tuple[str, str]:
    cl, cr = _clause_bounds(sentence, s, e)
    left_words = sentence[cl:s].split()
    right_words = sentence[e:cr].split()
    return " ".join(left_words[-before_words:]), " ".join(right_words[:after_words])


def _negated(sentence: str, s: int, e: int) -> bool:
    before, _ = _window(sentence, s, e, 6, 0)
    head = sentence[s:e].split()[:1]
    if _NEG.search(" ".join([before, *head])):
        return True
    return bool(_DENY.search(sentence[:s]))


def _hedged(sentence: str, s: int, e: int) -> bool:
    before, after = _window(sentence, s, e, 8, 6)
    return bool(_HEDGE.search(before) or _HEDGE.search(after) or _HEDGE.search(sentence[s:e]))


# --------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CodedItem:
    """One coded action mention.

    Attributes follow :data:`ITEM_COLUMNS` (without ``matched_event_ids``); ``trigger`` is the
    text that signalled the action.
    """

    actor: str | None
    side: str | None
    action: str
    start: date | None
    end: date | None
    sentence: str
    sentence_index: int
    date_text: str | None
    negated: bool
    hedged: bool
    participants: tuple[str, ...] = field(default_factory=tuple)
    trigger: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        d = asdict(self)
        d["start"] = self.start.isoformat() if self.start else None
        d["end"] = self.end.isoformat() if self.end else None
        d["participants"] = list(self.participants)
        return d

    def summary(self) -> str:
        """One readable line."""
        when = "undated" if self.start is None else (
            self.start.isoformat() if self.start == self.end else f"{self.start}..{self.end}")
        flags = "".join([" [negated]" if self.negated else "", " [hedged]" if self.hedged else ""])
        parts = f" with {'+'.join(self.participants)}" if self.participants else ""
        return f"#{self.sentence_index}: {self.actor or '?'} {self.action}{parts}, {when}{flags}"


@dataclass
class _Hit:
    pattern: _ActionPattern
    start: int
    end: int


def _action_hits(sentences: list[str], i: int, dic: Dictionaries) -> list[_Hit]:
    sent = sentences[i]
    hits: list[_Hit] = []
    for pat in dic.action_patterns:
        for m in pat.regex.finditer(sent):
            if m.end() == m.start():
                continue
            if pat.context is not None:
                lo = max(0, i - pat.context_sentences)
                if not any(pat.context.search(sentences[j]) for j in range(lo, i + 1)):
                    continue
            # "designed to transport and fire ballistic missiles" is a capability, not a launch
            if _CAPABILITY.search(sent[max(0, m.start() - 40):m.start()]) and pat.action in (
                    "missile_launch", "satellite_launch", "nuclear_test", "artillery_fire"):
                continue
            hits.append(_Hit(pat, m.start(), m.end()))
    # overlapping matches of the same action, or of an action and one it suppresses: the
    # higher priority (then longer, then earlier) phrase wins; other overlaps are all kept
    hits.sort(key=lambda h: (-h.pattern.priority, -(h.end - h.start), h.start))
    kept: list[_Hit] = []
    for h in hits:
        a = h.pattern.action
        clash = [k for k in kept if not (h.end <= k.start or h.start >= k.end)]
        if any(k.pattern.action == a or a in dic.suppresses.get(k.pattern.action, ()) for k in clash):
            continue
        beaten = [k for k in clash if k.pattern.action in dic.suppresses.get(a, ())]
        kept = [k for k in kept if k not in beaten]
        kept.append(h)
    kept.sort(key=lambda h: h.start)
    return kept


_ANAPHOR = re.compile(r"\b(?:such|these|those|this)\s+(?:(?!(?:their|its|his|her)\b)\w+\s+)?$", re.IGNORECASE)


def _choose_actor(sentence: str, hit: _Hit, mentions: list[_Mention], prev_subject: str | None,
                  dic: Dictionaries, recent: dict[str, str] | None = None) -> str | None:
    agents = [m for m in mentions if m.role == "agent"]
    # "such drills", "these launches": the actor of the last item of the same action family
    if recent and _ANAPHOR.search(sentence[max(0, hit.start - 30):hit.start]):
        for action in dic.families.get(hit.pattern.action, (hit.pattern.action,)):
            if action in recent:
                return recent[action]
    # a modifier inside the phrase: "joint U.S.-South Korea drills", "North Korean missile launch"
    inside = [m for m in agents if m.start >= hit.start and m.end <= hit.end
              and (m.kind in ("demonym", "combination") or re.search(r"['\u2019]s$", sentence[m.start:m.end]))]
    if inside:
        return inside[0].code
    # passive "... were launched by North Korea", or a postmodifier "drills of the United States"
    tail = sentence[hit.end:hit.end + 60]
    pm = re.match(r"^\s*(?:(?:\w+\s+){0,2}?by|of)\s+(?:the\s+)?", tail, re.IGNORECASE)
    if pm:
        for m in agents:
            if hit.end + pm.end() - 4 <= m.start <= hit.end + pm.end() + 1 and m.start >= hit.end:
                return m.code
    left = [m for m in agents if m.end <= hit.start]
    if left:
        return max(left, key=lambda m: m.end).code
    pronouns = [m for m in mentions if m.role == "pronoun" and m.end <= hit.start]
    if pronouns:
        # "X said their exercise ...": a same-sentence antecedent first, else the previous subject
        pr = max(pronouns, key=lambda m: m.end)
        ante = [m for m in mentions if m.role in ("source", "participant") and m.end <= pr.start]
        if ante:
            return max(ante, key=lambda m: m.end).code
        if prev_subject:
            return prev_subject
    right = [m for m in agents if m.start >= hit.end]
    if right:
        return min(right, key=lambda m: m.start).code
    for role in ("source", "weak"):
        cands = [m for m in mentions if m.role == role]
        if cands:
            return min(cands, key=lambda m: abs(m.start - hit.start)).code
    if hit.pattern.default_actor:
        return hit.pattern.default_actor
    if prev_subject:
        return prev_subject
    parts = [m for m in mentions if m.role == "participant"]
    return min(parts, key=lambda m: abs(m.start - hit.start)).code if parts else None


def _subject_of(mentions: list[_Mention]) -> str | None:
    for role in ("agent", "source"):
        for m in mentions:
            if m.role == role:
                return m.code
    return None


def _assign_dates(text: str, hits: list[_Hit], dates: list[DateMatch]) -> list[DateMatch | None]:
    out: list[DateMatch | None] = [None] * len(hits)
    if not hits:
        return out
    first_hit = min(h.start for h in hits)
    for d in dates:
        if d.report:
            continue
        if (d.span[1] <= first_hit and len([x for x in dates if not x.report]) == 1
                and "," in text[d.span[1]:first_hit]):
            for k in range(len(hits)):
                out[k] = out[k] or d
            continue

        def dist(h: _Hit) -> int:
            # characters between date and phrase, plus a penalty per clause boundary between
            if d.span[1] <= h.start:
                gap = text[d.span[1]:h.start]
            elif d.span[0] >= h.end:
                gap = text[h.end:d.span[0]]
            else:
                return 0
            return len(gap) + 200 * len(_CLAUSE.findall(gap))

        best = min(range(len(hits)), key=lambda k: (dist(hits[k]), k))
        bh = hits[best]
        for k, h in enumerate(hits):
            # the nearest phrase, and phrases overlapping it, take the date
            if out[k] is None and (k == best or not (h.end <= bh.start or h.start >= bh.end)):
                out[k] = d
    return out


def code_text(text: str, published: date, dictionaries: Dictionaries | None = None) -> list[CodedItem]:
    """Code every action mention in ``text``.

    Parameters
    ----------
    text : str
        Article body (paragraphs separated by blank lines).
    published : datetime.date
        Publication date, for resolving relative dates.
    dictionaries : Dictionaries, optional
        Default: :func:`load_dictionaries` of the repository.

    Returns
    -------
    list[CodedItem]
        One item per sentence and action, in sentence order.
    """
    dic = dictionaries or load_dictionaries()
    sentences = split_sentences(text)
    items: list[CodedItem] = []
    prev_subject: str | None = None
    sentences = [_DATELINE.sub("", s, count=1) for s in sentences]
    recent: dict[str, str] = {}  # action -> actor of its latest item (for "such drills")
    recent_at: dict[str, int] = {}
    for i, sent in enumerate(sentences):
        for a in [a for a, k in recent_at.items() if i - k > 3]:
            recent.pop(a, None)
            recent_at.pop(a, None)
        mentions = _find_mentions(sent, dic)
        hits = _action_hits(sentences, i, dic)
        dates = find_dates(sent, published)
        chosen = _assign_dates(sent, hits, dates)
        coded: list[tuple[_Hit, DateMatch | None, str | None, str]] = []
        for hit, d in zip(hits, chosen):
            actor = _choose_actor(sent, hit, mentions, prev_subject, dic, recent)
            pat = hit.pattern
            if pat.requires_actor and (actor is None or actor not in pat.requires_actor):
                continue
            if pat.requires_other_actor and len({m.code for m in mentions if m.code and m.role != "pronoun"}) < 2:
                continue
            action = pat.action
            if action == "military_drill" and actor and "+" in actor:
                action = "joint_exercise"
            # one item per sentence and action: a later phrase of the same action only fills a
            # missing date - unless it has another actor and lies in another clause
            # ("Putin accepted an invitation to visit Pyongyang, ..., after Choe held talks ...")
            same = [k for k, (h0, _, a0, act0) in enumerate(coded) if act0 == action and (
                a0 == actor or not _CLAUSE.search(sent[min(h0.end, hit.start):max(h0.end, hit.start)]))]
            if same:
                k = same[0]
                h0, d0, a0, _ = coded[k]
                coded[k] = (h0, d0 or d, a0 or actor, action)
                continue
            coded.append((hit, d, actor, action))
        named = {p for m in mentions if m.role in ("participant", "agent") and m.code
                 for p in m.code.split("+")}
        actor_codes = {p for _, _, a, _ in coded if a for p in a.split("+")}
        explicit_participants = {p for m in mentions if m.role == "participant" for p in m.code.split("+")}
        for hit, d, actor, action in coded:
            own = set(actor.split("+")) if actor else set()
            # other actors named in the sentence, except targets and the actors of the sentence's
            # other actions (unless they are explicitly marked as participants: "joined by")
            pool = (named - (actor_codes - explicit_participants)) - own
            participants = sorted(
                pool, key=lambda c: (dic.actor_order.index(c) if c in dic.actor_order else 99, c))
            start = d.start if d else None
            end = d.end if d else None
            hedged = _hedged(sent, hit.start, hit.end) or bool(start and start > published)
            items.append(CodedItem(
                actor=actor,
                side=side_of(actor, dic.actor_sides),
                action=action,
                start=start,
                end=end,
                sentence=sent,
                sentence_index=i,
                date_text=d.text if d else None,
                negated=_negated(sent, hit.start, hit.end),
                hedged=hedged,
                participants=tuple(participants),
                trigger=sent[hit.start:hit.end],
            ))
            if actor:
                recent[action] = actor
                recent_at[action] = i
        subj = _subject_of(mentions)
        if subj:
            prev_subject = subj
    return items


def items_frame(items: list[CodedItem]) -> pd.DataFrame:
    """DataFrame of coded items with :data:`ITEM_COLUMNS` (``matched_event_ids`` empty lists).

    Text columns are ``object`` dtype so that a missing actor or date phrase stays ``None``
    (JSON-ready); ``start``/``end`` hold ``datetime.date`` or ``None``.
    """
    cols: dict[str, pd.Series] = {
        "actor": pd.Series([it.actor for it in items], dtype=object),
        "side": pd.Series([it.side for it in items], dtype=object),
        "action": pd.Series([it.action for it in items], dtype=object),
        "start": pd.Series([it.start for it in items], dtype=object),
        "end": pd.Series([it.end for it in items], dtype=object),
        "sentence": pd.Series([it.sentence for it in items], dtype=object),
        "sentence_index": pd.Series([it.sentence_index for it in items], dtype="int64"),
        "date_text": pd.Series([it.date_text for it in items], dtype=object),
        "negated": pd.Series([it.negated for it in items], dtype=bool),
        "hedged": pd.Series([it.hedged for it in items], dtype=bool),
        "participants": pd.Series([list(it.participants) for it in items], dtype=object),
        "matched_event_ids": pd.Series([[] for _ in items], dtype=object),
    }
    return pd.DataFrame(cols, columns=ITEM_COLUMNS)
