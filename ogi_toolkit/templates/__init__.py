"""The template layer: builders fill slots from pools, Jinja2 templates turn them into text."""
from .engine import compile_subtask, render_text
from .grammar import a, cap, count_phrase, join_and, join_or, number_word, plural, the
from .sampler import rebuild, sample

__all__ = [
    "a", "cap", "count_phrase", "join_and", "join_or", "number_word", "plural", "the",
    "compile_subtask", "render_text", "rebuild", "sample",
]
