"""The known benchmark sets are read in place from EXTERNAL_DATA_DIR: a test that needs one
skips, saying what is missing and how to get it, where that set is absent."""
from __future__ import annotations

import pytest

from ogi_toolkit.benchmarks.sets import known_sources, load_benchmark


def require_sets(*names: str) -> None:
    """Skip the calling test unless every named known set is present."""
    for name in names:
        if not known_sources()[name].path().exists():
            try:
                load_benchmark(name)
            except FileNotFoundError as exc:
                pytest.skip(str(exc))
