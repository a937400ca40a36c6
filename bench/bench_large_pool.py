"""Benchmark of loading a large pool, run by hand (#22 item 5):

    .venv/bin/python bench/bench_large_pool.py              # 9,000 and 55,000 extra colours
    .venv/bin/python bench/bench_large_pool.py --items 2000

Copies the project's pools, appends N generated colours to ``qualifiers/colours.yaml`` (names
sharing words with object names, as real colours do: lemon, rose, gold...), and times, in a
fresh process each (no disk cache), what ``ogi taxonomy`` does: read and validate the pools,
then validate the taxonomy (every builder draws one item of every grade, every template
renders). Prints wall and CPU seconds, or the error that refused the file. A pool of 55,000
items took 272 s before: now it is refused unread (2 MiB per file, 10,000 items per pool).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "grey", "black", "white"]
WORDS = ["lemon", "rose", "gold", "sky", "sea", "stone", "forest", "cherry", "ash", "sand", "moss"]
PROBE = """
import resource, sys, time
from ogi_toolkit.definition.pools import load_pools
from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.templates.validate import validate_taxonomy
wall = time.perf_counter()
try:
    validate_taxonomy(load_taxonomy(), load_pools())
    verdict = "accepted"
except Exception as exc:
    verdict = f"refused: {str(exc)[:120]}"
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{time.perf_counter() - wall:.2f} s wall, {usage.ru_utime + usage.ru_stime:.2f} s CPU (process), {verdict}")
"""


def run(items: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pools = Path(tmp) / "pools"
        shutil.copytree(ROOT / "pools", pools)
        with open(pools / "qualifiers" / "colours.yaml", "a", encoding="utf-8") as fh:
            fh.writelines(f'  - {{id: bench_{i}, name: {WORDS[i % 11]} tone {i}, hex: "#{i:06X}", '
                          f"family: {FAMILIES[i % 11]}}}\n" for i in range(items))
        size = (pools / "qualifiers" / "colours.yaml").stat().st_size / 2**20
        env = {**os.environ, "PYTHONPATH": str(ROOT), "OGI_POOLS_DIR": str(pools), "OGI_CACHE_DIR": str(Path(tmp) / "cache"),
               "HF_HUB_OFFLINE": "1"}
        done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, cwd=ROOT)
        print(f"{items:>6} extra colours ({size:.1f} MiB): {done.stdout.strip() or done.stderr.strip()[-300:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, action="append", help="extra colours (repeatable; default 9000 and 55000)")
    for items in parser.parse_args().items or [9000, 55000]:
        run(items)


if __name__ == "__main__":
    main()
