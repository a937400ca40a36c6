# Two commands do all the setup on a fresh machine:
#   make demo   - installs, then runs the offline main job (plan -> sketch images -> dataset -> analysis)
#   make test   - installs, then runs the test suite
# Both first run `make system` (Tesseract, its language packs, the emoji font, Chromium: with
# apt-get as root or with password-less sudo, else it stops and prints the command to run), then
# the Python install into .venv. Both steps are checked, not redone, on a second call.
#   make test SYSTEM=skip   - go on without the system packages (their tests are skipped, with the reason)
#   make clean              - removes what these commands made inside the repository
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SYSTEM ?= install
# Hub lookups without a network hang ~75 s before failing; the default model ships as a package.
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: system install demo test bench clean

# Cheap when all is there (a command, the list of Tesseract's packs, a font file: ~0.1 s).
system:
	@bash scripts/system-packages $(SYSTEM)

install: $(VENV)/.installed

# torch first, pinned to a CPU build: a bare requirement resolves a multi-GB CUDA build.
# On this project's machines torch==2.13.0 is a CPU wheel on local disk. Elsewhere, use
#   make demo TORCH="torch --index-url https://download.pytorch.org/whl/cpu"
# The stamp is newer than pyproject.toml until that file changes: only then is pip run again.
TORCH ?= torch==2.13.0
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

demo: system install
	$(BIN)/ogi demo --out demo/

test: system install
	$(BIN)/python -m pytest

# everything the commands above write inside the repository (the analysis cache lives in
# ~/.cache/ogi-toolkit, outside it: `rm -rf ~/.cache/ogi-toolkit` to drop it too)
clean:
	rm -rf $(VENV) demo test-artifacts .pytest_cache ogi_toolkit.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
