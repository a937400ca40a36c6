"""Query the resource pools (``pools/<group>/<pool>.yaml``), validated at load time.

    pools = load_pools()                       # cached; pools/ of the project
    pools.get("objects", "apple").article      # 'an'
    pools.sample(rng, "objects", k=3, category="animal")

A bad pool file fails at load time (see ``pool_files``) with the file, the item, the field and
what was expected. ``python -m ogi_toolkit.definition.pools --readme`` rewrites each group's
README.md with the real counts (``--check`` only reports stale ones).
"""
from __future__ import annotations

import argparse
import difflib
import functools
import re
import sys
from pathlib import Path
from typing import Any, Iterable

from ogi_toolkit.definition.pool_files import PoolError, read_pool_dir
from ogi_toolkit.definition.pool_items import ObjectItem, PoolFile, PoolItem, item_fields
from ogi_toolkit.definition.yaml_files import file_stamp
from ogi_toolkit.paths import POOLS_DIR

__all__ = ["PoolError", "Pools", "load_pools"]


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

    def restricted(self, pool: str, keep: Iterable[str]) -> "Pools":
        """These pools with ``pool`` drawn only from the items ``keep`` (ids): indexing, ``filter``
        and ``sample`` see just those, while ``get`` still finds every item, since other items
        name them (an object's natural colours, a scene's objects)."""
        wanted = set(keep)
        unknown = sorted(wanted - {item.id for item in self[pool]})
        if unknown:
            raise KeyError(f"pool {pool!r} has no item(s) {unknown}")
        if not wanted:
            raise ValueError(f"pool {pool!r}: a restriction needs at least one item")
        view = Pools({**self._pools, pool: tuple(i for i in self._pools[pool] if i.id in wanted)}, self.files, self.headers)
        view._by_key[pool] = self._by_key[pool]
        return view

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
                raise KeyError(f"pool {pool!r} has no field {field!r}; fields: {sorted(item_fields(type(items[0])))}")
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

    def objects_named_in(self, text: str, limit: int | None = None, skip: frozenset[str] = frozenset()) -> tuple[ObjectItem, ...]:
        """Objects ``text`` names (singular or plural), first mention first, each once, at most
        ``limit``. Read word by word, the longest name that starts at a word wins ("oak tree"
        over "tree", "glass of lemonade" over "glass"). ``skip``: names never taken (pool names
        that also read as other words in prose: "the rooster crows"). Memoised per text."""
        def compute() -> tuple:
            forms, longest = self._memo(("name_forms", skip), lambda: _name_forms(self["objects"], skip))
            words = _WORD.findall(text.lower())
            found: dict = {}  # id -> item, in order of first mention
            i = 0
            while i < len(words) and (limit is None or len(found) < limit):
                for n in range(min(longest, len(words) - i), 0, -1):
                    item = forms.get(tuple(words[i:i + n]))
                    if item is not None:
                        found.setdefault(item.id, item)
                        i += n
                        break
                else:
                    i += 1
            return tuple(found.values())
        return self._memo(("objects_named_in", text, limit, skip), compute)

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
        n = len(found)
        picks = [int(x * n) for x in rng.random(k).tolist()]
        taken = set()
        for slot, pick in enumerate(picks):
            while pick in banned or (distinct and pick in taken):
                pick = int(rng.random() * n)
            picks[slot] = pick
            taken.add(pick)
        return [found[i] for i in picks]


_WORD = re.compile(r"\w+")


def _name_forms(objects, skip: frozenset[str]) -> tuple[dict, int]:
    """(a name's word tuple -> object, most words in a name): singular and plural forms; of two
    objects sharing a form, the one with the longer name keeps it."""
    forms: dict = {}
    for item in sorted(objects, key=lambda i: -len(i.name)):
        if item.name.lower() not in skip:
            for form in (item.name, item.plural):
                forms.setdefault(tuple(_WORD.findall(form.lower())), item)
    return forms, max(map(len, forms), default=1)


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


@functools.lru_cache(maxsize=8)
def _load_cached(root: Path, stamp: tuple) -> Pools:
    return Pools(*read_pool_dir(root))


def load_pools(path: str | Path | None = None) -> Pools:
    """All pools under ``path`` (default: the project's ``pools/``), validated and cached.

    The cache is keyed on the files' modification times, so an edited pool file is reloaded.
    """
    root = Path(path if path is not None else POOLS_DIR).resolve()
    stamp = tuple(file_stamp(p) for p in sorted(root.glob("*/*.yaml"))) if root.is_dir() else ()
    return _load_cached(root, stamp)



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
        from ogi_toolkit.definition.pool_readme import write_readmes  # the README writer imports this module

        stale = write_readmes(pools, check=args.check)
        verb = "stale" if args.check else "rewrote"
        for path in stale:
            print(f"{verb}: {path}")
        return 1 if (args.check and stale) else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
