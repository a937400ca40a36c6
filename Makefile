# Two commands do all the setup on a fresh machine:
#   make demo   - installs, then runs the offline main job (plan -> sketch images -> dataset -> analysis)
#   make test   - installs, then runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Hub lookups without a network hang ~75 s before failing; the default model ships as a package.
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo test bench clean

install: $(VENV)/.installed

# torch first, pinned to a CPU build: a bare requirement resolves a multi-GB CUDA build.
# On this project's machines torch==2.13.0 is a CPU wheel on local disk. Elsewhere, use
#   make demo TORCH="torch --index-url https://download.pytorch.org/whl/cpu"
TORCH ?= torch==2.13.0
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

demo: install
	$(BIN)/ogi demo --out demo/

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) demo
