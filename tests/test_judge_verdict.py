"""The judge's verdict: the checklist decides with the rubric score (a top score with a "no" to a
required question fails), drawn styles are not scored on realism, images go at detail "high";
through the real openai SDK against the local server."""
from __future__ import annotations

import json

import pytest
from generate_fixtures import local_server
from judge_fixtures import judge_options, make_dataset

from ogi_toolkit.quality.judge import judge, load_rubric


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("judge-verdict") / "data"
    with local_server() as server:
        make_dataset(server, out, n_generation=4)
    return out


def _lines(folder):
    return {json.loads(l)["id"]: json.loads(l) for l in (folder / "judgments.jsonl").read_text().splitlines()}


def test_a_no_to_a_required_question_fails_the_item_whatever_its_score(dataset):
    manifest = dataset / "manifest.jsonl"
    records = [json.loads(l) for l in manifest.read_text().splitlines()]
    target = next(r for r in records if r.get("status") == "done" and r["spec"]["kind"] == "generation")
    spec = {**target["spec"], "instruction": target["spec"]["instruction"] + " #judgeno"}
    with manifest.open("a") as f:  # the last line per id wins: this item's judge says "no" to everything
        f.write(json.dumps({**target, "spec": spec, "instruction": spec["instruction"]}) + "\n")
    with local_server() as server:
        judge(dataset, **judge_options(server))
    line = _lines(dataset)[target["id"]]
    assert line["questions"] and all(q["answer"] == "no" for q in line["questions"])
    assert line["score"] == 1.0 and line["checklist_yes"] == 0.0
    assert line["passed"] is False


def test_the_rubric_says_how_score_and_checklist_combine():
    rubric = load_rubric()
    assert rubric.checklist_min_yes == 1.0 and rubric.image_detail == "high"
    assert rubric.verdict(0.9, [True, True]) and not rubric.verdict(0.9, [True, False])
    assert not rubric.verdict(0.5, [True, True])
    lenient = rubric.model_copy(update={"checklist_min_yes": 0.5})
    assert lenient.verdict(0.9, [True, False])


def test_drawn_styles_are_not_scored_on_realism():
    rubric = load_rubric()
    raw = {"instruction_compliance": 10, "realism": 0, "technical": 10}
    photo, _ = rubric.score("generation", raw, "photographic")
    drawn, per = rubric.score("generation", raw, "media_illustration")
    assert drawn == 1.0 and "realism" not in per and photo < 0.8


def test_images_are_sent_at_the_rubrics_detail():
    from ogi_toolkit.backends.base import JudgeRequest
    from ogi_toolkit.backends.openai_backend import OpenAIBackend

    backend = OpenAIBackend(api_key="sk-test", judge_model="m")
    body = backend.judge_body(JudgeRequest(system="s", content=("look", b"\x89PNG\r\n\x1a\n"), schema={}))
    assert body["messages"][1]["content"][1]["image_url"]["detail"] == "high"
