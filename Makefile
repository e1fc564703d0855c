# Two entry points, the same on a fresh machine and in CI: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8501
TEAM_PORT ?= 8080

.PHONY: setup run test browser services team bench

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

# Browser tests need Debian's Chromium; install it when missing (root with apt, as in CI).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Chromium missing: install Debian's chromium (browser tests skip, or fail when CI=true)"; fi; \
	fi

# The team deployment and its tests need Debian's PostgreSQL and nginx; install them when missing (root with apt, as in CI).
services:
	@if [ ! -d /usr/lib/postgresql ] || { ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; }; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql nginx >/dev/null; \
	  else echo "PostgreSQL or nginx missing: install Debian's postgresql and nginx (their tests skip, or fail when CI=true)"; fi; \
	fi

test: setup browser services
	$(VENV)/bin/python -m pytest

# PostgreSQL, two app replicas and nginx on http://localhost:$(TEAM_PORT) (README, "Team deployment"); Ctrl-C stops them.
team: setup services
	$(VENV)/bin/python -m deploy.team --port $(TEAM_PORT)

bench: setup
	$(VENV)/bin/python bench/dashboard.py
