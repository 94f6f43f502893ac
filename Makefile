# Set-up and the two everyday commands. Everything lives in .venv; the embedded
# model is assembled into the user's cache folder (see `summarizer model info`).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The native build uses AMX code that crashes (SIGSEGV) on these CPUs.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF

.PHONY: brief test test-fast eval bench setup server model browser screenshot clean

brief: setup model              ## briefing notes for the seeds, on the embedded model
	$(BIN)/summarizer brief seeds/

test: setup server model browser  ## the whole suite, slow tests on the real model included
	$(BIN)/pytest

test-fast: $(VENV)/.deps        ## everything but the real-model tests
	$(BIN)/pytest -m "not slow"

eval: setup model               ## score the default prompt on every eval set (evals/<set>/)
	$(BIN)/summarizer eval

bench: setup model              ## seconds, tokens and memory per article on the seeds
	$(BIN)/python bench/embedded.py

setup: $(VENV)/.deps $(VENV)/.llama

server: $(VENV)/.server

$(VENV)/.server: $(VENV)/.llama $(VENV)/.deps  ## llama-cpp-python's server, for the slow server test
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install --quiet -e '.[test,server]'
	touch $@

model: setup
	$(BIN)/summarizer model fetch

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.llama: | $(BIN)/python
	@echo "building llama-cpp-python 0.3.36 from source (about 5 minutes the first time)"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install --quiet 'llama-cpp-python==0.3.36'
	touch $@

browser:                        ## Debian's chromium, for the HTML report test (root only)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and not root: the browser test will be skipped"; fi; }

screenshot: $(VENV)/.deps browser  ## docs/report.png: the top of the seeds' report (from their gold briefs)
	$(BIN)/summarizer report evals/seeds/gold -o runs/readme-report >/dev/null
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir=runs/readme-report/.profile \
	  --window-size=1100,1180 --screenshot=runs/readme-report/shot.png "file://$(CURDIR)/runs/readme-report/report.html"
	$(BIN)/python -c "from PIL import Image; Image.open('runs/readme-report/shot.png').convert('RGB')\
	  .quantize(128).save('docs/report.png', optimize=True)"

clean:
	rm -rf $(VENV) runs .pytest_cache
