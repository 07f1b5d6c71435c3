# The README's two commands: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

RASA_VENV    := .venv/rasa
ACTIONS_VENV := .venv/actions
RASA         := $(RASA_VENV)/bin/rasa
PY           := $(ACTIONS_VENV)/bin/python
PY311        ?= python3.11
RASA_ENV     := PYTHONPATH=$(CURDIR) RASA_TELEMETRY_ENABLED=false \
                ACTION_ENDPOINT_URL=http://127.0.0.1:$${ACTIONS_PORT:-5055}/webhook \
                TRACKER_DB=$(CURDIR)/var/tracker.db

.PHONY: help install run test shell train validate crossval clean

help:
	@echo "make run       install, train if the data changed, start all services"
	@echo "make test      install, train if needed, run the whole test suite"
	@echo "make shell     chat with the assistant in the terminal"
	@echo "make train     (re)train the Rasa model if data or config changed"
	@echo "make validate  rasa data validate"
	@echo "make crossval  NLU cross-validation, intent F1 per language"

install: $(RASA_VENV)/.installed $(ACTIONS_VENV)/.installed

$(RASA_VENV)/.installed: requirements/rasa.txt requirements/rasa-nodeps.txt scripts/find_python310.sh
	@py310=$$(scripts/find_python310.sh) || exit 1; \
	  [ -x $(RASA_VENV)/bin/python ] || $$py310 -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet -r requirements/rasa.txt
	$(RASA_VENV)/bin/pip install --quiet --no-deps -r requirements/rasa-nodeps.txt
	@touch $@

$(ACTIONS_VENV)/.installed: requirements/actions.txt
	@$(PY311) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Python 3.11 not found as '$(PY311)': set PY311=/path/to/python3.11"; exit 1; }
	@[ -x $(PY) ] || $(PY311) -m venv $(ACTIONS_VENV)
	$(PY) -m pip install --quiet -r requirements/actions.txt
	@touch $@

# Rasa compares the fingerprint of data and config with the newest model and skips
# training when nothing changed.
train: install
	$(RASA_ENV) $(RASA) train --out models --quiet

validate: install
	$(RASA_ENV) $(RASA) data validate

run: install train
	$(PY) -m assistant.services run

shell: install train
	$(PY) -m assistant.services shell

test: install train
	$(PY) -m pytest

crossval: install
	$(RASA_ENV) $(RASA_VENV)/bin/python scripts/nlu_crossval.py

clean:
	rm -rf models .rasa results
