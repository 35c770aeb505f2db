"""Report: figures, the generated narrative, notebook helpers and the papermill runner.

The runner lives in :mod:`titfortat.report.runner` (``python -m titfortat.report``).
"""
