# Two commands set everything up on a fresh machine with Python 3.11:
#   make run   - virtualenv, migrations, demo data, staff account; serves http://127.0.0.1:8000 with a Celery worker
#   make test  - test requirements, lint, the whole suite (MariaDB/Redis tests too when DATABASE_URL/REDIS_URL are set)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: run test fuzz lint monitoring format migrate demo serve messages lighthouse bench-search bench-api bench-checkout bench-payments bench-scaleout bench-images clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The base set has no MySQL driver, so `make run` works on a machine without its C headers.
$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements/base.txt
	touch $@

$(VENV)/.test-installed: requirements/base.txt requirements/test.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements/test.txt
	touch $@ $(VENV)/.base-installed

mysql-driver: | $(BIN)/python
	@if echo "$$DATABASE_URL" | grep -q '^mysql'; then $(BIN)/pip install -q -r requirements.txt; fi

# The file broker's folders (the embedded default): tasks queued from migrations, demo data and the web process
# land there before a worker has started.
migrate: $(VENV)/.base-installed mysql-driver
	@mkdir -p var/celery/broker var/celery/processed var/celery/control
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo_data --if-empty
	$(BIN)/python manage.py demo_staff

run: demo
	@echo "Store: http://$(HOST)/   Admin: http://$(HOST)/admin/   API docs: http://$(HOST)/api/v1/docs/"
	@echo "Celery worker and beat log to var/celery/worker.log"
	@$(BIN)/celery -A config worker --beat --pool=solo --loglevel=INFO > var/celery/worker.log 2>&1 & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec deploy/docker-compose.yml
	@$(MAKE) --no-print-directory monitoring

# Prometheus, its alert rules (with their unit tests) and Alertmanager, checked without Docker. promtool and amtool
# come from Debian's prometheus and prometheus-alertmanager packages (.ci/run installs them).
monitoring:
	@command -v promtool >/dev/null && command -v amtool >/dev/null || \
	  { echo "promtool/amtool missing: apt-get install prometheus prometheus-alertmanager"; exit 1; }
	promtool check config --syntax-only deploy/prometheus/prometheus.yml
	promtool check rules deploy/prometheus/alerts.yml
	promtool test rules deploy/prometheus/alerts_test.yml
	amtool check-config deploy/alertmanager/alertmanager.yml

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(VENV)/.test-installed mysql-driver lint
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# schemathesis against /api/v1/schema/ of the app (fixed seed, FUZZ_EXAMPLES per operation, as a customer):
# no 5xx, every answer and status as documented. On the configured database (MariaDB + Redis in .ci/run).
fuzz: $(VENV)/.test-installed mysql-driver
	$(BIN)/python -m pytest -p no:cacheprovider -q tests/fuzz/fuzz_api_schema.py

messages: $(VENV)/.test-installed
	for app in shop accounts catalog orders payments pricing notifications reviews wishlist; do mkdir -p $$app/locale && (cd $$app && ../$(BIN)/python ../manage.py makemessages -l ko -l en --no-location); done
	$(BIN)/python manage.py makemessages -l ko -l en --no-location --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=shop --ignore=accounts --ignore=catalog --ignore=orders --ignore=payments --ignore=pricing --ignore=notifications --ignore=reviews --ignore=wishlist --ignore=media --ignore=staticfiles --ignore=reports
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Checkout under load (docs/PERFORMANCE.md): gunicorn on 127.0.0.1:8100 against MariaDB and Redis.
bench-checkout: $(VENV)/.test-installed
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/python bench/checkout.py $(BENCH_ARGS)

# Toss confirms against the local Toss fake, as a ratio of order placement; crash-to-paid through reconciliation.
bench-payments: $(VENV)/.test-installed
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/python bench/payments.py $(BENCH_ARGS)

# The catalog through the API against its HTML pages, and deep cursor pages against the first (on the configured
# database's catalog; at 1,000,000 products: BENCH_ARGS="--deep 500000 --search-deep 10000").
bench-api: $(VENV)/.test-installed
	$(BIN)/python bench/api.py $(BENCH_ARGS)

# Orders/s through HAProxy with one and two gunicorn instances, as a ratio in one run (docs/SCALING.md).
bench-scaleout: $(VENV)/.test-installed
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/python bench/scaleout.py $(BENCH_ARGS)

# Image bytes per page before/after renditions, and renditions per second per core.
bench-images: $(VENV)/.test-installed
	$(BIN)/python bench/images.py $(BENCH_ARGS)

# Search at 1,000,000 products on the configured database (builds the catalog first if needed: ~20 min on MariaDB).
bench-search: migrate
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) var db.sqlite3* media staticfiles reports

# Lighthouse (npm, pinned in tools/lighthouse/package.json) on Debian's Chromium at phone size: home, category,
# product and search must score 100 in every category; the test names each audit that failed. Performance gets
# up to five runs and counts the best (machine load only adds time); the other categories count every run.
lighthouse: $(VENV)/.test-installed
	cd tools/lighthouse && npm ci --no-audit --no-fund --ignore-scripts
	RUN_LIGHTHOUSE=1 REQUIRE_BROWSER=1 $(BIN)/python -m pytest tests/browser/test_lighthouse.py -p no:cacheprovider $(PYTEST_ARGS)
