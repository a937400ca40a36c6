"""The Batch API path against the local server: rounds, collection by custom_id, restarts."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from generate_fixtures import generation, local_server, manifest_lines, mixed_plan, single_edit, write_plan

from ogi_toolkit.generate import run_batch, run_plan


def _events(out) -> list[dict]:
    path = out / "batches.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_batch_run_goes_in_rounds_and_fills_the_same_manifest_at_half_price(tmp_path):
    plan = mixed_plan() + [generation(9, prompt="a picture #refuse")]
    with local_server(batch_delay_s=0.05) as server:
        options = {"backend": "openai", "backend_options": {"base_url": server.url}, "progress": False}
        summary = run_batch(plan, tmp_path / "batch", rewrite=True, poll_s=0.05, **options)
        stats = server.stats()
        live = run_plan(mixed_plan(), tmp_path / "live", rewrite=True, **options)
        batches = server.routes.batches.batches
    assert (summary.done, summary.errors) == (len(plan) - 1, 1)
    assert live.done == len(mixed_plan())
    assert stats["billed"] == stats["distinct"] == summary.results_paid == summary.requests_sent - 1  # 1 refused
    lines = {line["id"]: line for line in manifest_lines(tmp_path / "batch")}
    assert lines["gen-9"]["status"] == "error" and lines["gen-9"]["error"]["kind"] == "content_policy"
    # round 1: rewrites, sources and reference images; the edits, then turn 1, in later rounds
    endpoints_by_round = {}
    for event in _events(tmp_path / "batch"):
        if event["event"] == "file":
            endpoints_by_round.setdefault(event["local"].split("/")[-1].split("-")[0], set()).add(event["endpoint"])
    assert endpoints_by_round["round1"] == {"/v1/chat/completions", "/v1/images/generations"}
    assert "/v1/images/edits" in endpoints_by_round["round2"]
    assert "round3" in endpoints_by_round  # turn 1 of the multi-turn item edits turn 0's output
    assert len(batches) == sum(1 for e in _events(tmp_path / "batch") if e["event"] == "file")
    # the same items, live: the batch price is half the live price
    live_lines = {line["id"]: line for line in manifest_lines(tmp_path / "live")}
    for item_id in ("gen-0", "edit-0", "multi-0", "ref-0"):
        assert lines[item_id]["status"] == "done"
        assert lines[item_id]["cost_usd"] == pytest.approx(live_lines[item_id]["cost_usd"] / 2, rel=1e-3)
        assert (tmp_path / "batch" / lines[item_id]["output_image"]).is_file()


def test_a_killed_batch_run_restarts_without_submitting_anything_twice(tmp_path):
    specs = [generation(i) for i in range(6)] + mixed_plan()[2:]
    plan = write_plan(tmp_path / "plan.jsonl", specs)
    out = tmp_path / "run"
    with local_server(batch_delay_s=1.0) as server:
        command = [sys.executable, "-m", "ogi_toolkit.cli", "generate", str(plan), "--out", str(out), "--backend",
                   "openai", "--base-url", server.url, "--batch", "--poll", "0.05", "--no-progress"]
        first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not any(e["event"] == "submitted" for e in _events(out)) and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        submitted = [e for e in _events(out) if e["event"] == "submitted"]
        assert submitted and not any(e["event"] == "collected" for e in _events(out))
        # As if killed before the batch id was written: the restart must find the batch by its file.
        state = out / "batches.jsonl"
        state.write_text("".join(json.dumps(e) + "\n" for e in _events(out) if e["event"] != "submitted"))

        second = subprocess.run(command, capture_output=True, text=True, timeout=180)
        assert second.returncode == 0, second.stderr
        files = [e["input_file_id"] for e in _events(out) if e["event"] == "file"]
        made = [b["input_file_id"] for b in server.routes.batches.batches.values()]
        assert sorted(made) == sorted(files)  # one batch per batch file, none submitted twice
        stats = server.stats()
        assert stats["billed"] == stats["distinct"]
    lines = manifest_lines(out)
    assert sorted(line["id"] for line in lines) == sorted(s.id for s in specs)
    assert {line["status"] for line in lines} == {"done"}


def test_max_cost_holds_in_a_batch_run_across_rounds(tmp_path):
    from ogi_toolkit.generate import dry_run

    edits = [single_edit(0), single_edit(1)]  # round 1: two sources; round 2: two edits
    estimate = dry_run(edits, backend="openai", batch=True)["est_cost_usd"].sum()
    extra = [generation(i) for i in range(3)]
    with local_server(batch_delay_s=0.05) as server:
        options = dict(poll_s=0.05, backend="openai", backend_options={"base_url": server.url}, progress=False)
        # a budget just above the estimate of the edits: every round fits, released reservations included
        summary = run_batch(edits, tmp_path / "fits", max_cost=estimate * 1.02, **options)
        assert summary.done == 2 and summary.spent_usd <= estimate * 1.02
        # a budget for half the generations: the rest is skipped, nothing over the cap is sent
        per_item = dry_run(extra[:1], backend="openai", batch=True)["est_cost_usd"].sum()
        before = server.stats()["billed"]
        summary = run_batch(extra, tmp_path / "tight", max_cost=1.5 * per_item, **options)
        assert (summary.done, summary.skipped_budget) == (1, 2) and server.stats()["billed"] - before == 1
