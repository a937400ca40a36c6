"""Where the project's data lives, anchored on this file, never on the working directory."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

# Taxonomy and pools are data files at the top of the project. Users can point the toolkit
# at their own copies (for example an extended taxonomy) with these environment variables.
TAXONOMY_DIR = Path(os.environ.get("OGI_TAXONOMY_DIR", PROJECT_DIR / "taxonomy"))
POOLS_DIR = Path(os.environ.get("OGI_POOLS_DIR", PROJECT_DIR / "pools"))
# Copies of the real external prompt sets are never made: they are read in place.
SHARED_DIR = PROJECT_DIR.parent / "shared"
EXTERNAL_DATA_DIR = Path(os.environ.get("OGI_EXTERNAL_DATA", SHARED_DIR / "data" / "external"))


def cache_dir() -> Path:
    """Where caches live: ``$OGI_CACHE_DIR`` or ``~/.cache/ogi-toolkit`` (read at each call, so
    a test or a notebook can point it elsewhere)."""
    return Path(os.environ.get("OGI_CACHE_DIR", Path.home() / ".cache" / "ogi-toolkit"))
