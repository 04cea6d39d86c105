# One entry point per task: make demo | test | test-fast | lint | bench
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= demo.db

.PHONY: demo test test-fast lint bench install clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/newsdesk --db $(DB) demo data/sample
	$(BIN)/newsdesk --db $(DB) serve --host 127.0.0.1 --port 8000

# The e2e tests drive Debian's Chromium (never a downloaded browser): install it if missing.
# Debian programs the tests drive: Chromium (browser tests), newsboat in tmux (a feed-reader app).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v newsboat >/dev/null || ! command -v tmux >/dev/null; then \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium newsboat tmux; \
	fi

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

# The inner loop: all but the quality gates, the slow tests and the browser, on JOBS processes.
JOBS ?= 2
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile -m "not quality and not slow and not e2e"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/feed_scale.py

clean:
	rm -rf $(VENV) build *.egg-info $(DB) $(DB)-wal $(DB)-shm
