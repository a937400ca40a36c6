"""``ogi generate``: run a plan into a dataset folder (resumable: run the same command again)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..arguments import add_request_limits

NAME = "generate"
HELP = "generate the images of a plan (plan.jsonl) into a dataset folder; rerun to resume"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("plan", help="plan.jsonl: one InstructionSpec per line")
    p.add_argument("--out", required=True, help="dataset folder (manifest.jsonl + images/); reuse it to resume")
    p.add_argument("--backend", default="sketch", choices=["sketch", "openai"],
                   help="sketch: offline, free, no key (default); openai: the OpenAI API or a compatible server")
    p.add_argument("--image-model", help="image model (default: from the models config)")
    p.add_argument("--chat-model", help="chat model used by --rewrite (default: from the models config)")
    p.add_argument("--quality", help="image quality: low, medium, high, auto (default: from the models config)")
    p.add_argument("--size", help="image size, e.g. 1024x1024 (default: from the models config)")
    add_request_limits(p, timeout=600)
    p.add_argument("--retry-timeouts", type=int, default=0, metavar="N",
                   help="send timed-out image requests again, N times in the whole run at most (default 0: "
                        "the server may have done and billed the work)")
    p.add_argument("--retry-failed", action="store_true",
                   help="send again the calls whose failure an earlier run recorded as maybe paid "
                        "(timeouts, malformed answers)")
    p.add_argument("--rewrite", action="store_true", help="rewrite instructions with the chat model first, keeping every constraint")
    p.add_argument("--dry-run", action="store_true", help="print requests and estimated cost per subtask; send nothing")
    p.add_argument("--base-url", help="an OpenAI-compatible server, e.g. http://127.0.0.1:8765/v1 (no key needed)")
    p.add_argument("--config", help="your own models/prices YAML, or `local` for a free local server such as `ogi serve` "
                                       "(every price 0); default: the packaged models.yaml (OpenAI's prices)")
    p.add_argument("--batch", action="store_true", help="use the Batch API (half price; runs in rounds: sources, then edits)")
    p.add_argument("--poll", type=float, default=30.0, help="with --batch: seconds between status checks (default 30)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _backend_options(args: argparse.Namespace) -> dict:
    if args.backend != "openai":
        return {}
    options = {"image_model": args.image_model, "chat_model": args.chat_model, "quality": args.quality,
               "base_url": args.base_url, "timeout": args.timeout, "close_timeout": args.close_timeout}
    return {k: v for k, v in options.items() if v is not None}  # the models config goes to the run, once


def run(args: argparse.Namespace) -> int:
    from ...backends.errors import BackendError
    from ...generate import RunAborted, dry_run, run_batch, run_plan
    from ...folder.output import check_output
    from ...generate.dry_run import pricing_note
    from ..import UserError

    # a plan that is a folder is refused by the run, with its own message
    check_output(args.out, inputs=[args.plan] if Path(args.plan).is_file() else [])
    if args.dry_run:
        table = dry_run(args.plan, backend=args.backend, image_model=args.image_model, quality=args.quality,
                        chat_model=args.chat_model, size=args.size, rewrite=args.rewrite, batch=args.batch,
                        config=args.config, out=args.out)
        print(table.to_string(index=False))
        print(f"total: {int(table['items'].sum())} items ({int(table['already_done'].sum())} already done), "
              f"{int(table['requests'].sum())} requests, estimated ${table['est_cost_usd'].sum():.2f}")
        print(pricing_note(table))
        return 0
    common = dict(backend=args.backend, backend_options=_backend_options(args), rewrite=args.rewrite,
                  size=args.size, max_cost=args.max_cost, config=args.config, progress=not args.no_progress)
    try:
        if args.batch:
            summary = run_batch(args.plan, args.out, poll_s=args.poll, **common)
        else:
            summary = run_plan(args.plan, args.out, concurrency=args.concurrency, rpm=args.rpm,
                               max_attempts=args.max_attempts, retry_timeouts=args.retry_timeouts,
                               retry_failed=args.retry_failed, close_timeout=args.close_timeout, **common)
    except (RunAborted, BackendError) as exc:
        raise UserError(str(exc)) from None
    print(summary)
    print(json.dumps({"done": summary.done, "errors": summary.errors, "skipped_budget": summary.skipped_budget,
                      "spent_usd": summary.spent_usd}))
    return 0 if summary.errors == 0 and summary.skipped_budget == 0 else 1
