"""Fixtures shared by tests/test_analysis_*.py (imported there; not a conftest).

A fixture imported into several modules is a separate fixture in each, even at session scope,
so the expensive values are built by process-wide cached functions and the fixtures only
hand them out: the model loads once and each text is embedded once per test run.
"""
from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from ogi_toolkit.paths import EXTERNAL_DATA_DIR

PARTI = EXTERNAL_DATA_DIR / "PartiPrompts.tsv"
GENEVAL = EXTERNAL_DATA_DIR / "geneval_evaluation_metadata.jsonl"


@functools.lru_cache(maxsize=None)
def _cache_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="ogi-analysis-cache-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@functools.lru_cache(maxsize=None)
def _parti() -> pd.DataFrame:
    from ogi_toolkit.analysis import load_prompts

    return load_prompts(PARTI, text_column="Prompt", label_columns=["Category"])


@functools.lru_cache(maxsize=None)
def _geneval() -> pd.DataFrame:
    rows = [json.loads(line) for line in GENEVAL.read_text().splitlines() if line.strip()]
    return pd.DataFrame({"text": [r["prompt"] for r in rows], "tag": [r["tag"] for r in rows]})


@functools.lru_cache(maxsize=None)
def _parti_vectors():
    from ogi_toolkit.analysis import get_embedder

    return get_embedder(cache_dir=_cache_dir() / "embeddings").encode(_parti_sample().text)


@functools.lru_cache(maxsize=None)
def _parti_sample() -> pd.DataFrame:
    return _parti().sample(500, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="session")
def analysis_cache() -> Path:
    """A cache folder (embeddings/, arrays/) private to this test run."""
    return _cache_dir()


@pytest.fixture(scope="session")
def embedder(analysis_cache):
    """The packaged all-MiniLM-L6-v2, loaded once per run: ``analyse`` runs that use the same
    cache folder get this very Embedder (see ``get_embedder``)."""
    from ogi_toolkit.analysis import get_embedder

    return get_embedder(cache_dir=analysis_cache / "embeddings")


@pytest.fixture(scope="session")
def parti() -> pd.DataFrame:
    if not PARTI.exists():
        pytest.skip(f"PartiPrompts not found at {PARTI} (set OGI_EXTERNAL_DATA to its folder)")
    return _parti()


@pytest.fixture(scope="session")
def geneval() -> pd.DataFrame:
    if not GENEVAL.exists():
        pytest.skip(f"GenEval metadata not found at {GENEVAL} (set OGI_EXTERNAL_DATA to its folder)")
    return _geneval()


@pytest.fixture(scope="session")
def parti_sample(parti) -> pd.DataFrame:
    """500 PartiPrompts (seed 0), the sample most tests share so each text is embedded once."""
    return _parti_sample()


@pytest.fixture(scope="session")
def parti_vectors(parti_sample, embedder):
    return _parti_vectors()


@pytest.fixture(scope="session")
def geneval_sample(geneval) -> pd.DataFrame:
    return geneval.sample(500, random_state=0).reset_index(drop=True)
