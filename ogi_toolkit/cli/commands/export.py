"""``ogi export``: a dataset folder as a Hugging Face dataset, in the released OpenGPT layout, or
in the layouts trainers read (InstructPix2Pix, control-image folders, image + caption)."""
from __future__ import annotations

import argparse

NAME = "export"
HELP = ("export a dataset folder: Hugging Face datasets (hf), the OpenGPT-4o-Image layout (opengpt), "
        "diffusers InstructPix2Pix (pix2pix), control-image folders for LoRA trainers (control-folder), "
        "image + caption folders (image-caption)")
FORMATS = ["hf", "opengpt", "pix2pix", "control-folder", "image-caption"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", help="dataset folder (manifest.jsonl + images/) written by `ogi generate`, `ogi subset`...")
    p.add_argument("--format", required=True, choices=FORMATS,
                   help="hf: Hugging Face datasets with Image features; opengpt: gen.json / editing.json + images; "
                        "pix2pix: input_image / edit_prompt / edited_image; control-folder: images/ + .txt + control/; "
                        "image-caption: generation images + .txt + metadata.jsonl")
    p.add_argument("--out", required=True, help="output folder (must be new or empty unless --overwrite)")
    p.add_argument("--hf-layout", default="parquet", choices=["parquet", "disk"],
                   help="with --format hf or pix2pix: Parquet shards + card (datasets.load_dataset) or save_to_disk "
                        "(datasets.load_from_disk); default parquet")
    p.add_argument("--multi-turn", default="flatten", choices=["flatten", "chain"],
                   help="with --format pix2pix or control-folder: one pair per turn (default), or one per chain")
    p.add_argument("--link", action="store_true",
                   help="with --format opengpt, control-folder or image-caption: hard-link images instead of copying")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")


def run(args: argparse.Namespace) -> int:
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
        report = _export(args)
    except FileExistsError as exc:
        raise UserError(str(exc)) from None
    print(report.summary())
    print(f"written: {args.out}")
    return 0


def _export(args: argparse.Namespace):
    if args.format == "hf":
        from ...dataset.export_hf import export_hf

        return export_hf(args.dataset, args.out, layout=args.hf_layout, overwrite=args.overwrite)
    if args.format == "opengpt":
        from ...dataset.opengpt import export_opengpt

        return export_opengpt(args.dataset, args.out, link=args.link, overwrite=args.overwrite)
    if args.format == "pix2pix":
        from ...dataset.export_pix2pix import export_pix2pix

        return export_pix2pix(args.dataset, args.out, multi_turn=args.multi_turn, layout=args.hf_layout,
                              overwrite=args.overwrite)
    from ...dataset.export_folders import export_control_folder, export_image_caption

    if args.format == "control-folder":
        return export_control_folder(args.dataset, args.out, multi_turn=args.multi_turn, link=args.link,
                                     overwrite=args.overwrite)
    return export_image_caption(args.dataset, args.out, link=args.link, overwrite=args.overwrite)
