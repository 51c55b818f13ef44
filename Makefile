# Two commands set everything up on a fresh clone: `make extract` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
RAW ?= raw
OUT ?= extracted
SHARED ?= ../shared
ARGS ?=

.PHONY: extract test eval bench train review check-sample clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

extract: $(STAMP)
	$(PY) -m pipeline extract $(RAW) -o $(OUT) $(ARGS)

test: $(DEV_STAMP)
	$(PY) -m pytest

# the review page of one extracted document: make review DOC=<doc_id> (add ARGS=--open to open it)
review: $(STAMP)
	@test -n "$(DOC)" || { echo "usage: make review DOC=<doc_id> (a folder name under $(OUT))"; exit 2; }
	$(PY) -m pipeline review $(DOC) -o $(OUT) --input $(RAW) $(ARGS)

eval: $(STAMP)
	$(PY) -m tools.evaluation --shared $(SHARED)

# the statistical ORG model (pipeline/data/ner_model) from the Stockmark Wikipedia NER corpus
train: $(STAMP)
	$(PY) -m tools.train_ner --data $(SHARED)/datasets/ner-wikipedia/ner.json

bench: $(DEV_STAMP)
	$(PY) -m tools.bench --shared $(SHARED)
	$(PY) -m tools.bench_nlp --shared $(SHARED)
	$(PY) -m tools.memory_bench
	$(PY) -m tools.memory_bench --real-pages $(SHARED)/corpus --pages 1000 --readers pdfplumber,pdfium --limit-mb 500

clean:
	rm -rf $(VENV) build *.egg-info
