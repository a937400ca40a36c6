"""``ogi serve`` refuses malformed requests as the API does (#11 item 9): a 4xx with the API's
error body, never a 500 traceback; bodies capped and streamed, uploads capped in total."""
from __future__ import annotations

import io
import json
import tracemalloc
import urllib.error
import urllib.request
import uuid

import pytest
from PIL import Image

from generate_fixtures import local_server

from ogi_toolkit.paths import SHARED_DIR

OPENAPI = SHARED_DIR / "reference" / "openai-openapi" / "openapi.yaml"


def _send(server, method: str, path: str, body: bytes | None = None, content_type: str = "application/json"):
    request = urllib.request.Request(server.url + path, data=body, method=method,
                                     headers={"Content-Type": content_type, "Authorization": "Bearer sk-x"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _multipart(fields: dict[str, bytes], files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n")
    for name, data in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="x.png"\r\n'
                  f'Content-Type: image/png\r\n\r\n'.encode() + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


def _refused(answer, status: int = 400, param: str | None = None) -> bool:
    code, body = answer
    error = body.get("error", {})
    return code == status and isinstance(error.get("message"), str) and (param is None or error.get("param") == param)


def test_the_three_requests_that_gave_500_tracebacks_get_400_with_an_error_body():
    with local_server() as server:
        assert _refused(_send(server, "GET", "/batches?limit=abc"), param="limit")
        assert _refused(_send(server, "GET", "/batches?limit=0"), param="limit")
        assert _refused(_send(server, "POST", "/images/edits", json.dumps(
            {"model": "gpt-image-1", "prompt": "p", "images": 5}).encode()), param="images")
        body, ctype = _multipart({"model": b"gpt-image-1", "prompt": b"caf\xe9 \xff"}, {"image": _png()})
        assert _refused(_send(server, "POST", "/images/edits", body, ctype), param="prompt")
        assert _send(server, "GET", "/batches?limit=5")[0] == 200


def test_sizes_n_and_edit_images_are_checked_as_the_api_describes():
    gen = {"model": "gpt-image-1", "prompt": "a kite"}
    with local_server() as server:
        post = lambda body: _send(server, "POST", "/images/generations", json.dumps(body).encode())  # noqa: E731
        assert _refused(post({**gen, "size": "999x999"}), param="size")
        assert _refused(post({**gen, "n": 100000}), param="n")
        assert _refused(post({**gen, "quality": "ultra"}), param="quality")
        assert post({**gen, "size": "1536x1024", "n": 1})[0] == 200
        for fields, files, param in [({"size": b"1792x1024"}, {"image": _png()}, "size"),  # a generation-only size
                                     ({"n": b"100000"}, {"image": _png()}, "n"),
                                     ({}, {"image": b"GIF89a not an image at all"}, "image"),
                                     ({}, {"image": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64}, "image")]:
            body, ctype = _multipart({"model": b"gpt-image-1", "prompt": b"edit it", **fields}, files)
            assert _refused(_send(server, "POST", "/images/edits", body, ctype), param=param), (fields, param)
        body, ctype = _multipart({"model": b"gpt-image-1", "prompt": b"edit it"}, {"image": _png()})
        assert _send(server, "POST", "/images/edits", body, ctype)[0] == 200
        assert server.stats()["by_status"].get("500") is None


def test_the_sdk_sees_a_bad_size_as_a_bad_request_naming_the_parameter():
    import openai

    with local_server() as server:
        client = openai.OpenAI(api_key="sk-x", base_url=server.url, max_retries=0)
        with pytest.raises(openai.BadRequestError) as info:
            client.images.generate(model="gpt-image-1", prompt="a kite", size="999x999")
    assert info.value.param == "size" and "999x999" in info.value.message


def test_request_bodies_are_capped_and_streamed_and_stored_files_capped_in_total():
    with local_server(max_request_mb=1, max_stored_mb=3) as server:
        big, ctype = _multipart({"model": b"gpt-image-1", "prompt": b"p"}, {"image": b"\x00" * (2 * 1024**2)})
        assert _refused(_send(server, "POST", "/images/edits", big, ctype), status=413)
        json_big = json.dumps({"model": "gpt-image-1", "prompt": "p" * (2 * 1024**2)}).encode()
        assert _refused(_send(server, "POST", "/images/generations", json_big), status=413)
        part = {"purpose": b"batch"}
        ids = []
        for _ in range(3):
            body, ctype = _multipart(part, {"file": b"x" * (900 * 1024)})
            code, answer = _send(server, "POST", "/files", body, ctype)
            if code != 200:
                break
            ids.append(answer["id"])
        assert len(ids) == 3  # 2.7 MB in all: under the cap
        body, ctype = _multipart(part, {"file": b"x" * (900 * 1024)})
        assert _refused(_send(server, "POST", "/files", body, ctype), status=413)  # past 3 MB in total
        stored = server.routes.batches.files[ids[0]]
        assert stored.path.stat().st_size == 900 * 1024  # kept on disk, not in the server's memory


def test_a_large_upload_is_not_held_in_memory():
    size = 48 * 1024**2
    body, ctype = _multipart({"purpose": b"batch"}, {"file": b"y" * size})
    with local_server() as server:
        tracemalloc.start()
        try:
            code, answer = _send(server, "POST", "/files", body, ctype)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert code == 200 and answer["bytes"] == size
    assert peak < size / 4, f"the server held {peak / 1024**2:.0f} MiB for a {size / 1024**2:.0f} MiB upload"


@pytest.mark.skipif(not OPENAPI.is_file(), reason=f"the OpenAI API description is absent ({OPENAPI})")
def test_the_checked_enums_and_limits_are_the_api_descriptions():
    import yaml

    from ogi_toolkit.server import validate

    with open(OPENAPI, encoding="utf-8") as f:
        spec = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    schemas = spec["components"]["schemas"]

    def enum(schema: str, prop: str) -> set:
        node = schemas[schema]["properties"][prop]
        values = node.get("enum") or next(o["enum"] for o in node["anyOf"] if "enum" in o)
        return set(values)

    assert enum("CreateImageRequest", "size") == set(validate.GENERATION_SIZES)
    assert enum("CreateImageEditRequest", "size") == set(validate.EDIT_SIZES)
    assert enum("CreateImageRequest", "quality") == set(validate.GENERATION_QUALITIES)
    assert enum("CreateImageEditRequest", "quality") == set(validate.EDIT_QUALITIES)
    for prop, allowed in validate.IMAGE_ENUMS.items():
        assert enum("CreateImageRequest", prop) == set(allowed)
    assert schemas["CreateImageRequest"]["properties"]["n"]["maximum"] == validate.MAX_N
    assert schemas["CreateImageEditRequest"]["properties"]["image"]["anyOf"][1]["maxItems"] == validate.MAX_EDIT_IMAGES
