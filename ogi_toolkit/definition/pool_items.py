"""Typed item models of the resource pools (one model per kind of pool).

Every item has an ``id`` (snake_case, unique in its pool) and a ``name`` (surface text).
Models are frozen (list fields become tuples), so builders cannot change a cached pool by
accident, and forbid unknown fields, so a typo in a pool file fails at load time.

They are pydantic *dataclasses*, not ``BaseModel`` subclasses: ``BaseModel`` defines
``__getattr__``, which keeps every attribute read off Python's fast path, and builders read
pool items' fields ~10^7 times in a paper-scale plan (6% of its instructions). Validate a
mapping with :func:`validate_item`; :func:`item_fields` lists a model's fields.
Cross-pool references (an object's materials, an action's patient categories) are checked
by the loader in ``pools.py``, which sees all pools at once.
"""
from __future__ import annotations

import functools
import unicodedata
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from pydantic.dataclasses import dataclass
from pydantic_core import ArgsKwargs

ID_PATTERN = r"^[a-z][a-z0-9_]*$"

SizeClass = Literal["tiny", "small", "medium", "large", "huge"]
Setting = Literal["indoor", "outdoor", "nature", "urban", "fantasy", "space", "underwater"]
TextKind = Literal["sign", "title", "slogan", "label", "menu", "quote", "brand", "headline",
                   "greeting", "warning", "caption", "price", "name"]
AgentKind = Literal["person", "animal", "vehicle", "machine", "object"]
StyleFamily = Literal["artistic_traditions", "media_illustration", "photographic", "speculative_fantasy"]
# What the offline sketch renderer does to suggest a style; every style names one of these.
SketchTreatment = Literal[
    "pixelate", "line_art", "monochrome", "sepia", "posterize", "watercolor", "ink_wash",
    "mosaic", "halftone", "neon", "dreamy", "hdr", "cel", "blocky", "impasto", "pointillize",
    "grain", "duotone", "emboss", "glow", "pastel", "high_contrast", "tilt_shift", "infrared",
    "vignette", "invert", "blur",
]
SKETCH_TREATMENTS: tuple[str, ...] = SketchTreatment.__args__  # type: ignore[attr-defined]
# The shape a plot concept's curve has; the sketch renderer draws each as y = f(x).
PlotCurve = Literal[
    "linear", "proportional", "scatter", "crossing_lines", "parabola", "arch", "exp_growth",
    "exp_decay", "logistic", "cliff", "log", "inverse", "hyperbola", "bell", "sine", "periodic",
    "offset_cycles", "sawtooth", "rising_wiggle", "dip", "burst", "trapezoid", "ramp", "plateaus",
    "two_levels", "stress_strain",
]
PLOT_CURVES: tuple[str, ...] = PlotCurve.__args__  # type: ignore[attr-defined]

# ISO 15924 script -> prefixes of the Unicode character names its letters may carry.
SCRIPT_LETTERS: dict[str, tuple[str, ...]] = {
    "Latn": ("LATIN",),
    "Cyrl": ("CYRILLIC",),
    "Grek": ("GREEK",),
    "Arab": ("ARABIC",),
    "Hebr": ("HEBREW",),
    "Deva": ("DEVANAGARI",),
    "Hans": ("CJK UNIFIED IDEOGRAPH",),
    "Hant": ("CJK UNIFIED IDEOGRAPH",),
    "Jpan": ("CJK UNIFIED IDEOGRAPH", "HIRAGANA", "KATAKANA"),
    "Kore": ("HANGUL", "CJK UNIFIED IDEOGRAPH"),
    "Thai": ("THAI",),
}
# Primary language subtag -> scripts it is written in (languages not listed are not checked).
LANGUAGE_SCRIPTS: dict[str, tuple[str, ...]] = {
    **{lang: ("Latn",) for lang in ("en", "es", "fr", "de", "it", "pt", "nl", "sv", "pl", "tr", "vi", "id", "sw")},
    "ru": ("Cyrl",), "uk": ("Cyrl",), "el": ("Grek",), "ar": ("Arab",), "fa": ("Arab",),
    "he": ("Hebr",), "hi": ("Deva",), "zh": ("Hans", "Hant"), "ja": ("Jpan",), "ko": ("Kore",),
    "th": ("Thai",),
}


def letters_outside_script(text: str, script: str) -> list[str]:
    """The letters (and combining marks) of ``text`` that do not belong to ``script``."""
    allowed = SCRIPT_LETTERS[script]
    wrong = []
    for char in text:
        if unicodedata.category(char)[0] not in "LM":
            continue  # digits, punctuation, spaces and symbols are shared by all scripts
        if not unicodedata.name(char, "").startswith(allowed):
            wrong.append(char)
    return wrong


def pool_item(cls):
    """Class decorator of the item models: a frozen, keyword-only pydantic dataclass that
    forbids unknown fields (every subclass needs it too)."""
    # defer_build: validators are built on first use (pools load validated items from the disk cache)
    return dataclass(frozen=True, kw_only=True, config=ConfigDict(extra="forbid", defer_build=True))(cls)


def _fields(data: Any) -> Any:
    """A "before" validator's input as a mapping: a dataclass called with keywords passes them
    as ``ArgsKwargs``; validation of a mapping passes the mapping."""
    return data.kwargs if isinstance(data, ArgsKwargs) and not data.args else data


@pool_item
class PoolItem:
    unique_names: ClassVar[bool] = True  # names (any case) are unique in the pool, so get() by name works

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)


@pool_item
class CategoryItem(PoolItem):
    """An object category. ``defaults`` fill object fields an object line leaves out."""

    plural: str  # "animals": how a template names the category
    description: str = ""
    defaults: dict[str, Any] = Field(default_factory=dict)


@pool_item
class ObjectItem(PoolItem):
    plural: str
    article: Literal["a", "an", "some"]  # "some" only for uncountable (mass) nouns
    category: str
    countable: bool
    size_class: SizeClass
    animate: bool
    person: bool
    agent: AgentKind = "object"  # what kind of agent it is when it does an action
    container: bool = False
    holdable: bool | None = None  # None: decided from size_class (tiny and small are holdable)
    gender: Literal["female", "male", "neutral"] | None = None  # people only: for bias counts
    materials: tuple[str, ...] = ()  # plausible material ids; empty = not made of a material
    colours: tuple[str, ...] = ()  # plausible colour ids; empty = any colour
    can: tuple[str, ...] = ()  # action ids it can do, beyond what its agent kind allows

    @model_validator(mode="before")
    @classmethod
    def _holdable_from_size(cls, data: Any) -> Any:
        data = _fields(data)
        if isinstance(data, dict) and data.get("holdable") is None and "size_class" in data:
            data = {**data, "holdable": data["size_class"] in ("tiny", "small")}
        return data

    @model_validator(mode="after")
    def _check_consistency(self) -> "ObjectItem":
        if self.article == "some" and self.countable:
            raise ValueError("article 'some' is only for uncountable objects (countable: false)")
        if self.person and not self.animate:
            raise ValueError("a person must be animate (animate: true)")
        if self.gender is not None and not self.person:
            raise ValueError("gender is only for people (person: true)")
        return self


@pool_item
class RelationItem(PoolItem):
    group: Literal["planar", "vertical", "depth", "containment", "contact", "comparative", "symmetry"]
    phrases: tuple[str, ...] = Field(min_length=1)  # first = canonical, rest = synonyms
    inverse: str | None = None


@pool_item
class ActionItem(PoolItem):
    unique_names: ClassVar[bool] = False  # "walk" and "walk (a dog)" share a verb; look actions up by id
    ing: str
    third: str
    past: str
    agents: tuple[AgentKind, ...] = Field(min_length=1)
    patient: tuple[str, ...] | None = None  # object categories it acts on; None = intransitive
    synonyms: tuple[str, ...] = ()  # other -ing forms that mean the same
    # Who can do it: objects whose `agent` kind is in `agents` -- all of them when neither
    # list below is given, else those of `categories` plus the listed `agent_objects`.
    categories: tuple[str, ...] = ()  # object categories whose members can do it
    agent_objects: tuple[str, ...] = ()  # object ids that can do it (bark: dog, puppy)
    # What it acts on: objects of the `patient` categories plus the listed `patient_objects`.
    patient_objects: tuple[str, ...] = ()  # object ids it acts on (fly: kite, paper aeroplane)

    @property
    def transitive(self) -> bool:
        return self.patient is not None or bool(self.patient_objects)

    def agent_ok(self, obj: "ObjectItem") -> bool:
        """Whether ``obj`` can do this action (objects' own ``can`` lists count too)."""
        if self.id in obj.can or obj.id in self.agent_objects:
            return True
        if obj.agent not in self.agents:
            return False
        return obj.category in self.categories if (self.categories or self.agent_objects) else True

    def patient_ok(self, obj: "ObjectItem") -> bool:
        """Whether this action can act on ``obj`` (always False for intransitive actions)."""
        return obj.id in self.patient_objects or obj.category in (self.patient or ())


@pool_item
class ColourItem(PoolItem):
    hex: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    family: Literal["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown",
                    "grey", "black", "white", "metallic"]


MaterialFamily = Literal["wood", "metal", "stone", "ceramic", "glass", "plastic", "fabric", "leather",
                         "paper", "natural", "food", "synthetic", "precious"]


@pool_item
class MaterialItem(PoolItem):
    adjective: str  # "wooden"; the name itself where English has no adjective ("a glass vase")
    family: MaterialFamily


@pool_item
class TextureItem(PoolItem):
    families: tuple[MaterialFamily, ...] = ()  # material families it suits; empty = any


@pool_item
class SizeItem(PoolItem):
    rank: int = Field(ge=1, le=9)  # 1 smallest; adjectives of the same rank are synonyms


@pool_item
class SceneItem(PoolItem):
    phrase: str  # "in a busy train station"
    setting: Setting
    categories: tuple[str, ...] = ()  # object category ids that plausibly appear there


@pool_item
class LightingItem(PoolItem):
    phrase: str  # "in soft golden-hour light"


@pool_item
class CameraItem(PoolItem):
    phrase: str  # "shot from a low angle"
    kind: Literal["angle", "shot", "lens", "focus", "motion", "composition"]


@pool_item
class StyleItem(PoolItem):
    family: StyleFamily
    description: str
    cues: tuple[str, ...] = Field(min_length=2)
    sketch_treatment: SketchTreatment
    paper_example: bool = False  # named as an example in the paper (section 3.1)


@pool_item
class TextItem(PoolItem):
    name: str = ""  # the text itself, filled from ``text``
    text: str = Field(min_length=1)
    language: str = Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # BCP-47
    script: str
    kind: TextKind
    tone: str | None = None  # a tone id (pool tones): formal, playful, urgent, elegant, ...
    gloss: str | None = None  # English meaning, for texts in other languages

    @model_validator(mode="before")
    @classmethod
    def _name_from_text(cls, data: Any) -> Any:
        data = _fields(data)
        if isinstance(data, dict) and "name" not in data and "text" in data:
            data = {**data, "name": data["text"]}
        return data

    @model_validator(mode="after")
    def _check_script(self) -> "TextItem":
        if self.script not in SCRIPT_LETTERS:
            raise ValueError(f"unknown script {self.script!r}; expected one of {sorted(SCRIPT_LETTERS)}")
        language = self.language.split("-")[0]
        if language in LANGUAGE_SCRIPTS and self.script not in LANGUAGE_SCRIPTS[language]:
            raise ValueError(f"language {self.language!r} is written in {LANGUAGE_SCRIPTS[language]}, not {self.script!r}")
        wrong = letters_outside_script(self.text, self.script)
        if wrong:
            raise ValueError(f"text {self.text!r} has letters outside script {self.script!r}: {''.join(wrong)!r}")
        if language != "en" and not self.gloss:
            raise ValueError("texts not in English need a gloss (their English meaning)")
        return self


@pool_item
class FontItem(PoolItem):
    """A lettering treatment; ``name`` reads after "in" / "set in" ("flowing copperplate script")."""

    family: Literal["serif", "sans", "script", "display", "handwritten", "monospace", "decorative"]


@pool_item
class SurfaceItem(PoolItem):
    """Something text is written or printed on ("a wooden shop sign")."""

    article: Literal["a", "an"]
    kinds: tuple[TextKind, ...] = Field(min_length=1)  # text kinds it suits
    settings: tuple[Setting, ...] = Field(min_length=1)  # scene settings where it stands


@pool_item
class LayoutItem(PoolItem):
    """A structured text layout, filled from texts: a heading, entries and optional values."""

    article: Literal["a", "an"]
    shape: Literal["list", "table", "grid", "poster"]
    title: TextKind  # kind of text for the heading
    entries: TextKind  # kind of text for the entries
    values: TextKind | None = None  # kind of text paired with each entry (menu item -> price)


@pool_item
class ToneItem(PoolItem):
    """A tone of voice of a text and the visual treatments that express it."""

    cues: tuple[str, ...] = Field(min_length=2, max_length=4)


@pool_item
class PresentationItem(PoolItem):
    """How a scientific figure is drawn ("a clean textbook diagram")."""

    article: Literal["a", "an"]


@pool_item
class ConceptItem(PoolItem):
    kind: Literal["diagram", "plot", "map", "cross_section", "timeline", "cycle", "orbit",
                  "circuit", "mechanism", "anatomy", "chart", "construction", "illustration",
                  "food_web", "life_cycle", "exploded_view", "field_lines", "ray_diagram"]
    labels: tuple[str, ...] = Field(min_length=2, max_length=6)
    description: str
    curve: PlotCurve | None = None  # plots only: the shape of the curve
    # plots only: the x and y axis titles; None: the first two labels are the axis titles
    axes: tuple[str, str] | None = None

    @model_validator(mode="after")
    def _check_labels_and_plot(self) -> "ConceptItem":
        repeated = sorted({label for label in self.labels if self.labels.count(label) > 1})
        if repeated:
            raise ValueError(f"labels must be distinct (each is drawn once); repeated: {repeated}")
        if self.kind != "plot" and (self.curve or self.axes):
            raise ValueError(f"only plots have a 'curve' or 'axes' (this one is a {self.kind!r})")
        return self


@pool_item
class CausalItem(PoolItem):
    type: Literal["explicit", "implicit", "chain"]
    cause: str
    effect: str  # what the image must show
    chain: tuple[str, ...] = ()  # chain: the 2-4 steps from cause to effect, in order

    @model_validator(mode="after")
    def _check_chain(self) -> "CausalItem":
        if self.type == "chain" and not 2 <= len(self.chain) <= 4:
            raise ValueError(f"a chain scenario needs 2-4 steps in 'chain', got {len(self.chain)}")
        if self.type != "chain" and self.chain:
            raise ValueError(f"only type 'chain' has steps in 'chain' (this one is {self.type!r})")
        return self


@pool_item
class TemporalItem(PoolItem):
    stages: tuple[str, ...] = Field(min_length=3, max_length=6)


@pool_item
class TrajectoryItem(PoolItem):
    path: Literal["arc", "spiral", "zigzag", "straight", "loop", "wave", "circle", "figure_eight",
                  "bounce", "fall", "orbit", "s_curve"]
    phrase: str  # "a basketball arcing from the player's hands into the hoop"


@pool_item
class GenericItem(PoolItem):
    """For users' own pools: free tags and attributes beside id and name."""

    tags: tuple[str, ...] = ()
    attrs: dict[str, Any] = Field(default_factory=dict)


# Pool schema name -> item model. A pool file uses the schema named by its ``schema`` key,
# else the one named like the pool, else its group's default (see GROUP_SCHEMAS).
SCHEMAS: dict[str, type[PoolItem]] = {
    "categories": CategoryItem, "objects": ObjectItem, "relations": RelationItem,
    "actions": ActionItem, "colours": ColourItem, "materials": MaterialItem,
    "textures": TextureItem, "sizes": SizeItem, "scenes": SceneItem, "lighting": LightingItem,
    "camera": CameraItem, "styles": StyleItem, "texts": TextItem, "concepts": ConceptItem,
    "causal": CausalItem, "temporal": TemporalItem, "trajectories": TrajectoryItem,
    "fonts": FontItem, "surfaces": SurfaceItem, "layouts": LayoutItem, "tones": ToneItem,
    "presentations": PresentationItem, "generic": GenericItem,
}
GROUP_SCHEMAS: dict[str, str] = {"science": "concepts"}


@functools.lru_cache(maxsize=None)
def _adapter(model: type) -> TypeAdapter:
    return TypeAdapter(model)


def validate_item(model: type[PoolItem], raw: Any) -> PoolItem:
    """An item of ``model`` from a mapping of its fields (``pydantic.ValidationError`` if bad)."""
    return _adapter(model).validate_python(raw)


def item_fields(model: type[PoolItem]) -> dict:
    """A model's fields: name -> ``FieldInfo``."""
    return model.__pydantic_fields__


class PoolFile(BaseModel):
    """The header of a pool file; ``items`` are validated separately, one by one."""

    model_config = ConfigDict(extra="forbid")

    pool: str = Field(pattern=ID_PATTERN)
    description: str = Field(min_length=1)
    source: str = Field(min_length=1)
    schema_: str | None = Field(None, alias="schema")
    items: list[Any] = Field(min_length=1)
