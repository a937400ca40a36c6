"""``ogi serve``: a local OpenAI-compatible server (loopback only) with injectable faults."""
from __future__ import annotations

import argparse
import sys

NAME = "serve"
HELP = "run a local OpenAI-compatible server (loopback only) with injectable latency and faults"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any free port; default 8765)")
    p.add_argument("--latency-ms", type=float, default=0.0, help="added to every model call")
    p.add_argument("--fail-rate", type=float, default=0.0, help="share of model calls answered 429 or 500 (half each)")
    p.add_argument("--timeout-rate", type=float, default=0.0, help="share of model calls that hang for --hang-s")
    p.add_argument("--hang-s", type=float, default=30.0, help="how long a 'timeout' call hangs (default 30)")
    p.add_argument("--malformed-rate", type=float, default=0.0, help="share answered with a broken body")
    p.add_argument("--refusal-rate", type=float, default=0.0, help="share refused as a content-policy violation")
    p.add_argument("--retry-after-ms", type=int, default=200, help="retry-after sent with a 429 (default 200)")
    p.add_argument("--max-px", type=int, help="render images at most this many pixels a side (faster)")
    p.add_argument("--renderer", default="auto", choices=["auto", "card"],
                   help="auto: the offline sketch renderer's card when installed; card: a cheaper plain card")
    p.add_argument("--drop-quotes-rate", type=float, default=0.0,
                   help="share of chat rewrites answered with their quoted text dropped (a planted bad rewrite)")
    p.add_argument("--drop-quotes-word", default="#dropquotes",
                   help="an instruction holding this word has its quoted text dropped the first time it is rewritten")
    p.add_argument("--seed", type=int, default=0, help="seed of the fault dice")
    p.add_argument("--max-request-mb", type=float, default=256.0,
                   help="larger request bodies get 413 (default 256; batch input files may be 200 MB)")
    p.add_argument("--max-stored-mb", type=float, default=2048.0,
                   help="uploaded and batch output files kept on disk, in total (default 2048)")
    p.add_argument("--max-inflight-mb", type=float, default=512.0,
                   help="request bodies held at once, all requests together; past it a request gets 429 "
                        "and is sent again (default 512)")


def run(args: argparse.Namespace) -> int:
    from ...server import ServerOptions, run_server

    options = ServerOptions(latency_ms=args.latency_ms, fail_rate=args.fail_rate, timeout_rate=args.timeout_rate,
                            hang_s=args.hang_s, malformed_rate=args.malformed_rate, refusal_rate=args.refusal_rate,
                            retry_after_ms=args.retry_after_ms, max_px=args.max_px, renderer=args.renderer, seed=args.seed,
                            max_request_mb=args.max_request_mb, max_stored_mb=args.max_stored_mb,
                            max_inflight_mb=args.max_inflight_mb,
                            drop_quotes_rate=args.drop_quotes_rate, drop_quotes_word=args.drop_quotes_word)
    try:
        run_server(options, port=args.port)
    except KeyboardInterrupt:  # Ctrl-C is how a server is stopped: not an error
        print("ogi serve: stopped", file=sys.stderr)
    return 0
