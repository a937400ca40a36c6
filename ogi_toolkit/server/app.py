"""The local OpenAI-compatible HTTP server (aiohttp, one event loop, no threads per request).

Routes follow the OpenAI API description: ``/v1/models``, ``/v1/chat/completions``,
``/v1/images/generations``, ``/v1/images/edits`` (multipart with ``image`` or ``image[]``
parts, or JSON with ``images`` references), ``/v1/files``, ``/v1/batches``. ``GET /stats``
(ours) says how many model calls were billed and how many of them were distinct, so that
``billed - distinct`` is money a client paid twice.
"""
from __future__ import annotations

import json
import time
from email import policy
from email.parser import BytesParser
from typing import Any

from aiohttp import web

from .batches import BATCH_ENDPOINTS, BatchService
from .model_calls import Answer, Stats, answer_chat, answer_image, body_hash, error_body
from .options import ServerOptions

__all__ = ["ROUTES", "make_app"]

MAX_BODY = 256 * 1024**2  # batch files may be up to 200 MB
RECORD_LIMIT = 2000


def _response(answer: Answer) -> web.Response:
    status, headers, body = answer
    return web.Response(status=status, headers=headers, body=body)


def _bad_request(message: str, param: str | None = None) -> web.Response:
    return _response(error_body(400, message, type_="invalid_request_error", param=param))


def _not_found(what: str) -> web.Response:
    return _response(error_body(404, f"No such {what}.", type_="invalid_request_error"))


async def _json_body(request: web.Request) -> dict[str, Any] | None:
    try:
        body = json.loads(await request.read())
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def _multipart(request: web.Request) -> tuple[dict[str, Any], dict[str, list[tuple[str, bytes]]]]:
    """(text fields, file fields) of a multipart body; ``image[]`` is read as ``image``."""
    raw = await request.read()
    head = f"Content-Type: {request.headers.get('Content-Type', '')}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + raw)
    fields: dict[str, Any] = {}
    files: dict[str, list[tuple[str, bytes]]] = {}
    for part in message.iter_parts():
        name = (part.get_param("name", header="content-disposition") or "").removesuffix("[]")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files.setdefault(name, []).append((part.get_filename(), payload))
        else:
            fields[name] = payload.decode("utf-8")
    return fields, files


class Routes:
    def __init__(self, options: ServerOptions):
        self.options = options
        self.stats = Stats()
        self.batches = BatchService(options, self.stats)
        self.records: list[dict[str, Any]] = []
        if not options.models:
            from ..config import load_models_config

            config = load_models_config()
            options.models = tuple(config.image_models) + tuple(config.chat_models)

    @web.middleware
    async def middleware(self, request: web.Request, handler) -> web.StreamResponse:
        if not request.path.startswith("/v1/"):
            return await handler(request)  # /stats: no key, not counted
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return _response(error_body(401, "Missing bearer authentication in header.", type_="invalid_request_error"))
        key = auth.removeprefix("Bearer ")
        if self.options.api_key is not None and key != self.options.api_key:
            # Like the real API, the answer quotes the key it got: clients must not print it.
            return _response(error_body(401, f"Incorrect API key provided: {key}.",
                                        type_="invalid_request_error", code="invalid_api_key"))
        self.stats.requests += 1
        self.stats.in_flight += 1
        self.stats.max_in_flight = max(self.stats.max_in_flight, self.stats.in_flight)
        try:
            response = await handler(request)
        finally:
            self.stats.in_flight -= 1
        if self.options.record and len(self.records) < RECORD_LIMIT:
            self.records.append({
                "method": request.method, "path": request.path, "query": dict(request.query),
                "content_type": request.headers.get("Content-Type", ""), "body": await request.read(),
                "status": response.status, "response_content_type": response.content_type,
                "response_body": response.body if isinstance(response.body, bytes) else b""})
        return response

    async def models(self, request: web.Request) -> web.Response:
        created = int(time.time())
        data = [{"id": m, "object": "model", "created": created, "owned_by": "ogi-local"} for m in self.options.models]
        return web.json_response({"object": "list", "data": data})

    async def chat(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        if body is None:
            return _bad_request("The body must be a JSON object.")
        answer = await answer_chat(body, self.options)
        self.stats.count(answer[0], body_hash(body, []))
        return _response(answer)

    async def generations(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        if body is None:
            return _bad_request("The body must be a JSON object.")
        answer = await answer_image(body, [], self.options)
        self.stats.count(answer[0], body_hash(body, []))
        return _response(answer)

    async def edits(self, request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            body = await _json_body(request)
            if body is None or not body.get("images"):
                return _bad_request("A JSON edit needs an 'images' list.", "images")
            try:
                images = self.batches._resolve_images(body["images"])
            except (KeyError, IndexError, ValueError):
                return _bad_request("'images' must reference uploaded file ids or data URLs.", "images")
            fields = {k: v for k, v in body.items() if k != "images"}
        elif request.content_type == "multipart/form-data":
            fields, files = await _multipart(request)
            images = [data for _, data in files.get("image", [])]
            if not images:
                return _bad_request("An edit needs at least one 'image' part.", "image")
        else:
            return _bad_request("Send multipart/form-data or application/json.")
        answer = await answer_image(fields, images, self.options)
        self.stats.count(answer[0], body_hash(fields, images))
        return _response(answer)

    async def upload_file(self, request: web.Request) -> web.Response:
        if request.content_type != "multipart/form-data":
            return _bad_request("Upload files as multipart/form-data.")
        fields, files = await _multipart(request)
        if "file" not in files or "purpose" not in fields:
            return _bad_request("'file' and 'purpose' are required.", "file")
        filename, data = files["file"][0]
        return web.json_response(self.batches.add_file(filename, fields["purpose"], data).as_dict())

    async def get_file(self, request: web.Request) -> web.Response:
        stored = self.batches.files.get(request.match_info["file_id"])
        return web.json_response(stored.as_dict()) if stored else _not_found("file")

    async def file_content(self, request: web.Request) -> web.Response:
        stored = self.batches.files.get(request.match_info["file_id"])
        if stored is None:
            return _not_found("file")
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def create_batch(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        if body is None:
            return _bad_request("The body must be a JSON object.")
        if body.get("endpoint") not in BATCH_ENDPOINTS:
            return _bad_request(f"'endpoint' must be one of {list(BATCH_ENDPOINTS)}.", "endpoint")
        if body.get("input_file_id") not in self.batches.files:
            return _bad_request("'input_file_id' is not an uploaded file.", "input_file_id")
        if body.get("completion_window") != "24h":
            return _bad_request("'completion_window' must be '24h'.", "completion_window")
        batch = self.batches.create(body["input_file_id"], body["endpoint"], body.get("metadata"))
        return web.json_response(batch)

    async def get_batch(self, request: web.Request) -> web.Response:
        batch = self.batches.batches.get(request.match_info["batch_id"])
        return web.json_response(batch) if batch else _not_found("batch")

    async def list_batches(self, request: web.Request) -> web.Response:
        data = sorted(self.batches.batches.values(), key=lambda b: b["created_at"], reverse=True)
        limit = int(request.query.get("limit", 20))
        page = data[:limit]
        body: dict[str, Any] = {"object": "list", "data": page, "has_more": len(data) > limit}
        if page:
            body.update(first_id=page[0]["id"], last_id=page[-1]["id"])
        return web.json_response(body)

    async def stats_route(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats.as_dict())


ROUTES = web.AppKey("routes", Routes)


def make_app(options: ServerOptions | None = None) -> web.Application:
    routes = Routes(options or ServerOptions())
    app = web.Application(middlewares=[routes.middleware], client_max_size=MAX_BODY)
    app[ROUTES] = routes
    app.add_routes([
        web.get("/v1/models", routes.models),
        web.post("/v1/chat/completions", routes.chat),
        web.post("/v1/images/generations", routes.generations),
        web.post("/v1/images/edits", routes.edits),
        web.post("/v1/files", routes.upload_file),
        web.get("/v1/files/{file_id}", routes.get_file),
        web.get("/v1/files/{file_id}/content", routes.file_content),
        web.post("/v1/batches", routes.create_batch),
        web.get("/v1/batches", routes.list_batches),
        web.get("/v1/batches/{batch_id}", routes.get_batch),
        web.get("/stats", routes.stats_route),
    ])
    return app
