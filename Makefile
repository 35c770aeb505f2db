# The workbook's two commands: `make report` and `make test`. Only python3 and make are assumed;
# .venv/ is created from the pinned lock file the first time either runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PARAMS ?=
# 05_summary reads every other notebook's results (06 included), so it runs last in nbval and `make notebooks`.
NOTEBOOKS := $(filter-out notebooks/05_summary.ipynb,$(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))) notebooks/05_summary.ipynb

.PHONY: help venv report test test-lib test-browser test-notebooks notebooks codebook params-table lab bench lock clean

help:
	@echo "make report [PARAMS=params.yaml]  run every notebook with papermill into reports/<...>"
	@echo "make test                         library tests + strict nbval of the committed notebooks"
	@echo "make lab                          open the workbook in JupyterLab"
	@echo "make bench                        run the speed benchmarks (prints times and memory)"
	@echo "make lock                         re-pin requirements.lock from pyproject.toml"

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/python -m titfortat.report $(if $(PARAMS),--params $(PARAMS))

test: $(STAMP)
	$(BIN)/python -m pytest tests -q -m "not slow and not browser" -p no:cacheprovider
	$(BIN)/python -m pytest tests -q -m "slow and not browser" -p no:cacheprovider
	@echo "Browser tests (JupyterLab and index.html in headless Chromium; skipped when /usr/bin/chromium is missing):"
	$(BIN)/python -m pytest tests -q -m browser -rs -p no:cacheprovider
	$(BIN)/python -m pytest --nbval $(NOTEBOOKS) -q -p no:cacheprovider --nbval-sanitize-with notebooks/nbval_sanitize.cfg

test-lib: $(STAMP)
	$(BIN)/python -m pytest tests -q -m "not browser" -p no:cacheprovider

test-browser: $(STAMP)
	$(BIN)/python -m pytest tests -q -m browser -rs -p no:cacheprovider

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval $(NOTEBOOKS) -q -p no:cacheprovider --nbval-sanitize-with notebooks/nbval_sanitize.cfg

# Re-execute the committed notebooks in place with their defaults (after data or code changes),
# so that the saved outputs nbval compares are current.
notebooks: $(STAMP)
	@for nb in $(NOTEBOOKS); do echo "executing $$nb"; \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=600 "$$nb" || exit 1; \
	  $(BIN)/python -m titfortat.report.notebook_tools scrub "$$nb"; done

# Regenerate the readable codebook from data/codebook.yaml.
codebook: $(STAMP)
	$(BIN)/python -c "from titfortat.events.schema import render_codebook_markdown as r; open('data/CODEBOOK.md','w').write(r())"

# Regenerate the README's parameter table from notebooks/parameters.yaml.
params-table: $(STAMP)
	$(BIN)/python -m titfortat.report.parameters readme

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pairing.py
	$(BIN)/python benchmarks/bench_inference.py
	$(BIN)/python benchmarks/bench_coder.py
	$(BIN)/python benchmarks/bench_robustness.py
	$(BIN)/python benchmarks/bench_report.py

# Re-pin the lock file (needs network to PyPI); uv is installed into a throwaway venv.
lock:
	$(PYTHON) -m venv /tmp/titfortat-lock && /tmp/titfortat-lock/bin/pip install --quiet uv
	/tmp/titfortat-lock/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --generate-hashes --no-header -o requirements.lock

clean:
	rm -rf $(VENV) reports/
