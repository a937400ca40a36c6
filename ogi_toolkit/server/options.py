"""What the local server does besides answering: latency and injected faults."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["Fault", "ServerOptions"]

# A fault the server plays on one request (None: answer normally).
Fault = str  # "429" | "500" | "timeout" | "malformed" | "refusal"


@dataclass
class ServerOptions:
    latency_ms: float = 0.0  # added to every model call (images, chat)
    fail_rate: float = 0.0  # share of model calls answered 429 (with retry-after) or 500, half each
    timeout_rate: float = 0.0  # share that hang for ``hang_s`` before answering (clients time out)
    malformed_rate: float = 0.0  # share answered 200 with a broken body
    refusal_rate: float = 0.0  # share refused by the "safety system" (400 moderation_blocked)
    hang_s: float = 30.0
    retry_after_ms: int = 200
    refuse_word: str = "#refuse"  # a prompt containing it is always refused
    malformed_word: str = "#malformed"  # a prompt containing it always gets a broken body
    chat_refuse_word: str = "#norewrite"  # a chat request containing it is answered with message.refusal
    renderer: str = "auto"  # "auto": the sketch renderer's prompt card when installed; "card": a cheap PIL card
    max_px: int | None = None  # render at most this many pixels a side (keeps test images small)
    batch_delay_s: float = 0.2  # how long a batch stays in progress
    seed: int = 0
    # A planted bad rewrite: a chat rewrite answered with its quoted text dropped (so it loses
    # the exact strings it must keep). ``drop_quotes_rate``: share of rewrites, every time they
    # are asked; ``drop_quotes_word``: an instruction holding it is answered so the first time
    # only (asked again, as a retry does, it is answered whole).
    drop_quotes_rate: float = 0.0
    drop_quotes_word: str = "#dropquotes"
    api_key: str | None = None  # when set, requests must bear this key (401 otherwise, as the API answers)
    record: bool = False  # keep request/response pairs (for checking them against the API description)
    models: tuple[str, ...] = ()  # ids listed by /v1/models (default: every model in the models config)
    max_request_mb: float = 256.0  # a request body past it gets 413 (batch input files may be 200 MB)
    max_stored_mb: float = 2048.0  # uploaded and batch output files, in total, kept on disk
    max_inflight_mb: float = 512.0  # request bodies held at once, all requests together (429 past it)
    rng: random.Random = field(init=False, repr=False)
    _quotes_dropped: set[str] = field(init=False, repr=False, default_factory=set)

    def __post_init__(self) -> None:
        for name in ("fail_rate", "timeout_rate", "malformed_rate", "refusal_rate", "drop_quotes_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.fail_rate + self.timeout_rate + self.malformed_rate + self.refusal_rate > 1.0:
            raise ValueError("fail_rate + timeout_rate + malformed_rate + refusal_rate must not exceed 1")
        if self.max_request_mb <= 0 or self.max_stored_mb <= 0 or self.max_inflight_mb <= 0:
            raise ValueError("max_request_mb, max_stored_mb and max_inflight_mb must be positive")
        if self.renderer not in ("auto", "card"):
            raise ValueError(f"renderer must be 'auto' or 'card', got {self.renderer!r}")
        self.rng = random.Random(self.seed)

    def drop_quotes(self, instruction: str) -> bool:
        """Whether this rewrite of ``instruction`` is answered with its quoted text dropped."""
        if self.drop_quotes_word and self.drop_quotes_word in instruction:
            if instruction not in self._quotes_dropped:
                self._quotes_dropped.add(instruction)
                return True
            return False
        return self.drop_quotes_rate > 0 and self.rng.random() < self.drop_quotes_rate

    def fault_for(self, prompt: str, *, live: bool = True) -> Fault | None:
        """Pick this request's fault. Batch lines (``live=False``) get no transport faults."""
        if self.refuse_word and self.refuse_word in prompt:
            return "refusal"
        if self.malformed_word and self.malformed_word in prompt:
            return "malformed"
        x = self.rng.random()
        for fault, rate in (("refusal", self.refusal_rate), ("malformed", self.malformed_rate),
                            ("429", self.fail_rate / 2), ("500", self.fail_rate / 2), ("timeout", self.timeout_rate)):
            if x < rate:
                return fault if live or fault in ("refusal", "malformed") else None
            x -= rate
        return None
