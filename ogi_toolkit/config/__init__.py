"""Configuration as validated data: models, sizes, qualities and prices (``models.yaml``)."""
from .models import DEFAULT_MODELS_FILE, LOCAL, LOCAL_MODELS_FILE, ChatModel, ImageModel, ModelsConfig, load_models_config

__all__ = ["DEFAULT_MODELS_FILE", "LOCAL", "LOCAL_MODELS_FILE", "ChatModel", "ImageModel", "ModelsConfig", "load_models_config"]
