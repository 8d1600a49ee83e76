# The two commands of the README: `make run` and `make test`. Everything else is for developers.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SANDBOX_PORT ?= 4010
PORT ?= 8000
DEFAULT_REVOX_URL := http://127.0.0.1:$(SANDBOX_PORT)/api
CHROMIUM := /usr/bin/chromium

# Tests that run a second time on PostgreSQL (`pytest --database postgres`), with the
# several-app-servers ones (which skip on SQLite): whatever touches the database in a way the
# two could differ. Sandbox, client, security and most browser tests touch it the same way.
POSTGRES_TESTS := tests/assistants tests/team tests/history tests/faq_review tests/editors tests/cache tests/calls \
  tests/jobs/test_runner.py tests/test_form_renderer.py tests/revox/test_streamed_listing.py tests/security/test_abuse_limits.py tests/security/test_odd_addresses.py \
  tests/changes tests/e2e/test_change_sets.py \
  tests/test_query_counts.py tests/multiworker tests/e2e/test_assistants_journey.py \
  tests/e2e/test_faq_review.py tests/e2e/test_multiworker_conflict.py tests/e2e/test_call_record.py

# apt-get install $(1), as root or through sudo, quietly. Services the packages would start
# (Debian's postgresql starts a cluster of its own) are held back: the tests start their own.
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
  held=; if [ ! -e /usr/sbin/policy-rc.d ]; then \
    printf '\043!/bin/sh\nexit 101\n' | $$SUDO tee /usr/sbin/policy-rc.d >/dev/null && \
    $$SUDO chmod +x /usr/sbin/policy-rc.d && held=1; fi; \
  $$SUDO apt-get update -qq && \
  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
  status=$$?; if [ -n "$$held" ]; then $$SUDO rm -f /usr/sbin/policy-rc.d; fi; exit $$status

.PHONY: run test lint format bench sandbox venv chromium test-servers clean

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@# The checkout on the venv's path (as an editable install would put it), so that a plain
	@# `pytest` finds the plugin pyproject.toml loads (tests/databases.py), not only `python -m`.
	@$(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' | \
	  xargs -I{} sh -c 'echo "$(CURDIR)" > {}/revox-admin.pth'
	@touch $(STAMP)

venv: $(STAMP)

# A .env with a fresh SECRET_KEY, made once, so a fresh clone runs with DEBUG off.
.env:
	@cp .env.example .env
	@key=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	  sed -i "s|^SECRET_KEY=.*|SECRET_KEY=$$key|" .env
	@echo "Wrote .env (with a new SECRET_KEY); edit it to point at the real Revox."

# The dashboard on http://127.0.0.1:$(PORT), with the sandbox and its demo data unless
# REVOX_API_URL (in the environment or .env) points elsewhere, and the background job worker
# (bulk FAQ actions, the periodic refresh).
run: $(STAMP) .env
	@set -euo pipefail; mkdir -p var staticfiles; \
	url=$${REVOX_API_URL:-$$(grep -E '^REVOX_API_URL=' .env | cut -d= -f2- || true)}; url=$${url:-$(DEFAULT_REVOX_URL)}; \
	$(PY) manage.py migrate --no-input -v 0; \
	REVOX_ADMIN_URL=http://127.0.0.1:$(PORT) $(PY) manage.py ensure_admin; \
	sandbox_pid=""; \
	if [ "$$url" = "$(DEFAULT_REVOX_URL)" ]; then \
	  export REVOX_API_URL=$$url REVOX_API_KEY=$${REVOX_API_KEY:-sandbox-key}; \
	  $(PY) -m sandbox --port $(SANDBOX_PORT) --data var/sandbox.sqlite3 --seed demo & sandbox_pid=$$!; \
	  trap 'kill $$sandbox_pid 2>/dev/null || true' EXIT INT TERM; \
	  for i in $$(seq 50); do curl -sf http://127.0.0.1:$(SANDBOX_PORT)/__sandbox__/health >/dev/null && break; sleep 0.2; done; \
	fi; \
	$(PY) manage.py sync_assistants || echo "Revox could not be reached yet; the dashboard will retry."; \
	$(PY) manage.py jobs_worker -v 0 & worker_pid=$$!; \
	trap 'kill $$worker_pid $$sandbox_pid 2>/dev/null || true' EXIT INT TERM; \
	echo "Revox Admin on http://127.0.0.1:$(PORT), with its job worker  (Ctrl-C stops it all)"; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

sandbox: $(STAMP)
	$(PY) -m sandbox --port $(SANDBOX_PORT) --seed demo

# Chromium from Debian's packages, for the browser tests (Playwright cannot download one here).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then ( $(call APT_INSTALL,chromium fonts-dejavu-core) ); fi
	@$(CHROMIUM) --version

# PostgreSQL and Redis from Debian's packages, for the tests that start throwaway servers.
test-servers:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null \
	   || ! command -v redis-server >/dev/null; then \
	  ( $(call APT_INSTALL,postgresql redis-server) ); fi
	@ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1; redis-server --version | cut -d' ' -f1-3

# The whole suite on SQLite, then the database-touching part again on PostgreSQL with the
# several-app-servers tests; both always run, and either failing fails `make test`.
test: $(STAMP) chromium test-servers
	@status=0; \
	$(PY) -m pytest -n auto --dist loadfile || status=1; \
	echo "== The database-touching tests again, on PostgreSQL, with several app servers =="; \
	$(PY) -m pytest -n auto --dist loadfile --database postgres $(POSTGRES_TESTS) || status=1; \
	exit $$status

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
