"""`make system` (scripts/system-packages): it installs a pack for every traineddata the checks
config names, and where a part is missing it says which and how to install it."""
import os
import re
import subprocess
from pathlib import Path

from ogi_toolkit.quality.checks.config import load_checks_config

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "system-packages"


def _run(mode: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), mode], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})


def test_every_traineddata_the_checks_name_is_installed():
    listed = set(re.search(r'^TESSERACT_LANGS="([^"]+)"', SCRIPT.read_text(), re.M)[1].split())
    text = load_checks_config().section("text")
    named = {part for code in [*text.languages.values(), *text.scripts.values()] for part in code.split("+")}
    assert named == listed


def test_a_missing_part_is_named_and_skip_goes_on_with_the_install_command(tmp_path):
    absent = str(tmp_path / "NotoColorEmoji.ttf")
    checked = _run("check", OGI_EMOJI_FONT=absent)
    assert checked.returncode == 1
    assert f"the Noto Color Emoji font ({absent})" in checked.stdout
    skipped = _run("skip", OGI_EMOJI_FONT=absent)
    assert skipped.returncode == 0
    assert "going on without them (SYSTEM=skip)" in skipped.stdout
    assert "noto-color-emoji" in skipped.stdout  # Debian's package, or Homebrew's cask


def test_an_unknown_mode_is_refused():
    refused = _run("everything")
    assert refused.returncode == 64 and "usage:" in refused.stderr
