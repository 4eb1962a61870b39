# Two commands matter: `make run` and `make test`. Everything else is for maintainers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

PIP    := $(BIN)/python -m pip --disable-pip-version-check
# pip-tools for `make constraints` (a maintainer tool, kept out of constraints.txt itself).
PIP_TOOLS_VERSION := 7.7.0

.PHONY: install install-run constraints run test test-faults bench lint clean

# Every package comes from a constraints file, each checked against its sha256 (--require-hashes): constraints.txt
# holds everything (runtime, PostgreSQL driver, tests and tools: `make install`, for `make test`),
# constraints-run.txt what running needs (runtime and PostgreSQL driver, no pytest or ruff: `make install-run`,
# for `make run`). The project itself is then installed without dependencies and without build isolation (its
# build backend, setuptools and wheel, is pinned and hashed there too), and `pip check` refuses a pyproject.toml
# dependency missing from the file.
define venv_install
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11.x is required ($(1) is compiled for it); run: rm -rf .venv && make PYTHON=python3.11 install")'
	$(PIP) install --quiet --require-hashes --only-binary=:all: -r $(1)
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	$(PIP) check
endef

$(STAMP): pyproject.toml constraints.txt
	$(call venv_install,constraints.txt)
	touch $(STAMP) $(RUN_STAMP)

$(RUN_STAMP): pyproject.toml constraints-run.txt
	$(call venv_install,constraints-run.txt)
	touch $(RUN_STAMP)

install: $(STAMP)

install-run: $(RUN_STAMP)

## Regenerate constraints.txt (everything) and constraints-run.txt (no dev extra), exact versions with hashes,
## from pyproject.toml and constraints.in, for Python 3.11. Keeps every pin that still fits; `make constraints
## UPGRADE=1` moves everything to the newest allowed. constraints-run.txt starts from constraints.txt's pins, so
## both files always name the same version of a package.
COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
constraints:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip-compile --version 2>/dev/null | grep -q 'version $(PIP_TOOLS_VERSION)$$' || $(PIP) install --quiet 'pip-tools==$(PIP_TOOLS_VERSION)'
	$(COMPILE) --extra postgres --extra dev $(if $(UPGRADE),--upgrade) --output-file constraints.txt pyproject.toml constraints.in
	cp constraints.txt constraints-run.txt
	$(COMPILE) --extra postgres --output-file constraints-run.txt pyproject.toml constraints.in

## Set up what running needs (no test tools), migrate the database, load the shipped catalog and start the bot
## (the local console chat when TELEGRAM_BOT_TOKEN is not set).
run: install-run
	$(BIN)/chitieu db upgrade
	$(BIN)/chitieu catalog load
	$(BIN)/chitieu run

## The test suite, storage tests on SQLite and PostgreSQL (TEST_DATABASE_URL).
test: install
	$(BIN)/python -m pytest -q

## Crash, outage, concurrency and fuzz tests (longer; CI runs them too), on both cores.
test-faults: install
	$(BIN)/python -m pytest -q -m "slow or faults" -n 2 -s

## Benchmarks: prints figures with their goals.
bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check bot conversations storage reports tests bench

clean:
	rm -rf $(VENV) data .pytest_cache .hypothesis
