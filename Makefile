# The two commands of the README: `make demo` (the offline LoRA demo) and `make test` (every notebook and pytest).
# Both install what they need into .venv on first use (torch CPU first, then the rest with torch held).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM := false

.PHONY: demo test install build-micro readme sync-check
$(BIN)/lora-course: settings.ini setup.py .ci/constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -r .ci/constraints.txt
	$(BIN)/pip install -q -c .ci/constraints.txt -e ".[dev]"
	# DeepSpeed for notebook 09 (optional for users): --no-deps, or pip would swap the CPU torch for a CUDA build of several GB
	$(BIN)/pip install -q -c .ci/constraints.txt pydantic psutil
	$(BIN)/pip install -q -c .ci/constraints.txt --no-deps deepspeed==0.19.8 hjson msgpack ninja einops py-cpuinfo
	touch $@

install: $(BIN)/lora-course

demo: install
	$(BIN)/lora-course demo

build-micro: install
	$(BIN)/lora-course build-micro

# every notebook (nbdev_test, one at a time: two torch processes on 2 cores fight over threads; cells flagged slow/gpu/hub skipped),
# the pytest suite, and a quick pass of each benchmark
test: build-micro
	PATH=$(BIN):$$PATH $(BIN)/nbdev_test --n_workers 1 --timing
	PATH=$(BIN):$$PATH $(BIN)/python -m pytest -q tests
	for b in bench/*.py; do $(BIN)/python $$b --quick > /dev/null || exit 1; done   # one quick pass of each benchmark, so none rots

# notebooks are clean and the library and README are generated from them
sync-check: install
	PATH=$(BIN):$$PATH $(BIN)/nbdev_clean && PATH=$(BIN):$$PATH $(BIN)/nbdev_export && $(BIN)/python tools/make_readme.py
	git status --porcelain -- nbs lora_course README.md
	test -z "$$(git status --porcelain -- nbs lora_course README.md)"

readme: install
	$(BIN)/python tools/make_readme.py
