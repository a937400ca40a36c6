"""The judge's real judgments.jsonl (``ogi judge`` through the openai SDK against the local
server's protocol fixture) read by ``ogi subset --min-score``: the file the other stage writes,
not one made here."""
from __future__ import annotations

import json

import pandas as pd

from curation_fixtures import make_sketch_dataset
from generate_fixtures import local_server
from judge_fixtures import judge_options
from ogi_toolkit.cli import main
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.quality.judge import judge


def test_subsets_keep_only_items_the_judge_scored_high_enough(tmp_path, capsys):
    data = make_sketch_dataset(tmp_path / "run1", counts={"photographic_styles": 12, "remove": 10, "two_turns": 3})
    with local_server() as server:
        judge(data, **judge_options(server, concurrency=4))
    judgments = {row["id"]: row for row in map(json.loads, (data / "judgments.jsonl").read_text().splitlines())}
    ids = {r["id"] for r in read_manifest(data)}
    assert set(judgments) == ids
    good = {i for i, row in judgments.items() if row.get("error") is None and row["score"] >= 0.6}
    assert 0 < len(good) < len(ids)  # the fixture's scores spread around the threshold
    out = tmp_path / "subsets"
    assert main(["subset", str(data), "--sizes", "all", "--target", "dataset", "--min-score", "0.6",
                 "--out", str(out)]) == 0
    assert {r["id"] for r in read_manifest(out / "all")} == good
    summary = pd.read_csv(out / "summary.csv").iloc[0]
    assert summary["mean_judge_score"] >= 0.6
    assert "judge score below 0.6" in capsys.readouterr().out
