# khenthuong: `make run` starts the product, `make test` runs the suite (both set up from scratch).
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: help install run test test-sqlite lint fmt bench messages messages-check check-deploy clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "Python >= 3.11 is required (python3.11 or newer on PATH)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $@

install: $(VENV)/.installed ## Create .venv and install pinned dependencies

# axe-core for the browser tests (package-lock.json pins it); skipped where npm is absent
# (the browser tests then skip too, and fail under CI=true).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: browser tests will be skipped (install Node.js and Chromium to run them)"; fi

messages: install ## Compile translations (vi default, en); the compiled .mo is committed, so no gettext is needed to run
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; \
	else echo "msgfmt (GNU gettext) not found: using the committed locale/en/LC_MESSAGES/django.mo"; fi

messages-check: install ## The committed .mo matches the .po; every string has an English translation
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
	@git diff --quiet -- locale || { echo "FAIL: locale/*.mo is not compiled from the committed .po (run make messages and commit)."; exit 1; }
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench --ignore=templates/notifications/en -v0
	@test -z "$$(msgattrib --untranslated --no-obsolete locale/en/LC_MESSAGES/django.po; msgattrib --only-fuzzy --no-obsolete locale/en/LC_MESSAGES/django.po)" || { msgattrib --untranslated --no-obsolete locale/en/LC_MESSAGES/django.po; msgattrib --only-fuzzy --no-obsolete locale/en/LC_MESSAGES/django.po; echo "FAIL: English catalogue has untranslated or fuzzy entries (above): translate them in locale/en/LC_MESSAGES/django.po, drop the fuzzy flags, run make messages and commit both files."; exit 1; }

run: install messages ## Migrate, load demo data, serve on http://127.0.0.1:8000 (SQLite, Celery eager)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install messages node_modules/.installed ## Run checks and the whole suite (DATABASE_URL/CELERY_BROKER_URL pick PostgreSQL/Redis)
	$(PY) manage.py makemigrations --check --dry-run -v1
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install ## Ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install ## Ruff fix and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: install ## Django's deployment checklist on the production settings
	DJANGO_SETTINGS_MODULE=config.settings.production BALLOT_KEY_ENCRYPTION_KEY=$$(python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())') SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))') ALLOWED_HOSTS=khenthuong.example.vn $(PY) manage.py check --deploy --fail-level WARNING

bench: install ## Load the 100 000-dossier volume, EXPLAIN the lists, run every benchmark (PostgreSQL: DATABASE_URL, default .../kt_bench)
	@export DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kt_bench}; \
	$(PY) bench/volume.py && $(PY) bench/explain_lists.py && \
	for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean: ## Remove the venv and local data
	rm -rf $(VENV) db.sqlite3 var
