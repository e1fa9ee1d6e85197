# Two commands on a fresh machine:  `make run` (serve with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# links in e-mails (PUBLIC_URL's default) follow the served port, in `flask worker` too
export WORKSPACE_PORT := $(PORT)
export FLASK_APP := wsgi

.PHONY: run test lint install install-dev translations extract-messages db demo worker bench bench-clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# The Nu HTML Checker (tests/html/): a Java program shipped by the npm package vnu-jar.
VNU_VERSION := 26.9.27
VNU_STAMP := $(VENV)/vnu/.installed-$(VNU_VERSION)
# Without npm (a bare developer machine) these are left out and their tests skip (CI=true
# makes them fail instead: .ci/run installs npm).
$(VNU_STAMP): | $(BIN)/activate
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION) \
	  && touch $@; \
	else echo "npm not found: the HTML checker tests will be skipped"; fi

# The OpenID Connect provider of the sign-in tests (tests/servers/oidc-provider, locked).
OIDC_PROVIDER := tests/servers/oidc-provider
$(OIDC_PROVIDER)/node_modules/.installed: $(OIDC_PROVIDER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  (cd $(OIDC_PROVIDER) && npm ci --silent --no-audit --no-fund) && touch $@; \
	else echo "npm not found: the OpenID Connect tests will be skipped"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(VNU_STAMP) $(OIDC_PROVIDER)/node_modules/.installed

# Compiled catalogues (.mo) are built, not committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations -f --statistics

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --ignore-dirs ".*" --no-location --sort-output --project=Tilt .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

db: $(VENV)/.installed
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask seed

# Set up, migrate the embedded SQLite database, load the demo data once, serve with a worker.
run: translations demo
	$(BIN)/flask serve --port $(PORT)

# Set up, lint, and run the whole suite in TEST_WORKERS processes (PostgreSQL too when
# WORKSPACE_TEST_DATABASE_URL is set).
TEST_WORKERS ?= 2
test: install-dev translations
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS)

# Lint with ruff (rules in pyproject.toml, reasons in docs/decisions.md). Not yet part of
# `make test`: workspace/ is not clean yet.
lint: install-dev
	$(BIN)/ruff check .

worker: translations
	$(BIN)/flask worker

# Every benchmark, with short durations (about 10 to 15 minutes on 2 cores): each prints its
# figures and writes its JSON to bench/results/ (method and figures: bench/README.md). Needs
# wrk (bench/forum.py), and for bench/capacity.py PostgreSQL on 127.0.0.1:5432 (user postgres)
# and Redis on 127.0.0.1:6379.
bench: $(VENV)/.installed-dev translations
	$(BIN)/python bench/extraction.py --count 100
	$(BIN)/python bench/polling.py --requests 300
	$(BIN)/python bench/upload.py --size-mb 50
	$(BIN)/python bench/forum.py --duration 5 --profile 0
	$(BIN)/python bench/search.py --items 5000 --lagging 500 --rounds 1 --samples 10
	$(BIN)/python bench/capacity.py --db sqlite --quick
	$(BIN)/python bench/capacity.py --db postgresql --quick
