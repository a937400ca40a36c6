"""The OpenAI backend: image generation, editing and instruction rewriting through the official SDK.

Works with any OpenAI-compatible server (``base_url``). The SDK's own retries are switched off
(``max_retries=0``): it sends no idempotency key, so each of its silent retries of an image
request may be billed again. The runner owns retries instead, so every paid attempt is seen,
counted and keyed. SDK exceptions are translated into :mod:`ogi_toolkit.backends.errors`, with
the API key scrubbed from every message.

The Batch API part (``batch_line``, ``parse_*``, ``upload_*``...) turns the same calls into
batch-file lines and reads their results back; :mod:`ogi_toolkit.calls.batch` drives it.
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import io
import os
import re
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Sequence

from PIL import Image, UnidentifiedImageError

from ..config import ModelsConfig, load_models_config
from ..spec import InstructionSpec
from .base import Backend, ImageRequest, ImageResult, JudgeRequest, TextResult
from .errors import (
    AnswerRefused,
    AuthFailed,
    BackendError,
    ContentRefused,
    MalformedResponse,
    MissingAPIKey,
    RateLimited,
    RequestRejected,
    RequestTimedOut,
    ServerError,
    Unreachable,
)
from .rewrite_prompt import REWRITE_TEMPLATE, render_rewrite_messages, template_sha

__all__ = ["OpenAIBackend"]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Error codes OpenAI uses when its safety system refuses a prompt or an input image.
REFUSAL_CODES = {"moderation_blocked", "content_policy_violation", "content_filter"}
_KEY_PATTERN = re.compile(r"sk-[A-Za-z0-9_\-]{6,}")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"  # the IEND chunk's type and CRC: the last bytes of every whole PNG


def _retry_after(headers: Any) -> float | None:
    """Seconds to wait, from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date)."""
    if headers is None:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            import time

            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _connect_failure(exc: BaseException) -> str | None:
    """Why no connection was made, when that is what ``exc`` (an SDK connection error) means.

    The SDK's aiohttp transport reports a refused connection or an unknown host as a
    ``ConnectTimeout`` ("Request timed out."): the causes behind it tell the two apart.
    """
    cause, connecting = exc.__cause__ or exc.__context__, False
    while cause is not None:
        connecting = connecting or type(cause).__name__ in ("ConnectTimeout", "ConnectError")
        if isinstance(cause, OSError) and not isinstance(cause, TimeoutError):
            return f"{type(cause).__name__}: {cause}"  # refused, no route, DNS failure...
        cause = cause.__cause__ or cause.__context__
    return "no connection could be opened in time" if connecting else None


def _to_png(data: bytes) -> bytes:
    """Check that ``data`` is a whole image; return it as PNG (GPT image models may send jpeg/webp).

    A PNG is taken as whole when it starts with the signature and ends with the IEND chunk
    (a cut payload loses its end); other formats are decoded and re-encoded as PNG.
    """
    if data.startswith(PNG_SIGNATURE) and data.endswith(PNG_END):
        return data
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            out = io.BytesIO()
            img.save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise MalformedResponse(f"image payload is not a readable image ({exc.__class__.__name__})") from None


class OpenAIBackend(Backend):
    """Images and rewrites from the OpenAI API or any server that speaks it."""

    name = "openai"
    # Results depend only on what is sent (model, prompt, size, images), not on the spec's
    # structure: two items sending the same request share one paid result.
    uses_spec = False
    paid = True

    def __init__(
        self,
        *,
        image_model: str | None = None,
        chat_model: str | None = None,
        judge_model: str | None = None,
        quality: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 600.0,
        close_timeout: float | None = None,
        params: dict[str, Any] | None = None,
        config: ModelsConfig | str | Path | None = None,
        rewrite_template: str | Path = REWRITE_TEMPLATE,
    ):
        self.config = config if isinstance(config, ModelsConfig) else load_models_config(config)
        defaults = self.config.defaults
        self.image_model = image_model or defaults.image_model
        self.chat_model = chat_model or defaults.chat_model
        self.judge_model = judge_model or self.chat_model  # the vision model of `ogi judge`
        self.quality = quality or defaults.quality
        known = self.config.image_models.get(self.image_model)
        if known is None:
            raise ValueError(
                f"image model {self.image_model!r} has no entry in the models config "
                f"(known: {sorted(self.config.image_models)}); add it with its prices or pass --config"
            )
        if self.quality not in known.qualities:
            raise ValueError(f"quality {self.quality!r} is not one of {known.qualities} for {self.image_model}")
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            if base_url is None:
                raise MissingAPIKey(
                    "OPENAI_API_KEY is not set: export OPENAI_API_KEY=... "
                    "(or pass --base-url URL for a local OpenAI-compatible server that needs no key)"
                )
            key = "no-key-needed"  # local servers ignore it; the SDK insists on one
        self._api_key = key
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.timeout = timeout
        # How long a request that timed out may stay open for its late answer (see _send):
        # by default 5 minutes more, long enough for a slow server to finish work it bills.
        self.close_timeout = max(timeout, close_timeout if close_timeout is not None else timeout + 300.0)
        self.params = dict(params or {})
        self.rewrite_template = Path(rewrite_template)
        self._client = None

    @classmethod
    def from_options(cls, options: dict[str, Any], config: Any = None) -> "OpenAIBackend":
        # The run's models config prices and defaults the models, unless the options name one.
        return cls(**{"config": config, **options}) if config is not None else cls(**options)

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAIBackend(image_model={self.image_model!r}, quality={self.quality!r}, base_url={self.base_url!r})"

    # -- identity: what determines a result (hashed into request keys) ---------------------
    def identity(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            "base_url": self.base_url,
            "model": self.image_model,
            "quality": self.quality,
            "params": self.params,
        }

    def rewrite_identity(self) -> dict[str, Any]:
        # Kept apart from identity(): a new chat model or template must not re-pay images.
        return {
            "backend": self.name,
            "base_url": self.base_url,
            "chat_model": self.chat_model,
            "template": template_sha(self.rewrite_template),
        }

    def judge_identity(self) -> dict[str, Any]:
        # Apart from identity() too: judging with a new model must not re-key the images.
        return {"backend": self.name, "base_url": self.base_url, "judge_model": self.judge_model}

    # -- client -------------------------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            from openai import AsyncOpenAI, DefaultAioHttpClient

            # The SDK's aiohttp transport: about half the CPU per request of its default
            # one, which is what keeps 64+ requests in flight on one core.
            self._client = AsyncOpenAI(api_key=self._api_key, base_url=self.base_url, max_retries=0,
                                       timeout=self.close_timeout,
                                       http_client=DefaultAioHttpClient(timeout=self.close_timeout))
        return self._client

    async def aclose(self) -> None:
        """Close the HTTP client (it is bound to the event loop that first used it)."""
        if self._client is not None:
            await self._client.close()
            self._client = None

    def _scrub(self, text: str) -> str:
        return _KEY_PATTERN.sub("sk-***", text.replace(self._api_key, "***"))

    async def _translated(self, coro, parse=None, raw: bool = False):
        """Await an SDK call, translating its exceptions into backend errors; parse its answer
        (``raw``: the call returns the decoded JSON body, not a response model)."""
        import openai

        try:
            response = await coro
        except openai.APITimeoutError as exc:
            if (cause := _connect_failure(exc)) is not None:
                raise Unreachable(self._scrub(f"cannot connect to {self.base_url}: {cause}")) from None
            raise RequestTimedOut(f"{self.base_url} sent no answer within {self.close_timeout:g} s") from None
        except openai.APIConnectionError as exc:
            if (cause := _connect_failure(exc)) is not None:
                raise Unreachable(self._scrub(f"cannot connect to {self.base_url}: {cause}")) from None
            raise ServerError(self._scrub(f"connection to {self.base_url} failed: {exc}")) from None
        except openai.APIResponseValidationError as exc:
            raise MalformedResponse(self._scrub(f"response does not match the API: {exc}")) from None
        except openai.APIStatusError as exc:
            raise self._status_error(exc) from None
        except ValueError as exc:  # an unparseable body (JSON decode errors are ValueErrors)
            raise MalformedResponse(self._scrub(f"response body is not valid JSON: {exc}")) from None
        if raw:  # a body that is not a JSON object is as malformed as one without a message
            return parse(response if isinstance(response, dict) else {})
        return parse(response.model_dump()) if parse is not None else response

    async def _send(self, coro, parse=None, raw: bool = False):
        """Await an SDK call for at most ``timeout`` seconds.

        A request still open then is not closed: the server may be doing (and billing) the
        work, so closing it and sending again would pay twice. It stays open until its answer
        comes or ``close_timeout`` passes, and the :class:`RequestTimedOut` raised now carries
        it as ``pending`` (the runner counts it in flight until then and keeps a late answer).
        """
        task = asyncio.ensure_future(self._translated(coro, parse, raw))
        try:
            done, _ = await asyncio.wait({task}, timeout=self.timeout)
        except asyncio.CancelledError:  # the run is being stopped: close the request with it
            task.cancel()
            raise
        if task in done:
            return task.result()
        raise RequestTimedOut(f"{self.base_url} sent no answer within {self.timeout:g} s", pending=task)

    def _status_error(self, exc) -> BackendError:
        status = exc.status_code
        message = self._scrub(f"HTTP {status}: {exc.message}")
        if status == 429:
            return RateLimited(message, retry_after=_retry_after(exc.response.headers), status=status)
        if status >= 500 or status in (408, 409):
            return ServerError(message, retry_after=_retry_after(exc.response.headers), status=status)
        if status in (401, 403):
            return AuthFailed(message, status=status)
        if getattr(exc, "code", None) in REFUSAL_CODES:
            return ContentRefused(message, status=status)
        if status == 404:
            return AuthFailed(f"{message} (is the model or base URL right?)", status=status)
        return RequestRejected(message, status=status)

    # -- the Backend interface -------------------------------------------------------------------
    def _image_args(self, request: ImageRequest) -> dict[str, Any]:
        return {"model": self.image_model, "prompt": request.prompt, "size": request.size,
                "quality": self.quality, "n": 1, **self.params}

    async def generate(self, request: ImageRequest) -> ImageResult:
        return await self._send(self.client.images.generate(**self._image_args(request)), self.parse_image_response)

    async def edit(self, request: ImageRequest) -> ImageResult:
        if not request.images:
            raise RequestRejected(f"edit step {request.step!r} has no input image")
        files = [(f"image_{i}.png", data, "image/png") for i, data in enumerate(request.images)]
        image = files[0] if len(files) == 1 else files
        return await self._send(self.client.images.edit(image=image, **self._image_args(request)),
                                self.parse_image_response)

    async def rewrite(self, spec: InstructionSpec, problems: Sequence[str] = ()) -> TextResult:
        body = {"model": self.chat_model, "messages": render_rewrite_messages(spec, self.rewrite_template, problems)}
        # Posted through the SDK's client.post (its documented way to send a body as is; the
        # answer comes back as decoded JSON) rather than chat.completions.create, whose typed
        # call walks every message through its TypedDict transform and builds a response model:
        # a third of the client CPU of a rewrite (bench/bench_rewrite.py).
        return await self._send(self.client.post("/chat/completions", body=body, cast_to=object),
                                self.parse_chat_response, raw=True)

    async def judge(self, request: JudgeRequest) -> TextResult:
        return await self._send(self.client.chat.completions.create(**self.judge_body(request)),
                                self.parse_judge_response)

    def judge_body(self, request: JudgeRequest) -> dict[str, Any]:
        """The chat-completions body of a judge call: images as data URLs, the reply as structured output."""
        parts: list[dict[str, Any]] = []
        for part in request.content:
            if isinstance(part, bytes):
                mime = "image/png" if part.startswith(PNG_SIGNATURE) else "image/jpeg"
                url = f"data:{mime};base64,{base64.b64encode(part).decode('ascii')}"
                parts.append({"type": "image_url", "image_url": {"url": url}})
            else:
                parts.append({"type": "text", "text": part})
        return {"model": self.judge_model,
                "messages": [{"role": "system", "content": request.system}, {"role": "user", "content": parts}],
                "response_format": {"type": "json_schema", "json_schema": {
                    "name": request.schema_name, "schema": request.schema, "strict": True}}}

    def judge_batch_line(self, custom_id: str, request: JudgeRequest) -> dict[str, Any]:
        return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": self.judge_body(request)}

    async def check(self, *, rewrite: bool = False) -> None:
        """Fail early when the server does not offer the model (where it lists its models)."""
        import openai

        try:
            page = await self.client.models.list()
        except openai.NotFoundError:
            return  # the server lists no models: the first request will tell
        except openai.APIConnectionError as exc:  # timeouts included
            cause = _connect_failure(exc) or f"no answer within {self.close_timeout:g} s"
            raise Unreachable(self._scrub(f"cannot reach {self.base_url}: {cause}")) from None
        except openai.APIStatusError as exc:
            raise self._status_error(exc) from None
        offered = {m.id for m in page.data}
        wanted = [self.image_model] + ([self.chat_model] if rewrite else [])
        missing = [m for m in wanted if m not in offered]
        if offered and missing:
            raise ValueError(f"{self.base_url} does not offer model(s) {missing}; it offers {sorted(offered)[:20]}")

    # -- parsing (shared by direct calls and Batch API results) ---------------------------------
    def parse_image_response(self, body: Any) -> ImageResult:
        if not isinstance(body, dict):
            raise MalformedResponse("image response is not a JSON object")
        data = body.get("data") or []
        b64 = data[0].get("b64_json") if data and isinstance(data[0], dict) else None
        if not isinstance(b64, str) or not b64:
            raise MalformedResponse("image response carries no b64_json image")
        try:
            raw = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            raise MalformedResponse("image response b64_json is not valid base64") from None
        usage = {k: v for k, v in (body.get("usage") or {}).items() if v is not None}
        return ImageResult(image=_to_png(raw), model=self.image_model, usage=usage)

    def parse_chat_response(self, body: Any) -> TextResult:
        try:
            message = body["choices"][0]["message"]
            text, refusal = message.get("content"), message.get("refusal")
        except (KeyError, IndexError, TypeError, AttributeError):
            text = refusal = None
        if isinstance(refusal, str) and refusal.strip() and not text:  # the model declined: not malformed
            raise ContentRefused(f"the chat model refused: {refusal.strip()}")
        if not isinstance(text, str) or not text.strip():
            raise MalformedResponse("chat response carries no message text")
        usage = {k: v for k, v in (body.get("usage") or {}).items() if v is not None}
        return TextResult(text=text.strip(), model=body.get("model") or self.chat_model, usage=usage)

    def parse_judge_response(self, body: Any) -> TextResult:
        """The reply text of a judge call; a refusal (structured outputs' ``refusal``) is a ContentRefused."""
        try:
            message = body["choices"][0]["message"]
        except (KeyError, IndexError, TypeError):
            raise MalformedResponse("judge response carries no message") from None
        refusal = message.get("refusal") if isinstance(message, dict) else None
        if refusal:  # an answer, so billed: recorded as maybe paid, not asked again unasked
            raise AnswerRefused(self._scrub(f"the judge refused: {refusal}"))
        return self.parse_chat_response(body)

    def batch_error(self, status: int | None, body: Any, error: dict[str, Any] | None) -> BackendError:
        """The error of one failed batch line (an answer with an error status, or no answer)."""
        if error:
            return RequestRejected(self._scrub(f"batch line failed: {error.get('code')}: {error.get('message')}"))
        detail = body.get("error") if isinstance(body, dict) else None
        detail = detail if isinstance(detail, dict) else {}
        message = self._scrub(f"HTTP {status}: {detail.get('message') or body}")
        if detail.get("code") in REFUSAL_CODES:
            return ContentRefused(message, status=status)
        if status is not None and status >= 500:
            return ServerError(message, status=status)
        return RequestRejected(message, status=status)

    # -- Batch API transport ----------------------------------------------------------------
    def batch_line(self, custom_id: str, call: str, request: ImageRequest | None = None,
                   spec: InstructionSpec | None = None, file_ids: list[str] | None = None,
                   problems: Sequence[str] = ()) -> dict[str, Any]:
        """One line of a batch input file. ``call`` is "generate", "edit" or "rewrite"."""
        if call == "rewrite":
            body = {"model": self.chat_model,
                    "messages": render_rewrite_messages(spec, self.rewrite_template, problems)}
            return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body}
        body = self._image_args(request)
        if call == "generate":
            return {"custom_id": custom_id, "method": "POST", "url": "/v1/images/generations", "body": body}
        # Batch edits are JSON: input images are referenced by uploaded file id.
        body["images"] = [{"file_id": fid} for fid in file_ids or []]
        return {"custom_id": custom_id, "method": "POST", "url": "/v1/images/edits", "body": body}

    async def upload_file(self, data: bytes, filename: str, purpose: str) -> str:
        created = await self._translated(self.client.files.create(file=(filename, data), purpose=purpose))
        return created.id

    async def create_batch(self, input_file_id: str, endpoint: str, metadata: dict[str, str]) -> str:
        batch = await self._translated(self.client.batches.create(
            input_file_id=input_file_id, endpoint=endpoint, completion_window="24h", metadata=metadata))
        return batch.id

    async def find_batch(self, input_file_id: str) -> str | None:
        """The batch already made from this input file, if any (to recover a lost batch id)."""
        page = await self._translated(self.client.batches.list(limit=100))
        async for batch in page:
            if batch.input_file_id == input_file_id:
                return batch.id
        return None

    async def retrieve_batch(self, batch_id: str) -> dict[str, Any]:
        batch = await self._translated(self.client.batches.retrieve(batch_id))
        return batch.model_dump()

    async def file_content(self, file_id: str) -> bytes:
        response = await self._translated(self.client.files.content(file_id))
        return response.content
