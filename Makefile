# Two commands matter: `make run` and `make test`. Everything else is for maintainers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test test-faults bench lint clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Set up, migrate the database, load the shipped catalog and start the bot
## (the local console chat when TELEGRAM_BOT_TOKEN is not set).
run: install
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
