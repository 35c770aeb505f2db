"""Load a news article (plain text, Markdown or HTML) with its metadata.

Metadata (title, outlet, published, url) comes from, in order of precedence:

1. the ``published`` argument of :func:`load_article` (overrides the date only);
2. YAML front matter at the top of the file, between two ``---`` lines;
3. a sidecar file next to the article: ``<name>.yaml`` or ``<name>.meta.yaml``
   (``<name>`` with or without the article's extension, e.g. ``story.html.yaml`` or
   ``story.yaml``); front-matter keys win over sidecar keys;
4. for HTML, the ``<title>`` element; for .txt and .md without a title, the first
   non-empty line (which is then removed from the text).

Every problem raises :class:`ArticleError` whose message names the file.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Article", "ArticleError", "load_article", "html_to_text", "SUFFIXES"]

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings (dates are validated here, with the field name)."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ArticleError(ValueError):
    """An article file cannot be loaded; the message names the file and says why."""


@dataclass(frozen=True)
class Article:
    """One news article.

    Attributes
    ----------
    path : pathlib.Path
        File it was read from.
    title : str
        Headline ("" when unknown).
    outlet : str
        Publisher or agency ("" when unknown).
    published : datetime.date
        Publication date (the article's own calendar day).
    url : str
        Address of the original ("" when unknown).
    text : str
        Body text: paragraphs separated by blank lines, without the title line.
    """

    path: Path
    title: str
    outlet: str
    published: _dt.date
    url: str
    text: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready metadata and text (path by file name only)."""
        return {
            "path": self.path.name,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published.isoformat(),
            "url": self.url,
            "text": self.text,
        }

    def summary(self) -> str:
        """One readable line."""
        words = len(self.text.split())
        outlet = f" ({self.outlet})" if self.outlet else ""
        return f"{self.title or self.path.name}{outlet}, published {self.published.isoformat()}, {words} words"


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------
_BLOCK = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
    "article", "header", "footer", "blockquote", "pre", "table", "tr", "td", "th",
    "figure", "figcaption", "hr", "main", "dd", "dt", "dl", "address",
}
# never article text: code, styling, navigation and page furniture
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "nav", "aside", "footer", "form",
         "button", "iframe", "select", "menu"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
            return
        if not self._skip:
            self.parts.append(data)


def _normalise_paragraphs(text: str) -> str:
    paras = re.split(r"\n\s*\n", text)
    clean = [re.sub(r"\s+", " ", p).strip() for p in paras]
    return "\n\n".join(p for p in clean if p)


def html_to_text(source: str) -> tuple[str, str]:
    """Strip tags, scripts and styles from HTML.

    Parameters
    ----------
    source : str
        HTML document or fragment.

    Returns
    -------
    tuple[str, str]
        ``(title, text)``: the ``<title>`` content ("" if none) and the body text with
        entities unescaped and block elements as paragraph breaks.
    """
    parser = _TextExtractor()
    parser.feed(source)
    parser.close()
    text = html.unescape("".join(parser.parts))
    title = re.sub(r"\s+", " ", html.unescape("".join(parser.title_parts))).strip()
    return title, _normalise_paragraphs(text)


# --------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------
def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ArticleError(
            f"{path}: not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at byte offset "
            f"{exc.start}, line {line}); re-save the file as UTF-8"
        ) from None
    return text.lstrip("\ufeff")


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block = "".join(lines[1:i])
            body = "".join(lines[i + 1:])
            return _parse_yaml(path, block, first_line=2, what="front matter"), body
    raise ArticleError(
        f"{path}: malformed front matter: the '---' on line 1 is never closed by a second '---' line"
    )


def _parse_yaml(path: Path, block: str, first_line: int, what: str) -> dict[str, Any]:
    try:
        data = yaml.load(block, Loader=_Loader)  # noqa: S506 (safe loader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + first_line}" if mark is not None else "unknown line"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ArticleError(f"{path}: malformed {what} at {where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ArticleError(
            f"{path}: malformed {what} at line {first_line}: expected 'key: value' lines, "
            f"got a {type(data).__name__}"
        )
    return {str(k).strip().lower(): v for k, v in data.items()}


def _sidecar(path: Path) -> tuple[dict[str, Any], Path | None]:
    names = [path.name + ".yaml", path.name + ".meta.yaml", path.stem + ".yaml",
             path.stem + ".meta.yaml", path.name + ".yml", path.stem + ".yml"]
    for name in names:
        side = path.with_name(name)
        if side.is_file() and side != path:
            text = _decode(side, side.read_bytes())
            return _parse_yaml(side, text, first_line=1, what="sidecar metadata"), side
    return {}, None


def _as_date(value: Any, field: str, source: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        return _dt.date.fromisoformat(text[:10]) if re.fullmatch(
            r"\d{4}-\d{2}-\d{2}(?:[T ].*)?", text) else _dt.date.fromisoformat(text)
    except ValueError:
        raise ArticleError(
            f"{source}: field '{field}' has value {value!r}, which is not an ISO date (YYYY-MM-DD)"
        ) from None


def _str(value: Any) -> str:
    return "" if value is None else str(value).strip()


def load_article(path: str | os.PathLike[str], published: _dt.date | str | None = None) -> Article:
    """Load an article file.

    Parameters
    ----------
    path : str or path-like
        A ``.txt``, ``.md`` or ``.html``/``.htm`` file, UTF-8 encoded.
    published : datetime.date or str, optional
        Publication date; overrides the metadata (ISO string accepted).

    Returns
    -------
    Article

    Raises
    ------
    ArticleError
        Missing file, not UTF-8, malformed front matter or sidecar, a ``published``
        value that is not an ISO date, or no publication date at all.
    """
    p = Path(path)
    if not p.is_file():
        raise ArticleError(f"{p}: article file not found")
    suffix = p.suffix.lower()
    raw = p.read_bytes()
    text = _decode(p, raw)

    meta_side, side_path = _sidecar(p)
    front, body = _split_front_matter(p, text)
    meta = {**meta_side, **front}
    meta_source = str(p) if "published" in front or "date" in front else str(side_path or p)

    html_title = ""
    if suffix in (".html", ".htm"):
        html_title, body = html_to_text(body)
    else:
        body = _normalise_paragraphs(body.replace("\r\n", "\n"))

    title = _str(meta.get("title")) or html_title
    if not title and suffix not in (".html", ".htm"):
        first, _, rest = body.partition("\n\n")
        title = re.sub(r"^#+\s*", "", first).strip()
        body = rest
    else:
        # drop a leading heading (Markdown "# ..." or HTML <h1>) that repeats the title
        first, _, rest = body.partition("\n\n")
        if _fold(re.sub(r"^#+\s*", "", first)) == _fold(title):
            body = rest
    if suffix in (".md", ".markdown"):
        body = _strip_markdown(body)

    if isinstance(published, str) and not published.strip():
        published = None  # an empty notebook parameter means "use the metadata"
    if published is not None:
        pub = _as_date(published, "published", f"{p} (published argument)")
    else:
        value = meta.get("published", meta.get("date"))
        field = "published" if "published" in meta else "date"
        if value is None or _str(value) == "":
            raise ArticleError(
                f"{p}: no publication date. Give one as front matter 'published: YYYY-MM-DD' "
                f"(between '---' lines at the top of the file), in a sidecar file "
                f"'{p.name}.yaml' or '{p.stem}.meta.yaml' next to it, or as the 'published' "
                f"notebook parameter (load_article(path, published=...))"
            )
        pub = _as_date(value, field, meta_source)

    return Article(
        path=p,
        title=title,
        outlet=_str(meta.get("outlet", meta.get("source"))),
        published=pub,
        url=_str(meta.get("url")),
        text=body.strip(),
    )


def _fold(text: str) -> str:
    """Compare headings loosely: curly quotes as straight, case and spacing ignored."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def _strip_markdown(text: str) -> str:
    out = []
    for para in text.split("\n\n"):
        para = re.sub(r"^#{1,6}\s*", "", para)
        para = re.sub(r"^\s*(?:[-*+]|>)\s+", "", para)
        para = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", para)  # links and images
        para = re.sub(r"(\*\*|__)(.+?)\1", r"\2", para)
        para = re.sub(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])", r"\1", para)
        para = para.replace("`", "")
        out.append(para)
    return "\n\n".join(p for p in out if p.strip())
