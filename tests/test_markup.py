"""Values from input files are inert in summary.md and index.html; links only for http(s) URLs."""

from __future__ import annotations

from html.parser import HTMLParser

import mistune
import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from titfortat.report.markup import is_http_url, md_code, md_link, md_text, plural
from titfortat.report.narrative import build_summary
from titfortat.report.runner import build_html

HOSTILE = ["<img src=x onerror=alert(1)>", "<script>alert('outlet')</script>", "[click](javascript:alert(1))",
           "![x](javascript:alert(2))", "**bold** _it_ `code` <b>", "a\n\n# heading\n- item", "$x^2$ & &amp; \\",
           "<a href='javascript:alert(3)'>x</a>", "<svg/onload=alert(4)>"]


def _render(md: str) -> str:
    """A strict CommonMark-style render that passes raw HTML through (as GitHub-like viewers may)."""
    return mistune.create_markdown(escape=False, plugins=["strikethrough", "url"])(md)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _inert(rendered: str) -> None:
    """No element that runs code: no script/img/svg/iframe, no on* attribute, no javascript: link."""
    parser = _Elements()
    parser.feed(rendered)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "svg", "iframe", "object", "embed"), (tag, rendered)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, rendered)
            assert not (value or "").strip().lower().startswith("javascript"), (tag, name, rendered)


@pytest.mark.parametrize("value", HOSTILE)
def test_md_text_renders_as_plain_text(value):
    html = _render(f"Before {md_text(value)} after")
    _inert(html)
    assert html.count("<p>") == 1 and "<h1" not in html and "<li" not in html and "<strong" not in html


@given(st.text(max_size=60))
def test_md_text_never_yields_markup(value):
    html = _render(f"x {md_text(value)} y")
    assert "<" not in html.replace("<p>", "").replace("</p>", "").replace("<br />", "")


@given(st.text(max_size=40))
def test_md_code_is_one_code_span(value):
    html = _render(f"x {md_code(value)} y")
    assert "<script" not in html and "<img" not in html


def test_links_only_for_http_urls():
    assert is_http_url("https://example.org/a?b=1") and is_http_url("http://example.org")
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", " https://x.org", "data:text/html,<b>", "ftp://x.org",
                "https://", "//example.org", "https://exa mple.org", None, 3):
        assert not is_http_url(bad), bad
        assert "](" not in md_link("source", bad)
    html = _render(md_link("source", "https://example.org/a(b)<c>"))
    assert 'href="https://example.org/a%28b%29%3Cc%3E"' in html


def test_plural():
    assert plural(1, "day") == "1 day" and plural(2, "day") == "2 days" and plural(0, "coded mention") == "0 coded mentions"
    assert plural(1, "match") == "1 match" and plural(3, "match") == "3 matches" and plural(2, "city") == "2 cities"


def _article_results(title: str, outlet: str, url: str, negated: bool = False) -> dict:
    item = {"actor": "DPRK", "side": "DPRK", "action": "missile_launch", "start": "2023-08-03", "end": "2023-08-03",
            "date_text": "Thursday", "negated": negated, "hedged": False, "participants": [], "sentence_index": 1,
            "sentence": "x", "matched_event_ids": ["<svg/onload=alert(5)>"]}
    return {"parameters": {"tolerance_days": 1}, "article": {"title": title, "outlet": outlet, "url": url,
                                                             "published": "2023-08-06"},
            "extracted": [item], "claims": [{"phrase": "<b>intensified</b>", "side": "DPRK",
                                             "explanation": "<i>x</i>", "verdict": "supported"}]}


def test_hostile_article_metadata_is_inert_in_summary():
    text = build_summary({"01_article": _article_results(HOSTILE[0], HOSTILE[1], "javascript:alert(1)")},
                         title="<script>t</script>")
    html = _render(text)
    _inert(html)
    assert "javascript" not in text and "href" not in html
    assert "1 coded action (mentions of one event merged)" in text and "within 1 day" in text and "1 action matches" in text
    ok = build_summary({"01_article": _article_results("T", "O", "https://example.org/story")})
    assert '<a href="https://example.org/story">source</a>' in _render(ok)


def test_negated_mention_is_not_listed_as_a_plain_match():
    text = build_summary({"01_article": _article_results("T", "O", "", negated=True)})
    assert "0 actions match" in text and "1 negated mention" in text
    assert "Negated in the article" in text and ": matches" not in text


def test_exercises_are_named_as_exercises():
    r = {"parameters": {"pre_days": 1, "post_days": 14, "exercise_actions": ["joint_exercise"], "exercise_months": [8],
                        "min_exercise_days": 5},
         "period": {"start": "2016-01-01", "end": "2025-12-31"}, "n_exercises": 1,
         "aggregate": {w: {"rate_per_30_days": 1.0} for w in ("before", "during", "after")},
         "exercises": [{"exercise_id": "e1", "name": "<img src=x onerror=alert(1)> Ulchi", "start": "2023-08-21",
                        "end": "2023-08-31", "n_during": 2}], "rate_ratios": []}
    text = build_summary({"04_exercise_windows": r})
    assert "Over 1 exercise (joint exercise rows starting in August, lasting 5 days or more;" in text
    assert "in the 1 day before the exercises" in text and "2 actions" in text
    _inert(_render(text))


def test_index_html_is_sanitized():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/markdown": "<img src=x onerror=alert(1)> <script>alert(2)</script> [a](javascript:alert(3))",
        "text/html": "<b onclick=alert(4)>b</b><script>alert(5)</script>"})]
    nb.cells = [cell, nbformat.v4.new_markdown_cell("<iframe src=javascript:alert(6)></iframe>")]
    html = build_html([nb], title="t")
    body = html.split("<body", 1)[1]
    _inert("<body" + body)
    assert "<b>b</b>" in body or "<b>b" in body  # harmless markup is kept
