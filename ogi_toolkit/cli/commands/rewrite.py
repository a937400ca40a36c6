"""``ogi rewrite``: rewrite a plan's instructions with a chat model before any image is paid for."""
from __future__ import annotations

import argparse
import json

from ..arguments import add_request_limits

NAME = "rewrite"
HELP = "rewrite a plan's instructions with a chat model (every constraint checked) into a new plan; rerun to resume"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("plan", help="plan.jsonl: one InstructionSpec per line")
    p.add_argument("--out", required=True, help="the rewritten plan (written whole at the end of a run)")
    p.add_argument("--store", help="folder of stored results (default: OUT.calls beside the output plan); "
                                   "an ogi generate run folder shares its --rewrite results")
    p.add_argument("--backend", default="openai", choices=["openai"],
                   help="openai: the OpenAI API or a compatible server (default)")
    p.add_argument("--chat-model", help="chat model (default: from the models config)")
    p.add_argument("--base-url", help="an OpenAI-compatible server, e.g. http://127.0.0.1:8765/v1 (no key needed)")
    add_request_limits(p, timeout=120)
    p.add_argument("--retry-timeouts", type=int, default=0, metavar="N",
                   help="send timed-out rewrites again, N times in the whole run at most (default 0: the server "
                        "may have done and billed the work; a late answer is kept)")
    p.add_argument("--retry-failed", action="store_true",
                   help="send again the calls whose failure an earlier run recorded as maybe paid")
    p.add_argument("--batch", action="store_true", help="use the Batch API (half price; first tries, then second tries)")
    p.add_argument("--poll", type=float, default=30.0, help="with --batch: seconds between status checks (default 30)")
    p.add_argument("--dry-run", action="store_true", help="print requests and estimated cost per subtask; send nothing")
    p.add_argument("--config", help="your own models/prices YAML, or `local` for a free local server such as "
                                       "`ogi serve` (every price 0); default: the packaged models.yaml (OpenAI's prices)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _backend_options(args: argparse.Namespace) -> dict:
    options = {"chat_model": args.chat_model, "base_url": args.base_url, "timeout": args.timeout,
               "close_timeout": args.close_timeout}  # the models config goes to the run, once
    return {k: v for k, v in options.items() if v is not None}


def run(args: argparse.Namespace) -> int:
    from ...backends.errors import BackendError
    from ...calls import RunAborted
    from ...folder.output import check_output_file
    from ...generate.dry_run import rewrite_dry_run
    from ...generate.rewrite_run import rewrite_plan
    from .. import UserError

    check_output_file(args.out, inputs=[args.plan])  # before anything is sent
    if args.dry_run:
        table = rewrite_dry_run(args.plan, backend=args.backend, backend_options=_backend_options(args),
                                store=args.store, out=args.out, batch=args.batch, config=args.config)
        print(f"chat model: {table.attrs['chat_model']}" + (" (Batch API prices)" if args.batch else ""))
        print(table.to_string(index=False))
        print(f"total: {int(table['items'].sum())} items, {int(table['requests'].sum())} requests "
              f"({int(table['stored'].sum())} stored already), estimated ${table['est_cost_usd'].sum():.4f} "
              "(first tries; a second try is sent only for a rewrite that loses a constraint)")
        return 0
    try:
        summary = rewrite_plan(args.plan, args.out, backend=args.backend, backend_options=_backend_options(args),
                               store=args.store, concurrency=args.concurrency, rpm=args.rpm, max_cost=args.max_cost,
                               max_attempts=args.max_attempts, retry_timeouts=args.retry_timeouts,
                               retry_failed=args.retry_failed, close_timeout=args.close_timeout, batch=args.batch,
                               poll_s=args.poll, config=args.config, progress=not args.no_progress)
    except (RunAborted, BackendError) as exc:
        raise UserError(str(exc)) from None
    print(summary)
    print(json.dumps({"rewritten": summary.rewritten, "retried": summary.retried, "kept": summary.kept,
                      "refused": summary.refused, "errors": summary.errors, "skipped_budget": summary.skipped_budget,
                      "spent_usd": summary.spent_usd}))
    return 0 if summary.errors == 0 and summary.skipped_budget == 0 else 1
