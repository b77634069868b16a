# kieumau: `make run` serves the demo, `make test` runs every test. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# The machine's python3 may be 3.11; vietnam-provinces 2026.x needs 3.12+.
# Try python3.13/python3.12 on PATH (a pyenv shim only counts if it really runs), then pyenv's versions.
define find_python
$(shell for p in python3.13 python3.12 \
	$$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.1[3-9]*/bin/python3 $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.12*/bin/python3 2>/dev/null | sort -rV); do \
	  if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$p || echo $$p; break; fi; done)
endef

# psycopg's speed is in its C implementation: the pure-Python one turns rows into values in Python
# (bench_dashboard: the national API took 76 ms instead of 50 on PostgreSQL). Where a C compiler and
# Debian's libpq-dev (pg_config) are present, psycopg-c is built from its locked source against the
# system's libpq, which Debian keeps patched; elsewhere, or when that build fails, psycopg-binary
# brings its own libpq.
define can_build_psycopg_c
command -v pg_config >/dev/null 2>&1 && command -v cc >/dev/null 2>&1
endef
UV_VERSION := 0.13.9
LOCK_ARGS ?=

.PHONY: run test bench lint install install-test static lock venv clean

venv:
	@[ -x $(PY) ] && exit 0; \
	BASE="$(find_python)"; \
	if [ -z "$$BASE" ]; then echo "kieumau needs Python >= 3.12: none found on PATH nor under pyenv (install python3.12 or python3.13)." >&2; exit 1; fi; \
	echo "Using $$BASE"; \
	$$BASE -m venv $(VENV)

# Every Python package, the test tools included, comes from requirements.lock with its hashes
# (`make lock` writes it from pyproject.toml); kieumau itself is then installed without deps.
$(VENV)/.installed: pyproject.toml requirements.lock requirements-c.lock requirements-binary.lock package.json package-lock.json
	@$(MAKE) --no-print-directory venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@if $(can_build_psycopg_c) && { echo "Building psycopg-c against the system's libpq (about a minute)"; \
	    $(PY) -m pip install --quiet --require-hashes -r requirements-c.lock; }; then :; \
	else echo "psycopg-c not built here (no compiler, no libpq-dev, or its build failed): installing psycopg-binary."; \
	  $(PY) -m pip install --quiet --require-hashes -r requirements-binary.lock; fi
	$(PY) -m pip install --quiet --no-deps -e .
	npm ci --no-audit --no-fund --loglevel=error
	$(MAKE) --no-print-directory static
	touch $@

# Front-end files from node_modules and the apps' own, hashed and compressed into the static root
# (KIEUMAU_STATIC_ROOT, default var/static): what production serves, so it needs no npm at run time.
static:
	KIEUMAU_DEBUG=$${KIEUMAU_DEBUG:-1} $(VENV)/bin/kieumau manage collectstatic --noinput --verbosity 0

# The test extra is part of the lock, so installing is the same for tests.
$(VENV)/.installed-test: $(VENV)/.installed
	touch $@

# Rewrite the locks from pyproject.toml (PyPI only; pins already in the lock are kept unless
# LOCK_ARGS=--upgrade). One lock for every platform and Python >= 3.12, with the test extra.
lock: venv
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --universal \
	  --python-version 3.12 --custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o requirements.lock
	for flavour in binary c; do \
	  echo "psycopg-$$flavour==$$(sed -n 's/^psycopg==\([^ ]*\).*/\1/p' requirements.lock)" | \
	    $(VENV)/bin/uv pip compile - --generate-hashes --universal --python-version 3.12 \
	    --custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o requirements-$$flavour.lock; done

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	mkdir -p var
	KIEUMAU_DEBUG=$${KIEUMAU_DEBUG:-1} $(VENV)/bin/kieumau manage migrate --noinput
	KIEUMAU_DEBUG=$${KIEUMAU_DEBUG:-1} $(VENV)/bin/kieumau load-tree
	KIEUMAU_DEBUG=$${KIEUMAU_DEBUG:-1} $(VENV)/bin/kieumau demo
	KIEUMAU_DEBUG=$${KIEUMAU_DEBUG:-1} $(VENV)/bin/kieumau serve --port $(PORT)

# Two passes: SQLite, then PostgreSQL when KIEUMAU_TEST_POSTGRES_URL names a server (.ci/run starts
# one). KIEUMAU_EXPECT_DB_VENDOR lets the suite check it really runs on the database of its pass.
test: install-test
	@if [ "$$CI" = "true" ] && [ -z "$$KIEUMAU_TEST_POSTGRES_URL" ]; then \
	  echo "CI=true but KIEUMAU_TEST_POSTGRES_URL is not set: the PostgreSQL pass cannot run." >&2; exit 1; fi
	$(VENV)/bin/ruff check src tests bench
	@echo "== tests on SQLite"
	env -u KIEUMAU_DATABASE_URL KIEUMAU_EXPECT_DB_VENDOR=sqlite $(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$KIEUMAU_TEST_POSTGRES_URL" ]; then \
	  echo "== tests on PostgreSQL"; \
	  KIEUMAU_DATABASE_URL="$$KIEUMAU_TEST_POSTGRES_URL" KIEUMAU_EXPECT_DB_VENDOR=postgresql \
	    $(PY) -m pytest $(PYTEST_ARGS); \
	else \
	  echo "== PostgreSQL pass not run: set KIEUMAU_TEST_POSTGRES_URL=postgres://USER@HOST:PORT/DB to run it"; \
	fi

bench: install-test
	$(PY) bench/run.py $(BENCH_ARGS)

lint: install-test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3
