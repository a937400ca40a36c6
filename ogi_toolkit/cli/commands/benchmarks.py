"""``ogi benchmarks``: the benchmark prompt sets leakage and coverage can check against."""
from __future__ import annotations

import argparse

NAME = "benchmarks"
HELP = "list the benchmark prompt sets (known sets read in place: present or not, licence, how to get them; and those you supply as files)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--categories", metavar="NAME", help="also list NAME's categories with their prompt counts and subtasks")


def run(args: argparse.Namespace) -> int:
    from ...benchmarks import available_benchmarks, coverage_map, load_benchmark, user_supplied

    table = available_benchmarks()
    known = table[table["present"].notna()]
    folder = known["folder"].iat[0] if len(known) else ""
    print(f"known sets, read in place from {folder} (set OGI_EXTERNAL_DATA to another folder):")
    for row in known.itertuples(index=False):
        state = "present" if row.present else "ABSENT"
        print(f"{row.name:9s} {row.title} ({row.task}): {int(row.prompts):,} prompts, {row.licence}, "
              f"categories: {row.categories}\n          {state}: {row.file}\n          get it: {row.source}")
    print("\nsupplied by you (give the file as NAME=PATH, e.g. --against imgedit=basic_edit.json):")
    for name, supplied in user_supplied().items():
        print(f"{name:9s} {supplied.title} ({supplied.task}); licence: {supplied.licence}\n"
              f"          why: {supplied.why_user_supplied}\n          get it: {supplied.get_it}\n"
              f"          columns: text {supplied.text_column!r}, categories {supplied.category_column!r}")
    print("\nany .txt/.tsv/.csv/.jsonl prompt file (or folder of .txt files, one prompt each) works too: --against FILE --bench-text-column COL --label-column COL")
    if args.categories:
        prompts = load_benchmark(args.categories)
        mapping = coverage_map()
        mapping = mapping[mapping["benchmark"] == prompts["benchmark"].iat[0]]
        subtasks = mapping.groupby("category")["subtask"].agg(lambda s: ", ".join(x for x in s if x) or "(none)")
        counts = prompts["category"].value_counts()
        print(f"\n{args.categories}: category, prompts, subtasks")
        for category, n in counts.items():
            print(f"  {category:28s} {n:5d}  {subtasks.get(category, '(not in the coverage map)')}")
    return 0
