"""The planner: quotas, exact counts, no repeats, determinism, capacity errors."""
import time

import pytest
from definition_helpers import USER_SUBTASK, write_taxonomy

from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.planning import (
    CapacityError, capacity, grade_quotas, parse_difficulty_mix, plan, read_counts, subtask_quotas, summary,
)
from ogi_toolkit.templates.sampler import dedup_key


def _variant(subtask_id: str, target: int, text: str = USER_SUBTASK) -> str:
    return text.replace("animal_counting", subtask_id).replace("Animal Counting", subtask_id.title()).replace(
        "target: 300", f"target: {target}")


@pytest.fixture(scope="module")
def small_tax(tmp_path_factory):
    """Three YAML-only subtasks with targets 300 / 200 / 100 (generic ``slots`` builder)."""
    folder = tmp_path_factory.mktemp("taxonomy")
    body = _variant("count_a", 300)
    for sid, target in (("count_b", 200), ("count_c", 100)):
        body += _variant(sid, target).split("subtasks:\n", 1)[1]
    return load_taxonomy(write_taxonomy(folder, {"mine.yaml": body}))


def test_quotas_are_proportional_and_sum_to_total():
    tax = load_taxonomy()
    targets = {s.id: s.target for s in tax}
    for total in (1, 51, 1000, 12_345, 80_700):
        quotas = subtask_quotas(tax, total=total)
        assert sum(quotas.values()) == total
        exact = {sid: total * t / sum(targets.values()) for sid, t in targets.items()}
        assert all(abs(quotas[sid] - exact[sid]) < 1 for sid in targets), total
    assert subtask_quotas(tax) == targets  # default: the paper's counts


def test_largest_remainder_rounding(small_tax):
    # 10 over 300/200/100 = 5, 3.33, 1.67 -> the largest remainder (.67) gets the spare one
    assert subtask_quotas(small_tax, total=10) == {"count_a": 5, "count_b": 3, "count_c": 2}
    assert subtask_quotas(small_tax, total=10, subtasks=["count_c", "count_b"]) == {"count_b": 7, "count_c": 3}
    assert subtask_quotas(small_tax, counts={"count_c": 7}) == {"count_c": 7}
    with pytest.raises(KeyError, match="count_a"):
        subtask_quotas(small_tax, subtasks=["count_aa"])
    with pytest.raises(ValueError, match="differs"):
        subtask_quotas(small_tax, total=5, counts={"count_c": 7})
    with pytest.raises(ValueError, match="count_c.*integer"):
        subtask_quotas(small_tax, counts={"count_c": -1})


def test_grade_quotas_follow_the_mix(small_tax):
    sub = small_tax.subtask("count_a")
    assert grade_quotas(sub, 11) == {1: 6, 2: 5}
    assert grade_quotas(sub, 10, parse_difficulty_mix("1=.3,2=.7")) == {1: 3, 2: 7}
    # a plan-wide mix may name grades a subtask lacks: they are dropped
    assert grade_quotas(sub, 10, parse_difficulty_mix("1=.3,2=.4,3=.3")) == {1: 4, 2: 6}
    with pytest.raises(ValueError, match="count_a"):
        grade_quotas(sub, 10, {3: 1.0})
    for bad in ("1=.3,2", "a=1", "0=1", "1=-1", ""):
        with pytest.raises(ValueError, match="difficulty mix"):
            parse_difficulty_mix(bad)


def test_plan_fills_exact_counts_without_repeats(small_tax):
    specs = plan(total=300, seed=0, taxonomy=small_tax)
    per = summary(specs).set_index("subtask")["count"].to_dict()
    assert per == {"count_a": 150, "count_b": 100, "count_c": 50}
    assert len({s.id for s in specs}) == 300
    assert len({s.instruction for s in specs}) == 300
    assert len({dedup_key(s.subtask, s.slots)[0] for s in specs}) == 300


def test_plan_is_deterministic(small_tax):
    first = [s.to_json() for s in plan(total=120, seed=4, taxonomy=small_tax)]
    assert [s.to_json() for s in plan(total=120, seed=4, taxonomy=small_tax)] == first
    assert len(set(first) & {s.to_json() for s in plan(total=120, seed=5, taxonomy=small_tax)}) < 20
    # a subtask's items do not depend on which other subtasks are planned with it
    alone = [s.to_json() for s in plan(counts={"count_b": 40}, seed=4, taxonomy=small_tax)]
    assert alone == [j for j in first if '"subtask":"count_b"' in j]


def test_difficulty_mix_applies_to_every_subtask(small_tax):
    specs = plan(total=100, seed=0, difficulty_mix="1=.2,2=.8", taxonomy=small_tax)
    frame = summary(specs).set_index("subtask")
    assert frame.loc["count_a", "grade_1"] == 10 and frame.loc["count_a", "grade_2"] == 40


def test_impossible_quota_reports_capacity_quickly(tmp_path):
    """A tiny user subtask cannot make 10,000 items: the error names it and its capacity."""
    tiny = _variant("tiny_task", 10_000).replace("n: {count: [2, 9]}", "n: {count: [2, 3]}").replace(
        "where: {category: animal}", "where: {id: [cat, dog, owl]}").replace("colour: {pool: colours, of: animal}", "colour: {choice: [red]}")
    tax = load_taxonomy(write_taxonomy(tmp_path, {"tiny.yaml": tiny, "ok.yaml": _variant("ok_task", 50)}))
    started = time.perf_counter()
    with pytest.raises(CapacityError) as info:
        plan(seed=0, taxonomy=tax)
    assert time.perf_counter() - started < 20
    msg = str(info.value)
    assert "tiny_task" in msg and "quota 10000" in msg and "ok_task" not in msg
    [short] = info.value.shortfalls
    # 3 animals x 2 counts x 2 moods = 12 distinct items
    assert short["found"] == 12 and 11 <= short["capacity"] <= 13


def test_capacity_estimate(small_tax):
    frame = capacity(["count_c"], draws=400, taxonomy=small_tax).set_index("subtask")
    # the space: animals x 8 counts x colours x 2 moods, far more than 400 draws can exhaust
    assert frame.loc["count_c", "distinct"] >= 350
    assert frame.loc["count_c", "capacity"] > 2000


def test_read_counts_file(tmp_path):
    path = tmp_path / "counts.yaml"
    path.write_text("remove: 20\nadd: 10\n")
    assert read_counts(path) == {"remove": 20, "add": 10}
    path.write_text("remove: lots\n")
    with pytest.raises(ValueError, match=r"counts.yaml: key 'remove': expected an integer"):
        read_counts(path)
    path.write_text("remove: [1\n")
    with pytest.raises(ValueError, match=r"counts.yaml line \d+ column \d+: not valid YAML"):
        read_counts(path)


def test_paper_distribution_small_plan():
    """All 51 subtasks together, at 1/100 of the paper's scale (the full plan is in bench/)."""
    specs = plan(total=807, seed=0)
    tax = load_taxonomy()
    counts = summary(specs).set_index("subtask")["count"].to_dict()
    assert counts == {k: v for k, v in subtask_quotas(tax, total=807).items() if v}
    assert len({s.id for s in specs}) == len(specs) == 807
    assert len({(s.instruction, s.source.description if s.source else "") for s in specs}) == 807


def test_huge_quota_stops_early_with_an_estimate(small_tax):
    """Millions over a space of tens of thousands: the draw projects its yield and stops."""
    started = time.perf_counter()
    with pytest.raises(CapacityError) as info:
        plan(counts={"count_c": 2_000_000}, taxonomy=small_tax)
    assert time.perf_counter() - started < 60
    [short] = info.value.shortfalls
    assert sum(short["attempts"].values()) < 20_000  # not the 8 million the attempt limit allows
    assert 1_000 < short["capacity"] < 2_000_000
    assert "estimated capacity" in str(info.value)


def test_no_exact_duplicate_across_subtasks(tmp_path):
    """Two subtasks that can write the same sentence: the later one is redrawn without it."""
    tiny = USER_SUBTASK.replace("n: {count: [2, 9]}", "n: {count: [2, 3]}").replace(
        "where: {category: animal}", "where: {id: [cat, dog]}").replace("colour: {pool: colours, of: animal}", "colour: {choice: [red]}")
    twin = _variant("twin_a", 4, tiny) + _variant("twin_b", 4, tiny).split("subtasks:\n", 1)[1]
    tax = load_taxonomy(write_taxonomy(tmp_path, {"twins.yaml": twin}))
    collided = 0
    for seed in range(10):  # seeds where, drawn alone, the twins collide (else this test shows nothing)
        specs = plan(seed=seed, taxonomy=tax)  # 2 animals x 2 counts x 2 moods = 8 sentences for 8 items
        assert len({s.instruction for s in specs}) == len(specs) == 8
        alone = {s.instruction for s in plan(counts={"twin_b": 4}, seed=seed, taxonomy=tax)}
        collided += bool(alone & {s.instruction for s in specs if s.subtask == "twin_a"})
    assert collided >= 3


def test_capacity_error_is_the_same_from_worker_processes(small_tax):
    """A short subtask drawn in a worker process is reported as when drawn here."""
    counts = {"count_a": 50, "count_b": 40, "count_c": 2_000_000}
    errors = []
    for workers in (1, 3):
        with pytest.raises(CapacityError) as info:
            plan(counts=counts, taxonomy=small_tax, workers=workers)
        errors.append(info.value)
    assert [s["subtask"] for s in errors[1].shortfalls] == ["count_c"]
    assert str(errors[0]) == str(errors[1])
