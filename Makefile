# Quick start: `make demo` plans a bundled example, `make test` runs the test suite.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE ?= examples/paris-vienna-2017.yaml

.PHONY: demo test bench bench-optw install clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tripplanner validate $(EXAMPLE)
	mkdir -p build
	$(BIN)/tripplanner plan $(EXAMPLE) --out build/demo-plan.json --force
	$(BIN)/tripplanner show build/demo-plan.json --format html --out build/demo-briefing.html --force
	@echo "briefing: $(abspath build/demo-briefing.html)"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/plan_examples.py
	$(BIN)/python benchmarks/hardening.py
	$(BIN)/python benchmarks/timetables.py
	$(BIN)/python benchmarks/travel_matrix.py
	$(BIN)/python benchmarks/briefing.py

# Peers (PyVRP, VROOM) come from the optional `bench` extra.
bench-optw: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/optw.py ../shared/bench/optw --time-limit 10 --csv optw-results.csv
	$(BIN)/python benchmarks/optw.py benchmarks/data/optw-cordeau --time-limit 10,60 --solvers tripplanner,pyvrp --csv optw-cordeau-results.csv

clean:
	rm -rf $(VENV) build *.egg-info
