"""Text in a source scene, and the four text edits (add, replace, alter, remove).

Text is written on a *surface* (pool ``surfaces``: a shop sign, a chalkboard, a T-shirt)
that stands in the source like any other object; ``Source.texts`` holds the strings with the
index of their surface. A surface only carries strings of the kinds it suits (a price on a
chalkboard, a slogan on a T-shirt), and a replacement string is of the same kind as the old.
"""
from __future__ import annotations

from dataclasses import dataclass

from ogi_toolkit.spec import Edit, TextItem

from .object_ops import Op
from ..kit import Obj, changed, language_name, memo
from .sampling import Resample
from .source_scenes import Source, Text

__all__ = ["Surface", "surfaces_for", "add_surface", "text_choices", "meaning", "quote",
           "op_text_add", "op_text_replace", "op_text_alter", "op_text_remove", "KIND_NOUNS"]

# How a template names a kind of string ("Give the sign a slogan that says ...").
KIND_NOUNS = {"sign": "message", "title": "title", "slogan": "slogan", "label": "label",
              "menu": "menu entry", "quote": "quote", "brand": "brand name", "headline": "headline",
              "greeting": "greeting", "warning": "warning", "caption": "caption", "price": "price",
              "name": "name"}


@dataclass(frozen=True)
class Surface:
    """A surface as an object of the source (the fields ``Obj`` reads from an ObjectItem)."""

    id: str
    name: str
    plural: str
    article: str
    kinds: tuple
    settings: tuple
    category: str = "surface"
    size_class: str = "medium"
    countable: bool = True
    animate: bool = False
    person: bool = False
    agent: str = "object"
    gender: None = None
    materials: tuple = ()
    colours: tuple = ()
    can: tuple = ()


def _surfaces(ctx) -> tuple:
    return memo(ctx, "surfaces", lambda: tuple(
        Surface(id=s.id, name=s.name, plural=ctx.lexicon.plural(s.name), article=s.article, kinds=tuple(s.kinds),
                settings=tuple(s.settings)) for s in ctx.pools["surfaces"]))


def _texts_by_kind(ctx) -> dict:
    def compute():
        out: dict = {}
        for t in ctx.pools["texts"]:
            out.setdefault(t.kind, []).append(t)
        return {k: tuple(v) for k, v in out.items()}
    return memo(ctx, "texts_by_kind", compute)


def _surfaces_by_setting(ctx) -> dict:
    def compute():
        out: dict = {}
        for surface in _surfaces(ctx):
            if text_choices(ctx, surface, english=None):  # a surface no string suits is no use
                for setting in surface.settings:
                    out.setdefault(setting, []).append(surface)
        return {k: tuple(v) for k, v in out.items()}
    return memo(ctx, "surfaces_by_setting", compute)


def surfaces_for(ctx, place) -> tuple:
    """Surfaces that stand plausibly in ``place`` (by its setting) and suit some string."""
    return _surfaces_by_setting(ctx).get(place.setting, ())


def _suiting(ctx, surface: Surface, english: bool | None) -> tuple:
    # keyed by the kinds, not the surface: hashing a pool item hashes all its fields
    def compute():
        by_kind = _texts_by_kind(ctx)
        return tuple(t for k in surface.kinds for t in by_kind.get(k, ())
                     if english is None or (t.language == "en") == english)
    return memo(ctx, ("suiting", surface.kinds, english), compute)


def text_choices(ctx, surface: Surface, *, english: bool | None, exclude=()) -> list | tuple:
    """Strings that suit ``surface``; English only (True), other languages only (False) or any."""
    found = _suiting(ctx, surface, english)
    return [t for t in found if t.id not in exclude] if exclude else found


def _offers(ctx, surface: Surface, english: bool | None, used: set) -> bool:
    """Whether ``surface`` suits some string not in ``used`` (stops at the first one)."""
    return any(t.id not in used for t in _suiting(ctx, surface, english))


def add_surface(ctx, src: Source, *, english: bool | None = True, blank: bool = False) -> int:
    """Add a surface that fits ``src.place`` to ``src`` with a string on it (none if ``blank``);
    returns the surface's index. ``english`` (True/False) is a wish: when no surface offers
    such a string, any language will do. Raises ValueError when no surface fits at all."""
    rng = ctx.rng
    used = {t.item.id for t in src.texts}
    present = {o.item.id for o in src.objects}
    fitting = [s for s in surfaces_for(ctx, src.place) if s.id not in present]
    options = [s for s in fitting if _offers(ctx, s, english, used)]
    if not options:
        english = None
        options = [s for s in fitting if _offers(ctx, s, None, used)]
    if not options:
        raise Resample(f"no text surface fits {src.place.id!r}")
    surface = rng.choice(options)
    src.objects.append(Obj(item=surface, origin="blank" if blank else None))
    k = len(src.objects) - 1
    if not blank:
        item = rng.choice(text_choices(ctx, surface, english=english, exclude=used))
        src.texts.append(Text(item=item, on=k, font=rng.choice(ctx.pools["fonts"]),
                              colour=rng.choice(ctx.index.colours)))
    return k


def meaning(ctx, item) -> str:
    """'Japanese for "open"' for strings not in English, else ""."""
    if item.language == "en":
        return ""
    return f'{language_name(ctx, item.language)} for "{item.gloss}"'


def quote(item) -> str:
    return f'"{item.text}"'


def _surface_np(src: Source, k: int) -> str:
    return f"the {src.objects[k].phrase}"  # "the blank chalkboard" until something is written


def _text_item(item, on: int | None = None, **look) -> TextItem:
    return TextItem.record(text=item.text, language=item.language, script=item.script, on=on, **look)


def op_text_add(ctx, src: Source, k: int, item, *, font=None, colour=None) -> Op:
    """Write string ``item`` on surface ``k`` (in ``font``/``colour`` when given)."""
    surface = _surface_np(src, k)
    look = " ".join(x for x in (colour.name if colour else "", font.name if font else "") if x)
    text = _text_item(item, on=k, role=item.kind, font=font.name if font else None,
                      colour=colour.name if colour else None)
    src.texts.append(Text(item=item, on=k, font=font, colour=colour))
    src.objects[k] = changed(src.objects[k], origin=None)
    say = f"{quote(item)} on {surface}" + (f" in {look}" if look else "")
    verb, rest = ctx.rng.choice((("write", say), ("add", f"the words {say}"), ("letter", say), ("paint", say)))
    slot = {"op": "text_add", "text": item.id, "on": src.objects[k].item.id}
    if font:
        slot["font"] = font.id
    if colour:
        slot["colour"] = colour.id
    return Op(Edit.record(op="text_add", text=text), verb, rest, slot,
              {"text": item.text, "surface": surface, "kind": KIND_NOUNS[item.kind], "meaning": meaning(ctx, item),
               "look": look})


def op_text_replace(ctx, src: Source, t: int, item) -> Op:
    """Replace string ``t`` of ``src`` by ``item`` (same place, same lettering)."""
    old = src.texts[t]
    surface = _surface_np(src, old.on)
    src.texts[t] = changed(old, item=item)
    verb, rest = ctx.rng.choice((("replace", f"{quote(old.item)} on {surface} with {quote(item)}"),
                                ("change", f"{quote(old.item)} on {surface} to {quote(item)}"),
                                ("rewrite", f"{surface} to say {quote(item)} instead of {quote(old.item)}")))
    return Op(Edit.record(op="text_replace", target=t, text=_text_item(item)), verb, rest,
              {"op": "text_replace", "old": old.item.id, "text": item.id},
              {"old": old.item.text, "text": item.text, "surface": surface, "kind": KIND_NOUNS[old.item.kind],
               "meaning": meaning(ctx, item)})


# Text size changes: value (what apply_edits records) -> (predicate, noun phrase).
TEXT_SIZES = {"bigger": ("twice as large", "double its current size"),
              "smaller": ("half as large", "half its current size")}


def text_alter_choices(ctx, text: Text) -> dict:
    """attribute -> new values for the lettering of ``text``: colour, font, size."""
    pools = ctx.pools
    return {"colour": [c for c in ctx.index.colours if text.colour is None or c.id != text.colour.id],
            "font": [f for f in pools["fonts"] if text.font is None or f.id != text.font.id],
            "size": list(TEXT_SIZES)}


def _say(attribute: str, value) -> tuple[str, str]:
    """(predicate, noun phrase) for a new text value: ("in a flowing script", "a flowing script")."""
    if attribute == "colour":
        return value.name, value.name
    if attribute == "font":
        return f"in {value.name}", value.name
    return TEXT_SIZES[value]


def op_text_alter(ctx, src: Source, t: int, changes: list[tuple[str, object]] | None = None) -> list[Op]:
    """Change the lettering of string ``t``: [(attribute, value)], or one sampled."""
    old = src.texts[t]
    surface = _surface_np(src, old.on)
    if changes is None:
        choices = text_alter_choices(ctx, old)
        attribute = ctx.rng.choice(sorted(choices))
        changes = [(attribute, ctx.rng.choice(choices[attribute]))]
    makes, tos, edits, olds = [], [], [], []
    new = changed(old)
    for attribute, value in changes:
        make, to = _say(attribute, value)
        makes.append(make)
        tos.append(to)
        if attribute in ("colour", "font"):
            current = getattr(old, attribute)
            olds.append(_say(attribute, current)[0] if current is not None else "")
            setattr(new, attribute, value)
        else:
            olds.append("its current size")
        edits.append(Edit.record(op="text_alter", target=t, attribute=attribute,
                          value=value if isinstance(value, str) else value.name))
    src.texts[t] = new
    make, to, attrs = " and ".join(makes), " and ".join(tos), " and ".join(a for a, _ in changes)
    verb, rest = ctx.rng.choice((("make", f"the text {quote(old.item)} on {surface} {make}"),
                                ("change", f"the {attrs} of {quote(old.item)} on {surface} to {to}"),
                                ("restyle", f"{quote(old.item)} on {surface} so that it is {make}")))
    slot = {"op": "text_alter", "old": old.item.id,
            "changes": {a: (v if isinstance(v, str) else v.id) for a, v in changes}}
    words = {"old": old.item.text, "surface": surface, "make": make, "to": to, "attrs": attrs,
             "old_look": " and ".join(o for o in olds if o) or "the way it is now",
             "kind": KIND_NOUNS[old.item.kind], "meaning": meaning(ctx, old.item)}
    return [Op(edit, verb, rest, slot, words) for edit in edits]


def op_text_remove(ctx, src: Source, t: int) -> Op:
    old = src.texts[t]
    surface = _surface_np(src, old.on)
    del src.texts[t]
    verb, rest = ctx.rng.choice((("remove", f"the text {quote(old.item)} from {surface}"),
                                ("erase", f"{quote(old.item)} from {surface}"),
                                ("wipe", f"{quote(old.item)} off {surface}")))
    return Op(Edit.record(op="text_remove", target=t), verb, rest, {"op": "text_remove", "old": old.item.id},
              {"old": old.item.text, "surface": surface, "kind": KIND_NOUNS[old.item.kind],
               "meaning": meaning(ctx, old.item)})
