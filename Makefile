# Two entry points, the same on a fresh machine and in CI: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8501

.PHONY: setup run test browser bench

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

test: setup browser
	$(VENV)/bin/python -m pytest

bench: setup
	$(VENV)/bin/python bench/dashboard.py
