"""Money: usage tokens -> US dollars by the price table, estimates before sending, the budget.

Actual costs come from the usage a server reports (text, image-input and output tokens);
when it reports none, the published per-image price stands in. Estimates (for ``--dry-run``
and for the ``--max-cost`` guard, which must decide before a request is sent) use the
per-image price plus estimated input tokens. Backends that are not paid (the offline sketch
renderer) cost nothing unless the price table names their model.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..backends.base import Backend
from ..config import ModelsConfig

__all__ = ["Budget", "CostModel"]

_M = 1_000_000


@dataclass
class CostModel:
    config: ModelsConfig
    image_model: str | None
    quality: str | None
    chat_model: str | None = None
    paid: bool = False
    batch: bool = False

    @classmethod
    def for_backend(cls, backend: Backend, config: ModelsConfig, *, batch: bool = False) -> "CostModel":
        ident = backend.identity()
        return cls(config, ident.get("model"), ident.get("quality"), backend.rewrite_identity().get("chat_model"),
                   paid=backend.paid, batch=batch)

    @classmethod
    def for_judge(cls, backend: Backend, config: ModelsConfig, *, batch: bool = False) -> "CostModel":
        """Prices of the backend's judge model (a chat model of the models config)."""
        model = backend.judge_model
        if backend.paid and model not in config.chat_models:
            raise ValueError(f"judge model {model!r} has no prices in the models config chat_models "
                             f"(known: {sorted(config.chat_models)}); add it or pass --config")
        return cls(config, None, None, chat_model=model, paid=False, batch=batch)

    def __post_init__(self) -> None:
        self._image = self.config.image_models.get(self.image_model or "")
        self._chat = self.config.chat_models.get(self.chat_model or "")
        if self.paid and self._image is None:
            raise ValueError(f"image model {self.image_model!r} has no prices in the models config "
                             f"(known: {sorted(self.config.image_models)})")
        self._factor = self.config.batch_discount if self.batch else 1.0

    def _per_image(self, size: str) -> float:
        table = self._image.prices.per_image
        by_size = table.get(self.quality or "") or {}
        if size in by_size:
            return by_size[size]
        # Unknown quality ("auto") or size: assume the dearest listed, so budgets hold.
        return max((p for sizes in table.values() for p in sizes.values()), default=0.0)

    def image_cost(self, usage: dict[str, Any] | None, size: str) -> float:
        """Dollars one finished image call cost."""
        if self._image is None:
            return 0.0
        usage = usage or {}
        if "output_tokens" not in usage:
            return self._per_image(size) * self._factor
        p = self._image.prices
        details = usage.get("input_tokens_details") or {}
        image_in = details.get("image_tokens", 0) or 0
        text_in = details.get("text_tokens", (usage.get("input_tokens") or 0) - image_in) or 0
        dollars = (text_in * p.text_input_per_mtok + image_in * p.image_input_per_mtok
                   + (usage.get("output_tokens") or 0) * p.output_per_mtok) / _M
        return dollars * self._factor

    def estimate_image(self, prompt: str, n_input_images: int, size: str) -> float:
        if self._image is None:
            return 0.0
        p, est = self._image.prices, self.config.estimates
        text_tokens = len(prompt) / est.chars_per_token
        dollars = self._per_image(size) + (text_tokens * p.text_input_per_mtok
                                           + n_input_images * est.input_image_tokens * p.image_input_per_mtok) / _M
        return dollars * self._factor

    def chat_cost(self, usage: dict[str, Any] | None) -> float:
        if self._chat is None:
            return 0.0
        usage = usage or {}
        return ((usage.get("prompt_tokens") or 0) * self._chat.input_per_mtok
                + (usage.get("completion_tokens") or 0) * self._chat.output_per_mtok) / _M * self._factor

    def estimate_rewrite(self) -> float:
        est = self.config.estimates
        return self.chat_cost({"prompt_tokens": est.rewrite_input_tokens, "completion_tokens": est.rewrite_output_tokens})


class Budget:
    """Spent money plus reservations for requests in flight, against an optional cap.

    A request reserves its estimated cost before it is sent and is refused if the reservation
    would pass the cap; when it ends, the reservation is replaced by what it really cost.
    """

    def __init__(self, max_cost: float | None = None):
        if max_cost is not None and max_cost < 0:
            raise ValueError(f"max_cost must be >= 0, got {max_cost}")
        self.max_cost = max_cost
        self.spent = 0.0
        self.reserved = 0.0

    def reserve(self, amount: float) -> bool:
        if self.max_cost is not None and self.spent + self.reserved + amount > self.max_cost + 1e-12:
            return False
        self.reserved += amount
        return True

    def settle(self, reserved: float, actual: float) -> None:
        self.reserved -= reserved
        self.spent += actual
