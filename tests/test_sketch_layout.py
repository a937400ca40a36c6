"""Where the sketch renderer puts objects: relations hold, and edits leave others in place."""
import pytest

from ogi_toolkit.backends.sketch.layout import layout_scene
from ogi_toolkit.backends.sketch.state import apply_to_state, initial_state
from ogi_toolkit.spec import Edit, Relation, Scene, SceneObject

O = SceneObject
AREA = CANVAS = (0, 0, 600, 600)


def placements(objects, relations=(), layout=None):
    scene = Scene(objects=objects, relations=[Relation(subject=s, relation=r, object=o) for s, r, o in relations],
                  layout=layout)
    return layout_scene(scene, AREA, CANVAS, 16).placements


def centre(box):
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def body(p):
    xs0, ys0, xs1, ys1 = zip(*p.instances)
    return min(xs0), min(ys0), max(xs1), max(ys1)


def area(box):
    return (box[2] - box[0]) * (box[3] - box[1])


@pytest.mark.parametrize("relation, axis, sign", [("left_of", 0, -1), ("right_of", 0, 1), ("above", 1, -1),
                                                  ("below", 1, 1)])
def test_planar_relations_hold(relation, axis, sign):
    a, b, c = placements([O(name="cup"), O(name="vase"), O(name="book")], [(0, relation, 1), (2, relation, 0)])
    assert sign * (centre(a.box)[axis] - centre(b.box)[axis]) > 0
    assert sign * (centre(c.box)[axis] - centre(a.box)[axis]) > 0  # chains hold too


def test_containment_puts_the_container_around_its_content():
    duck, cage = placements([O(name="rubber duck"), O(name="cage")], [(0, "inside", 1)])
    inner, outer = body(duck), cage.instances[0]
    assert outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]
    book, table = placements([O(name="book"), O(name="table")], [(0, "on_top_of", 1)])
    assert abs(body(book)[3] - table.instances[0][1]) <= 0.1 * (table.instances[0][3] - table.instances[0][1])
    ball, chair = placements([O(name="ball"), O(name="chair")], [(0, "under", 1)])
    assert centre(body(ball))[1] > centre(body(chair))[1]


def test_depth_draws_the_front_object_over_the_one_behind():
    cat, box = placements([O(name="cat"), O(name="box")], [(0, "in_front_of", 1)])
    assert cat.z > box.z
    overlap = (min(cat.box[2], box.box[2]) - max(cat.box[0], box.box[0])) * \
        (min(cat.box[3], box.box[3]) - max(cat.box[1], box.box[1]))
    assert overlap > 0


def test_comparatives_scale_sizes():
    mouse, elephant = placements([O(name="mouse"), O(name="elephant")], [(0, "larger_than", 1)])
    assert area(mouse.instances[0]) > 1.5 * area(elephant.instances[0])
    mouse, elephant = placements([O(name="mouse"), O(name="elephant")], [(1, "larger_than", 0)])
    assert area(elephant.instances[0]) > 1.5 * area(mouse.instances[0])


def test_flanking_and_mirrors_are_symmetric():
    candles, mirror = placements([O(name="candle", count=2), O(name="mirror")], [(0, "flanking", 1)])
    left, right = candles.instances
    mid = centre(body(mirror))[0]
    assert left[2] <= mirror.instances[0][0] and right[0] >= mirror.instances[0][2]
    assert abs((mid - centre(left)[0]) - (centre(right)[0] - mid)) <= 2 and candles.flips == [False, True]
    a, b = placements([O(name="swan"), O(name="swan")], [(1, "mirrors", 0)])
    assert b.flips == [True] and centre(b.box)[0] > centre(a.box)[0]


def test_symmetric_layout_mirrors_instances_about_the_centre():
    (lamps, sofa) = placements([O(name="lamp", count=2), O(name="sofa")], layout="symmetric")
    (l0, l1) = lamps.instances
    assert abs((300 - centre(l0)[0]) - (centre(l1)[0] - 300)) <= 2 and lamps.flips == [False, True]


def test_counted_instances_do_not_overlap():
    (group,) = placements([O(name="coin", count=9)])
    assert len(group.instances) == 9
    for i, a in enumerate(group.instances):
        for b in group.instances[i + 1:]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


SCENES = [
    Scene(objects=[O(name="dog"), O(name="cat"), O(name="tree"), O(name="car")]),
    Scene(objects=[O(name="duck"), O(name="cage"), O(name="ticket", count=3), O(name="lamp")],
          relations=[Relation(subject=0, relation="inside", object=1), Relation(subject=2, relation="left_of", object=3)]),
    Scene(objects=[O(name="book"), O(name="table"), O(name="girl", action="reading"), O(name="cat")],
          relations=[Relation(subject=0, relation="on_top_of", object=1), Relation(subject=2, relation="chasing", object=3)]),
]


@pytest.mark.parametrize("scene", SCENES)
def test_removing_any_object_leaves_every_other_in_place(scene):
    """... except what rested on it or in it: that falls straight down to the ground."""
    source = initial_state(scene, 640, 480)
    boxes = {p.key: (p.box, p.instances) for p in source.placements}
    supported_by = {p.key: p.anchor_key for p in source.placements if p.mode in ("on_top", "inside")}
    ground = source.frame.area[3]
    for target in range(len(scene.objects)):
        edited = apply_to_state(source, Edit(op="remove", target=target), "e0", seed=1)
        kept = {p.key: (p.box, p.instances) for p in edited.placements}
        assert str(target) not in kept
        for k, (box, instances) in kept.items():
            if supported_by.get(k) == str(target):
                old = boxes[k][0]
                assert box[3] == ground and (box[0], box[2]) == (old[0], old[2]) and box[1] > old[1]
            else:
                assert (box, instances) == boxes[k]


def test_an_added_object_avoids_the_others():
    source = initial_state(SCENES[0], 640, 480)
    edited = apply_to_state(source, Edit(op="add", object=O(name="kite")), "e0", seed=3)
    new = edited.placements[-1]
    assert new.key == "e0"
    for p in edited.placements[:-1]:
        assert min(new.box[2], p.box[2]) <= max(new.box[0], p.box[0]) or \
            min(new.box[3], p.box[3]) <= max(new.box[1], p.box[1])


def test_moving_a_container_moves_what_is_inside():
    source = initial_state(SCENES[1], 640, 480)
    edited = apply_to_state(source, Edit(op="move", target=1, value="top right"), "e0", seed=1)
    duck, cage = edited.placements[0], edited.placements[1]
    assert centre(cage.box)[0] > 320 and cage.box != source.placements[1].box
    outer, inner = cage.instances[0], body(duck)
    assert outer[0] <= inner[0] and inner[2] <= outer[2]
