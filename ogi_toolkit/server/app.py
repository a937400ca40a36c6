"""The local OpenAI-compatible HTTP server (aiohttp, one event loop, no threads per request).

Routes follow the OpenAI API description: ``/v1/models``, ``/v1/chat/completions``,
``/v1/images/generations``, ``/v1/images/edits`` (multipart with ``image`` or ``image[]``
parts, or JSON with ``images`` references), ``/v1/files``, ``/v1/batches``. ``GET /stats``
(ours) says how many model calls were billed and how many of them were distinct, so that
``billed - distinct`` is money a client paid twice.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any

from aiohttp import web

from .batches import BATCH_ENDPOINTS, BatchService
from .model_calls import Answer, Stats, answer_chat, answer_image, body_hash, error_body
from .options import ServerOptions
from .uploads import RAW_BODY, BodyBudget, FilePart, read_multipart
from .validate import MAX_EDIT_IMAGE_BYTES, MAX_EDIT_IMAGES, Invalid, check_image_fields, check_input_image, query_int

__all__ = ["ROUTES", "make_app"]

log = logging.getLogger(__name__)

RECORD_LIMIT = 2000


def _response(answer: Answer) -> web.Response:
    status, headers, body = answer
    return web.Response(status=status, headers=headers, body=body)


def _bad_request(message: str, param: str | None = None) -> web.Response:
    return _response(error_body(400, message, type_="invalid_request_error", param=param))


def _not_found(what: str) -> web.Response:
    return _response(error_body(404, f"No such {what}.", type_="invalid_request_error"))


# Levels of nesting a JSON body may have (the API's deepest, a chat message's content part, is 5).
MAX_JSON_DEPTH = 64


def _too_deep(value: Any) -> bool:
    """Whether ``value`` nests past :data:`MAX_JSON_DEPTH` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return False


async def _json_body(request: web.Request) -> dict[str, Any] | None:
    too_deep = Invalid(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.")
    try:
        body = json.loads(await request.read())
    except RecursionError:  # the decoder's own limit: [[[[... a hundred thousand times
        raise too_deep from None
    except ValueError:  # not JSON, or not UTF-8
        return None
    if _too_deep(body):
        raise too_deep
    return body if isinstance(body, dict) else None


def _close(files: dict[str, list[FilePart]]) -> None:
    for parts in files.values():
        for part in parts:
            part.file.close()


class Routes:
    def __init__(self, options: ServerOptions):
        self.options = options
        self.stats = Stats()
        self.batches = BatchService(options, self.stats)
        self.records: list[dict[str, Any]] = []
        self.bodies = BodyBudget(int(options.max_inflight_mb * 1024**2))
        if not options.models:
            from ..config import load_models_config

            config = load_models_config()
            options.models = tuple(config.image_models) + tuple(config.chat_models)

    @property
    def max_request_bytes(self) -> int:
        return int(self.options.max_request_mb * 1024**2)

    @web.middleware
    async def errors(self, request: web.Request, handler) -> web.StreamResponse:
        """Every failure as the API's error body: a refused request is a 4xx, never a traceback."""
        try:
            return await handler(request)
        except Invalid as exc:
            return _response(error_body(exc.status, str(exc), type_="invalid_request_error", param=exc.param))
        except web.HTTPException as exc:  # aiohttp's own: 404, 405, 413 (client_max_size)...
            if exc.status < 400:
                raise
            return _response(error_body(exc.status, exc.reason or "Request refused.", type_="invalid_request_error"))
        except Exception as exc:  # a bug of ours: the client gets one line; the server's log the traceback
            log.exception("%s %s failed", request.method, request.path)
            return _response(error_body(500, f"The local server failed on this request ({type(exc).__name__}).",
                                        type_="server_error"))

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
        # Reserved before the body is read: concurrent large bodies cannot add up past the budget.
        held = min(request.content_length or 0, self.max_request_bytes) if request.body_exists else 0
        if request.body_exists and request.content_length is None:
            held = self.max_request_bytes  # chunked: it may be as large as a request may be
        if not self.bodies.reserve(held):
            return _response(self.bodies.refusal(self.options.retry_after_ms))
        try:
            if self.options.record:  # keep the body as sent; multipart is then parsed from it
                request[RAW_BODY] = await request.read()
            self.stats.requests += 1
            self.stats.by_path[request.path] = self.stats.by_path.get(request.path, 0) + 1
            self.stats.in_flight += 1
            self.stats.max_in_flight = max(self.stats.max_in_flight, self.stats.in_flight)
            try:
                response = await handler(request)
            finally:
                self.stats.in_flight -= 1
        finally:
            self.bodies.release(held)
        if self.options.record and len(self.records) < RECORD_LIMIT:
            # A file's content is streamed (FileResponse): no body to keep.
            body = response.body if isinstance(response, web.Response) else None
            self.records.append({
                "method": request.method, "path": request.path, "query": dict(request.query),
                "content_type": request.headers.get("Content-Type", ""), "body": request[RAW_BODY],
                "status": response.status, "response_content_type": response.content_type,
                "response_body": body if isinstance(body, bytes) else b""})
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
        check_image_fields(body, edit=False)
        answer = await answer_image(body, [], self.options)
        self.stats.count(answer[0], body_hash(body, []))
        return _response(answer)

    async def edits(self, request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            body = await _json_body(request)
            if body is None:
                return _bad_request("The body must be a JSON object.")
            images = self.batches.resolve_images(body.get("images"))
            fields = {k: v for k, v in body.items() if k != "images"}
        elif request.content_type == "multipart/form-data":
            fields, files = await read_multipart(request, max_bytes=self.max_request_bytes)
            try:
                parts = files.get("image", [])
                if not parts:
                    return _bad_request("An edit needs at least one 'image' part.", "image")
                if len(parts) > MAX_EDIT_IMAGES:
                    return _bad_request(f"{len(parts)} images sent; at most {MAX_EDIT_IMAGES} are allowed.", "image")
                if any(p.size > MAX_EDIT_IMAGE_BYTES for p in parts):
                    return _bad_request("Each image must be under 50 MB.", "image")
                images = [p.read() for p in parts]
            finally:
                _close(files)
            for image in images:
                check_input_image(image)
        else:
            return _bad_request("Send multipart/form-data or application/json.")
        check_image_fields(fields, edit=True)
        answer = await answer_image(fields, images, self.options)
        self.stats.count(answer[0], body_hash(fields, images))
        return _response(answer)

    async def upload_file(self, request: web.Request) -> web.Response:
        if request.content_type != "multipart/form-data":
            return _bad_request("Upload files as multipart/form-data.")
        fields, files = await read_multipart(request, max_bytes=self.max_request_bytes)
        try:
            if "file" not in files or "purpose" not in fields:
                return _bad_request("'file' and 'purpose' are required.", "file")
            stored = self.batches.add_upload(files["file"][0], fields["purpose"])
        finally:
            _close(files)
        return web.json_response(stored.as_dict())

    async def get_file(self, request: web.Request) -> web.Response:
        stored = self.batches.files.get(request.match_info["file_id"])
        return web.json_response(stored.as_dict()) if stored else _not_found("file")

    async def file_content(self, request: web.Request) -> web.Response:
        stored = self.batches.files.get(request.match_info["file_id"])
        if stored is None:
            return _not_found("file")
        return web.FileResponse(stored.path, headers={"Content-Type": "application/octet-stream"})

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
        limit = query_int(request.query, "limit", default=20, low=1, high=100)
        page = data[:limit]
        body: dict[str, Any] = {"object": "list", "data": page, "has_more": len(data) > limit}
        if page:
            body.update(first_id=page[0]["id"], last_id=page[-1]["id"])
        return web.json_response(body)

    async def stats_route(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats.as_dict())


ROUTES = web.AppKey("routes", Routes)


async def _cleanup(routes: Routes) -> None:
    routes.batches.folder.close()


def make_app(options: ServerOptions | None = None) -> web.Application:
    routes = Routes(options or ServerOptions())
    # Multipart bodies are streamed (capped in read_multipart); client_max_size caps JSON bodies.
    app = web.Application(middlewares=[routes.errors, routes.middleware], client_max_size=routes.max_request_bytes)
    app.on_cleanup.append(lambda _app: _cleanup(routes))
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
