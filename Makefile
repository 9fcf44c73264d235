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

.PHONY: demo test install build-micro stand-ins wheel-test lab readme sync-check lint
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

# tiny stand-ins of google/flan-t5-base, Qwen2.5-0.5B-Instruct, samsum and UltraFeedback for the real-tier cells (notebook 00e)
stand-ins: $(TEST_HF)/stand-ins.done
$(TEST_HF)/stand-ins.done: lora_course/standins.py | install
	HF_HOME=$(TEST_HF) $(BIN)/lora-course stand-ins --size tiny && touch $@

# the course as a Colab user meets it: the wheel installed outside the repository, two notebooks run from an empty folder
wheel-test: build-micro
	$(BIN)/python tools/wheel_test.py nbs/00b_data.ipynb nbs/00c_models.ipynb

# Jupyter Lab in the course's environment, on the notebooks
lab: install
	$(BIN)/jupyter lab nbs

# every notebook (nbdev_test, one at a time: two torch processes on 2 cores fight over threads; cells flagged slow/gpu/hub
# skipped, those flagged real run against the stand-ins), the pytest suite, the wheel test, and a quick pass of each benchmark
test: build-micro stand-ins
	HF_HOME=$(TEST_HF) PATH=$(BIN):$$PATH $(BIN)/nbdev_test --n_workers 1 --timing --flags real
	HF_HOME=$(TEST_HF) PATH=$(BIN):$$PATH $(BIN)/python -m pytest -q tests
	HF_HOME=$(TEST_HF) $(MAKE) --no-print-directory wheel-test
	for b in bench/*.py; do $(BIN)/python $$b --quick > /dev/null || exit 1; done   # one quick pass of each benchmark, so none rots

# notebooks are clean and the library and README are generated from them
sync-check: install
	PATH=$(BIN):$$PATH $(BIN)/nbdev_clean && PATH=$(BIN):$$PATH $(BIN)/nbdev_export && $(BIN)/python tools/make_readme.py
	git status --porcelain -- nbs lora_course README.md
	test -z "$$(git status --porcelain -- nbs lora_course README.md)"

# lint the library, benchmarks, tests and tools (ruff.toml: mistakes, not layout), and hold the library's shape:
# no module over 400 lines
lint: install
	$(BIN)/ruff check .
	@big=$$(wc -l lora_course/*.py | grep -v "_modidx\|total" | awk '$$1 > 400 {print $$2 " (" $$1 " lines)"}'); \
	if [ -n "$$big" ]; then echo "modules over 400 lines: $$big"; exit 1; fi

readme: install
	$(BIN)/python tools/make_readme.py
