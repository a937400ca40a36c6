"""Throughput of the judge against the local OpenAI-compatible server.

A dataset folder is generated first (not timed) through the local server (``ogi serve``, a
separate process); then ``judge()`` judges every item through the real OpenAI SDK, result
store and all, while the server answers each judge request after a fixed latency. The ideal
rate is ``concurrency / latency`` requests per second. Reported: achieved judge requests/s as
a share of that ideal, and the judging process's CPU per request (prompt rendering, image
hashing and downscaling, the SDK).

    .venv/bin/python bench/bench_judge.py                       # 300 ms, concurrency 64, 640 items
    .venv/bin/python bench/bench_judge.py --items 640 --image-px 1024 --long-side 512  # with downscaling
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_runner import cpu_seconds, plan  # noqa: E402

from ogi_toolkit.generate import run_plan  # noqa: E402
from ogi_toolkit.quality.judge import judge  # noqa: E402


def start_server(latency_ms: float, max_px: int):
    import subprocess

    command = [sys.executable, "-m", "ogi_toolkit.cli", "serve", "--port", "0", "--latency-ms", str(latency_ms),
               "--max-px", str(max_px), "--renderer", "card"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()  # "ogi serve: listening on http://127.0.0.1:PORT/v1 ..."
    return server, line.split("listening on ")[1].split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=640)
    parser.add_argument("--latency-ms", type=float, default=300.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--image-px", type=int, default=64, help="side of the images in the judged dataset")
    parser.add_argument("--long-side", type=int, default=768, help="judge images are sent at most this long")
    args = parser.parse_args()

    server, url = start_server(args.latency_ms, args.image_px)
    try:
        with tempfile.TemporaryDirectory() as out:
            gen = dict(backend="openai", backend_options={"base_url": url}, concurrency=64, progress=False)
            run_plan(plan(args.concurrency), Path(out) / "warmup", **gen)
            run_plan(plan(args.items), Path(out) / "data", **gen)
            options = dict(backend="openai", backend_options={"base_url": url}, judge_model="gpt-4o-mini",
                           concurrency=args.concurrency, long_side=args.long_side, progress=False)
            judge(Path(out) / "warmup", **options)  # imports, connections, templates
            server_cpu0, cpu0, wall0 = cpu_seconds(server.pid), time.process_time(), time.perf_counter()
            summary = judge(Path(out) / "data", **options)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            server_cpu = cpu_seconds(server.pid) - server_cpu0
            again0 = time.perf_counter()
            rerun = judge(Path(out) / "data", **options)
            rerun_s = time.perf_counter() - again0
    finally:
        server.terminate()
        server.wait()
    assert summary.judged == args.items and rerun.requests_sent == 0, (summary, rerun)
    ideal = args.concurrency / (args.latency_ms / 1000)
    achieved = summary.requests_sent / wall
    print(json.dumps({
        "judge_requests": summary.requests_sent, "concurrency": args.concurrency, "latency_ms": args.latency_ms,
        "image_px": args.image_px, "long_side": args.long_side,
        "wall_s": round(wall, 2), "achieved_rps": round(achieved, 1), "ideal_rps": round(ideal, 1),
        "ratio_of_ideal": round(achieved / ideal, 3),
        "judge_cpu_ms_per_request": round(1000 * cpu / summary.requests_sent, 2),
        "server_cpu_ms_per_request": round(1000 * server_cpu / summary.requests_sent, 2),
        "rerun_from_store_s": round(rerun_s, 2),
        "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
    }, indent=2))


if __name__ == "__main__":
    main()
