"""titfortat.text.articles: formats, metadata sources and every error case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from titfortat.text.articles import Article, ArticleError, extract_page, html_to_text, load_article, load_articles

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "articles"
PAGES = REPO / "tests" / "fixtures" / "pages"


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
    # trafilatura keeps the article paragraph (short one-word blocks are page furniture to it)
    assert a.text.split("\n\n")[0] == "Kim\u2019s visit & the \"drills\"."
    assert a.date_source == "sidecar"


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


# --- saved web pages (trafilatura + htmldate) --------------------------------------------
# The two fixtures are news pages written for these tests: boilerplate-heavy (menus, share
# buttons, photo captions, inline "read more" boxes, related and trending lists, newsletter
# and cookie boxes, footers), with OpenGraph meta tags in one and JSON-LD in the other.
PAGE_FURNITURE = ["Subscribe", "Share on social media", "Commuters", "Read more", "Allied spring exercises",
                  "Related stories", "Aircraft carrier arrives", "Most read", "Late goal", "Sign up",
                  "All rights reserved", "Privacy", "cookies", "ALSO READ", "Five things", "Trending",
                  "Oil prices", "file photo", "Topics", "Careers", "dataLayer", "font-size"]


@pytest.mark.parametrize("name", ["wire_launch_page.html", "agency_page_jsonld.html"])
def test_saved_page_main_text_only(name: str) -> None:
    a = load_article(PAGES / name)
    for junk in PAGE_FURNITURE:
        assert junk not in a.text, junk
    paras = a.text.split("\n\n")
    assert len(paras) >= 3
    assert paras[0].startswith(("SEOUL, South Korea (HDN)", "TOKYO (EW)"))  # the lead, dateline first
    assert a.title not in a.text  # the headline is metadata, not body


def test_saved_page_metadata_from_page() -> None:
    a = load_article(PAGES / "wire_launch_page.html")
    assert a.title == "North Korea fires two ballistic missiles toward its east coast"  # site name cut
    assert a.outlet == "Harbour Daily News"
    assert a.url == "https://news.example.org/world/asia/nk-missiles-east-coast-0314"
    assert a.published == date(2024, 3, 14)  # published, not the later modified date
    assert a.date_source == "page metadata"
    b = load_article(PAGES / "agency_page_jsonld.html")  # JSON-LD only
    assert (b.outlet, b.published) == ("Eastgate Wire", date(2023, 7, 14))
    assert b.url == "https://wire.example.com/asia/allies-air-drills-bombers"


def test_saved_page_sidecar_and_front_matter_override(tmp_path: Path) -> None:
    src = (PAGES / "wire_launch_page.html").read_text(encoding="utf-8")
    p = write(tmp_path / "page.html", src)
    write(tmp_path / "page.yaml", "published: 2024-03-15\noutlet: Curated name\n")
    a = load_article(p)
    assert (a.published, a.outlet, a.date_source) == (date(2024, 3, 15), "Curated name", "sidecar")
    assert a.url == "https://news.example.org/world/asia/nk-missiles-east-coast-0314"  # still from the page
    q = write(tmp_path / "front.html", "---\npublished: 2024-03-16\nurl: https://x.example/y\n---\n" + src)
    b = load_article(q)
    assert (b.published, b.url, b.date_source) == (date(2024, 3, 16), "https://x.example/y", "front matter")


def test_saved_page_without_date_says_so(tmp_path: Path) -> None:
    p = write(tmp_path / "nodate.html", "<html><body><article><p>" + "North Korea fired a missile. " * 20
              + "</p></article></body></html>")
    with pytest.raises(ArticleError, match=r"nodate\.html: no publication date.*page itself"):
        load_article(p)


def test_extract_page_fragment_falls_back() -> None:
    title, outlet, url, published, text = extract_page("<p>One</p>")
    assert text == "One" and outlet == url == "" and published is None


# --- batches ---------------------------------------------------------------------------
def test_load_articles_file_folder_glob(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md"):
        write(tmp_path / name, "---\npublished: 2023-08-06\n---\nTitle\n\nBody.\n")
    write(tmp_path / "README.md", "# not an article\n")
    write(tmp_path / "a.yaml", "outlet: sidecar, not an article\n")
    assert [a.path.name for a in load_articles(tmp_path)] == ["a.md", "b.txt"]
    assert [a.path.name for a in load_articles(str(tmp_path / "*.txt"))] == ["b.txt"]
    assert [a.path.name for a in load_articles("b.txt", root=tmp_path)] == ["b.txt"]
    assert [a.path.name for a in load_articles(PAGES)] == ["agency_page_jsonld.html", "wire_launch_page.html"]


def test_load_articles_errors_name_the_place(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    write(empty / "notes.yaml", "a: 1\n")
    with pytest.raises(ArticleError, match=r"folder .*empty: no article files in it \(allowed: \.txt"):
        load_articles(empty)
    with pytest.raises(ArticleError, match=r"pattern '.*\*\.html': no article files"):
        load_articles(str(tmp_path / "*.html"))
    with pytest.raises(ArticleError, match=r"missing: article file or folder not found"):
        load_articles(tmp_path / "missing")
    with pytest.raises(ArticleError, match="article_path is empty"):
        load_articles(" ")
    bad = tmp_path / "batch"
    bad.mkdir()
    write(bad / "good.txt", "---\npublished: 2023-08-06\n---\nT\n\nBody.\n")
    write(bad / "latin1.txt", "caf\xe9".encode("latin-1"))
    with pytest.raises(ArticleError, match=r"latin1\.txt: not UTF-8"):
        load_articles(bad)
    with pytest.raises(ArticleError, match=r"applies to one article, but this names 2"):
        load_articles(bad, published="2023-08-06")


def test_unreadable_article_names_file(tmp_path: Path) -> None:
    import os

    p = write(tmp_path / "locked.txt", "---\npublished: 2023-08-06\n---\nT\n\nBody.\n")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running with privileges that ignore file permissions")
        with pytest.raises(ArticleError, match=r"locked\.txt: cannot read the article file"):
            load_articles(tmp_path)
    finally:
        p.chmod(0o644)


def test_unsupported_suffix(tmp_path: Path) -> None:
    p = write(tmp_path / "a.pdf", "x")
    with pytest.raises(ArticleError, match=r"a\.pdf: unsupported article format '\.pdf'; allowed"):
        load_article(p)
