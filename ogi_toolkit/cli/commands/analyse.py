"""``ogi analyse PATH --out DIR``: distribution, diversity, repetition and bias report of a set
of prompts (plan, dataset folder, .txt/.tsv/.csv/.jsonl)."""
from __future__ import annotations

import argparse
import os

NAME = "analyse"
HELP = "analyse a plan, dataset or prompt file: diversity, duplicates, bias, UMAP"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="plan.jsonl, a dataset folder (manifest.jsonl), or a .txt/.tsv/.csv/.jsonl of prompts")
    parser.add_argument("--out", required=True, help="folder for figures/, tables/, report.md and summary.json")
    parser.add_argument("--text-column", help="column holding the prompt (.tsv/.csv/.jsonl)")
    parser.add_argument("--label-column", action="append", default=[], metavar="COLUMN",
                        help="column to group by and colour with (repeatable)")
    parser.add_argument("--model", help="sentence-transformers model name or path (default: packaged all-MiniLM-L6-v2)")
    parser.add_argument("--backend", choices=("torch", "onnx-int8"), default="torch",
                        help="onnx-int8: ~2x faster on CPU, cosine ~0.99 to torch (needs the 'fast' extra)")
    parser.add_argument("--no-umap", action="store_true", help="skip the UMAP projection and its figures")
    parser.add_argument("--sample", type=int, metavar="N", help="analyse a random sample of N prompts (seed 0)")
    parser.add_argument("--near-threshold", type=float, default=0.9, help="cosine similarity of a near-duplicate pair")
    parser.add_argument("--compare", metavar="PLAN_B",
                        help="compare PATH (a plan) with PLAN_B side by side (e.g. templated vs rewritten): "
                             "diversity, near-duplicates, constraint-keeping share; writes compare.* under --out")
    parser.add_argument("--cache-dir", help="cache folder (default ~/.cache/ogi-toolkit or $OGI_CACHE_DIR)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (stages on stderr)")
    parser.add_argument("--against", metavar="SETS",
                        help="also check benchmark leakage and coverage against these sets (see `ogi benchmarks`), "
                             "e.g. geneval,dpg,parti")
    images = parser.add_argument_group("image embeddings (the vision extra)")
    images.add_argument("--images", action="store_true",
                        help="also embed the images (CLIP): image diversity beside the prompts', image near-duplicates, "
                             "an image projection, text-image alignment per subtask")
    images.add_argument("--clip-model", metavar="NAME_OR_PATH",
                        help="CLIP / SigLIP hub name or folder for --images (default: ogi_toolkit/vision/vision.yaml's)")
    images.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N for --images (fp16 on a GPU)")
    scale = parser.add_argument_group("scale")
    scale.add_argument("--knn", choices=("exact", "approximate", "auto"), default="auto",
                       help="neighbour search of near-duplicates and UMAP; auto: approximate (NN-descent, recall "
                            "measured) past --knn-threshold distinct prompts on CPU, exact on a GPU")
    scale.add_argument("--knn-threshold", type=int, default=100_000, metavar="N",
                       help="distinct prompts above which --knn auto searches approximately (default 100000)")
    scale.add_argument("--umap-sample", type=int, default=50_000, metavar="N",
                       help="past N distinct prompts UMAP is fitted on a stratified sample of N (default 50000)")
    scale.add_argument("--umap-placement", choices=("transform", "sample"), default="transform",
                       help="the prompts outside the UMAP sample: placed with UMAP.transform, or not plotted")
    scale.add_argument("--engine", choices=("local", "ray"), default="local",
                       help="where embedding and image statistics/hashes run: this process, or Ray Data (extra .[ray])")
    scale.add_argument("--address", help="Ray cluster to join with --engine ray ('auto', 'ray://host:10001'); "
                                         "default: a local Ray on this machine's CPUs")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from ogi_toolkit.analysis import analyse
    from ogi_toolkit.analysis.image_embeddings import IMAGE_HEADLINE_KEYS
    from ogi_toolkit.analysis.report import HEADLINE_KEYS
    from ogi_toolkit.folder.output import check_output

    inputs = [args.path, *([args.compare] if args.compare else [])]
    check_output(args.out, inputs=inputs)
    if args.compare:
        return _compare(args)
    if args.sample is not None and args.sample < 1:
        raise ValueError(f"--sample must be a positive number of prompts, got {args.sample}")
    for flag in ("knn_threshold", "umap_sample"):
        if getattr(args, flag) < 1:
            raise ValueError(f"--{flag.replace('_', '-')} must be a positive number of prompts, got {getattr(args, flag)}")
    if (args.clip_model or args.device != "auto") and not args.images:
        raise ValueError("--clip-model and --device choose the image model: use them with --images")
    if args.address and args.engine != "ray":
        raise ValueError("--address names a Ray cluster: use it with --engine ray")
    from ogi_toolkit.vision.loading import MissingVisionExtra

    from .. import UserError

    try:
        summary = analyse(args.path, args.out, text_column=args.text_column, label_columns=args.label_column,
                          model=args.model, backend=args.backend, umap=not args.no_umap, sample=args.sample,
                          near_threshold=args.near_threshold, cache_dir=args.cache_dir, knn=args.knn,
                          knn_threshold=args.knn_threshold, umap_sample=args.umap_sample,
                          umap_placement=args.umap_placement, engine=args.engine, address=args.address,
                          progress=not args.no_progress, image_embeddings=args.images, clip_model=args.clip_model,
                          device=args.device, against=args.against)
    except MissingVisionExtra as exc:  # the vision extra is not installed: one line saying what to install
        raise UserError(str(exc)) from None
    for key in (*HEADLINE_KEYS, *(IMAGE_HEADLINE_KEYS if args.images else ())):
        value = summary.get(key)
        print(f"{key:32s} {value:.4f}" if isinstance(value, float) else f"{key:32s} {value}")
    print(f"report: {os.path.join(args.out, 'report.md')}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from ogi_toolkit.analysis.compare import compare_plans

    summary = compare_plans(args.path, args.compare, args.out, model=args.model, backend=args.backend,
                            near_threshold=args.near_threshold, cache_dir=args.cache_dir)
    names = list(summary["metrics"])
    for key in ("vendi", "mean_pairwise_cosine_distance", "distinct_2", "near_duplicate_pairs",
                "constraint_keeping_share"):
        values = "  ".join(f"{name}={summary['metrics'][name][key]:.4g}" for name in names)
        print(f"{key:32s} {values}")
    print(f"report: {os.path.join(args.out, 'compare.md')}")
    return 0
