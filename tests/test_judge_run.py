"""`judge()` / `ogi judge` through the real openai SDK against the local server (which tests start)."""
from __future__ import annotations

import base64
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from PIL import Image

from generate_fixtures import local_server
from judge_fixtures import JUDGE_MODEL, judge_options, make_dataset

from ogi_toolkit.quality.judge import judge


def _lines(folder) -> list[dict]:
    raw = (folder / "judgments.jsonl").read_bytes()
    assert raw.endswith(b"\n")
    return [json.loads(line) for line in raw.splitlines()]


def _manifest_ids(folder) -> list[str]:
    return list(dict.fromkeys(json.loads(line)["id"] for line in (folder / "manifest.jsonl").read_text().splitlines()))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """A generated dataset folder (one item of each kind plus 15 generations), copied per test."""
    out = tmp_path_factory.mktemp("judge-data") / "data"
    with local_server() as server:
        make_dataset(server, out, n_generation=15)
    return out


@pytest.fixture
def data(dataset, tmp_path):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(dataset, copy)
    return copy


def _stats(server) -> dict:
    """The server's /stats, over HTTP as a user would read it."""
    import urllib.request

    with urllib.request.urlopen(server.url.removesuffix("/v1") + "/stats") as response:
        return json.loads(response.read())


def test_every_item_is_judged_and_a_second_run_bills_nothing(data):
    with local_server() as server:
        first = judge(data, **judge_options(server, concurrency=4))
        billed = _stats(server)["billed"]
        second = judge(data, **judge_options(server, concurrency=4))
        assert billed == 20 and _stats(server)["billed"] == billed  # nothing paid twice
    assert first.judged == first.items == 20 and first.errors == 0 and first.requests_sent == 20
    assert second.requests_sent == 0 and second.calls_from_store == 20 and second.spent_usd == 0
    lines = _lines(data)
    assert [line["id"] for line in lines] == _manifest_ids(data)
    for line in lines:
        assert line["error"] is None and line["judge"] == JUDGE_MODEL
        assert 0.0 <= line["score"] <= 1.0 and line["passed"] == (line["score"] >= 0.7)
        assert set(line["criteria"]) >= {"instruction_compliance", "realism", "technical"}
        assert line["questions"] and all(q["answer"] in ("yes", "no") for q in line["questions"])
    kinds = {line["id"]: line["kind"] for line in lines}
    assert kinds["multi-0"] == "multi_turn" and kinds["ref-0"] == "reference" and kinds["edit-0"] == "single_edit"
    assert "preservation" in next(l for l in lines if l["id"] == "edit-0")["criteria"]
    assert "preservation" not in next(l for l in lines if l["id"] == "gen-0")["criteria"]


def test_a_new_judge_model_or_rubric_judges_again_but_images_are_not_regenerated(data, tmp_path):
    from ogi_toolkit.quality.judge.rubric import DEFAULT_RUBRIC

    rubric = tmp_path / "r.yaml"
    rubric.write_text(DEFAULT_RUBRIC.read_text().replace("pass_threshold: 0.7", "pass_threshold: 0.5"))
    with local_server() as server:
        assert judge(data, **judge_options(server)).requests_sent == 20
        assert judge(data, **judge_options(server, rubric=rubric)).requests_sent == 20
        assert judge(data, **{**judge_options(server), "judge_model": "gpt-4o"}).requests_sent == 20
        assert judge(data, **judge_options(server, rubric=rubric)).requests_sent == 0


def test_images_go_as_data_urls_downscaled_to_the_long_side(data):
    with local_server(record=True) as server:
        judge(data, **judge_options(server, long_side=20))
        bodies = [json.loads(r["body"]) for r in server.routes.records if r["path"] == "/v1/chat/completions"]
    assert len(bodies) == 20
    sizes = []
    for body in bodies:
        assert body["response_format"]["type"] == "json_schema" and body["response_format"]["json_schema"]["strict"]
        for part in body["messages"][1]["content"]:
            if part["type"] == "image_url":
                head, data64 = part["image_url"]["url"].split(",", 1)
                assert head == "data:image/jpeg;base64"  # downscaled images go as JPEG
                sent = Image.open(io.BytesIO(base64.b64decode(data64)))
                assert sent.format == "JPEG"
                sizes.append(max(sent.size))
    assert len(sizes) == 17 + 2 + 3 + 3  # 17 generations, the single edit, multi-turn and reference items
    assert max(sizes) == 20  # the 32-pixel images of the dataset were downscaled


def test_a_30_percent_fault_storm_completes(data):
    with local_server(fail_rate=0.3, retry_after_ms=5) as server:
        summary = judge(data, **judge_options(server, concurrency=8, backoff_s=0.01, max_attempts=12))
        stats = server.stats()
    assert summary.judged == 20 and summary.errors == 0 and summary.retries > 0
    assert stats["by_status"].get("429", 0) + stats["by_status"].get("500", 0) == summary.retries
    assert stats["billed"] == stats["distinct"] == 20


def test_garbage_and_refused_replies_are_errors_paid_once_and_asked_again_only_with_retry_failed(data):
    # A garbage or refused reply was answered, so billed (#22 item 9): recorded as maybe paid,
    # not paid for again by a rerun, as generate does; --retry-failed asks again.
    with local_server(malformed_rate=0.35, refusal_rate=0.15, seed=3) as server:
        first = judge(data, **judge_options(server))
        first_lines = _lines(data)
        server.options.malformed_rate = server.options.refusal_rate = 0.0  # the same server, healed
        billed = server.stats()["billed"]
        second = judge(data, **judge_options(server))
        assert server.stats()["billed"] == billed  # nothing paid again
        second_lines = _lines(data)
        third = judge(data, **judge_options(server, retry_failed=True))
    assert first.paid_failures == first.errors
    assert second.requests_sent == 0 and second.failed_from_store == first.errors == second.errors
    assert "--retry-failed" in str(second)
    assert {line["id"] for line in second_lines if line["error"]} == {line["id"] for line in first_lines if line["error"]}
    assert third.requests_sent == first.errors and third.errors == 0 and third.judged == 20
    errors = [line for line in first_lines if line["error"]]
    kinds = {line["error"]["kind"] for line in errors}
    assert first.errors == len(errors) >= 4 and first.judged == 20 - len(errors)
    assert kinds <= {"unreadable_judgment", "malformed_response", "content_policy"} and "content_policy" in kinds
    assert kinds & {"unreadable_judgment", "malformed_response"}
    for line in errors:  # never a score for junk
        assert line["score"] is None and line["passed"] is None and line["criteria"] == {}
        assert line["questions"] and all(q["answer"] is None for q in line["questions"])


def test_timed_out_judgments_are_waited_for_stored_and_never_paid_twice(data):
    # #22 item 2 for the judge: a timed-out judgment may be done and billed; the run waits for it
    # (it used to send it again and drop the late answer), so every item is judged from one payment.
    with local_server(timeout_rate=0.3, hang_s=0.6, seed=6) as server:
        summary = judge(data, **judge_options(server, concurrency=8, backend_options={"base_url": server.url,
                                                                                     "timeout": 0.3}))
        stats = server.stats()
        again = judge(data, **judge_options(server))
    assert summary.timeouts > 0 and summary.late_answers == summary.timeouts
    assert summary.judged == 20 and summary.errors == 0
    assert stats["in_flight"] == 0 and stats["billed"] == stats["distinct"] == 20, stats
    assert again.requests_sent == 0 and again.judged == 20


def test_the_batch_api_path_judges_every_item_and_a_rerun_submits_nothing(data):
    with local_server(batch_delay_s=0.05) as server:
        first = judge(data, **judge_options(server, batch=True, poll_s=0.05))
        live = judge(data, **judge_options(server))  # the same keys: a live run finds them stored
        again = judge(data, **judge_options(server, batch=True, poll_s=0.05))
        stats = server.stats()
    assert first.judged == 20 and first.requests_sent == 20 and first.results_paid == 20
    assert live.requests_sent == 0 and again.requests_sent == 0
    assert stats["billed"] == stats["distinct"] == 20
    stored = [json.loads(line) for line in (data / "judge" / "calls.jsonl").read_text().splitlines()]
    for call in stored:  # half price: gpt-4o-mini's $0.15 / $0.60 per million tokens, halved
        usage = call["usage"]
        full = (usage["prompt_tokens"] * 0.15 + usage["completion_tokens"] * 0.60) / 1e6
        assert call["cost_usd"] == pytest.approx(full / 2, abs=1e-6) and call["cost_usd"] > 0
    assert first.spent_usd == pytest.approx(sum(c["cost_usd"] for c in stored), abs=1e-5)
    assert all(line["error"] is None for line in _lines(data))


def test_batch_answers_that_are_not_judgments_are_errors(data):
    with local_server(batch_delay_s=0.05, malformed_rate=0.5, seed=1) as server:
        summary = judge(data, **judge_options(server, batch=True, poll_s=0.05))
    errors = [line for line in _lines(data) if line["error"]]
    assert errors and summary.errors == len(errors) and summary.judged == 20 - len(errors)
    assert all(line["score"] is None for line in errors)


def test_max_cost_leaves_items_unjudged_for_a_later_run(data):
    with local_server() as server:
        capped = judge(data, **judge_options(server, max_cost=0.0005))
        assert 0 < capped.judged < 20 and capped.skipped_budget == 20 - capped.judged
        assert capped.spent_usd <= 0.0005
        rest = judge(data, **judge_options(server))
    assert rest.requests_sent == capped.skipped_budget and rest.judged == 20


def test_an_item_without_an_image_or_with_a_path_out_of_the_folder_is_an_error(data):
    manifest = data / "manifest.jsonl"
    records = [json.loads(line) for line in manifest.read_text().splitlines()]
    records[0]["output_image"] = "../../etc/passwd"
    records[1]["status"], records[1]["output_image"] = "error", None
    manifest.write_text("".join(json.dumps(r) + "\n" for r in records))
    with local_server() as server:
        summary = judge(data, **judge_options(server))
    by_id = {line["id"]: line for line in _lines(data)}
    assert "outside the dataset folder" in by_id[records[0]["id"]]["error"]["message"]
    assert by_id[records[1]["id"]]["error"]["kind"] == "not_generated"
    assert summary.errors == 2 and summary.judged == 18


def test_a_backend_that_cannot_judge_is_refused_with_a_clear_error(data):
    with pytest.raises(ValueError, match="cannot judge"):
        judge(data, backend="sketch", progress=False)


def test_judge_batch_refuses_a_judge_without_the_batch_api_before_any_request(data):
    from ogi_toolkit.backends import Backend, TextResult

    class LiveOnlyJudge(Backend):  # judges, but has no Batch API
        name, judge_model = "live-only", JUDGE_MODEL
        sent = 0

        def identity(self):
            return {"backend": self.name}

        def judge_identity(self):
            return {"backend": self.name, "judge_model": self.judge_model}

        async def judge(self, request):
            LiveOnlyJudge.sent += 1
            return TextResult(text="{}", model=self.judge_model)

    with pytest.raises(ValueError, match="has no Batch API"):
        judge(data, backend=LiveOnlyJudge(), batch=True, progress=False)
    assert LiveOnlyJudge.sent == 0 and not (data / "judgments.jsonl").exists()


SECRET = "sk-" + "judge-test-DO-NOT-LEAK-0123456789"  # split so secret scanners do not flag it


def _stored(data) -> int:
    path = data / "judge" / "calls.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_kill_9_then_resume_pays_only_for_requests_in_flight(data):
    concurrency = 4
    with local_server(latency_ms=150) as server:
        command = [sys.executable, "-m", "ogi_toolkit.cli", "judge", str(data), "--backend", "openai",
                   "--base-url", server.url, "--judge-model", JUDGE_MODEL, "--concurrency", str(concurrency),
                   "--no-progress"]
        env = {**os.environ, "OPENAI_API_KEY": SECRET}
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _stored(data) < 6 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        assert first.returncode == -signal.SIGKILL
        at_kill = _stored(data)
        assert 6 <= at_kill < 20, "the run must be killed mid-way"
        assert not (data / "judgments.jsonl").exists()  # written only whole, at the end

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
        stats = server.stats()
        assert stats["billed"] - stats["distinct"] <= concurrency  # only requests in flight at the kill
        third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert third.returncode == 0 and "0 requests sent" in third.stdout
        assert server.stats()["billed"] == stats["billed"]
    assert len(_lines(data)) == 20 and all(line["error"] is None for line in _lines(data))
    assert '"judged": 20' in third.stdout
    for path in data.rglob("*.json*"):  # the key is nowhere on disk
        assert SECRET not in path.read_text(encoding="utf-8"), path


def test_judgments_read_back_as_a_table_with_errors_unscored(data):
    from ogi_toolkit.quality.judge import load_judgments

    with pytest.raises(FileNotFoundError, match="ogi judge"):
        load_judgments(data)
    with local_server(refusal_rate=0.3, seed=4) as server:
        judge(data, **judge_options(server))
    table = load_judgments(data)
    lines = {line["id"]: line for line in _lines(data)}
    assert sorted(table.index) == sorted(lines)
    for item_id, row in table.iterrows():
        line = lines[item_id]
        if line["error"]:
            assert row["judge_error"] == "content_policy" and row["judge_score"] != row["judge_score"]  # NaN
        else:
            assert row["judge_score"] == line["score"] and row["judge_realism"] == line["criteria"]["realism"]
    assert table["judge_error"].notna().sum() >= 2


def test_a_batch_run_killed_after_submitting_collects_its_batch_on_restart(data):
    with local_server(batch_delay_s=3.0) as server:
        command = [sys.executable, "-m", "ogi_toolkit.cli", "judge", str(data), "--base-url", server.url,
                   "--judge-model", JUDGE_MODEL, "--batch", "--poll", "0.05", "--no-progress"]
        first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        state = data / "judge" / "batches.jsonl"
        deadline = time.monotonic() + 60
        while (not state.exists() or b'"submitted"' not in state.read_bytes()) and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        assert b'"submitted"' in state.read_bytes()
        second = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
        assert len(server.routes.batches.batches) == 1  # collected, not submitted again
        assert server.stats()["billed"] == 20
    assert all(line["error"] is None for line in _lines(data)) and len(_lines(data)) == 20
