"""``ogi demo``: the real command, run twice into one folder, and what it tells the user to open."""
from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from generate_fixtures import local_server
from ogi_toolkit.cli import main
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.definition.taxonomy import load_taxonomy

N_SUBTASKS = len(load_taxonomy().subtasks)
HEADLINE = ("n", "vendi", "distinct_2", "mean_pairwise_cosine_distance", "exact_duplicates", "near_duplicate_pairs")


def ogi(*argv: str) -> tuple[int, str, str]:
    """Run ``ogi ARGV`` in this process; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def demo_args(out: Path, cache: Path, *extra: str) -> list[str]:
    return ["demo", "--out", str(out), "--per-subtask", "1", "--size", "256x256", "--no-umap",
            "--cache-dir", str(cache), "--no-progress", *extra]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    out, cache = root / "demo", root / "cache"
    first = ogi(*demo_args(out, cache))
    assert first[0] == 0, first
    manifest = (out / "dataset" / "manifest.jsonl").read_bytes()
    summary_mtime = (out / "analysis" / "summary.json").stat().st_mtime_ns
    second = ogi(*demo_args(out, cache))
    return {"out": out, "cache": cache, "first": first, "second": second, "manifest": manifest,
            "summary_mtime": summary_mtime}


def opened_paths(stdout: str) -> dict[str, Path]:
    """The 'Open:' block of the demo's summary: label -> path."""
    block = stdout.split("Open:\n", 1)[1].split("\nRun the same command", 1)[0]
    return {label.strip(): Path(path.strip()) for label, path in (line.split(": ", 1) for line in block.splitlines())}


def test_the_demo_makes_every_subtask_and_every_file_it_points_to(demo):
    out, (_, stdout, _) = demo["out"], demo["first"]
    assert f"{N_SUBTASKS} items over {N_SUBTASKS} subtasks" in stdout
    assert re.search(r"generation\s+\d+ done, 0 errors", stdout) and re.search(r"editing\s+\d+ done, 0 errors", stdout)
    shown = opened_paths(stdout)
    for label in ("gallery", "report", "figures", "dataset", "OpenGPT layout", "HF Parquet",
                  "a generated image", "an edit's input", "its output"):
        assert label in shown, f"the summary does not say where the {label} is:\n{stdout}"
    assert all(p.exists() for p in shown.values()), shown
    assert "UMAP" not in shown  # --no-umap: nothing to point at
    firsts = [shown[label] for label in ("a generated image", "an edit's input", "its output")]
    assert all(Image.open(p).size == (256, 256) for p in firsts)

    records = read_manifest(out / "dataset")
    assert len({r["spec"]["subtask"] for r in records}) == N_SUBTASKS == len(records)
    summary = json.loads((out / "analysis" / "summary.json").read_text())
    assert {k: type(summary[k]).__name__ for k in HEADLINE} == {
        "n": "int", "vendi": "float", "distinct_2": "float", "mean_pairwise_cosine_distance": "float",
        "exact_duplicates": "int", "near_duplicate_pairs": "int"}
    assert summary["n"] == N_SUBTASKS and 1.0 < summary["vendi"] <= N_SUBTASKS
    assert f"vendi {summary['vendi']:.3f}" in stdout
    assert (out / "analysis" / "report.md").read_text().startswith("# ")


def test_the_gallery_shows_every_image_of_every_item_by_relative_path(demo):
    out = demo["out"]
    text = (out / "gallery.html").read_text(encoding="utf-8")
    items = json.loads(re.search(r"id='ogi-data'>(.*?)</script>", text, re.S).group(1))["items"]
    records = read_manifest(out / "dataset")
    assert len({it["subtask"] for it in items}) == N_SUBTASKS and len(items) == len(records)
    srcs = [s for it in items for s in [*it["inputs"], *([t["image"] for t in it.get("turns", [])] or [it["output"]])]]
    images = [p for r in records for p in [*r["input_images"], *(r["turn_images"] or [r["output_image"]])]]
    assert len(srcs) == len(images)
    assert all(not Path(src).is_absolute() and (out / src).is_file() for src in srcs)
    assert sorted(Path(src).name for src in srcs) == sorted(Path(p).name for p in images)
    assert "analysis/report.md" in text  # the header links the report


def test_the_figures_and_exports_open(demo):
    out = demo["out"]
    figures = sorted((out / "figures").glob("demo_*.png"))
    assert {p.name for p in figures} >= {"demo_sunburst.png", "demo_domain_shares.png", "demo_subtask_distribution.png"}
    for path in figures:
        Image.open(path).verify()
    records = read_manifest(out / "dataset")
    n_gen = sum(r["spec"]["kind"] == "generation" for r in records)
    assert len((out / "export" / "opengpt" / "gen.json").read_text().splitlines()) == n_gen
    import pyarrow.parquet as pq

    table = pq.read_table(next((out / "export" / "hf" / "data").glob("*.parquet")), columns=["id", "subtask"])
    assert sorted(table.column("id").to_pylist()) == sorted(r["id"] for r in records)


def test_a_second_run_reuses_what_is_on_disk(demo):
    code, stdout, stderr = demo["second"]
    assert code == 0
    assert "(0 requests sent)" in stdout
    for stage in ("plan", "analysis", "figures", "export_opengpt", "export_hf"):
        assert f"{stage}: up to date, reused" in stderr
    assert (demo["out"] / "dataset" / "manifest.jsonl").read_bytes() == demo["manifest"]
    assert (demo["out"] / "analysis" / "summary.json").stat().st_mtime_ns == demo["summary_mtime"]


def test_other_settings_in_the_same_folder_are_refused(demo):
    code, _, stderr = ogi(*demo_args(demo["out"], demo["cache"], "--seed", "5"))
    assert code == 2
    assert "seed: 0 -> 5" in stderr and str(demo["out"]) in stderr


def test_openai_without_a_key_fails_before_anything_is_made(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    code, _, stderr = ogi("demo", "--out", str(tmp_path / "d"), "--backend", "openai")
    assert code == 2 and "OPENAI_API_KEY" in stderr
    assert not (tmp_path / "d" / "plan.jsonl").exists()


def test_the_openai_options_reach_the_server_and_a_budget_stop_resumes(tmp_path):
    out = tmp_path / "d"
    args = ["demo", "--out", str(out), "--per-subtask", "1", "--backend", "openai", "--image-model", "gpt-image-1-mini",
            "--quality", "low", "--no-analysis", "--no-progress"]
    with local_server(renderer="card") as server:
        stopped = ogi(*args, "--base-url", server.url, "--max-cost", "0")
        sent_within_budget = server.stats()
        resumed = ogi(*args, "--base-url", server.url)
    assert stopped[0] == 1
    skipped = re.findall(r"(generation|editing)\s+0 done, 0 errors, (\d+) skipped_budget", stopped[1])
    assert sum(int(n) for _, n in skipped) == N_SUBTASKS, stopped[1]
    assert sent_within_budget["billed"] == 0  # nothing was paid for
    assert resumed[0] == 0, resumed
    records = read_manifest(out / "dataset")
    assert len(records) == N_SUBTASKS and {r["status"] for r in records} == {"done"}
    assert {r["model"] for r in records} == {"gpt-image-1-mini"}
    assert {r["params"]["quality"] for r in records} == {"low"}
    assert not (out / "analysis").exists()
    exported = out / "export" / "opengpt"
    assert len((exported / "gen.json").read_text().splitlines()) == sum(r["spec"]["kind"] == "generation" for r in records)


def test_the_demo_checks_every_item_and_prints_pass_rates(demo):
    out, (_, stdout, _) = demo["out"], demo["first"]
    lines = [json.loads(line) for line in (out / "dataset" / "checks.jsonl").read_text().splitlines()]
    assert {line["id"] for line in lines} == {r["id"] for r in read_manifest(out / "dataset") if r["status"] == "done"}
    match = re.search(r"checks +(\d+) of (\d+) items pass", stdout)
    assert match and int(match[2]) == len(lines) and int(match[1]) == sum(line["passed"] for line in lines)
    # the second run reuses every result: same numbers, and checks.jsonl is byte-identical
    # (the analysis, stamped with it, is reused: see test_a_second_run_reuses_what_is_on_disk)
    assert re.search(r"checks +\d+ of \d+ items pass", demo["second"][1])[0] == match[0]
