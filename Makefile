# StackNex Platform. `make run` starts everything; `make test` proves it.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_DIR := .run
GATEWAY_URL ?= https://127.0.0.1:8443
READY_TIMEOUT ?= 90
# Playwright drives Debian's Chromium (`make browser`); it never fetches a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: install run up down test lint migrate infra browser cert keys bench chaos clean client

$(VENV)/.installed: pyproject.toml clients/python/pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet -e clients/python
	@touch $@

install: $(VENV)/.installed

infra:
	@bash scripts/ensure-infra.sh

# Debian's Chromium for the browser tests (tests/browser/); instant when it is installed.
browser:
	@bash scripts/ensure-browser.sh

migrate: install infra
	@$(VENV)/bin/stacknex migrate

# The typed Python client, regenerated from the committed OpenAPI document
# (tests/unit/test_client_fresh.py fails while it is stale).
client: install
	@$(PY) clients/python/regenerate.py

cert:
	@bash scripts/dev-cert.sh $(RUN_DIR)/tls

# Each service's Ed25519 signing key and every service's public key (kept once made).
keys: install
	@$(VENV)/bin/stacknex keys generate $(RUN_DIR)/keys

run: migrate cert keys
	@$(VENV)/bin/stacknex demo --file $(RUN_DIR)/demo.json
	@echo "StackNex gateway: $(GATEWAY_URL)  dashboard: $(GATEWAY_URL)/dashboard/  (plain HTTP on :8080 answers 403 HTTPS_REQUIRED; Ctrl-C stops every service)"
	@$(PY) -m cli.devrun

up: migrate cert keys
	@mkdir -p $(RUN_DIR)
	@if [ -f $(RUN_DIR)/platform.pid ] && kill -0 $$(cat $(RUN_DIR)/platform.pid) 2>/dev/null; then \
		echo "already running (pid $$(cat $(RUN_DIR)/platform.pid)); 'make down' first"; exit 1; fi
	@nohup $(PY) -m cli.devrun > $(RUN_DIR)/platform.log 2>&1 & echo $$! > $(RUN_DIR)/platform.pid
	@if $(PY) -m cli.devrun --wait-ready $(READY_TIMEOUT); then \
		$(VENV)/bin/stacknex demo --file $(RUN_DIR)/demo.json; \
		echo "StackNex is up: gateway $(GATEWAY_URL); logs in $(RUN_DIR)/platform.log; 'make down' stops it"; \
	else \
		echo "StackNex did not become ready; last log lines:"; tail -n 40 $(RUN_DIR)/platform.log; \
		$(MAKE) --no-print-directory down; exit 1; fi

down:
	@if [ -f $(RUN_DIR)/platform.pid ]; then \
		pid=$$(cat $(RUN_DIR)/platform.pid); \
		if kill -TERM $$pid 2>/dev/null; then \
			for _ in $$(seq 1 60); do kill -0 $$pid 2>/dev/null || break; sleep 0.5; done; \
			echo "StackNex stopped"; fi; \
		rm -f $(RUN_DIR)/platform.pid; \
	else echo "StackNex is not running (no $(RUN_DIR)/platform.pid)"; fi

test: install infra browser
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install infra
	@bash scripts/bench-tools.sh
	$(PY) -m bench.gateway $(BENCH_ARGS)
	$(PY) -m bench.request_log
	$(PY) -m bench.write_path --products 1
	$(PY) -m bench.write_path --products 50
	$(PY) -m bench.fanout --events 2000 --endpoints 5
	$(PY) -m bench.scale

# The chaos suite with the receiver down for the full minute (make test runs it with 10 s).
chaos: install infra
	STACKNEX_CHAOS_RECEIVER_DOWN=60 $(PY) -m pytest tests/e2e/test_chaos.py -s $(PYTEST_ARGS)

# The client's generated modules are the generator's to lint and type; only the hand-written
# ones (clients/python/pyproject.toml's ruff excludes) are checked.
lint: install
	$(VENV)/bin/ruff check cli libs services tests bench clients/python
	$(VENV)/bin/ruff format --check cli libs services tests bench clients/python
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy --follow-imports=silent clients/python/stacknex_client/pagination.py clients/python/stacknex_client/signatures.py

clean:
	rm -rf $(VENV) $(RUN_DIR) .pytest_cache .mypy_cache .ruff_cache
