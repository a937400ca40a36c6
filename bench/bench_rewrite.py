"""Rewrite throughput: ``ogi rewrite`` (rewrite_plan) beside bespokelabs-curator, same server, same messages.

    PYTHONPATH=$PWD HF_HUB_OFFLINE=1 /work/main/.venv/bin/python bench/bench_rewrite.py \
        [--n 1280] [--latency-ms 300] [--concurrency 64] [--curator-python /tmp/curator-venv/bin/python]

The local server (``ogi serve``, its own process, so its CPU is not the client's) answers
every chat request after ``--latency-ms``. With ``--concurrency`` requests in flight the ideal
rate is concurrency / latency; each client's rate is reported as a share of it, with its CPU
seconds per request (user + system of the client process, import time excluded).

curator is installed apart from the project (``python -m venv /tmp/curator-venv &&
/tmp/curator-venv/bin/pip install bespokelabs-curator``): it pins other versions of openai
and pydantic than the toolkit uses. Offline it needs (1) a tiktoken encoding file: litellm
(a curator dependency) ships cl100k_base/o200k_base under
``litellm/litellm_core_utils/tokenizers``, which this bench points ``TIKTOKEN_CACHE_DIR`` at;
(2) a price map: litellm's packaged ``model_prices_and_context_window_backup.json``, used
when ``LITELLM_LOCAL_MODEL_COST_MAP=True``. Its cache, telemetry and rich display are off.
Both clients get the messages our rewrite prompt renders for the same plan; curator is given
them as is (one row each) and keeps the reply.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stats(url: str) -> dict:
    with urllib.request.urlopen(url.removesuffix("/v1") + "/stats") as r:
        return json.load(r)


def _start_server(latency_ms: float) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "ogi_toolkit.cli", "serve", "--port", str(port),
                               "--latency-ms", str(latency_ms)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(200):
        try:
            _stats(url)
            return server, url
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("the local server did not start")


# -- children: each client in its own process, timed from inside ------------------------------
def child_ours(plan: str, url: str, concurrency: int, work: str) -> dict:
    import openai  # noqa: F401  (imported before the clock starts, as curator's imports are)
    from ogi_toolkit.generate.rewrite_run import rewrite_plan

    cpu, wall = time.process_time(), time.perf_counter()
    summary = rewrite_plan(plan, Path(work) / "out.jsonl", backend="openai", concurrency=concurrency,
                           backend_options={"base_url": url, "chat_model": "gpt-4o-mini"}, progress=False,
                           check_models=False)
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
            "done": summary.rewritten + summary.retried, "errors": summary.errors}


def child_curator(messages: str, url: str, concurrency: int, work: str) -> dict:
    import litellm

    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(Path(litellm.__file__).parent / "litellm_core_utils" / "tokenizers"))
    from bespokelabs import curator

    class Rewriter(curator.LLM):
        def prompt(self, row):
            return row["messages"]

        def parse(self, row, response):
            return {"id": row["id"], "text": response}

    rows = [json.loads(line) for line in Path(messages).read_text().splitlines()]
    llm = Rewriter(model_name="gpt-4o-mini", backend="openai",
                   backend_params={"base_url": url, "api_key": "sk-local", "max_concurrent_requests": concurrency,
                                   "max_requests_per_minute": 10_000_000, "max_tokens_per_minute": 10_000_000_000,
                                   "max_retries": 1, "require_all_responses": False})
    cpu, wall = time.process_time(), time.perf_counter()
    result = llm(rows, working_dir=work)
    dataset = getattr(result, "dataset", result)
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu, "done": len(dataset), "errors": 0}


def _run_child(python: str, args: list[str], env: dict) -> dict:
    run = subprocess.run([python, __file__, *args], env=env, capture_output=True, text=True, timeout=900)
    if run.returncode != 0:
        raise RuntimeError(f"{args[1]} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=1280)
    p.add_argument("--latency-ms", type=float, default=300.0)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--repeat", type=int, default=1, help="runs of each client, alternating (the machine is shared)")
    p.add_argument("--curator-python", default="/tmp/curator-venv/bin/python",
                   help="python of a venv with bespokelabs-curator ('' to skip curator)")
    p.add_argument("--child", choices=["ours", "curator"], help=argparse.SUPPRESS)
    p.add_argument("--plan", help=argparse.SUPPRESS)
    p.add_argument("--url", help=argparse.SUPPRESS)
    p.add_argument("--work", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child == "ours":
        print(json.dumps(child_ours(args.plan, args.url, args.concurrency, args.work)))
        return
    if args.child == "curator":
        print(json.dumps(child_curator(args.plan, args.url, args.concurrency, args.work)))
        return

    sys.path.insert(0, str(ROOT / "tests"))
    from generate_fixtures import generation, poster, write_plan

    from ogi_toolkit.backends.rewrite_prompt import render_rewrite_messages

    tmp = Path(tempfile.mkdtemp(prefix="bench_rewrite_"))
    specs = [poster().model_copy(update={"id": f"text-{i}"}) if i % 10 == 0 else generation(i) for i in range(args.n)]
    plan = write_plan(tmp / "plan.jsonl", specs)
    messages = tmp / "messages.jsonl"
    messages.write_text("".join(json.dumps({"id": s.id, "messages": render_rewrite_messages(s)}) + "\n" for s in specs))
    ideal_rps = args.concurrency / (args.latency_ms / 1000)
    print(f"{args.n} rewrite requests, server latency {args.latency_ms:.0f} ms, concurrency {args.concurrency}: "
          f"ideal {ideal_rps:.1f} requests/s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "OPENAI_API_KEY": "sk-local",
           "CURATOR_DISABLE_CACHE": "1", "CURATOR_DISABLE_RICH_DISPLAY": "1", "TELEMETRY_ENABLED": "0",
           "BESPOKE_CURATOR_TRACKER_DISABLED": "1", "CURATOR_VIEWER": "0", "LITELLM_LOCAL_MODEL_COST_MAP": "True",
           "HF_DATASETS_OFFLINE": "1"}
    clients = [("ogi rewrite", sys.executable, "ours", plan)]
    if args.curator_python:
        clients.append(("bespokelabs-curator", args.curator_python, "curator", messages))
    results: dict[str, list[tuple[float, float]]] = {}
    for round_no, (name, python, child, data) in ((r, c) for r in range(args.repeat) for c in clients):
        server, url = _start_server(args.latency_ms)
        try:
            work = tmp / f"{child}-{round_no}"
            work.mkdir()
            try:
                r = _run_child(python, ["--child", child, "--plan", str(data), "--url", url, "--work", str(work),
                                        "--concurrency", str(args.concurrency)], env)
            except RuntimeError as exc:
                print(f"{name:20s} could not run: {exc}")
                continue
            server_stats = _stats(url)
            chats = server_stats["by_path"].get("/v1/chat/completions", 0)
        finally:
            server.terminate()
            server.wait()
        rps = r["done"] / r["wall_s"]
        cpu_ms = 1000 * r["cpu_s"] / max(1, r["done"])
        results.setdefault(name, []).append((rps / ideal_rps, cpu_ms))
        print(f"{name:20s} {r['done']} done, {chats} chat requests ({server_stats['max_in_flight']} in flight at most), {r['wall_s']:.2f} s: {rps:.1f} requests/s = "
              f"{rps / ideal_rps:.3f} of ideal; client CPU {cpu_ms:.2f} ms/request; load {os.getloadavg()[0]:.1f}")
    for name, runs in results.items():
        shares, cpus = sorted(r[0] for r in runs), sorted(r[1] for r in runs)
        print(f"{name:20s} median of {len(runs)}: {shares[len(runs) // 2]:.3f} of ideal, "
              f"{cpus[len(runs) // 2]:.2f} ms CPU/request")


if __name__ == "__main__":
    main()
