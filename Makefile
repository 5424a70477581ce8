# The two commands of README's quick start: `make run` and `make test`.
# Each sets up what it needs by itself: the virtualenv, Python packages, Debian packages.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium redis-server wget nodejs
# pywb pins redis 2.10 (and fakeredis < 1), which the crawl frontier's redis >= 5 cannot share
# an environment with: it gets its own virtualenv inside ours, found by archive/app/pywb.py.
PYWB := $(VENV)/pywb/bin/wayback
# ReplayWeb.page's static files (ui.js, sw.js), for the test that opens an exported WACZ in it.
REPLAYWEBPAGE := replaywebpage@2.5.3
REPLAY := .replay/package/sw.js

.PHONY: run demo test lint docs system-deps replaywebpage clean

$(BIN)/seedcheck: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(PYWB): | $(BIN)/seedcheck
	$(PYTHON) -m venv $(VENV)/pywb
	$(VENV)/pywb/bin/pip install --quiet 'pywb>=2.8,<2.11'

# The npm package as published (its files are built already): `npm pack` fetches it from the
# registry without the development dependencies a full install would resolve.
$(REPLAY): | system-deps
	mkdir -p .replay
	cd .replay && npm pack --silent $(REPLAYWEBPAGE) && tar xzf replaywebpage-*.tgz
	touch $@

replaywebpage: $(REPLAY)

# Debian packages the tests need (chromium, redis; wget writes WARCs for the import tests,
# nodejs brings npm); installed only when missing (needs root or sudo).
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
demo: $(BIN)/seedcheck $(PYWB)
	$(BIN)/seedcheck demo

test: $(BIN)/seedcheck $(PYWB) system-deps $(REPLAY)
	$(BIN)/ruff check .
	$(BIN)/pytest

docs: $(BIN)/seedcheck
	$(BIN)/cog -r README.md metadata.yml

clean:
	rm -rf $(VENV) data/seedcheck.db
