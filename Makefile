# `make demo` and `make test` each make their own virtual environment in .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-postgres lint clean

$(BIN)/tribe-tui: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/tribe-tui
	$(BIN)/tribe-tui demo

lint: $(BIN)/tribe-tui
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: $(BIN)/tribe-tui lint
	$(BIN)/pytest -n auto -q

# The same suite against PostgreSQL (a scratch database per worker on TRIBE_TEST_PG_URL,
# default postgresql://postgres@127.0.0.1:5432/).
test-postgres: $(BIN)/tribe-tui
	TRIBE_TEST_BACKEND=postgres $(BIN)/pytest -n auto -q

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
