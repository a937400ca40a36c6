"""Throughput of the generation runner against the local OpenAI-compatible server.

The server (``ogi serve``, a separate process) answers every image request after a fixed
latency with a tiny image, so the ideal rate is ``concurrency / latency`` requests per second.
The runner drives it through the real OpenAI SDK, store, manifest and all. Reported: achieved
requests/s as a share of that ideal (target >= 0.9), the runner process's CPU time per request
(SDK included), and the runner's own CPU per request without HTTP (an in-process backend that
answers at once), which tells the runner's bookkeeping from the SDK's cost.

    .venv/bin/python bench/bench_runner.py                      # 300 ms, concurrency 64, 1280 requests
    .venv/bin/python bench/bench_runner.py --items 2560 --latency-ms 300 --concurrency 64
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ogi_toolkit.backends import Backend  # noqa: E402
from ogi_toolkit.generate import run_plan  # noqa: E402
from ogi_toolkit.spec import InstructionSpec, Scene, SceneObject  # noqa: E402


def plan(n: int) -> list[InstructionSpec]:
    return [InstructionSpec(id=f"bench-{i}", kind="generation", domain="bench", subtask="bench", template_id="bench",
                            difficulty=1, seed=i, instruction=f"{i % 7 + 1} red cubes on a table, variant {i}",
                            scene=Scene(objects=[SceneObject(name="red cube", count=i % 7 + 1)])) for i in range(n)]


class InstantBackend(Backend):
    """Answers at once with a distinct tiny PNG: what is left is the runner's own work."""

    name = "instant"
    uses_spec = False

    def identity(self) -> dict:
        return {"backend": self.name}

    async def generate(self, request):
        import io

        from PIL import Image

        from ogi_toolkit.backends.base import ImageResult

        out = io.BytesIO()
        Image.new("RGB", (8, 8), (hash(request.prompt) % 256, 0, 0)).save(out, format="PNG")
        return ImageResult(out.getvalue(), model="instant")

    edit = generate


def start_server(latency_ms: float, max_px: int) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "ogi_toolkit.cli", "serve", "--port", "0", "--latency-ms", str(latency_ms),
               "--max-px", str(max_px), "--renderer", "card"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()  # "ogi serve: listening on http://127.0.0.1:PORT/v1 ..."
    return server, line.split("listening on ")[1].split()[0]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1280)
    parser.add_argument("--latency-ms", type=float, default=300.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--max-px", type=int, default=16, help="side of the images the server returns")
    args = parser.parse_args()

    server, url = start_server(args.latency_ms, args.max_px)
    try:
        with tempfile.TemporaryDirectory() as out:
            options = dict(backend="openai", backend_options={"base_url": url}, concurrency=args.concurrency,
                           progress=False)
            run_plan(plan(args.concurrency), Path(out) / "warmup", **options)  # imports, connections
            server_cpu0, cpu0, wall0 = cpu_seconds(server.pid), time.process_time(), time.perf_counter()
            summary = run_plan(plan(args.items), Path(out) / "run", **options)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            server_cpu = cpu_seconds(server.pid) - server_cpu0
    finally:
        server.terminate()
        server.wait()
    assert summary.done == args.items, summary
    with tempfile.TemporaryDirectory() as out:
        cpu0 = time.process_time()
        run_plan(plan(args.items), Path(out), backend=InstantBackend(), concurrency=args.concurrency, progress=False)
        own_cpu = time.process_time() - cpu0
    ideal = args.concurrency / (args.latency_ms / 1000)
    achieved = summary.requests_sent / wall
    print(json.dumps({
        "requests": summary.requests_sent, "concurrency": args.concurrency, "latency_ms": args.latency_ms,
        "wall_s": round(wall, 2), "achieved_rps": round(achieved, 1), "ideal_rps": round(ideal, 1),
        "ratio_of_ideal": round(achieved / ideal, 3),
        "runner_cpu_ms_per_request": round(1000 * cpu / summary.requests_sent, 2),
        "server_cpu_ms_per_request": round(1000 * server_cpu / summary.requests_sent, 2),
        "runner_own_cpu_ms_per_request_without_http": round(1000 * own_cpu / args.items, 2),
        "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
    }, indent=2))


if __name__ == "__main__":
    main()
