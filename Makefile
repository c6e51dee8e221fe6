# The README's two commands: `make run` and `make test`. Each creates .venv on first use and
# installs the locked dependencies (hash-checked), then the project itself without resolving.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
RUNTIME := $(VENV)/.runtime
STAMP := $(VENV)/.installed
LOCK_TOOLS := $(VENV)/pip-tools
COMPILE := $(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

.PHONY: run test lint demo sandbox lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# `make run`: the runtime set only (requirements.lock).
$(RUNTIME): pyproject.toml requirements.lock | $(BIN)/python
	$(PIP) install --require-hashes -r requirements.lock
	$(PIP) install --no-deps -e .
	touch $@

# Everything else: the runtime set plus the test and lint tools (requirements-test.lock).
$(STAMP): pyproject.toml requirements-test.lock | $(BIN)/python
	$(PIP) install --require-hashes -r requirements-test.lock
	$(PIP) install --no-deps -e .
	touch $@

run: $(RUNTIME)
	$(BIN)/astravue-bot serve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Before every commit: style, format, strict types and the import contracts CI enforces.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict bot
	$(BIN)/lint-imports --no-logo

demo: $(RUNTIME)
	$(BIN)/astravue-bot demo

sandbox: $(RUNTIME)
	$(BIN)/astravue-bot sandbox

# After changing dependencies in pyproject.toml: re-resolve both lock files (pip-tools).
lock: | $(BIN)/python
	test -x $(LOCK_TOOLS)/bin/pip-compile || \
		($(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/python -m pip --quiet install pip-tools)
	$(COMPILE) --output-file requirements.lock pyproject.toml
	$(COMPILE) --extra test --output-file requirements-test.lock pyproject.toml
