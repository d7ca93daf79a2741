# customer_relations: the two commands are `make run` and `make test`.
# Options (all optional): DB, PORT, WORKERS, CRON_THREADS, GEVENT_PORT, HTTP_INTERFACE,
# ODOO_SRC, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD.
SHELL := /bin/bash
DB ?= customer_relations_demo
PORT ?= 8069
WORKERS ?= 0
# Empty: Odoo's defaults (2 cron workers or threads, websocket on PORT + 3, all interfaces).
CRON_THREADS ?=
GEVENT_PORT ?=
HTTP_INTERFACE ?=
export DB PORT WORKERS CRON_THREADS GEVENT_PORT HTTP_INTERFACE

.PHONY: help setup run test lint shell bench pot
help:
	@echo "make run    set up what is missing, create/upgrade the demo database $(DB), serve Odoo on http://localhost:$(PORT)"
	@echo "make test   set up, install the addon in a throwaway database, run the whole suite with coverage"
	@echo "make lint   ruff, ruff format and pylint-odoo through pre-commit"
	@echo "make shell  Odoo shell on $(DB)"
	@echo "make bench  benchmarks (lines 'BENCH <name> <value> <unit>')"
	@echo "make pot    regenerate the translation template from the code, merge it into the translations (it.po)"

setup:
	@bash .ci/setup.sh

run: setup
	@bash .ci/serve.sh

test: setup
	@bash .ci/test.sh

lint: setup
	@bash .ci/lint.sh

shell: setup
	@bash .ci/shell.sh

bench: setup
	@bash .ci/bench.sh

pot: setup
	@bash .ci/pot.sh
