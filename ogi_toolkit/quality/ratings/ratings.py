"""Human ratings of generated pairs: the items to rate, their order, and ``ratings.jsonl``.

``ratings.jsonl`` (in the dataset folder) holds one line per rater and item: ``id``, ``rater``,
``criteria`` ({criterion: score on the rubric's scale}), ``passed``, ``score`` (the rubric's
weighted score, 0-1), ``questions`` ([{question, answer}]: the spec's checklist, "yes", "no" or
null), ``rubric``, ``scale``, ``subtask`` and ``created_at``. A skipped item has a line with
``skipped`` true, empty ``criteria`` and ``passed`` null, so the rater moves on past it. Lines
are appended whole, like the manifest (a torn last line is cut off, never read); the latest line
per (rater, id) wins, so going back and rating again corrects a rating without losing the old.
A skip never hides a saved rating (going back to a rated item and skipping it keeps the rating);
only an explicit undo, a line with ``undone`` true, takes a rating back.

:class:`RatingSession` is the panel without its widgets (``ogi_toolkit.widgets.RatingPanel``
shows it): the order of the items, where a rater stopped, save, skip and back.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ...folder import MANIFEST_NAME, RATINGS_NAME, append_jsonl, iter_ratings, read_checks, read_judgments, read_manifest
from ...spec import InstructionSpec
from ..judge.checklist import questions as checklist_questions
from ..judge.checklist import turn_questions
from ..judge.images import ItemImageError, image_path
from ..judge.prompt import prompt_kind
from ..judge.rubric import Criterion, Rubric, load_rubric

__all__ = ["RatingItem", "RatingSession", "failed_ids", "latest_ratings",
           "load_ratings", "make_rating", "rating_items", "rating_order", "validate_rater"]

JUDGE_RATER = "judge"  # the judge's name in agreement tables, so no person may take it
MAX_RATER_LENGTH = 64


@dataclass(frozen=True)
class RatingItem:
    """What a rater sees of one finished item. Image paths are resolved inside the dataset folder."""

    id: str
    subtask: str
    kind: str  # "generation" | "editing": which rubric criteria apply
    prompt_kind: str  # "generation" | "single_edit" | "reference" | "multi_turn"
    instruction: str
    source: Path | None  # the input image of an edit
    reference: Path | None  # the second input of a reference edit
    output: Path | None
    turns: tuple[tuple[str, Path | None], ...]  # multi-turn: (turn instruction, that turn's output)
    questions: tuple[str, ...]
    question_turns: tuple[int | None, ...] = ()  # multi-turn: the turn (1, 2, ...) each question checks


def validate_rater(rater: Any) -> str:
    """The rater's name, stripped; a clear error for an empty, over-long or reserved one."""
    if not isinstance(rater, str) or not rater.strip():
        raise ValueError(f"rater {rater!r}: expected a non-empty name")
    name = rater.strip()
    if len(name) > MAX_RATER_LENGTH or any(ch in name for ch in "\n\r\t"):
        raise ValueError(f"rater {name[:MAX_RATER_LENGTH]!r}: expected one line of at most {MAX_RATER_LENGTH} characters")
    if name.lower() == JUDGE_RATER:
        raise ValueError(f"rater {name!r}: the name {JUDGE_RATER!r} is the VLM judge's in agreement tables; pick another")
    return name


def _optional_image(root: Path, rel: str | None, what: str) -> Path | None:
    if not rel:
        return None
    try:
        return image_path(root, rel, what)
    except ItemImageError:
        return None  # shown as "missing"; a path leading out of the folder is never read


def _item(record: dict[str, Any], root: Path) -> RatingItem:
    spec = InstructionSpec.model_validate(record["spec"])
    inputs = list(record.get("input_images") or [])
    turn_images = list(record.get("turn_images") or [])
    turns = tuple((turn.instruction, _optional_image(root, turn_images[k] if k < len(turn_images) else None, f"turn {k + 1}"))
                  for k, turn in enumerate(spec.turns))
    return RatingItem(
        id=record["id"], subtask=spec.subtask, kind=spec.kind, prompt_kind=prompt_kind(spec),
        instruction=record.get("instruction") or spec.instruction,
        source=_optional_image(root, inputs[0] if inputs and spec.kind == "editing" else None, "input"),
        reference=_optional_image(root, inputs[1] if len(inputs) > 1 else None, "reference"),
        output=_optional_image(root, record.get("output_image"), "output"),
        turns=turns, questions=tuple(checklist_questions(spec)), question_turns=_question_turns(spec))


def _question_turns(spec: InstructionSpec) -> tuple[int | None, ...]:
    if not spec.turns:
        return tuple(None for _ in checklist_questions(spec))
    return tuple(k for k, asked in enumerate(turn_questions(spec), start=1) for _ in asked)


def rating_items(path: str | Path) -> list[RatingItem]:
    """Every finished item of a dataset folder, in manifest order."""
    root = Path(path).resolve()
    if not (root / MANIFEST_NAME).is_file():
        raise FileNotFoundError(f"no manifest at {root / MANIFEST_NAME}: expected a folder written by `ogi generate`")
    items = []
    for record in read_manifest(root):
        if record.get("status") != "done":
            continue
        try:
            items.append(_item(record, root))
        except ValueError as exc:  # a spec that does not validate: not something a person can rate
            raise ValueError(f"{root / MANIFEST_NAME}: item {record.get('id')!r} has an invalid spec: {exc}") from None
    return items


def failed_ids(path: str | Path) -> set[str]:
    """Items that the offline checks (``checks.jsonl``) or the judge (``judgments.jsonl``) failed."""
    root = Path(path)
    failed: set[str] = set()
    for latest in (read_checks(root), read_judgments(root)):
        failed |= {item_id for item_id, line in latest.items() if line.get("passed") is False}
    return failed


def _stratified(items: list[RatingItem], rng: random.Random) -> list[RatingItem]:
    """Round robin over subtasks (each shuffled), so any first N items spread over the subtasks."""
    groups: dict[str, list[RatingItem]] = {}
    for item in items:
        groups.setdefault(item.subtask, []).append(item)
    queues = []
    for subtask in sorted(groups):
        group = groups[subtask][:]
        rng.shuffle(group)
        queues.append(group)
    out = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def rating_order(items: list[RatingItem], *, seed: int = 0, failures_first: bool = False,
                 failed: set[str] = frozenset(), n: int | None = None) -> list[RatingItem]:
    """The items in the order to rate them: stratified by subtask; with ``failures_first``, the
    ``failed`` ones (stratified among themselves) before the rest; the first ``n`` of them when
    given (a sample as even over subtasks as the counts allow). Same inputs, same order."""
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"n = {n!r}: expected a whole number of items to rate, at least 1")
    rng = random.Random(seed)
    if failures_first:
        first = [item for item in items if item.id in failed]
        rest = [item for item in items if item.id not in failed]
        order = _stratified(first, rng) + _stratified(rest, rng)
    else:
        order = _stratified(items, rng)
    return order[:n]


def latest_ratings(path: str | Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(rater, id) -> the latest line of ``ratings.jsonl`` (skips included), except that a skip
    after a rating leaves the rating, and an ``undone`` line removes what was there."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for line in iter_ratings(path):
        key = (line["rater"], line["id"])
        if line.get("undone"):
            latest.pop(key, None)
        elif not (line.get("skipped") and key in latest and not latest[key].get("skipped")):
            latest[key] = line
    return latest


def load_ratings(path: str | Path, *, include_skipped: bool = False) -> pd.DataFrame:
    """One row per (rater, item): ``id``, ``rater``, ``passed``, ``score`` and one ``rating_<criterion>``
    column per criterion (on the rubric's scale)."""
    rows = []
    for line in latest_ratings(path).values():
        if line.get("skipped") and not include_skipped:
            continue
        row = {"id": line["id"], "rater": line["rater"], "passed": line.get("passed"), "score": line.get("score"),
               "skipped": bool(line.get("skipped")), "subtask": line.get("subtask")}
        row.update({f"rating_{name}": value for name, value in (line.get("criteria") or {}).items()})
        rows.append(row)
    return pd.DataFrame(rows)


def _criteria_scores(item: RatingItem, rubric: Rubric, criteria: dict[str, Any]) -> dict[str, int]:
    wanted = [c.name for c in rubric.for_kind(item.kind)]
    unknown = sorted(set(criteria) - set(wanted))
    if unknown:
        raise ValueError(f"item {item.id}: criteria {unknown} are not in rubric {rubric.name!r} for {item.kind} items "
                         f"(expected {wanted})")
    missing = [name for name in wanted if criteria.get(name) is None]
    if missing:
        raise ValueError(f"item {item.id}: no score for {missing}")
    out = {}
    for name in wanted:
        value = criteria[name]
        if isinstance(value, bool) or not isinstance(value, int) or not rubric.scale.min <= value <= rubric.scale.max:
            raise ValueError(f"item {item.id}: criterion {name} = {value!r}, expected a whole number from "
                             f"{rubric.scale.min} to {rubric.scale.max}")
        out[name] = value
    return out


def make_rating(item: RatingItem, rater: str, rubric: Rubric, *, criteria: dict[str, Any] | None = None,
                passed: bool | None = None, answers: list[str | None] | None = None,
                skipped: bool = False) -> dict[str, Any]:
    """The ``ratings.jsonl`` line of one rating (validated). ``passed`` None: the rubric decides."""
    rater = validate_rater(rater)
    answers = list(answers) if answers is not None else [None] * len(item.questions)
    if len(answers) != len(item.questions) or any(a not in ("yes", "no", None) for a in answers):
        raise ValueError(f"item {item.id}: expected {len(item.questions)} answers of 'yes', 'no' or None, got {answers!r}")
    line: dict[str, Any] = {"id": item.id, "rater": rater, "subtask": item.subtask, "rubric": rubric.name,
                            "scale": {"min": rubric.scale.min, "max": rubric.scale.max}, "created_at": time.time()}
    if skipped:
        return {**line, "criteria": {}, "passed": None, "score": None, "questions": [], "skipped": True}
    scores = _criteria_scores(item, rubric, criteria or {})
    score = rubric.score(item.kind, scores)[0]
    if passed is None:
        passed = score >= rubric.pass_threshold
    if not isinstance(passed, bool):
        raise ValueError(f"item {item.id}: passed = {passed!r}, expected true or false")
    return {**line, "criteria": scores, "passed": passed, "score": score,
            "questions": [{"question": q, "answer": a} for q, a in zip(item.questions, answers)], "skipped": False}


class RatingSession:
    """One rater going through a dataset folder's items: the panel's state, without widgets.

    The order is :func:`rating_order` of the folder's finished items; the session starts at the
    first item this rater has no line for (so it resumes where they stopped). ``save`` and
    ``skip`` append a line and move on (a skip of an item already rated appends nothing: the
    rating stays); ``back`` goes to the previous item, whose last rating :meth:`existing` gives
    back; ``undo`` takes the current item's rating back.
    """

    def __init__(self, path: str | Path, rater: str, *, rubric: str | Path | Rubric | None = None, seed: int = 0,
                 failures_first: bool = False, n: int | None = None):
        self.path = Path(path)
        self.rubric = load_rubric(rubric)
        items = rating_items(self.path)
        self.order = rating_order(items, seed=seed, failures_first=failures_first,
                                  failed=failed_ids(self.path) if failures_first else frozenset(), n=n)
        self.rater = validate_rater(rater)
        self.position = self.resume_position()

    def set_rater(self, rater: str) -> None:
        """Another rater: the session moves to where that rater stopped."""
        self.rater = validate_rater(rater)
        self.position = self.resume_position()

    def resume_position(self) -> int:
        done = {item_id for rater, item_id in latest_ratings(self.path) if rater == self.rater}
        return next((k for k, item in enumerate(self.order) if item.id not in done), len(self.order))

    @property
    def finished(self) -> bool:
        return self.position >= len(self.order)

    def current(self) -> RatingItem | None:
        return None if self.finished else self.order[self.position]

    def criteria(self, item: RatingItem) -> tuple[Criterion, ...]:
        return self.rubric.for_kind(item.kind)

    def existing(self, item: RatingItem | None = None) -> dict[str, Any] | None:
        """This rater's latest line for ``item`` (default: the current one), or None."""
        item = item or self.current()
        return latest_ratings(self.path).get((self.rater, item.id)) if item else None

    def save(self, criteria: dict[str, Any], *, passed: bool | None = None,
             answers: list[str | None] | None = None) -> dict[str, Any]:
        item = self._require_current()
        line = make_rating(item, self.rater, self.rubric, criteria=criteria, passed=passed, answers=answers)
        append_jsonl(self.path / RATINGS_NAME, line)
        self.position += 1
        return line

    def skip(self) -> dict[str, Any]:
        """Move on without rating; returns the skip line, or the saved rating it leaves alone."""
        item = self._require_current()
        saved = self.existing(item)
        if saved is not None and not saved.get("skipped"):
            self.position += 1
            return saved
        line = make_rating(item, self.rater, self.rubric, skipped=True)
        append_jsonl(self.path / RATINGS_NAME, line)
        self.position += 1
        return line

    def undo(self) -> dict[str, Any] | None:
        """Take back this rater's rating (or skip) of the current item, which stays on screen to
        be rated again; None when there is nothing to take back."""
        item = self._require_current()
        if self.existing(item) is None:
            return None
        line = {"id": item.id, "rater": self.rater, "undone": True, "created_at": time.time()}
        append_jsonl(self.path / RATINGS_NAME, line)
        return line

    def back(self) -> None:
        self.position = max(0, self.position - 1)

    def _require_current(self) -> RatingItem:
        item = self.current()
        if item is None:
            raise ValueError(f"{self.rater} has rated all {len(self.order)} items of {self.path}")
        return item
