"""titfortat.text.articles: formats, metadata sources and every error case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from titfortat.text.articles import Article, ArticleError, html_to_text, load_article

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "articles"


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- formats ---------------------------------------------------------------------------
def test_txt_with_front_matter_and_first_line_title(tmp_path: Path) -> None:
    p = write(tmp_path / "a.txt", "---\npublished: 2023-08-06\noutlet: Test Wire\n---\n\n"
                                  "Headline here\n\nFirst paragraph.\nStill first.\n\nSecond paragraph.\n")
    a = load_article(p)
    assert isinstance(a, Article)
    assert a.title == "Headline here"
    assert a.outlet == "Test Wire"
    assert a.published == date(2023, 8, 6)
    assert a.url == ""
    assert a.text == "First paragraph. Still first.\n\nSecond paragraph."


def test_txt_title_field_keeps_first_line(tmp_path: Path) -> None:
    p = write(tmp_path / "a.txt", "---\ntitle: Given title\npublished: 2023-08-06\n---\nLine one.\n\nLine two.\n")
    a = load_article(p)
    assert a.title == "Given title"
    assert a.text.startswith("Line one.")


def test_markdown_strips_markup_and_heading(tmp_path: Path) -> None:
    p = write(tmp_path / "a.md", "---\ntitle: Big news\npublished: 2022-11-04\nurl: https://example.org/x\n---\n"
                                 "# Big news\n\nThe **allies** held [drills](https://x.y) on *Monday*.\n\n"
                                 "- A list item.\n")
    a = load_article(p)
    assert a.title == "Big news"
    assert a.url == "https://example.org/x"
    assert a.text == "The allies held drills on Monday.\n\nA list item."


def test_markdown_without_title_uses_heading(tmp_path: Path) -> None:
    p = write(tmp_path / "a.md", "---\npublished: 2022-11-04\n---\n## The heading\n\nBody text.\n")
    a = load_article(p)
    assert a.title == "The heading" and a.text == "Body text."


def test_html_strips_tags_scripts_styles(tmp_path: Path) -> None:
    html = ("<html><head><title>Page title</title><style>p{color:red}</style>"
            "<script>var x = 'no';</script></head><body><nav>Menu</nav>"
            "<h1>Page title</h1><p>Kim&#8217;s visit &amp; the &quot;drills&quot;.</p>"
            "<div>Second<br>line</div><footer>Copyright</footer></body></html>")
    p = write(tmp_path / "a.html", html)
    write(tmp_path / "a.yaml", "published: 2023-08-06\noutlet: Sidecar Outlet\n")
    a = load_article(p)
    assert a.title == "Page title"
    assert a.outlet == "Sidecar Outlet"
    assert "var x" not in a.text and "color" not in a.text and "Menu" not in a.text
    assert "Copyright" not in a.text
    assert a.text.split("\n\n") == ["Kim\u2019s visit & the \"drills\".", "Second", "line"]


def test_html_to_text_function() -> None:
    title, text = html_to_text("<p>One</p><p>Two &lt;3</p><script>bad()</script>")
    assert title == "" and text == "One\n\nTwo <3"


def test_htm_front_matter(tmp_path: Path) -> None:
    p = write(tmp_path / "a.htm", "---\npublished: 2023-01-02\ntitle: T\n---\n<p>Body</p>")
    a = load_article(p)
    assert a.title == "T" and a.text == "Body" and a.published == date(2023, 1, 2)


# --- metadata sources ------------------------------------------------------------------
@pytest.mark.parametrize("sidecar", ["story.yaml", "story.meta.yaml", "story.txt.yaml"])
def test_sidecar_names(tmp_path: Path, sidecar: str) -> None:
    p = write(tmp_path / "story.txt", "Title line\n\nBody.\n")
    write(tmp_path / sidecar, "published: 2021-03-04\nurl: https://example.org\n")
    a = load_article(p)
    assert a.published == date(2021, 3, 4)
    assert a.url == "https://example.org"
    assert a.title == "Title line"


def test_front_matter_wins_over_sidecar(tmp_path: Path) -> None:
    p = write(tmp_path / "s.md", "---\npublished: 2023-08-06\n---\nBody.\n")
    write(tmp_path / "s.yaml", "published: 2020-01-01\noutlet: From sidecar\n")
    a = load_article(p)
    assert a.published == date(2023, 8, 6)
    assert a.outlet == "From sidecar"


@pytest.mark.parametrize("value", [date(2024, 2, 29), "2024-02-29"])
def test_published_argument_overrides(tmp_path: Path, value: date | str) -> None:
    p = write(tmp_path / "a.txt", "---\npublished: 2023-08-06\n---\nT\n\nBody.\n")
    assert load_article(p, published=value).published == date(2024, 2, 29)


def test_published_argument_supplies_missing_date(tmp_path: Path) -> None:
    p = write(tmp_path / "a.txt", "Title\n\nBody.\n")
    assert load_article(p, published=date(2023, 8, 6)).published == date(2023, 8, 6)


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    p = write(tmp_path / "a.txt", "\ufeff---\r\npublished: 2023-08-06\r\n---\r\nTitle\r\n\r\nBody.\r\n".encode())
    a = load_article(p)
    assert a.title == "Title" and a.text == "Body."


def test_to_dict_and_summary(tmp_path: Path) -> None:
    p = write(tmp_path / "a.txt", "---\npublished: 2023-08-06\n---\nTitle\n\nOne two three.\n")
    a = load_article(p)
    assert a.to_dict()["published"] == "2023-08-06"
    assert a.to_dict()["path"] == "a.txt"
    assert "2023-08-06" in a.summary() and "3 words" in a.summary()


# --- errors ----------------------------------------------------------------------------
def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="nope.txt.*not found"):
        load_article(tmp_path / "nope.txt")


def test_not_utf8_names_offset_and_line(tmp_path: Path) -> None:
    head = b"---\npublished: 2023-08-06\n---\nTitle\n\nCaf"
    p = write(tmp_path / "latin.txt", head + b"\xe9 bar\n")
    with pytest.raises(ArticleError) as exc:
        load_article(p)
    msg = str(exc.value)
    assert "latin.txt" in msg and "UTF-8" in msg and "line 6" in msg
    assert f"byte offset {len(head)}" in msg


def test_not_utf8_sidecar(tmp_path: Path) -> None:
    p = write(tmp_path / "a.txt", "Title\n\nBody.\n")
    write(tmp_path / "a.yaml", b"outlet: \xff\npublished: 2023-08-06\n")
    with pytest.raises(ArticleError, match=r"a\.yaml.*UTF-8"):
        load_article(p)


def test_malformed_front_matter_names_line(tmp_path: Path) -> None:
    p = write(tmp_path / "bad.md", "---\ntitle: ok\npublished: [2023-08-06\n---\nBody\n")
    with pytest.raises(ArticleError, match=r"bad\.md: malformed front matter at line \d+"):
        load_article(p)


def test_unclosed_front_matter(tmp_path: Path) -> None:
    p = write(tmp_path / "open.md", "---\ntitle: x\npublished: 2023-08-06\nBody\n")
    with pytest.raises(ArticleError, match=r"open\.md: malformed front matter.*line 1"):
        load_article(p)


def test_front_matter_not_a_mapping(tmp_path: Path) -> None:
    p = write(tmp_path / "list.md", "---\n- a\n- b\n---\nBody\n")
    with pytest.raises(ArticleError, match=r"list\.md: malformed front matter at line 2"):
        load_article(p)


def test_malformed_sidecar(tmp_path: Path) -> None:
    p = write(tmp_path / "a.html", "<p>x</p>")
    write(tmp_path / "a.yaml", "published: 2023-08-06\n  bad: : indent\n")
    with pytest.raises(ArticleError, match=r"a\.yaml: malformed sidecar metadata at line"):
        load_article(p)


@pytest.mark.parametrize("value", ["06/08/2023", "August 6, 2023", "2023-13-01", "yesterday"])
def test_published_not_iso(tmp_path: Path, value: str) -> None:
    p = write(tmp_path / "a.md", f"---\npublished: \"{value}\"\n---\nBody\n")
    with pytest.raises(ArticleError) as exc:
        load_article(p)
    msg = str(exc.value)
    assert "a.md" in msg and "'published'" in msg and value in msg and "ISO" in msg


def test_published_unquoted_bad_date(tmp_path: Path) -> None:
    p = write(tmp_path / "a.md", "---\npublished: 2023-02-30\n---\nBody\n")
    with pytest.raises(ArticleError, match="2023-02-30.*not an ISO date"):
        load_article(p)


def test_published_argument_not_iso(tmp_path: Path) -> None:
    p = write(tmp_path / "a.md", "---\npublished: 2023-08-06\n---\nBody\n")
    with pytest.raises(ArticleError, match="published argument.*'Aug 6'"):
        load_article(p, published="Aug 6")


def test_no_publication_date_says_how(tmp_path: Path) -> None:
    p = write(tmp_path / "undated.txt", "Title\n\nBody.\n")
    with pytest.raises(ArticleError) as exc:
        load_article(p)
    msg = str(exc.value)
    assert "undated.txt" in msg
    assert "published: YYYY-MM-DD" in msg
    assert "sidecar" in msg and "undated.txt.yaml" in msg
    assert "'published' notebook parameter" in msg


def test_error_is_value_error() -> None:
    assert issubclass(ArticleError, ValueError)


# --- the repository's samples -----------------------------------------------------------
def test_sample_articles_load() -> None:
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".md", ".txt", ".html") and p.name != "README.md")
    assert {p.suffix for p in files} == {".md", ".txt", ".html"}
    for p in files:
        a = load_article(p)
        assert a.outlet == "Workbook sample (written by the project)"
        assert a.title and a.text
        assert 200 <= len(a.text.split()) <= 420
        assert a.published.isoformat() == p.name[:10]


def test_empty_published_argument_means_metadata(tmp_path: Path) -> None:
    p = write(tmp_path / "a.md", "---\npublished: 2023-08-06\n---\nBody\n")
    assert load_article(p, published="").published == date(2023, 8, 6)
