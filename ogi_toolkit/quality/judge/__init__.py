"""The VLM judge: score each generated pair on a rubric and a checklist made from its spec.

``judge("data/run1", judge_model="gpt-4o-mini")`` (or ``ogi judge data/run1 --judge-model
MODEL``) writes ``data/run1/judgments.jsonl``: per item ``id``, ``judge``, ``score`` (weighted,
0-1), ``passed``, ``criteria`` ({name: 0-1}), ``reasons``, ``questions`` ([{question, answer}])
and ``error`` (set, with no score, when no judgment could be had). Rubrics are data files
(:func:`load_rubric`); prompts are template files, one per kind of item (``prompts/``).
:func:`load_judgments` reads the results back as a table.
"""
from .checklist import questions
from .prompt import prompt_kind, render_prompt
from .reply import UnreadableReply, parse_reply, reply_schema
from .results import load_judgments
from .rubric import DEFAULT_RUBRIC, Rubric, load_rubric
from .run import JudgeSummary, ajudge, judge

__all__ = ["DEFAULT_RUBRIC", "JudgeSummary", "Rubric", "UnreadableReply", "ajudge", "judge",
           "load_judgments", "load_rubric", "parse_reply", "prompt_kind", "questions", "render_prompt", "reply_schema"]
