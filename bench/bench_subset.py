"""Time `make_subsets` and `split_dataset` at the paper's scale (run by hand).

A manifest of the paper's 80,700 planned items is written with every record pointing at one
small image (the images' content does not matter to curation; their paths and existence do),
then cut into the paper's Table 6 sizes (20k, 30k, 40k) stratified by subtask and difficulty.

    python bench/bench_subset.py [--total 80700]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from PIL import Image

from ogi_toolkit.curation import make_subsets, split_dataset
from ogi_toolkit.folder import ManifestWriter
from ogi_toolkit.planning import plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=80_700)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "run"
        (root / "images").mkdir(parents=True)
        Image.new("RGB", (8, 8)).save(root / "images" / "x.png")
        specs = plan(total=args.total, seed=0)
        with ManifestWriter(root / "manifest.jsonl") as writer:
            for spec in specs:
                data = spec.model_dump(mode="json", exclude_none=True)
                writer.append({"id": spec.id, "status": "done", "spec": data, "instruction": spec.instruction,
                               "input_images": [] if spec.kind == "generation" else ["images/x.png"],
                               "output_image": "images/x.png", "turn_images": []})
        start = time.perf_counter()
        result = make_subsets(root, "20k,30k,40k", Path(tmp) / "subsets", stratify=("subtask", "difficulty"))
        subset_s = time.perf_counter() - start
        start = time.perf_counter()
        split_dataset(root, val=0.02, test=0.02)
        split_s = time.perf_counter() - start
        print(result.text(limit=3))
        print(f"{args.total} items: make_subsets(20k,30k,40k by subtask x difficulty) {subset_s:.1f} s; "
              f"split_dataset {split_s:.1f} s")


if __name__ == "__main__":
    main()
