# The two commands of the README: `make demo` (the offline LoRA demo) and `make test` (every notebook and pytest).
# Both install what they need into .venv on first use (torch CPU first, then the rest with torch held).
# The tests run the real-tier cells (flagged `real`) against stand-ins of the hub models, written into a
# Hugging Face home of their own (.cache/hf), never into your real cache.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM := false

TEST_HF := $(CURDIR)/.cache/hf

.PHONY: demo test check lock drift gpu-check install build-micro stand-ins wheel-test lab readme sync-check lint docs docs-test
LOCK := .ci/requirements.lock
$(BIN)/lora-course: settings.ini setup.py $(LOCK)
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -c $(LOCK) torch
	$(BIN)/pip install -q -c $(LOCK) -e ".[dev]"
	# DeepSpeed for notebook 09 (optional for users): --no-deps, or pip would swap the CPU torch for a CUDA build of several GB
	$(BIN)/pip install -q -c $(LOCK) pydantic psutil
	$(BIN)/pip install -q -c $(LOCK) --no-deps deepspeed hjson msgpack ninja einops py-cpuinfo
	touch $@

install: $(BIN)/lora-course

demo: install
	$(BIN)/lora-course demo

build-micro: install
	$(BIN)/lora-course build-micro

# tiny stand-ins of google/flan-t5-base, Qwen2.5-0.5B-Instruct, samsum and UltraFeedback for the real-tier cells (notebook 00e)
stand-ins: $(TEST_HF)/stand-ins.done
$(TEST_HF)/stand-ins.done: lora_course/standins.py | install
	HF_HOME=$(TEST_HF) $(BIN)/lora-course stand-ins --size tiny && touch $@

# the course as a Colab user meets it: the wheel installed outside the repository, two notebooks run from an empty folder
wheel-test: build-micro
	$(BIN)/python tools/wheel_test.py nbs/00b_data.ipynb nbs/00c_models.ipynb

# the course as a website (tools/docs.py): Sphinx with myst-nb and sphinx-book-theme, from the package index alone; the notebooks
# as stored (nothing re-executed), the README as the home page, the library's reference, search. Open _docs/index.html.
DOCS_REQ := .ci/docs-requirements.txt
$(VENV)/.docs-installed: $(DOCS_REQ) | install
	$(BIN)/pip install -q -c $(LOCK) -r $(DOCS_REQ)
	$(BIN)/pip install -q --no-deps django-static-mathjax==3.2.2.1   # MathJax 3's files, served by the site (not Django)
	touch $@

docs: $(VENV)/.docs-installed
	$(BIN)/python tools/docs.py

# the built site in headless Chromium (Debian's package: apt-get install chromium): every page loads offline with no console error,
# every internal link and image resolves, code and outputs show; screenshots into _docs_test/ (tools/docs_test.py)
docs-test:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { echo "make docs-test needs Debian's Chromium: apt-get install chromium (as root)"; exit 1; }
	$(MAKE) docs
	$(BIN)/python tools/docs_test.py

# Jupyter Lab in the course's environment, on the notebooks
lab: install
	$(BIN)/jupyter lab nbs

# every notebook (nbdev_test: cells flagged slow/gpu/hub skipped, those flagged real run against the stand-ins), the pytest
# suite, the wheel test and a quick pass of each benchmark, two jobs at a time on one thread each (tools/run_tests.py)
test: install stand-ins
	HF_HOME=$(TEST_HF) $(BIN)/python tools/run_tests.py

# the quick loop for every change: lint, notebooks and library in sync, and the tests not marked slow (< 5 min; they load
# the cached micro models, which a first `make build-micro` or `make test` builds)
check: lint sync-check stand-ins
	HF_HOME=$(TEST_HF) OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow" -n 2 tests

# the lock: every package of the environment the tests last passed in (run after `make test` passes with a new version)
lock: install
	{ sed -n '1,2p' $(LOCK); $(BIN)/pip freeze --exclude-editable | sed 's/+cpu$$//'; } > $(LOCK).new && mv $(LOCK).new $(LOCK)

# the course's proofs against the newest releases of the libraries it proves itself equal to, in an environment of its own
# (.venv-drift; the locked environment is untouched): prints which proofs broke and what changed since the lock
drift: install
	HF_HOME=$(TEST_HF) $(BIN)/python tools/drift.py

# every notebook's `real` cells on a GPU, on full-size stand-ins, a few steps each at the notebook's batch and lengths: peak memory,
# seconds and the plan's estimate per cell into bench/results/gpu_check.json (PROFILE=T4 plays a T4 on a larger GPU; no GPU: says so)
gpu-check: install
	$(BIN)/python tools/gpu_check.py $(if $(PROFILE),--profile $(PROFILE))

# notebooks are clean and the library and README are generated from them
sync-check: install
	PATH=$(BIN):$$PATH $(BIN)/nbdev_clean && PATH=$(BIN):$$PATH $(BIN)/nbdev_export && $(BIN)/python tools/make_readme.py
	git status --porcelain -- nbs lora_course README.md
	test -z "$$(git status --porcelain -- nbs lora_course README.md)"

# lint the library, benchmarks, tests and tools (ruff.toml: mistakes, not layout), hold the library's shape (no module over
# 400 lines), and hold every notebook's prose to its outputs (a measured number in the prose is one an output prints)
lint: install
	$(BIN)/ruff check .
	$(BIN)/python tools/prose_numbers.py
	@big=$$(wc -l lora_course/*.py | grep -v "_modidx\|total" | awk '$$1 > 400 {print $$2 " (" $$1 " lines)"}'); \
	if [ -n "$$big" ]; then echo "modules over 400 lines: $$big"; exit 1; fi

readme: install
	$(BIN)/python tools/make_readme.py
