"""Timeouts and paid failures never pay twice (#11 item 7): real SDK, local server with hangs."""
from __future__ import annotations

from generate_fixtures import generation, local_server, manifest_lines

from ogi_toolkit.generate import run_plan


def _openai(server, **extra):
    return {"backend": "openai", "backend_options": {"base_url": server.url, **extra}, "progress": False}


def test_timed_out_requests_hold_their_slot_and_are_not_paid_twice(tmp_path):
    # 30% of the requests hang 0.5 s, past the 0.3 s timeout: the server still does (and bills) them.
    plan = [generation(i) for i in range(40)]
    with local_server(timeout_rate=0.3, hang_s=0.5, latency_ms=20, seed=5) as server:
        summary = run_plan(plan, tmp_path / "run", concurrency=4, backoff_s=0.01,
                           **_openai(server, timeout=0.3))
        stats = server.stats()
        # Their answers came late but were paid for: kept in the store, so a rerun pays nothing.
        again = run_plan(plan, tmp_path / "run", **_openai(server))
        assert server.stats()["billed"] == stats["billed"]
    assert stats["max_in_flight"] <= 4, stats  # a timed-out request counts until it is really closed
    assert stats["billed"] == stats["distinct"] == 40, stats  # no request was paid for twice
    assert summary.timeouts > 0 and summary.timeout_retries == 0
    # Every late answer came before the run ended: those items are finished from them.
    assert summary.late_answers == summary.timeouts and summary.done == 40 and summary.errors == 0
    assert summary.paid_failures == 0  # the failures recorded at the timeouts were answered after all
    assert again.done == again.unchanged == 40 and again.requests_sent == 0


def test_retries_of_timed_out_images_are_budgeted_and_reported(tmp_path):
    plan = [generation(i) for i in range(12)]
    with local_server(timeout_rate=0.5, hang_s=0.5, seed=2) as server:
        # closed at 0.25 s: no answer ever reaches the runner
        summary = run_plan(plan, tmp_path, concurrency=4, backoff_s=0.01, max_attempts=10, retry_timeouts=2,
                           **_openai(server, timeout=0.2, close_timeout=0.25))
        again = run_plan(plan, tmp_path, **_openai(server, timeout=0.2, close_timeout=0.25))
    assert summary.timeout_retries == 2 and summary.timeouts > 2
    assert "timed out (2 image requests sent again" in str(summary)
    failed = [line for line in manifest_lines(tmp_path) if line["status"] == "error"]
    assert summary.errors == len({line["id"] for line in failed}) > 0
    assert all(line["error"]["kind"] == "timeout" for line in failed)
    assert summary.late_answers == 0 and summary.paid_failures == summary.errors
    # maybe billed: not sent again by the next run
    assert again.requests_sent == 0 and again.failed_from_store == summary.errors


def test_a_billed_malformed_answer_is_recorded_as_paid_and_resent_only_when_asked(tmp_path):
    plan = [generation(0), generation(1, prompt="a scene #malformed")]
    with local_server() as server:
        first = run_plan(plan, tmp_path, **_openai(server))
        billed = server.stats()["billed"]
        second = run_plan(plan, tmp_path, **_openai(server))
        assert server.stats()["billed"] == billed  # not sent (and paid) again
        error = {line["id"]: line for line in manifest_lines(tmp_path)}["gen-1"]["error"]
        third = run_plan(plan, tmp_path, retry_failed=True, **_openai(server))
        assert server.stats()["billed"] == billed + 1  # the user asked: sent again
    assert first.paid_failures == 1 and first.errors == 1
    assert second.requests_sent == 0 and second.failed_from_store == 1 and second.errors == 1
    assert "--retry-failed" in str(second)
    assert error["kind"] == "malformed_response" and "--retry-failed" in error["message"]
    assert third.requests_sent == 1


def test_an_unreachable_base_url_is_a_connection_error_naming_the_url_not_a_timeout(tmp_path):
    import pytest

    from ogi_toolkit.generate import RunAborted

    url = "http://127.0.0.1:9/v1"  # nothing listens on port 9: the connection is refused
    for check_models in (True, False):  # the model check, and the first image request
        with pytest.raises(RunAborted) as info:
            run_plan([generation(0)], tmp_path, backend="openai", backend_options={"base_url": url},
                     progress=False, check_models=check_models)
        message = str(info.value)
        assert url in message and "Request timed out" not in message and "timeout" not in message.lower()
        assert "refused" in message.lower() or "connect" in message.lower()


def test_a_40_edit_run_with_timeouts_waits_for_every_request_and_loses_no_item(tmp_path):
    # #22 item 2: sources and edits time out (30%); the pass over timed-out items sends edits that
    # time out too. The run waits for every request it sent and stores the late answers, so no
    # paid answer is lost and a rerun pays for nothing.
    from generate_fixtures import single_edit

    plan = [single_edit(i) for i in range(40)]
    with local_server(timeout_rate=0.3, hang_s=0.6, seed=11) as server:
        summary = run_plan(plan, tmp_path, concurrency=8, backoff_s=0.01, **_openai(server, timeout=0.3))
        stats = server.stats()  # as the run returned
        again = run_plan(plan, tmp_path, **_openai(server))
        assert server.stats()["billed"] == stats["billed"]  # the rerun pays for nothing
    assert stats["in_flight"] == 0, stats  # no request left open by the run
    assert stats["billed"] == stats["distinct"] == 80, stats  # a source and an edit each, none twice
    assert summary.timeouts > 0 and summary.late_answers == summary.timeouts
    assert summary.done == 40 and summary.errors == 0 and summary.paid_failures == 0
    assert again.done == again.unchanged == 40 and again.requests_sent == 0


def test_requests_still_open_at_close_timeout_are_recorded_as_maybe_paid(tmp_path):
    # The server hangs 2 s; the run waits 0.3 s for them at its end, then closes them: each call
    # is recorded as maybe paid (never lost, never sent again without --retry-failed).
    plan = [generation(i) for i in range(6)]
    with local_server(timeout_rate=1.0, hang_s=2.0, seed=1) as server:
        summary = run_plan(plan, tmp_path, concurrency=6, close_timeout=0.3, **_openai(server, timeout=0.2))
        again = run_plan(plan, tmp_path, **_openai(server, timeout=0.2))
    assert summary.timeouts == 6 and summary.closed_unanswered == 6 and summary.errors == 6
    assert summary.paid_failures == 6 and "closed unanswered after --close-timeout" in str(summary)
    assert again.requests_sent == 0 and again.failed_from_store == 6
    assert summary.seconds < 1.5  # it did not wait for the server's 2 s
