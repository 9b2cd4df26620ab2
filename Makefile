# Agora — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE := agora.settings

.PHONY: demo test venv test-deps messages migrate clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed requirements-test.txt
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

venv: $(VENV)/.installed

test-deps: $(VENV)/.test-installed

# Set up and serve the demo city on http://127.0.0.1:8000 (SQLite).
demo: venv
	AGORA_DEBUG=1 AGORA_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend $(PY) manage.py migrate --noinput
	AGORA_DEBUG=1 AGORA_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend $(PY) manage.py load_demo
	AGORA_DEBUG=1 AGORA_PUBLIC_PORT=8000 AGORA_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend $(PY) manage.py runserver 127.0.0.1:8000

# Install what the tests need, lint the code and check its format (ruff, pyproject.toml), check the types
# (mypy with the Django plugin, pyproject.toml) and run the whole suite (SQLite, or the
# PostgreSQL server named by DATABASE_URL).
test: test-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy agora bench manage.py
	$(PY) -m pytest $(PYTEST_ARGS)

# Regenerate the French and English message catalogues, put the no-break spaces
# French wants before : ; ! ? (agora.core.typography) and compile them.
messages: venv
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=var
	$(PY) manage.py french_typography
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
