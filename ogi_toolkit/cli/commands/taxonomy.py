"""``ogi taxonomy``: the domains and subtasks with their target counts."""
from __future__ import annotations

import json

NAME = "taxonomy"
HELP = "show the 11 domains and their subtasks with target counts (tree, table or JSON)"


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=("tree", "table", "json"), default="tree", help="output format (default: tree)")
    parser.add_argument("--taxonomy", default=None, help="taxonomy folder (default: the project's taxonomy/, or $OGI_TAXONOMY_DIR)")
    parser.add_argument("--check", action="store_true",
                        help="kept for old scripts: every run binds each subtask to its builder and compiles its templates")


def _tree(tax) -> str:
    lines = []
    for kind in ("generation", "editing"):
        domains = [d for d in tax.domains if d.kind == kind]
        subs = [s for s in tax.subtasks if s.kind == kind]
        lines.append(f"{kind} ({len(domains)} domains, {len(subs)} subtasks, {sum(s.target for s in subs):,} instructions)")
        for i, d in enumerate(domains):
            last_d = i == len(domains) - 1
            in_d = tax.in_domain(d.id)
            lines.append(f"{'└──' if last_d else '├──'} {d.name} [{d.id}] {sum(s.target for s in in_d):,}")
            for j, s in enumerate(in_d):
                branch = "└──" if j == len(in_d) - 1 else "├──"
                lines.append(f"{'    ' if last_d else '│   '}{branch} {s.name} [{s.id}] {s.target:,}")
    lines.append(f"total: {len(tax.domains)} domains, {len(tax.subtasks)} subtasks, {sum(s.target for s in tax.subtasks):,} instructions")
    return "\n".join(lines)


def run(args) -> int:
    from ...templates.validate import load_valid_taxonomy

    # Validated as `ogi sample` and `ogi plan` validate it: a taxonomy that lists fine here samples.
    tax = load_valid_taxonomy(args.taxonomy)
    if args.format == "json":
        data = {
            "domains": [
                {**d.model_dump(), "subtasks": [s.model_dump(include={"id", "name", "target", "builder"}) for s in tax.in_domain(d.id)]}
                for d in tax.domains
            ]
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.format == "table":
        frame = tax.frame()[["kind", "domain", "subtask", "name", "target", "builder", "templates"]]
        print(frame.to_string(index=False))
    else:
        print(_tree(tax))
    return 0
