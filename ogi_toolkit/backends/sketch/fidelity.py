"""How faithfully the sketch renderer draws each kind of item, said where a reader looks (the
manifest's ``fidelity``, the gallery's badge, the demo's summary) so that nobody takes a
placeholder for a drawing.

* ``faithful``: what the spec states is drawn and can be checked in the picture and its layout
  record (objects, counts, colours, places, comparisons, exact texts, the edits made to them).
* ``partial``: drawn as a schematic stand-in: the style as a visible treatment of a sketch, an
  action as a pose, a process as panels of its named objects, a cause's outcome as the states
  its words name, a figure of the concept's kind with every label.
* ``placeholder``: the renderer has no drawing of this: a generic labelled figure (the same
  shapes for a triangle's angle sum and Fleming's left-hand rule).
"""
from __future__ import annotations

from ...spec import InstructionSpec

__all__ = ["FIDELITY", "LEVELS", "fidelity_of"]

LEVELS = ("faithful", "partial", "placeholder")

_STYLE = "the style as a visible treatment (texture, palette, edges) of a schematic sketch, not the style itself"
FIDELITY: dict[str, tuple[str, str]] = {
    # generation
    "artistic_traditions": ("partial", _STYLE), "media_and_illustration": ("partial", _STYLE),
    "photographic_styles": ("partial", _STYLE), "speculative_and_fantasy_styles": ("partial", _STYLE),
    "multi_attribute_combination": ("faithful", "each object with its colour, material, size, texture words"),
    "multi_subject_interaction_and_action": ("partial", "pictograms in poses, an arrow for the interaction"),
    "complex_spatial_composition": ("faithful", "objects placed by the stated relations"),
    "temporal_sequence_coherence": ("partial", "numbered panels in the asked arrangement, each drawing the objects "
                                               "and states its stage names"),
    "action_trajectory_rendering": ("partial", "a dotted path of the asked shape with faded copies of the mover"),
    "causal_reasoning": ("partial", "the outcome's objects in the states its words name (burnt, wet, weathered)"),
    "textual_accuracy": ("faithful", "the exact text, placed and sized as asked"),
    "typography": ("faithful", "the exact text in a face of the asked family"),
    "structured_text_layout": ("faithful", "every text in its own band or on its object"),
    "text_graphic_integration": ("partial", "the text on a schematic object, not integrated artwork"),
    "multilingual_support": ("faithful", "the exact text in its script"),
    "textual_tone_and_style": ("partial", "the exact text; its tone only as the chosen face"),
    "containment": ("faithful", "the contained object drawn inside its container"),
    "relative_position": ("faithful", "objects placed by the stated relations"),
    "comparative_reasoning": ("faithful", "boxes sized so every stated comparison holds"),
    "symmetry_analysis": ("faithful", "mirrored pairs and rings around the centre, with the axis"),
    "size_reasoning": ("faithful", "the naturally smaller object drawn larger"),
    "object_counting": ("faithful", "the stated number of instances of each object"),
    # editing
    "add": ("faithful", "the added object drawn, the rest kept in place"),
    "replace": ("faithful", "the object swapped in place"),
    "alter": ("faithful", "the object's colour or size changed"),
    "remove": ("faithful", "the object gone, the rest kept in place"),
    "object_extraction": ("partial", "the object alone on a plain ground"),
    "text_add": ("faithful", "the text added"), "text_replace": ("faithful", "the text replaced"),
    "text_alter": ("faithful", "the text's colour, size or face changed"), "text_remove": ("faithful", "the text gone"),
    "two_sub_instructions": ("faithful", "every sub-edit drawn"),
    "three_sub_instructions": ("faithful", "every sub-edit drawn"),
    "four_sub_instructions": ("faithful", "every sub-edit drawn"),
    "two_turns": ("faithful", "each turn's edits on the previous turn's picture"),
    "three_turns": ("faithful", "each turn's edits on the previous turn's picture"),
    "four_turns": ("faithful", "each turn's edits on the previous turn's picture"),
    "change_background": ("partial", "a background of the named kind (street, beach, forest...), not the place"),
    "style_transfer": ("partial", _STYLE),
    "reference_image": ("partial", "the subject cut out of the reference picture and pasted in"),
    "change_motion": ("partial", "the object's pose and motion marks"),
    "change_material": ("partial", "the material as a texture pattern on the object"),
    "object_movement": ("faithful", "the object moved to the stated place, the rest kept"),
}
_SCIENCE = ("mathematics", "ecology", "astronomy", "biological", "culture_and_history", "earth_science",
            "mechanical_engineering", "physics")
# figure kinds drawn the same whatever the concept: a generic labelled figure or a row of steps
_GENERIC_FIGURES = ("diagram", "flow")


def fidelity_of(spec: InstructionSpec) -> str | None:
    """``faithful``, ``partial`` or ``placeholder`` for ``spec`` (None: a subtask not listed).
    A scientific figure is ``partial`` when its concept's kind has a drawing of its own (plot,
    orbit, circuit, cross-section, per-concept layout ...), else ``placeholder``."""
    if spec.subtask in _SCIENCE:
        from .science import figure_kind

        scene = spec.scene
        if scene is None:
            return "placeholder"
        return "placeholder" if figure_kind(scene) in _GENERIC_FIGURES else "partial"
    level = FIDELITY.get(spec.subtask)
    return level[0] if level else None
