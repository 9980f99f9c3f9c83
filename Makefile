# The two commands: `make run` (serve on http://127.0.0.1:8000, with the job worker) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install pwa system-deps lint fmt bench schema clean fuzz

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

pwa:
	@if [ -f pwa/package.json ]; then \
	  cd pwa && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build; \
	fi

run: install pwa
	$(BIN)/python -m backend.cli prestart --demo
	@# ops: the job worker beside the server; Ctrl-C (or the server ending) stops both.
	$(BIN)/python -m backend.cli worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/uvicorn backend.main:app --host $(HOST) --port $(PORT)

system-deps:
	@scripts/system-deps.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy backend sync

test: install system-deps pwa lint
	cd pwa && npm test
	$(BIN)/pytest

# Schemathesis as admin, inspector and device for FUZZ_SECONDS each (make test runs 20 s each, SQLite only).
FUZZ_SECONDS ?= 300
FUZZ_DATABASES ?= sqlite,postgresql
fuzz: install system-deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_DATABASES=$(FUZZ_DATABASES) $(BIN)/pytest tests/backend/test_schemathesis.py -s -p no:cacheprovider

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install
	$(BIN)/python -m backend.checklists.schema

bench: install pwa
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) pwa/node_modules pwa/dist var/app.db*
