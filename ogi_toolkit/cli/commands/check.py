"""``ogi check``: the offline checks of every finished item (OCR, edit preservation, technical, layout)."""
from __future__ import annotations

import argparse

from ..arguments import positive_int

NAME = "check"
HELP = "check every finished item of a dataset folder offline (OCR, edit preservation, technical, spec vs layout); writes DIR/checks.jsonl"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", nargs="?", help="dataset folder (manifest.jsonl + images/) written by `ogi generate`")
    p.add_argument("--list", action="store_true", help="list the registered checks (group, what each reads) and exit")
    p.add_argument("--config", help="checks thresholds YAML: sections named by check group, each key replacing "
                                    "the default beside its check (ogi_toolkit/quality/checks/suite/*.yaml)")
    p.add_argument("--workers", type=positive_int, default=2, help="processes (default 2; 1 = no extra process)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="where items are checked: this machine's processes, or Ray Data batches (extra .[ray])")
    p.add_argument("--address", help="with --engine ray: the cluster ('auto', ray://HOST:10001); default a local Ray")
    p.add_argument("--redo", action="store_true", help="check every item again, even those already checked")
    vision = p.add_argument_group("vision models (the vision extra: pip install 'ogi-toolkit[vision]')")
    vision.add_argument("--vision", action="store_true",
                        help="also run the vision checks of every model that loads (defaults in "
                             "ogi_toolkit/vision/vision.yaml; a default not downloaded is skipped, and said so)")
    for flag, role in (("--clip-model", "CLIP / SigLIP"), ("--dino-model", "DINOv2"), ("--detector", "OWLv2 / OWL-ViT")):
        vision.add_argument(flag, metavar="NAME_OR_PATH", help=f"{role} hub name or folder (an error if it cannot load)")
    vision.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (fp16 on a GPU)")
    vision.add_argument("--vision-config", metavar="YAML", help="the vision models' defaults and batch sizes")


def run(args: argparse.Namespace) -> int:
    from ...dataset.paths import require_dataset
    from ...quality import check
    from ...quality.checks.summary import format_rates
    from .. import UserError

    if args.list:
        from ...quality.checks.registry import checks

        for c in checks():
            print(f"{c.group:14s} {'' if c.counts else '(report, never decides) '}reads {c.reads}")
        return 0
    if args.dataset is None:
        raise UserError("a dataset folder is required (or --list)")
    require_dataset(args.dataset, "ogi check")  # a file or device given as the folder: one line, no traceback
    models = _vision_models(args)
    result = check(args.dataset, config=args.config, workers=args.workers, redo=args.redo, progress=True,
                   engine=args.engine, address=args.address, vision=models)
    print(f"checked {result.checked} items ({result.items - result.checked} up to date) in {result.seconds:.1f} s: "
          f"{result.passed} of {result.items} passed")
    print(format_rates(result.lines))
    print(f"written: {result.path / 'checks.jsonl'}")
    return 0


def _vision_models(args: argparse.Namespace):
    """The models of --vision (each named one loaded or an error; defaults loaded or skipped),
    with a line per role saying which ran; None without --vision."""
    from .. import UserError

    named = {"clip": args.clip_model, "dino": args.dino_model, "detector": args.detector}
    if not args.vision:
        if any(named.values()) or args.device != "auto" or args.vision_config:
            raise UserError("--clip-model, --dino-model, --detector, --device and --vision-config need --vision")
        return None
    from ...vision.loading import MissingVisionExtra
    from ...vision.model_set import load_models

    try:
        models = load_models(**named, device=args.device, config=args.vision_config)
    except MissingVisionExtra as exc:  # the extra is not installed: one line saying what to install
        raise UserError(str(exc)) from None
    for line in models.describe():
        print(f"vision {line}")
    if models.clip is None and models.dino is None and models.detector is None:
        raise UserError("--vision: no vision model could be loaded (see above); name one with --clip-model, "
                        "--dino-model or --detector")
    return models
