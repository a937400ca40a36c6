"""Request keys change with everything that determines a result, and with nothing else."""
from __future__ import annotations

from generate_fixtures import generation, single_edit

from ogi_toolkit.calls.keys import image_call_key, rewrite_key

IDENTITY = {"backend": "openai", "model": "gpt-image-1", "quality": "low"}


def key(**change):
    args = dict(identity=IDENTITY, call="generate", prompt="a cat", size="1024x1024", image_sha256=["aa"],
                uses_spec=False, step="scene", spec=generation(0))
    args.update(change)
    return image_call_key(args.pop("identity"), args.pop("call"), **args)


def test_keys_are_stable_and_change_with_what_is_sent():
    assert key() == key()
    for change in [dict(prompt="a dog"), dict(size="1536x1024"), dict(image_sha256=["ab"]),
                   dict(image_sha256=["aa", "bb"]), dict(call="edit"), dict(identity={**IDENTITY, "quality": "high"})]:
        assert key(**change) != key(), change


def test_api_backends_share_results_across_steps_and_items_structure_backends_do_not():
    # For an API backend the spec and step do not reach the server: same request, same result.
    assert key(step="source", spec=single_edit(3)) == key()
    # For a backend that draws from the spec, they determine the picture.
    assert key(uses_spec=True, step="source") != key(uses_spec=True)
    assert key(uses_spec=True, spec=generation(1)) != key(uses_spec=True)


def test_rewrite_keys_follow_the_spec_and_the_rewrite_identity():
    ident = {"chat_model": "gpt-4o-mini", "template": "abc"}
    assert rewrite_key(ident, generation(0)) == rewrite_key(ident, generation(0))
    assert rewrite_key(ident, generation(0)) != rewrite_key(ident, generation(1))
    assert rewrite_key(ident, generation(0)) != rewrite_key({**ident, "template": "abd"}, generation(0))
