"""`--dry-run`: requests and estimated cost per subtask, without a key and without sending."""
from __future__ import annotations

import pytest

from generate_fixtures import local_server, mixed_plan, write_plan

from ogi_toolkit.cli import main
from ogi_toolkit.config import load_models_config
from ogi_toolkit.generate import dry_run, run_plan
from ogi_toolkit.generate.dry_run import item_calls


def test_item_calls_follow_the_item_shape():
    gen, text, edit, multi, ref = mixed_plan()
    assert [c[0] for c in item_calls(gen, rewrite=True)] == ["rewrite", "generate"]
    assert [c[0] for c in item_calls(edit)] == ["generate", "edit"]
    assert [(c[0], c[2]) for c in item_calls(ref)] == [("generate", 0), ("generate", 0), ("edit", 2)]
    # multi-turn: no rewrite, one edit per turn, each on one image
    assert [(c[0], c[2]) for c in item_calls(multi, rewrite=True)] == [("generate", 0), ("edit", 1), ("edit", 1)]


def test_the_cli_prints_requests_and_cost_per_subtask_without_a_key(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    plan = write_plan(tmp_path / "plan.jsonl", mixed_plan())
    out = tmp_path / "out"
    assert main(["generate", str(plan), "--out", str(out), "--backend", "openai", "--quality", "medium", "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert not out.exists()  # nothing generated, nothing created
    rows = {line.split()[2]: line.split() for line in printed.splitlines()[1:-2]}  # the last two: total, what was priced
    assert set(rows) == {"object_counting", "textual_accuracy", "replace", "two_turns", "reference_image"}
    assert rows["two_turns"][4:6] == ["0", "3"] and rows["reference_image"][5] == "3"
    config = load_models_config()
    prices, est = config.image_models["gpt-image-1"].prices, config.estimates
    ref = mixed_plan()[4]
    text_tokens = sum(len(p) for p in (ref.source.description, ref.reference.scene.description, ref.instruction)) / 4
    expected = (3 * prices.per_image["medium"]["1024x1024"]
                + (text_tokens * prices.text_input_per_mtok + 2 * est.input_image_tokens * prices.image_input_per_mtok) / 1e6)
    assert float(rows["reference_image"][6]) == pytest.approx(expected, abs=1e-4)
    assert printed.splitlines()[-2].startswith("total: 5 items (0 already done), 10 requests, estimated $")


def test_items_already_done_are_not_counted_again(tmp_path):
    with local_server() as server:
        run_plan(mixed_plan()[:2], tmp_path, backend="openai", backend_options={"base_url": server.url}, progress=False)
    table = dry_run(mixed_plan(), backend="openai", out=tmp_path)
    assert table["already_done"].sum() == 2 and table["requests"].sum() == 8
    assert dry_run(mixed_plan(), backend="sketch")["est_cost_usd"].sum() == 0


def test_a_named_model_is_priced_even_offline_and_the_assumptions_are_said(capsys, tmp_path):
    from ogi_toolkit.generate.dry_run import pricing_note

    table = dry_run(mixed_plan(), backend="sketch", image_model="gpt-image-1", quality="low")
    assert table["est_cost_usd"].sum() > 0  # what the user named, priced; the sketch renderer would be $0
    note = pricing_note(table)
    assert "image model gpt-image-1," in note and "quality low," in note
    assert "size 1024x1024 (assumed: the models config's default)" in note
    assert "nothing to pay" in pricing_note(dry_run(mixed_plan(), backend="sketch"))
    plan = write_plan(tmp_path / "plan.jsonl", mixed_plan())
    assert main(["generate", str(plan), "--out", str(tmp_path / "o"), "--backend", "openai", "--dry-run"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("priced as: image model gpt-image-1 (assumed") and "quality low (assumed" in last


def test_a_free_local_server_is_priced_by_the_local_models_file(tmp_path):
    with local_server() as server:
        summary = run_plan(mixed_plan()[:2], tmp_path / "run", backend="openai", backend_options={"base_url": server.url},
                           config="local", progress=False)
    assert summary.done == 2 and summary.spent_usd == 0
    with local_server() as server:
        paid = run_plan(mixed_plan()[:2], tmp_path / "paid", backend="openai", backend_options={"base_url": server.url},
                        progress=False)
    assert paid.spent_usd > 0  # the same server priced as OpenAI: the models file decides, and says so
    assert dry_run(mixed_plan(), backend="openai", config="local")["est_cost_usd"].sum() == 0
