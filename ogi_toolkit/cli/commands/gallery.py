"""``ogi gallery``: write the dataset browser, one self-contained HTML page, for a dataset folder."""
from __future__ import annotations

import argparse
from pathlib import Path

NAME = "gallery"
HELP = ("write a browsable HTML page of a dataset: filters, search, each item large with its spec, "
        "inputs -> output and check/judge results")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, help="a dataset folder written by `ogi generate` (holds manifest.jsonl)")
    parser.add_argument("--out", type=Path, help="the page to write (default: DATASET/gallery.html); "
                                                 "images are linked relative to it")
    parser.add_argument("--title", help="the page's title (default: 'Gallery of DATASET')")
    parser.add_argument("--leaks", type=Path, help="a leak table (`ogi leakage DATASET --table FILE`): adds a 'leaks' filter")
    parser.add_argument("--analysis", type=Path, help="the report folder of `ogi analyse DATASET --out FOLDER`: adds a "
                                                      "filter by named cluster and links each near-duplicate to its twins")


def run(args: argparse.Namespace) -> int:
    from ogi_toolkit.dataset.gallery import write_gallery
    from ogi_toolkit.folder.output import check_output_file

    if args.out is not None:
        check_output_file(args.out, inputs=[args.dataset])
    out = write_gallery(args.dataset, args.out, title=args.title, leaks=args.leaks, analysis=args.analysis)
    print(f"{out} ({out.stat().st_size / 1e6:.2f} MB); open it in a browser")
    return 0
