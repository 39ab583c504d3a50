# The README's commands. Everything a fresh machine needs is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

# The task worker (django-tasks' db_worker: admin imports, quizzes/tasks.py)
# runs in the background beside the server, and is stopped when the server
# stops (Ctrl+C included); it finishes the import it is running first.
# Without autoreload: its reloader's child would outlive a stop.
WITH_WORKER = $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM;

.PHONY: run serve test lint format bench loadtest quality setup demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo

run: demo
	@echo ""
	@echo "PurgeQuiz is at http://127.0.0.1:$(PORT)/"
	@echo "Demo logins (password: $${DEMO_PASSWORD:-purgequiz-demo}):"
	@echo "  teacher              - admin at http://127.0.0.1:$(PORT)/admin/"
	@echo "  student1, student2, student3"
	@echo ""
	export DJANGO_DEBUG=1; $(WITH_WORKER) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: DEBUG off, static files collected and served hashed, gunicorn
# with workers from the CPU count (purgequiz/gunicorn.conf.py). SQLite by
# default, PostgreSQL with DATABASE_URL. Without DJANGO_SECRET_KEY a key is
# made once and kept in .secret_key (readable by this user only).
serve: $(STAMP)
	@test -n "$$DJANGO_SECRET_KEY" || test -s .secret_key || \
		(umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key)
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}" $(BIN)/python manage.py migrate --noinput
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}" $(BIN)/python manage.py collectstatic --noinput -v0
	@echo "PurgeQuiz (production settings) at http://$${BIND:-127.0.0.1:8000}/"
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}"; \
		$(WITH_WORKER) $(BIN)/gunicorn -c purgequiz/gunicorn.conf.py purgequiz.wsgi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python tests/bench/run.py

# Students answering and rating against gunicorn on SQLite, then two gunicorns
# on one PostgreSQL with a server killed and the connections cut; counts that
# nothing was lost or stored twice (tests/loadtest/run.py --help).
loadtest: $(STAMP)
	$(BIN)/python tests/loadtest/run.py

quality: $(STAMP)
	$(BIN)/python tests/quality/run.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
