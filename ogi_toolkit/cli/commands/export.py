"""``ogi export``: a dataset folder as a Hugging Face dataset or in the released OpenGPT layout."""
from __future__ import annotations

import argparse

NAME = "export"
HELP = "export a dataset folder: Hugging Face datasets (--format hf) or the OpenGPT-4o-Image layout (--format opengpt)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", help="dataset folder (manifest.jsonl + images/) written by `ogi generate`")
    p.add_argument("--format", required=True, choices=["hf", "opengpt"],
                   help="hf: Hugging Face datasets with Image features; opengpt: gen.json / editing.json + images")
    p.add_argument("--out", required=True, help="output folder (must be new or empty unless --overwrite)")
    p.add_argument("--hf-layout", default="parquet", choices=["parquet", "disk"],
                   help="with --format hf: Parquet shards + card (datasets.load_dataset) or save_to_disk "
                        "(datasets.load_from_disk); default parquet")
    p.add_argument("--link", action="store_true", help="with --format opengpt: hard-link images instead of copying")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ...dataset.paths import require_dataset
    from .. import UserError

    # checked before anything is read or built: a wrong path or a full folder costs nothing
    require_dataset(args.dataset, "ogi export")
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not args.overwrite:
        raise UserError(f"{out}: already exists and is not empty; pass --overwrite to replace it, or choose another --out")
    from ...dataset.export_hf import export_hf
    from ...dataset.opengpt import export_opengpt

    try:
        if args.format == "hf":
            report = export_hf(args.dataset, args.out, layout=args.hf_layout, overwrite=args.overwrite)
        else:
            report = export_opengpt(args.dataset, args.out, link=args.link, overwrite=args.overwrite)
    except FileExistsError as exc:
        raise UserError(str(exc)) from None
    print(report.summary())
    print(f"written: {args.out}")
    return 0
