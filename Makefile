# diplograph: `make demo` runs the main job, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= demo-store

.PHONY: demo test install install-test lint clean pictures

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
	$(BIN)/ruff check .
	$(BIN)/pytest -q
	$(BIN)/pytest -q --nbmake notebooks/

# the README pictures, drawn from the seed articles (docs/img/)
PICTURES_STORE ?= /tmp/diplograph-pictures-store
CHROMIUM ?= chromium
pictures: install
	rm -rf $(PICTURES_STORE)
	$(BIN)/diplograph ingest seeds/ --store $(PICTURES_STORE) --quiet
	$(BIN)/diplograph pictures --store $(PICTURES_STORE) -o docs/img
	$(BIN)/diplograph viz --store $(PICTURES_STORE) --initiative Sochi -o $(PICTURES_STORE).html
	if command -v $(CHROMIUM) >/dev/null; then $(CHROMIUM) --headless --no-sandbox --disable-gpu \
	  --disable-background-networking --disable-component-update --no-first-run \
	  --user-data-dir=$(PICTURES_STORE)-chromium --hide-scrollbars --window-size=1200,700 \
	  --screenshot=$(abspath docs/img/viz-sochi.png) file://$(PICTURES_STORE).html; fi

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(STORE) kg.ttl .pytest_cache .hypothesis
