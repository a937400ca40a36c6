"""Helpers shared by the generation builders: dressing pool objects with attributes.

A ``Thing`` is one pool object (or a group of ``count`` identical ones) with the qualifiers
sampled for it. It knows three views of itself: the surface phrase a template prints
("small glossy red ceramic mug"), the canonical ids that go into a spec's ``slots`` (what
dedup compares), and the ``SceneObject`` a renderer draws.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Sequence

from ogi_toolkit.definition.pool_items import item_fields
from ogi_toolkit.spec import SceneObject
from ogi_toolkit.templates.grammar import a, number_word
from ogi_toolkit.templates.item_random import pick

SIZE_RANK = {"tiny": 1, "small": 2, "medium": 3, "large": 4, "huge": 5}

# Attribute names a builder may ask ``dress`` for, in English adjective order
# (size, physical quality, colour, material: "a small glossy red ceramic mug").
ATTRIBUTES = ("size", "texture", "colour", "material")


def indices(rng, n: int, k: int) -> list[int]:
    """``k`` distinct indices below ``n``, in draw order (rejection of repeats)."""
    if k > n:
        raise ValueError(f"cannot draw {k} distinct indices from {n}")
    out: list[int] = []
    while len(out) < k:
        i = int(rng.next_float() * n)
        if i not in out:
            out.append(i)
    return out


def sample_of(rng, items: Sequence, k: int = 1, exclude: Sequence[str] = (), what: str = "items") -> list:
    """``k`` distinct elements of ``items`` (pool items) whose ids are not in ``exclude``."""
    banned = set(exclude)
    n = len(items)
    out: list = []
    seen: set[int] = set()
    while len(out) < k:
        if len(seen) == n:
            raise ValueError(f"{what}: {n - sum(i.id in banned for i in items)} match after excluding "
                             f"{sorted(banned)}; {k} needed")
        i = int(rng.next_float() * n)
        if i in seen:
            continue
        seen.add(i)
        if items[i].id not in banned:
            out.append(items[i])
    return out


@dataclass
class Thing:
    item: Any  # ObjectItem
    size: Any = None  # SizeItem
    texture: Any = None  # TextureItem
    colour: Any = None  # ColourItem
    material: Any = None  # MaterialItem
    count: int = 1
    action: str | None = None  # surface action phrase, when the object does something
    extra: dict = field(default_factory=dict)  # more canonical attributes (shade, state, ...)
    colour_in_phrase: bool = True  # False when the template names the colour itself

    def adjectives(self) -> list[str]:
        words = [getattr(self.size, "name", None), getattr(self.texture, "name", None),
                 getattr(self.colour, "name", None) if self.colour_in_phrase else None,
                 getattr(self.material, "adjective", None)]
        return [w for w in words if w]

    @property
    def phrase(self) -> str:
        """Singular phrase without article: "small red wooden chair"."""
        return " ".join(self.adjectives() + [self.item.name])

    @property
    def plural_phrase(self) -> str:
        return " ".join(self.adjectives() + [self.item.plural])

    @property
    def counted(self) -> str:
        """"three red apples" / "one red apple" (the count as a word)."""
        noun = self.phrase if self.count == 1 else self.plural_phrase
        return f"{number_word(self.count)} {noun}"

    def slot(self) -> dict:
        """Canonical ids of this thing (what makes two specs the same)."""
        out = {"object": self.item.id}
        for name in ATTRIBUTES:
            value = getattr(self, name)
            if value is not None:
                out[name] = value.id
        if self.count != 1:
            out["count"] = self.count
        out.update(self.extra)
        return out

    def scene_object(self, **attributes: str) -> SceneObject:
        attrs = {"texture": self.texture.name} if self.texture is not None else {}
        attrs.update({k: str(v) for k, v in self.extra.items()})
        attrs.update(attributes)
        return SceneObject.record(
            name=self.item.name, category=self.item.category, count=self.count,
            colour=getattr(self.colour, "name", None), material=getattr(self.material, "name", None),
            size=getattr(self.size, "name", None), action=self.action, attributes=attrs)


def dress(ctx, item, attributes: Sequence[str] = (), count: int = 1) -> Thing:
    """``item`` with the requested attributes, each sampled among plausible values.

    Colours come from the object's plausible colours (any colour when it lists none, but
    never for animate things without a list: a green person is not what was asked);
    materials only from the object's plausible materials; a requested attribute that has no
    plausible value is skipped, so callers must read what they got from the Thing.
    """
    thing = Thing(item=item, count=count)
    rng, pools = ctx.rng, ctx.pools
    # The material is drawn before the texture, which must suit it (no "knitted steel").
    for name in sorted(attributes, key=lambda n: n == "texture"):
        if name in ("colour", "material"):
            options = memo(ctx, (name, item.id), lambda n=name: _plausible(ctx, item, n))
            if options:
                setattr(thing, name, pick(rng, options))
        elif name == "size":
            thing.size = pick(rng, pools["sizes"])
        elif name == "texture" and not item.animate:
            options = _textures(ctx, item, thing.material)
            if options:
                thing.texture = pick(rng, options)
    if thing.material is not None and getattr(thing.colour, "family", None) == "metallic":
        thing.colour = None  # "a gold steel kettle": the material already says how it looks
    return thing


def _plausible(ctx, item, attribute: str) -> tuple:
    """The colours or materials that suit ``item``, without any its name already says
    (no "orange orange", "lavender lavender bush" or "paper paper lantern")."""
    named = set(re.split(r"[\s-]+", item.name.lower()))
    if attribute == "colour":
        drawable = memo(ctx, "colour_ids", lambda: frozenset(c.id for c in ctx.pools["colours"]))
        ids = item.colours or (() if item.animate else tuple(c.id for c in ctx.pools["colours"]))
        # only colours the pool draws from (a pool restricted in the prototyping panel is honoured)
        options = (ctx.pools.get("colours", i) for i in ids if i in drawable)
        return tuple(c for c in options if not set(c.name.lower().split()) & named)
    options = (ctx.pools.get("materials", i) for i in item.materials)
    return tuple(m for m in options if not set(re.split(r"[\s-]+", f"{m.adjective} {m.name}".lower())) & named)


def _textures(ctx, item, material) -> tuple:
    """Textures that suit the material (or, with none chosen, one of the item's materials).
    A texture may list the material ``families`` it suits; none listed means any."""
    if material is not None:
        families = frozenset((material.family,))
    else:
        families = memo(ctx, ("material_families", item.id), lambda: frozenset(
            ctx.pools.get("materials", m).family for m in item.materials))

    def compute():
        textures = ctx.pools["textures"]
        if not textures or "families" not in item_fields(type(textures[0])):
            return textures
        return tuple(t for t in textures if not t.families or families & set(t.families))
    return memo(ctx, ("textures", families), compute)


def draw(ctx, pool: str, k: int = 1, exclude: Sequence[str] = (), **where) -> list:
    """``k`` distinct items of ``pool`` matching ``where`` (values: scalars or tuples/lists of
    allowed values), not in ``exclude``. Candidate lists are memoised per filter."""
    # Keyword order is fixed at each call site, so the key needs no sorting.
    key = (pool, *((f, tuple(v) if type(v) is list else v) for f, v in where.items()))
    candidates = memo(ctx, key, lambda: ctx.pools.filter(pool, **where))
    return sample_of(ctx.rng, candidates, k, exclude, what=f"pool {pool!r} filtered by {where or 'nothing'}")


def objects(ctx, k: int, exclude: Sequence[str] = (), **where) -> list:
    """``k`` distinct pool objects matching ``where`` (countable ones unless told)."""
    where.setdefault("countable", True)
    return draw(ctx, "objects", k, exclude, **where)


_MEMO: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
# The last pools object's cache: a plan uses one pools object, and a WeakKeyDictionary lookup
# makes a new weak reference on every call (~40 lookups per item).
_LAST: tuple = (lambda: None, {})


def memo(ctx, key: Hashable, compute: Callable[[], Any]) -> Any:
    """A value computed once per pools object (candidate lists that depend only on pools)."""
    global _LAST
    last, cache = _LAST
    if last() is not ctx.pools:
        cache = _MEMO.setdefault(ctx.pools, {})
        _LAST = (weakref.ref(ctx.pools), cache)
    try:
        return cache[key]
    except KeyError:
        value = cache[key] = compute()
        return value


# Categories that make poor props for tabletop-scale scenes (a planet left of a mug).
DEFAULT_EXCLUDED_CATEGORIES = ("celestial", "building")


def everyday(ctx) -> dict:
    """An object filter without the subtask's ``params.exclude_categories`` (default: planets
    and buildings)."""
    return {"category": categories_except(ctx, ctx.params.get("exclude_categories", DEFAULT_EXCLUDED_CATEGORIES))}


def categories_except(ctx, excluded: Sequence[str]) -> tuple[str, ...]:
    """Ids of all object categories but ``excluded``: a hashable category filter."""
    excluded = tuple(excluded)
    return memo(ctx, ("categories_except", excluded),
                lambda: tuple(c.id for c in ctx.pools["categories"] if c.id not in excluded))


SCENE_WORDS = ("scene", "scene_name")


def scene_words(ctx, p: float, scenes: Sequence | None = None) -> tuple[dict, Any]:
    """With chance ``p`` a scene from the Qualifier pool (or from ``scenes``): the scene item
    and the words ``scene`` ("in a busy train station") and ``scene_name`` (both empty without)."""
    if not chance(ctx, p):
        return {"scene": "", "scene_name": ""}, None
    item = pick(ctx.rng, scenes if scenes is not None else ctx.pools["scenes"])
    return {"scene": item.phrase, "scene_name": item.name}, item


def mix(ctx, low: int, high: int) -> int:
    """An integer in [low, high]."""
    return low + int(ctx.rng.next_float() * (high - low + 1))


def chance(ctx, p: float) -> bool:
    return bool(ctx.rng.next_float() < p)


def actions_for(ctx, item, transitive: bool | None = None) -> list:
    """Actions ``item`` can do (see ``ActionItem.agent_ok``) that have a countable patient
    when they take one; ``transitive`` True/False keeps only actions with/without a patient."""
    def compute():
        return tuple(action for action in ctx.pools.actions_for(item.id, transitive)
                     if not action.transitive or _patients(ctx, action))
    return memo(ctx, ("actions_for", item.id, transitive), compute)


def _patients(ctx, action) -> tuple:
    return memo(ctx, ("patients", action.id),
                lambda: tuple(o for o in ctx.pools.patients_for(action.id) if o.countable))


def act(ctx, thing: Thing, transitive: bool | None = None, exclude: Sequence[str] = (),
        patient_attributes: Sequence[str] = ("colour",)) -> tuple[Any, Thing | None, str]:
    """Give ``thing`` an action (and a patient when the action takes one).

    Returns (action item or None, patient Thing or None, surface phrase such as "reading a
    red book"); the surface verb may be one of the action's synonyms, the canonical -ing form
    goes into ``thing.action``.
    """
    candidates = actions_for(ctx, thing.item, transitive)
    if not candidates:
        return None, None, ""
    action = pick(ctx.rng, candidates)
    patient = None
    if action.transitive:
        item = sample_of(ctx.rng, _patients(ctx, action), 1, [thing.item.id, *exclude], what="patients")[0]
        patient = dress(ctx, item, patient_attributes)
    thing.action = action.ing + (f" {a(patient.phrase)}" if patient else "")
    verb = pick(ctx.rng, (action.ing, *action.synonyms))
    return action, patient, verb + (f" {a(patient.phrase)}" if patient else "")


# Pool names that also read as other words in scenario prose ("rings of ripples", "a cloud of
# flour", "the rooster crows", "orange leaves", "the keys of a laptop"): never taken as objects.
_AMBIGUOUS_NAMES = frozenset({"ring", "orange", "crow", "key", "stick", "bed", "cloud", "fountain", "cherry", "lily",
                              "rock", "mirror"})


def objects_in_text(ctx, text: str, limit: int = 3) -> list:
    """Pool objects that ``text`` names, in order of first mention (at most ``limit``): the
    structured content of a scenario written as prose (a causal effect, a motion, a stage)."""
    return list(ctx.pools.objects_named_in(text, limit, skip=_AMBIGUOUS_NAMES))
