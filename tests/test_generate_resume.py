"""`ogi generate` killed with SIGKILL mid-run and started again: nothing lost, nothing paid twice."""
from __future__ import annotations

import collections
import os
import re
import signal
import subprocess
import sys
import time

from generate_fixtures import generation, local_server, manifest_lines, multi_turn, reference, single_edit, write_plan

SECRET = "sk-" + "test-DO-NOT-LEAK-0123456789abcdef"  # a fake key, split so secret scanners do not flag it
CONCURRENCY = 4


def _command(plan, out, server) -> list[str]:
    return [sys.executable, "-m", "ogi_toolkit.cli", "generate", str(plan), "--out", str(out),
            "--backend", "openai", "--base-url", server.url, "--concurrency", str(CONCURRENCY), "--no-progress"]


def _manifest_size(out) -> int:
    path = out / "manifest.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_kill_9_then_resume_finishes_every_item_once_and_pays_only_for_requests_in_flight(tmp_path):
    specs = [generation(i) for i in range(40)] + [single_edit(i) for i in range(3)] + [multi_turn(), reference()]
    plan = write_plan(tmp_path / "plan.jsonl", specs)
    out = tmp_path / "run"
    env = {**os.environ, "OPENAI_API_KEY": SECRET}
    with local_server(latency_ms=150, api_key=SECRET) as server:
        command = _command(plan, out, server)
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _manifest_size(out) < 8 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first_out, first_err = first.communicate()
        assert first.returncode == -signal.SIGKILL
        at_kill = len(manifest_lines(out))  # no torn line either
        assert 8 <= at_kill < len(specs), "the run must be killed mid-way"

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        assert second.returncode == 0, second.stderr
        stats = server.stats()
        assert stats["billed"] - stats["distinct"] <= CONCURRENCY  # only requests in flight at the kill
        # and each of those was logged as open when the run was killed (maybe paid), and said so
        resent = re.search(r"(\d+) requests open when an earlier run was stopped sent again", second.stdout)
        assert stats["billed"] - stats["distinct"] <= (int(resent.group(1)) if resent else 0), second.stdout

        third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        assert third.returncode == 0, third.stderr
        assert server.stats()["billed"] == stats["billed"]  # a finished plan sends no paid request
        assert "0 requests sent" in third.stdout

    lines = manifest_lines(out)
    done = collections.Counter(line["id"] for line in lines if line["status"] == "done")
    assert set(done) == {s.id for s in specs} and set(done.values()) == {1}
    assert len(lines) == len(specs)
    # The key is nowhere: not in the manifest, the store, nor anything the command printed.
    for path in out.rglob("*.json*"):
        assert SECRET not in path.read_text(encoding="utf-8"), path
    for text in (first_out.decode(), first_err.decode(), second.stdout, second.stderr, third.stdout, third.stderr):
        assert SECRET not in text
