"""The backend seam: a new provider subclasses Backend and the runner needs nothing else."""
from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image

from generate_fixtures import generation, manifest_lines, single_edit

from ogi_toolkit.backends import BACKENDS, Backend, BatchBackend, ImageResult, get_backend
from ogi_toolkit.generate import run_batch, run_plan


class PlainColour(Backend):
    """A provider written against the documented interface only: name, identity, generate, edit."""

    name = "plain-colour"

    def identity(self):
        return {"backend": self.name, "version": 1}

    async def generate(self, request):
        out = io.BytesIO()
        Image.new("RGB", (4, 4), (len(request.prompt) % 256, 0, 0)).save(out, format="PNG")
        return ImageResult(out.getvalue(), model=self.name)

    async def edit(self, request):
        return await self.generate(request)


def test_a_backend_with_only_the_required_methods_runs_a_plan_with_rewrites(tmp_path):
    summary = run_plan([generation(0), single_edit(0)], tmp_path, backend=PlainColour(), rewrite=True, progress=False)
    assert summary.done == 2 and summary.errors == 0
    lines = manifest_lines(tmp_path)
    assert {line["backend"] for line in lines} == {"plain-colour"}
    assert all(line["instruction"] == line["original_instruction"] for line in lines)  # default rewrite: unchanged


def test_defaults_say_what_is_missing():
    backend = PlainColour()
    with pytest.raises(NotImplementedError, match="no judge model"):
        asyncio.run(backend.judge(None))
    assert backend.rewrite_identity() == backend.identity()
    assert not isinstance(backend, BatchBackend) and isinstance(get_backend("openai", base_url="http://x/v1"), BatchBackend)
    with pytest.raises(ValueError, match="has no Batch API"):
        run_batch([generation(0)], "unused", backend=backend, progress=False)


def test_every_registered_backend_is_a_backend_and_non_backends_are_refused(tmp_path):
    assert isinstance(get_backend("sketch"), Backend)
    assert set(BACKENDS) >= {"sketch", "openai"}
    with pytest.raises(TypeError, match="subclass ogi_toolkit.backends.Backend"):
        run_plan([generation(0)], tmp_path, backend=object(), progress=False)
