"""``ogi benchmarks``, ``ogi leakage`` and ``ogi coverage`` as a user runs them (no model: exact
and lexical matches, coverage without the nearest-neighbour view)."""
from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
from benchmark_sets import require_sets
from dataset_fixtures import make_dataset
from PIL import Image

from ogi_toolkit.cli import main
from ogi_toolkit.folder import read_manifest


def ogi(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_benchmarks_lists_licences_sources_and_what_to_supply():
    require_sets("geneval")
    code, out, _ = ogi("benchmarks", "--categories", "geneval")
    assert code == 0
    assert "known sets, read in place from " in out
    assert "GenEval (generation): 553 prompts, MIT" in out and "djghosh13/geneval" in out
    assert "present: geneval_evaluation_metadata.jsonl" in out
    # listed with how to get it whether or not this machine holds it
    assert "DPG-Bench (generation): 1,065 prompts, Apache-2.0" in out and "TencentQQGYLab/ELLA" in out
    assert "imgedit" in out and "no licence" in out and "gedit" in out
    assert "counting" in out and "object_counting" in out


def test_leakage_drop_writes_the_clean_folder_and_the_table(tmp_path):
    make_dataset(tmp_path / "data")
    bench = tmp_path / "mine.csv"
    bench.write_text("prompt,kind\nmake the background a BEACH,background\nA red fox in snow,animal\n")
    code, out, err = ogi("leakage", str(tmp_path / "data"), "--against", str(bench), "--bench-text-column", "prompt",
                         "--label-column", "kind", "--kinds", "exact,lexical", "--table", str(tmp_path / "m.csv"),
                         "--drop", "--out", str(tmp_path / "clean"))
    assert code == 0, err
    assert "mine (2 prompts)" in out and "kept 4 items, dropped 1" in out
    table = pd.read_csv(tmp_path / "m.csv")
    assert table[["id", "turn", "kind", "category"]].values.tolist() == [["turn-1", 2, "exact", "background"]]
    assert "turn-1" not in {r["id"] for r in read_manifest(tmp_path / "clean")}


def test_leakage_refuses_drop_without_out_and_names_unknown_kinds(tmp_path):
    make_dataset(tmp_path / "data")
    code, _, err = ogi("leakage", str(tmp_path / "data"), "--against", "geneval", "--drop")
    assert code == 2 and "--drop and --out go together" in err
    code, _, err = ogi("leakage", str(tmp_path / "data"), "--against", "geneval", "--kinds", "fuzzy")
    assert code == 2 and "fuzzy" in err and "exact, lexical, semantic" in err


def test_coverage_writes_its_table_and_chart(tmp_path):
    require_sets("geneval", "parti")
    make_dataset(tmp_path / "data")
    code, out, err = ogi("coverage", str(tmp_path / "data"), "--against", "geneval,parti", "--no-nearest",
                         "--out", str(tmp_path / "cov"))
    assert code == 0, err
    table = pd.read_csv(tmp_path / "cov" / "coverage.csv")
    assert set(table["benchmark"]) == {"geneval", "parti"}
    assert table.loc[table["category"] == "single_object", "dataset_items"].item() == 1  # the photographic item
    with Image.open(tmp_path / "cov" / "coverage.png") as image:
        assert image.width > 600 and image.height > 400


def test_the_gallery_gets_a_leaks_filter_from_a_leak_table(tmp_path):
    make_dataset(tmp_path / "data")
    bench = tmp_path / "b.txt"
    bench.write_text("Remove the red cup from the table\n")
    assert ogi("leakage", str(tmp_path / "data"), "--against", str(bench), "--kinds", "exact",
               "--table", str(tmp_path / "leaks.csv"))[0] == 0
    code, _, err = ogi("gallery", str(tmp_path / "data"), "--leaks", str(tmp_path / "leaks.csv"))
    assert code == 0, err
    page = (tmp_path / "data" / "gallery.html").read_text()
    data = json.loads(page.split("id='ogi-data'>", 1)[1].split("</script>", 1)[0])
    leaks = {it["id"]: it.get("leak") for it in data["items"]}
    assert leaks["edit-1"] == {"kind": "exact", "benchmark": "b", "similarity": 1.0,
                               "prompt": "Remove the red cup from the table", "turn": 0}
    assert all(leak is None for item, leak in leaks.items() if item != "edit-1")
    assert "id=\"l-leak\"" in page or "id='l-leak'" in page
