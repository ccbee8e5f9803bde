# `make run` and `make test` do all the set-up on a fresh machine: a virtualenv in
# .venv with breakd installed (editable) and its test tools. `make test-min` runs the
# suite again in .venv-min, on the lowest version of each dependency pyproject allows.
# `make bench` measures breakd installed from a wheel in .venv-bench, which the script
# builds and rebuilds when the sources change: an editable install would flatter it.
# `make install` is for daily use: breakd in its own venv under ~/.local/share/breakd
# (a regular install, not tied to this checkout) and `breakd` on PATH through a
# symlink in ~/.local/bin; `make uninstall` takes both away again.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MIN_VENV := .venv-min
MIN_BIN := $(MIN_VENV)/bin
BENCH_VENV ?= .venv-bench

.PHONY: run test test-min lint fuzz bench clean install uninstall screenshot

# Where `make install` puts breakd: PREFIX/share/breakd/venv, and PREFIX/bin/breakd.
PREFIX ?= $(HOME)/.local
APP_DIR := $(PREFIX)/share/breakd
APP_VENV := $(APP_DIR)/venv
# What pip installs: this checkout, or a wheel built from it (the tests pass one).
INSTALL_FROM ?= .

$(BIN)/breakd: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m compileall -q breakd  # as a wheel install would: no compiling at each start
	touch $@

run: $(BIN)/breakd
	@echo "breakd runs in the foreground; Ctrl-C stops it. From another terminal:"
	@echo "  $(BIN)/breakd status    (or \`make install\` once, then plain \`breakd status\`)"
	$(BIN)/breakd run

# A fresh venv each time, so an install never mixes two versions; the symlink is the
# only thing outside APP_DIR, and it points into it.
install:
	rm -rf $(APP_VENV)
	$(PYTHON) -m venv $(APP_VENV)
	$(APP_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(INSTALL_FROM)
	mkdir -p $(PREFIX)/bin
	ln -sfn $(APP_VENV)/bin/breakd $(PREFIX)/bin/breakd
	@$(APP_VENV)/bin/breakd --version
	@echo "installed: $(PREFIX)/bin/breakd -> $(APP_VENV)/bin/breakd"
	@case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; \
		*) echo "$(PREFIX)/bin is not on your PATH; add it (e.g. in ~/.profile):"; \
		   echo '  export PATH="$(PREFIX)/bin:$$PATH"' ;; esac
	@echo "next: breakd autostart enable   (starts breakd now and at every login)"

# docs/screenshot.png: a real reminder from the real daemon, under Xvfb + dunst.
screenshot: $(BIN)/breakd
	$(BIN)/python -m tests.screenshot docs/screenshot.png

# Autostart is switched off first: it would point at the Python removed here.
uninstall:
	@if [ -x $(APP_VENV)/bin/breakd ]; then $(APP_VENV)/bin/breakd autostart disable || true; fi
	@if [ -L $(PREFIX)/bin/breakd ] && [ "$$(readlink $(PREFIX)/bin/breakd)" = "$(APP_VENV)/bin/breakd" ]; then \
		rm -f $(PREFIX)/bin/breakd; echo "removed $(PREFIX)/bin/breakd"; fi
	rm -rf $(APP_DIR)
	@echo "your config and state stay: ~/.config/breakd, ~/.local/state/breakd"

# Two workers: the suite waits on real processes more than it computes, and CI has two cores.
test: $(BIN)/breakd lint
	$(BIN)/pytest -n 2

$(MIN_BIN)/breakd: pyproject.toml .ci/lowest_versions.py
	$(PYTHON) -m venv $(MIN_VENV)
	$(PYTHON) .ci/lowest_versions.py > $(MIN_VENV)/lowest.txt
	$(MIN_BIN)/python -m pip install --quiet --disable-pip-version-check \
		--constraint $(MIN_VENV)/lowest.txt -e '.[test]'
	touch $@

test-min: $(MIN_BIN)/breakd
	@echo "the lowest versions allowed:" $$(cat $(MIN_VENV)/lowest.txt)
	$(MIN_BIN)/pytest -n 2

lint: $(BIN)/breakd
	$(BIN)/ruff check breakd tests benchmarks
	$(BIN)/ruff format --check breakd tests benchmarks

# The long form of tests/fuzz: 10,000 examples per target and a 30-day soak; not in CI.
# Prints the totals docs/faults.md reports. SEED=n replays one soak.
FUZZ_TALLY := build/fuzz-tally.jsonl
fuzz: $(BIN)/breakd
	mkdir -p build && rm -f $(FUZZ_TALLY)
	BREAKD_FUZZ=long BREAKD_FUZZ_TALLY=$(FUZZ_TALLY) BREAKD_SOAK_SEED=$(SEED) \
		$(BIN)/pytest -n 2 tests/fuzz; status=$$?; \
		$(BIN)/python -m tests.fuzz.tally $(FUZZ_TALLY); exit $$status

bench:
	$(PYTHON) benchmarks/footprint.py --venv $(BENCH_VENV) $(ARGS)

clean:
	rm -rf $(VENV) $(MIN_VENV) $(BENCH_VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
