"""Builders of the six In-Image Text Rendering subtasks.

Every string an image must show comes from the text pool and is quoted verbatim in the
instruction (the grammar clean-up never touches quoted text); the scene's ``texts`` carry
each string with its language, script, role and, where asked, font and colour, and ``on``
points at the surface object it is written on.
"""
from __future__ import annotations

from ogi_toolkit.spec import Scene, SceneObject, TextItem
from ogi_toolkit.templates.builders.base import Built, register
from ogi_toolkit.templates.grammar import join_and

from ..kit import SCENE_WORDS, categories_except, distinct, draw, language_name, maybe_scene, memo, objects

# Verbs that introduce a quoted string; surface choices only.
_READS = ("reads", "says", "displays", "shows")


def quote(text: str) -> str:
    return f'"{text}"'


def _values(ctx, field: str, keep) -> tuple:
    """The values of ``field`` among the texts that ``keep`` accepts: a hashable filter."""
    return tuple(sorted({getattr(t, field) for t in ctx.pools["texts"] if keep(getattr(t, field))}, key=str))


def _texts(ctx, k: int, exclude=(), **where) -> list:
    """``k`` distinct texts; YAML ``params`` may limit ``languages`` (primary subtags),
    ``scripts`` and exclude ``tones`` for the whole subtask."""
    languages, scripts = ctx.params.get("languages"), ctx.params.get("scripts")
    if languages:
        where.setdefault("language", memo(ctx, ("languages", tuple(languages)), lambda: _values(
            ctx, "language", lambda lang: lang.split("-")[0] in languages)))
    if scripts:
        where.setdefault("script", tuple(scripts))
    if ctx.params.get("exclude_tones"):
        where.setdefault("tone", _toned(ctx))
    return draw(ctx, "texts", k, exclude, **where)


def _toned(ctx) -> tuple:
    """Tones of the text pool, without the subtask's ``params.exclude_tones``."""
    banned = tuple(ctx.params.get("exclude_tones", ()))
    return memo(ctx, ("tones", banned), lambda: _values(ctx, "tone", lambda t: t is not None and t not in banned))


def _foreign(ctx) -> tuple:
    """Languages of the text pool other than English."""
    return memo(ctx, "foreign_languages", lambda: _values(ctx, "language", lambda lang: not lang.startswith("en")))


def _surface(ctx, text, exclude=()) -> object:
    """A surface suited to the text's kind (any surface when none lists that kind)."""
    suited = memo(ctx, ("surfaces", text.kind), lambda: ctx.pools.filter("surfaces", kinds=text.kind))
    if len(suited) <= len(exclude):
        suited = ctx.pools["surfaces"]
    return distinct(ctx.rng, suited, 1, exclude, what=f"surfaces for {text.kind!r} texts")[0]


def _text_item(text, role: str | None = None, **fields) -> TextItem:
    return TextItem.record(text=text.text, language=text.language, script=text.script, role=role or text.kind, **fields)


def _surface_object(surface) -> SceneObject:
    return SceneObject.record(name=surface.name, category="surface")


# --- Textual Accuracy -----------------------------------------------------------------------

ACCURACY_SLOTS = ("texts_q", "surfaces", "placements", "first", "first_surface", "reads", "n_texts", *SCENE_WORDS)


@register("text_accuracy", params=("languages", "scripts", "exclude_tones"), slot_names=ACCURACY_SLOTS)
def build_text_accuracy(ctx) -> Built:
    """1-3 exact strings (grade = count), each on a surface that suits its kind; a scene at
    grade 3. ``params.languages`` limits the languages (default: any)."""
    d = min(ctx.difficulty, 3)
    texts = _texts(ctx, d)
    surfaces = []
    for text in texts:
        surfaces.append(_surface(ctx, text, exclude=[s.id for s in surfaces]))
    words, scene_item = maybe_scene(ctx, {1: 0.3, 2: 0.5, 3: 1.0}[d])
    words.update({
        "texts_q": [quote(t.text) for t in texts], "surfaces": [s.name for s in surfaces],
        "placements": [f"{ctx.lexicon.a(s.name)} that {ctx.rng.choice(_READS)} {quote(t.text)}" for t, s in zip(texts, surfaces)],
        "first": quote(texts[0].text), "first_surface": surfaces[0].name, "reads": ctx.rng.choice(_READS),
        "n_texts": len(texts),
    })
    slots = {"texts": [t.id for t in texts], "surfaces": [s.id for s in surfaces],
             "scene": scene_item.id if scene_item else None}
    scene = Scene.record(objects=[_surface_object(s) for s in surfaces],
                  texts=[_text_item(t, on=i) for i, t in enumerate(texts)],
                  background=scene_item.name if scene_item else None, layout="text")
    return Built(slots=slots, words=words, scene=scene)


# --- Typography -----------------------------------------------------------------------------

TYPOGRAPHY_SLOTS = ("text", "text2", "font", "font2", "colour", "colour2", "effect", "surface", *SCENE_WORDS)
# Typographic treatments a renderer can check; canonical (they change the image).
EFFECTS = ("set along a gentle arc", "stacked on two lines", "with wide letter spacing", "with a thick outline",
           "with a long drop shadow", "running diagonally across the frame", "centred with generous margins",
           "in tightly kerned letters", "with a subtle gradient fill", "inside a thin rectangular border")


@register("typography", params=("languages", "scripts", "exclude_tones"), slot_names=TYPOGRAPHY_SLOTS)
def build_typography(ctx) -> Built:
    """A string in a named typeface treatment. Grade 2 adds a colour, a layout effect and a
    surface; grade 3 pairs a headline and a second line in contrasting typefaces and colours."""
    d = min(ctx.difficulty, 3)
    texts = _texts(ctx, 2 if d == 3 else 1)
    fonts = distinct(ctx.rng, ctx.pools["fonts"], len(texts))
    if len(fonts) == 2 and fonts[0].family == fonts[1].family:
        contrast = [f for f in ctx.pools["fonts"] if f.family != fonts[0].family]
        fonts[1] = ctx.rng.choice(contrast) if contrast else fonts[1]
    colours = distinct(ctx.rng, ctx.pools["colours"], len(texts)) if d >= 2 else []
    effect = ctx.rng.choice(EFFECTS) if d >= 2 else ""
    surface = _surface(ctx, texts[0]) if d >= 2 else None
    words, scene_item = maybe_scene(ctx, {1: 0.0, 2: 0.3, 3: 0.5}[d])
    words.update({
        "text": quote(texts[0].text), "text2": quote(texts[1].text) if len(texts) > 1 else "",
        "font": fonts[0].name, "font2": fonts[1].name if len(fonts) > 1 else "",
        "colour": colours[0].name if colours else "", "colour2": colours[1].name if len(colours) > 1 else "",
        "effect": effect, "surface": surface.name if surface else "",
    })
    slots = {"texts": [t.id for t in texts], "fonts": [f.id for f in fonts], "colours": [c.id for c in colours],
             "effect": effect or None, "surface": surface.id if surface else None,
             "scene": scene_item.id if scene_item else None}
    items = [_text_item(t, font=f.name, colour=colours[i].name if colours else None, on=0 if surface else None)
             for i, (t, f) in enumerate(zip(texts, fonts))]
    if len(items) == 2:
        items[0] = TextItem.record(**{**items[0], "role": "headline"})
        items[1] = TextItem.record(**{**items[1], "role": "subline"})
    scene = Scene.record(objects=[_surface_object(surface)] if surface else [], texts=items,
                  background=scene_item.name if scene_item else None, layout="typography")
    return Built(slots=slots, words=words, scene=scene)


# --- Structured Text Layout -----------------------------------------------------------------

LAYOUT_SLOTS = ("layout", "shape", "title", "entries", "rows", "n_entries", "has_values", *SCENE_WORDS)


@register("text_layout", params=("languages", "scripts", "exclude_tones"), slot_names=LAYOUT_SLOTS)
def build_text_layout(ctx) -> Built:
    """A structured layout (menu, timetable, poster ...) filled with a title and entries (and
    paired values) from the text pool: 2 entries at grade 1, 3-4 at 2, 5-6 at 3."""
    d = min(ctx.difficulty, 3)
    layout = ctx.rng.choice(ctx.pools["layouts"])
    title = _texts(ctx, 1, kind=layout.title)[0]
    n = {1: 2, 2: ctx.rng.choice((3, 4)), 3: ctx.rng.choice((5, 6))}[d]
    # Entries in the title's language when it has enough of them (a menu in one language),
    # else in English, else in any language.
    for language in (title.language, "en", None):
        where = {"kind": layout.entries, **({"language": language} if language else {})}
        available = ctx.pools.count("texts", **where) - (title.kind == layout.entries and title.language == language)
        if available >= min(n, 2):
            break
    n = min(n, available)
    entries = _texts(ctx, n, exclude=[title.id], **where)
    values = _texts(ctx, n, kind=layout.values, exclude=[title.id]) if layout.values else []
    rows = [quote(e.text) + (f" — {quote(v.text)}" if values else "") for e, v in zip(entries, values or entries)]
    words, scene_item = maybe_scene(ctx, {1: 0.0, 2: 0.3, 3: 0.5}[d])
    words.update({
        "layout": layout.name, "shape": layout.shape, "title": quote(title.text),
        "entries": [quote(e.text) for e in entries], "rows": rows, "n_entries": len(entries),
        "has_values": bool(values),
    })
    slots = {"layout": layout.id, "title": title.id, "entries": [e.id for e in entries],
             "values": [v.id for v in values], "scene": scene_item.id if scene_item else None}
    texts = [_text_item(title, role="title", on=0)]
    for e, v in zip(entries, values or [None] * len(entries)):
        texts.append(_text_item(e, role="entry", on=0))
        if v is not None:
            texts.append(_text_item(v, role="value", on=0))
    scene = Scene.record(objects=[SceneObject.record(name=layout.name, category="layout")], texts=texts,
                  background=scene_item.name if scene_item else None, layout=layout.shape)
    return Built(slots=slots, words=words, scene=scene)


# --- Text-Graphic Integration ---------------------------------------------------------------

GRAPHIC_SLOTS = ("text", "mode", "medium", "icon", "badge", "colour", "backdrop", "text2", *SCENE_WORDS)
# Where letters are the graphic: canonical ways a word becomes part of the picture.
BADGES = ("a round badge", "a shield-shaped crest", "a ribbon banner", "a speech bubble", "a hexagonal emblem",
          "a vintage stamp", "a circular seal")
IN_SCENE = ("written in the clouds above", "formed by lights in the windows of", "traced in the sand in front of",
            "painted as a mural on the wall behind", "carved into the bark of a tree beside",
            "spelled out in fallen leaves near", "drawn in frost on a window overlooking")


@register("text_graphic", params=("languages", "scripts", "exclude_tones"), slot_names=GRAPHIC_SLOTS)
def build_text_graphic(ctx) -> Built:
    """Text that is part of the graphic. Grade 1: letters made of a material or of objects.
    Grade 2: a logo-like emblem combining the word with an object icon in a badge shape.
    Grade 3: the word formed by an element of a scene around an object, plus a second string."""
    d = min(ctx.difficulty, 3)
    text = _texts(ctx, 1, script="Latn")[0]
    words, scene_item = maybe_scene(ctx, 1.0 if d == 3 else 0.0)
    words.update({"text": quote(text.text), "medium": "", "icon": "", "badge": "", "colour": "",
                  "backdrop": "", "text2": ""})
    slots: dict = {"text": text.id, "scene": scene_item.id if scene_item else None}
    objects_out: list[SceneObject] = []
    texts = [_text_item(text)]
    if d == 1:
        if ctx.rng.random() < 0.5:
            material = ctx.rng.choice(ctx.pools["materials"])
            words["medium"], slots["material"] = f"letters made of {material.name}", material.id
        else:
            item = objects(ctx, 1, size_class=["tiny", "small"])[0]
            words["medium"], slots["object"] = f"letters built from {item.plural}", item.id
            objects_out.append(SceneObject.record(name=item.name, category=item.category, count=len(text.text)))
        backdrop = ctx.rng.choice(ctx.pools["colours"])
        words["backdrop"], slots["backdrop"] = backdrop.name, backdrop.id
        mode = "made_of"
    elif d == 2:
        item = objects(ctx, 1)[0]
        colour = ctx.rng.choice(ctx.pools["colours"])
        badge = ctx.rng.choice(BADGES)
        words.update({"icon": item.name, "badge": badge, "colour": colour.name})
        slots.update({"object": item.id, "badge": badge, "colour": colour.id})
        objects_out.append(SceneObject.record(name=item.name, category=item.category, attributes={"role": "icon"}))
        texts[0] = _text_item(text, colour=colour.name, on=0)
        mode = "emblem"
    else:
        item = objects(ctx, 1, category=categories_except(ctx, ("celestial",)))[0]
        medium = ctx.rng.choice(IN_SCENE)
        second = _texts(ctx, 1, exclude=[text.id], script="Latn")[0]
        words.update({"medium": medium, "icon": item.name, "text2": quote(second.text)})
        slots.update({"object": item.id, "medium": medium, "text2": second.id})
        objects_out.append(SceneObject.record(name=item.name, category=item.category))
        texts.append(_text_item(second, on=0))
        mode = "in_scene"
    words["mode"], slots["mode"] = mode, mode
    scene = Scene.record(objects=objects_out, texts=texts, background=scene_item.name if scene_item else None,
                  layout=f"text_graphic_{mode}")
    return Built(slots=slots, words=words, scene=scene)


# --- Multilingual Support -------------------------------------------------------------------

MULTILINGUAL_SLOTS = ("text", "gloss", "language", "texts_q", "languages", "surface", *SCENE_WORDS)


@register("multilingual_text", params=("languages", "scripts", "exclude_tones"), slot_names=MULTILINGUAL_SLOTS)
def build_multilingual(ctx) -> Built:
    """Non-English strings in their own scripts. Grade 1: one string on a surface. Grade 2: a
    bilingual surface with the string and its English gloss. Grade 3: three strings in three
    different scripts on one surface, in a scene."""
    d = min(ctx.difficulty, 3)
    first = _texts(ctx, 1, language=_foreign(ctx))[0]
    texts = [first]
    if d == 3:
        scripts = memo(ctx, "scripts", lambda: _values(ctx, "script", lambda s: True))
        for _ in range(2):
            free = tuple(s for s in scripts if s not in {t.script for t in texts})
            texts += _texts(ctx, 1, language=_foreign(ctx), script=free)
    surface = _surface(ctx, first)
    words, scene_item = maybe_scene(ctx, {1: 0.3, 2: 0.5, 3: 1.0}[d])
    words.update({
        "text": quote(first.text), "gloss": quote(first.gloss or "") if d == 2 else "", "language": language_name(ctx, first.language),
        "texts_q": [f"{quote(t.text)} ({language_name(ctx, t.language)})" for t in texts],
        "languages": join_and([language_name(ctx, t.language) for t in texts]),
        "surface": surface.name,
    })
    items = [_text_item(t, on=0) for t in texts]
    if d == 2:
        items.append(TextItem.record(text=first.gloss or "", language="en", script="Latn", role="translation", on=0))
    slots = {"texts": [t.id for t in texts], "with_gloss": d == 2, "surface": surface.id,
             "scene": scene_item.id if scene_item else None}
    scene = Scene.record(objects=[_surface_object(surface)], texts=items,
                  background=scene_item.name if scene_item else None, layout="text")
    return Built(slots=slots, words=words, scene=scene)



# --- Textual Tone and Style -----------------------------------------------------------------

TONE_SLOTS = ("text", "tone", "cue", "cues", "surface", "font", *SCENE_WORDS)
# How each tone of the tones pool looks as lettering: (font descriptor, colour), taken from
# its cues, so a renderer draws the tone rather than plain black text. Unknown tones: none.
TONE_LOOKS = {
    "neutral": ("sans", "dimgray"), "friendly": ("handwritten", "darkorange"), "playful": ("bold handwritten", "magenta"),
    "elegant": ("serif italic", "goldenrod"), "urgent": ("bold sans capitals", "red"), "formal": ("serif", "black"),
    "retro": ("bold display", "chocolate"), "futuristic": ("sans neon", "cyan"), "spooky": ("bold", "purple"),
    "romantic": ("script", "deeppink"), "rustic": ("hand-painted", "saddlebrown"), "luxurious": ("bold serif", "gold"),
    "calm": ("sans", "steelblue"), "energetic": ("bold italic", "orangered"), "official": ("bold sans", "navy"),
    "cheerful": ("bold", "orange"), "mysterious": ("serif italic", "midnightblue"), "vintage": ("serif", "sienna"),
}


@register("text_tone", params=("languages", "scripts", "exclude_tones"), slot_names=TONE_SLOTS)
def build_text_tone(ctx) -> Built:
    """A string whose lettering must carry its tone. Grade 1: the tone named. Grade 2: the
    tone with two of its visual cues on a surface. Grade 3: cues, a matching typeface and a
    scene."""
    d = min(ctx.difficulty, 3)
    text = _texts(ctx, 1, tone=_toned(ctx))[0]
    tone = ctx.pools.get("tones", text.tone)
    k = {1: 0, 2: min(2, len(tone.cues)), 3: min(3, len(tone.cues))}[d]
    cue_idx = sorted(ctx.rng.sample(range(len(tone.cues)), k))
    cues = [tone.cues[i] for i in cue_idx]
    surface = _surface(ctx, text) if d >= 2 else None
    font = ctx.rng.choice(ctx.pools["fonts"]) if d == 3 else None
    words, scene_item = maybe_scene(ctx, {1: 0.0, 2: 0.3, 3: 1.0}[d])
    look = TONE_LOOKS.get(tone.id, (None, None))
    words.update({
        "text": quote(text.text), "tone": tone.name, "cue": cues[0] if cues else "", "cues": join_and(cues),
        "surface": surface.name if surface else "", "font": font.name if font else "",
    })
    slots = {"text": text.id, "cues": cue_idx, "surface": surface.id if surface else None,
             "font": font.id if font else None, "scene": scene_item.id if scene_item else None}
    scene = Scene.record(objects=[_surface_object(surface)] if surface else [],
                  texts=[_text_item(text, font=font.name if font else look[0], colour=look[1], on=0 if surface else None)],
                  background=scene_item.name if scene_item else None, layout="text")
    return Built(slots=slots, words=words, scene=scene)
