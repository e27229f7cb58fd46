# Two commands: `make run` starts the whole service with embedded defaults,
# `make test` runs the suite against real PostgreSQL and Redis.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUM := $(shell cksum pyproject.toml | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)

.PHONY: install install-test run test lint bench messages clean

# The service's dependencies; the test extra (pytest, the browser driver, throwaway
# servers) only for the commands that need it.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

install: $(STAMP)

install-test: $(TEST_STAMP)

run: install
	$(BIN)/python manage.py runall

test: install-test
	$(BIN)/python scripts/test_services.py $(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Each benchmark and its figures: benchmarks/README.md.
bench: install-test
	$(BIN)/python -m benchmarks.roster

# English labels: refresh locale/en from the Chinese message ids, translate the new
# entries, compile (needs GNU gettext; the compiled .mo is committed).
messages: install
	$(BIN)/python manage.py makemessages -l en --no-location --ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --ignore='benchmarks/*'
	$(BIN)/python manage.py compilemessages -l en --ignore='.venv/*'

clean:
	rm -rf $(VENV) var
