"""``ogi import-opengpt``: the released OpenGPT-4o-Image files as a dataset folder of ours."""
from __future__ import annotations

import argparse

NAME = "import-opengpt"
HELP = "import the released OpenGPT-4o-Image layout (gen.json, editing.json, gen/, editing/) as a dataset folder"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="folder holding gen.json and/or editing.json and the image folders")
    p.add_argument("--out", required=True, help="dataset folder to write (manifest.jsonl + images/)")
    p.add_argument("--link", action="store_true", help="hard-link images instead of copying (same disk; saves space)")
    p.add_argument("--limit", type=int, help="import at most this many records of each file (a quick look)")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    p.add_argument("--max-image-mb", type=float, default=64,
                   help="refuse image files larger than this on disk, in MiB (default 64)")
    p.add_argument("--max-pixels", type=int, default=8192 * 8192,
                   help="refuse images with more pixels than this, a decompression bomb (default 8192x8192)")
    p.add_argument("--show", type=int, default=20, help="problems to print (all are in OUT/import_report.json)")


def run(args: argparse.Namespace) -> int:
    from ...dataset.import_opengpt import import_opengpt
    from ...dataset.opengpt import REPORT_FILE
    from .. import UserError

    try:
        report = import_opengpt(args.path, args.out, link=args.link, limit=args.limit, overwrite=args.overwrite,
                                max_bytes=int(args.max_image_mb * 2**20), max_pixels=args.max_pixels)
    except FileExistsError as exc:
        raise UserError(str(exc)) from None
    print(report.summary(limit=args.show))
    imported = sum(n for name, n in report.counts.items() if name.endswith("items imported"))
    print(f"{imported} item(s) imported into {args.out} (full report: {args.out}/{REPORT_FILE})")
    return 0 if imported else 1
