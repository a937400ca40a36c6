"""The ``ogi`` command. Each sub-command is one module in ``ogi_toolkit.cli.commands``.

A command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
Modules are discovered, so adding a command touches no other file. Heavy imports (torch,
umap) happen inside ``run`` so that ``ogi --help`` stays instant.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from . import commands


class UserError(Exception):
    """A mistake in the user's input: printed as one line, without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ogi", description="ogi-toolkit: build, generate and analyse instruction datasets for image generation and editing.",
        epilog="Start with `ogi demo --out demo/` (offline, no API key). `ogi COMMAND --help` for each command.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def _quiet_hub_progress() -> None:
    """No Hugging Face progress bars ("Loading weights", "Map", "Creating parquet") in command
    output: transformers, huggingface_hub and datasets read these before they are imported."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def _message(exc: Exception) -> str:
    """What the user reads after "error:". Our loaders' KeyErrors carry a sentence (shown as it
    is); any other KeyError is a bug whose bare key ("config") would say nothing: its type and
    key are shown, as for any exception whose text is empty."""
    if isinstance(exc, KeyError):
        text = str(exc.args[0]) if len(exc.args) == 1 else ""
        return text if " " in text else f"{type(exc).__name__}: {exc}"
    return str(exc) or type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    _quiet_hub_progress()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except (UserError, FileNotFoundError, ValueError, KeyError) as exc:
        # Our loaders raise these with messages that name the file, key and expectation.
        print(f"ogi {args.command}: error: {_message(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(f"ogi {args.command}: interrupted; run the same command again to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
