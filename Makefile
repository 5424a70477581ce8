# The two commands of README's quick start: `make run` and `make test`.
# Each sets up what it needs by itself: the virtualenv, Python packages, Debian packages.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium

.PHONY: run demo test lint docs system-deps clean

$(BIN)/seedcheck: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian packages the browser tests need; installed only when missing (needs root or sudo).
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Crawl the real seeds' originals, build the database and serve it (Ctrl-C stops).
run: $(BIN)/seedcheck
	$(BIN)/seedcheck seeds
	$(BIN)/seedcheck run

# The whole flow offline on an invented demo site and a local web archive.
demo: $(BIN)/seedcheck
	$(BIN)/seedcheck demo

test: $(BIN)/seedcheck system-deps
	$(BIN)/ruff check .
	$(BIN)/pytest

docs: $(BIN)/seedcheck
	$(BIN)/cog -r README.md metadata.yml

clean:
	rm -rf $(VENV) data/seedcheck.db
