"""titfortat: helper library of the Korean Peninsula tension-cycle workbook.

The package follows the flow text -> events -> statistics -> report:

- :mod:`titfortat.text` -- news articles: loading, date resolution, coding, linking to events.
- :mod:`titfortat.events` -- the events codebook and the loader/validator of events CSVs.
- :mod:`titfortat.stats` -- frequencies, pairing, null models, sequences, exercise windows.
- :mod:`titfortat.report` -- plots (functions taking ``ax=``), the narrative, the papermill runner.
- :mod:`titfortat.paths`, :mod:`titfortat.results` -- path resolution and the JSON output contract.
"""

__version__ = "0.1.0"
