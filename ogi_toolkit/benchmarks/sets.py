"""Benchmark prompt sets: the known sets, read in place from ``EXTERNAL_DATA_DIR``
(``$OGI_EXTERNAL_DATA``, else ``../shared/data/external/``; ``data/<name>/SOURCE.yaml`` names each
one's file there, its licence file, repository, path and commit: the toolkit holds no copy), the
known sets a user supplies as a file, and any prompt file or folder of ``.txt`` files.

    available_benchmarks()                      # one row per set: present or not, where, licence, source
    load_benchmark("geneval")                   # a known set, by name
    load_benchmark("imgedit=basic_edit.json")   # a known set from the user's file: its columns
    load_benchmark("mine.csv", text_column="prompt", label_column="kind")   # any prompt file

Every loaded set is a DataFrame with ``benchmark`` (its name), ``bench_row`` (0..n-1),
``text`` and ``category`` (the set's category label; "" where it has none).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..definition.yaml_files import load_yaml_file
from ..paths import EXTERNAL_DATA_DIR

__all__ = ["DATA_DIR", "EXTERNAL_DATA_DIR", "BenchmarkSource", "UserSupplied", "available_benchmarks",
           "known_sources", "present_sets", "user_supplied", "load_benchmark", "load_benchmarks", "parse_against"]

DATA_DIR = Path(__file__).resolve().parent / "data"  # our records (SOURCE.yaml), never the prompts
_NAME = r"^[a-z][a-z0-9_-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Origin(_Strict):
    repository: str
    path: str
    commit: str = Field(pattern=r"^[0-9a-f]{40}$")


class BenchmarkSource(_Strict):
    """A known set's ``SOURCE.yaml``: what it is, and the names of its prompts (a file, or a folder
    of ``.txt`` files ending in ``/``) and its licence in ``EXTERNAL_DATA_DIR``."""

    name: str = Field(pattern=_NAME)
    title: str
    task: Literal["generation", "editing"]
    licence: str
    # names in EXTERNAL_DATA_DIR (a folder ends in "/"), never a path out of it: no "..", no "/" inside
    file: str = Field(pattern=r"^\w[\w.-]*/?$")
    licence_file: str = Field(pattern=r"^\w[\w.-]*$")
    text_column: str
    category_column: str
    other_label_columns: list[str] = Field(default_factory=list)
    prompts: int = Field(ge=1)  # how many the file holds: checked when it is read
    source: Origin

    def path(self) -> Path:
        """Where its prompts are looked for (the module's ``EXTERNAL_DATA_DIR``, read at each call)."""
        return EXTERNAL_DATA_DIR / self.file.rstrip("/")

    def get_it(self) -> str:
        return (f"{self.source.path} of https://github.com/{self.source.repository} at commit {self.source.commit}, "
                f"saved as {self.file} with its licence as {self.licence_file}")


class UserSupplied(_Strict):
    """A known set the user gives as a file (``user_supplied.yaml``): why, and where to get it."""

    title: str
    task: Literal["generation", "editing"]
    licence: str
    why_user_supplied: str
    get_it: str
    text_column: str
    category_column: str


def _read_yaml(path: Path) -> object:
    return load_yaml_file(path, "benchmark set")


@lru_cache(maxsize=1)
def known_sources() -> dict[str, BenchmarkSource]:
    """The known sets by name, from their SOURCE.yaml files (whether present or not)."""
    out = {}
    for path in sorted(DATA_DIR.glob("*/SOURCE.yaml")):
        try:
            source = BenchmarkSource.model_validate(_read_yaml(path))
        except ValidationError as exc:
            raise ValueError(f"{path}: {exc}") from None
        if source.name != path.parent.name:
            raise ValueError(f"{path}: name {source.name!r} differs from its folder {path.parent.name!r}")
        out[source.name] = source
    return out


def present_sets() -> list[str]:
    """The known sets whose prompts are in ``EXTERNAL_DATA_DIR`` now."""
    return [name for name, source in known_sources().items() if source.path().exists()]


@lru_cache(maxsize=1)
def user_supplied() -> dict[str, UserSupplied]:
    path = DATA_DIR / "user_supplied.yaml"
    raw = _read_yaml(path) or {}
    try:
        return {name: UserSupplied.model_validate(entry) for name, entry in raw.items()}
    except ValidationError as exc:
        raise ValueError(f"{path}: {exc}") from None


def available_benchmarks() -> pd.DataFrame:
    """One row per known set: name, title, task, licence, present (in ``folder``), prompts, and
    where it comes from; then the sets a user supplies as a file (present None)."""
    rows = [{"name": s.name, "title": s.title, "task": s.task, "licence": s.licence,
             "present": s.path().exists(), "folder": str(EXTERNAL_DATA_DIR), "file": s.file,
             "prompts": s.prompts, "categories": s.category_column, "source": s.get_it()}
            for s in known_sources().values()]
    rows += [{"name": name, "title": u.title, "task": u.task, "licence": u.licence, "present": None,
              "folder": None, "file": None, "prompts": None, "categories": u.category_column,
              "source": f"user-supplied: {name}=FILE ({u.get_it}); why: {u.why_user_supplied}"}
             for name, u in user_supplied().items()]
    return pd.DataFrame(rows)


def _natural(name: str) -> list:
    """Sort key: numbers inside names by value (whoops9 before whoops10)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _prompt_folder(path: Path) -> pd.DataFrame:
    """A folder of ``.txt`` files, one prompt each (DPG-Bench's ``prompts/``): ``prompt`` (the
    stripped text), ``item_id`` (the file name without .txt) and ``source`` (the letters of that
    name: the corpus DPG-Bench drew the prompt from; "unnamed" for a name of digits only)."""
    files = sorted(path.glob("*.txt"), key=lambda f: _natural(f.stem))
    if not files:
        raise ValueError(f"{path}: a folder of prompts must hold .txt files (one prompt each); it holds none")
    return pd.DataFrame({"prompt": [f.read_text(encoding="utf-8").strip() for f in files],
                         "item_id": [f.stem for f in files],
                         "source": [re.sub(r"[^A-Za-z]", "", f.stem) or "unnamed" for f in files]})


def _records(path: Path) -> pd.DataFrame:
    """A prompt file's rows (or a prompt folder's files), every column as text."""
    if path.is_dir():
        return _prompt_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        return pd.DataFrame({"text": [line for line in lines if line]})
    if suffix in (".tsv", ".csv"):
        return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", dtype=str, keep_default_na=False)
    if suffix in (".jsonl", ".json"):
        raw = path.read_text(encoding="utf-8")
        try:
            if suffix == ".json":
                data = json.loads(raw)
                # ImgEdit's basic_edit.json is one object of {key: record}; others are a list
                rows = list(data.values()) if isinstance(data, dict) else data
            else:
                rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not all(isinstance(r, dict) for r in rows):
            raise ValueError(f"{path}: expected JSON objects (one per line, a list of them, or an object of them)")
        return pd.DataFrame(rows).astype(str)
    raise ValueError(f"{path}: unsupported prompt file {suffix!r}; expected .txt, .tsv, .csv, .jsonl or .json")


def _frame(name: str, records: pd.DataFrame, text_column: str, category_column: str | None,
           path: Path) -> pd.DataFrame:
    for role, column in (("text", text_column), ("label", category_column)):
        if column is not None and column not in records.columns:
            flag = "--text-column" if role == "text" else "--label-column"
            raise KeyError(f"{path}: no {role} column {column!r}; columns are {list(records.columns)} ({flag})")
    text = records[text_column].astype(str).str.strip()
    frame = pd.DataFrame({
        "benchmark": name,
        "text": text.to_numpy(),
        "category": records[category_column].astype(str).to_numpy() if category_column else "",
    })
    frame = frame[frame["text"] != ""].reset_index(drop=True)
    frame.insert(1, "bench_row", range(len(frame)))
    return frame


def _absent(source: BenchmarkSource) -> FileNotFoundError:
    return FileNotFoundError(
        f"benchmark {source.name!r} ({source.title}): {source.file} is not in {EXTERNAL_DATA_DIR}. Known sets are "
        f"read in place from that folder ($OGI_EXTERNAL_DATA, else ../shared/data/external/ beside the checkout); "
        f"get {source.get_it()}")


def load_benchmark(spec: str | Path, *, text_column: str | None = None,
                   label_column: str | None = None) -> pd.DataFrame:
    """One set: a known name (read in place from ``EXTERNAL_DATA_DIR``), ``NAME=PATH`` (a known
    set's file, or any name for any file or folder of .txt files) or a path (named after it).
    Columns: benchmark, bench_row, text, category."""
    spec = str(spec)
    sources = known_sources()
    if spec in sources:
        source = sources[spec]
        path = source.path()
        if not path.exists():
            raise _absent(source)
        frame = _frame(spec, _records(path), text_column or source.text_column,
                       label_column or source.category_column, path)
        if len(frame) != source.prompts:
            raise ValueError(f"{path}: {len(frame)} prompts; its SOURCE.yaml says {source.prompts}")
        return frame
    name, _, file = spec.partition("=") if "=" in spec else ("", "", spec)
    path = Path(file)
    if not path.exists():
        known = ", ".join([*sources, *(f"{n}=FILE" for n in user_supplied())])
        raise FileNotFoundError(f"benchmark {spec!r}: no such file and no known set of that name; known: {known}")
    name = name or path.stem
    known = user_supplied().get(name)
    records = _records(path)
    default_text = known.text_column if known else ("text" if "text" in records.columns else records.columns[0])
    return _frame(name, records, text_column or default_text, label_column or (known.category_column if known else None), path)


def parse_against(against: str | Iterable[str]) -> list[str]:
    """``"geneval,parti"`` or a list -> the set specs; ``"all"`` -> every known set that is present."""
    specs = [s.strip() for s in (against.split(",") if isinstance(against, str) else against) if str(s).strip()]
    if not specs:
        raise ValueError("against: expected benchmark names or files, e.g. geneval,dpg,parti")
    out = []
    for spec in specs:
        if spec == "all":
            present = present_sets()
            if not present:
                raise FileNotFoundError(f"against 'all': none of the known sets ({', '.join(known_sources())}) is in "
                                        f"{EXTERNAL_DATA_DIR}; set OGI_EXTERNAL_DATA to the folder that holds them "
                                        "(`ogi benchmarks` says how to get each)")
            out += present
        else:
            out.append(spec)
    return list(dict.fromkeys(out))


def load_benchmarks(against: str | Iterable[str], *, text_column: str | None = None,
                    label_column: str | None = None) -> pd.DataFrame:
    """Several sets in one frame (``bench_row`` numbers each set's rows from 0)."""
    frames = [load_benchmark(s, text_column=text_column, label_column=label_column) for s in parse_against(against)]
    names = [f["benchmark"].iat[0] for f in frames if len(f)]
    if len(set(names)) != len(names):
        raise ValueError(f"against: two sets have the same name among {names}; name them NAME=PATH")
    return pd.concat(frames, ignore_index=True)
