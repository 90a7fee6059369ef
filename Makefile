# Two commands on a fresh machine: `make run` and `make test`. Both create .venv and install into it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The PKCE-enforcing OIDC provider the SSO tests run under Node (tests/support/oidc_provider, docs/authentication.md).
OIDC_PROVIDER := tests/support/oidc_provider
NODE_STAMP := $(OIDC_PROVIDER)/node_modules/.installed-stamp

.PHONY: install test-deps run test test-fast lint format i18n bench clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# npm ci again when the lock changes or node_modules is gone (the stamp lives inside it).
$(NODE_STAMP): $(OIDC_PROVIDER)/package.json $(OIDC_PROVIDER)/package-lock.json
	npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

test-deps: $(NODE_STAMP)

## Start the whole platform on embedded services with a demo tenant (Ctrl-C stops everything).
run: install
	$(BIN)/sampark up --demo $(ARGS)

## Run every test against real PostgreSQL and Redis (embedded unless SAMPARK_DATABASE_URL/SAMPARK_REDIS_URL are set).
test: install test-deps
	$(BIN)/python -m pytest $(ARGS)

## Skip the browser tests.
test-fast: install test-deps
	$(BIN)/python -m pytest -m "not browser" $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(sort $(foreach d,platform tenants billing workers web,$(if $(shell find $(d) -name "*.py" -print -quit 2>/dev/null),$(d))))

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Extract the messages, merge them into every catalog (.po), then list what is left to translate.
## Nothing to compile: the app compiles each .po in memory on first use (docs/localization.md).
i18n: install
	$(BIN)/python -m sampark.platform.i18n.catalogs update
	$(BIN)/python -m sampark.platform.i18n.catalogs check

bench: install
	$(BIN)/python bench/provision.py --tenants 200
	$(BIN)/python bench/migrate.py --tenants 1000
	$(BIN)/python bench/routing.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(OIDC_PROVIDER)/node_modules
