"""Images per second of the offline sketch renderer at 512x512 and 1024x1024.

    .venv/bin/python bench/bench_sketch.py [--n 60] [--sizes 512x512 1024x1024]

The mix is the hand-built spec of every one of the 51 subtasks (tests/sketch_fixtures.py),
each drawn at its final step (generation: the scene; editing: the edit or the last turn,
which also draws the state before it to find the changed regions). Single process, one
thread, after a warm-up pass (fonts, matplotlib figures). Prints a table and per-kind rates.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the hand-built specs live with the tests

from ogi_toolkit.backends.base import ImageRequest  # noqa: E402
from ogi_toolkit.backends.sketch import render_request  # noqa: E402
from sketch_fixtures import all_cases  # noqa: E402


def final_step(spec) -> str:
    if spec.kind == "generation":
        return "scene"
    return f"turn:{len(spec.turns) - 1}" if spec.turns else "edit"


def bench(size: str, n: int) -> dict:
    cases = list(all_cases().values())
    for spec in cases:  # warm-up: fonts, figures, pools
        render_request(ImageRequest(prompt="", spec=spec, step=final_step(spec), size=size))
    times: dict[str, list[float]] = {"generation": [], "editing": []}
    total_bytes = 0
    start = time.perf_counter()
    for k in range(n):
        spec = cases[k % len(cases)]
        t = time.perf_counter()
        result = render_request(ImageRequest(prompt="", spec=spec, step=final_step(spec), size=size))
        times[spec.kind].append(time.perf_counter() - t)
        total_bytes += len(result.image)
    wall = time.perf_counter() - start
    return {"size": size, "images": n, "seconds": wall, "images_per_s": n / wall,
            "gen_ms": 1000 * statistics.median(times["generation"]),
            "edit_ms": 1000 * statistics.median(times["editing"]), "kb_per_image": total_bytes / n / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=102, help="images per size (default: every subtask twice)")
    parser.add_argument("--sizes", nargs="+", default=["512x512", "1024x1024"])
    args = parser.parse_args()
    print(f"{'size':>10} {'images':>7} {'s':>7} {'img/s':>7} {'gen ms':>7} {'edit ms':>8} {'KB/img':>7}")
    for size in args.sizes:
        r = bench(size, args.n)
        print(f"{r['size']:>10} {r['images']:>7} {r['seconds']:>7.1f} {r['images_per_s']:>7.2f} "
              f"{r['gen_ms']:>7.0f} {r['edit_ms']:>8.0f} {r['kb_per_image']:>7.0f}")


if __name__ == "__main__":
    main()
