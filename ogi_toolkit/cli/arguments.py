"""Argument types shared by the commands (argparse refuses a bad value with the usage line)."""
from __future__ import annotations

import argparse

__all__ = ["add_request_limits", "positive_int"]


def positive_int(text: str) -> int:
    """An integer >= 1: ``--workers 0`` or ``-3`` is a mistake, not "the default" or "none"."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value


def add_request_limits(parser: argparse.ArgumentParser, *, timeout: float) -> None:
    """The limits every command that calls a model takes (generate, judge, rewrite): one call
    engine runs them all, so the flags and their meaning are the same."""
    parser.add_argument("--concurrency", type=positive_int, default=8, help="requests in flight at most (default 8)")
    parser.add_argument("--rpm", type=float, help="requests per minute at most (default: no limit)")
    parser.add_argument("--max-cost", type=float, help="US dollars: no request is sent that would pass it")
    parser.add_argument("--max-attempts", type=positive_int, default=6,
                        help="tries per request on 429/5xx answers (default 6)")
    parser.add_argument("--timeout", type=float, default=timeout,
                        help=f"seconds an item waits for one answer (default {timeout:g}); the request then stays "
                             "open (and counts against --concurrency) until --close-timeout, and an answer that "
                             "comes late is kept")
    parser.add_argument("--close-timeout", type=float, metavar="S",
                        help="seconds after which a request with no answer is closed (default: --timeout + 300); "
                             "the run waits for every request it sent, then records those closed unanswered as "
                             "maybe paid")
