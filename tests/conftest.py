"""Shared test settings: offline hub, headless plotting, no stray figures; and the skip rule for
tests that need a part of the system pip cannot install."""
import functools
import os
import subprocess
from pathlib import Path

# Without this a sentence-transformers hub lookup hangs ~75 s before failing offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

# The parts `make system` installs (scripts/system-packages). A test that needs one is marked
#   @pytest.mark.system("tesseract")        Tesseract with its English pack
#   @pytest.mark.system("tesseract:jpn")    Tesseract with that pack
#   @pytest.mark.system("emoji_font")       Noto Color Emoji (the sketch renderer's pictograms)
#   @pytest.mark.system("chromium")         Chromium on PATH (the browser tests)
# and is skipped with the reason where the part is absent, never failed.
_INSTALL = "`make system` installs it"


def system_part_missing(part: str) -> str | None:
    """Why ``part`` (one of the names above) cannot be used here, or None when it can."""
    kind, _, detail = part.partition(":")
    if kind == "tesseract":
        from ogi_toolkit.quality.checks.ocr import tesseract_missing

        return tesseract_missing(detail or "eng")
    if kind == "emoji_font":
        from ogi_toolkit.backends.sketch.emoji import FONT_PATH, font_available

        return None if font_available() else (f"the Noto Color Emoji font is not at {FONT_PATH} ({_INSTALL}: "
                                              "fonts-noto-color-emoji; OGI_EMOJI_FONT names another file)")
    if kind == "chromium":
        from browser_helpers import CHROMIUM

        return f"Chromium is not on PATH ({_INSTALL})" if not CHROMIUM else _playwright_driver_fails()
    raise ValueError(f"@pytest.mark.system: unknown part {part!r}; expected tesseract[:LANG], emoji_font or chromium")


@functools.lru_cache(maxsize=1)
def _playwright_driver_fails() -> str | None:
    """Why Playwright's driver (the Node.js binary in its wheel) cannot start here, or None."""
    try:
        import playwright
    except ImportError:
        return "playwright is not installed (a dev dependency: pip install -e '.[dev]')"
    node = Path(playwright.__file__).parent / "driver" / "node"
    if not node.is_file():
        return None  # another layout: let Playwright say what it lacks
    run = subprocess.run([str(node), "--version"], capture_output=True, text=True, timeout=60)
    if run.returncode == 0:
        return None
    said = (run.stderr.strip().splitlines() or ["exit code %d" % run.returncode])[-1]
    return f"Playwright's driver cannot start: {said} ({_INSTALL}: libatomic1)"


def pytest_configure(config):
    config.addinivalue_line("markers", "system(*parts): needs system parts pip cannot install "
                                       "(tesseract[:LANG], emoji_font, chromium); skipped with the reason when absent")


def pytest_runtest_setup(item):
    for mark in item.iter_markers("system"):
        for part in mark.args:
            why = system_part_missing(part)
            if why:
                pytest.skip(why)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
