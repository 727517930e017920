# The two commands of the README:
#   make demo   set up (once) and pose the bundled character like the bundled photo
#   make test   set up (once) and run the whole test suite
#   make fuzz   the long fuzzing run (N cases, default 100000; see tests/fuzz/README.md)
# and for working on poseanim:
#   make test-fast  the suite without the slow tests (~100 s CPU; tests/slow_tests.tsv)
#   make lint       ruff and mypy, as configured in pyproject.toml
# Both build a virtual environment in .venv from this checkout (a regular, non-editable
# install, so the tests exercise the package exactly as users get it).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SOURCES := pyproject.toml $(shell find poseanim -type f -not -name '*.pyc' -not -path '*/__pycache__/*')

PLAYERS := tests/players/node_modules/.installed

.PHONY: demo test test-fast lint bench fuzz clean players

N ?= 100000
JOBS ?= 2

$(VENV)/.base: $(SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(BIN)/python -m pip install --quiet ".[test,fomm]"
	touch $@

$(VENV)/.lint: $(VENV)/.test
	$(BIN)/python -m pip install --quiet ".[lint]"
	touch $@

demo: $(VENV)/.base
	mkdir -p out
	$(BIN)/poseanim image examples/photos/astronaut.jpg -i ada -o out/astronaut-ada.svg \
		--debug out/astronaut-landmarks.png

# The Lottie tests play our exports with lottie-web (npm, pinned in tests/players/package-lock.json)
# in headless Chromium; without npm those tests skip and say why (`.ci/run` installs Chromium).
players: $(PLAYERS)

$(PLAYERS): tests/players/package.json tests/players/package-lock.json
	@if command -v npm >/dev/null; then \
		cd tests/players && npm ci --no-audit --no-fund --silent && touch node_modules/.installed; \
	else echo "make: npm not found; the lottie-web tests will be skipped"; fi

test: $(VENV)/.test players
	cd tests && QT_QPA_PLATFORM=offscreen ../$(BIN)/python -m pytest -q -p no:cacheprovider .

fuzz: $(VENV)/.test
	nice $(BIN)/python tests/fuzz/harness.py -n $(N) --jobs $(JOBS) --out out/fuzz

test-fast: $(VENV)/.test
	cd tests && QT_QPA_PLATFORM=offscreen ../$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow" .

lint: $(VENV)/.lint
	$(BIN)/ruff check poseanim tests benchmarks tools
	$(BIN)/mypy

bench: $(VENV)/.test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out build *.egg-info tests/players/node_modules
