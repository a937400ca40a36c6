"""Usage -> dollars, estimates, batch discount and the budget guard."""
from __future__ import annotations

import pytest

from ogi_toolkit.config import load_models_config
from ogi_toolkit.calls.cost import Budget, CostModel

CONFIG = load_models_config()


def test_image_cost_comes_from_usage_tokens_by_the_price_table():
    cost = CostModel(CONFIG, "gpt-image-1", "low", "gpt-4o-mini", paid=True)
    usage = {"input_tokens": 350, "output_tokens": 272,
             "input_tokens_details": {"text_tokens": 27, "image_tokens": 323}}
    assert cost.image_cost(usage, "1024x1024") == pytest.approx((27 * 5 + 323 * 10 + 272 * 40) / 1e6)
    # no usage reported: the published per-image price stands in
    assert cost.image_cost({}, "1536x1024") == 0.016
    assert cost.chat_cost({"prompt_tokens": 1000, "completion_tokens": 100}) == pytest.approx((1000 * 0.15 + 100 * 0.6) / 1e6)


def test_estimates_and_the_batch_discount():
    live = CostModel(CONFIG, "gpt-image-1", "medium", "gpt-4o-mini", paid=True)
    batch = CostModel(CONFIG, "gpt-image-1", "medium", "gpt-4o-mini", paid=True, batch=True)
    prompt = "x" * 400  # 100 tokens
    expected = 0.042 + (100 * 5 + 2 * CONFIG.estimates.input_image_tokens * 10) / 1e6
    assert live.estimate_image(prompt, 2, "1024x1024") == pytest.approx(expected)
    assert batch.estimate_image(prompt, 2, "1024x1024") == pytest.approx(expected * CONFIG.batch_discount)
    # an unlisted size or "auto" quality is priced at the dearest listed image, so budgets hold
    assert CostModel(CONFIG, "gpt-image-1", "auto", paid=True).estimate_image("", 0, "1024x1024") == 0.25


def test_unpaid_backends_cost_nothing_and_paid_unknown_models_are_refused():
    assert CostModel(CONFIG, None, None).estimate_image("a prompt", 1, "1024x1024") == 0.0
    with pytest.raises(ValueError, match="'mystery' has no prices"):
        CostModel(CONFIG, "mystery", "low", paid=True)


def test_the_budget_refuses_a_reservation_that_would_pass_the_cap():
    budget = Budget(max_cost=1.0)
    assert budget.reserve(0.6) and not budget.reserve(0.5)
    budget.settle(0.6, 0.4)  # it cost less than reserved
    assert budget.spent == pytest.approx(0.4) and budget.reserve(0.6) and not budget.reserve(0.01)
    assert Budget().reserve(1e9)  # no cap
