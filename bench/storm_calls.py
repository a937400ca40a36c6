"""Kill-and-timeout storm for the call engine (#22): no paid answer is lost.

``ogi generate``, ``ogi judge`` and ``ogi rewrite`` run against a local server (loopback only)
that answers late (timeouts), hangs, fails (429/500), sends garbage and refuses; each command
is SIGKILLed at random moments ``--kills`` times, then run to its end. The server records
every request and answer, so afterwards each answer it billed is looked for in the run's
store (by the image's sha256 or the reply's text):

* stored: the answer is on disk (a late answer included);
* else it must be explained: a call recorded as maybe paid (a garbage reply, a reply that is
  no judgment, a request closed unanswered) or a request a kill left open (logged in
  ``sent.jsonl``, sent again on resume); the answers not stored are counted against those.

It fails (exit 1) when an answer is neither, when a request was paid twice without a kill to
explain it, or when a last run against the healed server sends anything.

    .venv/bin/python bench/storm_calls.py                       # 30 items, 4 kills per command
    .venv/bin/python bench/storm_calls.py --items 60 --kills 8 --seed 3
"""
from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from generate_fixtures import generation, multi_turn, reference, single_edit, write_plan  # noqa: E402

from ogi_toolkit.calls.store import SENT_NAME  # noqa: E402
from ogi_toolkit.folder import CALLS_NAME  # noqa: E402
from ogi_toolkit.server import serve_in_background  # noqa: E402

MODEL_PATHS = ("/v1/images/generations", "/v1/images/edits", "/v1/chat/completions")
FAULTS = dict(fail_rate=0.1, timeout_rate=0.15, malformed_rate=0.05, hang_s=0.6, latency_ms=30, retry_after_ms=20)
CLIENT = ["--timeout", "0.3", "--close-timeout", "5", "--max-attempts", "8", "--concurrency", "8", "--no-progress"]


def answer_fingerprint(path: str, body: bytes) -> str | None:
    """What identifies an answer in a store: the image's sha256, or the reply's text (None: garbage)."""
    try:
        data = json.loads(body)
        if path == "/v1/chat/completions":
            text = data["choices"][0]["message"]["content"]
            return text.strip() if isinstance(text, str) and text.strip() else None
        return hashlib.sha256(base64.b64decode(data["data"][0]["b64_json"], validate=True)).hexdigest()
    except (ValueError, KeyError, IndexError, TypeError, binascii.Error):
        return None


def store_contents(store: Path) -> tuple[set[str], int, set[str]]:
    """(image shas and reply texts stored, calls recorded as maybe paid, keys of requests ever sent)."""
    kept, failed = set(), 0
    calls = {}
    for line in (store / CALLS_NAME).read_text().splitlines() if (store / CALLS_NAME).exists() else ():
        record = json.loads(line)
        calls[record["key"]] = record
    for record in calls.values():  # the last line of a key is what a run reads
        if "failed" in record:
            failed += 1
        elif record.get("image_sha256"):
            kept.add(record["image_sha256"])
        elif record.get("text"):
            kept.add(record["text"])
    sent = set()
    if (store / SENT_NAME).exists():
        sent = {json.loads(line)["key"] for line in (store / SENT_NAME).read_text().splitlines()}
    return kept, failed, sent


def open_at_stop(store: Path) -> int:
    """Requests a killed run left open (sent, never stored or recorded)."""
    if not (store / SENT_NAME).exists():
        return 0
    answered = set()
    if (store / CALLS_NAME).exists():
        answered = {json.loads(line)["key"] for line in (store / CALLS_NAME).read_text().splitlines() if line.strip()}
    sent = {json.loads(line)["key"] for line in (store / SENT_NAME).read_text().splitlines() if line.strip()}
    return len(sent - answered)


def storm(name: str, command: list[str], store: Path, kills: int, rng: random.Random, env: dict) -> dict:
    """Kill ``command`` ``kills`` times at random moments, then run it to its end."""
    left_open = 0
    for _ in range(kills):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sent_before = (store / SENT_NAME).stat().st_size if (store / SENT_NAME).exists() else 0
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline and (
                not (store / SENT_NAME).exists() or (store / SENT_NAME).stat().st_size == sent_before):
            time.sleep(0.05)  # until it sends (start-up takes seconds on a loaded machine)
        time.sleep(rng.uniform(0.0, 2.0))
        if process.poll() is not None:
            break  # finished before the kill
        process.send_signal(signal.SIGKILL)
        process.wait()
        left_open += open_at_stop(store)
    last = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if last.returncode not in (0, 1):  # 1: some items ended in (recorded) errors
        raise SystemExit(f"{name}: the last run failed: {last.stderr[-2000:]}")
    return {"left_open_by_kills": left_open, "last_run": last.stdout.strip().splitlines()[-1]}


def check(records: list[dict], stores: list[Path]) -> dict:
    kept, failed = set(), 0
    for store in stores:
        k, f, _ = store_contents(store)
        kept |= k
        failed += f
    billed = [r for r in records if r["path"] in MODEL_PATHS and r["status"] == 200]
    stored = garbage = unstored = 0
    by_path: dict[str, dict[str, int]] = {}
    for record in billed:
        fingerprint = answer_fingerprint(record["path"], record["response_body"])
        outcome = "garbage" if fingerprint is None else "stored" if fingerprint in kept else "unstored"
        counts = by_path.setdefault(record["path"], {"stored": 0, "garbage": 0, "unstored": 0})
        counts[outcome] += 1
        garbage, stored, unstored = (garbage + (outcome == "garbage"), stored + (outcome == "stored"),
                                     unstored + (outcome == "unstored"))
    return {"billed": len(billed), "stored": stored, "garbage": garbage, "unstored": unstored,
            "recorded_maybe_paid": failed, "by_path": by_path}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--kills", type=int, default=4, help="SIGKILLs per command")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    env.pop("OPENAI_API_KEY", None)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n = args.items
        specs = ([generation(i) for i in range(n // 2)] + [single_edit(i) for i in range(n - n // 2 - 2)]
                 + [multi_turn(), reference()])
        plan = write_plan(tmp / "plan.jsonl", specs)
        data, rewritten = tmp / "data", tmp / "rewritten.jsonl"
        server = serve_in_background(record=True, seed=args.seed, max_px=32, **FAULTS)
        try:
            ogi = [sys.executable, "-m", "ogi_toolkit.cli"]
            common = ["--base-url", server.url, "--config", "local", *CLIENT]
            commands = {
                "generate": (ogi + ["generate", str(plan), "--out", str(data), "--backend", "openai", *common], data),
                "judge": (ogi + ["judge", str(data), *common], data / "judge"),
                "rewrite": (ogi + ["rewrite", str(plan), "--out", str(rewritten), *common],
                            rewritten.with_name(rewritten.name + ".calls")),
            }
            report = {name: storm(name, command, store, args.kills, rng, env)
                      for name, (command, store) in commands.items()}
            for option in FAULTS:  # healed: a last run of each must send nothing
                if option.endswith("_rate"):
                    setattr(server.options, option, 0.0)
            for name, (command, _) in commands.items():
                again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
                report[name]["healed_rerun"] = again.stdout.strip().splitlines()[0]
                report[name]["healed_rerun_sent_nothing"] = " 0 requests sent" in again.stdout
            records = list(server.routes.records)
            stats = server.stats()
        finally:
            server.close()
        outcome = check(records, [store for _, store in commands.values()])
    left_open = sum(r["left_open_by_kills"] for r in report.values())
    outcome.update(duplicates=stats["billed"] - stats["distinct"], left_open_by_kills=left_open,
                   records_truncated=len(records) >= 2000, seconds=round(time.perf_counter() - started, 1))
    print(json.dumps({"commands": report, "answers": outcome}, indent=2))
    problems = []
    # An answer not stored (garbage, a reply that is no judgment, one a kill cut off) must be a
    # call recorded as maybe paid or a request a kill left open.
    not_kept = outcome["garbage"] + outcome["unstored"]
    if not_kept > outcome["recorded_maybe_paid"] + left_open:
        problems.append(f"{not_kept} billed answers not stored, only {outcome['recorded_maybe_paid']} recorded as "
                        f"maybe paid and {left_open} left open by kills")
    if outcome["duplicates"] > left_open:
        problems.append(f"{outcome['duplicates']} requests paid twice, {left_open} explained by kills")
    if not all(r["healed_rerun_sent_nothing"] for r in report.values()):
        problems.append("a rerun against the healed server sent requests")
    print("OK: every paid answer stored or recorded as maybe paid" if not problems else "FAILED: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
