"""titfortat: helper library of the Korean Peninsula tension-cycle workbook.

Modules, one concern each:

- :mod:`titfortat.paths` -- repository root and path resolution for notebooks.
- :mod:`titfortat.schema` -- the events codebook, loading and validation of events CSVs.
- :mod:`titfortat.results` -- deterministic JSON results files.
- :mod:`titfortat.frequencies`, :mod:`titfortat.pairing`, :mod:`titfortat.nulls`,
  :mod:`titfortat.sequences`, :mod:`titfortat.exercises` -- the analyses.
- :mod:`titfortat.plots` -- plotting functions that take ``ax=``.
- :mod:`titfortat.articles`, :mod:`titfortat.dates`, :mod:`titfortat.coder`,
  :mod:`titfortat.linking` -- news-article loading, event coding and claim checks.
- :mod:`titfortat.narrative` -- the generated summary text.
- :mod:`titfortat.report` -- the papermill report runner behind ``make report``.
"""

__version__ = "0.1.0"
