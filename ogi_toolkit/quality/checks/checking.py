"""``check(path)``: every offline check of every finished item, written to ``checks.jsonl``.

One line per item: ``id``, ``passed`` (no check failed; a check that could not run, with
``passed`` null and a ``reason``, does not count), ``checks`` (``{name, value, threshold,
passed, ...}``, see :mod:`.result`), ``layout_record`` (whether the backend recorded what it
drew; the sketch renderer does, and then preservation and OCR use its boxes), and ``key``.

The checks that run are the registered ones (:mod:`.registry`), in their order. An item is
checked again only when its key changes: its images (names, sizes, times), the checks
configuration, the checking code (the core modules' and every registered check's source) or the
Tesseract language packs installed (a text once unreadable is read once its pack is there). Lines are appended as items finish, so an
interrupted run resumes; at the end the file is rewritten (atomically) with one line per
item, in manifest order, with the duplicate check across all outputs added.
"""
from __future__ import annotations

import functools
import hashlib
import json
import pickle
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ...atomic_io import atomic_write_bytes
from ...folder import CHECKS_NAME, ManifestWriter, iter_jsonl
from .config import ChecksConfig, load_checks_config
from .duplicates import duplicate_pairs
from .items import CheckItem, load_check_items
from .registry import Check, StepImages
from .result import group_of, item_passed, result

__all__ = ["CHECKS_VERSION", "CheckRun", "check", "check_item"]

CHECKS_VERSION = "1"
_DUPLICATE = "technical.duplicate_output"


@dataclass
class CheckRun:
    path: Path
    items: int
    checked: int  # checked in this run (the rest were reused)
    seconds: float
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(1 for line in self.lines if line["passed"])


# the modules every check runs through; each registered check's own module is added to the key
_CORE_MODULES = ("checking", "items", "ocr", "duplicates", "result", "registry", "config")


def _stamp(path: Path) -> tuple[Path, int, int]:
    st = path.stat()
    return path, st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=8)
def _code_fingerprint(stamps: tuple[tuple[Path, int, int], ...]) -> str:
    """A hash of the checking code (the files' bytes; ``stamps`` with their times only key the cache)."""
    from .ocr import available_languages

    h = hashlib.sha256(CHECKS_VERSION.encode())
    for path, _, _ in stamps:
        h.update(path.read_bytes())
    h.update(",".join(sorted(available_languages())).encode())
    return h.hexdigest()[:16]


def _item_key(item: CheckItem, cfg: ChecksConfig) -> str:
    core = (Path(__file__).with_name(f"{name}.py") for name in _CORE_MODULES)
    code = _code_fingerprint(tuple(_stamp(p) for p in (*core, *(c.source for c in cfg.checks))))
    h = hashlib.sha256(f"{code}|{cfg.fingerprint()}|{item.id}".encode())
    for step in item.steps:
        for path in (step.input, step.output):
            if path is not None:
                try:
                    st = path.stat()
                    h.update(f"|{path.name}:{st.st_size}:{st.st_mtime_ns}".encode())
                except OSError:
                    h.update(f"|{path.name}:missing".encode())
        h.update(b"|layout" if step.layout else b"|-")
    return h.hexdigest()[:24]


def _load(path: Path | None) -> tuple[Any, str | None]:
    if path is None:
        return None, None
    try:
        return open_image(path), None
    except (OSError, ValueError) as exc:  # missing, truncated or not an image
        return None, f"{type(exc).__name__}: {exc}"


def open_image(path: Path) -> Any:
    from PIL import Image

    image = Image.open(path)
    image.load()
    return image.convert("RGB")


def _run_one(check: Check, view: StepImages, section: Any) -> list[dict[str, Any]]:
    """One check of one step; a check that raises gives one record saying so (``passed`` None),
    and the other checks still run."""
    try:
        return check.run(view, section)
    except Exception as exc:  # noqa: BLE001 - any failure of one check is that check's record, not the run's end
        return [result(f"{check.group}.error", None, None, None, f"the check could not run: {type(exc).__name__}: {exc}",
                       step=view.step.name)]


def check_item(item: CheckItem, cfg: ChecksConfig) -> dict[str, Any]:
    """All per-item checks of one item (the duplicate check needs every item: see :func:`check`)."""
    import imagehash

    start = time.perf_counter()
    checks: list[dict[str, Any]] = []
    phash = None
    for step in item.steps:
        after, error = _load(step.output)
        before, before_error = _load(step.input)
        view = StepImages(item, step, after, before, error, before_error)
        for check in cfg.checks:
            if not check.dataset and (after is not None or not check.needs_output):
                checks += _run_one(check, view, cfg.section(check.group))
        # the last step's output is the item's output
        phash = str(imagehash.phash(after)) if after is not None else None
    counted = [c for c in checks if _counts(c, cfg)]
    return {"id": item.id, "passed": item_passed(counted), "checks": checks, "phash": phash,
            "layout_record": any(s.layout is not None for s in item.steps), "key": _item_key(item, cfg),
            "checks_version": CHECKS_VERSION, "seconds": round(time.perf_counter() - start, 3)}


def _check_star(args: tuple[CheckItem, ChecksConfig]) -> dict[str, Any]:
    return check_item(*args)


def check_batch(items: list[bytes], cfg: ChecksConfig) -> list[str]:
    """:func:`check_item` over pickled items, each result as its JSON line: the batch function
    ``engine="ray"`` runs on the workers (bytes and strings cross Ray's Arrow blocks as they are,
    where a dataclass or a nested dict would be converted)."""
    return [json.dumps(check_item(pickle.loads(item), cfg), ensure_ascii=False) for item in items]


def _counts(check_result: dict[str, Any], cfg: ChecksConfig) -> bool:
    """Whether a result may decide the item (a report's never does)."""
    reports = {c.group for c in cfg.checks if not c.counts}
    return group_of(check_result["name"]) not in reports


def _with_duplicates(lines: list[dict[str, Any]], cfg: ChecksConfig) -> None:
    threshold = cfg.section("technical").max_duplicate_hash_distance
    pairs = duplicate_pairs({line["id"]: line.get("phash") for line in lines}, threshold)
    for line in lines:
        checks = [c for c in line["checks"] if c["name"] != _DUPLICATE]
        if line.get("phash"):
            other = pairs.get(line["id"])
            checks.append(result(_DUPLICATE, other[1] if other else None, threshold,
                                 other is None, f"a near-duplicate of {other[0]}'s output" if other else None,
                                 duplicate_of=other[0] if other else None))
        line["checks"] = checks
        line["passed"] = item_passed([c for c in checks if _counts(c, cfg)])


def _with_dataset_checks(lines: list[dict[str, Any]], items: list[CheckItem], cfg: ChecksConfig,
                         context: dict[str, Any]) -> None:
    """The checks of the whole dataset (``dataset=True``): each replaces its group's records; one
    that raises gives every item one record saying so."""
    for check in (c for c in cfg.checks if c.dataset):
        try:
            found = check.run(items, cfg.section(check.group), context)
        except Exception as exc:  # noqa: BLE001 - as _run_one: the check's record, not the run's end
            reason = f"the check could not run: {type(exc).__name__}: {exc}"
            found = {item.id: [result(f"{check.group}.error", None, None, None, reason)] for item in items}
        for line in lines:
            line["checks"] = [c for c in line["checks"] if group_of(c["name"]) != check.group] + found.get(line["id"], [])
            line["passed"] = item_passed([c for c in line["checks"] if _counts(c, cfg)])


def check(path: str | Path, *, config: str | Path | ChecksConfig | None = None, workers: int = 2,
          redo: bool = False, progress: bool = False, log: Callable[[str], None] | None = None,
          engine: str = "local", address: str | None = None, vision: Any = None) -> CheckRun:
    """Check every finished item of the dataset folder ``path``; write ``path/checks.jsonl``.

    ``config``: a checks YAML file or a loaded :class:`ChecksConfig` (default: each registered
    check's defaults, the YAML files beside them in :mod:`.suite`); ``workers``: processes (1 = in this process); ``redo``: check every item
    again even when its result is up to date. ``engine="ray"`` checks the items as Ray Data
    batches (``address`` as for ``ogi analyse --engine ray``; the images must be readable by
    every worker at the same path); the duplicate search across items runs here either way.
    ``vision``: the models of ``ogi check --vision`` (:func:`ogi_toolkit.vision.model_set.load_models`),
    for the ``vision`` checks, which run here over all items (without it there are no ``vision`` records).
    """
    root = Path(path)
    cfg = config if isinstance(config, ChecksConfig) else load_checks_config(config)
    start = time.perf_counter()
    items, _ = load_check_items(root)
    out_path = root / CHECKS_NAME
    previous = {} if redo else {line["id"]: line for line in iter_jsonl(out_path) if "id" in line}
    done: dict[str, dict[str, Any]] = {}
    todo = []
    for item in items:
        old = previous.get(item.id)
        if old is not None and old.get("key") == _item_key(item, cfg):
            done[item.id] = old
        else:
            todo.append(item)
    if todo and engine == "ray":
        from ...analysis.engine import map_batches

        batch = [pickle.dumps(item) for item in todo]
        with ManifestWriter(out_path, check_status=False) as writer:
            _collect((json.loads(line) for line in map_batches(check_batch, batch, engine="ray", address=address,
                                                                batch_size=16, cfg=cfg)),
                     writer, done, len(todo), progress)
    elif todo:
        jobs = [(item, cfg) for item in todo]
        with ManifestWriter(out_path, check_status=False) as writer:
            if workers > 1 and len(todo) > 1:
                with ProcessPoolExecutor(max_workers=workers) as pool:
                    results = pool.map(_check_star, jobs, chunksize=4)
                    _collect(results, writer, done, len(todo), progress)
            else:
                _collect(map(_check_star, jobs), writer, done, len(todo), progress)
    lines = [done[item.id] for item in items]
    _with_duplicates(lines, cfg)
    _with_dataset_checks(lines, items, cfg, {"vision": vision} if vision is not None else {})
    atomic_write_bytes(out_path, "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8"))
    run = CheckRun(root, len(items), len(todo), round(time.perf_counter() - start, 2), lines)
    if log:
        log(f"checked {run.checked} items ({run.items - run.checked} up to date) in {run.seconds:.1f} s: "
            f"{run.passed} of {run.items} passed")
    return run


def _collect(results, writer: ManifestWriter, done: dict, total: int, progress: bool) -> None:
    from tqdm.auto import tqdm

    for line in tqdm(results, total=total, desc="check", disable=not progress):
        writer.append(line)
        done[line["id"]] = line
