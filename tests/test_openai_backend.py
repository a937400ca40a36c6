"""The OpenAI backend: key handling, error translation, parsing, the rewrite prompt."""
from __future__ import annotations

import asyncio
import base64
import io

import pytest
from PIL import Image

from generate_fixtures import local_server, poster, single_edit

from ogi_toolkit.backends import get_backend
from ogi_toolkit.backends.base import ImageRequest
from ogi_toolkit.backends.errors import ContentRefused, MalformedResponse, MissingAPIKey, RateLimited, ServerError
from ogi_toolkit.backends.openai_backend import OpenAIBackend
from ogi_toolkit.backends.rewrite_prompt import render_rewrite_messages
from ogi_toolkit.instruction_constraints import check_rewrite
from ogi_toolkit.cli import main


def test_a_missing_key_is_a_one_line_error_naming_what_to_set(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(MissingAPIKey, match="OPENAI_API_KEY is not set.*--base-url"):
        OpenAIBackend()
    plan = tmp_path / "plan.jsonl"
    plan.write_text(poster().to_json() + "\n")
    assert main(["generate", str(plan), "--out", str(tmp_path / "out"), "--backend", "openai", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "export OPENAI_API_KEY" in err
    # A local server needs no key.
    assert OpenAIBackend(base_url="http://127.0.0.1:1/v1").identity()["base_url"] == "http://127.0.0.1:1/v1"


def test_the_key_never_shows_in_repr_or_identity():
    backend = OpenAIBackend(api_key="sk-secret-abcdefgh123", base_url="http://127.0.0.1:1/v1")
    assert "sk-secret" not in repr(backend) + str(backend.identity()) + str(backend.rewrite_identity())


def test_unknown_models_and_qualities_fail_at_construction():
    with pytest.raises(ValueError, match="'dall-e-9' has no entry.*gpt-image-1"):
        OpenAIBackend(image_model="dall-e-9", base_url="http://x/v1")
    with pytest.raises(ValueError, match="quality 'ultra'"):
        OpenAIBackend(quality="ultra", base_url="http://x/v1")


def _run(coro):
    return asyncio.run(coro)


def test_http_errors_become_backend_errors_through_the_real_sdk():
    async def call(server, prompt):
        backend = get_backend("openai", base_url=server.url)
        try:
            return await backend.generate(ImageRequest(prompt=prompt))
        finally:
            await backend.aclose()

    with local_server(fail_rate=1.0, retry_after_ms=1500, seed=0) as server:
        errors = []
        for i in range(6):
            try:
                _run(call(server, f"p{i}"))
            except (RateLimited, ServerError) as exc:
                errors.append(exc)
    limited = [e for e in errors if isinstance(e, RateLimited)]
    assert len(errors) == 6 and limited and len(limited) < 6
    assert all(e.retry_after == pytest.approx(1.5) and e.retryable for e in limited)
    with local_server() as server:
        with pytest.raises(ContentRefused, match="safety"):
            _run(call(server, "a #refuse b"))
        result = _run(call(server, "a lighthouse"))
    assert Image.open(io.BytesIO(result.image)).format == "PNG" and result.usage["output_tokens"] > 0


def _png(size=(8, 8), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("body", [
    None, [], {}, {"data": []}, {"data": [{}]}, {"data": [{"b64_json": ""}]},
    {"data": [{"b64_json": "!!! not base64"}]},
    {"data": [{"b64_json": base64.b64encode(b"plain text, not an image").decode()}]},
    {"data": [{"b64_json": base64.b64encode(_png()[:30]).decode()}]},  # half a PNG
])
def test_malformed_image_payloads_are_malformed_responses(body):
    backend = OpenAIBackend(base_url="http://x/v1")
    with pytest.raises(MalformedResponse):
        backend.parse_image_response(body)


def test_a_jpeg_payload_is_stored_as_png_and_usage_is_kept():
    backend = OpenAIBackend(base_url="http://x/v1")
    body = {"data": [{"b64_json": base64.b64encode(_png(fmt="JPEG")).decode()}],
            "usage": {"input_tokens": 5, "output_tokens": 272, "output_tokens_details": None}}
    result = backend.parse_image_response(body)
    assert result.image.startswith(b"\x89PNG") and result.usage == {"input_tokens": 5, "output_tokens": 272}


@pytest.mark.parametrize("body", [None, {}, {"choices": []}, {"choices": [{"message": {"content": "  "}}]}])
def test_empty_or_garbled_chat_replies_are_malformed(body):
    with pytest.raises(MalformedResponse):
        OpenAIBackend(base_url="http://x/v1").parse_chat_response(body)


def test_the_rewrite_prompt_renders_exactly():
    system, user = render_rewrite_messages(poster())
    assert system["role"] == "system" and system["content"].startswith("You rewrite instructions")
    assert user == {"role": "user", "content": (
        "Task: generation / textual_accuracy\n"
        'Instruction: A shop sign that reads "OPEN LATE" above a door\n'
        "Constraints to keep:\n"
        "- object: shop sign\n"
        "- object: door\n"
        '- text (exact): "OPEN LATE"')}
    _, edit_user = render_rewrite_messages(single_edit(0))
    assert edit_user["content"].endswith("- edit: replace, target apple, object pear")


@pytest.mark.parametrize("text, problems", [
    ('Above a door hangs a shop sign reading "OPEN LATE"', []),
    ('A shop sign reading "OPEN  LATE" above a door', ["text 'OPEN LATE' not kept verbatim"]),
    ('A sign that reads "OPEN LATE" above a door', ["object 'shop sign' missing"]),
    ("", ["text 'OPEN LATE' not kept verbatim", "object 'shop sign' missing", "object 'door' missing", "empty rewrite"]),
])
def test_a_rewrite_that_loses_a_constraint_is_caught(text, problems):
    assert check_rewrite(poster(), text) == problems


def test_the_rewrite_check_asks_back_only_what_the_instruction_states():
    from ogi_toolkit.spec import Edit, SceneObject

    spec = single_edit(0).model_copy(update={
        "instruction": "Add three pairs of boots by the door",
        "edits": [Edit(op="add", object=SceneObject(name="pair of boots", count=3))]})
    # the object "pair of boots" is not said verbatim in the instruction: not demanded back
    assert check_rewrite(spec, "Place three pairs of boots beside the door") == []
    assert check_rewrite(poster(), "A door") == ["text 'OPEN LATE' not kept verbatim", "object 'shop sign' missing"]
