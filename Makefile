# The SSUP curriculum: two commands for a newcomer (`make lab`, `make test`), the rest for authors.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOK_DIRS := notebooks exercises solutions trainer
# strict nbval over every notebook plus the unit tests, two workers, one notebook per worker at a time
PYTEST_ARGS ?= --nbval -n 2 --dist loadscope $(NOTEBOOK_DIRS) tests

.PHONY: setup lab test database exercises check-sync notebooks data bench clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## setup: local virtual environment with the pinned dependencies, and the trainee's database
setup: $(STAMP)
	$(BIN)/python -c "import ssup.db; print('database ready:', ssup.db.connect() and ssup.db.database_path())"

## lab: set everything up and open JupyterLab at the welcome notebook
lab: setup
	$(BIN)/jupyter lab notebooks/00_welcome.ipynb

## test: set everything up and run every test (strict nbval on all notebooks + unit tests)
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## exercises: write exercises/ from solutions/ (one source)
exercises: $(STAMP)
	$(BIN)/python -m ssup.build exercises

## check-sync: fail when a committed exercise differs from what the build would write
check-sync: $(STAMP)
	$(BIN)/python -m ssup.build check

## notebooks: re-execute the lessons and solutions in place (they are committed executed)
notebooks: $(STAMP)
	$(BIN)/python -m ssup.build execute notebooks/*.ipynb solutions/*.ipynb trainer/*.ipynb

## data: regenerate the committed company data from the default seed
data: $(STAMP)
	$(BIN)/python -m ssup.data generate --seed 2026 --out data

## bench: measure notebook, suite, check, database and grading times (figures, not pass/fail)
bench: setup
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench_grading

clean:
	rm -rf $(VENV) .ssup_home .pytest_cache
