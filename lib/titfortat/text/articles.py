"""Load news articles (plain text, Markdown or saved HTML pages) with their metadata.

Saved web pages (``.html``/``.htm``) go through **trafilatura**, a maintained main-text
extractor, so that menus, share buttons, photo captions, related-story links, newsletter boxes
and footers never reach the coder; **htmldate** reads the publication date from the page
(meta tags, ``<time>`` elements, JSON-LD, the URL). A bare HTML fragment that trafilatura
finds no article in falls back to a plain tag stripper (:func:`html_to_text`).

Metadata (title, outlet, published, url) comes from, in order of precedence:

1. the ``published`` argument of :func:`load_article` (overrides the date only);
2. YAML front matter at the top of the file, between two ``---`` lines;
3. a sidecar file next to the article: ``<name>.yaml`` or ``<name>.meta.yaml``
   (``<name>`` with or without the article's extension, e.g. ``story.html.yaml`` or
   ``story.yaml``); front-matter keys win over sidecar keys;
4. for HTML, the page's own metadata: title (``og:title``/``<title>``, without a trailing
   " | Site name"), site name, canonical URL and the htmldate publication date; for .txt and
   .md without a title, the first non-empty line (which is then removed from the text).

:func:`load_articles` loads a batch: a file, a folder (every ``.txt``/``.md``/``.html`` in it,
README files excepted) or a glob pattern, in sorted order.

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

__all__ = ["Article", "ArticleError", "load_article", "load_articles", "html_to_text", "extract_page", "SUFFIXES"]

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
    date_source : str
        Where the publication date came from: ``"argument"``, ``"front matter"``,
        ``"sidecar"`` or ``"page metadata"`` (htmldate).
    """

    path: Path
    title: str
    outlet: str
    published: _dt.date
    url: str
    text: str
    date_source: str = ""

    def to_dict(self) -> dict[str, str]:
        """JSON-ready metadata and text (path by file name only)."""
        return {
            "path": self.path.name,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published.isoformat(),
            "url": self.url,
            "date_source": self.date_source,
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


def extract_page(source: str) -> tuple[str, str, str, str | None, str]:
    """Main text and metadata of a saved news page.

    Parameters
    ----------
    source : str
        The page's HTML.

    Returns
    -------
    tuple
        ``(title, outlet, url, published, text)``: the headline without a trailing
        " | Site name", the site name, the canonical URL, the publication date as
        ``YYYY-MM-DD`` (htmldate, original rather than updated date; ``None`` when the
        page gives none) and the main text, paragraphs separated by blank lines. Missing
        strings are ``""``. A fragment in which trafilatura finds no article is stripped of
        its tags instead (:func:`html_to_text`).
    """
    import htmldate
    import trafilatura

    doc = None
    try:
        doc = trafilatura.bare_extraction(
            source, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, favor_precision=True)
    except Exception:  # noqa: BLE001 - a page trafilatura cannot parse falls back to the tag stripper
        doc = None
    text = (getattr(doc, "text", None) or "").strip()
    fallback_title, fallback_text = html_to_text(source)
    if not text:
        text = fallback_text
    else:
        text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    outlet = _str(getattr(doc, "sitename", None))
    title = _str(getattr(doc, "title", None)) or fallback_title
    if outlet and title:
        title = re.sub(rf"\s*[|\u2013\u2014-]\s*{re.escape(outlet)}\s*$", "", title)
    url = _str(getattr(doc, "url", None))
    try:
        published = htmldate.find_date(source, original_date=True, extensive_search=True)
    except Exception:  # noqa: BLE001 - no date is not an error here; the caller decides
        published = None
    return title, outlet, url, published, text


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
    if suffix not in SUFFIXES:
        raise ArticleError(f"{p}: unsupported article format {suffix or '(no extension)'!r}; "
                           f"allowed: {', '.join(SUFFIXES)}")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{p}: cannot read the article file ({exc.strerror or exc})") from None
    text = _decode(p, raw)

    meta_side, side_path = _sidecar(p)
    front, body = _split_front_matter(p, text)
    page: dict[str, Any] = {}
    html_title = ""
    if suffix in (".html", ".htm"):
        html_title, outlet, url, page_date, body = extract_page(body)
        page = {k: v for k, v in (("outlet", outlet), ("url", url), ("published", page_date)) if v}
    else:
        body = _normalise_paragraphs(body.replace("\r\n", "\n"))
    meta = {**page, **meta_side, **front}
    dated_by = ("front matter" if ("published" in front or "date" in front) else
                "sidecar" if ("published" in meta_side or "date" in meta_side) else
                "page metadata" if "published" in page else "")
    meta_source = str(p) if dated_by != "sidecar" else str(side_path or p)

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
        dated_by = "argument"
    else:
        value = meta.get("published", meta.get("date"))
        field = "published" if "published" in meta else "date"
        if value is None or _str(value) == "":
            raise ArticleError(
                f"{p}: no publication date. Give one as front matter 'published: YYYY-MM-DD' "
                f"(between '---' lines at the top of the file), in a sidecar file "
                f"'{p.name}.yaml' or '{p.stem}.meta.yaml' next to it, or as the 'published' "
                f"notebook parameter (load_article(path, published=...))"
                + ("; the page itself carries no date htmldate can read" if suffix in (".html", ".htm") else "")
            )
        pub = _as_date(value, field, meta_source)

    return Article(
        path=p,
        title=title,
        outlet=_str(meta.get("outlet", meta.get("source"))),
        published=pub,
        url=_str(meta.get("url")),
        text=body.strip(),
        date_source=dated_by,
    )


_GLOB = re.compile(r"[*?\[]")


def load_articles(spec: str | os.PathLike[str], published: _dt.date | str | None = None,
                  root: str | os.PathLike[str] | None = None) -> list[Article]:
    """Load a batch of articles: one file, every article in a folder, or a glob pattern.

    Parameters
    ----------
    spec : str or path-like
        A file; a folder (its ``.txt``, ``.md``, ``.markdown``, ``.html`` and ``.htm`` files,
        not recursing, README files excepted); or a glob pattern such as
        ``data/articles/2023-*.md`` or ``inbox/**/*.html``.
    published : datetime.date or str, optional
        Publication date override; only allowed when ``spec`` names a single article.
    root : path, optional
        Folder that a relative ``spec`` is resolved from (default: the working directory).

    Returns
    -------
    list[Article]
        In sorted file-name order (deterministic).

    Raises
    ------
    ArticleError
        Nothing found (the message names the folder or pattern and the formats allowed), a
        file that cannot be loaded (the message names it), or ``published`` for a batch.
    """
    text = os.fspath(spec)
    if not text.strip():
        raise ArticleError("article_path is empty: give a file, a folder or a glob pattern")
    base = Path(root) if root is not None else Path.cwd()
    p = Path(text).expanduser()
    if not p.is_absolute():
        p = base / p
    if p.is_file():
        return [load_article(p, published=published)]
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES
                       and not f.name.lower().startswith("readme"))
        where = f"folder {p}"
    elif _GLOB.search(text):
        import glob

        files = sorted(Path(f) for f in glob.glob(str(p), recursive=True)
                       if Path(f).is_file() and Path(f).suffix.lower() in SUFFIXES
                       and not Path(f).name.lower().startswith("readme"))
        where = f"pattern {text!r}"
    else:
        raise ArticleError(f"{p}: article file or folder not found")
    if not files:
        raise ArticleError(f"{where}: no article files in it (allowed: {', '.join(SUFFIXES)})")
    if isinstance(published, str) and not published.strip():
        published = None
    if published is not None and len(files) > 1:
        raise ArticleError(
            f"{where}: the published parameter ({published}) applies to one article, but this names "
            f"{len(files)}; give each article its date in front matter or a sidecar file")
    return [load_article(f, published=published) for f in files]


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
