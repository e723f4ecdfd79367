# Two commands do all set-up on a fresh machine:
#   make demo   - create/reuse .venv, install redact, redact the bundled examples
#   make test   - create/reuse .venv, install test extras, run lint and the whole test suite
# Everything runs from the virtual environment in .venv; nothing is installed globally.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.redact-installed
DEMO   := demo-output

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p $(DEMO)
	@for f in examples/statement-*.txt; do \
	  name=$$(basename $$f .txt); \
	  $(BIN)/redact file $$f -o $(DEMO)/$$name.redacted.txt --report $(DEMO)/$$name.report.json --force || exit $$?; \
	done
	@$(BIN)/redact file examples/chechnya-testimony-article.txt --policy examples/article-policy.yaml \
	  -o $(DEMO)/chechnya-testimony-article.redacted.txt \
	  --report $(DEMO)/chechnya-testimony-article.report.json --force
	@echo "Redacted statements and reports are in $(DEMO)/:"
	@ls -1 $(DEMO)

test: $(STAMP)
	$(BIN)/ruff check redact tests bench
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check redact tests bench

bench: $(STAMP)
	$(BIN)/python bench/evaluate.py
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache redact.egg-info
