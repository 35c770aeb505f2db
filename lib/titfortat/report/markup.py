"""Escaping of values read from input files before they reach Markdown (``summary.md``) or HTML.

Every value that comes from an input file (an article's title, outlet, URL or text, an event's id or
description, a parameter) goes through one of these before it is written into Markdown:

- :func:`md_text` for running text: HTML special characters become entities and Markdown punctuation
  is backslash-escaped, so ``<img src=x onerror=...>`` shows as text, never as an element;
- :func:`md_code` for identifiers (event ids), as an inline code span;
- :func:`md_link` for links, which are made only for ``http`` and ``https`` URLs (anything else,
  ``javascript:`` included, is shown as escaped text, or left out).

``index.html`` is in addition sanitized by nbconvert (see :func:`titfortat.report.runner.build_html`).
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote, urlsplit

__all__ = ["is_http_url", "md_code", "md_link", "md_text", "plural"]

_MD_PUNCT = re.compile(r"([\\`*_\[\]{}!|~$#])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _one_line(value: Any) -> str:
    return " ".join(_CONTROL.sub(" ", "" if value is None else str(value)).split())


def md_text(value: Any) -> str:
    """``value`` as inert Markdown text on one line: no HTML, no emphasis, links, images or math."""
    return _MD_PUNCT.sub(r"\\\1", html.escape(_one_line(value), quote=False))


def md_code(value: Any) -> str:
    """``value`` as an inline code span (shown literally; the fence is longer than any backtick run inside)."""
    s = _one_line(value)
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def is_http_url(url: Any) -> bool:
    """True for an absolute ``http://`` or ``https://`` URL with a host and no white space or controls."""
    if not isinstance(url, str) or not url or url != url.strip() or re.search(r"[\s\x00-\x1f\x7f]", url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def md_link(text: Any, url: Any) -> str:
    """A Markdown link for an http(s) URL; otherwise the escaped text alone (no link)."""
    if not is_http_url(url):
        return md_text(text)
    safe = quote(str(url), safe=":/?#[]@!$&'*+,;=%~-._").replace("(", "%28").replace(")", "%29")
    return f"[{md_text(text)}](<{safe}>)"


def plural(n: int | float, word: str, plural_form: str | None = None) -> str:
    """``1 day``, ``2 days``, ``0 mentions``; ``plural_form`` for irregular words."""
    many = plural_form or (word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else
                           word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s"))
    return f"{n:g} {word if n == 1 else many}" if isinstance(n, float) else f"{n} {word if n == 1 else many}"
