# diplograph: `make demo` runs the main job, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= demo-store

.PHONY: demo test install install-test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

demo: install
	rm -rf $(STORE)
	$(BIN)/diplograph ingest seeds/ --store $(STORE) --quiet
	@echo "== who supports what =="
	$(BIN)/diplograph stances --polarity support --store $(STORE)
	@echo "== who rejects what =="
	$(BIN)/diplograph stances --polarity reject --store $(STORE)
	$(BIN)/diplograph export --store $(STORE) -o kg.ttl
	$(BIN)/diplograph validate --store $(STORE)

test: install-test
	$(BIN)/pytest -q

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(STORE) kg.ttl .pytest_cache .hypothesis
