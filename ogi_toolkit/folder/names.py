"""The file names of a dataset folder, each spelled once.

A dataset folder (``ogi generate --out DIR``) holds::

    manifest.jsonl     one record per item (last line per id wins)      written by generate, subset, split, filter
    calls.jsonl        one line per paid call, keyed by request key      written by generate, rewrite
    images/            content-addressed images (images/<ab>/<sha>.png)
    checks.jsonl       offline check results per item                    written by ``ogi check``
    judgments.jsonl    the VLM judge's verdict per item                  written by ``ogi judge``
    ratings.jsonl      human ratings per (rater, item)                   written by the rating panel
    dropped.csv        what ``ogi filter`` left out, and why
"""
from __future__ import annotations

__all__ = ["CALLS_NAME", "CHECKS_NAME", "DROPPED_NAME", "IMAGES_DIR", "JUDGMENTS_NAME", "MANIFEST_NAME",
           "RATINGS_NAME"]

MANIFEST_NAME = "manifest.jsonl"
CALLS_NAME = "calls.jsonl"
IMAGES_DIR = "images"
CHECKS_NAME = "checks.jsonl"
JUDGMENTS_NAME = "judgments.jsonl"
RATINGS_NAME = "ratings.jsonl"
DROPPED_NAME = "dropped.csv"
