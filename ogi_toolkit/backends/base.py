"""The small interface every image backend shares (offline sketch renderer, OpenAI, ...).

Backends turn one request into one result. They know nothing of manifests, resume or cost
budgets: the runner owns storage and decides what is sent. A new provider is one new module
implementing :class:`Backend`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence, runtime_checkable

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
    ``image_detail``: the OpenAI ``detail`` of each image (a misspelt letter is lost at "low").
    """

    system: str
    content: tuple[str | bytes, ...]
    schema: dict[str, Any]
    schema_name: str = "judgment"
    image_detail: str = "high"  # how closely a provider looks at each image ("low", "high", "auto")


class Backend:
    """What the runner calls on every backend. Subclass it and override what your provider does.

    Required: ``name``, :meth:`identity` and :meth:`generate`; most providers also :meth:`edit`.
    Everything else has a documented default, so the runner calls declared methods and never
    asks whether a backend happens to have one. A new provider is one module with one
    subclass, listed in ``ogi_toolkit.backends.BACKENDS``.
    """

    name: str = "backend"
    # Results depend on the spec's structure too (an offline renderer draws from it), so the
    # spec goes into request keys. API backends set False: two items that send the same
    # request share one paid result.
    uses_spec: bool = True
    # Requests cost money: the cost model prices them (free backends cost nothing).
    paid: bool = False

    @classmethod
    def from_options(cls, options: dict[str, Any], config: Any = None) -> "Backend":
        """Build from a run's backend options; ``config`` is the run's models config (prices,
        defaults), for backends that use one. Default: ``cls(**options)``, config unused."""
        return cls(**options)

    def identity(self) -> dict[str, Any]:
        """Everything about this backend that determines a result (model, quality, version...).

        The runner hashes it with the request to key results, so that no request whose
        result is on disk is ever sent (or paid for) again.
        """
        raise NotImplementedError(f"{type(self).__name__} must say what determines its results (identity)")

    def fidelity(self, spec: Any) -> str | None:
        """How faithfully this backend draws ``spec``: ``faithful``, ``partial`` or
        ``placeholder``, stored in each manifest line's ``fidelity``. None (the default): it
        does not say (an image model is judged by its pictures, not by a table)."""
        return None

    def rewrite_identity(self) -> dict[str, Any]:
        """What determines a rewrite's text (chat model, prompt template). Default: :meth:`identity`.

        Kept apart so that a new chat model does not re-key (and re-pay) the images.
        """
        return self.identity()

    async def check(self, *, rewrite: bool = False) -> None:
        """Fail early (before any item) when the backend cannot serve this run; default: nothing to check.

        Raise :class:`~.errors.BackendError` (fatal ones stop the run) or ``ValueError``.
        """

    async def generate(self, request: ImageRequest) -> ImageResult:
        """One image from ``request.prompt`` (and ``request.spec`` for backends that draw from it)."""
        raise NotImplementedError(f"backend {self.name!r} does not generate images")

    async def edit(self, request: ImageRequest) -> ImageResult:
        """``request.images[0]`` edited by ``request.prompt`` (further images are references)."""
        raise NotImplementedError(f"backend {self.name!r} does not edit images")

    async def rewrite(self, spec: InstructionSpec, problems: Sequence[str] = ()) -> TextResult:
        """The instruction rephrased, every constraint kept; ``problems`` name what an earlier
        try lost (a second try). Default: unchanged (no language model)."""
        return TextResult(text=spec.instruction, model=self.name)

    async def judge(self, request: JudgeRequest) -> TextResult:
        """The judge model's reply to ``request`` (see :class:`Judge`, which judging backends
        also implement with ``judge_identity``). Not offered by default."""
        raise NotImplementedError(f"backend {self.name!r} has no judge model; use one that does (e.g. openai)")

    async def aclose(self) -> None:
        """Release connections when a run ends (they belong to that run's event loop); default: none."""


@runtime_checkable
class BatchBackend(Protocol):
    """What the Batch API path (``ogi_toolkit.calls.batch``, for generate, rewrite and judge)
    needs besides :class:`Backend`."""

    def batch_line(self, custom_id: str, call: str, request: ImageRequest | None = None,
                   spec: InstructionSpec | None = None, file_ids: list[str] | None = None,
                   problems: Sequence[str] = ()) -> dict[str, Any]:
        """One line of a batch input file for ``call`` ("generate", "edit" or "rewrite")."""

    def batch_error(self, status: int | None, body: Any, error: dict[str, Any] | None) -> Exception:
        """The backend error of one failed batch line."""

    def parse_image_response(self, body: Any) -> ImageResult: ...

    def parse_chat_response(self, body: Any) -> TextResult: ...

    def judge_batch_line(self, custom_id: str, request: JudgeRequest) -> dict[str, Any]:
        """One line of a batch input file for a judge call."""

    def parse_judge_response(self, body: Any) -> TextResult:
        """The reply of one answered judge line (a refusal raises a backend error)."""

    async def upload_file(self, data: bytes, filename: str, purpose: str) -> str: ...

    async def create_batch(self, input_file_id: str, endpoint: str, metadata: dict[str, str]) -> str: ...

    async def find_batch(self, input_file_id: str) -> str | None: ...

    async def retrieve_batch(self, batch_id: str) -> dict[str, Any]: ...

    async def file_content(self, file_id: str) -> bytes: ...


@runtime_checkable
class Judge(Protocol):
    """What a backend that can judge images offers besides :class:`Backend` (the OpenAI one does).

    ``judge`` returns the reply text (the JSON the schema asks for); the caller parses it.
    ``judge_model`` names the model (its prices are the models config's chat prices).
    ``judge_identity`` is everything that determines a judgment besides the request (the judge
    model, the server), hashed into judgment keys apart from ``identity()`` so that judging
    never re-keys images. Connections are closed by :meth:`Backend.aclose`.
    """

    judge_model: str

    def judge_identity(self) -> dict[str, Any]: ...

    async def judge(self, request: JudgeRequest) -> TextResult: ...
