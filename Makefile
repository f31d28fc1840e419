# tender — two commands: `make run` (set up and serve the demo) and `make test`.
# `make setup` is the idempotent step both call.

PYTHON  ?= $(shell command -v python3.11 || command -v python3)
VENV    := .venv
BIN     := $(VENV)/bin
FLASK   := $(BIN)/flask --app wsgi
HOST    ?= 127.0.0.1
PORT    ?= 5000

# Debian packages: Japanese fonts for PDFs, HarfBuzz subsetting (WeasyPrint subsets fonts
# 5x faster with it), pg_dump/pg_restore/psql for backups of a PostgreSQL database; for the tests,
# pdftotext and the Chromium that Playwright drives.
APT_RUNTIME := fonts-ipaexfont libharfbuzz-subset0 postgresql-client
APT_TEST    := poppler-utils chromium
# Word and Excel copies of the 様式 are checked as LibreOffice renders them (tests/forms/test_libreoffice.py).
APT_OFFICE  := libreoffice-writer-nogui libreoffice-calc-nogui
# benchmarks/scale.py drives the pages with wrk.
APT_BENCH   := wrk
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup setup-test run worker test test-browser clean-db db demo lint bench

setup: $(VENV)/.installed apt-runtime

setup-test: setup apt-test

define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(2) $$missing; \
	fi
endef

.PHONY: apt-runtime apt-test
apt-runtime:
	$(call apt_install,$(APT_RUNTIME))

apt-test:
	$(call apt_install,$(APT_TEST))
	$(call apt_install,$(APT_OFFICE),--no-install-recommends)

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	@touch $@

db: setup
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo --if-empty

run: demo
	@echo "==> http://$(HOST):$(PORT)/"
	$(FLASK) run --host $(HOST) --port $(PORT)

# A job-queue worker with its scheduler (needs CELERY_BROKER_URL or REDIS_URL; see README, topology).
worker: setup
	$(BIN)/celery -A tender.worker worker --beat --loglevel=INFO

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Static checks: ruff (rules in pyproject.toml), the one-way layers (.importlinter), and mypy on
# the pure rules and the forms.
lint: setup-test
	$(BIN)/ruff check tender forms tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

# A ministry's volume on the local PostgreSQL server (benchmarks/scale.py; options: SCALE_ARGS).
bench: setup-test
	$(call apt_install,$(APT_BENCH))
	$(BIN)/python benchmarks/scale.py $(SCALE_ARGS)

clean-db:
	rm -f instance/tender.db
