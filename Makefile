# Two entry points (see README): `make demo` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
CLICKGEN := $(VENV)/bin/clickgen
EXAMPLE := examples/reference

.PHONY: setup toolchains demo test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Go, PHP, PHPUnit and composer for the langpacks' own tests, Chromium + chromedriver for
# the catalog's browser test; Node packages (ajv and the public conformance suites) for
# the agreement tests; nats-server (JetStream) and the Go NATS client for the delivery
# tests (cached: a second run installs nothing).
toolchains:
	./scripts/install-toolchains.sh
	./scripts/install-test-deps.sh
	./scripts/install-broker.sh

demo: setup
	$(CLICKGEN) --reference $(EXAMPLE) validate
	$(CLICKGEN) --reference $(EXAMPLE) build --out build

# one worker per core (at most 4: each worker builds its own session fixtures); a
# file's tests stay in one worker, in order (module fixtures are made once)
test: setup toolchains
	$(PY) -m pytest -q -n auto --maxprocesses 4 --dist loadfile

bench: setup
	$(PY) benchmarks/bench_validate.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
