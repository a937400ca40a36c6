"""Files and batches of the local server, kept in memory.

A batch reads its input file (one request per line: ``custom_id``, ``method``, ``url``,
``body``), answers each line with the same code as the live endpoints (no transport faults:
those are the batch service's business), and writes an output file of answered lines and an
error file of failed ones, like the Batch API.
"""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model_calls import Stats, answer_chat, answer_image, body_hash
from .options import ServerOptions
from .uploads import FilePart, UploadFolder
from .validate import Invalid, check_image_fields, check_input_image, decode_data_url, edit_refs

__all__ = ["BatchService", "StoredFile"]

BATCH_ENDPOINTS = ("/v1/images/generations", "/v1/images/edits", "/v1/chat/completions")


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    path: Path  # on disk, in the server's upload folder
    size: int
    created_at: int = field(default_factory=lambda: int(time.time()))

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "object": "file", "bytes": self.size, "created_at": self.created_at,
                "filename": self.filename, "purpose": self.purpose, "status": "processed"}


def _file_id() -> str:
    return "file-" + uuid.uuid4().hex[:24]


class BatchService:
    def __init__(self, options: ServerOptions, stats: Stats):
        self.options, self.stats = options, stats
        self.files: dict[str, StoredFile] = {}
        self.folder = UploadFolder(int(options.max_stored_mb * 1024**2))
        self.batches: dict[str, dict[str, Any]] = {}
        self._tasks: set[asyncio.Task] = set()

    def add_file(self, filename: str, purpose: str, data: bytes) -> StoredFile:
        file_id = _file_id()
        stored = StoredFile(file_id, filename, purpose, self.folder.save_bytes(file_id, data), len(data))
        self.files[stored.id] = stored
        return stored

    def add_upload(self, part: FilePart, purpose: str) -> StoredFile:
        file_id = _file_id()
        stored = StoredFile(file_id, part.filename, purpose, self.folder.save_part(file_id, part), part.size)
        self.files[stored.id] = stored
        return stored

    def create(self, input_file_id: str, endpoint: str, metadata: dict[str, str] | None) -> dict[str, Any]:
        now = int(time.time())
        batch = {"id": "batch_" + uuid.uuid4().hex[:24], "object": "batch", "endpoint": endpoint,
                 "input_file_id": input_file_id, "completion_window": "24h", "status": "validating",
                 "created_at": now, "expires_at": now + 86400,
                 "request_counts": {"total": 0, "completed": 0, "failed": 0}}
        if metadata:
            batch["metadata"] = metadata
        self.batches[batch["id"]] = batch
        task = asyncio.get_running_loop().create_task(self._process(batch))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return batch

    def resolve_images(self, refs: Any) -> list[bytes]:
        """The input images of a JSON edit (``images``: file ids or data URLs), each checked."""
        images = []
        for k, ref in enumerate(edit_refs(refs)):
            if isinstance(ref.get("file_id"), str):
                stored = self.files.get(ref["file_id"])
                if stored is None:
                    raise Invalid(f"'images[{k}]': no uploaded file {ref['file_id']!r}.", "images")
                data = stored.data
            else:
                data = decode_data_url(ref["image_url"])
            check_input_image(data, f"images[{k}]")
            images.append(data)
        return images

    async def _answer_line(self, line: dict[str, Any]) -> tuple[int, bytes]:
        body = line["body"]
        if line["url"] == "/v1/chat/completions":
            status, _, raw = await answer_chat(body, self.options, live=False)
            digest = body_hash(body, [])
        else:
            edit = line["url"] == "/v1/images/edits"
            images = self.resolve_images(body.get("images")) if edit else []
            fields = {k: v for k, v in body.items() if k != "images"}
            check_image_fields(fields, edit=edit)
            status, _, raw = await answer_image(fields, images, self.options, live=False)
            digest = body_hash(fields, images)
        self.stats.count(status, digest)
        return status, raw

    async def _process(self, batch: dict[str, Any]) -> None:
        await asyncio.sleep(0)
        batch.update(status="in_progress", in_progress_at=int(time.time()))
        out_lines, err_lines = [], []
        try:
            source = self.files[batch["input_file_id"]].data.decode("utf-8")
            lines = [json.loads(raw) for raw in source.splitlines() if raw.strip()]
        except (KeyError, ValueError) as exc:
            batch.update(status="failed", failed_at=int(time.time()),
                         errors={"object": "list", "data": [{"code": "invalid_file", "message": str(exc)}]})
            return
        batch["request_counts"]["total"] = len(lines)
        for line in lines:
            if line.get("url") != batch["endpoint"]:
                err_lines.append(self._error_line(line, "invalid_url", f"url must be {batch['endpoint']}"))
                continue
            try:
                status, raw = await self._answer_line(line)
            except (KeyError, IndexError, ValueError, TypeError) as exc:
                err_lines.append(self._error_line(line, "invalid_request", f"{type(exc).__name__}: {exc}"))
                continue
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")  # a malformed answer travels as a string
            out_lines.append({"id": "batch_req_" + uuid.uuid4().hex[:24], "custom_id": line.get("custom_id"),
                              "response": {"status_code": status, "request_id": uuid.uuid4().hex, "body": body},
                              "error": None})
        await asyncio.sleep(self.options.batch_delay_s)
        counts = batch["request_counts"]
        counts["failed"] = len(err_lines) + sum(1 for o in out_lines if o["response"]["status_code"] != 200)
        counts["completed"] = len(lines) - counts["failed"]
        batch["output_file_id"] = self._jsonl_file(batch, "output", out_lines)
        if err_lines:
            batch["error_file_id"] = self._jsonl_file(batch, "error", err_lines)
        now = int(time.time())
        batch.update(status="completed", finalizing_at=now, completed_at=now)

    @staticmethod
    def _error_line(line: dict[str, Any], code: str, message: str) -> dict[str, Any]:
        return {"id": "batch_req_" + uuid.uuid4().hex[:24], "custom_id": line.get("custom_id"), "response": None,
                "error": {"code": code, "message": message}}

    def _jsonl_file(self, batch: dict[str, Any], kind: str, lines: list[dict[str, Any]]) -> str:
        data = "".join(json.dumps(line) + "\n" for line in lines).encode("utf-8")
        return self.add_file(f"{batch['id']}_{kind}.jsonl", "batch_output", data).id
