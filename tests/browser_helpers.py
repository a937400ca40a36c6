"""How the browser tests launch Debian's headless Chromium through Playwright (and JupyterLab
for the notebook panels), and where they keep their screenshots (``test-artifacts/``, evidence
of what a user sees)."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

browser_marks = [
    pytest.mark.browser,
    pytest.mark.system("chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_jupyterlab(root):
    """JupyterLab serving ``root`` on a free loopback port; yields its base URL and token."""
    port, token = _free_port(), "ogi-test-token"
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1", HF_HUB_OFFLINE="1")
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root",
         f"--LabServerApp.workspaces_dir={root / 'workspaces'}", "--LabApp.news_url="],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/api?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start: {(root / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield url, token
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def run_all_cells(page, sync_api) -> None:
    """In an opened JupyterLab notebook: accept the kernel dialog if one is shown (the notebook
    names python3), wait for the kernel, then Run > Run All Cells."""
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    select = page.locator(".jp-Dialog button.jp-mod-accept:has-text('Select')")
    try:
        select.wait_for(timeout=15_000)
        select.click()
    except sync_api.TimeoutError:
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    page.click("div.lm-MenuBar-itemLabel:text-is('Run')")
    page.click("div.lm-Menu-itemLabel:text-is('Run All Cells')")
