"""Poses: what an object's action does to its drawing, so a change of motion shows.

Every pose is a transform of the whole pictogram inside its own instance box (a tilt, a flip,
a lift off the ground, lying on its side, squashed down) plus motion marks of its own kind
(speed lines, a jump arc, fall streaks, a turning arrow, "z"s for sleep). Staying inside the
instance box is what keeps an edit's changed pixels inside the object's region.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from PIL import Image, ImageDraw


@dataclass(frozen=True)
class Pose:
    name: str
    rotate: float = 0.0  # degrees, counter-clockwise (the pictograms face left: + leans forward)
    flip: bool = False  # faces the other way
    lift: float = 0.0  # raised off the ground, as a fraction of the box height
    squash: float = 1.0  # height scale, feet kept on the ground (sitting, crouching)
    narrow: float = 1.0  # width scale (stretching up)
    marks: str | None = None  # speed, arc, fall, turn, wind, waves, zz, swirl, up, wave, stretch


POSES: dict[str, Pose] = {p.name: p for p in (
    Pose("stand"),
    # hands busy with something (stirring, writing, repairing): a lean over it and a small
    # mark at the hands, so it is never drawn exactly like standing
    Pose("hold", rotate=10, marks="busy"),
    Pose("voice", marks="voice"),  # singing, shouting, barking: sound lines from the mouth
    Pose("upside_down", rotate=180, marks="arc"),  # a handstand, a cartwheel, rolling over
    Pose("walk", rotate=6, marks="speed"), Pose("run", rotate=16, marks="speed"),
    Pose("jump", lift=0.3, marks="arc"), Pose("fly", rotate=-12, lift=0.22, marks="wind"),
    Pose("lie", rotate=90), Pose("sleep", rotate=90, marks="zz"),
    Pose("swim", rotate=75, marks="waves"), Pose("fall", rotate=135, lift=0.1, marks="fall"),
    Pose("sit", squash=0.72), Pose("crouch", squash=0.6), Pose("bow", rotate=35),
    Pose("turn", flip=True, marks="turn"), Pose("dance", rotate=-14, marks="swirl"),
    Pose("wave", rotate=-8, marks="wave"), Pose("throw", rotate=12, marks="speed"),
    Pose("kick", rotate=-18, marks="speed"), Pose("climb", rotate=-25, marks="up"),
    Pose("stretch", narrow=0.78, marks="stretch"),
)}
# action keywords -> pose (first match wins: "falling asleep" sleeps, "turning to run" turns)
_KEYWORDS = [
    ("upside_down", ("handstand", "cartwheel", "roll over", "rolling over", "somersault", "upside")),
    ("voice", ("sing", "shout", "whistl", "laugh", "sneez", "bark", "meow", "roar", "howl", "honk", "beep",
               "talk", "call", "cry", "crying", "yell", "chirp", "moo", "smil", "tick")),
    ("sleep", ("sleep", "asleep", "napping", "dozing", "curl up", "curling up", "curled")),
    ("lie", ("lying", "lie ", "lies", "resting", "reclin")),
    ("fall", ("fall", "tumbl", "toppl", "trip", "slip", "drop", "sink")), ("swim", ("swim", "diving", "dive", "float")),
    ("fly", ("fly", "flying", "soar", "glid", "hover", "flutter", "flap", "spread", "take off", "taking off")),
    ("jump", ("jump", "leap", "hop", "bounc", "vault", "skip", "pounc")),
    ("turn", ("turn", "rotat", "spin around", "look back", "looking back", "corner")),
    ("run", ("run", "sprint", "chas", "racing", "gallop", "dash", "flee", "jog", "charg", "rush", "speed along",
             "ride", "riding", "drive", "driving", "row", "sail", "skid", "roll", "speed")),
    ("sit", ("sit", "seated", "perch", "meditat", "pray", "yoga")),
    ("crouch", ("squat", "kneel", "crouch", "duck", "hunch", "hide", "hiding", "crawl")),
    ("bow", ("bow", "bend", "lean", "stoop", "reach", "curts", "nod", "graz", "peck", "sniff", "dig", "sweep",
             "vacuum", "groom", "smell", "nibbl", "land")),
    ("stretch", ("stretch", "yawn", "hind legs", "bloom", "flower")),
    ("wave", ("wav", "greet", "point", "rais", "salut", "cheer", "clap", "shrug", "wag")),
    ("throw", ("throw", "toss", "pitch", "serv", "swing", "catch", "juggl")),
    ("kick", ("kick",)), ("dance", ("danc", "spin", "twirl", "pirouet", "shak", "sway", "rock")),
    ("climb", ("climb", "scal", "look up", "looking up")),
    ("walk", ("walk", "stroll", "march", "hik", "wander", "strid", "pac", "tiptoe")),
    ("hold", ("hold", "carry", "hug", "read", "eat", "drink", "play", "paint", "cook", "push", "pull", "feed",
              "stir", "chop", "pour", "water", "plant", "pick", "wash", "repair", "build", "open", "clos", "fold",
              "wrap", "typ", "writ", "draw", "photograph", "bak", "slic", "knit", "tie", "tying", "inflat", "stack",
              "light", "blow", "nuzzl", "strok", "listen", "look at", "looking at", "look through", "looking through",
              "scan", "wear", "put on", "putting on", "tow")),
]


def pose_name(action: str | None) -> str:
    """The pose of the first keyword that starts a word of ``action`` (so "raising" is not
    "singing", nor "flying" "lying")."""
    text = f" {(action or '').lower()} "
    for name, keys in _KEYWORDS:
        if any(re.search(r"\b" + re.escape(k.strip()), text) for k in keys):
            return name
    return "stand"


def pose_for(action: str | None) -> Pose:
    return POSES[pose_name(action)]


def lies_flat(action: str | None) -> bool:
    """Whether the pose turns the body on its side (its box is wider than tall)."""
    return pose_for(action).rotate in (75, 90)


def pose_tile(tile: Image.Image, pose: Pose) -> Image.Image:
    """``tile`` (RGBA, the drawing filling its box) transformed by ``pose``, same size, the
    transformed drawing fitted inside with room left for the lift and the marks."""
    w, h = tile.size
    img = tile.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if pose.flip else tile
    if pose.rotate:
        img = img.rotate(pose.rotate, resample=Image.Resampling.BICUBIC, expand=True)
        box = img.getbbox()
        img = img.crop(box) if box else img
    room_w = w * (0.86 if pose.marks else 1.0)  # room beside the body for its marks
    room_h = h * (1 - pose.lift) * (0.86 if pose.marks in ("zz", "turn", "wave", "fall") else 1.0)
    fit = min(room_w / max(1, img.width), room_h / max(1, img.height))
    size = (max(1, round(img.width * fit * pose.narrow)), max(1, round(img.height * fit * pose.squash)))
    if size != img.size:
        img = img.resize(size, Image.Resampling.BILINEAR)
    out = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    x = (w - img.width) // 2 + (round(w * 0.07) if pose.marks == "speed" else 0)
    y = h - img.height - round(h * pose.lift)  # feet stay on the ground unless lifted
    out.alpha_composite(img, (max(0, min(w - img.width, x)), max(0, y)))
    _marks(out, pose, (max(0, x), max(0, y), max(0, x) + img.width, max(0, y) + img.height))
    return out


def _marks(tile: Image.Image, pose: Pose, body: tuple[int, int, int, int]) -> None:
    """The pose's motion marks, drawn on the tile around the transformed body."""
    if not pose.marks:
        return
    w, h = tile.size
    d = ImageDraw.Draw(tile)
    ink = (70, 70, 80, 255)
    lw = max(1, min(w, h) // 40)
    bx0, by0, bx1, by1 = body
    bh = by1 - by0
    if pose.marks == "speed":  # lines trailing behind (the pictograms face left: behind is right)
        for k in range(3):
            y = by0 + bh * (0.3 + 0.2 * k)
            d.line([(min(w - 1, bx1 + w * 0.02), y), (w - 1, y)], fill=ink, width=lw)
    elif pose.marks == "arc":  # the jump's dotted arc from the ground to the body
        pts = [(w * (0.02 + 0.45 * t), h - 2 - (h - 2 - by1) * math.sin(math.pi * t / 2) * 1.0) for t in
               [k / 10 for k in range(11)]]
        for a, b in zip(pts[::2], pts[1::2]):
            d.line([a, b], fill=ink, width=lw)
        d.line([(bx0 + (bx1 - bx0) * 0.2, h - 2), (bx0 + (bx1 - bx0) * 0.8, h - 2)], fill=(60, 60, 60, 120), width=lw * 2)
    elif pose.marks == "fall":  # streaks above: it is coming down
        for k in range(4):
            x = bx0 + (bx1 - bx0) * (0.15 + 0.23 * k)
            d.line([(x, 1), (x, max(2, by0 - 2))], fill=ink, width=lw)
    elif pose.marks == "turn":  # a curved arrow over the body
        r = (bx1 - bx0) * 0.35
        cx, cy = (bx0 + bx1) / 2, max(r * 0.6, by0 * 0.5 + r * 0.5)
        d.arc([cx - r, cy - r * 0.6, cx + r, cy + r * 0.6], 200, 340, fill=(200, 50, 40, 255), width=lw * 2)
        ex, ey = cx + r * math.cos(math.radians(340)), cy + r * 0.6 * math.sin(math.radians(340))
        d.polygon([(ex + lw * 3, ey), (ex - lw * 2, ey - lw * 3), (ex - lw, ey + lw * 3)], fill=(200, 50, 40, 255))
    elif pose.marks == "wind":
        for k in range(3):
            y = by0 + bh * (0.25 + 0.25 * k)
            d.arc([bx1 - w * 0.05, y - h * 0.05, w - 1, y + h * 0.05], 180, 360, fill=ink, width=lw)
    elif pose.marks == "waves":
        for k in range(2):
            y = min(h - 3, by1 + 2 + k * lw * 4)
            pts = [(x, y + math.sin(x / max(4, w / 12)) * lw * 1.5) for x in range(0, w, 3)]
            d.line(pts, fill=(40, 110, 200, 255), width=lw)
    elif pose.marks == "zz":
        size = max(4, h // 8)
        for k in range(3):
            x, y = bx1 - size * (1.5 - 0.9 * k), max(1, by0 - size * (0.6 + 0.8 * k))
            s = size * (0.6 + 0.2 * k)
            d.line([(x, y), (x + s, y), (x, y + s), (x + s, y + s)], fill=(40, 60, 160, 255), width=lw)
    elif pose.marks == "swirl":
        for k in range(2):
            r = (bx1 - bx0) * (0.3 + 0.12 * k)
            cx, cy = (bx0 + bx1) / 2, by1 - bh * 0.05
            d.arc([cx - r, cy - r * 0.25, cx + r, cy + r * 0.25], 0, 300, fill=ink, width=lw)
    elif pose.marks == "wave":
        for k in range(2):
            r = w * (0.08 + 0.06 * k)
            d.arc([bx0 - r, by0 - r, bx0 + r, by0 + r], 190, 260, fill=ink, width=lw)
    elif pose.marks == "up":
        for k in range(3):
            x, y = w * 0.08, by0 + bh * (0.2 + 0.25 * k)
            d.line([(x - w * 0.05, y + h * 0.05), (x, y), (x + w * 0.05, y + h * 0.05)], fill=ink, width=lw)
    elif pose.marks == "voice":  # three lines fanning out in front of the face (the pictograms face left)
        cx, cy = bx0 - lw, by0 + bh * 0.22
        for k, ang in enumerate((-0.5, 0.0, 0.5)):
            r0, r1 = w * 0.04, w * (0.12 + 0.02 * k % 2)
            d.line([(max(0, cx - r0 * math.cos(ang)), cy + r0 * math.sin(ang)),
                    (max(0, cx - r1 * math.cos(ang)), cy + r1 * math.sin(ang))], fill=(200, 60, 40, 255), width=lw * 2)
    elif pose.marks == "busy":  # a small star of strokes at the hands
        cx, cy = bx0 + (bx1 - bx0) * 0.15, by0 + bh * 0.55
        r = max(2, w * 0.05)
        for ang in (0, math.pi / 3, 2 * math.pi / 3):
            d.line([(cx - r * math.cos(ang), cy - r * math.sin(ang)), (cx + r * math.cos(ang), cy + r * math.sin(ang))],
                   fill=(40, 90, 200, 255), width=lw)
    elif pose.marks == "stretch":
        cx = w * 0.06
        d.line([(cx, by0), (cx, by1)], fill=ink, width=lw)
        for y, s in ((by0, 1), (by1, -1)):
            d.polygon([(cx, y), (cx - lw * 3, y + s * lw * 4), (cx + lw * 3, y + s * lw * 4)], fill=ink)
