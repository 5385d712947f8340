# Every target builds the virtual environment it needs, so a fresh clone
# runs `make demo` or `make test` with nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test demo lint system bench conformance clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Chromium (browser tests) and the Node peer libraries (interop tests).
system:
	bash scripts/setup-system.sh

lint: $(STAMP)
	$(BIN)/ruff check src
	$(BIN)/mypy src

test: $(STAMP) system lint
	$(BIN)/python -m pytest

demo: $(STAMP)
	$(BIN)/python -m jwtkit.demo

# Compares jwtkit with the other Python JWT libraries; writes docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Runs the conformance and interop suites; writes docs/conformance.md.
conformance: $(STAMP) system
	$(BIN)/python -m pytest -q tests/interop
	$(BIN)/python scripts/conformance_report.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
