"""``python -m titfortat.report``: run every notebook into one report folder."""
import sys

from titfortat.report.runner import main

sys.exit(main())
