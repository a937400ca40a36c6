"""Words -> drawing decisions: relation kinds, size factors, glyph kinds and colours.

The pools (``ogi_toolkit.definition.pools``) are the one copy of every list; when they are
present the renderer reads colours' hex values, objects' categories and sizes and relations'
groups from them. Before they exist (or for words outside them) it falls back on small
keyword rules and on matplotlib's named colours, so any spec can be drawn.
"""
from __future__ import annotations

import functools
import hashlib
from typing import Any

from ...paths import POOLS_DIR

RGB = tuple[int, int, int]

# canonical relation id -> (layout kind, subject/object swapped?)
RELATION_KINDS: dict[str, tuple[str, bool]] = {
    "left_of": ("left", False), "right_of": ("left", True),
    "above": ("above", False), "below": ("above", True), "over": ("above", False),
    # diagonals: above and left of (swapped: below and right of)
    "above_left_of": ("above_left", False), "below_right_of": ("above_left", True),
    "up_and_left_of": ("above_left", False), "down_and_right_of": ("above_left", True),
    "next_to": ("adjacent", False), "beside": ("adjacent", False), "near": ("adjacent", False),
    "outside": ("adjacent", False), "between": ("flank", True),
    "in_front_of": ("front", False), "behind": ("behind", False),
    "inside": ("inside", False), "in": ("inside", False), "within": ("inside", False),
    "contains": ("inside", True), "enclosing": ("inside", True),
    "on_top_of": ("on_top", False), "on": ("on_top", False), "under": ("under", False),
    "beneath": ("under", False), "underneath": ("under", False),
    "surrounding": ("surround", False), "arranged_around": ("surround", False),
    "flanking": ("flank", False), "mirrors": ("mirror", False), "symmetric_to": ("mirror", False),
    # size comparisons: "larger" with the bigger one first (swapped: the object is the bigger);
    # which dimension is compared is COMPARED_DIMENSIONS'
    "larger_than": ("larger", False), "bigger_than": ("larger", False), "smaller_than": ("larger", True),
    "taller_than": ("larger", False), "shorter_than": ("larger", True),
    "longer_than": ("larger", False), "shorter_in_length_than": ("larger", True),
    "wider_than": ("larger", False), "narrower_than": ("larger", True),
    "heavier_than": ("larger", False), "less_heavy_than": ("larger", True),  # heavier drawn bigger
    "same_size_as": ("same_size", False),
    "darker_than": ("darker", False), "lighter_than": ("darker", True), "brighter_than": ("darker", True),
    "more_than": ("count", False), "fewer_than": ("count", True),
    # age is not a size: side by side, neither drawn bigger
    "older_than": ("adjacent", False), "newer_than": ("adjacent", False),
}
# the dimension a "larger" relation compares (bigger one first); unlisted ones compare areas
COMPARED_DIMENSIONS: dict[str, str] = {
    "taller_than": "height", "shorter_than": "height", "wider_than": "width", "narrower_than": "width",
    "longer_than": "length", "shorter_in_length_than": "length",
}
# a relation id unknown above takes the kind of its pool group
GROUP_KINDS = {"planar": "adjacent", "vertical": "above", "depth": "front", "containment": "inside",
               "contact": "on_top", "comparative": "larger", "symmetry": "mirror"}
# kinds whose subject is placed relative to its object (not in a grid cell of its own)
ATTACHED_KINDS = ("inside", "on_top", "under", "front", "behind", "surround", "flank", "mirror")

SIZE_FACTORS = {"tiny": 0.45, "miniature": 0.45, "small": 0.65, "little": 0.65, "medium": 0.85,
                "large": 1.1, "big": 1.1, "tall": 1.1, "huge": 1.4, "giant": 1.4, "enormous": 1.4,
                "massive": 1.4, "colossal": 1.5}


# an object's size class (the pool's) -> drawing scale: spread wider than the size words, so a
# deer next to a skyscraper, or a mug next to a horse, is drawn as much smaller as it is
CLASS_FACTORS = {"tiny": 0.35, "small": 0.5, "medium": 0.7, "large": 0.95, "huge": 1.3}
CATEGORY_FACTORS = {"building": 1.9, "celestial": 0.9}  # buildings tower over elephants; suns sit small in the sky


@functools.lru_cache(maxsize=1)
def pools() -> Any | None:
    """The project's pools, or None while they are not written yet (no pool files)."""
    if not any(POOLS_DIR.glob("*/*.yaml")):
        return None
    try:
        from ...definition.pools import load_pools
    except ImportError:
        return None
    return load_pools()


@functools.lru_cache(maxsize=64)
def _pool_index(pool: str) -> dict[str, Any]:
    """Id and lower-case name -> item, built once (a miss must not cost a fuzzy search)."""
    p = pools()
    if p is None or pool not in p:
        return {}
    index: dict[str, Any] = {}
    for item in p[pool]:
        index.setdefault(item.name.lower(), item)
        index[item.id] = item
    return index


def pool_item(pool: str, key: str | None) -> Any | None:
    """The pool item whose id or name is ``key`` (spaces and dashes read as underscores)."""
    if not key:
        return None
    index = _pool_index(pool)
    return index.get(key) or index.get(key.lower()) or index.get(key.lower().replace(" ", "_").replace("-", "_"))


def stable_int(*parts: object) -> int:
    """A hash of ``parts`` that is the same in every process (``hash()`` is salted)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def relation_kind(relation: str) -> tuple[str, bool]:
    """(layout kind, swapped) of a relation id; unknown ids are interactions (an arrow)."""
    if relation in RELATION_KINDS:
        return RELATION_KINDS[relation]
    item = pool_item("relations", relation)
    if item is not None:
        if item.inverse and item.inverse in RELATION_KINDS:
            kind, swapped = RELATION_KINDS[item.inverse]
            return kind, not swapped
        return GROUP_KINDS.get(item.group, "adjacent"), False
    return "interact", False


def size_factor(obj) -> float:
    """How big an object is drawn relative to a medium one."""
    for word in (obj.size or "").lower().replace("-", " ").split():
        if word in SIZE_FACTORS:
            return SIZE_FACTORS[word]
    item = pool_item("sizes", obj.size)
    if item is not None:  # ranks 1..9 of the size pool
        return 0.4 + 0.12 * (item.rank - 1)
    item = pool_item("objects", obj.name)
    if item is not None:
        return CATEGORY_FACTORS.get(item.category, CLASS_FACTORS[item.size_class])
    return 0.85


# glyph kind <- keywords found in an object's category or name (first match wins)
_GLYPH_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("person", ("person", "people", "man", "woman", "boy", "girl", "child", "chef", "doctor", "player",
                "worker", "teacher", "artist", "farmer", "police", "dancer", "astronaut", "knight",
                "student", "baby", "musician", "profession", "pilot", "nurse", "soldier", "king", "queen",
                "climber", "hiker", "runner", "swimmer", "skier", "traveller", "tourist", "worker", "crowd")),
    ("bird", ("bird", "parrot", "eagle", "owl", "duck", "chicken", "penguin", "swan", "crow", "pigeon",
              "flamingo", "hen", "sparrow")),
    ("fish", ("fish", "shark", "whale", "dolphin", "goldfish", "salmon", "marine", "octopus")),
    ("animal", ("animal", "dog", "cat", "horse", "cow", "lion", "tiger", "bear", "rabbit", "fox", "deer",
                "elephant", "mouse", "pig", "sheep", "goat", "wolf", "giraffe", "zebra", "monkey",
                "panda", "squirrel", "pet", "mammal", "insect", "reptile", "dragon", "unicorn", "turtle")),
    ("aircraft", ("aircraft", "airplane", "aeroplane", "airliner", "plane", "glider", "helicopter", "jet", "rocket",
                  "drone", "spaceship", "balloon", "airship", "blimp")),
    ("boat", ("boat", "ship", "sailboat", "canoe", "kayak", "yacht", "submarine", "ferry")),
    ("vehicle", ("vehicle", "car", "bus", "truck", "bicycle", "bike", "motorcycle", "train", "tractor",
                 "van", "taxi", "scooter", "tram", "wagon", "cart")),
    ("building", ("building", "house", "tower", "castle", "church", "barn", "skyscraper", "lighthouse",
                  "temple", "cabin", "hut", "bridge", "architecture", "greenhouse")),
    ("tree", ("tree", "oak", "pine", "palm", "forest")),
    ("flower", ("flower", "rose", "tulip", "sunflower", "daisy", "lily", "orchid")),
    ("plant", ("plant", "cactus", "bush", "fern", "grass", "mushroom", "vegetation")),
    ("celestial", ("sun", "moon", "planet", "star", "celestial", "comet", "galaxy")),
    ("fruit", ("fruit", "apple", "orange", "banana", "lemon", "pear", "cherry", "grape", "peach",
               "tomato", "strawberry", "vegetable", "egg")),
    ("sign", ("sign", "signboard", "board", "chalkboard", "billboard", "poster", "banner", "placard", "notice",
              "menu", "plaque", "signpost", "whiteboard", "blackboard", "label", "sticker", "flag",
              "book", "cover", "page", "card", "magazine")),
    ("cup", ("cup", "mug", "glass", "teacup", "vase", "jar", "pot", "bowl", "kettle", "drink")),
    ("bottle", ("bottle", "flask", "candle", "lamp", "vial")),
    # after "cup": "a glass of water" is a glass; water alone is a drop
    ("liquid", ("water", "liquid", "milk", "juice", "oil", "lava", "ink", "rain", "raindrop", "droplet", "drop",
                "honey", "syrup", "coffee", "tea", "soup", "wine")),
    ("food", ("food", "cake", "pizza", "bread", "sandwich", "donut", "cookie", "burger", "pie", "dish")),
    ("container", ("container", "box", "crate", "cage", "basket", "chest", "suitcase", "bag", "aquarium",
                   "bucket", "drawer", "tank", "cabinet")),
    ("furniture", ("furniture", "chair", "table", "sofa", "bed", "desk", "bench", "shelf", "stool")),
    ("ball", ("ball", "sport", "globe", "balloon", "orb")),
    ("device", ("device", "electronic", "phone", "laptop", "computer", "television", "tv", "camera",
                "clock", "radio", "screen", "robot", "machine", "appliance")),
    ("tool", ("tool", "hammer", "wrench", "key", "pen", "pencil", "brush", "umbrella", "knife", "spoon",
              "fork", "instrument", "guitar", "violin", "sword", "utensil")),
]
GENERIC_SHAPES = ("circle", "rounded", "triangle", "hexagon", "diamond", "star")


def glyph_kind(obj) -> str:
    """Which schematic glyph draws ``obj``: by pool facts, then keywords, then a stable shape."""
    item = pool_item("objects", obj.name)
    words = " ".join(filter(None, [obj.category, getattr(item, "category", None), obj.name])).lower()
    if item is not None and item.person:
        return "person"
    tokens = set(words.replace("-", " ").replace("_", " ").split())
    # the head noun decides: a departure board is a board, a glass of water a glass
    head = obj.name.lower().replace("-", " ").split(" of ")[0].split()[-1:]
    for kind, keys in _GLYPH_KEYWORDS:
        if set(head).intersection(keys):
            return kind
    for kind, keys in _GLYPH_KEYWORDS:
        if tokens.intersection(keys):
            return kind
    for kind, keys in _GLYPH_KEYWORDS:  # compounds: "basketball", "teacup", "sailboat"
        if any(t.endswith(k) for t in tokens for k in keys if len(k) >= 3):
            return kind
    if item is not None and item.animate:
        return "animal"
    if item is not None and item.container:
        return "container"
    return GENERIC_SHAPES[stable_int("shape", obj.name) % len(GENERIC_SHAPES)]


@functools.lru_cache(maxsize=1024)
def colour_rgb(name: str | None, fallback_key: str = "") -> RGB:
    """RGB of a colour name: the colour pool, then matplotlib's named colours, then a hash."""
    if name:
        item = pool_item("colours", name)
        if item is not None:
            return _hex(item.hex)
        from matplotlib import colors  # only the colour tables, not pyplot

        text = name.lower().strip()
        shade = 1.0
        for prefix, factor in (("dark ", 0.6), ("deep ", 0.7), ("light ", 1.45), ("pale ", 1.6), ("bright ", 1.15)):
            if text.startswith(prefix):
                text, shade = text[len(prefix):], factor
        for candidate in (text, text.replace(" ", ""), f"xkcd:{text}"):
            if colors.is_color_like(candidate):
                rgb = [round(255 * c) for c in colors.to_rgb(candidate)]
                return _shade(tuple(rgb), shade)  # type: ignore[arg-type]
    h = stable_int("colour", name or fallback_key)
    # a pleasant mid-saturation colour from the hash, so unknown names are still distinct
    import colorsys

    r, g, b = colorsys.hsv_to_rgb((h % 360) / 360, 0.45 + (h >> 9) % 30 / 100, 0.65 + (h >> 17) % 25 / 100)
    return round(r * 255), round(g * 255), round(b * 255)


def _hex(value: str) -> RGB:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def _shade(rgb: RGB, factor: float) -> RGB:
    if factor >= 1:  # lighten toward white
        t = min(1.0, factor - 1)
        return tuple(round(c + (255 - c) * t) for c in rgb)  # type: ignore[return-value]
    return tuple(round(c * factor) for c in rgb)  # type: ignore[return-value]


def darker(rgb: RGB, factor: float = 0.55) -> RGB:
    return _shade(rgb, factor)


def lighter(rgb: RGB, amount: float = 0.5) -> RGB:
    return _shade(rgb, 1 + amount)


def style_treatment(style: str | None, family: str | None) -> tuple[str | None, str | None]:
    """(treatment name, family) of a style id: the style pool's ``sketch_treatment``, else keywords."""
    if not style:
        return None, family
    item = pool_item("styles", style)
    if item is not None:
        return item.sketch_treatment, family or item.family
    from .treatments import treatment_for_words

    return treatment_for_words(style, family), family


_STATE_WORDS = ("melted", "melting", "broken", "cracked", "shattered", "split", "snapped", "wet", "soaked", "flooded",
                "burning", "burnt", "burned", "scorched", "charred", "blackened", "frozen", "icy", "glowing",
                "wilted", "drooping", "spilled", "torn", "dripping", "smoking", "smoke", "rusted", "rusty",
                "rotten", "mouldy", "moldy", "deflated", "flat", "overflowing", "fallen", "toppled", "empty",
                "weathered", "faded", "aged", "worn", "peeling", "dusty", "abandoned", "overgrown", "neglected",
                "dried", "wrinkled", "shrivelled", "shriveled")


def state_words(text: str) -> str:
    """The state words a text uses ("burnt, smoke"), in the order of _STATE_WORDS, or ""."""
    import re

    lowered = text.lower()
    return ", ".join(w for w in _STATE_WORDS if re.search(r"\b" + w + r"\b", lowered))


@functools.lru_cache(maxsize=256)
def objects_named_in(text: str, limit: int = 4) -> tuple:
    """Objects a plain description names (see ``Pools.objects_named_in``), first mention
    first, with the state words it uses ("melted", "broken") as their state: what the
    renderer draws for a scene given only as words."""
    from ...spec import SceneObject

    p = pools()
    names = [item.name for item in p.objects_named_in(text, limit)] if p is not None and "objects" in p else []
    states = state_words(text)
    attributes = {"state": states} if states else {}
    return tuple(SceneObject(name=name, attributes=attributes if k == 0 else {}) for k, name in enumerate(names))
