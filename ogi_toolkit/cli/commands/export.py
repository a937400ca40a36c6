"""``ogi export``: a dataset folder in one of the registered export formats
(:mod:`ogi_toolkit.dataset.exports`: Hugging Face datasets, the released OpenGPT layout, the
layouts trainers read...). The formats and their help come from the registry."""
from __future__ import annotations

import argparse

NAME = "export"
HELP = "export a dataset folder in a registered format (hf, opengpt, pix2pix, control-folder, image-caption, ...)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ...dataset.exports import export_formats

    formats = export_formats()

    def taking(option: str) -> str:
        return ", ".join(f.name for f in formats.values() if option in f.options)

    p.add_argument("dataset", help="dataset folder (manifest.jsonl + images/) written by `ogi generate`, `ogi subset`...")
    p.add_argument("--format", required=True, choices=list(formats),
                   help="; ".join(f"{f.name}: {f.help}" for f in formats.values()))
    p.add_argument("--out", required=True, help="output folder (must be new or empty unless --overwrite)")
    p.add_argument("--hf-layout", default="parquet", choices=["parquet", "disk"],
                   help=f"with --format {taking('layout')}: Parquet shards + card (datasets.load_dataset) or save_to_disk "
                        "(datasets.load_from_disk); default parquet")
    p.add_argument("--multi-turn", default="flatten", choices=["flatten", "chain"],
                   help=f"with --format {taking('multi_turn')}: one pair per turn, each turn's instruction made "
                        "self-contained (default), or one per chain (source -> final image, whole instruction)")
    p.add_argument("--link", action="store_true",
                   help=f"with --format {taking('link')}: hard-link images instead of copying")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")


def run(args: argparse.Namespace) -> int:
    from ...dataset.exports import export_dataset
    from ...dataset.paths import require_dataset
    from ...folder.output import prepare_output
    from .. import UserError

    # checked before anything is read or built: a wrong path or a full folder costs nothing
    require_dataset(args.dataset, "ogi export")
    try:
        prepare_output(args.out, inputs=[args.dataset], command="ogi export", overwrite=args.overwrite)
    except FileExistsError as exc:
        raise UserError(str(exc)) from None

    try:
        report = export_dataset(args.dataset, args.out, args.format, overwrite=args.overwrite, link=args.link,
                                multi_turn=args.multi_turn, layout=args.hf_layout)
    except FileExistsError as exc:
        raise UserError(str(exc)) from None
    print(report.summary())
    print(f"written: {args.out}")
    return 0

