"""The models-and-prices file is validated at load, with errors naming file, key and expectation."""
from __future__ import annotations

import pytest
import yaml

from ogi_toolkit.config import DEFAULT_MODELS_FILE, load_models_config


def test_the_packaged_file_loads_with_consistent_defaults():
    config = load_models_config()
    d = config.defaults
    assert d.image_model in config.image_models and d.chat_model in config.chat_models
    assert config.image_models["gpt-image-1"].prices.per_image["low"]["1024x1024"] == 0.011
    assert 0 < config.batch_discount <= 1


def _write(tmp_path, change) -> str:
    raw = yaml.safe_load(DEFAULT_MODELS_FILE.read_text())
    change(raw)
    path = tmp_path / "models.yaml"
    path.write_text(yaml.safe_dump(raw))
    return str(path)


@pytest.mark.parametrize("change, message", [
    (lambda r: r["defaults"].update(image_model="gpt-image-9"), r"defaults.image_model 'gpt-image-9' is not one of"),
    (lambda r: r["image_models"]["gpt-image-1"]["prices"]["per_image"].update(ultra={"1024x1024": 1}),
     r"image_models.gpt-image-1.*quality 'ultra' is not one of qualities"),
    (lambda r: r["image_models"]["gpt-image-1"]["prices"].update(output_per_mtok=-1), r"output_per_mtok.*greater than or equal"),
    (lambda r: r.update(batch_discount=2), r"batch_discount"),
    (lambda r: r["chat_models"]["gpt-4o"].update(typo=1), r"chat_models.gpt-4o.typo: Extra inputs"),
])
def test_a_bad_file_names_the_file_the_key_and_the_expectation(tmp_path, change, message):
    path = _write(tmp_path, change)
    with pytest.raises(ValueError, match=message) as info:
        load_models_config(path)
    assert path in str(info.value)


def test_missing_and_unparsable_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.yaml does not exist"):
        load_models_config(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("defaults: [unclosed\n")
    with pytest.raises(ValueError, match=r"models config \S*bad.yaml line 2 column 1: not valid YAML"):
        load_models_config(bad)
