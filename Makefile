# IP Observatory — two commands: `make run` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= var/ipobs-demo.duckdb
SCALE ?= 1
HOST ?= 127.0.0.1
PORT ?= 8000
STATIC := src/ipobs/web/static/vendor
APT_PACKAGES := chromium poppler-utils fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: run test venv sysdeps assets demo bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the tests and reports need (browser, PDF text, CJK fonts). Runs apt only when
# something is missing; needs root (CI runs as root).
sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# ECharts and Swagger UI (for /docs) from the npm registry (package.json + lock), copied into the
# package's static folder. --ignore-scripts: no install-time scripts (swagger-ui-dist's telemetry).
assets: $(STATIC)/echarts.min.js

$(STATIC)/echarts.min.js: package.json package-lock.json
	npm ci --silent --no-audit --no-fund --ignore-scripts
	mkdir -p $(STATIC)
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(STATIC)/
	cp node_modules/echarts/dist/echarts.min.js $(STATIC)/

$(DB): $(STAMP)
	mkdir -p $(dir $(DB))
	$(BIN)/ipobs demo --db $(DB) --scale $(SCALE) --force

demo: $(DB)

run: $(STAMP) assets $(DB)
	$(BIN)/ipobs run --db $(DB) --host $(HOST) --port $(PORT)

test: $(STAMP) sysdeps assets
	$(BIN)/python -m pytest

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules $(STATIC) var/
