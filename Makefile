# PanelHub: `make run` serves the demo, `make test` runs the suite. Both set up
# everything they need (virtual environment, packages) on a fresh machine.

# The first interpreter that actually runs and is 3.11 or newer (pyenv shims may exist
# for versions that are not installed, so each candidate is tried, not just looked up).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; \
	done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install lint format check migrate seed worker beat ci clean totp journeys journeys-deps

# manage.py, wsgi.py, asgi.py and Celery default to the production settings; the
# development targets choose the local ones explicitly (DEBUG on, SQLite without
# DATABASE_URL, eager Celery without Redis). Tests use panelhub.settings.test (pyproject).
DEV_SETTINGS := panelhub.settings.local
run seed migrate worker beat check totp: export DJANGO_SETTINGS_MODULE = $(DEV_SETTINGS)

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "PanelHub needs Python 3.11 or newer (python3.11, python3.12 or python3 on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements/constraints.txt requirements/build-constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.3"
	$(BIN)/python -m pip install --quiet \
		--build-constraint requirements/build-constraints.txt \
		-c requirements/constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# Without Redis there is no Celery beat: a dispatcher loop beside the web server plans the
# day's notices once and sends what falls due every minute (mail to console and var/mail/).
run: seed
	@echo "PanelHub is at http://$(HOST):$(PORT)/ (Ctrl-C stops it). Mail goes to the console and var/mail/."
	$(BIN)/python manage.py dispatch_notices --plan --every 60 & dispatcher=$$!; \
		trap 'kill $$dispatcher 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser journeys (tests/browser): Debian's chromium (apt-get install chromium) and axe-core
# from the npm registry, pinned in tests/browser/package-lock.json. Screenshots: var/journeys/.
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts
	@touch $(AXE)

journeys-deps: install $(AXE)
	@test -x /usr/bin/chromium || { echo "The journeys need Debian's chromium: apt-get install chromium"; exit 1; }

journeys: journeys-deps
	CI_REQUIRE_BROWSER=1 $(BIN)/python -m pytest tests/browser -m browser -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The current two-step sign-in code of a demo officer, admin, board member or superuser:
#   make totp EMAIL=officer@helena.panelhub.demo
totp: install
	@test -n "$(EMAIL)" || { echo "usage: make totp EMAIL=officer@helena.panelhub.demo"; exit 2; }
	@$(BIN)/python manage.py demo_totp "$(EMAIL)"

worker: install
	$(BIN)/celery -A panelhub worker --loglevel=INFO

beat: install
	$(BIN)/celery -A panelhub beat --loglevel=INFO

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/panelhub.sqlite3 .pytest_cache
