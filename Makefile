# The command index. `make run` and `make test` install what they need into .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: run serve test test-fast check-data review dictionary lint fmt bench bench-exports \
	bench-export-sizes load load-replicas profile-server screenshots basemap clean

$(RUNTIME): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(RUNTIME)  ## the dashboard on http://localhost:8501
	$(BIN)/streamlit run app.py

N ?= 2
PORT ?= 8500
serve: $(RUNTIME)  ## N replicas (default 2) behind nginx on http://localhost:$(PORT); Ctrl-C stops all
	$(BIN)/python deploy/serve.py --replicas $(N) --port $(PORT)

test: $(DEV)  ## lint, then every test: unit, data, app, browser (needs Debian's chromium)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

test-fast: $(DEV)  ## everything but the browser tests
	$(BIN)/python -m pytest -m "not browser"

check-data: $(RUNTIME)  ## validate data/ (or $$FOOTPRINT_DATA_DIR): FILE:LINE: column: problem
	$(BIN)/python -m footprint validate

review: $(RUNTIME)  ## the maintainer's worklist for today: unchecked claims, lapsed forecasts, old evidence
	$(BIN)/python -m footprint review

dictionary: $(RUNTIME)  ## regenerate the data dictionary in data/README.md from the schema
	$(BIN)/python -m footprint dictionary

lint: $(DEV)  ## ruff, ruff format --check, and mypy over src/ (pyproject.toml's [tool.mypy])
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

fmt: $(DEV)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(DEV)  ## time the map vs a naive page and a floor page (real data, 1k, 10k sites): bench/results.md
	$(BIN)/python -m bench.run

bench-exports: $(DEV)  ## time a five-slide deck and a 24-frame animation on the real data: bench/exports.md
	$(BIN)/python bench/exports.py

BEFORE ?=
bench-export-sizes: $(DEV)  ## every export (csv ... html) at 58, 1k, 10k sites: seconds, peak MB -> bench/export-sizes.md
	$(BIN)/python -m bench.export_sizes $(if $(BEFORE),--before $(BEFORE))

profile-server: $(DEV)  ## py-spy a server answering Next/Previous clicks: CPU per action, where it goes
	$(BIN)/python -m bench.profile_server

load: $(DEV)  ## 20 browser sessions for 60 s on one server: errors, p50/p95, memory -> bench/load-results.md
	$(BIN)/python -m bench.load

load-replicas: $(DEV)  ## the same through nginx: 1 replica, 2, 2 with one killed -> bench/load-replicas.md
	$(BIN)/python -m bench.load_replicas

screenshots: $(DEV)  ## retake the README's pictures: docs/screenshot.png (needs chromium), docs/briefing.png
	$(BIN)/python scripts/screenshot.py docs/screenshot.png
	$(BIN)/python -m footprint export --format png --view 'view=brief&asof=2020-04-05' --out docs/briefing.png

# Dev only: rebuilds data/basemap/ in a venv of its own (.venv-build, requirements-basemap.txt).
# Needs npm and Debian's gmt and gmt-gshhg-high; the GitHub inputs go in $(BASEMAP_INPUTS)
# (the build names any that is missing, with its address). See data/basemap/SOURCES.md.
BUILD_VENV := .venv-build
BASEMAP_INPUTS ?= ../basemap-inputs

$(BUILD_VENV)/.installed: requirements-basemap.txt
	test -x $(BUILD_VENV)/bin/python || $(PY) -m venv $(BUILD_VENV)
	$(BUILD_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-basemap.txt
	touch $@

basemap: $(BUILD_VENV)/.installed  ## rebuild data/basemap/ from scripts/basemap_inputs.toml (inputs in BASEMAP_INPUTS)
	$(BUILD_VENV)/bin/python scripts/build_basemap.py --inputs $(BASEMAP_INPUTS)

clean:
	rm -rf $(VENV) static .pytest_cache .ruff_cache
