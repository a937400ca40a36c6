"""What the sketch renderer gets wrong that a reader notices, counted: duplicate images among
causal and temporal items, and change_motion edits that change almost nothing (#27 item 10).

    .venv/bin/python bench/bench_sketch_fidelity.py [--n 2000] [--motion 400] [--size 256x256] [--seed 0]

Plans ``--n`` items split evenly between causal_reasoning and temporal_sequence_coherence and
draws each (its scene); two items whose PNGs are byte-identical are duplicates (the count is
of items repeating an earlier item's image). Plans ``--motion`` change_motion edits and draws
each edit: the share of the canvas its changed regions cover (the renderer's own
``pixels_changed``), and how many change less than 1% of the pixels. Also prints the
renderer's fidelity per subtask when it declares one. Single process.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import Counter

from ogi_toolkit.backends.base import ImageRequest
from ogi_toolkit.backends.sketch import render_request
from ogi_toolkit.planning import plan


def duplicates(n: int, size: str, seed: int) -> dict:
    specs = plan(counts={"causal_reasoning": n // 2, "temporal_sequence_coherence": n - n // 2}, seed=seed)
    seen: dict[str, str] = {}
    repeats: Counter = Counter()
    examples = []
    for spec in specs:
        png = render_request(ImageRequest(prompt=spec.instruction, spec=spec, step="scene", size=size)).image
        digest = hashlib.sha1(png).hexdigest()
        if digest in seen:
            repeats[spec.subtask] += 1
            if len(examples) < 3:
                examples.append([seen[digest], spec.instruction])
        else:
            seen[digest] = spec.instruction
    return {"items": len(specs), "duplicate_images": sum(repeats.values()), "by_subtask": dict(repeats),
            "examples": examples}


def motion(n: int, size: str, seed: int) -> dict:
    specs = plan(counts={"change_motion": n}, seed=seed)
    width, height = (int(v) for v in size.split("x"))
    shares = []
    for spec in specs:
        meta = render_request(ImageRequest(prompt=spec.instruction, spec=spec, step="edit", size=size)).meta
        shares.append(meta["pixels_changed"]["total"] / (width * height))
    small = sum(1 for s in shares if s < 0.01)
    return {"edits": len(shares), "under_1_percent": small, "under_1_percent_share": round(small / len(shares), 3),
            "median_share": round(sorted(shares)[len(shares) // 2], 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--motion", type=int, default=400)
    parser.add_argument("--size", default="256x256")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    result = {"causal_temporal": duplicates(args.n, args.size, args.seed),
              "change_motion": motion(args.motion, args.size, args.seed)}
    try:
        from ogi_toolkit.backends.sketch.fidelity import FIDELITY

        result["fidelity"] = dict(Counter(level for level, _ in FIDELITY.values()))
    except ImportError:
        result["fidelity"] = None
    result["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
