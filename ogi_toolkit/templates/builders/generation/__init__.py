"""Builders of the generation subtasks: one module per domain, each registers its builders."""
__all__: list[str] = []
