"""Text: news articles to coded, dated actions, and their links to the events data.

- :mod:`titfortat.text.articles` -- loading articles (text, Markdown, saved web pages through
  trafilatura and htmldate) and their metadata, one file or a batch.
- :mod:`titfortat.text.dates` -- date phrases, datelines, times of day and KST days.
- :mod:`titfortat.text.coder` -- the dictionary coder: who did what, and when.
- :mod:`titfortat.text.linking` -- linking coded items to rows of the events data; batches and
  candidate events; pace claims.
- :mod:`titfortat.text.evaluation` -- recall and precision of dated actions against gold labels.
"""
