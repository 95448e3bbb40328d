# `make demo` and `make run` install the app alone; `make test` adds the test tools. Both install
# into the virtual environment .venv, only from the hash-checked locks in requirements/, so every
# machine gets the versions the suite passed with (`make lock` updates them; see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --require-hashes
TEST_TOOLS := $(VENV)/.test-tools

.PHONY: demo run test test-postgres lint typecheck translations lock clean

# The app and its build backend from requirements/app.lock, then the project itself (editable,
# built with the locked backend rather than whatever PyPI serves today).
$(BIN)/tribe-tui: requirements/app.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements/app.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --no-index -e .
	touch $@

# The test tools from requirements/test.lock (the app's own packages there pin the same versions).
$(TEST_TOOLS): requirements/test.lock $(BIN)/tribe-tui
	$(PIP) -r requirements/test.lock
	touch $@

demo: $(BIN)/tribe-tui
	$(BIN)/tribe-tui demo
	@echo
	@echo "Start tribe-tui again: make run  (sign in: admin / Demo-wachtwoord-2026)"
	@echo "Back into the demo:    make demo (the program itself: $(BIN)/tribe-tui)"

# The app on its default database (the demo's, after `make demo`); ARGS passes options through,
# e.g. make run ARGS='--lang en'.
run: $(BIN)/tribe-tui
	$(BIN)/tribe-tui $(ARGS)

lint: $(TEST_TOOLS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(TEST_TOOLS)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -n auto -q

# The same suite against PostgreSQL (a scratch database per worker on TRIBE_TEST_PG_URL,
# default postgresql://postgres@127.0.0.1:5432/).
test-postgres: $(TEST_TOOLS)
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
	@$(BIN)/pybabel compile -D argparse -d $(LOCALE) -l nl  # argparse's own words (tribe_tui.cli)

# Re-resolve the locks after a change to the dependencies in pyproject.toml. Pins that still fit
# are kept; `make lock UPGRADE=1` moves everything to the newest versions the ranges allow.
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	$(if $(UPGRADE),--upgrade)
lock: $(TEST_TOOLS)
	$(BIN)/python -m pip install --quiet 'uv>=0.5'
	$(UV_COMPILE) pyproject.toml requirements/build.in -o requirements/app.lock
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra test --extra postgres \
		-c requirements/app.lock -o requirements/test.lock

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache
