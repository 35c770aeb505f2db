"""Text: news articles to coded, dated actions, and their links to the events data.

- :mod:`titfortat.text.articles` -- loading articles (text, Markdown, HTML) and their metadata.
- :mod:`titfortat.text.dates` -- resolving date phrases against the publication date.
- :mod:`titfortat.text.coder` -- the dictionary coder: who did what, and when.
- :mod:`titfortat.text.linking` -- linking coded items to rows of the events data; pace claims.
"""
