"""The local server's requests and responses, as sent by the real SDK, checked against the
official OpenAI API description itself (openapi-core), so the server cannot drift from the API."""
from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser

import pytest
import yaml

from generate_fixtures import local_server, mixed_plan

from ogi_toolkit.generate import run_batch, run_plan
from ogi_toolkit.paths import SHARED_DIR

OPENAPI = SHARED_DIR / "reference" / "openai-openapi" / "openapi.yaml"
pytestmark = pytest.mark.skipif(not OPENAPI.is_file(), reason=f"the OpenAI API description is absent ({OPENAPI})")


def _multipart_fields(body: bytes, content_type: str) -> dict:
    """Multipart parts as the API description's fields.

    openapi-core's own multipart decoder knows neither the ``image[]`` array convention the
    SDK uses for several images nor how to decode text fields typed ``anyOf`` (it keeps them as
    bytes), so the body is parsed here and the *validation* is left to openapi-core.
    """
    message = BytesParser(policy=policy.HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if part.get_filename() is not None:
            # A file as a latin-1 str of the same bytes: the OAS 3.1 validator type-checks
            # ``format: binary`` fields as strings and rejects bytes.
            data = payload.decode("latin-1")
            if name.endswith("[]"):
                fields.setdefault(name[:-2], []).append(data)
            else:
                fields[name] = data
        else:
            text = payload.decode()
            fields[name] = int(text) if text.isdigit() and name == "n" else text
    return fields


def _deserialize_multipart(value: bytes, **parameters: str) -> dict:
    return _multipart_fields(value, f"multipart/form-data; boundary={parameters['boundary']}")


def _drop_bare_discriminators(node) -> None:
    """Remove ``discriminator``s that have no ``mapping``.

    The description names chat message schemas only through ``oneOf`` plus a bare
    ``discriminator: {propertyName: role}``, so a validator resolves role "system" to a schema
    named "system", which does not exist. Without the discriminator, ``oneOf`` still demands
    that exactly one message schema matches.
    """
    if isinstance(node, dict):
        if isinstance(node.get("discriminator"), dict) and "mapping" not in node["discriminator"]:
            del node["discriminator"]
        for value in node.values():
            _drop_bare_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            _drop_bare_discriminators(value)


@pytest.fixture(scope="module")
def openapi():
    from openapi_core import Config, OpenAPI

    with open(OPENAPI, encoding="utf-8") as f:
        spec = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    _drop_bare_discriminators(spec)
    # The description itself fails strict meta-validation (a duplicated 'required' entry in an
    # unrelated schema), so only our traffic is validated, not the file.
    config = Config(spec_validator_cls=None,
                    extra_media_type_deserializers={"multipart/form-data": _deserialize_multipart})
    return OpenAPI.from_dict(spec, config=config)


@pytest.fixture(scope="module")
def traffic(tmp_path_factory):
    """Every request of a live run (rewrite on), a batch run and a model listing, with answers."""
    out = tmp_path_factory.mktemp("openapi")
    with local_server(record=True, batch_delay_s=0.05) as server:
        options = {"backend": "openai", "backend_options": {"base_url": server.url}, "progress": False}
        run_plan(mixed_plan(), out / "live", rewrite=True, **options)
        run_batch(mixed_plan(), out / "batch", rewrite=True, poll_s=0.05, **options)
        records = list(server.routes.records)
    return records


def test_the_run_exercised_every_endpoint(traffic):
    seen = {(r["method"], r["path"].split("/")[2]) for r in traffic}
    for method, resource in [("GET", "models"), ("POST", "chat"), ("POST", "images"), ("POST", "files"),
                             ("GET", "files"), ("POST", "batches"), ("GET", "batches")]:
        assert (method, resource) in seen
    edits = [r for r in traffic if r["path"] == "/v1/images/edits"]
    assert edits and all(r["content_type"].startswith("multipart/form-data") for r in edits)
    assert any(b'name="image[]"' in r["body"] for r in edits), "no edit with several input images"


def _problems(validate, *args, what: str) -> list[str]:
    from openapi_core.exceptions import OpenAPIError

    try:
        validate(*args)
    except OpenAPIError as exc:
        return [f"{what}: {exc!r}: {exc.__cause__}"]
    return []


def _mock_request(record):
    from openapi_core.testing import MockRequest

    return MockRequest("https://api.openai.com", record["method"], record["path"], args=record["query"],
                       headers={"Authorization": "Bearer x"}, data=record["body"] or None,
                       content_type=record["content_type"] or "application/json")


def test_requests_and_responses_follow_the_api_description(openapi, traffic):
    from openapi_core.testing import MockResponse

    problems = []
    for record in traffic:
        request = _mock_request(record)
        problems += _problems(openapi.validate_request, request, what=f"request {record['method']} {record['path']}")
        if record["path"].endswith("/content"):
            # The description types file content as a JSON string; the API (and the SDK) move
            # the raw file bytes, which is what we send. Only the status is checked here.
            assert record["status"] == 200
            continue
        response = MockResponse(record["response_body"], status_code=record["status"],
                                content_type=record["response_content_type"])
        problems += _problems(openapi.validate_response, request, response, what=f"response {record['path']}")
    assert not problems, "\n".join(problems[:10])


def test_batch_input_lines_follow_the_api_description(openapi, traffic):
    """Each line of an uploaded batch file is a request body the description accepts."""
    from openapi_core.testing import MockRequest

    uploads = [r for r in traffic if r["path"] == "/v1/files" and b'name="purpose"\r\n\r\nbatch' in r["body"]]
    assert uploads
    checked = 0
    for upload in uploads:
        content = _multipart_fields(upload["body"], upload["content_type"])["file"].encode("latin-1")
        for line in content.decode("utf-8").splitlines():
            item = json.loads(line)
            assert set(item) == {"custom_id", "method", "url", "body"}
            request = MockRequest("https://api.openai.com", "post", item["url"], headers={"Authorization": "Bearer x"},
                                  data=json.dumps(item["body"]).encode(), content_type="application/json")
            assert not _problems(openapi.validate_request, request, what=item["url"])
            checked += 1
    assert checked >= 5


def test_the_check_catches_a_response_that_drifts_from_the_description(openapi, traffic):
    """Negative control: the same image answer without its required ``created`` is refused."""
    from openapi_core.testing import MockResponse

    record = next(r for r in traffic if r["path"] == "/v1/images/generations")
    body = json.loads(record["response_body"])
    assert not _problems(openapi.validate_response, _mock_request(record),
                         MockResponse(json.dumps(body).encode(), content_type="application/json"), what="ok")
    del body["created"]
    broken = MockResponse(json.dumps(body).encode(), content_type="application/json")
    assert _problems(openapi.validate_response, _mock_request(record), broken, what="broken")
