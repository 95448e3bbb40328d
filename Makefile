# `make demo` and `make test` each make their own virtual environment in .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-postgres lint translations clean

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

# Message catalogues: find every key in the code (the functions that take one: see
# tribe_tui/i18n/__init__.py), add the new ones to both .po files, drop the unused ones, compile the .mo
# files (committed, so a checkout, an editable install and the wheel all find them).
LOCALE := tribe_tui/locale
I18N_KEYWORDS := -k t -k tr -k msg:2 -k tn:1,1 -k trn:1,1 -k N_
translations: $(BIN)/tribe-tui
	@$(BIN)/pybabel extract --no-default-keywords $(I18N_KEYWORDS) --no-location --sort-output \
		--omit-header -o $(LOCALE)/tribe_tui.pot tribe_tui
	@$(BIN)/pybabel update -D tribe_tui -i $(LOCALE)/tribe_tui.pot -d $(LOCALE) --no-fuzzy-matching \
		--ignore-obsolete --ignore-pot-creation-date
	@$(BIN)/pybabel compile -D tribe_tui -d $(LOCALE)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
