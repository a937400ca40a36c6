"""Schematic glyphs: one simple drawing per kind of object, posed by its action.

A glyph is a list of parts in unit coordinates of the instance's box: ``(shape, coords, role)``
with shape ``ellipse | rect | poly | line`` and role ``body`` (the object's colour and material
pattern), ``dark``, ``light`` or a fixed ``#rrggbb`` accent. Keeping glyphs as data keeps them
small, flippable (mirrored instances) and cheap to draw.
"""
from __future__ import annotations

Part = tuple[str, tuple[float, ...], str]

# person limbs per pose: left arm, right arm, left leg, right leg (hand / foot points)
_LIMBS = {
    "stand": ((0.16, 0.56), (0.84, 0.56), (0.38, 0.98), (0.62, 0.98)),
    "walk": ((0.2, 0.52), (0.8, 0.5), (0.28, 0.98), (0.7, 0.97)),
    "run": ((0.08, 0.34), (0.9, 0.52), (0.12, 0.88), (0.82, 0.98)),
    "jump": ((0.08, 0.02), (0.92, 0.02), (0.26, 0.84), (0.74, 0.84)),
    "wave": ((0.16, 0.56), (0.92, 0.0), (0.38, 0.98), (0.62, 0.98)),
    "throw": ((0.12, 0.5), (0.95, 0.04), (0.3, 0.98), (0.7, 0.96)),
    "kick": ((0.1, 0.45), (0.86, 0.45), (0.4, 0.98), (0.98, 0.66)),
    "dance": ((0.04, 0.1), (0.84, 0.56), (0.4, 0.98), (0.92, 0.76)),
    "climb": ((0.3, 0.0), (0.72, 0.08), (0.34, 0.8), (0.66, 0.98)),
    "hold": ((0.78, 0.42), (0.92, 0.42), (0.38, 0.98), (0.62, 0.98)),
    "sit": ((0.2, 0.56), (0.8, 0.56), (0.9, 0.62), (0.96, 0.66)),
    "fly": ((0.0, 0.26), (1.0, 0.26), (0.46, 0.98), (0.54, 0.98)),
}
SKIN = "#e2b48c"


def pose_of(action: str | None) -> str:
    """The pose an action names (one table for the whole renderer: see :mod:`.poses`)."""
    from .poses import pose_name

    return pose_name(action)


def _lying(parts: list[Part]) -> list[Part]:
    """The parts turned a quarter (head to the left), squashed into the lower half."""
    out = []
    for shape, c, role in parts:
        pts = [(c[i + 1], 0.45 + 0.55 * (1 - c[i])) for i in range(0, len(c) - (len(c) % 2), 2)]
        flat = tuple(v for p in pts for v in p) + (c[4:] if shape == "line" else ())
        if shape in ("ellipse", "rect"):
            xs, ys = sorted(p[0] for p in pts), sorted(p[1] for p in pts)
            flat = (xs[0], ys[0], xs[1], ys[1])
        out.append((shape, flat, role))
    return out


def person(pose: str) -> list[Part]:
    la, ra, ll, rl = _LIMBS.get(pose, _LIMBS["stand"])
    torso_top = 0.2 if pose != "sit" else 0.3
    parts: list[Part] = [
        ("line", (0.42, 0.56, *ll, 0.11), "dark"), ("line", (0.58, 0.56, *rl, 0.11), "dark"),
        ("line", (0.34, torso_top + 0.05, *la, 0.09), "body"), ("line", (0.66, torso_top + 0.05, *ra, 0.09), "body"),
        ("rect", (0.3, torso_top, 0.7, 0.6), "body"),
        ("ellipse", (0.31, torso_top - 0.2, 0.69, torso_top + 0.01), SKIN),
        ("ellipse", (0.42, torso_top - 0.12, 0.47, torso_top - 0.09), "#222222"),
        ("ellipse", (0.53, torso_top - 0.12, 0.58, torso_top - 0.09), "#222222"),
    ]
    if pose in ("lie", "swim"):
        return _lying(person("fly" if pose == "swim" else "stand"))
    return parts


def animal(pose: str) -> list[Part]:
    lift = -0.12 if pose == "jump" else 0.0
    legs = {"run": ((0.2, 0.95, 0.08), (0.32, 0.95, 0.2), (0.62, 0.95, 0.74), (0.74, 0.95, 0.88)),
            "jump": ((0.2, 0.8, 0.1), (0.3, 0.8, 0.16), (0.66, 0.8, 0.8), (0.74, 0.8, 0.9)),
            "sit": ((0.22, 0.98, 0.14), (0.3, 0.98, 0.24), (0.64, 0.98, 0.64), (0.74, 0.98, 0.74))}.get(
        pose, ((0.24, 0.98, 0.24), (0.36, 0.98, 0.36), (0.62, 0.98, 0.62), (0.74, 0.98, 0.74)))
    parts: list[Part] = [("line", (x0, 0.62 + lift, x1, y, 0.07), "body") for x0, y, x1 in legs]
    body_top = 0.3 + lift if pose != "sit" else 0.38
    parts += [
        ("line", (0.16, 0.46 + lift, 0.0, 0.24 + lift, 0.05), "body"),
        ("ellipse", (0.12, body_top, 0.8, 0.7 + lift), "body"),
        ("ellipse", (0.66, 0.12 + lift, 0.98, 0.46 + lift), "body"),
        ("poly", (0.72, 0.18 + lift, 0.76, 0.02 + lift, 0.84, 0.15 + lift), "dark"),
        ("ellipse", (0.85, 0.22 + lift, 0.89, 0.27 + lift), "#222222"),
    ]
    if pose in ("lie", "swim"):
        parts = [p for p in parts if p[0] != "line" or p[1][1] < 0.6] + [
            ("line", (0.2, 0.7, 0.05, 0.74, 0.07), "body"), ("line", (0.64, 0.7, 0.86, 0.74, 0.07), "body")]
    return parts


def bird(pose: str) -> list[Part]:
    wing = (0.3, 0.0, 0.62, 0.45, 0.2, 0.42) if pose == "fly" else (0.25, 0.4, 0.62, 0.45, 0.35, 0.66)
    return [("line", (0.42, 0.7, 0.38, 0.98, 0.04), "#c07020"), ("line", (0.56, 0.7, 0.6, 0.98, 0.04), "#c07020"),
            ("ellipse", (0.1, 0.3, 0.75, 0.78), "body"), ("ellipse", (0.58, 0.12, 0.9, 0.44), "body"),
            ("poly", (0.88, 0.24, 1.0, 0.3, 0.88, 0.34), "#e0a020"), ("poly", wing, "dark"),
            ("ellipse", (0.74, 0.2, 0.79, 0.25), "#222222")]


def fish(pose: str) -> list[Part]:
    return [("poly", (0.0, 0.15, 0.28, 0.5, 0.0, 0.85), "dark"), ("ellipse", (0.18, 0.15, 1.0, 0.85), "body"),
            ("poly", (0.45, 0.2, 0.6, 0.0, 0.7, 0.22), "dark"), ("ellipse", (0.8, 0.35, 0.87, 0.45), "#222222")]


def vehicle(pose: str) -> list[Part]:
    return [("poly", (0.2, 0.4, 0.32, 0.1, 0.7, 0.1, 0.82, 0.4), "body"), ("rect", (0.0, 0.38, 1.0, 0.78), "body"),
            ("rect", (0.36, 0.16, 0.5, 0.37), "light"), ("rect", (0.53, 0.16, 0.67, 0.37), "light"),
            ("ellipse", (0.1, 0.6, 0.32, 0.98), "#2a2a2a"), ("ellipse", (0.68, 0.6, 0.9, 0.98), "#2a2a2a"),
            ("ellipse", (0.93, 0.45, 0.99, 0.55), "#ffe080")]


def boat(pose: str) -> list[Part]:
    return [("line", (0.5, 0.02, 0.5, 0.66, 0.03), "dark"), ("poly", (0.52, 0.04, 0.52, 0.6, 0.9, 0.6), "light"),
            ("poly", (0.48, 0.1, 0.48, 0.6, 0.18, 0.6), "light"),
            ("poly", (0.0, 0.64, 1.0, 0.64, 0.82, 0.95, 0.14, 0.95), "body")]


def aircraft(pose: str) -> list[Part]:
    return [("poly", (0.4, 0.5, 0.62, 0.5, 0.44, 0.98, 0.32, 0.98), "dark"),
            ("poly", (0.0, 0.2, 0.1, 0.2, 0.2, 0.45, 0.05, 0.45), "dark"),
            ("ellipse", (0.0, 0.36, 1.0, 0.62), "body"), ("poly", (0.4, 0.5, 0.62, 0.5, 0.44, 0.02, 0.32, 0.02), "dark"),
            ("ellipse", (0.82, 0.42, 0.92, 0.5), "light")]


def building(pose: str) -> list[Part]:
    parts: list[Part] = [("rect", (0.1, 0.32, 0.9, 1.0), "body"), ("poly", (0.02, 0.34, 0.5, 0.0, 0.98, 0.34), "dark"),
                         ("rect", (0.42, 0.72, 0.58, 1.0), "dark")]
    for x in (0.2, 0.64):
        for y in (0.42, 0.58):
            parts.append(("rect", (x, y, x + 0.16, y + 0.1), "light"))
    return parts


def tree(pose: str) -> list[Part]:
    return [("rect", (0.42, 0.55, 0.58, 1.0), "#7a5230"), ("ellipse", (0.02, 0.0, 0.98, 0.66), "body"),
            ("ellipse", (0.2, 0.1, 0.5, 0.35), "light")]


def flower(pose: str) -> list[Part]:
    petals = [("ellipse", (0.5 + dx - 0.2, 0.28 + dy - 0.13, 0.5 + dx + 0.2, 0.28 + dy + 0.13), "body")
              for dx, dy in ((0, -0.13), (0, 0.13), (-0.22, 0), (0.22, 0), (-0.16, -0.1), (0.16, 0.1))]
    return [("line", (0.5, 0.4, 0.5, 1.0, 0.06), "#3a8a3a"), ("ellipse", (0.5, 0.62, 0.85, 0.74), "#3a8a3a"),
            *petals, ("ellipse", (0.38, 0.2, 0.62, 0.36), "#f0c020")]


def plant(pose: str) -> list[Part]:
    return [("ellipse", (0.05, 0.05, 0.55, 0.65), "body"), ("ellipse", (0.45, 0.0, 0.95, 0.6), "body"),
            ("ellipse", (0.25, 0.2, 0.75, 0.72), "body"), ("poly", (0.18, 0.62, 0.82, 0.62, 0.72, 1.0, 0.28, 1.0), "#b5651d")]


def celestial(pose: str) -> list[Part]:
    rays = [("line", (0.5 + 0.3 * c, 0.5 + 0.3 * s, 0.5 + 0.48 * c, 0.5 + 0.48 * s, 0.04), "body")
            for c, s in ((1, 0), (-1, 0), (0, 1), (0, -1), (0.7, 0.7), (-0.7, 0.7), (0.7, -0.7), (-0.7, -0.7))]
    return [*rays, ("ellipse", (0.22, 0.22, 0.78, 0.78), "body"), ("ellipse", (0.32, 0.3, 0.45, 0.42), "light")]


def fruit(pose: str) -> list[Part]:
    return [("ellipse", (0.08, 0.16, 0.92, 1.0), "body"), ("line", (0.5, 0.2, 0.55, 0.02, 0.04), "#6b4423"),
            ("ellipse", (0.55, 0.02, 0.85, 0.16), "#3a8a3a"), ("ellipse", (0.22, 0.32, 0.36, 0.5), "light")]


def sign(pose: str) -> list[Part]:
    return [("rect", (0.12, 0.6, 0.2, 1.0), "#6b4a2b"), ("rect", (0.8, 0.6, 0.88, 1.0), "#6b4a2b"),
            ("rect", (0.0, 0.0, 1.0, 0.68), "body"), ("rect", (0.05, 0.06, 0.95, 0.62), "light")]


def cup(pose: str) -> list[Part]:
    return [("ellipse", (0.62, 0.3, 1.0, 0.72), "dark"), ("ellipse", (0.7, 0.4, 0.9, 0.62), "light"),
            ("poly", (0.0, 0.12, 0.8, 0.12, 0.7, 1.0, 0.1, 1.0), "body"), ("ellipse", (0.0, 0.04, 0.8, 0.2), "dark")]


def bottle(pose: str) -> list[Part]:
    return [("rect", (0.0, 0.36, 1.0, 1.0), "body"), ("poly", (0.0, 0.4, 0.3, 0.18, 0.7, 0.18, 1.0, 0.4), "body"),
            ("rect", (0.32, 0.02, 0.68, 0.2), "body"), ("rect", (0.3, 0.0, 0.7, 0.08), "dark"),
            ("rect", (0.1, 0.55, 0.9, 0.78), "light")]


def food(pose: str) -> list[Part]:
    return [("ellipse", (0.0, 0.62, 1.0, 1.0), "#f4f4f4"), ("ellipse", (0.1, 0.1, 0.9, 0.86), "body"),
            ("ellipse", (0.3, 0.2, 0.5, 0.36), "light")]


def container(pose: str) -> list[Part]:
    return [("rect", (0.0, 0.16, 1.0, 1.0), "body"), ("rect", (0.0, 0.06, 1.0, 0.2), "dark")]


def cage(pose: str) -> list[Part]:
    bars: list[Part] = [("line", (x, 0.12, x, 1.0, 0.025), "dark") for x in (0.04, 0.2, 0.36, 0.52, 0.68, 0.84, 0.96)]
    return [("rect", (0.0, 0.12, 1.0, 1.0), "body"), *bars, ("rect", (0.0, 0.06, 1.0, 0.14), "dark"),
            ("rect", (0.0, 0.94, 1.0, 1.0), "dark")]


def furniture(pose: str) -> list[Part]:
    return [("rect", (0.06, 0.45, 0.16, 1.0), "dark"), ("rect", (0.84, 0.45, 0.94, 1.0), "dark"),
            ("rect", (0.0, 0.35, 1.0, 0.5), "body"), ("rect", (0.0, 0.0, 0.14, 0.45), "body")]


def ball(pose: str) -> list[Part]:
    return [("ellipse", (0.0, 0.0, 1.0, 1.0), "body"), ("line", (0.5, 0.0, 0.5, 1.0, 0.03), "dark"),
            ("line", (0.0, 0.5, 1.0, 0.5, 0.03), "dark"), ("ellipse", (0.2, 0.15, 0.38, 0.3), "light")]


def device(pose: str) -> list[Part]:
    return [("rect", (0.0, 0.0, 1.0, 0.78), "body"), ("rect", (0.06, 0.07, 0.94, 0.7), "#223344"),
            ("rect", (0.42, 0.78, 0.58, 0.92), "dark"), ("rect", (0.25, 0.9, 0.75, 1.0), "dark"),
            ("poly", (0.1, 0.1, 0.4, 0.1, 0.1, 0.4), "light")]


def tool(pose: str) -> list[Part]:
    return [("rect", (0.38, 0.3, 0.62, 1.0), "#8a5a30"), ("rect", (0.0, 0.0, 1.0, 0.32), "body"),
            ("rect", (0.0, 0.0, 1.0, 0.08), "light")]


def liquid(pose: str) -> list[Part]:
    """A drop: pointed at the top, round below, with a highlight."""
    import math

    arc = [math.radians(a) for a in range(-35, 216, 25)]
    drop = (0.5, 0.0, *(v for t in arc for v in (0.5 + 0.4 * math.cos(t), 0.6 + 0.4 * math.sin(t))))
    return [("poly", drop, "body"), ("ellipse", (0.3, 0.5, 0.42, 0.66), "light")]


def generic(shape: str) -> list[Part]:
    star = []
    import math

    for k in range(10):
        r = 0.5 if k % 2 == 0 else 0.22
        a = -math.pi / 2 + k * math.pi / 5
        star += [0.5 + r * math.cos(a), 0.52 + r * math.sin(a)]
    polys = {"triangle": (0.5, 0.0, 1.0, 1.0, 0.0, 1.0), "diamond": (0.5, 0.0, 1.0, 0.5, 0.5, 1.0, 0.0, 0.5),
             "hexagon": (0.25, 0.0, 0.75, 0.0, 1.0, 0.5, 0.75, 1.0, 0.25, 1.0, 0.0, 0.5), "star": tuple(star)}
    if shape in polys:
        return [("poly", polys[shape], "body")]
    if shape == "rounded":
        return [("rect", (0.0, 0.08, 1.0, 0.92), "body"), ("rect", (0.08, 0.0, 0.92, 1.0), "body"),
                ("ellipse", (0.12, 0.12, 0.3, 0.3), "light")]
    return [("ellipse", (0.0, 0.0, 1.0, 1.0), "body"), ("ellipse", (0.2, 0.15, 0.4, 0.32), "light")]


GLYPHS = {"person": person, "animal": animal, "bird": bird, "fish": fish, "vehicle": vehicle, "boat": boat,
          "aircraft": aircraft, "building": building, "tree": tree, "flower": flower, "plant": plant,
          "celestial": celestial, "fruit": fruit, "sign": sign, "cup": cup, "bottle": bottle, "food": food,
          "container": container, "furniture": furniture, "ball": ball, "device": device, "tool": tool,
          "liquid": liquid}


def glyph_parts(kind: str, name: str, action: str | None) -> list[Part]:
    pose = pose_of(action)
    if kind == "container" and "cage" in name.lower():
        return cage(pose)
    if kind in GLYPHS:
        return GLYPHS[kind](pose)
    return generic(kind)
