"""The models-and-prices file: schema and loader.

Model names, sizes, qualities and prices are data (``models.yaml`` beside this file) because
models are retired and prices change faster than code. A user passes their own file; it is
validated here at load time, so a typo fails at once with the file, the key and what was
expected, not hours into a paid run.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..definition.yaml_files import load_yaml_file, validated_mapping

DEFAULT_MODELS_FILE = Path(__file__).resolve().parent / "models.yaml"
LOCAL = "local"  # --config local: the free local server's prices
LOCAL_MODELS_FILE = Path(__file__).resolve().parent / "local-models.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ImagePrices(_Strict):
    text_input_per_mtok: float = Field(ge=0)  # USD per million text input tokens
    image_input_per_mtok: float = Field(ge=0)  # USD per million image input tokens
    output_per_mtok: float = Field(ge=0)  # USD per million output (image) tokens
    per_image: dict[str, dict[str, float]]  # quality -> size -> USD for one output image


class ImageModel(_Strict):
    sizes: list[str] = Field(min_length=1)
    qualities: list[str] = Field(min_length=1)
    prices: ImagePrices

    @model_validator(mode="after")
    def _prices_use_known_names(self) -> "ImageModel":
        for quality, by_size in self.prices.per_image.items():
            if quality not in self.qualities:
                raise ValueError(f"per_image quality {quality!r} is not one of qualities {self.qualities}")
            unknown = sorted(set(by_size) - set(self.sizes))
            if unknown:
                raise ValueError(f"per_image.{quality} sizes {unknown} are not in sizes {self.sizes}")
        return self


class ChatModel(_Strict):
    input_per_mtok: float = Field(ge=0)
    output_per_mtok: float = Field(ge=0)


class Defaults(_Strict):
    image_model: str
    chat_model: str
    quality: str
    size: str


class Estimates(_Strict):
    chars_per_token: float = Field(gt=0)
    input_image_tokens: int = Field(ge=0)
    rewrite_input_tokens: int = Field(ge=0)
    rewrite_output_tokens: int = Field(ge=0)


class ModelsConfig(_Strict):
    defaults: Defaults
    batch_discount: float = Field(gt=0, le=1)
    estimates: Estimates
    image_models: dict[str, ImageModel] = Field(min_length=1)
    chat_models: dict[str, ChatModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _defaults_exist(self) -> "ModelsConfig":
        d = self.defaults
        if d.image_model not in self.image_models:
            raise ValueError(f"defaults.image_model {d.image_model!r} is not one of image_models {sorted(self.image_models)}")
        if d.chat_model not in self.chat_models:
            raise ValueError(f"defaults.chat_model {d.chat_model!r} is not one of chat_models {sorted(self.chat_models)}")
        model = self.image_models[d.image_model]
        if d.quality not in model.qualities:
            raise ValueError(f"defaults.quality {d.quality!r} is not one of {model.qualities}")
        if d.size not in model.sizes:
            raise ValueError(f"defaults.size {d.size!r} is not one of {model.sizes}")
        return self


def load_models_config(path: str | Path | None = None) -> ModelsConfig:
    """Read and validate a models file: the packaged ``models.yaml`` (OpenAI's prices) when
    ``path`` is None, the packaged ``local-models.yaml`` (every price 0, for a free local
    server such as ``ogi serve``) when it is ``"local"``."""
    path = LOCAL_MODELS_FILE if path == LOCAL else Path(path) if path is not None else DEFAULT_MODELS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"models config {path} does not exist")
    return validated_mapping(ModelsConfig, load_yaml_file(path, "models config"), "models config", path)
