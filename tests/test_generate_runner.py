"""The runner against the local server, through the real OpenAI SDK over HTTP."""
from __future__ import annotations

import hashlib
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from generate_fixtures import generation, local_server, manifest_lines, mixed_plan, multi_turn, reference, single_edit

from ogi_toolkit.config import load_models_config
from ogi_toolkit.generate import RunAborted, run_plan
from ogi_toolkit.calls.store import ResultStore


def _openai(server, **extra):
    return {"backend": "openai", "backend_options": {"base_url": server.url, **extra}, "progress": False}


def _edit_images(record) -> list[bytes]:
    head = f"Content-Type: {record['content_type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + record["body"])
    return [p.get_payload(decode=True) for p in message.iter_parts() if p.get_filename() is not None]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_item_shape_is_generated_and_a_rerun_pays_nothing(tmp_path):
    with local_server(latency_ms=10) as server:
        summary = run_plan(mixed_plan(), tmp_path, **_openai(server))
        billed = server.stats()["billed"]
        again = run_plan(mixed_plan(), tmp_path, **_openai(server))
        assert server.stats()["billed"] == billed  # nothing paid on the second run
    # 1 + 1 generations, 2 for the single edit, 3 for 2 turns, 3 for the reference item
    assert summary.done == 5 and summary.results_paid == billed == 10
    assert again.requests_sent == 0 and again.unchanged == 5 and again.calls_from_store == 10
    lines = manifest_lines(tmp_path)
    assert len(lines) == 5 and {line["status"] for line in lines} == {"done"}
    for line in lines:
        assert (tmp_path / line["output_image"]).read_bytes().startswith(b"\x89PNG")
        assert line["model"] == "gpt-image-1" and line["backend"] == "openai" and line["cost_usd"] > 0


def test_multi_turn_and_reference_items_edit_the_right_images(tmp_path):
    with local_server(record=True) as server:
        run_plan([multi_turn(), reference()], tmp_path, **_openai(server))
        edits = [r for r in server.routes.records if r["path"] == "/v1/images/edits"]
    by_id = {line["id"]: line for line in manifest_lines(tmp_path)}
    store = tmp_path

    ref = by_id["ref-0"]
    source, ref_image = (store / p for p in ref["input_images"])
    ref_edit = [r for r in edits if len(_edit_images(r)) == 2]
    assert len(ref_edit) == 1, "the reference edit sends source and reference together"
    assert [hashlib.sha256(b).hexdigest() for b in _edit_images(ref_edit[0])] == [_sha(source), _sha(ref_image)]

    multi = by_id["multi-0"]
    turn0, turn1 = (store / p for p in multi["turn_images"])
    assert multi["output_image"] == multi["turn_images"][-1]
    sent = {hashlib.sha256(_edit_images(r)[0]).hexdigest(): r for r in edits if len(_edit_images(r)) == 1}
    # turn 0 edits the source; turn 1 edits turn 0's output, with each turn's own instruction
    assert b"Add a cat on the sofa" in sent[_sha(store / multi["input_images"][0])]["body"]
    assert b"Make the sofa blue" in sent[_sha(turn0)]["body"]
    assert _sha(turn1) != _sha(turn0)


def test_a_plan_sharing_calls_with_an_earlier_one_sends_only_the_new_calls(tmp_path):
    with local_server() as server:
        run_plan([generation(1), single_edit(1)], tmp_path, **_openai(server))
        before = server.stats()["billed"]
        renamed = single_edit(1).model_copy(update={"id": "edit-copy"})  # same calls, another item
        summary = run_plan([renamed, generation(2)], tmp_path, **_openai(server))
        assert server.stats()["billed"] - before == 1  # only generation(2) is new
    assert summary.done == 2 and summary.calls_from_store == 2


def test_a_storm_of_429_and_500_answers_completes(tmp_path):
    plan = [generation(i) for i in range(12)] + [single_edit(0), multi_turn()]
    with local_server(fail_rate=0.3, retry_after_ms=10, seed=3) as server:
        summary = run_plan(plan, tmp_path, concurrency=6, max_attempts=12, **_openai(server))
        stats = server.stats()
    assert summary.done == len(plan) and summary.errors == 0
    assert stats["by_status"].get("429", 0) > 0 and stats["by_status"].get("500", 0) > 0
    assert summary.retries == stats["by_status"]["429"] + stats["by_status"]["500"]
    assert stats["billed"] == stats["distinct"]  # failed attempts are not billed, none was paid twice


def test_refusals_and_malformed_payloads_are_recorded_on_their_items(tmp_path):
    plan = [generation(0), generation(1, prompt="a scene #refuse"), generation(2, prompt="a scene #malformed"),
            generation(3)]
    with local_server() as server:
        summary = run_plan(plan, tmp_path, **_openai(server))
    assert (summary.done, summary.errors) == (2, 2)
    by_id = {line["id"]: line for line in manifest_lines(tmp_path)}
    assert by_id["gen-1"]["status"] == "error" and by_id["gen-1"]["error"]["kind"] == "content_policy"
    assert by_id["gen-2"]["status"] == "error" and by_id["gen-2"]["error"]["kind"] == "malformed_response"
    assert by_id["gen-2"]["output_image"] is None
    assert by_id["gen-0"]["status"] == by_id["gen-3"]["status"] == "done"


def test_max_cost_stops_requests_before_the_budget_is_passed(tmp_path):
    config = load_models_config()
    per_image = config.image_models["gpt-image-1"].prices.per_image["low"]["1024x1024"]
    max_cost = 4.5 * per_image  # room for 4 images, not 5
    plan = [generation(i) for i in range(10)]
    with local_server(latency_ms=20) as server:
        summary = run_plan(plan, tmp_path, concurrency=4, max_cost=max_cost, **_openai(server))
        billed = server.stats()["billed"]
    assert summary.spent_usd <= max_cost
    assert summary.done == billed == 4 and summary.skipped_budget == 6
    skipped = [line for line in manifest_lines(tmp_path) if line["status"] == "skipped_budget"]
    assert len(skipped) == 6 and all(line["error"]["kind"] == "budget" for line in skipped)


def test_timeouts_are_retried_when_asked_and_counted_as_spent(tmp_path):
    with local_server(timeout_rate=0.5, hang_s=2.0, seed=1) as server:
        summary = run_plan([generation(i) for i in range(4)], tmp_path, max_attempts=10, backoff_s=0.05,
                           retry_timeouts=20, **_openai(server, timeout=0.6))
    assert summary.done == 4 and summary.retries > 0 and summary.timeout_retries == summary.timeouts > 0
    paid = sum(line["cost_usd"] for line in manifest_lines(tmp_path))
    assert summary.spent_usd > paid  # timed-out attempts may be billed: the budget counts them


def test_a_fatal_error_stops_the_run_without_marking_items(tmp_path):
    with local_server(models=("some-other-model",)) as server:
        with pytest.raises(ValueError, match="does not offer model"):
            run_plan([generation(0)], tmp_path, **_openai(server))
    with local_server(api_key="sk-right-key-123456") as server:
        with pytest.raises(RunAborted, match="401") as info:
            run_plan([generation(0)], tmp_path, **_openai(server, api_key="sk-wrong-key-654321"))
    assert "sk-wrong-key-654321" not in str(info.value)
    with pytest.raises(RunAborted, match="cannot reach http://127.0.0.1:9/v1"):  # nothing listens on port 9
        run_plan([generation(0)], tmp_path, backend="openai", backend_options={"base_url": "http://127.0.0.1:9/v1"},
                 progress=False)
    assert not (tmp_path / "manifest.jsonl").exists() or manifest_lines(tmp_path) == []


def test_a_torn_last_manifest_line_is_cut_and_its_item_redone_from_the_store(tmp_path):
    with local_server() as server:
        run_plan([generation(0), generation(1)], tmp_path, **_openai(server))
        manifest = tmp_path / "manifest.jsonl"
        raw = manifest.read_bytes()
        manifest.write_bytes(raw[: len(raw) - 40])  # a torn second line
        with pytest.warns(UserWarning, match="torn"):
            summary = run_plan([generation(0), generation(1)], tmp_path, **_openai(server))
        assert server.stats()["billed"] == 2
    assert summary.requests_sent == 0 and summary.unchanged == 1
    assert sorted(line["id"] for line in manifest_lines(tmp_path)) == ["gen-0", "gen-1"]


def test_rewrite_sends_the_rewritten_text_and_keeps_the_original(tmp_path):
    with local_server() as server:
        run_plan([generation(0)], tmp_path / "plain", **_openai(server))
        run_plan([generation(0)], tmp_path / "rewritten", rewrite=True, **_openai(server))
    plain, = manifest_lines(tmp_path / "plain")
    line, = manifest_lines(tmp_path / "rewritten")
    assert line["original_instruction"] == generation(0).instruction
    assert line["instruction"] != line["original_instruction"] and "red apple" in line["instruction"]
    assert line["params"]["rewrite"]["used"] is True and "rewrite" in line["request_keys"]
    sent = ResultStore(tmp_path / "rewritten").get(line["request_keys"]["scene"])
    assert sent["prompt"] == line["instruction"]
    assert plain["instruction"] == plain["original_instruction"]


def test_the_offline_sketch_backend_runs_the_same_plan_for_free_and_resumes(tmp_path):
    plan = [generation(0), multi_turn(), reference()]
    summary = run_plan(plan, tmp_path, size="96x96", progress=False)  # backend="sketch" by default
    again = run_plan(plan, tmp_path, size="96x96", progress=False)
    assert summary.done == 3 and summary.spent_usd == 0 and summary.requests_sent == 7
    assert again.requests_sent == 0 and again.unchanged == 3
    lines = {line["id"]: line for line in manifest_lines(tmp_path)}
    assert all(line["backend"] == "sketch" and line["cost_usd"] == 0 for line in lines.values())
    assert len(lines["ref-0"]["input_images"]) == 2 and len(lines["multi-0"]["turn_images"]) == 2


def test_a_second_run_on_the_same_folder_is_refused_while_one_runs(tmp_path):
    from ogi_toolkit.calls.lock import FolderBusy, RunLock

    with RunLock(tmp_path):  # as if another process were writing there
        with pytest.raises(FolderBusy, match="another run is writing to"):
            run_plan([generation(0)], tmp_path, size="64x64", progress=False)
    assert run_plan([generation(0)], tmp_path, size="64x64", progress=False).done == 1
