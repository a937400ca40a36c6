"""The input image of an editing item: a plausible place with objects that belong there.

Editing builders first sample a :class:`Source` — a place from the Scene pool, 2-6 objects
whose categories occur there (the scene's ``categories``), their colours/materials, a few
relations and texts — then edit it. The source knows three views of itself: the
``Scene`` (with the ``description`` prompt that makes the input image), the surface phrases
a template prints, and how to name one of its objects without ambiguity (:func:`refer`).

Difficulty lives mostly here: at grade 1 the edited object is the only one of its kind; at
grade 2 a *twin* of another colour (or material) is in the picture, so the instruction has
to say which one ("the blue mug"); at grade 3 the twin looks the same, so only a relation
or a position tells them apart ("the mug next to the laptop", "the mug on the left").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

from ogi_toolkit.spec import Relation, Scene, SceneObject, TextItem
from ogi_toolkit.templates.grammar import a, join_and, number_word

__all__ = [
    "Obj", "Text", "Source", "Index", "index", "pick", "chance", "dress", "build_source", "shuffle",
    "add_twin", "relate", "refer", "location_phrases", "place_np", "scene_words", "pronouns", "colour_options",
    "Resample", "retrying", "SIZE_RANK", "REFER_RELATIONS",
]

SIZE_RANK = {"tiny": 1, "small": 2, "medium": 3, "large": 4, "huge": 5}
# Relations that can single out an object ("the mug next to the laptop"): planar, depth, contact.
REFER_RELATIONS = ("next_to", "left_of", "right_of", "in_front_of", "behind", "on_top_of", "under")
# Until every scene lists the object categories found there, a coarse map by setting.
_SETTING_CATEGORIES = {
    "indoor": ("person", "animal", "plant", "fruit", "food", "drink", "kitchenware", "tableware",
               "furniture", "household", "musical_instrument", "toy", "clothing", "accessory",
               "electronics", "stationery", "container", "light_source", "book_media"),
    "urban": ("person", "animal", "bird", "vehicle", "plant", "food", "drink", "furniture",
              "sports_equipment", "accessory", "container", "light_source", "electronics"),
    "outdoor": ("person", "animal", "bird", "insect", "plant", "fruit", "vegetable", "vehicle",
                "furniture", "sports_equipment", "toy", "tool", "container", "food", "drink"),
    "nature": ("person", "animal", "bird", "insect", "plant", "natural_object", "container",
               "light_source", "sports_equipment"),
    "underwater": ("marine_life", "natural_object", "container", "person"),
    "space": ("vehicle", "electronics", "person", "celestial", "natural_object"),
    "fantasy": ("fantasy", "animal", "bird", "person", "plant", "light_source", "container",
                "natural_object", "musical_instrument", "book_media"),
}


class Resample(ValueError):
    """This draw cannot make a valid item (nothing fits); the builder draws again."""


RETRIES = 30


def retrying(build: Callable) -> Callable:
    """Decorator for builders: draw again (with the same rng, so still deterministic) when a
    draw raises :class:`Resample`; fail with a clear error after ``RETRIES`` draws."""
    @functools.wraps(build)
    def wrapper(ctx):
        for _ in range(RETRIES):
            try:
                return build(ctx)
            except Resample:
                continue
        raise ValueError(f"subtask {ctx.subtask!r}: no valid item in {RETRIES} draws at difficulty "
                         f"{ctx.difficulty}; the pools offer too little for this builder")
    return wrapper


def pick(rng, seq: Sequence):
    """One element of ``seq`` (numpy's ``choice`` would turn tuples of items into arrays)."""
    return seq[int(rng.random() * len(seq))]  # rng.random is ~3x faster than rng.integers


def chance(rng, p: float) -> bool:
    return bool(rng.random() < p)


# --- the objects of a source ----------------------------------------------------------------

@dataclass
class Obj:
    """One object (or ``count`` identical ones) of a source scene, with its qualifiers."""

    item: Any  # ObjectItem (or a surface stand-in with the same fields)
    colour: Any = None  # ColourItem; for people the colour of their clothes ("the girl in red")
    material: Any = None  # MaterialItem
    texture: Any = None  # TextureItem
    size: Any = None  # SizeItem
    action: Any = None  # ActionItem, for people and animals
    count: int = 1
    origin: str | None = None  # "added"/"replaced" when an earlier edit made it (complex, multi-turn)

    @property
    def noun(self) -> str:
        return self.item.name if self.count == 1 else self.item.plural

    def phrase(self, colour: bool = True, material: bool = True, texture: bool = True, size: bool = True) -> str:
        """The object without article: "small glossy red ceramic mug", "girl in red"."""
        words = [self.size.name if size and self.size else None,
                 self.texture.name if texture and self.texture else None]
        worn = colour and self.colour is not None and self.item.person
        if colour and self.colour is not None and not worn:
            words.append(self.colour.name)
        if material and self.material is not None:
            words.append(self.material.adjective)
        words.append(self.noun)
        if self.origin == "blank":  # a text surface with nothing written on it yet
            words.insert(0, "blank")
        text = " ".join(w for w in words if w)
        return f"{text} in {self.colour.name}" if worn else text

    def indefinite(self, **show: bool) -> str:
        phrase = self.phrase(**show)
        return a(phrase) if self.count == 1 else f"{number_word(self.count)} {phrase}"

    def scene_object(self) -> SceneObject:
        attributes = {}
        if self.texture is not None:
            attributes["texture"] = self.texture.name
        if self.colour is not None and self.item.person:
            attributes["colour_of"] = "clothing"
        return SceneObject.model_construct(
            name=self.item.name, category=self.item.category, count=self.count,
            colour=self.colour.name if self.colour else None,
            material=self.material.name if self.material else None,
            size=self.size.name if self.size else None,
            action=self.action.ing if self.action else None, attributes=attributes)

    def slot(self) -> dict:
        """Canonical ids of everything the object shows (a new object's slot)."""
        out = {"object": self.item.id}
        for name in ("colour", "material", "texture", "size", "action"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value.id
        if self.count != 1:
            out["count"] = self.count
        return out


@dataclass
class Text:
    """A string shown on object ``on`` of the source, in a font and colour."""

    item: Any  # TextItem of the texts pool
    on: int
    font: Any = None  # FontItem
    colour: Any = None  # ColourItem

    def text_item(self) -> TextItem:
        return TextItem.model_construct(text=self.item.text, language=self.item.language, script=self.item.script,
                        role=self.item.kind, font=self.font.name if self.font else None,
                        colour=self.colour.name if self.colour else None, on=self.on)


@dataclass
class Source:
    """A mutable source scene: edit samplers change it as they go, so indices stay right."""

    place: Any  # SceneItem
    objects: list[Obj]
    relations: list[tuple[int, str, int]] = field(default_factory=list)  # (subject, relation id, object)
    texts: list[Text] = field(default_factory=list)
    lighting: Any = None

    def copy(self) -> "Source":
        return Source(self.place, [replace(o) for o in self.objects], list(self.relations),
                      [replace(t) for t in self.texts], self.lighting)

    def same_kind(self, i: int) -> list[int]:
        """Other objects of the same kind as object ``i`` (its twins)."""
        kind = self.objects[i].item.id
        return [j for j, o in enumerate(self.objects) if j != i and o.item.id == kind]

    def remove(self, gone: int) -> None:
        """Drop object ``gone`` as ``scene_edit.apply_edits`` does (relations renumbered,
        texts written on it erased)."""
        def shift(i: int) -> int:
            return i - 1 if i > gone else i

        del self.objects[gone]
        self.relations = [(shift(s), r, shift(o)) for s, r, o in self.relations if gone not in (s, o)]
        self.texts = [replace(t, on=shift(t.on)) for t in self.texts if t.on != gone]

    def scene(self, pools) -> Scene:
        # model_construct: trusted records, built fast (sample() validates every spec); every
        # list field is passed, since pydantic inspects default factories on each call.
        return Scene.model_construct(
            description=self.description(pools), labels=[],
            objects=[o.scene_object() for o in self.objects],
            relations=[Relation.model_construct(subject=s, relation=r, object=o) for s, r, o in self.relations],
            texts=[t.text_item() for t in self.texts],
            background=self.place.name, lighting=self.lighting.name if self.lighting else None)

    def description(self, pools) -> str:
        """A plain prompt that makes this scene: "A photo of a red mug next to a laptop ..."."""
        said: set[int] = set()
        seen_phrases: set[str] = set()

        def mention(i: int) -> str:
            obj = self.objects[i]
            phrase = obj.phrase()
            if obj.count == 1 and phrase in seen_phrases:
                text = f"a second {phrase}"
            else:
                text = obj.indefinite()
            seen_phrases.add(phrase)
            if obj.action is not None:
                text += f" {obj.action.ing}"
            for t in self.texts:
                if t.on == i:
                    text += f' that reads "{t.item.text}"'
            said.add(i)
            return text

        clauses = []
        for i in range(len(self.objects)):
            if i in said:
                continue
            text = mention(i)
            for s, rel, o in self.relations:
                if s == i and o not in said:
                    text += f" {pools.get('relations', rel).phrases[0]} {mention(o)}"
                    break
                if s == i:
                    text += f" {pools.get('relations', rel).phrases[0]} the {self.objects[o].noun}"
                    break
            clauses.append(text)
        light = f", {self.lighting.phrase}" if self.lighting is not None else ""
        return f"A photo of {join_and(clauses)} {self.place.phrase}{light}."


# --- cached look-ups per pools object (the planner makes ~40k sources: keep this fast) -------

@dataclass(frozen=True)
class Index:
    places: tuple  # scenes with at least 4 candidate objects
    candidates: dict  # scene id -> objects that plausibly appear there
    candidate_ids: dict  # scene id -> frozenset of their ids
    homes: dict  # object id -> the scenes where it plausibly appears
    colours: tuple
    materials: dict  # id -> MaterialItem
    colour_by_id: dict
    colour_words: frozenset  # colour names, and "golden": materials that already say a colour
    looks: dict = field(default_factory=dict)  # object id -> (colours, materials) it can be dressed in


@functools.lru_cache(maxsize=8)
def _index(pools) -> Index:
    objects = [o for o in pools["objects"] if o.countable]
    candidates = {}
    for place in pools["scenes"]:
        cats = getattr(place, "categories", None) or _SETTING_CATEGORIES.get(place.setting, ())
        candidates[place.id] = tuple(o for o in objects if o.category in cats)
    places = tuple(p for p in pools["scenes"] if len(candidates[p.id]) >= 4)
    homes: dict = {}
    for place in places:
        for o in candidates[place.id]:
            homes.setdefault(o.id, []).append(place)
    return Index(places=places, candidates=candidates, colours=tuple(pools["colours"]),
                 candidate_ids={p: frozenset(o.id for o in objs) for p, objs in candidates.items()},
                 homes={k: tuple(v) for k, v in homes.items()},
                 materials={m.id: m for m in pools["materials"]},
                 colour_by_id={c.id: c for c in pools["colours"]},
                 colour_words=frozenset({c.name for c in pools["colours"]} | {"golden"}))


def index(pools) -> Index:
    return _index(pools)


def colour_options(ctx, item) -> tuple:
    """Plausible colours of ``item`` (any colour for things that list none; none for animals
    that list none). People's colour is their clothes', so any colour fits."""
    idx = index(ctx.pools)
    if item.colours:
        return tuple(idx.colour_by_id[c] for c in item.colours if c in idx.colour_by_id)
    return idx.colours if (item.person or not item.animate) else ()


def _looks(ctx, item) -> tuple[tuple, tuple]:
    """(colours, materials) ``item`` is dressed in, cached: never "a lemon yellow lemon" or
    "a paper paper lantern" (a word of the name repeated)."""
    idx = index(ctx.pools)
    found = idx.looks.get(item.id)
    if found is None:
        name = set(item.name.split())
        colours = tuple(c for c in colour_options(ctx, item) if not set(c.name.split()) & name)
        materials = tuple(idx.materials[m] for m in item.materials
                          if m in idx.materials and not set(idx.materials[m].name.split()) & name)
        found = idx.looks[item.id] = (colours, materials)
    return found


def dress(ctx, item, *, colour: bool = True, material: bool | None = None) -> Obj:
    """``item`` with a plausible colour, and a material when it has some (always when
    ``material``, half the time when None)."""
    rng, idx = ctx.rng, index(ctx.pools)
    colours, materials = _looks(ctx, item)
    obj = Obj(item=item)
    if materials and (material or (material is None and rng.random() < 0.5)):
        obj.material = pick(rng, materials)
    # A material that names a colour ("golden", "silver") already gives the colour.
    if colour and colours and (obj.material is None or not idx.colour_words & {obj.material.name, obj.material.adjective}):
        obj.colour = pick(rng, colours)
    return obj


def pronouns(obj: Obj) -> dict:
    """Agreement words for one object: pron (object), poss, they (subject), be."""
    if obj.count > 1:
        return {"pron": "them", "poss": "their", "they": "they", "be": "are"}
    gender = getattr(obj.item, "gender", None) if obj.item.person else None
    if gender == "female":
        return {"pron": "her", "poss": "her", "they": "she", "be": "is"}
    if gender == "male":
        return {"pron": "him", "poss": "his", "they": "he", "be": "is"}
    if obj.item.person:
        return {"pron": "them", "poss": "their", "they": "they", "be": "is"}
    return {"pron": "it", "poss": "its", "they": "it", "be": "is"}


def place_np(place) -> str:
    """The place as a definite noun phrase: "the kitchen", "the surface of Mars", "deep space"."""
    name = place.name
    if name[:1].isupper() or name.endswith("space"):
        return name
    return f"the {name}"


_FIRST_ARTICLE = re.compile(r"\b(a|an)\b")


def scene_words(place) -> dict:
    """The words every editing template may use for the input image's place: ``scene`` ("the
    kitchen") and ``scene_in``, its phrase made definite ("in the bright home kitchen")."""
    return {"scene": place_np(place), "scene_in": _FIRST_ARTICLE.sub("the", place.phrase, count=1)}


# --- building a source --------------------------------------------------------------------

def _fits(subject: Obj, anchor: Obj, relation: str) -> bool:
    """Whether ``subject relation anchor`` is physically plausible (by size and animacy)."""
    s, o = SIZE_RANK[subject.item.size_class], SIZE_RANK[anchor.item.size_class]
    if relation == "on_top_of":
        return not anchor.item.animate and o > s and anchor.count == 1
    if relation == "under":
        return not anchor.item.animate and o >= s + 2 and not subject.item.size_class == "huge"
    return True


def relate(ctx, src: Source, i: int, j: int, relations: Sequence[str] = REFER_RELATIONS) -> str | None:
    """Record a plausible relation of object ``i`` to object ``j``; returns its id or None."""
    options = [r for r in relations if _fits(src.objects[i], src.objects[j], r)]
    if not options:
        return None
    rel = pick(ctx.rng, options)
    src.relations.append((i, rel, j))
    return rel


def add_twin(ctx, src: Source, i: int, *, same_look: bool) -> int | None:
    """Put a second object of the kind of object ``i`` into ``src``: of another colour (or
    material) unless ``same_look``. Returns the twin's index, or None when no look differs."""
    obj = src.objects[i]
    twin = replace(obj, action=None, origin=None)
    if not same_look:
        colours = [c for c in colour_options(ctx, obj.item) if obj.colour is None or c.id != obj.colour.id]
        materials = [m for m in obj.item.materials if obj.material is None or m != obj.material.id]
        if obj.colour is not None and colours:
            twin.colour = pick(ctx.rng, colours)
        elif obj.material is not None and materials:
            twin.material = index(ctx.pools).materials.get(pick(ctx.rng, materials))
        else:
            return None
    src.objects.append(twin)
    return len(src.objects) - 1


def build_source(ctx, *, n_objects: int, target: Callable[[Any], bool] | None = None,
                 place_filter: Callable[[Any], bool] | None = None, grade: int = 1) -> tuple[Source, int]:
    """A source of about ``n_objects`` objects and the index of the object to edit.

    ``target`` filters pool objects the edited one may be; ``grade`` decides how it must be
    named (see the module docstring): a twin of another look at 2, of the same look plus a
    relation or position at 3.
    """
    rng, idx = ctx.rng, index(ctx.pools)
    item = None
    for _ in range(50):  # draw by rejection: filtering whole lists per item is too slow for a plan
        place = pick(rng, idx.places)
        if place_filter is not None and not place_filter(place):
            continue
        pool = idx.candidates[place.id]
        for _ in range(10):
            candidate = pick(rng, pool)
            if target is None or target(candidate):
                item = candidate
                break
        if item is not None:
            break
    else:
        raise Resample(f"subtask {ctx.subtask!r}: no scene offers an object for this edit")
    src = Source(place=place, objects=[dress(ctx, item, material=grade == 2 or None)])
    if grade >= 2 and add_twin(ctx, src, 0, same_look=grade == 3) is None:
        add_twin(ctx, src, 0, same_look=True)  # no other look: tell them apart by relation instead
        grade = 3
    chosen = {item.id}
    for _ in range(4 * n_objects):
        if len(src.objects) >= n_objects:
            break
        filler = pick(rng, pool)
        if filler.id not in chosen:
            chosen.add(filler.id)
            src.objects.append(dress(ctx, filler))
    if grade == 3:
        # The target relates to an anchor (a filler) or, failing that, sits left/right of its twin.
        anchors = range(2, len(src.objects))
        rel = relate(ctx, src, 0, pick(rng, anchors)) if anchors and rng.random() < 0.75 else None
        if rel is None:
            src.relations.append((0, pick(rng, ("left_of", "right_of")), 1))
    elif len(src.objects) >= 3 and rng.random() < 0.5:  # some context for the description
        relate(ctx, src, len(src.objects) - 1, 0)
    if rng.random() < 0.3:
        src.lighting = pick(rng, ctx.pools["lighting"])
    return shuffle(ctx, src, 0)


def shuffle(ctx, src: Source, keep: int) -> tuple[Source, int]:
    """``src`` with its objects in random order (the target is not always first); returns
    the new index of object ``keep``."""
    order = [int(k) for k in ctx.rng.permutation(len(src.objects))]
    new_of = {old: new for new, old in enumerate(order)}
    src.objects = [src.objects[k] for k in order]
    src.relations = [(new_of[s], r, new_of[o]) for s, r, o in src.relations]
    src.texts = [replace(t, on=new_of[t.on]) for t in src.texts]
    return src, new_of[keep]


# --- naming an object without ambiguity ---------------------------------------------------

_NOT_A_PLACE = ("ahead of", "before")  # synonyms of "in front of" that read as time, not place


@functools.lru_cache(maxsize=256)
def location_phrases(pools, relation: str) -> tuple:
    """How a relation places one object by another: its canonical phrase and first synonym
    ("next to", "beside"), never one that reads as time ("ahead of")."""
    phrases = pools.get("relations", relation).phrases
    return tuple(p for p in phrases[:2] if p not in _NOT_A_PLACE) or phrases[:1]


def refer(ctx, src: Source, i: int, *, detail: bool = False, new_labels: dict | None = None,
          use_material: bool = True) -> tuple[str, dict] | None:
    """How to name object ``i`` so that no other object of ``src`` fits: (phrase, slot).

    The phrase is a definite noun phrase ("the blue mug", "the mug next to the laptop",
    "the mug on the left"); the slot holds the canonical ids the phrase uses. ``detail``
    adds the colour even when the name alone would do. ``new_labels`` maps an origin
    ("added", "replaced") to how an object an earlier edit made is named: a label before
    the noun ("new": "the new dog") or a clause after it ("you added": "the dog you added").
    None when nothing singles the object out.
    """
    obj, rng = src.objects[i], ctx.rng
    twins = src.same_kind(i)
    slot: dict = {"object": obj.item.id}
    label = (new_labels or {}).get(obj.origin)
    if label and not any(src.objects[j].origin for j in twins):
        slot["made_by"] = obj.origin
        return (f"the {obj.noun} {label}" if label.startswith("you") else f"the {label} {obj.noun}"), slot
    if not twins:
        if detail and obj.colour is not None:
            slot["colour"] = obj.colour.id
            return f"the {obj.phrase(material=False, texture=False, size=False)}", slot
        return f"the {obj.noun}", slot
    if obj.colour is not None and all(src.objects[j].colour is None or src.objects[j].colour.id != obj.colour.id for j in twins):
        slot["colour"] = obj.colour.id
        return f"the {obj.phrase(material=False, texture=False, size=False)}", slot
    if use_material and obj.material is not None and all(
            src.objects[j].material is None or src.objects[j].material.id != obj.material.id for j in twins):
        slot["material"] = obj.material.id
        return f"the {obj.material.adjective} {obj.noun}", slot
    for s, rel, o in src.relations:
        if s != i or (s, rel, o) in ((j, rel, o) for j in twins):
            continue
        if o in twins and rel in ("left_of", "right_of") and len(twins) == 1:
            side = "left" if rel == "left_of" else "right"
            slot["position"] = side
            phrase = pick(rng, (f"the {obj.noun} on the {side}", f"the {side}-hand {obj.noun}"))
            return phrase, slot
        if o not in twins and not src.same_kind(o) and not any((j, rel, o) in src.relations for j in twins):
            slot.update(relation=rel, anchor=src.objects[o].item.id)
            return f"the {obj.noun} {pick(rng, location_phrases(ctx.pools, rel))} the {src.objects[o].noun}", slot
    return None
