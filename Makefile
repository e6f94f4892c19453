# Two commands do everything on a fresh Debian/Ubuntu machine:
#   make run   - venv, install, translations, migrate, demo data, serve on :8000
#   make test  - the whole suite (SQLite, or PostgreSQL/Redis when DATABASE_URL /
#                CELERY_BROKER_URL are set, as .ci/run does)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages makemessages migrate demo worker beat syslibs browser clean bench

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Cần Python >= 3.11 (Python 3.11+ is required)."; exit 1; }
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV) || \
	  { echo "Thiếu venv: chạy 'sudo apt-get install python3-venv' rồi thử lại."; exit 1; }
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

# System libraries: Pango for WeasyPrint (PDF), gettext for the translations,
# poppler-utils (pdftotext, pdffonts) for the tests that read reports back.
syslibs:
	@missing=""; \
	ldconfig -p | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0"; \
	ldconfig -p | grep -q 'libpangoft2-1.0.so' || missing="$$missing libpangoft2-1.0-0"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi 'DejaVu Sans' || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Cài thư viện hệ thống:$$missing"; \
	    (apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null && apt-get install -y -qq $$missing >/dev/null)) || \
	     { echo "Không cài được:$$missing"; exit 1; }; \
	  else \
	    echo "Thiếu thư viện hệ thống; chạy: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

messages: $(STAMP) syslibs
	@$(VENV)/bin/django-admin compilemessages --ignore=.venv -v 0

makemessages: $(STAMP)
	DEBUG=1 $(MANAGE) makemessages -l vi --ignore=.venv --ignore=tests --no-obsolete --add-location=file

migrate: $(STAMP)
	@mkdir -p var
	$(MANAGE) migrate --noinput

# Demo users and the Thanh Hóa demo data set (once; running it again adds nothing).
demo: migrate
	$(MANAGE) seed_demo

# The embedded default: DEBUG on (and so the prerequisites' migrate too).
run demo: export DEBUG := 1
run: messages migrate
	$(MANAGE) seed_demo
	@echo "Cổng Khuyến công: http://$(HOST):$(PORT)/  (tài khoản mẫu: xem README.md)"
	$(MANAGE) runserver $(HOST):$(PORT)

# Browser tests need Debian's chromium; installed here when possible, otherwise
# the suite says they are skipped.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Cài Chromium cho kiểm thử trình duyệt..."; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null 2>&1)) || \
	     echo "Không cài được Chromium: các kiểm thử trình duyệt sẽ bị bỏ qua."; \
	  else \
	    echo "Không có /usr/bin/chromium: các kiểm thử trình duyệt sẽ bị bỏ qua (sudo apt-get install chromium)."; \
	  fi; \
	fi

# Two test processes (pytest-xdist) on the two cores the suite is sized for; the
# demo-data tests stay together in one of them (tests/conftest.py).
PYTEST_PROCESSES ?= 2

test: messages browser
	@mkdir -p var
	$(PY) -m pytest -n $(PYTEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: $(STAMP)
	$(VENV)/bin/celery -A khuyencong worker -l info -Q celery,reports --max-tasks-per-child=50

beat: $(STAMP)
	$(VENV)/bin/celery -A khuyencong beat -l info

# Benchmark on PostgreSQL (docs/benchmarks.md): loads the stress set once
# (BENCH_PROJECTS, default 100000; BENCH_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/khuyencong_bench) and prints one table.
bench: $(STAMP)
	$(PY) devdata/bench.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
