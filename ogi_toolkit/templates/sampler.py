"""Sampling instruction specs for one subtask: builder -> template -> InstructionSpec.

Every item has its own seed, derived from (seed, subtask, grade, attempt) with numpy's
SeedSequence, and recorded in the spec; the item's generator is a function of that seed alone
(``item_rng``): ``rebuild(spec)`` gives the same item back, and a plan's items do not depend on
the order subtasks are drawn in.

Two items are the same when their subtask and canonical ``slots`` are equal: the template and
synonym choices (which live in the builder's ``words``) are ignored, so a plan never holds two
instructions that differ only in phrasing. Drawing is bounded: a subtask whose space is
exhausted stops early and reports how many it found, never loops forever.

Items are made as records (the spec's JSON as plain dicts: ``InstructionSpec.record``), kept
as JSON lines, and become ``InstructionSpec`` models only when asked for (``Draw.specs()``);
the first item of every grade is checked against the model as it is drawn.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import math
import random
import time
import weakref
from dataclasses import dataclass, field

import numpy as np
import orjson
from pydantic import BaseModel, ValidationError

from ..definition.taxonomy import Taxonomy, load_taxonomy
from ..spec import InstructionSpec
from .builders.base import BuildContext, Built
from .engine import CompiledSubtask, compile_subtask, render
from .grammar import using

__all__ = ["sample", "rebuild", "draw", "Draw", "item_seed", "item_rng", "dedup_key", "compiled", "default_pools", "estimate_capacity", "split", "BuildError", "gc_paused", "text_key",
           "render_each_template"]

# A grade stops after this many draws in a row gave nothing new (its space is exhausted) ...
STALL_LIMIT = 500
# ... or after ATTEMPTS_PER_ITEM draws per wanted item (+ a constant for small quotas).
ATTEMPTS_PER_ITEM = 4
ATTEMPTS_EXTRA = 200
# Repeats needed before the capacity estimate is trusted to stop a draw early (~20% precision).
MIN_REPEATS_TO_PROJECT = 25
# Once a grade falls short, later grades of the subtask are only probed with this many items.
PROBE_AFTER_SHORT = 500


class BuildError(ValueError):
    """A builder failed or returned something unusable; names subtask, builder and seed."""


def _stable_int(text: str) -> int:
    return int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "big")


def _seed_stream(seed: int, subtask_id: str, grade: int, n: int) -> np.ndarray:
    """The first ``n`` item seeds of (seed, subtask, grade): SeedSequence words, JSON-safe (< 2**53).

    A longer stream starts with the shorter one (SeedSequence words do not depend on ``n``), so
    attempt ``i`` always gets the same seed however many attempts a draw needs.
    """
    ss = np.random.SeedSequence([int(seed) & 0xFFFFFFFF, int(seed) >> 32 & 0xFFFFFFFF, _stable_int(subtask_id), int(grade)])
    return ss.generate_state(n, np.uint64) >> np.uint64(11)


def item_seed(seed: int, subtask_id: str, grade: int, attempt: int) -> int:
    """The seed of one item: independent of other subtasks and of the order they are drawn in."""
    return int(_seed_stream(seed, subtask_id, grade, attempt + 1)[attempt])


# One generator, re-seeded per item (a plain Mersenne Twister: a scalar draw costs ~0.1 us,
# where a numpy Generator's costs ~1-10; builders make a few dozen per item). Builders are pure
# functions of their context and keep no reference to ``ctx.rng`` after returning.
_RNG = random.Random()


def item_rng(seed: int) -> random.Random:
    """The generator of the item with seed ``seed``."""
    _RNG.seed(seed)
    return _RNG


def _plain(value):
    """numpy scalars and tuples -> JSON types (builders may hand back rng outputs)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def dedup_key(subtask_id: str, slots: dict) -> tuple[str, dict]:
    """(key, JSON-plain slots): the key is the subtask plus the canonical slots, sorted."""
    try:  # orjson: ~1 us where the json module's sorted encoding took ~9 (once per drawn item)
        text = orjson.dumps(slots, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # numpy scalars, tuples as keys...: made plain first
        slots = _plain(slots)
        text = orjson.dumps(slots, option=orjson.OPT_SORT_KEYS)
    return f"{subtask_id}|{text.decode()}", slots


def default_pools():
    from ..definition.pools import load_pools  # the pools module is optional for taxonomy-only use

    return load_pools()


_COMPILED: "weakref.WeakKeyDictionary[Taxonomy, dict[str, CompiledSubtask]]" = weakref.WeakKeyDictionary()


def compiled(taxonomy: Taxonomy, subtask_id: str) -> CompiledSubtask:
    """The compiled subtask (builder bound, templates compiled), cached per taxonomy object."""
    per_taxonomy = _COMPILED.setdefault(taxonomy, {})
    if subtask_id not in per_taxonomy:
        per_taxonomy[subtask_id] = compile_subtask(taxonomy.subtask(subtask_id))
    return per_taxonomy[subtask_id]


def _context(cs: CompiledSubtask, pools, grade: int) -> BuildContext:
    """The builder's context for every item of one grade: its ``rng`` is the one generator
    that ``item_rng`` re-seeds per item."""
    sub = cs.subtask
    return BuildContext(rng=_RNG, pools=pools, difficulty=grade, params=sub.params, subtask=sub.id, kind=sub.kind)


def _part(value):
    """A built part as its record (a builder may return models instead of records)."""
    return value.model_dump(exclude_none=True) if isinstance(value, BaseModel) else value


def _build(cs: CompiledSubtask, pools, seed: int, grade: int, seen: set | None = None,
           ctx: BuildContext | None = None) -> tuple[dict | None, str]:
    """The record of the item of ``seed`` and its dedup key; the record is None when the key
    is in ``seen`` (a repeat is found before paying for its rendering). ``ctx``: the grade's
    :func:`_context`, made once per grade by callers that build many items."""
    sub = cs.subtask
    rng = item_rng(seed)
    if ctx is None:
        ctx = _context(cs, pools, grade)
    try:
        built = cs.builder(ctx)
    except Exception as exc:  # name the item so the builder's author can replay it
        raise BuildError(f"subtask {sub.id!r}: builder {sub.builder!r} failed at difficulty {grade}, seed {seed}: {type(exc).__name__}: {exc}") from exc
    if not isinstance(built, Built):
        raise BuildError(f"subtask {sub.id!r}: builder {sub.builder!r} returned {type(built).__name__}, expected Built")
    key, slots = dedup_key(sub.id, built.slots)
    if seen is not None and key in seen:
        return None, key
    templates = cs.templates[grade]
    template_id, template = rng.choice(templates)
    try:
        with using(ctx.lexicon):  # the template filters' articles and plurals: these pools'
            text = render(template, {**slots, **built.words, "difficulty": grade})
    except Exception as exc:
        raise BuildError(f"{sub.file}: subtask {sub.id!r}, template {template_id!r} at difficulty {grade}, seed {seed}: {type(exc).__name__}: {exc}; builder {sub.builder!r} gave: {', '.join(sorted({*slots, *built.words}))}") from exc
    record = InstructionSpec.record(
        id=f"{sub.id}-{hashlib.sha1(f'{key}|{template_id}'.encode()).hexdigest()[:10]}",
        kind=sub.kind, domain=sub.domain, subtask=sub.id, template_id=template_id, difficulty=grade, seed=seed,
        instruction=text, slots=slots, scene=_part(built.scene), source=_part(built.source),
        edits=[_part(e) for e in built.edits], turns=[_part(t) for t in built.turns], reference=_part(built.reference))
    return record, key


def render_each_template(cs: CompiledSubtask, pools, grade: int, seed: int = 0) -> dict[str, str]:
    """Every template of ``grade`` rendered with the slots of one built item: the load-time
    check reads them, so a template that fails, breaks the render budget or says nothing is
    found before a plan draws it. A failed render raises :class:`BuildError` naming file,
    subtask and template."""
    sub = cs.subtask
    ctx = _context(cs, pools, grade)
    item_rng(seed)
    try:
        built = cs.builder(ctx)
    except Exception as exc:
        raise BuildError(f"{sub.file}: subtask {sub.id!r}: builder {sub.builder!r} failed at difficulty {grade}, "
                         f"seed {seed}: {type(exc).__name__}: {exc}") from exc
    _, slots = dedup_key(sub.id, built.slots)
    texts = {}
    with using(ctx.lexicon):
        for template_id, template in cs.templates[grade]:
            try:
                texts[template_id] = render(template, {**slots, **built.words, "difficulty": grade})
            except Exception as exc:
                raise BuildError(f"{sub.file}: subtask {sub.id!r}, template {template_id!r} at difficulty {grade}: "
                                 f"{type(exc).__name__}: {exc}") from exc
    return texts


def _checked(cs: CompiledSubtask, record: dict) -> InstructionSpec:
    """The record as a validated spec; a BuildError naming the builder and item if it is not one."""
    try:
        return InstructionSpec.model_validate(record)
    except (ValidationError, TypeError) as exc:
        sub = cs.subtask
        raise BuildError(f"subtask {sub.id!r}: builder {sub.builder!r} built an invalid spec (difficulty "
                         f"{record.get('difficulty')}, seed {record.get('seed')}): {exc}") from exc


@dataclass
class Draw:
    """What drawing one subtask gave: its items, and per grade how hard it was to get them.

    The items are held in one form, the plan file's: UTF-8 JSON lines, each ending with a
    newline (``lines``; made by orjson as each item is drawn). That is cheap to send to another
    process and to write out, and leaves nothing for the garbage collector to walk; ``specs()``
    parses them into validated models when they are wanted.
    """

    subtask: str
    wanted: dict[int, int] = field(default_factory=dict)
    attempts: dict[int, int] = field(default_factory=dict)
    found: dict[int, int] = field(default_factory=dict)
    cpu_s: float = 0.0  # CPU seconds the draw took (to find the costly builders)
    probed: set[int] = field(default_factory=set)  # grades only probed: an earlier grade fell short
    templates: set[str] = field(default_factory=set)  # template ids used
    lines: bytearray = field(default_factory=bytearray, repr=False)  # the items' JSON lines
    keys: list[str] = field(default_factory=list, repr=False)  # text_key of each item, in order

    def add(self, record: dict, text_key: str) -> None:
        """Append one item (its record and :func:`text_key`)."""
        self.lines += orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        self.keys.append(text_key)
        self.templates.add(record["template_id"])

    def specs(self) -> list[InstructionSpec]:
        """The items as validated models (parsed anew on every call)."""
        return [InstructionSpec.model_validate_json(line) for line in self.lines.splitlines()]

    def validate(self) -> None:
        """Check every line against the spec model (drawing checks only each grade's first
        item); a BuildError names the subtask, the line and what is wrong."""
        for number, line in enumerate(self.lines.splitlines(), start=1):
            try:
                InstructionSpec.model_validate_json(line)
            except ValidationError as exc:
                raise BuildError(f"subtask {self.subtask!r}: item {number} of its draw is not a valid spec: {exc}") from None

    def __len__(self) -> int:
        return len(self.keys)

    def json_text(self) -> bytes:
        """One UTF-8 JSON line per spec, each ending with a newline: what a plan file holds."""
        return bytes(self.lines)

    def json_lines(self) -> list[str]:
        """One JSON line per spec (without the newline): ``InstructionSpec.to_json``'s text.
        (JSON escapes newlines in strings: a line break always ends a spec.)"""
        return self.lines.decode().splitlines()

    def text_keys(self) -> list[str]:
        """The :func:`text_key` of every spec, in order."""
        return self.keys

    @property
    def short_grades(self) -> list[int]:
        """Grades that could not be filled (probed grades excluded: they were not tried in full)."""
        return [g for g in self.attempts if self.found[g] < self.wanted[g] and g not in self.probed]

    @property
    def short(self) -> bool:
        return len(self) < sum(self.wanted.values())


def estimate_capacity(draws: int, distinct: int) -> float:
    """Size N of a space from ``distinct`` items seen in ``draws`` uniform draws.

    Solves distinct = N (1 - exp(-draws / N)). Non-uniform builders make this an
    under-estimate of the space (an estimate of its effective size).
    """
    if distinct >= draws or distinct == 0:
        return math.inf if distinct else 0.0
    lo, hi = float(distinct), float(distinct)
    while hi * -math.expm1(-draws / hi) < distinct:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if mid * -math.expm1(-draws / mid) < distinct:
            lo = mid
        else:
            hi = mid
    return hi


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic GC: a plan keeps ~10^5 specs alive, and every full collection would walk
    them all again (a third of the engine's time) while drawing makes no cycles worth collecting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def text_key(spec: InstructionSpec | dict) -> str:
    """Same words for the same input image: an exact duplicate even if the slots differ."""
    if isinstance(spec, dict):
        return f"text|{spec['instruction']}|{(spec.get('source') or {}).get('description') or ''}"
    source = spec.source.description if spec.source is not None else ""
    return f"text|{spec.instruction}|{source or ''}"


def _draw_grade(cs: CompiledSubtask, pools, grade: int, need: int, seed: int, seen: set, result: Draw) -> tuple[int, int]:
    """Append up to ``need`` new items of one grade to ``result``; returns (attempts, found).
    The first one is checked against the spec model (a builder's records are not, one by one).

    Besides the attempt and stall limits, a quota far beyond the space stops early: at
    doubling checkpoints, once repeats make the estimate meaningful, a draw whose projected
    yield within the attempt limit falls short of ``need`` stops (minutes, not hours, for an
    impossible quota of millions).
    """
    got = attempts = stall = 0
    limit = ATTEMPTS_PER_ITEM * need + ATTEMPTS_EXTRA
    checkpoint = 2000
    seeds = _seed_stream(seed, cs.subtask.id, grade, min(limit, 2 * need + 64)).tolist()
    ctx = _context(cs, pools, grade)
    while got < need and attempts < limit and stall < STALL_LIMIT:
        if attempts == len(seeds):  # a hard subtask: extend the stream (same prefix)
            seeds = _seed_stream(seed, cs.subtask.id, grade, min(limit, 2 * len(seeds))).tolist()
        record, key = _build(cs, pools, seeds[attempts], grade, seen, ctx)
        attempts += 1
        same_text = text_key(record) if record is not None else None
        if record is None or same_text in seen:
            stall += 1
            continue
        if got == 0:
            _checked(cs, record)
        seen.add(key)
        seen.add(same_text)
        result.add(record, same_text)
        got += 1
        stall = 0
        if attempts >= checkpoint:
            checkpoint *= 2
            if attempts - got >= MIN_REPEATS_TO_PROJECT:
                space = estimate_capacity(attempts, got)
                if space * -math.expm1(-limit / space) < need:
                    break
    return attempts, got


def draw(cs: CompiledSubtask, pools, wanted: dict[int, int], seed: int, *, seen: set | None = None) -> Draw:
    """Draw ``wanted[grade]`` distinct items per grade; stops early when a grade is exhausted.

    An item is a repeat when its dedup key (subtask + canonical slots) or its exact text (with
    the source image's description, for edits) was seen before; ``seen`` may be shared across
    subtasks so a whole plan has no exact duplicates.
    """
    seen = set() if seen is None else seen
    result = Draw(cs.subtask.id, wanted=dict(wanted))
    started = time.process_time()
    with gc_paused():
        for grade, need in wanted.items():
            if need <= 0:
                continue
            if result.short_grades and need > PROBE_AFTER_SHORT:
                # the subtask already fails its quota: a probe is enough, not the whole grade
                need = PROBE_AFTER_SHORT
                result.probed.add(grade)
            result.attempts[grade], result.found[grade] = _draw_grade(cs, pools, grade, need, seed, seen, result)
    result.cpu_s = time.process_time() - started
    return result


def split(n: int, shares: dict[int, float]) -> dict[int, int]:
    """``n`` split by ``shares`` with largest-remainder rounding (the counts sum to ``n``)."""
    total = sum(shares.values())
    if n <= 0 or total <= 0:
        return {k: 0 for k in shares}
    exact = {k: n * v / total for k, v in shares.items()}
    out = {k: int(math.floor(x)) for k, x in exact.items()}
    order = sorted(shares, key=lambda k: (-(exact[k] - out[k]), list(shares).index(k)))
    for k in order[: n - sum(out.values())]:
        out[k] += 1
    return out


def sample(subtask_id: str, n: int = 5, seed: int = 0, difficulty: int | None = None, *, taxonomy: Taxonomy | None = None, pools=None) -> list[InstructionSpec]:
    """``n`` distinct instruction specs of one subtask (fewer only if its space is smaller).

    ``difficulty`` fixes the grade; by default grades follow the subtask's ``difficulty_mix``.
    """
    taxonomy = taxonomy or load_taxonomy()
    pools = pools if pools is not None else default_pools()
    cs = compiled(taxonomy, subtask_id)
    if difficulty is None:
        wanted = split(n, cs.subtask.mix())
    elif difficulty in cs.templates:
        wanted = {int(difficulty): n}
    else:
        raise ValueError(f"subtask {subtask_id!r} has difficulty grades {list(cs.subtask.grades)}, not {difficulty}")
    return draw(cs, pools, wanted, seed).specs()


def rebuild(spec: InstructionSpec, *, taxonomy: Taxonomy | None = None, pools=None) -> InstructionSpec:
    """The item ``spec`` was built from its recorded subtask, difficulty and seed."""
    taxonomy = taxonomy or load_taxonomy()
    pools = pools if pools is not None else default_pools()
    cs = compiled(taxonomy, spec.subtask)
    return _checked(cs, _build(cs, pools, spec.seed, spec.difficulty)[0])
