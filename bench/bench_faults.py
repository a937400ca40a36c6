"""How well `ogi check` catches planted faults: recall per fault kind, overall precision, and the
share of untouched items flagged, with and without the renderer's layout record (calls.jsonl).

    PYTHONPATH=$PWD .venv/bin/python bench/bench_faults.py [--dataset DIR] [--per-subtask 10] [--share 0.3]

Without ``--dataset`` it draws ``--per-subtask`` items of each of the 51 subtasks at 512x512
(510 items) first. The faults (``quality/checks/planted.py``) are planted in a copy; the copy
is checked as it is (a right record beside a wrong picture), then again with calls.jsonl
removed (how a real model's images arrive). An item counts as flagged when ``passed`` is False.
``--calibrate`` prints the clean outputs' ranges of the corruption statistics instead.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from ogi_toolkit.quality import check
from ogi_toolkit.quality.checks.planted import PIXEL_KINDS, SEMANTIC_KINDS, plant_fault_suite, without_calls


def make_dataset(root: Path, per_subtask: int) -> Path:
    from ogi_toolkit.definition.taxonomy import load_taxonomy
    from ogi_toolkit.generate import run_plan
    from ogi_toolkit.planning import plan

    specs = plan(counts={s.id: per_subtask for s in load_taxonomy().subtasks}, seed=0)
    run_plan(specs, root, size="512x512")
    return root


def score(lines: list[dict], planted: dict[str, list[str]]) -> dict:
    flagged = {line["id"] for line in lines if line["passed"] is False}
    faulty = {i for ids in planted.values() for i in ids}
    untouched = [line["id"] for line in lines if line["id"] not in faulty]
    per_kind = {kind: (len(flagged & set(ids)), len(ids)) for kind, ids in planted.items()}
    pixel = [i for k in PIXEL_KINDS for i in planted.get(k, [])]
    return {
        "per_kind": per_kind,
        "pixel_recall": sum(i in flagged for i in pixel) / len(pixel) if pixel else None,
        "precision": len(flagged & faulty) / len(flagged) if flagged else None,
        "untouched_flagged": sum(i in flagged for i in untouched) / len(untouched) if untouched else None,
        "untouched_flagged_ids": sorted(i for i in untouched if i in flagged),
        "items": len(lines), "faulty": len(faulty),
    }


def what_flagged(lines: list[dict], ids: list[str]) -> Counter:
    by_id = {line["id"]: line for line in lines}
    return Counter(c["name"] for i in ids for c in by_id[i]["checks"] if c["passed"] is False)


def report(title: str, s: dict, lines: list[dict], planted: dict[str, list[str]]) -> None:
    print(f"\n== {title}: {s['items']} items, {s['faulty']} with a planted fault")
    print(f"{'kind':16s} {'caught':>7s} {'recall':>7s}  by")
    for kind in (*PIXEL_KINDS, *SEMANTIC_KINDS):
        if kind not in s["per_kind"]:
            continue
        caught, n = s["per_kind"][kind]
        top = ", ".join(f"{name} {k}" for name, k in what_flagged(lines, planted[kind]).most_common(3))
        semantic = " (semantic)" if kind in SEMANTIC_KINDS else ""
        print(f"{kind + semantic:28s} {caught:3d}/{n:<3d} {caught / n:6.2f}  {top}")
    print(f"pixel-visible recall {s['pixel_recall']:.3f}; precision {s['precision']:.3f}; "
          f"untouched flagged {s['untouched_flagged']:.3f} {s['untouched_flagged_ids'][:12]}")


def calibrate(root: Path) -> None:
    import numpy as np
    from PIL import Image

    from ogi_toolkit.folder import read_manifest
    from ogi_toolkit.quality.checks.suite.corruption import chroma, noise_sigma, pixelation

    stats: dict[str, list[float]] = {"chroma": [], "pixelation": [], "noise_sigma": []}
    for r in read_manifest(root):
        if r.get("status") != "done":
            continue
        image = Image.open(root / r["output_image"]).convert("RGB")
        grey = np.asarray(image.convert("L"), dtype=np.float32)
        stats["chroma"].append(chroma(np.asarray(image)))
        stats["pixelation"].append(pixelation(grey))
        stats["noise_sigma"].append(noise_sigma(grey))
    for name, values in stats.items():
        q = np.percentile(values, [0, 1, 50, 99, 100])
        print(f"{name:12s} min {q[0]:.3f}  p1 {q[1]:.3f}  median {q[2]:.3f}  p99 {q[3]:.3f}  max {q[4]:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, help="an existing clean sketch dataset folder (default: draw one)")
    parser.add_argument("--per-subtask", type=int, default=10)
    parser.add_argument("--share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, help="keep the planted folders and scores here (default: a temporary folder)")
    parser.add_argument("--calibrate", action="store_true", help="print the clean outputs' corruption statistics")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-faults-") as tmp:
        work = args.out or Path(tmp)
        root = args.dataset or make_dataset(work / "clean", args.per_subtask)
        if args.calibrate:
            calibrate(root)
            return
        planted = plant_fault_suite(root, work / "planted", share=args.share, seed=args.seed)
        bare = without_calls(work / "planted", work / "planted-no-calls")
        scores = {}
        for title, folder in (("with calls.jsonl", work / "planted"), ("without calls.jsonl", bare)):
            start, load = time.perf_counter(), os.getloadavg()[0]
            lines = check(folder, workers=args.workers, redo=True).lines
            print(f"\nchecked {folder} in {time.perf_counter() - start:.0f} s (load {load:.1f} on {os.cpu_count()} CPUs)")
            scores[title] = score(lines, planted)
            report(title, scores[title], lines, planted)
        (work / "bench_faults.json").write_text(json.dumps({"planted": planted, "scores": scores}, indent=1))


if __name__ == "__main__":
    main()
