# Monitor: `make run` to serve the dashboard and the worker, `make test` to run the whole suite.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run serve worker migrate test test-scale-out test-fast lint typecheck bench clean

# Reinstalls only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py bootstrap

WEB_WORKERS ?= 2
WEB_THREADS ?= 4

# Serves the dashboard with gunicorn (static files by whitenoise) and runs the background worker; Ctrl-C
# stops both. For development with auto-reload, use `make serve` and `make worker` instead.
run: migrate
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Dashboard: http://$(HOST):$(PORT)/  (worker log below; Ctrl-C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py run_huey & \
	$(VENV)/bin/gunicorn monitor.wsgi --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) --threads $(WEB_THREADS) \
	  --access-logfile - --timeout 60

# Development server: reloads on code changes; not for real users.
serve: migrate
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

worker: migrate
	$(PY) manage.py run_huey

# The suite: the type check (mypy --strict on sources/ and monitor/), the layering contract (sources/ never
# imports monitor/, monitor/nlp/ imports no Django), the dependency check (every import pinned, every pin
# used), then pytest.
test: install
	$(PY) -m mypy sources monitor
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/deptry .
	$(PY) -m pytest

# The whole pytest suite again in the scale-out configuration: PostgreSQL through DATABASE_URL and Huey on
# Redis. Uses the servers .ci/run starts (MONITOR_TEST_DATABASE_URL, a role that may create databases, and
# MONITOR_TEST_REDIS_URL); without them it fails rather than skips.
test-scale-out: install
	@test -n "$$MONITOR_TEST_DATABASE_URL" && test -n "$$MONITOR_TEST_REDIS_URL" || \
		{ echo "test-scale-out needs MONITOR_TEST_DATABASE_URL and MONITOR_TEST_REDIS_URL: run .ci/run, or start PostgreSQL and Redis and set them"; exit 1; }
	DATABASE_URL="$${MONITOR_TEST_DATABASE_URL%/*}/monitor_suite" REDIS_URL="$${MONITOR_TEST_REDIS_URL%/*}/1" \
		$(PY) -m pytest -p no:cacheprovider

test-fast: install
	$(PY) -m pytest -m "not browser and not services"

typecheck: install
	$(PY) -m mypy sources monitor

lint: install
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/deptry .

bench: install
	$(PY) benchmarks/poll.py
	$(PY) benchmarks/extraction.py
	$(PY) benchmarks/dedup.py
	$(PY) benchmarks/nlp_eval.py
	$(PY) benchmarks/nlp_unseen.py
	$(PY) benchmarks/nlp.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache
