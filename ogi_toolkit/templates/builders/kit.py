"""The builder kit: what every builder uses to draw pool items and dress objects.

A builder gets a :class:`~ogi_toolkit.templates.builders.base.BuildContext` with

* ``ctx.rng``: a plain ``random.Random`` seeded for the item. Draw with its own methods:
  ``rng.choice(seq)``, ``rng.random() < p``, ``rng.randrange(n)``, ``rng.randint(lo, hi)``,
  ``rng.sample(seq, k)`` (k distinct, in draw order);
* ``ctx.pools``: the typed pools (``ctx.pools["objects"]``, ``ctx.pools.get("colours", "red")``);
* ``ctx.index``: the :class:`Index` of those pools, built once per pools object: scenes and the
  objects that belong there, what each object can look like, and a cache (``memo``) for any
  candidate list that depends on the pools alone;
* ``ctx.lexicon``: the pools' articles and plurals (``ctx.lexicon.a("hourglass")`` -> "an
  hourglass", ``ctx.lexicon.plural("mouse")`` -> "mice").

and uses the functions below: :func:`objects` / :func:`draw` for distinct pool items,
:func:`dress` to give an object a plausible colour, material, size or texture (an
:class:`Obj`, which knows its phrase, its canonical slot and its scene record),
:func:`maybe_scene` for an optional setting, :func:`act` for an action.
"""
from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Sequence

import yaml

from ogi_toolkit.definition.pool_items import item_fields
from ogi_toolkit.spec import SceneObject
from ogi_toolkit.templates.grammar import Lexicon, number_word

__all__ = ["phrases", "SIZE_RANK", "ATTRIBUTES", "SCENE_WORDS", "Index", "index_of", "memo", "words", "looks", "Obj", "changed",
           "dress", "distinct", "draw", "objects", "everyday", "categories_except", "maybe_scene", "actions_for", "act",
           "objects_in_text", "shuffled", "language_name"]

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")


@functools.cache
def phrases() -> dict:
    """The prose sentence pieces of ``phrases.yaml`` beside this module (finishes, regions of
    the frame, the input image's description), read once."""
    with open(PHRASES_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


SIZE_RANK = {"tiny": 1, "small": 2, "medium": 3, "large": 4, "huge": 5}

# What ``dress`` can give an object, in English adjective order
# (size, physical quality, colour, material: "a small glossy red ceramic mug").
ATTRIBUTES = ("size", "texture", "colour", "material")


# --- the per-pools index ------------------------------------------------------------------

@dataclass
class Index:
    """Look-ups that depend only on the pools, built once per pools object (:func:`index_of`)."""

    places: tuple  # scenes with at least 4 candidate objects (where an editing source can be)
    candidates: dict  # scene id -> countable objects that plausibly appear there
    candidate_ids: dict  # scene id -> frozenset of their ids
    homes: dict  # object id -> the places where it plausibly appears
    colours: tuple
    materials: dict  # id -> MaterialItem
    colour_by_id: dict
    colour_words: frozenset  # colour names, and "golden": materials that already say a colour
    lexicon: Lexicon  # the Object pool's articles and plurals
    cache: dict = field(default_factory=dict)  # memo(): candidate lists made on first use

    @classmethod
    def of(cls, pools) -> "Index":
        objects = [o for o in pools["objects"] if o.countable]
        candidates = {place.id: tuple(o for o in objects if o.category in place.categories) for place in pools["scenes"]}
        places = tuple(p for p in pools["scenes"] if len(candidates[p.id]) >= 4)
        homes: dict = {}
        for place in places:
            for o in candidates[place.id]:
                homes.setdefault(o.id, []).append(place)
        colours = tuple(pools["colours"])
        return cls(places=places, candidates=candidates,
                   candidate_ids={p: frozenset(o.id for o in objs) for p, objs in candidates.items()}, homes={k: tuple(v) for k, v in homes.items()},
                   colours=colours, materials={m.id: m for m in pools["materials"]},
                   colour_by_id={c.id: c for c in colours},
                   colour_words=frozenset({c.name for c in colours} | {"golden"}), lexicon=Lexicon.of_pools(pools))


_INDEXES: "weakref.WeakKeyDictionary[Any, Index]" = weakref.WeakKeyDictionary()


def index_of(pools) -> Index:
    """The index of ``pools`` (made on first use; the sampler puts it on every build context)."""
    found = _INDEXES.get(pools)
    if found is None:
        found = _INDEXES[pools] = Index.of(pools)
    return found


def memo(ctx, key: Hashable, compute: Callable[[], Any]) -> Any:
    """A value computed once per pools object (candidate lists that depend only on pools)."""
    cache = ctx.index.cache
    try:
        return cache[key]
    except KeyError:
        value = cache[key] = compute()
        return value


# --- what an object can look like ---------------------------------------------------------

_WORD = re.compile(r"[a-z]+")


def words(*phrases: str) -> frozenset[str]:
    """The lower-case words of ``phrases`` ("gold-foil serif" -> {"gold", "foil", "serif"})."""
    return frozenset().union(*map(_words_of, phrases))


@functools.lru_cache(maxsize=1 << 14)
def _words_of(phrase: str) -> frozenset[str]:
    # pool names recur: looks() compares every colour's words with every object's
    return frozenset(_WORD.findall(phrase.lower()))


def looks(ctx, item) -> tuple[tuple, tuple]:
    """(colours, materials) ``item`` can plausibly show: its listed colours, else any colour for
    lifeless things and people (their clothes), none for animals; its listed materials. Never
    a word of its name twice ("a lemon yellow lemon", "a rubber rubber duck")."""
    def compute():
        idx, name = ctx.index, words(item.name)
        if item.colours:
            colours = tuple(idx.colour_by_id[c] for c in item.colours if c in idx.colour_by_id)
        else:
            colours = idx.colours if (item.person or not item.animate) else ()
        # colours sharing a word with the name, found by word: every object scanning every
        # colour's words was objects x colours (minutes for a pool of 10,000 colours)
        by_word = memo(ctx, "colours_by_word", lambda: _colours_by_word(idx.colours))
        clashing = frozenset().union(*(by_word.get(w, ()) for w in name))
        materials = (idx.materials[m] for m in item.materials if m in idx.materials)
        return (tuple(c for c in colours if c.id not in clashing) if clashing else colours,
                tuple(m for m in materials if not words(m.name, m.adjective) & name))
    return memo(ctx, ("looks", item.id), compute)


def _colours_by_word(colours) -> dict[str, frozenset]:
    """word -> ids of the colours whose name holds it."""
    by_word: dict[str, set] = {}
    for colour in colours:
        for word in words(colour.name):
            by_word.setdefault(word, set()).add(colour.id)
    return {word: frozenset(ids) for word, ids in by_word.items()}


def _textures(ctx, item, material) -> tuple:
    """Textures that suit the material (or, with none chosen, one of the item's materials).
    A texture may list the material ``families`` it suits; none listed means any."""
    if material is not None:
        families = frozenset((material.family,))
    else:
        families = memo(ctx, ("material_families", item.id),
                        lambda: frozenset(ctx.index.materials[m].family for m in item.materials if m in ctx.index.materials))

    def compute():
        textures = ctx.pools["textures"]
        if not textures or "families" not in item_fields(type(textures[0])):
            return textures
        return tuple(t for t in textures if not t.families or families & set(t.families))
    return memo(ctx, ("textures", families), compute)


# --- the object type ----------------------------------------------------------------------

@dataclass
class Obj:
    """One pool object (or ``count`` identical ones) with the qualifiers drawn for it. It knows
    its surface phrase ("small glossy red ceramic mug"), its canonical slot (what dedup
    compares) and its ``SceneObject`` record (what a renderer draws)."""

    item: Any  # ObjectItem (or a surface stand-in with the same fields)
    colour: Any = None  # ColourItem; for people the colour of their clothes ("the girl in red")
    material: Any = None  # MaterialItem
    texture: Any = None  # TextureItem
    size: Any = None  # SizeItem
    action: Any = None  # ActionItem, for people and animals
    doing: str | None = None  # what the scene records it doing, when not just action.ing: "reading a red book"
    count: int = 1
    origin: str | None = None  # "added"/"replaced" when an earlier edit made it; "blank" text surface
    extra: dict = field(default_factory=dict)  # more canonical attributes (shade, state, ...)
    colour_in_phrase: bool = True  # False when the template names the colour itself

    @property
    def noun(self) -> str:
        return self.item.name if self.count == 1 else self.item.plural

    def describe(self, colour: bool = True, material: bool = True, texture: bool = True, size: bool = True,
                 plural: bool | None = None) -> str:
        """The object without article, showing the qualifiers asked for: "small glossy red
        ceramic mug", "girl in red" (``plural``: the plural noun whatever the count)."""
        text = self.noun if plural is None else (self.item.plural if plural else self.item.name)
        # Built by prepending, in English adjective order (size, texture, colour, material).
        if material and self.material is not None:
            text = f"{self.material.adjective} {text}"
        colour = colour and self.colour is not None and self.colour_in_phrase
        worn = self.item.person  # a person's colour is their clothes': "girl in red"
        if colour and not worn:
            text = f"{self.colour.name} {text}"
        if texture and self.texture is not None:
            text = f"{self.texture.name} {text}"
        if size and self.size is not None:
            text = f"{self.size.name} {text}"
        if self.origin == "blank":  # a text surface with nothing written on it yet
            text = f"blank {text}"
        if colour and worn:
            text = f"{text} in {self.colour.name}"
        return text

    @property
    def phrase(self) -> str:
        """Every qualifier, the noun as the count asks: "small red wooden chair"."""
        return self.describe()

    @property
    def plural_phrase(self) -> str:
        return self.describe(plural=True)

    @property
    def counted(self) -> str:
        """"three red apples" / "one red apple" (the count as a word)."""
        return f"{number_word(self.count)} {self.phrase}"

    def indefinite(self, lexicon, **show: bool) -> str:
        """"a red mug" / "three red mugs" (``lexicon``: the pools', ``ctx.lexicon``)."""
        phrase = self.describe(**show)
        return lexicon.a(phrase) if self.count == 1 else f"{number_word(self.count)} {phrase}"

    def slot(self) -> dict:
        """Canonical ids of everything the object shows (what makes two specs the same)."""
        out = {"object": self.item.id}
        for name in ("size", "texture", "colour", "material", "action"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value.id
        if self.count != 1:
            out["count"] = self.count
        out.update(self.extra)
        return out

    def scene_object(self, **attributes: str) -> dict:
        """The ``SceneObject`` record a renderer draws."""
        attrs = {"texture": self.texture.name} if self.texture is not None else {}
        if self.colour is not None and self.item.person:
            attrs["colour_of"] = "clothing"
        attrs.update({k: str(v) for k, v in self.extra.items()})
        attrs.update(attributes)
        action = self.doing or (self.action.ing if self.action is not None else None)
        return SceneObject.record(
            name=self.item.name, category=self.item.category, count=self.count,
            colour=self.colour.name if self.colour else None,
            material=self.material.name if self.material else None,
            size=self.size.name if self.size else None, action=action, attributes=attrs)


def changed(part, **changes):
    """A copy of an ``Obj`` (or any plain dataclass without ``__post_init__``) with
    ``changes``: ``dataclasses.replace`` without its per-field checks (5x faster; editing
    builders copy ~3 per item)."""
    new = object.__new__(type(part))
    new.__dict__.update(part.__dict__)
    new.__dict__.update(changes)
    return new


def dress(ctx, item, attributes: Sequence[str] = ("colour",), count: int = 1) -> Obj:
    """``item`` with the requested ``attributes`` (of :data:`ATTRIBUTES`), each drawn among
    plausible values (:func:`looks`); one without a plausible value is skipped, so read what
    you got from the Obj. The material comes first: the texture must suit it (no "knitted
    steel"), and a material that already says a colour ("golden", "silver") or a metallic
    colour beside a material ("a gold steel kettle") leaves the colour out."""
    rng = ctx.rng
    obj = Obj(item=item, count=count)
    colours, materials = looks(ctx, item)
    if "material" in attributes and materials:
        obj.material = rng.choice(materials)
    if "colour" in attributes and colours:
        colour = rng.choice(colours)
        m = obj.material
        if m is None or not (ctx.index.colour_words & {m.name, m.adjective} or colour.family == "metallic"):
            obj.colour = colour
    if "size" in attributes:
        obj.size = rng.choice(ctx.pools["sizes"])
    if "texture" in attributes and not item.animate:
        options = _textures(ctx, item, obj.material)
        if options:
            obj.texture = rng.choice(options)
    return obj


# --- drawing pool items -------------------------------------------------------------------

def distinct(rng, items: Sequence, k: int = 1, exclude: Sequence[str] = (), what: str = "items") -> list:
    """``k`` distinct elements of ``items`` (pool items) whose ids are not in ``exclude``, in
    draw order. By rejection: filtering whole lists for every item would cost more."""
    banned = set(exclude)
    n = len(items)
    out: list = []
    seen: set[int] = set()
    while len(out) < k:
        if len(seen) == n:
            raise ValueError(f"{what}: {n - sum(i.id in banned for i in items)} match after excluding "
                             f"{sorted(banned)}; {k} needed")
        i = rng.randrange(n)
        if i in seen:
            continue
        seen.add(i)
        if items[i].id not in banned:
            out.append(items[i])
    return out


def draw(ctx, pool: str, k: int = 1, exclude: Sequence[str] = (), **where) -> list:
    """``k`` distinct items of ``pool`` matching ``where`` (values: scalars or tuples/lists of
    allowed values), not in ``exclude``."""
    key = (pool, *((f, tuple(v) if type(v) is list else v) for f, v in where.items()))
    candidates = memo(ctx, key, lambda: ctx.pools.filter(pool, **where))
    return distinct(ctx.rng, candidates, k, exclude, what=f"pool {pool!r} filtered by {where or 'nothing'}")


def objects(ctx, k: int, exclude: Sequence[str] = (), **where) -> list:
    """``k`` distinct pool objects matching ``where`` (countable ones unless told)."""
    where.setdefault("countable", True)
    return draw(ctx, "objects", k, exclude, **where)


# Categories that make poor props for tabletop-scale scenes (a planet left of a mug).
DEFAULT_EXCLUDED_CATEGORIES = ("celestial", "building")


def everyday(ctx) -> dict:
    """An object filter without the subtask's ``params.exclude_categories`` (default: planets
    and buildings)."""
    return {"category": categories_except(ctx, ctx.params.get("exclude_categories", DEFAULT_EXCLUDED_CATEGORIES))}


def categories_except(ctx, excluded: Sequence[str]) -> tuple[str, ...]:
    """Ids of all object categories but ``excluded``: a hashable category filter."""
    excluded = tuple(excluded)

    def compute():
        known = [c.id for c in ctx.pools["categories"]]
        unknown = sorted(set(excluded) - set(known))
        if unknown:  # a misspelt category would silently exclude nothing
            raise ValueError(f"params.exclude_categories: unknown categories {unknown}; known: {', '.join(known)}")
        return tuple(c for c in known if c not in excluded)
    return memo(ctx, ("categories_except", excluded), compute)


def language_name(ctx, code: str) -> str:
    """The English name of a language ("la" -> "Latin"), from the languages pool (by the
    code's primary subtag: "zh-Hans" -> "Chinese"); instructions never show a code."""
    return ctx.pools.get("languages", code.split("-")[0]).name


def shuffled(rng, seq: Sequence) -> list:
    """The elements of ``seq`` in random order (a new list)."""
    return rng.sample(list(seq), len(seq))


SCENE_WORDS = ("scene", "scene_name")


def maybe_scene(ctx, p: float, scenes: Sequence | None = None) -> tuple[dict, Any]:
    """With chance ``p`` a scene from the Qualifier pool (or from ``scenes``): the scene item
    and the words ``scene`` ("in a busy train station") and ``scene_name`` (both empty without)."""
    if not ctx.rng.random() < p:
        return {"scene": "", "scene_name": ""}, None
    item = ctx.rng.choice(scenes if scenes is not None else ctx.pools["scenes"])
    return {"scene": item.phrase, "scene_name": item.name}, item


# --- actions ------------------------------------------------------------------------------

def actions_for(ctx, item, transitive: bool | None = None) -> tuple:
    """Actions ``item`` can do (see ``ActionItem.agent_ok``) that have a countable patient
    when they take one; ``transitive`` True/False keeps only actions with/without a patient."""
    def compute():
        return tuple(action for action in ctx.pools.actions_for(item.id, transitive)
                     if not action.transitive or _patients(ctx, action))
    return memo(ctx, ("actions_for", item.id, transitive), compute)


def _patients(ctx, action) -> tuple:
    return memo(ctx, ("patients", action.id),
                lambda: tuple(o for o in ctx.pools.patients_for(action.id) if o.countable))


def act(ctx, obj: Obj, transitive: bool | None = None, exclude: Sequence[str] = (),
        patient_attributes: Sequence[str] = ("colour",)) -> tuple[Any, Obj | None, str]:
    """Give ``obj`` an action (and a patient when the action takes one).

    Returns (action item or None, patient Obj or None, surface phrase such as "reading a red
    book"); the surface verb may be one of the action's synonyms, the canonical -ing form
    (with the patient) is what ``obj.scene_object()`` records.
    """
    candidates = actions_for(ctx, obj.item, transitive)
    if not candidates:
        return None, None, ""
    rng = ctx.rng
    action = rng.choice(candidates)
    patient = None
    if action.transitive:
        item = distinct(rng, _patients(ctx, action), 1, [obj.item.id, *exclude], what="patients")[0]
        patient = dress(ctx, item, patient_attributes)
    patient_phrase = f" {ctx.lexicon.a(patient.phrase)}" if patient else ""
    obj.action, obj.doing = action, action.ing + patient_phrase
    verb = rng.choice((action.ing, *action.synonyms))
    return action, patient, verb + patient_phrase


# Pool names that also read as other words in scenario prose ("rings of ripples", "a cloud of
# flour", "the rooster crows", "orange leaves", "the keys of a laptop"): never taken as objects.
_AMBIGUOUS_NAMES = frozenset({"ring", "orange", "crow", "key", "stick", "bed", "cloud", "fountain", "cherry", "lily",
                              "rock", "mirror"})


def objects_in_text(ctx, text: str, limit: int = 3) -> list:
    """Pool objects that ``text`` names, in order of first mention (at most ``limit``): the
    structured content of a scenario written as prose (a causal effect, a motion, a stage)."""
    return list(ctx.pools.objects_named_in(text, limit, skip=_AMBIGUOUS_NAMES))
