"""Builders: one small function per kind of subtask, registered by name (see ``base.py``)."""
from .base import BuildContext, Built, builder_names, get_builder, register

__all__ = ["BuildContext", "Built", "builder_names", "get_builder", "register"]
