"""``ogi judge``: score every item of a dataset folder with a VLM judge (rubric + spec checklist)."""
from __future__ import annotations

import argparse
import json

from ..arguments import add_request_limits

NAME = "judge"
HELP = "judge each item of a dataset folder with a vision model into DIR/judgments.jsonl; rerun to resume"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", help="dataset folder written by `ogi generate` (manifest.jsonl + images/)")
    p.add_argument("--backend", default="openai", choices=["openai"],
                   help="openai: the OpenAI API or a compatible server (the only backend that can judge)")
    p.add_argument("--judge-model", help="vision chat model (default: the models config's chat model)")
    p.add_argument("--rubric", help="rubric YAML: criteria, weights, scale, pass threshold (default: Pico-Banana's)")
    p.add_argument("--long-side", type=int, default=768, help="images are sent at most this many pixels a side (default 768)")
    add_request_limits(p, timeout=300)
    p.add_argument("--retry-failed", action="store_true",
                   help="ask again for the judgments whose reply an earlier run paid for but could not read "
                        "(garbage, refusals, timeouts)")
    p.add_argument("--base-url", help="an OpenAI-compatible server, e.g. http://127.0.0.1:8765/v1 (no key needed)")
    p.add_argument("--config", help="your own models/prices YAML, or `local` for a free local server such as "
                                       "`ogi serve` (every price 0); default: the packaged models.yaml (OpenAI's prices)")
    p.add_argument("--batch", action="store_true", help="use the Batch API (half price, results within 24 h)")
    p.add_argument("--poll", type=float, default=30.0, help="with --batch: seconds between status checks (default 30)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from ...backends.errors import BackendError
    from ...calls import RunAborted
    from ...quality.judge import judge
    from .. import UserError

    options = {"base_url": args.base_url, "timeout": args.timeout, "close_timeout": args.close_timeout}
    try:
        summary = judge(args.dir, backend=args.backend, judge_model=args.judge_model, rubric=args.rubric,
                        backend_options={k: v for k, v in options.items() if v is not None},
                        concurrency=args.concurrency, rpm=args.rpm, max_cost=args.max_cost,
                        max_attempts=args.max_attempts, retry_failed=args.retry_failed,
                        close_timeout=args.close_timeout, long_side=args.long_side, batch=args.batch,
                        poll_s=args.poll, config=args.config, progress=not args.no_progress)
    except (RunAborted, BackendError) as exc:
        raise UserError(str(exc)) from None
    print(summary)
    print(json.dumps({"judged": summary.judged, "passed": summary.passed, "errors": summary.errors,
                      "skipped_budget": summary.skipped_budget, "spent_usd": summary.spent_usd}))
    return 0 if summary.errors == 0 and summary.skipped_budget == 0 else 1
