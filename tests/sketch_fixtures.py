"""Hand-built instruction specs with the shape of each of the 51 subtasks, for the sketch tests.

They do not depend on the planner: each is the structure a builder of that subtask produces
(objects, relations, texts, style, concept, edits, turns, reference).
"""
from __future__ import annotations

from ogi_toolkit.spec import Edit, InstructionSpec, Reference, Relation, Scene, SceneObject, TextItem, Turn

O = SceneObject
R = Relation


def spec(subtask: str, *, kind: str = "generation", seed: int = 7, **parts) -> InstructionSpec:
    return InstructionSpec(id=f"{subtask}-test", kind=kind, domain="test", subtask=subtask, template_id="t",
                           difficulty=1, seed=seed, instruction=f"an instruction for {subtask}", **parts)


def street() -> Scene:
    """A source picture for edits: four objects, one text on an object, one free text."""
    return Scene(description="a dog, a red bicycle, an oak tree and a woman in a street",
                 objects=[O(name="dog", colour="brown"), O(name="bicycle", colour="red"), O(name="oak tree"),
                          O(name="woman", colour="blue", action="standing")],
                 texts=[TextItem(text="OPEN", on=1), TextItem(text="Main Street")], background="city street")


STYLES = {"artistic_traditions": ("ukiyo_e", "artistic_traditions"), "media_and_illustration": ("pixel_art", "media_illustration"),
          "photographic_styles": ("analog_film", "photographic"), "speculative_and_fantasy_styles": ("cyberpunk", "speculative_fantasy")}
SCIENCE = {"mathematics": ("pythagorean_theorem", "diagram"), "ecology": ("forest_food_web", "food_web"),
           "astronomy": ("solar_system", "orbit"), "biological": ("plant_cell", "anatomy"),
           "culture_and_history": ("silk_road", "timeline"), "earth_science": ("earth_layers", "cross_section"),
           "mechanical_engineering": ("gear_train", "mechanism"), "physics": ("simple_circuit", "circuit")}


def generation_cases() -> dict[str, InstructionSpec]:
    cases = {}
    for subtask, (style, family) in STYLES.items():
        cases[subtask] = spec(subtask, scene=Scene(objects=[O(name="cat", colour="orange"), O(name="lighthouse")],
                                                  background="beach", style=style, style_family=family))
    for subtask, (concept, kind) in SCIENCE.items():
        cases[subtask] = spec(subtask, scene=Scene(concept=concept, concept_kind=kind,
                                                  labels=["first part", "second part", "third part"]))
    cases.update({
        "multi_attribute_combination": spec("multi_attribute_combination", scene=Scene(objects=[
            O(name="teapot", colour="green", material="ceramic", size="small", attributes={"pattern": "striped"}),
            O(name="chair", colour="yellow", material="wood", size="large")], lighting="soft studio light")),
        "multi_subject_interaction_and_action": spec("multi_subject_interaction_and_action", scene=Scene(objects=[
            O(name="girl", action="running"), O(name="dog", action="jumping")], relations=[R(subject=0, relation="chasing", object=1)])),
        "complex_spatial_composition": spec("complex_spatial_composition", scene=Scene(objects=[
            O(name="lamp"), O(name="table"), O(name="book"), O(name="cat")], relations=[
            R(subject=2, relation="on_top_of", object=1), R(subject=0, relation="left_of", object=1),
            R(subject=3, relation="in_front_of", object=1)])),
        "temporal_sequence_coherence": spec("temporal_sequence_coherence", scene=Scene(
            objects=[O(name="sunflower")], panels=4, labels=["seed", "sprout", "bud", "bloom"])),
        "action_trajectory_rendering": spec("action_trajectory_rendering", scene=Scene(
            objects=[O(name="basketball", colour="orange"), O(name="player", action="throwing"), O(name="hoop")],
            layout="trajectory", description="a basketball arcing from the player into the hoop")),
        "causal_reasoning": spec("causal_reasoning", scene=Scene(objects=[
            O(name="ice cream", attributes={"state": "melted"}), O(name="sun")], background="beach")),
        "textual_accuracy": spec("textual_accuracy", scene=Scene(objects=[O(name="shop sign")], texts=[
            TextItem(text="FRESH BREAD 7AM", on=0)])),
        "typography": spec("typography", scene=Scene(texts=[TextItem(text="Midnight Jazz", font="flowing handwritten script"),
                                                           TextItem(text="LIVE TONIGHT", font="bold condensed sans-serif")])),
        "structured_text_layout": spec("structured_text_layout", scene=Scene(texts=[
            TextItem(text="Café Menu", role="title"), TextItem(text="Espresso  2.50"), TextItem(text="Latte  3.20"),
            TextItem(text="Croissant  2.80")], layout="menu")),
        "text_graphic_integration": spec("text_graphic_integration", scene=Scene(objects=[O(name="coffee cup", colour="white")],
                                                                                 texts=[TextItem(text="Good Morning", on=0)])),
        "multilingual_support": spec("multilingual_support", scene=Scene(texts=[
            TextItem(text="Добро пожаловать", language="ru", script="Cyrl"),
            TextItem(text="欢迎光临", language="zh", script="Hans"), TextItem(text="أهلا وسهلا", language="ar", script="Arab"),
            TextItem(text="स्वागत है", language="hi", script="Deva"), TextItem(text="환영합니다", language="ko", script="Kore"),
            TextItem(text="ברוכים הבאים", language="he", script="Hebr"), TextItem(text="Καλώς ήρθατε", language="el", script="Grek"),
            TextItem(text="ようこそ", language="ja", script="Jpan")])),
        "textual_tone_and_style": spec("textual_tone_and_style", scene=Scene(texts=[
            TextItem(text="DANGER", font="neon", colour="red"), TextItem(text="with love", font="elegant serif italic")])),
        "containment": spec("containment", scene=Scene(objects=[O(name="rubber duck", colour="yellow"), O(name="cage", material="metal"),
                                                                O(name="ticket")],
                                                       relations=[R(subject=0, relation="inside", object=1),
                                                                  R(subject=2, relation="outside", object=1)])),
        "relative_position": spec("relative_position", scene=Scene(objects=[O(name="apple", colour="red"), O(name="vase"), O(name="clock")],
                                                                   relations=[R(subject=0, relation="left_of", object=1),
                                                                              R(subject=2, relation="above", object=1)])),
        "comparative_reasoning": spec("comparative_reasoning", scene=Scene(objects=[O(name="elephant"), O(name="mouse")],
                                                                           relations=[R(subject=1, relation="smaller_than", object=0)])),
        "symmetry_analysis": spec("symmetry_analysis", scene=Scene(objects=[O(name="candle", count=2), O(name="mirror")],
                                                                   relations=[R(subject=0, relation="flanking", object=1)])),
        "size_reasoning": spec("size_reasoning", scene=Scene(objects=[O(name="ant", size="tiny"), O(name="house", size="huge")])),
        "object_counting": spec("object_counting", scene=Scene(objects=[O(name="balloon", count=7, colour="red"),
                                                                        O(name="kite", count=3, colour="blue")])),
    })
    return cases


def editing_cases() -> dict[str, InstructionSpec]:
    s = street()
    E = Edit
    single = {
        "add": [E(op="add", object=O(name="cat", colour="orange"), relation="left_of", anchor=2)],
        "replace": [E(op="replace", target=0, object=O(name="fox", colour="orange"))],
        "alter": [E(op="alter", target=1, attribute="colour", value="green")],
        "remove": [E(op="remove", target=2)],
        "object_extraction": [E(op="extract", target=1)],
        "text_add": [E(op="text_add", text=TextItem(text="SALE 50%"))],
        "text_replace": [E(op="text_replace", target=1, text=TextItem(text="Harbour Road"))],
        "text_alter": [E(op="text_alter", target=1, attribute="colour", value="red")],
        "text_remove": [E(op="text_remove", target=0)],
        "change_background": [E(op="background", value="snowy mountain")],
        "style_transfer": [E(op="style", value="watercolor")],
        "change_motion": [E(op="motion", target=3, value="jumping")],
        "change_material": [E(op="material", target=1, value="gold")],
        "object_movement": [E(op="move", target=0, relation="right_of", anchor=3)],
        "two_sub_instructions": [E(op="remove", target=2), E(op="text_replace", target=1, text=TextItem(text="Elm Street"))],
        "three_sub_instructions": [E(op="alter", target=0, attribute="colour", value="black"),
                                   E(op="add", object=O(name="bench")), E(op="text_remove", target=1)],
        "four_sub_instructions": [E(op="replace", target=1, object=O(name="scooter")), E(op="remove", target=0),
                                  E(op="text_add", text=TextItem(text="NO PARKING")),
                                  E(op="alter", target=1, attribute="size", value="tiny")],
    }
    cases = {sub: spec(sub, kind="editing", source=s, edits=edits) for sub, edits in single.items()}
    turns = [Turn(instruction="remove the tree", edits=[E(op="remove", target=2)]),
             Turn(instruction="make the dog white", edits=[E(op="alter", target=0, attribute="colour", value="white")]),
             Turn(instruction="add a kite", edits=[E(op="add", object=O(name="kite", colour="purple"))]),
             Turn(instruction="write HELLO", edits=[E(op="text_add", text=TextItem(text="HELLO"))])]
    for n, sub in ((2, "two_turns"), (3, "three_turns"), (4, "four_turns")):
        cases[sub] = spec(sub, kind="editing", source=s, turns=turns[:n])
    ref = Reference(scene=Scene(objects=[O(name="girl", colour="purple", action="waving")], background="park"), subject=0)
    cases["reference_image"] = spec("reference_image", kind="editing", source=s, reference=ref,
                                    edits=[E(op="add", relation="right_of", anchor=3)])
    return cases


def all_cases() -> dict[str, InstructionSpec]:
    return {**generation_cases(), **editing_cases()}


def steps_of(s: InstructionSpec) -> list[str]:
    if s.kind == "generation":
        return ["scene"]
    steps = ["source"] + (["reference"] if s.reference else [])
    return steps + ([f"turn:{k}" for k in range(len(s.turns))] if s.turns else ["edit"])
