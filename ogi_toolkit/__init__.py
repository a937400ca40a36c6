"""ogi-toolkit: build, generate and analyse instruction datasets for image generation and editing."""
from .spec import Edit, InstructionSpec, Reference, Relation, Scene, SceneObject, TextItem, Turn

__all__ = [
    "Edit",
    "InstructionSpec",
    "Reference",
    "Relation",
    "Scene",
    "SceneObject",
    "TextItem",
    "Turn",
]
