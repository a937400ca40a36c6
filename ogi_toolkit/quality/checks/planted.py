"""A planted-fault suite: a copy of a dataset folder where about ``share`` of the finished items
get one known fault each, of many kinds, to measure the checks (``bench/bench_faults.py``,
``tests/test_planted_faults.py``).

The faults are planted independently of the checks' code: images are re-drawn by the sketch
renderer from a changed spec (a misspelt text, an edit on another object, one object more),
transformed (re-saved, blurred, rotated, ...) or moved between items. Manifest lines are
appended (the last line per id wins) and ``calls.jsonl`` is left as it was, so with it the
checks read a *right record beside a wrong picture*, as they would if a renderer's record were
wrong; :func:`without_calls` gives the same folder without it (how a real model's images arrive).

Kinds, by what should catch them:

* pixel-visible (the offline checks' job): ``misspelt``, ``missing_word``, ``wrong_word``,
  ``science_swap``, ``noop_resave``, ``noop_blur``, ``wrong_place``, ``turn_noop``,
  ``turns_swapped``, ``inverted``, ``rotated``, ``grey``, ``pixelated``, ``noised``, ``cropped``,
  ``blank``;
* semantic (the judge's and the vision models' job; planted to say how much pixel statistics
  miss): ``wrong_object``, ``count_wrong``, ``object_dropped``, ``swapped_within``,
  ``swapped_across``.
"""
from __future__ import annotations

import io
import json
import random
import shutil
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from ...folder import CALLS_NAME, MANIFEST_NAME, ManifestWriter, read_manifest
from .faults import copy_dataset

__all__ = ["PIXEL_KINDS", "SEMANTIC_KINDS", "plant_fault_suite", "without_calls"]

PIXEL_KINDS = ("misspelt", "missing_word", "wrong_word", "science_swap", "noop_resave", "noop_blur", "wrong_place",
               "turn_noop", "turns_swapped", "inverted", "rotated", "grey", "pixelated", "noised", "cropped", "blank")
SEMANTIC_KINDS = ("wrong_object", "count_wrong", "object_dropped", "swapped_within", "swapped_across")
_LOCAL_OPS = ("add", "remove", "replace", "alter", "move", "material", "colour", "text_replace", "text_add")


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _resaved_jpeg(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _redraw(spec: dict, step: str, size: str, images: tuple[bytes, ...] = ()) -> Image.Image:
    """The sketch renderer's picture of ``spec`` (changed by the planter) at ``step``."""
    from ...backends.base import ImageRequest
    from ...backends.sketch.backend import render_request
    from ...spec import InstructionSpec

    result = render_request(ImageRequest(prompt=spec.get("instruction", ""), step=step, images=images, size=size,
                                         spec=InstructionSpec.model_validate(spec)))
    return Image.open(io.BytesIO(result.image)).convert("RGB")


def _misspelt(word: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    i = rng.choice(letters)
    pool = "aeiou" if word[i].lower() in "aeiou" else "bcdfghklmnprstvz"
    new = rng.choice([c for c in pool if c != word[i].lower()])
    return word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1:]


def _moved_patch(before: Image.Image, after: Image.Image) -> Image.Image | None:
    """The edit's change (where output and input differ) pasted elsewhere on the input."""
    a, b = np.asarray(before.convert("RGB"), dtype=np.int16), np.asarray(after.convert("RGB"), dtype=np.int16)
    ys, xs = np.nonzero(np.abs(a - b).max(axis=2) > 24)
    if len(xs) < 50:
        return None
    x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    w, h = before.size
    if (x1 - x0) * (y1 - y0) > 0.4 * w * h:
        return None
    dx, dy = (w // 2 if x0 + x1 < w else -(w // 2)), (h // 2 if y0 + y1 < h else -(h // 2))
    out = before.copy()
    out.paste(after.crop((x0, y0, x1, y1)), (min(max(0, x0 + dx), w - (x1 - x0)), min(max(0, y0 + dy), h - (y1 - y0))))
    return out


_CORRUPTIONS: dict[str, Callable[[Image.Image, random.Random], Image.Image]] = {
    "inverted": lambda im, rng: ImageOps.invert(im.convert("RGB")),
    "rotated": lambda im, rng: im.rotate(rng.choice((90, 180, 270)), expand=False),
    "grey": lambda im, rng: im.convert("L").convert("RGB"),
    "pixelated": lambda im, rng: im.resize((im.width // 8, im.height // 8), Image.Resampling.BOX).resize(
        im.size, Image.Resampling.NEAREST),
    "noised": lambda im, rng: Image.fromarray(np.clip(np.asarray(im, dtype=np.float32) + np.random.default_rng(
        rng.randrange(1 << 30)).normal(0, 22, (im.height, im.width, 3)), 0, 255).astype(np.uint8)),
    "cropped": lambda im, rng: im.crop((im.width // 6, im.height // 6, im.width - im.width // 6,
                                        im.height - im.height // 6)).resize(im.size, Image.Resampling.LANCZOS),
    "blank": lambda im, rng: Image.new("RGB", im.size, (255, 255, 255)),
}


class _Planter:
    def __init__(self, root: Path, seed: int):
        self.root, self.rng = root, random.Random(seed)
        (root / "images" / "planted").mkdir(parents=True, exist_ok=True)
        self.lines: list[dict[str, Any]] = []
        self.used: set[str] = set()
        self.kinds: dict[str, list[str]] = {}

    def image(self, rel: str) -> Image.Image:
        return Image.open(self.root / rel).convert("RGB")

    def save(self, image: Image.Image, name: str) -> str:
        rel = f"images/planted/{name}.png"
        (self.root / rel).write_bytes(_png(image))
        return rel

    def plant(self, kind: str, record: dict, **changes: Any) -> None:
        self.used.add(record["id"])
        self.kinds.setdefault(kind, []).append(record["id"])
        self.lines.append({**record, **changes})


def _size(record: dict) -> str:
    return str((record.get("params") or {}).get("size") or "512x512")


def _text_fault(p: _Planter, kind: str, r: dict) -> bool:
    spec = json.loads(json.dumps(r["spec"]))
    texts = spec["scene"]["texts"]
    t = p.rng.choice([t for t in texts if any(c.isalpha() for c in t["text"])] or [None])
    if t is None:
        return False
    words = t["text"].split()
    if kind == "misspelt":
        k = p.rng.choice([i for i, w in enumerate(words) if any(c.isalpha() for c in w)])
        words[k] = _misspelt(words[k], p.rng)
    elif kind == "missing_word":
        if len(words) < 2:
            return False
        del words[p.rng.randrange(len(words))]
    else:  # wrong_word: another word of the same length range
        k = p.rng.randrange(len(words))
        words[k] = p.rng.choice([w for w in ("river", "candle", "orbit", "harbour", "velvet", "lantern") if w != words[k]])
    t["text"] = " ".join(words)
    p.plant(kind, r, output_image=p.save(_redraw(spec, "scene", _size(r)), f"{kind}-{r['id']}"))
    return True


def plant_fault_suite(src: str | Path, dst: str | Path, *, share: float = 0.3, seed: int = 0,
                      kinds: tuple[str, ...] = PIXEL_KINDS + SEMANTIC_KINDS) -> dict[str, list[str]]:
    """Copy ``src`` to ``dst`` and plant faults in about ``share`` of its finished items, spread
    over ``kinds`` in turn; return ``{kind: [ids]}`` (see the module docstring)."""
    src, dst = Path(src), Path(dst)
    copy_dataset(src, dst)
    records = sorted((r for r in read_manifest(dst) if r.get("status") == "done"), key=lambda r: r["id"])
    p = _Planter(dst, seed)
    p.rng.shuffle(records)
    target = round(share * len(records))

    def spec(r):
        return r["spec"]

    def local_edit(r):
        s = spec(r)
        return s["kind"] == "editing" and not s.get("turns") and len(s.get("edits") or []) == 1 \
            and s["edits"][0]["op"] in _LOCAL_OPS and not s.get("reference") and r.get("input_images")

    eligible: dict[str, Callable[[dict], bool]] = {
        "misspelt": lambda r: spec(r)["kind"] == "generation" and bool((spec(r).get("scene") or {}).get("texts")),
        "science_swap": lambda r: bool((spec(r).get("scene") or {}).get("labels")),
        "noop_resave": local_edit, "noop_blur": local_edit, "wrong_place": local_edit, "wrong_object": local_edit,
        "turn_noop": lambda r: len(r.get("turn_images") or []) >= 2,
        "count_wrong": lambda r: spec(r)["kind"] == "generation" and bool((spec(r).get("scene") or {}).get("objects"))
        and not (spec(r).get("scene") or {}).get("labels"),
        "swapped_within": lambda r: True, "swapped_across": lambda r: True,
    }
    eligible["missing_word"] = eligible["wrong_word"] = eligible["misspelt"]
    eligible["turns_swapped"] = eligible["turn_noop"]
    eligible["object_dropped"] = lambda r: eligible["count_wrong"](r) and len(spec(r)["scene"]["objects"]) >= 2
    for kind in _CORRUPTIONS:
        eligible[kind] = lambda r: True
    eligible["grey"] = lambda r: any(o.get("colour") for o in ((spec(r).get("scene") or spec(r).get("source") or {})
                                                               .get("objects") or []))
    stalled = 0
    while len(p.used) < target and stalled < len(kinds):
        planted_before = len(p.used)
        for kind in kinds:
            if len(p.used) >= target:
                break
            free = [r for r in records if r["id"] not in p.used and eligible[kind](r)]
            for r in free[:5]:  # a few tries: a fault that cannot be planted on one item may on another
                if _plant_one(p, kind, r, [x for x in records if x["id"] not in p.used and x["id"] != r["id"]]):
                    break
        stalled = stalled + 1 if len(p.used) == planted_before else 0
    with ManifestWriter(dst / MANIFEST_NAME) as writer:
        for line in p.lines:
            writer.append(json.loads(json.dumps(line)))
    return p.kinds


def _plant_one(p: _Planter, kind: str, r: dict, others: list[dict]) -> bool:
    s = r["spec"]
    if kind in ("misspelt", "missing_word", "wrong_word"):
        return _text_fault(p, kind, r)
    if kind in ("science_swap", "swapped_within", "swapped_across"):
        if kind == "science_swap":
            pool = [o for o in others if (o["spec"].get("scene") or {}).get("labels")]
        elif kind == "swapped_within":
            pool = [o for o in others if o["spec"]["subtask"] == s["subtask"]]
        else:
            pool = [o for o in others if o["spec"]["kind"] == s["kind"] and o["spec"]["subtask"] != s["subtask"]
                    and bool(o.get("turn_images")) == bool(r.get("turn_images"))]
        if not pool:
            return False
        o = p.rng.choice(pool)
        p.plant(kind, r, output_image=o["output_image"], turn_images=o.get("turn_images") or [])
        p.plant(kind, o, output_image=r["output_image"], turn_images=r.get("turn_images") or [])
        return True
    if kind in ("noop_resave", "noop_blur"):
        before = p.image(r["input_images"][0])
        out = _resaved_jpeg(before, p.rng.choice((60, 75, 90))) if kind == "noop_resave" else \
            before.filter(ImageFilter.GaussianBlur(p.rng.choice((1.0, 1.5, 2.0))))
        p.plant(kind, r, output_image=p.save(out, f"{kind}-{r['id']}"))
        return True
    if kind == "wrong_place":
        out = _moved_patch(p.image(r["input_images"][0]), p.image(r["output_image"]))
        if out is None:
            return False
        p.plant(kind, r, output_image=p.save(out, f"{kind}-{r['id']}"))
        return True
    if kind == "wrong_object":
        edit, objects = s["edits"][0], (s.get("source") or {}).get("objects") or []
        choices = [i for i in range(len(objects)) if i != edit.get("target")]
        if edit.get("target") is None or not choices:
            return False
        changed = json.loads(json.dumps(s))
        changed["edits"][0]["target"] = p.rng.choice(choices)
        try:
            out = _redraw(changed, "edit", _size(r), ((p.root / r["input_images"][0]).read_bytes(),))
        except Exception:  # noqa: BLE001 - an edit the renderer cannot draw on that object: try another item
            return False
        p.plant(kind, r, output_image=p.save(out, f"{kind}-{r['id']}"))
        return True
    if kind in ("count_wrong", "object_dropped"):
        changed = json.loads(json.dumps(s))
        objects = changed["scene"]["objects"]
        if kind == "count_wrong":
            objects[0]["count"] = objects[0].get("count", 1) + 1
        else:
            changed["scene"]["objects"] = objects[:-1]
            changed["scene"]["relations"] = [x for x in changed["scene"].get("relations") or []
                                             if x["subject"] < len(objects) - 1 and (x.get("object") or 0) < len(objects) - 1]
            changed["scene"]["texts"] = [t for t in changed["scene"].get("texts") or []
                                         if t.get("on") is None or t["on"] < len(objects) - 1]
        p.plant(kind, r, output_image=p.save(_redraw(changed, "scene", _size(r)), f"{kind}-{r['id']}"))
        return True
    if kind in ("turn_noop", "turns_swapped"):
        turns = list(r["turn_images"])
        if kind == "turns_swapped":
            turns[0], turns[1] = turns[1], turns[0]
        else:
            k = p.rng.randrange(len(turns))
            before = p.image(turns[k - 1] if k else r["input_images"][0])
            turns[k] = p.save(_resaved_jpeg(before, 85), f"{kind}-{r['id']}")
        p.plant(kind, r, turn_images=turns, output_image=turns[-1])
        return True
    image = p.image(r["output_image"])
    p.plant(kind, r, output_image=p.save(_CORRUPTIONS[kind](image, p.rng), f"{kind}-{r['id']}"))
    return True


def without_calls(src: str | Path, dst: str | Path) -> Path:
    """A copy of the dataset folder ``src`` without ``calls.jsonl``: no layout records."""
    src, dst = Path(src), Path(dst)
    copy_dataset(src, dst)
    (dst / CALLS_NAME).unlink(missing_ok=True)
    shutil.copyfile(src / MANIFEST_NAME, dst / MANIFEST_NAME)
    return dst
