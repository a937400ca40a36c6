"""Builders of the editing subtasks: one module per domain, each registers its builders."""
__all__: list[str] = []
