"""``ogi demo``: the main job, offline by default: plan -> images -> dataset -> analysis -> exports."""
from __future__ import annotations

import argparse
import os
import sys

NAME = "demo"
HELP = ("plan a few items of every one of the 51 subtasks, generate them (offline sketch renderer by default), "
        "analyse, chart and export them, and say where everything is; rerun to resume")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="folder for everything the demo makes (reuse it to resume)")
    p.add_argument("--per-subtask", type=int, default=2, help="items per subtask (default 2: 102 items)")
    p.add_argument("--seed", type=int, default=0, help="planning seed (default 0)")
    p.add_argument("--backend", default="sketch", choices=["sketch", "openai"],
                   help="sketch: offline schematic renderer, free (default); openai: needs OPENAI_API_KEY or --base-url")
    p.add_argument("--size", help="image size (default 512x512 for sketch, the models config's for openai)")
    p.add_argument("--image-model", help="with --backend openai: image model (default: from the models config)")
    p.add_argument("--quality", help="with --backend openai: low, medium, high, auto (default: from the models config)")
    p.add_argument("--base-url", help="with --backend openai: an OpenAI-compatible server, e.g. http://127.0.0.1:8765/v1")
    p.add_argument("--max-cost", type=float, help="US dollars: no request is sent that would pass it")
    p.add_argument("--no-analysis", action="store_true", help="skip the analysis (diversity, duplicates, UMAP)")
    p.add_argument("--no-umap", action="store_true", help="skip only the UMAP projection of the analysis")
    p.add_argument("--cache-dir", help="analysis cache (default ~/.cache/ogi-toolkit or $OGI_CACHE_DIR)")
    p.add_argument("--redo", action="store_true", help="redo analysis, figures and exports even if the dataset is unchanged")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    # the default embedding model ships as a package: never wait on the hub
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from ...backends.errors import BackendError
    from ...demo import format_summary, run_demo
    from ...folder.output import check_output
    from ...generate import RunAborted
    from .. import UserError

    check_output(args.out)
    try:
        result = run_demo(args.out, per_subtask=args.per_subtask, backend=args.backend, size=args.size,
                          seed=args.seed, analyse=not args.no_analysis, umap=not args.no_umap,
                          image_model=args.image_model, quality=args.quality, base_url=args.base_url,
                          max_cost=args.max_cost, cache_dir=args.cache_dir, redo=args.redo,
                          progress=not args.no_progress, log=lambda line: print(f"ogi demo: {line}", file=sys.stderr))
    except (RunAborted, BackendError) as exc:
        raise UserError(str(exc)) from None
    print(format_summary(result))
    unfinished = sum(n for counts in result["by_kind"].values() for status, n in counts.items() if status != "done")
    return 0 if unfinished == 0 else 1
