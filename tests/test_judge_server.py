"""The local server's structured-output fixture: schema-valid, deterministic per request, faults
for judge replies too, and its judge traffic checked against the official OpenAI API description."""
from __future__ import annotations

import base64
import json
import random

import jsonschema
import pytest

from generate_fixtures import local_server
from judge_fixtures import judge_options, make_dataset
from test_server_openapi import OPENAPI, _mock_request, _multipart_fields, _problems, openapi  # noqa: F401

from ogi_toolkit.quality.judge import judge, load_rubric, reply_schema
from ogi_toolkit.server.judge_fixture import MALFORMED_KINDS, _malformed_content, schema_instance

needs_openapi = pytest.mark.skipif(not OPENAPI.is_file(), reason=f"the OpenAI API description is absent ({OPENAPI})")
SCHEMA = reply_schema(("instruction_compliance", "realism"), 3, load_rubric().scale)
PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e1e4d80000000049454e44ae426082")).decode()


def _client(server):
    from openai import OpenAI

    return OpenAI(base_url=server.url, api_key="local", max_retries=0)


def _ask(client, text: str = "Judge this.", url: str = f"data:image/png;base64,{PIXEL}"):
    return client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": "You judge."},
                  {"role": "user", "content": [{"type": "text", "text": text},
                                               {"type": "image_url", "image_url": {"url": url}}]}],
        response_format={"type": "json_schema", "json_schema": {"name": "j", "schema": SCHEMA, "strict": True}})


def test_answers_follow_the_schema_and_repeat_for_the_same_request():
    with local_server() as server:
        client = _client(server)
        first, again, other = _ask(client), _ask(client), _ask(client, "Judge this other one.")
    answer = json.loads(first.choices[0].message.content)
    jsonschema.validate(answer, SCHEMA)
    assert first.choices[0].message.content == again.choices[0].message.content
    assert json.loads(other.choices[0].message.content) != answer
    assert first.usage.prompt_tokens > 255  # the image is billed


@pytest.mark.parametrize("seed", range(20))
def test_schema_instances_are_valid_for_any_draw(seed):
    schema = {"type": "object", "properties": {
        "a": {"type": "array", "items": {"type": "number", "minimum": -1, "maximum": 1}, "minItems": 2, "maxItems": 4},
        "b": {"anyOf": [{"type": "integer", "minimum": 3, "maximum": 4}, {"type": "null"}]},
        "c": {"type": ["string", "null"]}, "d": {"const": "x"}, "e": {"type": "boolean"}}}
    jsonschema.validate(schema_instance(schema, random.Random(seed)), schema)


def test_bad_images_are_refused_as_the_api_would():
    import openai

    with local_server() as server:
        client = _client(server)
        with pytest.raises(openai.BadRequestError, match="data URLs"):
            _ask(client, url="https://example.com/cat.png")
        with pytest.raises(openai.BadRequestError, match="base64"):
            _ask(client, url="data:image/png;base64,@@@")


def test_malformed_judge_replies_cover_every_kind_and_none_follows_the_schema():
    answer = schema_instance(SCHEMA, random.Random(0))
    seen = set()
    for seed in range(60):
        text, raw = _malformed_content(answer, random.Random(seed))
        seen.add("truncated_body" if raw is not None else "text")
        if text is not None:
            try:
                jsonschema.validate(json.loads(text), SCHEMA)
            except (ValueError, jsonschema.ValidationError):
                continue
            raise AssertionError(f"a malformed reply follows the schema: {text}")
    assert seen == {"truncated_body", "text"} and len(MALFORMED_KINDS) == 4


def test_a_refusal_fault_is_a_structured_output_refusal():
    with local_server(refusal_rate=1.0) as server:
        reply = _ask(_client(server))
    message = reply.choices[0].message
    assert message.content is None and "can't help" in message.refusal


@pytest.fixture(scope="module")
def judge_traffic(tmp_path_factory):
    """Every request of a live judge run and a batch judge run, with answers (faults included)."""
    out = tmp_path_factory.mktemp("judge-openapi")
    with local_server() as server:
        data = make_dataset(server, out / "data")
    with local_server(record=True, batch_delay_s=0.05, malformed_rate=0.2, refusal_rate=0.2, seed=2) as server:
        judge(data, **judge_options(server))
        judge(data, **judge_options(server, batch=True, poll_s=0.05, long_side=16))
        return list(server.routes.records)


@needs_openapi
def test_judge_requests_and_answers_follow_the_api_description(openapi, judge_traffic):  # noqa: F811
    from openapi_core.testing import MockResponse

    chats = [r for r in judge_traffic if r["path"] == "/v1/chat/completions"]
    assert len(chats) == 5 and any(b"image_url" in r["body"] for r in chats)
    problems = []
    for record in judge_traffic:
        request = _mock_request(record)
        problems += _problems(openapi.validate_request, request, what=f"request {record['method']} {record['path']}")
        if record["path"].endswith("/content") or record["response_body"].startswith(b'{"id": "chatcmpl-x"'):
            continue  # raw file bytes; a deliberately truncated body
        response = MockResponse(record["response_body"], status_code=record["status"],
                                content_type=record["response_content_type"])
        problems += _problems(openapi.validate_response, request, response, what=f"response {record['path']}")
    assert not problems, "\n".join(problems[:10])


@needs_openapi
def test_judge_batch_lines_follow_the_api_description(openapi, judge_traffic):  # noqa: F811
    from openapi_core.testing import MockRequest

    uploads = [r for r in judge_traffic if r["path"] == "/v1/files" and b'name="purpose"\r\n\r\nbatch' in r["body"]]
    lines = [json.loads(line) for u in uploads
             for line in _multipart_fields(u["body"], u["content_type"])["file"].encode("latin-1").decode().splitlines()]
    assert len(lines) == 5
    for item in lines:
        assert item["url"] == "/v1/chat/completions" and item["body"]["response_format"]["type"] == "json_schema"
        request = MockRequest("https://api.openai.com", "post", item["url"], headers={"Authorization": "Bearer x"},
                              data=json.dumps(item["body"]).encode(), content_type="application/json")
        assert not _problems(openapi.validate_request, request, what=item["url"])
