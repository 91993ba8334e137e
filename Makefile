# make demo: set up .venv and run the demonstration.  make test: set up .venv (with the TensorFlow
# oracle) and run lint and the whole test suite.  Only Python 3 is needed beforehand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean bytecode gpu-wheels gpu-check keras-tests

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[demo]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,demo,distributed]'
	touch $@ $(VENV)/.demo-installed

# bytecode up front (only changed files): import stays fast even where writing .pyc files is off
bytecode: | $(BIN)/python
	$(BIN)/python -m compileall -q src

demo: $(VENV)/.demo-installed bytecode
	$(BIN)/python examples/demo.py

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests examples benchmarks tools

test: $(VENV)/.test-installed lint bytecode
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.test-installed
	$(BIN)/python -m pip install --quiet -e '.[test,demo,bench]'
	touch $@

# medians, each library measured in the same run (PyTorch and TensorFlow from the bench extra)
bench: $(VENV)/.bench-installed bytecode
	$(BIN)/python benchmarks/run.py

$(VENV)/.keras-installed: pyproject.toml $(VENV)/.test-installed
	$(BIN)/python -m pip install --quiet -e '.[test,demo,keras,keras-tests]'
	touch $@

# Keras's own tests (files of the Keras wheel) under real TF and under featherflow: build/keras_suite/report.md.
# Not part of `make test` (about 50 minutes on 2 cores, 20 once the TF side is cached); the TF side is cached in build/keras_suite/ (ARGS=--refresh-tf reruns it).
keras-tests: $(VENV)/.keras-installed bytecode
	$(BIN)/python tools/keras_suite.py $(ARGS)

# wheels the GPU machine (python3 3.12, no network) lacks, fetched here into .whl/ (ignored) for tools/gpu_check.sh,
# which installs them there when .whl is carried along
gpu-wheels:
	$(PYTHON) -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
		--platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
		-d .whl google-crc32c==1.9.0

# the suite with the real GPU as the device fixture's GPU:0, then the GPU benchmarks; logs in $$OUT (on a GPU machine)
gpu-check:
	bash tools/gpu_check.sh

clean:
	rm -rf $(VENV) build src/*.egg-info
