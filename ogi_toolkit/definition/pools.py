"""Load, validate and query the resource pools (``pools/<group>/<pool>.yaml``).

    pools = load_pools()                       # cached; pools/ of the project
    pools.get("objects", "apple").article      # 'an'
    pools.sample(rng, "objects", k=3, category="animal")

A bad pool file fails here, at load time, with the file, the item (index, line and id), the
field and what was expected. ``python -m ogi_toolkit.definition.pools --readme`` rewrites
each group's README.md with the real counts (``--check`` only reports stale ones).
"""
from __future__ import annotations

import argparse
import difflib
import functools
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ogi_toolkit.definition.pool_items import (
    GROUP_SCHEMAS, SCHEMAS, CategoryItem, ConceptItem, ObjectItem, PoolFile, PoolItem,
)
from ogi_toolkit.paths import POOLS_DIR

__all__ = ["PoolError", "Pools", "load_pools", "readme_text", "write_readmes"]


class PoolError(ValueError):
    """A pool file is malformed; the message names the file, item, field and expectation."""


# libyaml's C parser is ~10x faster than the pure-Python one on our 1,000-item files.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):
    """YAML loader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_unique_mapping(loader: _BaseLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def _read_yaml(path: Path) -> tuple[Any, list[int]]:
    """The file's data and the line number of each entry of its ``items`` list."""
    loader = _UniqueKeyLoader(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        raise PoolError(f"{path}: not valid YAML: {err}") from None
    finally:
        loader.dispose()
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "items" and isinstance(value, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value.value]
    return data, lines


def _describe(errors: list[dict]) -> str:
    parts = []
    for err in errors[:5]:
        field = ".".join(str(p) for p in err["loc"]) or "(item)"
        got = "" if err["type"] == "missing" else f", got {err['input']!r}"
        parts.append(f"field {field!r}: {err['msg']}{got}")
    return "; ".join(parts)


def _load_file(path: Path, group: str, categories: dict[str, CategoryItem] | None = None,
               ) -> tuple[PoolFile, tuple[PoolItem, ...]]:
    """Validate one pool file. ``categories`` (objects only) fill fields an object leaves out."""
    data, lines = _read_yaml(path)
    if not isinstance(data, dict):
        raise PoolError(f"{path}: expected a mapping with keys pool, description, source, items")
    try:
        header = PoolFile.model_validate(data)
    except ValidationError as err:
        raise PoolError(f"{path}: bad pool header: {_describe(err.errors())}") from None
    if header.pool != path.stem:
        raise PoolError(f"{path}: 'pool' is {header.pool!r} but must equal the file name {path.stem!r}")
    schema = header.schema_ or (header.pool if header.pool in SCHEMAS else GROUP_SCHEMAS.get(group))
    if schema not in SCHEMAS:
        raise PoolError(f"{path}: no item schema for pool {header.pool!r}; add 'schema:' with one of {sorted(SCHEMAS)}")
    model = SCHEMAS[schema]
    items: list[PoolItem] = []
    ids: dict[str, int] = {}
    names: dict[str, int] = {}
    for index, raw in enumerate(header.items):
        where = f"{path}: item {index}" + (f" (line {lines[index]})" if index < len(lines) else "")
        if not isinstance(raw, dict):
            raise PoolError(f"{where}: expected a mapping of fields, got {raw!r}")
        if "id" in raw:
            where += f" id {raw['id']!r}"
        if categories is not None:
            raw = _with_category_defaults(raw, categories, where)
        try:
            item = model.model_validate(raw)
        except ValidationError as err:
            raise PoolError(f"{where}: {_describe(err.errors())} "
                            f"(schema {schema!r}, fields {sorted(model.model_fields)})") from None
        if item.id in ids:
            raise PoolError(f"{where}: field 'id': duplicate id {item.id!r} (first at item {ids[item.id]})")
        if model.unique_names and item.name.lower() in names:
            raise PoolError(f"{where}: field 'name': duplicate name {item.name!r} "
                            f"(first at item {names[item.name.lower()]})")
        ids[item.id] = index
        names.setdefault(item.name.lower(), index)
        items.append(item)
    return header, tuple(items)


def _with_category_defaults(raw: dict, categories: dict[str, CategoryItem], where: str) -> dict:
    if "category" not in raw:
        return raw  # the model reports the missing field
    category = categories.get(raw["category"])
    if category is None:
        close = difflib.get_close_matches(str(raw["category"]), categories, n=3)
        raise PoolError(f"{where}: field 'category': unknown category {raw['category']!r}; "
                        f"expected an id of pool 'categories' (close: {close})")
    return {**category.defaults, **raw}


def _check_category_defaults(categories: tuple[CategoryItem, ...], path: Path) -> None:
    allowed = set(ObjectItem.model_fields) - {"id", "name", "category"}
    for index, category in enumerate(categories):
        unknown = set(category.defaults) - allowed
        if unknown:
            raise PoolError(f"{path}: item {index} id {category.id!r}: field 'defaults': "
                            f"unknown object fields {sorted(unknown)}; expected some of {sorted(allowed)}")


# (pool, field, pool whose ids it must name)
_REFERENCES = (
    ("objects", "materials", "materials"), ("objects", "colours", "colours"),
    ("objects", "can", "actions"), ("actions", "patient", "categories"),
    ("actions", "agent_objects", "objects"), ("actions", "patient_objects", "objects"),
    ("relations", "inverse", "relations"), ("actions", "categories", "categories"),
    ("scenes", "categories", "categories"), ("texts", "tone", "tones"),
)


def _check_references(pools: dict[str, tuple[PoolItem, ...]], files: dict[str, Path]) -> None:
    for pool, field, target in _REFERENCES:
        for index, item in enumerate(pools.get(pool, ())):
            value = getattr(item, field)
            refs = (value,) if isinstance(value, str) else (value or ())
            if not refs:
                continue
            if target not in pools:
                raise PoolError(f"{files[pool]}: item {index} id {item.id!r}: field {field!r} refers to "
                                f"pool {target!r}, which is not in this pools directory")
            known = {other.id for other in pools[target]}
            for ref in refs:
                if ref not in known:
                    close = difflib.get_close_matches(ref, known, n=3)
                    raise PoolError(f"{files[pool]}: item {index} id {item.id!r}: field {field!r}: "
                                    f"{ref!r} is not an id of pool {target!r} (close: {close})")


class Pools:
    """All pools of one directory: tuples of typed items, with lookup, filter and sample."""

    def __init__(self, pools: dict[str, tuple[PoolItem, ...]], files: dict[str, Path],
                 headers: dict[str, PoolFile]):
        self._pools = pools
        self.files = files  # pool name -> its file
        self.headers = headers  # pool name -> header (description, source)
        self._cache: dict[tuple, Any] = {}  # memoised filters and agent/patient look-ups
        # Ids win over names; of equal names (actions only) the first item wins.
        self._by_key = {name: {**{i.name.lower(): i for i in reversed(items)}, **{i.id: i for i in items}}
                        for name, items in pools.items()}

    def names(self) -> list[str]:
        return sorted(self._pools)

    def group(self, pool: str) -> str:
        """The group folder a pool lives in (``objects``, ``qualifiers``, ``science``, ...)."""
        self[pool]
        return self.files[pool].parent.name

    def frame(self):
        """One row per pool: pool, group, items (count), description, source (a pandas DataFrame)."""
        import pandas as pd  # only the notebooks need pandas here

        return pd.DataFrame([{"pool": n, "group": self.group(n), "items": len(self[n]),
                              "description": self.headers[n].description, "source": self.headers[n].source}
                             for n in self.names()])

    def __contains__(self, pool: str) -> bool:
        return pool in self._pools

    def __getitem__(self, pool: str) -> tuple[PoolItem, ...]:
        try:
            return self._pools[pool]
        except KeyError:
            close = difflib.get_close_matches(pool, self._pools, n=3)
            raise KeyError(f"no pool {pool!r}; close: {close}; all: {self.names()}") from None

    def get(self, pool: str, key: str) -> PoolItem:
        """The item whose id (or exact name, any case) is ``key``."""
        self[pool]  # a KeyError listing close pool names
        by_key = self._by_key[pool]
        found = by_key.get(key) or by_key.get(key.lower())
        if found is None:
            close = difflib.get_close_matches(key, by_key, n=5)
            raise KeyError(f"pool {pool!r} has no item {key!r}; close: {close}")
        return found

    def filter(self, pool: str, **where: Any) -> tuple[PoolItem, ...]:
        """Items whose fields match ``where``.

        A list/tuple/set value matches any of its members; a callable is a predicate on the
        field's value; a scalar compared with a tuple field (``agents``, ``colours``) matches
        when it is a member. Results are memoised unless a value is a callable or unhashable
        (so pass lists of allowed values, or module-level predicates, in hot loops).
        """
        return self._filtered(pool, where)[0]

    def _filtered(self, pool: str, where: dict) -> tuple[tuple[PoolItem, ...], dict[str, int]]:
        """The matching items and, for exclusion, the position of each item's id and name."""
        key = _cache_key(pool, where)
        hit = self._cache.get(key) if key is not None else None
        if hit is not None:
            return hit
        items = self[pool]
        for field in where:
            if items and not hasattr(items[0], field):
                raise KeyError(f"pool {pool!r} has no field {field!r}; fields: {sorted(type(items[0]).model_fields)}")
        found = tuple(item for item in items if all(_matches(getattr(item, f), w) for f, w in where.items()))
        positions = {**{i.name: n for n, i in enumerate(found)}, **{i.id: n for n, i in enumerate(found)}}
        if key is not None:
            self._cache[key] = (found, positions)
        return found, positions

    def agents_for(self, action: str) -> tuple[ObjectItem, ...]:
        """The objects that can do ``action`` (an action id)."""
        act = self.get("actions", action)
        return self._memo(("agents_for", action), lambda: tuple(o for o in self["objects"] if act.agent_ok(o)))

    def patients_for(self, action: str) -> tuple[ObjectItem, ...]:
        """The objects ``action`` can act on; empty for intransitive actions."""
        act = self.get("actions", action)
        return self._memo(("patients_for", action), lambda: tuple(o for o in self["objects"] if act.patient_ok(o)))

    def actions_for(self, obj: str, transitive: bool | None = None) -> tuple[PoolItem, ...]:
        """The actions object ``obj`` can do (``transitive``: only with/without a patient)."""
        item = self.get("objects", obj)
        return self._memo(("actions_for", item.id, transitive), lambda: tuple(
            a for a in self["actions"] if a.agent_ok(item) and (transitive is None or a.transitive == transitive)))

    def _memo(self, key: tuple, compute) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def count(self, pool: str, **where: Any) -> int:
        return len(self.filter(pool, **where))

    def sample(self, rng, pool: str, k: int = 1, distinct: bool = True,
               exclude: tuple[str, ...] | list[str] | set[str] = (), **where: Any) -> list[PoolItem]:
        """``k`` items drawn with ``rng`` (a numpy Generator) among those matching ``where``.

        ``exclude`` holds ids (or names) to leave out. ``distinct`` draws without replacement.
        """
        found, positions = self._filtered(pool, where)
        banned = {positions[b] for b in exclude if b in positions}
        available = len(found) - len(banned)
        if available < (k if distinct else min(k, 1)):
            raise ValueError(f"pool {pool!r}: {available} items match {where or 'no filter'}"
                             f"{f' excluding {sorted(exclude)}' if exclude else ''}; {k} needed"
                             f"{' distinct' if distinct else ''}")
        if available < 2 * k:  # few left: draw from the explicit list
            allowed = [n for n in range(len(found)) if n not in banned]
            return [found[allowed[int(i)]] for i in rng.choice(len(allowed), size=k, replace=not distinct)]
        # Independent draws, then redraw the (rare) excluded or repeated picks: at least half
        # the candidates are allowed, so this ends fast, and it is far cheaper than rng.choice.
        # (rng.random is ~10x cheaper per call than rng.integers or rng.choice.)
        n = len(found)
        picks = [int(x * n) for x in rng.random(k).tolist()]
        taken = set()
        for slot, pick in enumerate(picks):
            while pick in banned or (distinct and pick in taken):
                pick = int(rng.random() * n)
            picks[slot] = pick
            taken.add(pick)
        return [found[i] for i in picks]


def _freeze(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, (set, frozenset)):
        return frozenset(value)
    return value


def _cache_key(pool: str, where: dict) -> tuple | None:
    """A hashable key for a filter, or None when it must not be cached (callables)."""
    if any(callable(v) for v in where.values()):
        return None  # a lambda made per call would grow the cache without bound
    key = (pool, tuple(sorted((f, _freeze(v)) for f, v in where.items())))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _matches(value: Any, wanted: Any) -> bool:
    if callable(wanted):
        return bool(wanted(value))
    if isinstance(wanted, (list, tuple, set, frozenset)):
        if isinstance(value, tuple):
            return any(v in wanted for v in value)
        return value in wanted
    if isinstance(value, tuple):
        return wanted in value
    return value == wanted


def _load_dir(root: Path) -> Pools:
    if not root.is_dir():
        raise PoolError(f"{root}: pools directory not found")
    files: dict[str, Path] = {}
    for path in sorted(root.glob("*/*.yaml")):
        if path.stem in files:
            raise PoolError(f"{path}: pool {path.stem!r} is defined twice (also in {files[path.stem]})")
        files[path.stem] = path
    pools: dict[str, tuple[PoolItem, ...]] = {}
    headers: dict[str, PoolFile] = {}
    categories: dict[str, CategoryItem] | None = None
    # Categories first: objects take the fields they leave out from their category.
    for name in sorted(files, key=lambda n: (n != "categories", n)):
        path = files[name]
        header, items = _load_file(path, path.parent.name, categories if name == "objects" else None)
        if name == "categories":
            _check_category_defaults(items, path)
            categories = {item.id: item for item in items}
        pools[name], headers[name] = items, header
    _check_references(pools, files)
    return Pools(pools, files, headers)


@functools.lru_cache(maxsize=8)
def _load_cached(root: Path, stamp: tuple) -> Pools:
    return _load_dir(root)


def load_pools(path: str | Path | None = None) -> Pools:
    """All pools under ``path`` (default: the project's ``pools/``), validated and cached.

    The cache is keyed on the files' modification times, so an edited pool file is reloaded.
    """
    root = Path(path if path is not None else POOLS_DIR).resolve()
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(root.glob("*/*.yaml"))) if root.is_dir() else ()
    return _load_cached(root, stamp)


# The field each pool's README breaks its count down by.
_BREAKDOWN = {"objects": "category", "styles": "family", "texts": "language", "causal": "type",
              "relations": "group", "scenes": "setting", "colours": "family", "materials": "family",
              "camera": "kind", "trajectories": "path", "actions": "agents"}


def readme_text(pools: Pools, group: str) -> str:
    """The README of one group folder: what each pool holds, where from, and how many."""
    names = [n for n in pools.names() if pools.group(n) == group]
    lines = [f"# pools/{group}", "",
             "Generated by `python -m ogi_toolkit.definition.pools --readme`; do not edit by hand",
             "(edit the pool files' `description` and `source`, then regenerate). Each item's fields",
             "are those of its item model in `ogi_toolkit/definition/pool_items.py`; a bad file fails",
             "at load time naming the file, item, field and what was expected.", "",
             "| pool | items | item model | what it holds |", "|---|---:|---|---|"]
    lines += [f"| `{n}.yaml` | {len(pools[n])} | `{type(pools[n][0]).__name__}` | "
              f"{pools.headers[n].description.strip()} |" for n in names]
    for name in names:
        items = pools[name]
        lines += ["", f"## {name} ({len(items)})", "", f"Source: {pools.headers[name].source.strip()}"]
        field = "kind" if isinstance(items[0], ConceptItem) else _BREAKDOWN.get(name)
        if field:
            counts: Counter = Counter()
            for item in items:
                value = getattr(item, field)
                counts.update(value if isinstance(value, tuple) else [value])
            lines += ["", f"By {field}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))]
    return "\n".join(lines) + "\n"


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def write_readmes(pools: Pools, check: bool = False) -> list[Path]:
    """Rewrite each group's README.md (or, with ``check``, only list the stale ones)."""
    stale = []
    for group in sorted({pools.group(n) for n in pools.names()}):
        path = pools.files[next(n for n in pools.names() if pools.group(n) == group)].parent / "README.md"
        text = readme_text(pools, group)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not check:
                _atomic_write(path, text)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ogi_toolkit.definition.pools", description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=None, help="pools directory (default: the project's pools/)")
    parser.add_argument("--readme", action="store_true", help="rewrite each group's README.md with the counts")
    parser.add_argument("--check", action="store_true", help="exit 1 when a README's counts are out of date")
    args = parser.parse_args(argv)
    try:
        pools = load_pools(args.dir)
    except PoolError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for name in pools.names():
        print(f"{pools.group(name):12s} {name:24s} {len(pools[name]):5d}")
    if args.readme or args.check:
        stale = write_readmes(pools, check=args.check)
        verb = "stale" if args.check else "rewrote"
        for path in stale:
            print(f"{verb}: {path}")
        return 1 if (args.check and stale) else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
