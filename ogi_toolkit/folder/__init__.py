"""The dataset folder: every file name once (:mod:`.names`), one reader and one append-only
writer per file kind (:mod:`.jsonl`, :mod:`.manifest`, :mod:`.results`), the guard for paths
read from data (:mod:`.paths`), and what a command may write where (:mod:`.output`: staged
output folders, ``--overwrite``).

Every other package reads and writes a dataset folder through this one; it imports nothing of
ours but :mod:`ogi_toolkit.atomic_io`.
"""
from .jsonl import JsonlWriter, append_jsonl, iter_jsonl, iter_numbered, jsonl_bytes, write_jsonl
from .manifest import STATUSES, ManifestWriter, iter_manifest, latest_records, manifest_path, read_manifest
from .names import CALLS_NAME, CHECKS_NAME, DROPPED_NAME, IMAGES_DIR, JUDGMENTS_NAME, MANIFEST_NAME, RATINGS_NAME
from .paths import UnsafePath, inside
from .place import place_file
from .results import iter_ratings, read_checks, read_judgments, result_path

__all__ = ["CALLS_NAME", "CHECKS_NAME", "DROPPED_NAME", "IMAGES_DIR", "JUDGMENTS_NAME", "MANIFEST_NAME",
           "RATINGS_NAME", "STATUSES", "JsonlWriter", "ManifestWriter", "UnsafePath", "append_jsonl", "inside",
           "iter_jsonl", "iter_manifest", "iter_numbered", "iter_ratings", "jsonl_bytes", "latest_records", "manifest_path",
           "place_file", "read_checks", "read_judgments", "read_manifest", "result_path",
           "write_jsonl"]
