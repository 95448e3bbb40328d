# `make demo` and `make test` each make their own virtual environment in .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean

$(BIN)/tribe-tui: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/tribe-tui
	$(BIN)/tribe-tui demo

lint: $(BIN)/tribe-tui
	$(BIN)/lint-imports

test: $(BIN)/tribe-tui lint
	$(BIN)/pytest -n auto -q

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
