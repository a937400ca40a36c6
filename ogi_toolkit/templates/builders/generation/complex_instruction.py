"""Builders of the Complex Instruction Following subtasks (Complex Spatial Composition reuses
``spatial_relations`` from ``spatial.py`` with more objects and relation groups).

Each builder grows the number of constraints with the grade: attributes per object and
objects (Multi-Attribute Combination), interacting agents (Multi-Subject Interaction), panels
of a process (Temporal Sequence), movers and paths (Action Trajectory), and the length of the
reasoning chain from cause to effect (Causal Reasoning).
"""
from __future__ import annotations

import re

from ogi_toolkit.spec import Relation, Scene, SceneObject
from ogi_toolkit.templates.builders.base import Built, register
from ogi_toolkit.templates.grammar import join_and, number_word, the

from ..kit import (ATTRIBUTES, SCENE_WORDS, act, actions_for, categories_except, distinct, draw, dress, maybe_scene, memo, objects, objects_in_text)



# --- Multi-Attribute Combination ------------------------------------------------------------

ATTRIBUTE_SLOTS = ("things", "things_a", "post", "specs", "n_objects", "lighting", "objects", *SCENE_WORDS)
_ATTRIBUTE_COUNTS = {1: (3, 3), 2: (2, 3), 3: (3, 4)}  # grade -> (min, max) attributes per object


def _postnominal(ctx, thing) -> str:
    """"a mug that is small, glossy and red, made of ceramic"."""
    adjectives = [getattr(getattr(thing, n), "name") for n in ("size", "texture", "colour") if getattr(thing, n)]
    out = ctx.lexicon.a(thing.item.name)
    if adjectives:
        out += f" that is {join_and(adjectives)}"
    if thing.material:
        out += f"{',' if adjectives else ''} made of {thing.material.name}"
    return out


def _spec_line(thing) -> str:
    """"mug: size small, texture glossy, colour red, material ceramic"."""
    parts = [f"{n} {getattr(thing, n).name}" for n in ATTRIBUTES if getattr(thing, n)]
    return f"{thing.item.name}: {', '.join(parts)}"


@register("multi_attribute", slot_names=ATTRIBUTE_SLOTS)
def build_multi_attribute(ctx) -> Built:
    """1-3 objects (grade 1: one; 2: two; 3: three), each with several attributes among size,
    texture, colour and material; no two objects share a colour, so a swapped binding shows."""
    d = min(ctx.difficulty, 3)
    # Things made of something: materials are one of the attributes to bind.
    made = memo(ctx, "made_of_something", lambda: tuple(
        o for o in ctx.pools["objects"] if o.materials and o.countable and not o.animate and o.category != "celestial"))
    items = distinct(ctx.rng, made, d, what="objects made of a material")
    low, high = _ATTRIBUTE_COUNTS[d]
    things, used_colours = [], set()
    for item in items:
        names = [ATTRIBUTES[i] for i in sorted(ctx.rng.sample(range(len(ATTRIBUTES)), ctx.rng.randint(low, high)))]
        thing = dress(ctx, item, names)
        if thing.colour is not None and thing.colour.id in used_colours:
            free = [c for c in ctx.pools["colours"] if c.id not in used_colours and c.family != "metallic"]
            thing.colour = ctx.rng.choice(free) if free else None  # no colour left to tell it apart: none named
        if thing.colour is not None:
            used_colours.add(thing.colour.id)
        things.append(thing)
    words, scene_item = maybe_scene(ctx, {1: 0.2, 2: 0.4, 3: 1.0}[d])
    lighting = ctx.rng.choice(ctx.pools["lighting"]) if d == 3 else None
    words.update({
        "things": [t.phrase for t in things], "things_a": [ctx.lexicon.a(t.phrase) for t in things],
        "post": [_postnominal(ctx, t) for t in things], "specs": [_spec_line(t) for t in things],
        "n_objects": number_word(len(things)), "lighting": lighting.phrase if lighting else "",
    })
    slots = {"objects": [t.slot() for t in things], "scene": scene_item.id if scene_item else None,
             "lighting": lighting.id if lighting else None}
    scene = Scene.record(objects=[t.scene_object() for t in things], background=scene_item.name if scene_item else None,
                  lighting=lighting.name if lighting else None, layout="objects")
    return Built(slots=slots, words=words, scene=scene)


# --- Multi-Subject Interaction and Action ---------------------------------------------------

INTERACTION_SLOTS = ("cast", "clauses", "finite", "n_agents", "objects", "relations", *SCENE_WORDS)


def _interaction(ctx, agent, exclude) -> tuple[object, object] | tuple[None, None]:
    """An action of ``agent`` whose patient is another animate being, and that being."""
    banned = set(exclude)
    options = [action for action in actions_for(ctx, agent.item, transitive=True)
               if any(o.id not in banned for o in _animate_patients(ctx, action))]
    if not options:
        return None, None
    action = ctx.rng.choice(options)
    return action, distinct(ctx.rng, _animate_patients(ctx, action), 1, exclude, what="animate patients")[0]


def _animate_patients(ctx, action) -> tuple:
    return memo(ctx, ("animate_patients", action.id),
                lambda: tuple(o for o in ctx.pools.patients_for(action.id) if o.animate and o.countable))


@register("multi_subject", slot_names=INTERACTION_SLOTS)
def build_multi_subject(ctx) -> Built:
    """Agents doing things to objects and to each other. Grade 1: one agent acting (on an
    object when the action takes one). Grade 2: one agent acting on a second, who does
    something of its own. Grade 3: as grade 2 plus a third agent with its own action, in a
    scene. Each agent does one thing, so no clause contradicts another."""
    d = min(ctx.difficulty, 3)
    first = dress(ctx, objects(ctx, 1, animate=True)[0], ("colour",))
    things = [first]
    relations: list[tuple[int, str, int]] = []
    clauses, finite = [], []
    mentioned: set[int] = set()

    def name(i: int) -> str:
        text = the(things[i].phrase) if i in mentioned else ctx.lexicon.a(things[i].phrase)
        mentioned.add(i)
        return text

    def add_action(i: int) -> None:
        """Agent ``i`` does an action of its own (on an object when the action takes one)."""
        action, patient, verb = act(ctx, things[i], exclude=[t.item.id for t in things])
        subject = name(i)
        if action is None:  # nothing in the pool it can do: it still appears, watching
            clauses.append(f"{subject} looking on")
            finite.append(f"{subject} looks on")
            return
        clauses.append(f"{subject} {verb}")
        finite.append(f"{subject} {action.third}" + (f" {ctx.lexicon.a(patient.phrase)}" if patient else ""))
        if patient is not None:
            things.append(patient)
            relations.append((i, action.id, len(things) - 1))

    def add_interaction(i: int) -> bool:
        action, other = _interaction(ctx, things[i], [t.item.id for t in things])
        if action is None:
            return False
        things.append(dress(ctx, other, ("colour",)))
        j = len(things) - 1
        verb = ctx.rng.choice((action.ing, *action.synonyms))
        things[i].action, things[i].doing = action, f"{action.ing} {ctx.lexicon.a(things[j].phrase)}"
        subject = name(i)
        target = name(j)
        clauses.append(f"{subject} {verb} {target}")
        finite.append(f"{subject} {action.third} {target}")
        relations.append((i, action.id, j))
        return True

    if d == 1:
        add_action(0)
    else:
        if not add_interaction(0):
            things.append(dress(ctx, objects(ctx, 1, animate=True, exclude=[first.item.id])[0], ("colour",)))
            relations.append((1, "next_to", 0))
            add_action(0)
        add_action(1)
        if d == 3:
            third = dress(ctx, objects(ctx, 1, animate=True, exclude=[t.item.id for t in things])[0], ("colour",))
            things.append(third)
            add_action(len(things) - 1)
    agents = [t for t in things if t.item.animate]
    words, scene_item = maybe_scene(ctx, {1: 0.4, 2: 0.6, 3: 1.0}[d])
    words.update({"cast": join_and([ctx.lexicon.a(t.phrase) for t in agents]), "clauses": clauses, "finite": finite,
                  "n_agents": number_word(len(agents))})
    slots = {"objects": [t.slot() for t in things], "relations": [list(r) for r in relations],
             "scene": scene_item.id if scene_item else None}
    scene = Scene.record(objects=[t.scene_object() for t in things],
                  relations=[Relation.record(subject=s, relation=r, object=o) for s, r, o in relations],
                  background=scene_item.name if scene_item else None, layout="interaction")
    return Built(slots=slots, words=words, scene=scene)


# --- Temporal Sequence Coherence ------------------------------------------------------------

TEMPORAL_SLOTS = ("process", "stages", "n_panels", "arrangement", "first", "last", "style", "keep")
# Panel arrangements (canonical): id -> (phrase, panel counts it suits).
ARRANGEMENTS = {
    "row": ("in a single row, read from left to right", (3, 4, 5, 6)),
    "grid": ("as a grid read left to right, top to bottom", (4, 6)),
    "column": ("stacked in a vertical strip, top to bottom", (3, 4, 5)),
    "comic": ("as a comic strip with numbered panels", (3, 4, 5, 6)),
    "filmstrip": ("as frames of a film strip", (3, 4, 5, 6)),
}
# What must stay the same from panel to panel at the top grade (canonical).
CONTINUITY = ("the same camera angle", "the same background", "the same lighting", "the same colour palette")


@register("temporal_sequence", slot_names=TEMPORAL_SLOTS)
def build_temporal_sequence(ctx) -> Built:
    """A process from the temporal pool shown as panels in order: 3 panels at grade 1, 4 at
    grade 2, 5-6 at grade 3 (always the first and last stage), with an arrangement, an
    optional rendering style and, at grade 3, two things kept constant across panels."""
    d = min(ctx.difficulty, 3)
    process = ctx.rng.choice(ctx.pools["temporal"])
    total = len(process.stages)
    k = min(total, {1: 3, 2: 4, 3: ctx.rng.choice((5, 6))}[d])
    middle = sorted(1 + i for i in ctx.rng.sample(range(total - 2), k - 2))
    chosen = [0, *middle, total - 1]
    stages = [process.stages[i] for i in chosen]
    arrangement_id = ctx.rng.choice([i for i, (_, ks) in ARRANGEMENTS.items() if k in ks])
    style = None
    if d >= 2 and ctx.rng.random() < 0.6:
        style = ctx.rng.choice(ctx.pools.filter("styles", family=["media_illustration", "photographic"]))
    keep = sorted(ctx.rng.sample(range(len(CONTINUITY)), 2)) if d == 3 else []
    words = {
        "process": process.name, "stages": stages, "n_panels": number_word(k),
        "arrangement": ARRANGEMENTS[arrangement_id][0], "first": stages[0], "last": stages[-1],
        "style": style.name if style else "", "keep": join_and([CONTINUITY[i] for i in keep]),
    }
    slots = {"process": process.id, "stages": chosen, "arrangement": arrangement_id,
             "style": style.id if style else None, "keep": keep}
    description = "; ".join(f"panel {i + 1}: {s}" for i, s in enumerate(stages))
    # The thing that changes from panel to panel (the first object the stages name), so each
    # panel draws it rather than only a caption; the stages themselves are the panel captions.
    subject = objects_in_text(ctx, " ".join(stages), limit=1)
    scene = Scene.record(description=description, panels=k, layout=f"panels_{arrangement_id}",
                  objects=[SceneObject.record(name=i.name, category=i.category) for i in subject],
                  style=style.id if style else None, style_family=style.family if style else None)
    return Built(slots=slots, words=words, scene=scene)


# --- Action Trajectory Rendering ------------------------------------------------------------

TRAJECTORY_SLOTS = ("mode", "motion", "motions", "movers", "visual", "exposures", "start", "end",
                    "trail_colours", "camera", "objects", *SCENE_WORDS)
# Paths a composed mover can follow from a start to an end, as -ing phrases (canonical ids
# are the trajectory pool's path kinds).
PATH_PHRASES = {
    "arc": "arcing", "zigzag": "zigzagging", "straight": "travelling in a dead-straight line",
    "loop": "looping the loop once", "wave": "weaving in a gentle wave", "spiral": "spiralling",
    "bounce": "bouncing in ever smaller hops", "s_curve": "curving in an S",
}
_PATHS = tuple(sorted(PATH_PHRASES))
# How the path is made visible in a single image (canonical).
VISUALS = ("a dotted line tracing the whole path", "a glowing light trail", "motion-blur streaks along the path",
           "faint ghost images at even intervals", "small arrows marking the direction of travel")


def _movers(ctx, k: int, exclude=()) -> list:
    """Things that can travel along a path: people, animals, vehicles, thrown balls and toys."""
    return objects(ctx, k, exclude=exclude, agent=["person", "animal", "vehicle"]) if ctx.rng.random() < 0.7 else \
        objects(ctx, k, exclude=exclude, category=["sports_equipment", "toy"], holdable=True)


def _scenario_movers(ctx, trajectory) -> list[SceneObject]:
    """A familiar motion as structure: the mover on the scenario's path (the first object its
    phrase names, else the phrase's subject: "a skier zigzagging..." -> "skier"), then up to two
    landmarks it names, which the renderer uses as the path's start and end."""
    named = objects_in_text(ctx, trajectory.phrase, limit=3)
    subject = re.match(r"(?:an?|the)?\s*(.+?)(?:\s+fired\b.*?)?\s+\w+ing\b", trajectory.phrase)
    if named and (subject is None or named[0].name.lower() in subject.group(1).lower()):
        mover, landmarks = SceneObject.record(name=named[0].name, category=named[0].category), named[1:]
    else:
        mover = SceneObject.record(name=subject.group(1) if subject else trajectory.name)
        landmarks = named[:2]
    mover["attributes"]["path"] = trajectory.path
    return [mover, *(SceneObject.record(name=i.name, category=i.category, attributes={"role": "landmark"}) for i in landmarks)]


@register("trajectory", slot_names=TRAJECTORY_SLOTS)
def build_trajectory(ctx) -> Built:
    """Motion paths drawn in one image. Grade 1: a scenario from the trajectory pool with a
    visible path, usually from a named viewpoint. Grade 2: a mover on a named path from a start to an end landmark, shown as a
    multiple exposure of 3-6 positions. Grade 3: two movers on different paths with trails in
    two colours, crossing once, in a scene."""
    d = min(ctx.difficulty, 3)
    visual = ctx.rng.choice(VISUALS)
    words = {"mode": "", "motion": "", "motions": [], "movers": "", "visual": visual, "exposures": "",
             "start": "", "end": "", "trail_colours": ""}
    slots: dict = {"visual": visual}
    scene_objects: list[SceneObject] = []
    scene_item = None
    camera = None
    if d == 1:
        # A familiar motion (its setting is in the phrase), seen from a chosen viewpoint.
        trajectory = ctx.rng.choice(ctx.pools["trajectories"])
        # Whole-path viewpoints only: a close-up or macro lens would crop the trajectory away.
        camera = draw(ctx, "camera", kind=("angle", "composition"))[0] if ctx.rng.random() < 0.8 else None
        words.update({"mode": "scenario", "motion": trajectory.phrase, "scene": "", "scene_name": "",
                      "camera": camera.phrase if camera else ""})
        slots.update({"trajectory": trajectory.id, "camera": camera.id if camera else None})
        description = trajectory.phrase
        scene_objects = _scenario_movers(ctx, trajectory)
    else:
        n = 1 if d == 2 else 2
        movers = [dress(ctx, item, ("colour",)) for item in _movers(ctx, n)]
        landmarks = [dress(ctx, item, ()) for item in objects(
            ctx, 2, exclude=[m.item.id for m in movers], animate=False, size_class=["medium", "large", "huge"],
            category=categories_except(ctx, ("celestial",)))]
        paths = [_PATHS[i] for i in ctx.rng.sample(range(len(_PATHS)), n)]
        words_scene, scene_item = maybe_scene(ctx, 0.5 if d == 2 else 1.0)
        words.update(words_scene)
        start, end = ctx.lexicon.a(landmarks[0].phrase), ctx.lexicon.a(landmarks[1].phrase)
        motions = [f"{ctx.lexicon.a(m.phrase)} {PATH_PHRASES[p]} from {the(landmarks[0].phrase)} to {the(landmarks[1].phrase)}"
                   for m, p in zip(movers, paths)]
        for m, p in zip(movers, paths):
            m.doing = PATH_PHRASES[p]
            m.extra = {"path": p}
        exposures = ctx.rng.randint(3, 6) if d == 2 else None
        colours = distinct(ctx.rng, ctx.pools["colours"], 2) if d == 3 else []
        words.update({
            "mode": "single" if d == 2 else "pair", "motion": motions[0], "motions": motions, "camera": "",
            "movers": join_and([ctx.lexicon.a(m.phrase) for m in movers]), "start": start, "end": end,
            "exposures": number_word(exposures) if exposures else "",
            "trail_colours": join_and([c.name for c in colours]),
        })
        slots.update({"movers": [m.slot() for m in movers], "landmarks": [t.item.id for t in landmarks],
                      "exposures": exposures, "trail_colours": [c.id for c in colours],
                      "scene": scene_item.id if scene_item else None})
        scene_objects = [m.scene_object(**({"trail_colour": colours[i].name} if colours else {}),
                                        **({"exposures": str(exposures)} if exposures else {}))
                         for i, m in enumerate(movers)]
        scene_objects += [t.scene_object(role="landmark") for t in landmarks]
        description = "; ".join(motions)
    scene = Scene.record(description=description, objects=scene_objects, layout="trajectory",
                  background=scene_item.name if scene_item else None, camera=camera.name if camera else None)
    return Built(slots=slots, words=words, scene=scene)


# --- Causal Reasoning -----------------------------------------------------------------------

CAUSAL_SLOTS = ("cause", "effect", "steps", "camera", "style", "type")
# Grade -> scenario type: explicit causality, implicit inference, complex causal chains.
_TYPES = {1: "explicit", 2: "implicit", 3: "chain"}


@register("causal", params=("types", "style_families"), slot_names=CAUSAL_SLOTS)
def build_causal(ctx) -> Built:
    """A cause-and-effect scenario of the grade's type. The scene's ``description`` is the
    effect the image must show — stated in the text at grade 1, to be inferred at grades 2
    and 3. A camera setting and a rendering style (photographic or illustration family) vary
    how it is shown; lighting is left out because it could contradict the cause."""
    d = min(ctx.difficulty, 3)
    kind = ctx.params.get("types", _TYPES)[d]
    scenario = ctx.rng.choice(ctx.pools.filter("causal", type=kind))
    camera = ctx.rng.choice(ctx.pools["camera"]) if ctx.rng.random() < 0.7 else None
    families = ctx.params.get("style_families", ["photographic", "media_illustration"])
    style = ctx.rng.choice(ctx.pools.filter("styles", family=list(families))) if ctx.rng.random() < 0.5 else None
    words = {"cause": scenario.cause, "effect": scenario.effect, "steps": list(scenario.chain),
             "camera": camera.phrase if camera else "", "style": style.name if style else "", "type": kind}
    slots = {"scenario": scenario.id, "camera": camera.id if camera else None, "style": style.id if style else None}
    # The objects the picture draws: those the effect names when the text states the effect
    # (grade 1); else those the cause and steps name (the effect must be inferred, so the
    # instruction names nothing else), the ones the effect also shows first. The renderer
    # writes the effect (the description) as the picture's caption.
    if kind == "explicit":
        shown = objects_in_text(ctx, scenario.effect) or objects_in_text(ctx, scenario.cause)
    else:
        stated = objects_in_text(ctx, " ; ".join([scenario.cause, *scenario.chain]), limit=6)
        in_effect = {i.id for i in objects_in_text(ctx, scenario.effect, limit=6)}
        shown = sorted(stated, key=lambda i: i.id not in in_effect)[:3]
    scene = Scene.record(description=scenario.effect, camera=camera.name if camera else None,
                  objects=[SceneObject.record(name=i.name, category=i.category) for i in shown],
                  style=style.id if style else None, style_family=style.family if style else None,
                  layout="causal")
    return Built(slots=slots, words=words, scene=scene)
