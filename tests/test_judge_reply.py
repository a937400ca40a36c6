"""Reading the judge's reply: clean, noisy, refused and garbage replies; never a score of 0 for junk."""
from __future__ import annotations

import json

import jsonschema
import pytest

from ogi_toolkit.quality.judge import UnreadableReply, load_rubric, parse_reply, reply_schema

CRITERIA = ("instruction_compliance", "realism", "technical")
SCALE = load_rubric().scale
CLEAN = {"questions": {"q1": "yes", "q2": "no"},
         "criteria": {"instruction_compliance": {"score": 8, "reason": "both balls"},
                      "realism": {"score": 6, "reason": "flat light"},
                      "technical": {"score": 10, "reason": "sharp"}}}


def _noisy_scores():
    data = json.loads(json.dumps(CLEAN))
    data["questions"] = {"q1": "Yes.", "q2": " NO"}
    data["criteria"]["realism"] = {"score": "6", "reason": "flat light"}
    data["criteria"]["technical"] = 10  # a bare score
    return data


@pytest.mark.parametrize("text", [
    json.dumps(CLEAN),
    "```json\n" + json.dumps(CLEAN, indent=2) + "\n```",
    "Here is my judgment:\n" + json.dumps(CLEAN) + "\nI hope this helps.",
    json.dumps(_noisy_scores()),
    json.dumps({**CLEAN, "questions": {"q1": True, "q2": False}}),
], ids=["clean", "fenced", "prose-around", "capitals-and-strings", "booleans"])
def test_clean_and_noisy_replies_parse_to_the_same_judgment(text):
    reply = parse_reply(text, CRITERIA, 2, SCALE)
    assert reply.answers == (True, False)
    assert reply.scores == {"instruction_compliance": 8.0, "realism": 6.0, "technical": 10.0}
    assert reply.reasons["instruction_compliance"] == "both balls"


@pytest.mark.parametrize("text, refused, message", [
    ("I'm sorry, but I can't help with evaluating this image.", True, "refused"),
    ("I cannot assist with that.", True, "refused"),
    ("", False, "empty"),
    ("The edit looks fine overall, maybe a 7.", False, "no JSON object"),
    ('{"questions": {"q1": "yes", "q2": "no"}, "criteria": {"instruction_compliance": {"score": 8', False, "not valid JSON"),
    ("[1, 2, 3]", False, "no JSON object"),
    (json.dumps({"criteria": CLEAN["criteria"]}), False, "no 'questions'"),
    (json.dumps({**CLEAN, "questions": {"q1": "yes"}}), False, "questions.q2 is missing"),
    (json.dumps({**CLEAN, "questions": {"q1": "maybe", "q2": "no"}}), False, "expected 'yes' or 'no'"),
    (json.dumps({**CLEAN, "criteria": {**CLEAN["criteria"], "realism": {"score": 11}}}), False, "off the scale"),
    (json.dumps({**CLEAN, "criteria": {**CLEAN["criteria"], "realism": {"score": "high"}}}), False, "expected a number"),
    (json.dumps({**CLEAN, "criteria": {"realism": {"score": 5}, "technical": {"score": 5}}}), False, "instruction_compliance is missing"),
], ids=["refusal", "refusal-2", "empty", "prose", "truncated", "array", "no-questions", "missing-answer",
        "maybe", "off-scale", "word-score", "missing-criterion"])
def test_refused_and_garbage_replies_are_errors_not_scores(text, refused, message):
    with pytest.raises(UnreadableReply) as err:
        parse_reply(text, CRITERIA, 2, SCALE)
    assert err.value.refused is refused and message in str(err.value)


def test_the_schema_accepts_a_clean_reply_and_rejects_a_broken_one():
    schema = reply_schema(CRITERIA, 2, SCALE)
    jsonschema.validate(CLEAN, schema)
    for broken in ({**CLEAN, "extra": 1}, {**CLEAN, "questions": {"q1": "yes"}},
                   {**CLEAN, "criteria": {**CLEAN["criteria"], "realism": {"score": 11, "reason": ""}}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)


def test_the_backend_reads_a_structured_refusal_as_a_refusal():
    from ogi_toolkit.backends.errors import ContentRefused, MalformedResponse
    from ogi_toolkit.backends.openai_backend import OpenAIBackend

    be = OpenAIBackend(base_url="http://127.0.0.1:1/v1")
    body = {"choices": [{"message": {"role": "assistant", "content": None, "refusal": "I can't judge this."}}]}
    with pytest.raises(ContentRefused, match="refused"):
        be.parse_judge_response(body)
    with pytest.raises(MalformedResponse):
        be.parse_judge_response({"choices": []})
    ok = {"model": "m", "choices": [{"message": {"content": json.dumps(CLEAN), "refusal": None}}]}
    assert json.loads(be.parse_judge_response(ok).text) == CLEAN
