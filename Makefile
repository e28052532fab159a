# Two commands on a fresh machine (Python 3.11 and PyPI reachable):
#   make up     install with uv, then run NATS + the four services + the console (embedded default)
#   make test   install with uv (and Chromium for the console's browser tests), then run the
#               whole test suite (it starts its own NATS, PostgreSQL, services and console)

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: install up test lint bench browser screenshots

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet --user uv || \
		python3 -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen

up: install
	$(UV) run --frozen unionctl up

# Three pytest-xdist workers, a test file each at a time (most tests wait on NATS and SQL, so
# three fit two cores): 6 to 8 minutes here, against 14 on one. TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 3

test: install browser
	$(UV) run --frozen pytest -n $(TEST_WORKERS) --dist loadfile

# The console's browser tests again, saving their screenshots into the guide (docs/console).
screenshots: install browser
	SCREENSHOTS=docs/console $(UV) run --frozen pytest -n $(TEST_WORKERS) --dist loadfile apps/console/tests/browser

# The console's browser tests drive a real Chromium: CHROMIUM_PATH, a chromium on PATH, or
# Playwright's own download. Missing: installed with apt-get when we are root, else we stop
# with the command to run (the tests never skip).
browser:
	@if [ -n "$$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1 || \
		command -v chromium-browser >/dev/null 2>&1 || \
		ls -d $$HOME/.cache/ms-playwright/chromium-* >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium and fonts-noto-cjk for the console's browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-noto-cjk poppler-utils; \
	else \
		echo "The console's browser tests need Chromium. Run:" >&2; \
		echo "  sudo apt-get install -y chromium fonts-noto-cjk poppler-utils" >&2; \
		echo "(or: uv run playwright install --with-deps chromium; or set CHROMIUM_PATH)" >&2; \
		exit 1; \
	fi

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

bench: install
	$(UV) run --frozen python bench/event_store.py
