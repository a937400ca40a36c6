"""The input image of an editing item, as a mutable record the edit samplers change.

A :class:`Source` is a place from the Scene pool with objects (the kit's ``Obj``: a pool
object and the colour, material, texture, size and action it shows), relations between them and
strings written on them (:class:`Text`). Its :meth:`Source.scene` is the ``Scene`` of the
spec, with the ``description`` prompt that makes the input image. Edit operations change a
Source exactly as ``ogi_toolkit.scene_edit.apply_edits`` changes a Scene, so the indices of
the next edit are right. ``sampling.py`` builds sources, ``naming.py`` names their objects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ogi_toolkit.spec import Relation, Scene, TextItem
from ogi_toolkit.templates.grammar import join_and, number_word

from ..kit import Obj, changed, phrases

__all__ = ["Text", "Source", "pronouns"]

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

    def scene(self, ctx) -> Scene:
        return Scene.record(
            description=self.description(ctx),
            objects=[o.scene_object() for o in self.objects],
            relations=[Relation.record(subject=s, relation=r, object=o) for s, r, o in self.relations],
            texts=[t.text_item() for t in self.texts],
            background=self.place.name, lighting=self.lighting.name if self.lighting else None)

    def description(self, ctx) -> str:
        """A plain prompt that makes this scene: "A photo of a red mug next to a laptop ..."."""
        wording = phrases()["source"]  # phrases.yaml: "A photo of {objects} {place}{light}."
        said: set[int] = set()
        seen_phrases: set[str] = set()

        def mention(i: int) -> str:
            obj = self.objects[i]
            phrase = obj.phrase
            if obj.count > 1:
                text = f"{number_word(obj.count)} {phrase}"
            else:
                text = wording["again"].format(phrase=phrase) if phrase in seen_phrases else ctx.lexicon.a(phrase)
            seen_phrases.add(phrase)
            if obj.action is not None:
                text += f" {obj.action.ing}"
            for t in self.texts:
                if t.on == i:
                    text += wording["reads"].format(text=t.item.text)
            said.add(i)
            return text

        clauses = []
        for i in range(len(self.objects)):
            if i in said:
                continue
            text = mention(i)
            for s, rel, o in self.relations:
                if s == i and o not in said:
                    text += f" {ctx.pools.get('relations', rel).phrases[0]} {mention(o)}"
                    break
                if s == i:
                    text += f" {ctx.pools.get('relations', rel).phrases[0]} the {self.objects[o].noun}"
                    break
            clauses.append(text)
        light = f", {self.lighting.phrase}" if self.lighting is not None else ""
        return wording["description"].format(objects=join_and(clauses), place=self.place.phrase, light=light)


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
