"""A small judged-dataset setup for the judge tests: a dataset folder made through the real SDK
against the local server (tiny images), and one spec of each prompt kind."""
from __future__ import annotations

from pathlib import Path

from generate_fixtures import generation, mixed_plan

from ogi_toolkit.generate import run_plan

JUDGE_MODEL = "gpt-4o-mini"


def make_dataset(server, out: Path, n_generation: int = 0) -> Path:
    """The five-shape mixed plan (plus ``n_generation`` more generation items) generated into ``out``."""
    specs = mixed_plan() + [generation(i) for i in range(1, n_generation + 1)]
    summary = run_plan(specs, out, backend="openai", backend_options={"base_url": server.url}, progress=False)
    assert summary.done == len(specs), summary
    return out


def judge_options(server, **extra) -> dict:
    return {"backend": "openai", "backend_options": {"base_url": server.url}, "judge_model": JUDGE_MODEL,
            "progress": False, **extra}
