"""`ogi rewrite` / rewrite_plan through the real openai SDK against the local server (no mocks)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from generate_fixtures import generation, local_server, manifest_lines, poster, single_edit, write_plan

from ogi_toolkit.generate import run_plan
from ogi_toolkit.generate.plan_file import read_plan
from ogi_toolkit.generate.rewrite_run import rewrite_plan
from ogi_toolkit.instruction_constraints import units
from ogi_toolkit.spec import Edit, InstructionSpec, Scene, SceneObject, TextItem, Turn

CHAT = "/v1/chat/completions"
IMAGE_PATHS = ("/v1/images/generations", "/v1/images/edits")


def _options(server, **extra):
    return {"backend": "openai", "backend_options": {"base_url": server.url}, "progress": False, **extra}


def _multi_turn() -> InstructionSpec:
    """A multi-turn item as the planner writes it: the joined instruction holds each turn's text."""
    turns = [Turn(instruction="Add a cat on the sofa.", edits=[Edit(op="add", object=SceneObject(name="cat"))]),
             Turn(instruction='Now write "HOME" on the wall.',
                  edits=[Edit(op="text_add", text=TextItem(text="HOME"))])]
    return InstructionSpec(
        id="mt-1", kind="editing", domain="multi_turn_editing", subtask="two_turns", template_id="mt.v1",
        difficulty=2, seed=5, source=Scene(description="A grey sofa", objects=[SceneObject(name="sofa")]), turns=turns,
        instruction="Edit this photo in two rounds. Round 1: Add a cat on the sofa. "
                    'Round 2: Now write "HOME" on the wall.')


def _structure(spec: InstructionSpec) -> dict:
    """Everything of a spec but the texts a rewrite may change."""
    data = spec.model_dump(exclude={"instruction", "rewrite"})
    for turn in data["turns"]:
        turn.pop("instruction")
    return data


def test_thousand_items_send_thousand_chat_requests_no_image_request_and_a_second_run_bills_nothing(tmp_path):
    specs = [generation(i) for i in range(999)] + [poster()]
    with local_server() as server:
        first = rewrite_plan(specs, tmp_path / "plan.rewritten.jsonl", concurrency=64, **_options(server))
        stats = server.stats()
        assert stats["by_path"][CHAT] == 1000 and stats["billed"] == 1000
        assert not any(path in stats["by_path"] for path in IMAGE_PATHS)
        assert (first.rewritten, first.requests_sent, first.kept, first.retried) == (1000, 1000, 0, 0)

        again = rewrite_plan(specs, tmp_path / "plan.rewritten.jsonl", concurrency=64, **_options(server))
        assert server.stats()["billed"] == 1000 and server.stats()["by_path"][CHAT] == 1000
        assert (again.requests_sent, again.calls_from_store, again.spent_usd) == (0, 1000, 0.0)

    out = read_plan(tmp_path / "plan.rewritten.jsonl")
    assert [s.id for s in out] == [s.id for s in specs]
    for before, after in zip(specs, out):
        assert _structure(before) == _structure(after)  # every spec keeps its structure
        assert after.rewrite.original == before.instruction and after.rewrite.status == "rewritten"
        assert after.instruction != before.instruction and before.instruction in after.instruction


def test_multi_turn_items_get_each_turn_rewritten_and_the_joined_instruction_rebuilt(tmp_path):
    spec = _multi_turn()
    with local_server() as server:
        summary = rewrite_plan([spec], tmp_path / "out.jsonl", **_options(server))
        assert server.stats()["by_path"][CHAT] == 2  # one request per turn
    assert summary.units == 2 and summary.rewritten == 1
    [out] = read_plan(tmp_path / "out.jsonl")
    assert out.rewrite.turns == [t.instruction for t in spec.turns]
    assert _structure(out) == _structure(spec)
    for planned, turn in zip(spec.turns, out.turns):
        assert turn.instruction != planned.instruction and planned.instruction in turn.instruction
    assert out.instruction.startswith("Edit this photo in two rounds. Round 1: ")
    assert all(turn.instruction in out.instruction for turn in out.turns)
    assert '"HOME"' in out.turns[1].instruction  # the turn's exact text is checked like any other


def test_a_rewrite_that_drops_quoted_text_is_retried_with_the_problem_named(tmp_path):
    spec = poster().model_copy(update={"instruction": 'A shop sign that reads "OPEN LATE" above a door #dropquotes'})
    with local_server(record=True) as server:
        summary = rewrite_plan([spec], tmp_path / "out.jsonl", **_options(server))
        chats = [r for r in server.routes.records if r["path"] == CHAT]
    assert (summary.retried, summary.second_tries, summary.kept) == (1, 1, 0)
    assert len(chats) == 2
    first_answer = json.loads(chats[0]["response_body"])["choices"][0]["message"]["content"]
    assert "OPEN LATE" not in first_answer  # the planted bad rewrite
    second_prompt = json.loads(chats[1]["body"])["messages"][-1]["content"]
    assert "text 'OPEN LATE' not kept verbatim" in second_prompt
    [out] = read_plan(tmp_path / "out.jsonl")
    assert out.rewrite.status == "retried" and '"OPEN LATE"' in out.instruction


def test_a_rewrite_that_loses_its_text_twice_is_kept_as_planned_with_the_reason(tmp_path):
    specs = [poster(), generation(1)]
    with local_server(drop_quotes_rate=1.0) as server:
        summary = rewrite_plan(specs, tmp_path / "out.jsonl", **_options(server))
        assert server.stats()["by_path"][CHAT] == 3  # the poster twice; the apples have no quoted text
    assert (summary.kept, summary.rewritten, summary.retried) == (1, 1, 0)
    by_id = {s.id: s for s in read_plan(tmp_path / "out.jsonl")}
    kept = by_id["gen-text"]
    assert kept.instruction == poster().instruction and kept.rewrite.status == "kept"
    assert any("OPEN LATE" in reason for reason in kept.rewrite.reasons)
    assert "kept as planned" in str(summary)


def test_a_refused_rewrite_keeps_the_planned_text(tmp_path):
    spec = generation(2, prompt="Exactly 3 red apples #norewrite")
    with local_server() as server:
        summary = rewrite_plan([spec, generation(3)], tmp_path / "out.jsonl", **_options(server))
    assert (summary.refused, summary.rewritten, summary.errors) == (1, 1, 0)
    out = {s.id: s for s in read_plan(tmp_path / "out.jsonl")}["gen-2"]
    assert out.instruction == spec.instruction and out.rewrite.status == "refused" and out.rewrite.reasons


def test_generate_and_rewrite_share_results_and_a_rewritten_plan_pays_no_rewrite_again(tmp_path):
    specs = [generation(i) for i in range(4)] + [single_edit(0)]
    run = tmp_path / "run"
    with local_server() as server:
        run_plan(specs, run, rewrite=True, **_options(server))
        chats = server.stats()["by_path"][CHAT]
        assert chats == 5
        summary = rewrite_plan(specs, tmp_path / "plan.rewritten.jsonl", store=run, **_options(server))
        assert summary.requests_sent == 0 and summary.calls_from_store == 5
        assert server.stats()["by_path"][CHAT] == chats

        rewritten = tmp_path / "plan.rewritten.jsonl"
        run_plan(rewritten, tmp_path / "run2", rewrite=True, **_options(server))
        assert server.stats()["by_path"][CHAT] == chats  # the rewritten plan is not rewritten again
    prompts = {json.loads(line)["prompt"] for line in (tmp_path / "run2" / "calls.jsonl").read_text().splitlines()
               if json.loads(line).get("step") == "scene"}
    assert prompts == {s.instruction for s in read_plan(rewritten) if s.kind == "generation"}
    assert all(p.startswith("In a clear, detailed picture:") for p in prompts)
    assert {line["id"] for line in manifest_lines(tmp_path / "run2") if line["status"] == "done"} == {s.id for s in specs}


def test_the_budget_stops_before_it_is_passed_and_items_stay_as_planned(tmp_path):
    specs = [generation(i) for i in range(30)]
    with local_server() as server:
        summary = rewrite_plan(specs, tmp_path / "out.jsonl", max_cost=0.0003, concurrency=1, **_options(server))
        sent = server.stats()["by_path"][CHAT]
    assert 0 < summary.rewritten < 30 and summary.skipped_budget == 30 - summary.rewritten
    assert sent == summary.rewritten and summary.spent_usd <= 0.0003
    out = read_plan(tmp_path / "out.jsonl")
    assert sum(s.rewrite is None for s in out) == summary.skipped_budget
    assert all(s.instruction == p.instruction for s, p in zip(out, specs) if s.rewrite is None)


def test_batch_rewrites_first_tries_then_second_tries_and_resumes_from_the_store(tmp_path):
    bad = poster().model_copy(update={"instruction": 'A shop sign that reads "OPEN LATE" above a door #dropquotes'})
    specs = [generation(i) for i in range(5)] + [bad, _multi_turn()]
    with local_server(batch_delay_s=0.05) as server:
        summary = rewrite_plan(specs, tmp_path / "out.jsonl", batch=True, poll_s=0.02, **_options(server))
        stats = server.stats()
        assert CHAT not in stats["by_path"]  # everything went through batches
        assert stats["by_path"]["/v1/batches"] == 2  # round one: first tries; round two: the second try
        assert (summary.rewritten, summary.retried, summary.requests_sent) == (6, 1, 9)
        again = rewrite_plan(specs, tmp_path / "out.jsonl", batch=True, poll_s=0.02, **_options(server))
        assert again.requests_sent == 0 and server.stats()["by_path"]["/v1/batches"] == 2
    out = {s.id: s for s in read_plan(tmp_path / "out.jsonl")}
    assert out["gen-text"].rewrite.status == "retried" and '"OPEN LATE"' in out["gen-text"].instruction
    assert out["mt-1"].rewrite.status == "rewritten" and len(out["mt-1"].rewrite.turns) == 2


def test_units_of_a_multi_turn_item_see_the_scene_the_earlier_turns_left():
    spec = _multi_turn()
    first, second = units(spec)
    assert [o.name for o in first.source.objects] == ["sofa"]
    assert [o.name for o in second.source.objects] == ["sofa", "cat"]  # the cat the first turn added
    assert second.edits == spec.turns[1].edits and second.turns == [] and second.id == "mt-1#turn:1"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ogi_toolkit.cli", "rewrite", *args]


def _stored_lines(store) -> int:
    path = store / "calls.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_kill_9_then_resume_resends_at_most_the_requests_in_flight(tmp_path):
    concurrency = 4
    specs = [generation(i) for i in range(60)] + [_multi_turn()]
    plan = write_plan(tmp_path / "plan.jsonl", specs)
    out, store = tmp_path / "plan.rewritten.jsonl", tmp_path / "plan.rewritten.jsonl.calls"
    env = {**os.environ, "OPENAI_API_KEY": "sk-test-local"}
    with local_server(latency_ms=100) as server:
        command = _cli(str(plan), "--out", str(out), "--base-url", server.url, "--chat-model", "gpt-4o-mini",
                       "--concurrency", str(concurrency), "--no-progress")
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _stored_lines(store) < 12 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        assert first.returncode == -signal.SIGKILL
        assert not out.exists()  # the plan is written whole at the end, never half
        assert 12 <= _stored_lines(store) < 62, "the run must be killed mid-way"

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        assert second.returncode == 0, second.stderr
        stats = server.stats()
        assert stats["by_path"][CHAT] - 62 <= concurrency  # only the requests in flight at the kill again
        assert stats["billed"] - stats["distinct"] <= concurrency
        assert '"rewritten": 61' in second.stdout and "0 kept as planned" in second.stdout

        third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        assert third.returncode == 0 and "0 requests sent" in third.stdout
        assert server.stats()["by_path"][CHAT] == stats["by_path"][CHAT]

        dry = subprocess.run(_cli(str(plan), "--out", str(tmp_path / "new.jsonl"), "--chat-model", "gpt-4o-mini",
                                  "--dry-run"), env=env, capture_output=True, text=True, timeout=60)
        assert dry.returncode == 0, dry.stderr
        assert "chat model: gpt-4o-mini" in dry.stdout and "62 requests" in dry.stdout
    assert len(read_plan(out)) == 61 and all(s.rewrite is not None for s in read_plan(out))


def test_generate_dry_run_counts_no_rewrite_for_a_rewritten_plan(tmp_path):
    from ogi_toolkit.generate import dry_run

    specs = [generation(i) for i in range(3)]
    with local_server() as server:
        rewrite_plan(specs, tmp_path / "rewritten.jsonl", **_options(server))
    planned = dry_run(specs, backend="openai", rewrite=True)
    rewritten = dry_run(tmp_path / "rewritten.jsonl", backend="openai", rewrite=True)
    assert int(planned["requests"].sum()) == 6  # a rewrite and an image each
    assert int(rewritten["requests"].sum()) == 3  # the images only


def test_each_sub_instruction_of_a_complex_edit_keeps_its_objects_and_texts():
    from ogi_toolkit.instruction_constraints import check_rewrite

    source = Scene(description="A living room", objects=[SceneObject(name="mug"), SceneObject(name="sofa"),
                                                          SceneObject(name="lamp")], texts=[TextItem(text="SALE")])
    spec = InstructionSpec(
        id="complex-1", kind="editing", domain="complex_instruction_editing", subtask="three_edits",
        template_id="c.v1", difficulty=3, seed=1, source=source,
        instruction='Remove the mug, make the sofa red, move the lamp next to the sofa and erase "SALE"',
        edits=[Edit(op="remove", target=0, instruction="Remove the mug"),
               # after the removal the sofa is object 0 and the lamp object 1
               Edit(op="alter", target=0, attribute="colour", value="red", instruction="Make the sofa red"),
               Edit(op="move", target=1, relation="next_to", anchor=0, instruction="Move the lamp next to the sofa"),
               Edit(op="text_remove", target=0, instruction='Erase "SALE"')])
    assert check_rewrite(spec, spec.instruction) == []
    assert check_rewrite(spec, 'Make the sofa red, put the lamp by it and erase "SALE"') == ["object 'mug' missing"]
    assert check_rewrite(spec, "Remove the mug, make the sofa red, put the lamp by the sofa") == [
        "text 'SALE' not kept verbatim"]
    assert check_rewrite(spec, 'Remove the mug, make the sofa red, erase "SALE"') == ["object 'lamp' missing"]


def test_timed_out_rewrites_are_finished_from_their_late_answers_and_never_sent_twice(tmp_path):
    specs = [generation(i) for i in range(40)]
    with local_server(timeout_rate=0.2, hang_s=0.6, seed=4) as server:
        summary = rewrite_plan(specs, tmp_path / "out.jsonl", concurrency=8,
                               **{**_options(server), "backend_options": {"base_url": server.url, "timeout": 0.2}})
        stats = server.stats()
    assert summary.timeouts > 0 and summary.late_answers == summary.timeouts
    assert summary.rewritten == 40 and summary.errors == 0
    assert stats["by_path"][CHAT] == 40 and stats["billed"] == stats["distinct"] == 40  # nothing sent again
    assert "answered late and used" in str(summary)
