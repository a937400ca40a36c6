"""The small interface every image backend shares (offline sketch renderer, OpenAI, ...).

Backends turn one request into one result. They know nothing of manifests, resume or cost
budgets: the runner owns storage and decides what is sent. A new provider is one new module
implementing :class:`Backend`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..spec import InstructionSpec


@dataclass(frozen=True)
class ImageRequest:
    """What one image call needs.

    ``images`` are input images as PNG bytes: for an edit, the image being edited first, then
    any reference images. ``spec`` is the structured instruction (backends that draw from
    structure, like the sketch renderer, use it; API backends only send ``prompt``).
    ``step`` says which part of the spec this call realises: ``"scene"`` (a generation
    item's output), ``"source"`` (an editing item's input image), ``"reference"`` (the
    reference image), ``"edit"`` (a single-turn edit) or ``"turn:K"`` (turn K of a
    multi-turn item, 0-based).
    """

    prompt: str
    step: str = "scene"
    images: tuple[bytes, ...] = ()
    size: str = "1024x1024"
    spec: InstructionSpec | None = None


@dataclass
class ImageResult:
    image: bytes  # PNG bytes
    model: str
    usage: dict[str, Any] = field(default_factory=dict)  # tokens as reported by the provider
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. the sketch renderer's layout record


@dataclass
class TextResult:
    text: str
    model: str
    usage: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class JudgeRequest:
    """What one judge call needs: the judge looks at images and answers in a given JSON shape.

    ``content`` is the user message in order: ``str`` parts are text, ``bytes`` parts are
    images (PNG or JPEG bytes, already downscaled by the caller). ``schema`` is the JSON
    schema the reply must follow (sent as structured output where the provider has it).
    """

    system: str
    content: tuple[str | bytes, ...]
    schema: dict[str, Any]
    schema_name: str = "judgment"


@runtime_checkable
class Backend(Protocol):
    name: str

    def identity(self) -> dict[str, Any]:
        """Everything about this backend that determines a result (model, quality, version...).

        The runner hashes it with the request to key results, so that no request whose
        result is on disk is ever sent (or paid for) again.
        """

    async def generate(self, request: ImageRequest) -> ImageResult: ...

    async def edit(self, request: ImageRequest) -> ImageResult: ...

    async def rewrite(self, spec: InstructionSpec) -> TextResult: ...


@runtime_checkable
class Judge(Protocol):
    """What a backend that can judge images offers besides :class:`Backend` (the OpenAI one does).

    ``judge`` returns the reply text (the JSON the schema asks for); the caller parses it.
    ``judge_identity`` is everything that determines a judgment besides the request (the judge
    model, the server), hashed into judgment keys apart from ``identity()`` so that judging
    never re-keys images.
    """

    def judge_identity(self) -> dict[str, Any]: ...

    async def judge(self, request: JudgeRequest) -> TextResult: ...
