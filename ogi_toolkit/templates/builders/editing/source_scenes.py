"""The input image of an editing item, as a mutable record the edit samplers change.

A :class:`Source` is a place from the Scene pool with objects (:class:`Obj`: a pool object
and the colour, material, texture, size and action it shows), relations between them and
strings written on them (:class:`Text`). Its :meth:`Source.scene` is the ``Scene`` of the
spec, with the ``description`` prompt that makes the input image. Edit operations change a
Source exactly as ``ogi_toolkit.scene_edit.apply_edits`` changes a Scene, so the indices of
the next edit are right. ``sampling.py`` builds sources, ``naming.py`` names their objects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ogi_toolkit.spec import Relation, Scene, SceneObject, TextItem
from ogi_toolkit.templates.grammar import a, join_and, number_word

__all__ = ["Obj", "Text", "Source", "changed", "pronouns", "SIZE_RANK"]

SIZE_RANK = {"tiny": 1, "small": 2, "medium": 3, "large": 4, "huge": 5}


def changed(part, **changes):
    """A copy of an ``Obj`` or ``Text`` with ``changes``: ``dataclasses.replace`` without its
    per-field checks (5x faster; builders copy ~3 of these per item). They have no
    ``__post_init__`` or ``init=False`` fields, which ``replace`` would honour."""
    new = object.__new__(type(part))
    new.__dict__.update(part.__dict__)
    new.__dict__.update(changes)
    return new


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
        # Built by prepending, in English adjective order (size, texture, colour, material).
        text = self.noun
        if material and self.material is not None:
            text = f"{self.material.adjective} {text}"
        worn = self.item.person  # a person's colour is their clothes': "girl in red"
        if colour and self.colour is not None and not worn:
            text = f"{self.colour.name} {text}"
        if texture and self.texture is not None:
            text = f"{self.texture.name} {text}"
        if size and self.size is not None:
            text = f"{self.size.name} {text}"
        if self.origin == "blank":  # a text surface with nothing written on it yet
            text = f"blank {text}"
        if colour and self.colour is not None and worn:
            text = f"{text} in {self.colour.name}"
        return text

    def indefinite(self, **show: bool) -> str:
        phrase = self.phrase(**show)
        return a(phrase) if self.count == 1 else f"{number_word(self.count)} {phrase}"

    def scene_object(self) -> SceneObject:
        attributes = {}
        if self.texture is not None:
            attributes["texture"] = self.texture.name
        if self.colour is not None and self.item.person:
            attributes["colour_of"] = "clothing"
        return SceneObject.record(
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
        return TextItem.record(text=self.item.text, language=self.item.language, script=self.item.script,
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
        self.texts = [changed(t, on=shift(t.on)) for t in self.texts if t.on != gone]

    def scene(self, pools) -> Scene:
        return Scene.record(
            description=self.description(pools),
            objects=[o.scene_object() for o in self.objects],
            relations=[Relation.record(subject=s, relation=r, object=o) for s, r, o in self.relations],
            texts=[t.text_item() for t in self.texts],
            background=self.place.name, lighting=self.lighting.name if self.lighting else None)

    def description(self, pools) -> str:
        """A plain prompt that makes this scene: "A photo of a red mug next to a laptop ..."."""
        said: set[int] = set()
        seen_phrases: set[str] = set()

        def mention(i: int) -> str:
            obj = self.objects[i]
            phrase = obj.phrase()
            if obj.count > 1:
                text = f"{number_word(obj.count)} {phrase}"
            else:
                text = f"a second {phrase}" if phrase in seen_phrases else a(phrase)
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
