"""Read and validate pool files: YAML without duplicate keys, typed items, cross-pool references.

Every error names the file, the item (index, line, id), the field and what was expected.
``read_pool_dir`` is the one entry point; ``pools.load_pools`` wraps its result in ``Pools``.
"""
from __future__ import annotations

import difflib
import functools
import hashlib
from pathlib import Path
from typing import Any

import pydantic
import yaml
from pydantic import ValidationError

from ogi_toolkit.definition import pool_items
from ogi_toolkit.disk_cache import cached
from ogi_toolkit.definition.yaml_files import brief, parse_yaml, read_data_file
from ogi_toolkit.definition.pool_items import (
    GROUP_SCHEMAS, SCHEMAS, CategoryItem, ObjectItem, PoolFile, PoolItem, item_fields, validate_item,
)

__all__ = ["MAX_POOL_ITEMS", "PoolError", "read_pool_dir"]

# Items of one pool file: the largest pool (objects) has ~900; every builder's candidate lists
# and the load-time checks grow with it, so a file of 55,000 generated items is refused.
MAX_POOL_ITEMS = 10_000


class PoolError(ValueError):
    """A pool file is malformed; the message names the file, item, field and expectation."""


# Part of the parsed-YAML cache key: change it when _read_yaml's result changes shape.
_PARSE_VERSION = "pool-yaml-3"


@functools.cache
def _items_version() -> tuple[str, ...]:
    """Part of the validated-items cache key: the code that validates them."""
    code = Path(pool_items.__file__).read_bytes() + Path(__file__).read_bytes()
    return ("pool-items-1", pydantic.VERSION, hashlib.sha256(code).hexdigest())


def _read_yaml(path: Path, raw: bytes) -> tuple[Any, list[int]]:
    """The file's data and the line number of each entry of its ``items`` list (kept on disk
    by the file's bytes: parsing is most of the time it takes to load the pools)."""
    return cached("yaml", (_PARSE_VERSION, yaml.__version__, raw), lambda: _parse_yaml(path, raw))


def _check_item_count(path: Path, node: yaml.Node) -> None:
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        if key.value == "items" and isinstance(value, yaml.SequenceNode) and len(value.value) > MAX_POOL_ITEMS:
            raise PoolError(f"{path}: {len(value.value):,} items; a pool file holds at most {MAX_POOL_ITEMS:,} "
                            "(split it into several pools, or check it is the file you meant)")


def _parse_yaml(path: Path, raw: bytes) -> tuple[Any, list[int]]:
    data, node = parse_yaml(path, raw, PoolError, check=functools.partial(_check_item_count, path))
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
        got = "" if err["type"] == "missing" else f", got {brief(err['input'])}"
        # (the item models are dataclasses: pydantic words an unknown field as a keyword argument)
        message = "unknown field" if err["type"] == "unexpected_keyword_argument" else err["msg"]
        parts.append(f"field {field!r}: {message}{got}")
    return "; ".join(parts)


def _load_file(path: Path, group: str, categories: dict[str, CategoryItem] | None = None,
               ) -> tuple[PoolFile, tuple[PoolItem, ...]]:
    """Validate one pool file. ``categories`` (objects only) fill fields an object leaves out.

    The validated items' fields are kept on disk by the file's bytes (and the categories'
    defaults, and the validating code): validating ~3,000 items, and building the validators
    first, was most of the time a fresh process spent loading the pools."""
    raw = read_data_file(path, PoolError)
    data, lines = _read_yaml(path, raw)
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
    defaults = repr(sorted((k, sorted(c.defaults.items())) for k, c in categories.items())) if categories else ""
    fields = cached("pool-items", (*_items_version(), schema, defaults, raw),
                    lambda: [vars(item) for item in _validate_items(path, header, lines, model, schema, categories)])
    return header, tuple(_restore(model, f) for f in fields)


def _restore(model: type[PoolItem], fields: dict) -> PoolItem:
    """An item from the fields an earlier validation gave (the frozen dataclass's own state)."""
    item = object.__new__(model)
    object.__setattr__(item, "__dict__", fields)
    return item


def _validate_items(path: Path, header: PoolFile, lines: list[int], model: type[PoolItem], schema: str,
                    categories: dict[str, CategoryItem] | None) -> list[PoolItem]:
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
            item = validate_item(model, raw)
        except ValidationError as err:
            raise PoolError(f"{where}: {_describe(err.errors())} "
                            f"(schema {schema!r}, fields {sorted(item_fields(model))})") from None
        if item.id in ids:
            raise PoolError(f"{where}: field 'id': duplicate id {item.id!r} (first at item {ids[item.id]})")
        if model.unique_names and item.name.lower() in names:
            raise PoolError(f"{where}: field 'name': duplicate name {item.name!r} "
                            f"(first at item {names[item.name.lower()]})")
        ids[item.id] = index
        names.setdefault(item.name.lower(), index)
        items.append(item)
    return items


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
    allowed = set(item_fields(ObjectItem)) - {"id", "name", "category"}
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
        known = {other.id for other in pools[target]} if target in pools else set()
        for index, item in enumerate(pools.get(pool, ())):
            value = getattr(item, field)
            refs = (value,) if isinstance(value, str) else (value or ())
            if not refs:
                continue
            if target not in pools:
                raise PoolError(f"{files[pool]}: item {index} id {item.id!r}: field {field!r} refers to "
                                f"pool {target!r}, which is not in this pools directory")
            for ref in refs:
                if ref not in known:
                    close = difflib.get_close_matches(ref, known, n=3)
                    raise PoolError(f"{files[pool]}: item {index} id {item.id!r}: field {field!r}: "
                                    f"{ref!r} is not an id of pool {target!r} (close: {close})")


def read_pool_dir(root: Path) -> tuple[dict[str, tuple[PoolItem, ...]], dict[str, Path], dict[str, PoolFile]]:
    """Validate every ``<group>/<pool>.yaml`` under ``root``: items, files and headers by pool name."""
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
    return pools, files, headers
