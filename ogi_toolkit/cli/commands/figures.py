"""``ogi figures``: regenerate the paper's figures from its tables, and chart your own data."""
from __future__ import annotations

import argparse
from pathlib import Path

NAME = "figures"
HELP = "write the paper's figures (and, with --data, the same charts for a plan or dataset)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # no default: one pointing into the installed checkout would overwrite its committed figures
    parser.add_argument("--out", type=Path, required=True, help="output folder, e.g. figures/ (created if missing)")
    parser.add_argument("--data", type=Path, action="append", default=[], metavar="PATH",
                        help="a plan.jsonl or a dataset folder to chart against the paper (repeatable)")
    parser.add_argument("--scaling", type=Path, action="append", default=[], metavar="CSV",
                        help="your data-scaling results (columns size, benchmark, score[, dimension]): "
                             "the paper's Table 6 chart for them, OUT/data_scaling_<name>.png (repeatable)")
    parser.add_argument("--no-paper", action="store_true", help="skip the paper's figures")
    parser.add_argument("--no-html", action="store_true", help="skip the interactive plotly sunburst")
    parser.add_argument("--dpi", type=int, default=150)


def run(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")  # files only; never open a window
    from ogi_toolkit.analysis.io import load_prompts
    from ogi_toolkit.figures import write_data_figures, write_paper_figures
    from ogi_toolkit.folder.output import check_output

    check_output(args.out, inputs=[*args.data, *args.scaling])

    written = []
    if not args.no_paper:
        written += write_paper_figures(args.out, html=not args.no_html, dpi=args.dpi)
    for path in args.data:
        frame = load_prompts(path)
        name = (path.name if path.is_dir() else path.stem) or "data"
        written += write_data_figures(frame, args.out, name=name, html=not args.no_html, dpi=args.dpi)
    if args.scaling:
        from ogi_toolkit.figures.scaling import load_scaling, scaling_chart
        from ogi_toolkit.figures.write import save_figure

        for path in args.scaling:
            figure = scaling_chart(load_scaling(path), title=f"Data scaling: {path.stem}")
            written.append(save_figure(figure, args.out / f"data_scaling_{path.stem}.png", dpi=args.dpi))
    for path in written:
        print(path)
    print(f"{len(written)} figure file(s) in {args.out}")
    return 0
