"""The main job in one call: a small dataset over all 51 subtasks, made, analysed and exported.

    from ogi_toolkit.demo import run_demo, format_summary
    print(format_summary(run_demo("demo/")))

``run_demo(out)`` plans ``per_subtask`` items of every subtask, generates them (offline with
the sketch renderer by default, or with the OpenAI API), and leaves under ``out``::

    plan.jsonl               the instruction specs
    dataset/                 manifest.jsonl + images/ (ogi_toolkit.dataset.load_dataset)
    dataset/checks.jsonl     the offline quality checks of every item (ogi check)
    analysis/                report.md, summary.json, figures/ (UMAP...), tables/ (ogi analyse)
    figures/                 the dataset against the paper's distribution (ogi figures --data)
    export/opengpt/          the released OpenGPT-4o-Image layout (gen.json, editing.json, ...)
    export/hf/               Hugging Face datasets Parquet (datasets.load_dataset)
    gallery.html             the dataset browser (filters, search, each item large with its spec)
    demo.json                settings, stage stamps, and the summary returned

Run it again and it resumes: the runner reads every stored result back instead of making it
again, and a later stage whose input (the manifest's bytes) has not changed is not redone.
The settings that decide the dataset (items per subtask, seed, backend, size, model) are
recorded; a rerun with other ones into the same folder is refused rather than mixed in.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from .atomic_io import atomic_write_bytes
from .folder import CHECKS_NAME, MANIFEST_NAME, read_manifest

__all__ = ["DEMO_STATE", "SKETCH_SIZE", "checks_not_run", "format_summary", "ocr_exact_of_read", "run_demo"]

DEMO_STATE = "demo.json"
SKETCH_SIZE = "512x512"  # legible labels and text, with a quarter of the pixels of 1024x1024 to draw


def _fingerprint(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else json.dumps(part, sort_keys=True).encode())
    return h.hexdigest()[:24]


class _Stages:
    """Runs named stages, timing each; skips one whose input stamp and outputs are on disk."""

    def __init__(self, out: Path, settings: dict[str, Any], redo: bool, log: Callable[[str], None]):
        self.path, self.redo, self.log = out / DEMO_STATE, redo, log
        try:
            state = json.loads(self.path.read_text(encoding="utf-8")) if self.path.is_file() else {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"{self.path}: not valid JSON ({exc.msg}); delete it to redo the stages after generation") from None
        recorded = state.get("settings")
        if recorded is not None and recorded != settings:
            changed = ", ".join(f"{k}: {recorded.get(k)!r} -> {settings.get(k)!r}"
                                for k in sorted(set(recorded) | set(settings)) if recorded.get(k) != settings.get(k))
            raise ValueError(f"{out} holds a demo made with other settings ({changed}); "
                             f"use another --out, or delete {out} to start over")
        self.state = {"settings": settings, "stages": state.get("stages", {})}
        self.seconds: dict[str, float] = {}
        self.reused: list[str] = []

    def run(self, name: str, stamp: str | None, outputs: list[Path], work: Callable[[], Any]) -> Any:
        """``work()`` unless ``stamp`` matches the last run and ``outputs`` all exist.
        ``stamp=None``: always run (the stage does its own resuming)."""
        start = time.perf_counter()
        recorded = self.state["stages"].get(name, {})
        if stamp is not None and not self.redo and recorded.get("stamp") == stamp and all(p.exists() for p in outputs):
            self.reused.append(name)
            self.seconds[name] = 0.0
            self.log(f"{name}: up to date, reused")
            return None
        self.log(f"{name}: running")
        result = work()
        self.seconds[name] = round(time.perf_counter() - start, 2)
        self.state["stages"][name] = {"stamp": stamp, "seconds": self.seconds[name]}
        self.save()
        self.log(f"{name}: done in {self.seconds[name]:.1f} s")
        return result

    def save(self, **extra: Any) -> None:
        self.state.update(extra)
        atomic_write_bytes(self.path, json.dumps(self.state, indent=2, ensure_ascii=False).encode("utf-8"))


def _make_plan(path: Path, per_subtask: int, seed: int) -> None:
    from .definition.taxonomy import load_taxonomy
    from .planning import plan, write_specs

    write_specs(path, plan(counts={s.id: per_subtask for s in load_taxonomy().subtasks}, seed=seed))


def _make_backend(backend: str, image_model: str | None, quality: str | None, base_url: str | None):
    """The backend instance, built before anything else so a missing key fails at once."""
    from .backends import get_backend

    if backend == "sketch":
        return get_backend("sketch")
    options = {"image_model": image_model, "quality": quality, "base_url": base_url}
    return get_backend(backend, **{k: v for k, v in options.items() if v is not None})


def _counts(records: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Items per kind and status, e.g. {"generation": {"done": 60}, "editing": {...}}."""
    counts: dict[str, Counter] = {}
    for record in records:
        kind = (record.get("spec") or {}).get("kind", "?")
        counts.setdefault(kind, Counter())[record.get("status", "?")] += 1
    return {kind: dict(c) for kind, c in sorted(counts.items(), key=lambda kv: kv[0] != "generation")}


def checks_not_run(lines: list[dict[str, Any]]) -> tuple[dict[str, int], int]:
    """The checks that did not run (no value, passed null) counted per reason (a missing system
    part, or a check that does not apply), and how many items had one: those items passed only
    what was checked."""
    reasons: Counter = Counter()
    items = 0
    for line in lines:
        missed = [c for c in line["checks"] if c["passed"] is None and c["value"] is None]
        items += bool(missed)
        reasons.update(c.get("reason") or f"{c['name']} could not run" for c in missed)
    return dict(reasons.most_common()), items


def ocr_exact_of_read(lines: list[dict[str, Any]]) -> dict[str, list[int]]:
    """{script: [texts read exactly, texts read]}: a text that was not read (no Tesseract, no
    pack) is left out here, and counted among the checks that did not run."""
    from .quality.checks.summary import ocr_rates

    return {script: [s["exact"], s["texts"] - s["unreadable"]] for script, s in ocr_rates(lines).items()
            if s["texts"] > s["unreadable"]}


def _first_images(records: list[dict[str, Any]], dataset: Path) -> dict[str, str]:
    """A generation output and an editing input -> output pair to open first."""
    done = [r for r in records if r.get("status") == "done"]
    firsts = {}
    gen = next((r for r in done if (r.get("spec") or {}).get("kind") == "generation"), None)
    if gen:
        firsts["a generated image"] = gen["output_image"]
    edit = next((r for r in done if (r.get("spec") or {}).get("kind") == "editing"), None)
    if edit:
        firsts.update({"an edit's input": edit["input_images"][0], "its output": edit["output_image"]})
    return {label: str(dataset / rel) for label, rel in firsts.items()}


def run_demo(
    out: str | Path,
    *,
    per_subtask: int = 2,
    backend: str = "sketch",
    size: str | None = None,
    seed: int = 0,
    analyse: bool = True,
    umap: bool = True,
    image_model: str | None = None,
    quality: str | None = None,
    base_url: str | None = None,
    max_cost: float | None = None,
    cache_dir: str | Path | None = None,
    redo: bool = False,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Plan, generate, analyse, chart, export and show a small dataset over all 51 subtasks.

    ``size`` defaults to 512x512 for the sketch renderer and to the models config's size for
    OpenAI. ``analyse=False`` skips the analysis (``umap=False`` only its UMAP); ``cache_dir``
    is the analysis cache (default ``$OGI_CACHE_DIR`` or ``~/.cache/ogi-toolkit``); ``redo``
    recomputes the stages after generation even when their input has not changed; ``log``
    receives one line per stage. Returns the summary also stored in ``out/demo.json``.
    """
    if not isinstance(per_subtask, int) or isinstance(per_subtask, bool) or per_subtask < 1:
        raise ValueError(f"per_subtask: expected an integer >= 1, got {per_subtask!r}")
    log = log or (lambda line: None)
    out = Path(out)
    if size is None:
        from .config import load_models_config

        size = SKETCH_SIZE if backend == "sketch" else load_models_config().defaults.size
    settings = {"per_subtask": per_subtask, "seed": seed, "backend": backend, "size": size,
                "image_model": image_model, "quality": quality, "base_url": base_url}
    be = _make_backend(backend, image_model, quality, base_url)
    out.mkdir(parents=True, exist_ok=True)
    stages = _Stages(out, settings, redo, log)
    plan_path, dataset = out / "plan.jsonl", out / "dataset"
    paths = {"plan": plan_path, "dataset": dataset, "manifest": dataset / MANIFEST_NAME,
             "gallery": out / "gallery.html", "figures": out / "figures", "sunburst": out / "figures" / "demo_sunburst.png",
             "opengpt": out / "export" / "opengpt", "hf": out / "export" / "hf"}
    if analyse:  # only what this run makes: a folder may hold an older run's files
        paths.update({"analysis": out / "analysis", "report": out / "analysis" / "report.md",
                      "summary": out / "analysis" / "summary.json"})
        if umap:
            paths["umap"] = out / "analysis" / "figures" / "umap.html"

    stages.run("plan", _fingerprint(per_subtask, seed), [plan_path], lambda: _make_plan(plan_path, per_subtask, seed))

    from .generate import run_plan

    run = stages.run("generate", None, [], lambda: run_plan(
        plan_path, dataset, backend=be, size=size, max_cost=max_cost, progress=progress))

    from .quality import check
    from .quality.checks.summary import pass_rates

    # resumes by itself: only items whose images or thresholds changed are checked again
    checked = stages.run("check", None, [], lambda: check(dataset, workers=2))
    paths["checks"] = dataset / CHECKS_NAME

    records = read_manifest(dataset)
    data_stamp = (paths["manifest"]).read_bytes() + paths["checks"].read_bytes()
    done = [r for r in records if r.get("status") == "done"]
    summary: dict[str, Any] = {}
    if analyse:
        from .analysis import analyse as analyse_prompts
        from .analysis.report import HEADLINE_KEYS

        def analysis() -> None:
            from threadpoolctl import threadpool_limits

            # One BLAS thread: the matrices of a demo are small, and a multi-threaded BLAS on a
            # busy 2-core machine spins (an eigvalsh of 384x384 went from 0.04 s to 0.9 s).
            with threadpool_limits(limits=1, user_api="blas"):
                analyse_prompts(dataset, paths["analysis"], umap=umap, cache_dir=cache_dir)

        stages.run("analysis", _fingerprint(data_stamp, umap), [paths["summary"], paths["report"]], analysis)
        full = json.loads(paths["summary"].read_text(encoding="utf-8"))
        summary = {k: full.get(k) for k in HEADLINE_KEYS}

    def figures() -> None:
        import matplotlib

        matplotlib.use("Agg")  # files only, never a window
        from .analysis.io import load_prompts
        from .figures import write_data_figures

        write_data_figures(load_prompts(dataset), paths["figures"], name="demo")

    stages.run("figures", _fingerprint(data_stamp), [paths["sunburst"]], figures)
    if done:  # the exports hold finished items only
        from .dataset.export_hf import export_hf
        from .dataset.export_opengpt import export_opengpt

        # images are hard-linked: the store's files are named by their hash and never change
        stages.run("export_opengpt", _fingerprint(data_stamp), [paths["opengpt"] / "gen.json"],
                   lambda: export_opengpt(dataset, paths["opengpt"], link=True, overwrite=True))
        stages.run("export_hf", _fingerprint(data_stamp), [paths["hf"] / "README.md"],
                   lambda: export_hf(dataset, paths["hf"], layout="parquet", overwrite=True))
    else:
        log("export: no finished item to export")

    from .dataset.gallery import write_gallery

    links = {label: Path(os.path.relpath(paths[key], out)).as_posix() for label, key in (
        ("analysis report", "report"), ("UMAP", "umap"), ("taxonomy sunburst", "sunburst"),
        ("figures vs the paper", "figures")) if key in paths}
    note = ("Images from the sketch backend are schematic drawings of each instruction's structured spec, "
            "not the output of a generative model.") if backend == "sketch" else ""
    stages.run("gallery", None, [], lambda: write_gallery(dataset, paths["gallery"], title="ogi demo",
                                                          links=links, note=note))
    not_checked, items_not_fully_checked = checks_not_run(checked.lines)
    result = {
        "out": str(out), "settings": settings,
        "items": len(records), "subtasks": len({(r.get("spec") or {}).get("subtask") for r in records}),
        "by_kind": _counts(records),
        "fidelity": _fidelity(records),
        "cost_usd": round(sum(float(r.get("cost_usd") or 0.0) for r in records), 6),
        "spent_this_run_usd": run.spent_usd,
        "requests_sent": run.requests_sent,
        "diversity": summary,
        "checks": {"items": checked.items, "passed": checked.passed,
                   "rates": {k: v["rate"] for k, v in pass_rates(checked.lines).items()},
                   "ocr_exact": ocr_exact_of_read(checked.lines),
                   "not_checked": not_checked, "items_not_fully_checked": items_not_fully_checked},
        "seconds": {**stages.seconds, "total": round(sum(stages.seconds.values()), 2)},
        "reused": stages.reused,
        "paths": {k: str(v) for k, v in paths.items() if v.exists()},
        "first_images": _first_images(records, dataset),
    }
    stages.save(result=result)
    return result


def _fidelity(records: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Subtasks by how faithfully the backend draws them (``faithful``, ``partial``,
    ``placeholder``; a subtask with items of two levels, as science concepts can be, is listed
    at its weakest). Empty when the backend does not say."""
    order = ("faithful", "partial", "placeholder")
    weakest: dict[str, str] = {}
    for record in records:
        level, subtask = record.get("fidelity"), (record.get("spec") or {}).get("subtask")
        if level in order and subtask and (subtask not in weakest or order.index(level) > order.index(weakest[subtask])):
            weakest[subtask] = level
    return {level: sorted(s for s, lv in weakest.items() if lv == level) for level in order
            if any(lv == level for lv in weakest.values())}


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def format_summary(result: dict[str, Any]) -> str:
    """The demo's result as a few lines: what was made, what it cost, how varied, where it is."""
    s = result["settings"]
    lines = [f"ogi demo: {result['items']} items over {result['subtasks']} subtasks "
             f"({s['per_subtask']} per subtask, seed {s['seed']}), backend {s['backend']}, size {s['size']}"]
    for kind, counts in result["by_kind"].items():
        rest = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()) if status not in ("done", "error"))
        lines.append(f"  {kind:10s} {counts.get('done', 0)} done, {counts.get('error', 0)} errors" + (f", {rest}" if rest else ""))
    fidelity = result.get("fidelity") or {}
    if fidelity:  # so that nobody takes a placeholder for a drawing
        lines.append("  drawn      " + "; ".join(f"{len(subs)} subtask{'s' * (len(subs) != 1)} {level}"
                                          for level, subs in fidelity.items())
                     + (f" (placeholders: {', '.join(fidelity['placeholder'])})" if fidelity.get("placeholder") else ""))
    lines.append(f"  cost       ${result['cost_usd']:.4f} in all, ${result['spent_this_run_usd']:.4f} this run "
                 f"({result['requests_sent']} requests sent)")
    checks = result.get("checks")
    if checks:
        failing = ", ".join(f"{name} {rate:.0%}" for name, rate in checks["rates"].items()
                            if name != "items" and rate is not None and rate < 1)
        ocr = ", ".join(f"{script} {exact}/{n}" for script, (exact, n) in checks["ocr_exact"].items())
        partly = checks.get("items_not_fully_checked")
        lines.append(f"  checks     {checks['passed']} of {checks['items']} items pass"
                     + (f" ({partly} of them with checks that did not run: see below)" if partly else "")
                     + (f"; below 100%: {failing}" if failing else "") + (f"; OCR exact: {ocr}" if ocr else ""))
        # what could not be checked here, and why (a missing system part names its install command)
        lines += [f"  not run    {n} {'check' if n == 1 else 'checks'}, {reason}"
                  for reason, n in (checks.get("not_checked") or {}).items()]
    if result["diversity"]:
        lines.append("  diversity  " + ", ".join(f"{k} {_fmt(v)}" for k, v in result["diversity"].items()))
    lines.append("  time       " + ", ".join(f"{k} {v:.1f} s" for k, v in result["seconds"].items())
                 + (f" (reused: {', '.join(result['reused'])})" if result["reused"] else ""))
    p = result["paths"]
    shown = {"gallery": p.get("gallery"), "report": p.get("report"), "UMAP": p.get("umap"), "figures": p.get("figures"),
             "dataset": p.get("manifest"), "checks": p.get("checks"), "OpenGPT layout": p.get("opengpt"), "HF Parquet": p.get("hf"),
             **result["first_images"]}
    lines.append("Open:")
    lines += [f"  {label + ':':18s} {path}" for label, path in shown.items() if path]
    lines.append("Run the same command again to resume; finished work is reused.")
    return "\n".join(lines)
