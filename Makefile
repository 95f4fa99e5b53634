# Everything runs through .venv/bin/..., so no virtualenv activation is needed.
# `make run` serves the app on http://$(HOST):$(PORT), with the worker that imports
# uploaded sheets; `make test` runs the tests (on SQLite files), `make test-postgres`
# the same tests on a throwaway PostgreSQL cluster.
# DATABASE_URL and SECRET_KEY are read from the environment when set
# (default: SQLite in instance/quiz.sqlite, and a random key the first start writes
# to instance/secret_key).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install: pip runs again only when pyproject.toml is newer.
STAMP := $(VENV)/.install-stamp

HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2

# Interface translations: each .po catalog compiles to the .mo Flask-Babel reads.
TRANSLATIONS := quiz/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: install run test test-postgres lint clean messages

install: $(STAMP) $(MO_FILES)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "error: quiz needs Python 3.11 or newer ($(PYTHON) is too old)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Recompiled only when its catalog changed (pybabel comes with the install).
$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --domain messages --input-file $< --output-file $@

# After changing interface strings: refresh the template and the catalogs,
# translate the new entries in each messages.po, then `make install`.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --width 100

# init-db creates the database, or upgrades it to this version's schema (migrations)
# keeping every row, before the sheets are imported and the site served: gunicorn and
# the queue worker that imports uploaded sheets, side by side; when either stops, or
# on Ctrl-C, the supervisor stops the other.
run: install
	$(BIN)/quiz init-db
	$(BIN)/quiz import-sheets
	@echo "Serving on http://$(HOST):$(PORT)/ with an import worker (Ctrl-C to stop)"
	$(BIN)/python -m quiz.supervisor \
		"$(BIN)/gunicorn --config python:quiz.gunicorn_config --workers $(WORKERS) --bind $(HOST):$(PORT) quiz:create_app()" \
		"$(BIN)/quiz worker"

# The linters first: a style or typing fault fails the test run too.
test: install lint
	$(BIN)/python -m pytest

# The same suite with every database on one throwaway PostgreSQL cluster, which
# the tests start (initdb as user postgres when run as root) and delete afterwards.
test-postgres: install
	$(BIN)/python -m pytest --postgres

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy quiz/generate

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
