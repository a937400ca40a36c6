"""The one safe way the package reads a YAML data file (taxonomy and pool files; through
:func:`load_yaml_file`, the models, rubric, check-threshold and plan-count files too).

Taxonomy and pool files are shared between labs like code but read like data, so reading one
must neither hang nor fail with a traceback, whatever its bytes:

* only regular files are read: a FIFO named ``*.yaml`` (which blocked every command), a
  socket, a device or a symlink loop is refused by name;
* a file over :data:`MAX_FILE_BYTES` is refused before it is read (a 50 MB pool file took
  PyYAML minutes);
* anchors and aliases are allowed (the taxonomy shares template lists with them), but a
  document whose aliases expand to more than :data:`MAX_ALIAS_NODES` extra nodes is refused
  before it is built (nine levels of nested aliases are 9^9 nodes: a "billion laughs"), and
  so is an alias inside itself;
* duplicate keys in a mapping are refused (PyYAML silently keeps the last one);
* text that is not UTF-8 is named with the byte offset where it stops being UTF-8 (UTF-16 by
  its byte order mark);
* a YAML syntax error is one line: the file, line and column, and what the parser expected.

Every error is raised as the caller's error class (``TaxonomyError``, ``PoolError``), with the
file's path first.
"""
from __future__ import annotations

import os
import reprlib
import stat
from pathlib import Path
from typing import Any, Callable

import yaml
from pydantic import BaseModel, ValidationError

__all__ = ["MAX_FILE_BYTES", "MAX_ALIAS_NODES", "brief", "file_stamp", "load_yaml_file", "read_data_file", "parse_yaml",
           "validated_mapping"]

# The project's largest data file is 120 KB; 2 MiB leaves room for 17x that (and for a pool of
# MAX_POOL_ITEMS objects) while a 3.9 MiB file of 55,000 generated items is refused unread.
MAX_FILE_BYTES = 2 * 1024 * 1024
# Nodes that aliases may add when expanded (the taxonomy's shared template lists add ~100).
MAX_ALIAS_NODES = 20_000

# libyaml's parser where PyYAML was built with it: ~5-10x faster than the pure-Python one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LIBYAML = _BaseLoader is not yaml.SafeLoader

_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


_BRIEF = reprlib.Repr()
_BRIEF.maxstring = _BRIEF.maxother = 80


def brief(value: Any) -> str:
    """``repr(value)`` cut short, for error messages: a bad value may be huge (or nested deep)."""
    return _BRIEF.repr(value)


class _UniqueKeyLoader(_BaseLoader):
    """The safe loader, refusing duplicate keys."""


def _construct_unique_mapping(loader: _BaseLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key: the base constructor reports it
            break
        if duplicate:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def file_stamp(path: Path) -> tuple[str, int]:
    """(path, modification time) for a cache key; a file that cannot be stat'ed (a symlink
    loop, a dangling link) gets -1 and is named by :func:`read_data_file` when it is read."""
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), -1


def read_data_file(path: Path, error: type[Exception]) -> bytes:
    """The file's bytes, refused (as ``error``) when it is not a regular file (a FIFO would
    block every command for ever, a device never ends) or is over :data:`MAX_FILE_BYTES`."""
    try:
        # non-blocking: opening a FIFO with no writer returns at once, and is then refused
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise error(f"{path}: is a folder, expected a YAML file") from None
    except OSError as exc:  # a symlink loop, a dangling link, no permission
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(f"{path}: is a folder, expected a YAML file")
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: is not a regular file (a FIFO, socket or device); expected a YAML file")
        if info.st_size > MAX_FILE_BYTES:
            raise error(f"{path}: file is {info.st_size / 2**20:.1f} MiB; data files are at most "
                        f"{MAX_FILE_BYTES // 2**20} MiB (split it, or check it is the file you meant)")
        try:
            raw = fh.read(MAX_FILE_BYTES + 1)  # a file that grew since fstat() is still capped
        except OSError as exc:
            raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise error(f"{path}: file is over {MAX_FILE_BYTES // 2**20} MiB; data files are at most that")
    return raw


def _decode(path: Path, raw: bytes, error: type[Exception]) -> str:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raise error(f"{path}: byte 0: {name} text (byte order mark {bom.hex(' ')}); expected UTF-8: save it as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: byte {exc.start}: not UTF-8 (byte 0x{raw[exc.start]:02x}); "
                    f"expected UTF-8 text: save the file as UTF-8") from None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_aliases(path: Path, root: yaml.Node, error: type[Exception]) -> None:
    """Refuse a document whose aliases expand past the budget, or an alias inside itself.

    An alias is the same node object as its anchor, so the expanded size of every node is
    computed once (bottom-up, without recursion): linear in the file, however deep the nesting.
    """
    sizes: dict[int, int] = {}  # id(node) -> nodes in it once aliases are expanded
    open_nodes: set[int] = set()  # nodes whose children are being sized (an ancestor path)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            continue
        if key in sizes:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                mark = child.start_mark
                raise error(f"{path} line {mark.line + 1}: an alias refers to a node that contains it; "
                            f"expected no recursive anchors")
            if id(child) not in sizes:
                stack.append((child, False))
    extra = sizes[id(root)] - len(sizes)
    if extra > MAX_ALIAS_NODES:
        raise error(f"{path}: aliases expand to {extra:,} more nodes; at most {MAX_ALIAS_NODES:,} are "
                    f"allowed (nested anchors that multiply, a 'billion laughs', are refused)")


def _one_line(path: Path, exc: yaml.YAMLError, text: str) -> str:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML forbids (NUL, other controls)
        # libyaml counts bytes of the UTF-8 input; the pure-Python reader counts characters
        at = exc.position if _LIBYAML else len(text[: exc.position].encode("utf-8"))
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return (f"{path}: byte {at}: not valid YAML: character U+{code:04X} is not allowed "
                f"(control characters other than tab and newline are refused)")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f" line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    detail = f"{context}, {problem}" if context else problem
    return f"{path}{where}: not valid YAML: {' '.join(str(detail).split())}"


def parse_yaml(path: Path, raw: bytes, error: type[Exception],
               check: Callable[[yaml.Node], None] | None = None) -> tuple[Any, yaml.Node | None]:
    """The data of ``raw`` (the bytes of ``path``) and its root node (None for an empty file).

    Errors are ``error`` with the path first; see the module docstring for what is refused.
    ``check``, when given, sees the root node before anything is built from it (a caller's
    limits, checked before the work they bound).
    """
    if len(raw) > MAX_FILE_BYTES:
        raise error(f"{path}: file is over {MAX_FILE_BYTES // 2**20} MiB; data files are at most that")
    text = _decode(path, raw, error)
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        if check is not None:
            check(node)
        _check_aliases(path, node, error)
        return loader.construct_document(node), node
    except yaml.YAMLError as exc:
        raise error(_one_line(path, exc, text)) from None
    except RecursionError:
        raise error(f"{path}: nested too deeply to read; expected at most a few hundred levels") from None
    finally:
        loader.dispose()


def load_yaml_file(path: str | Path, what: str = "") -> Any:
    """The data of the YAML file ``path``, read with every guard above. For the configuration
    files outside the taxonomy (models, rubrics, check thresholds, plan counts): a missing file is
    FileNotFoundError, anything else a ValueError starting with ``what`` and the file."""
    path = Path(path)
    prefix = f"{what} " if what else ""
    if not path.exists() and not path.is_symlink():
        raise FileNotFoundError(f"{prefix}{path} does not exist")

    def error(message: str) -> ValueError:
        return ValueError(prefix + message)

    return parse_yaml(path, read_data_file(path, error), error)[0]


def validated_mapping(model: type[BaseModel], data: Any, what: str, path: str | Path) -> BaseModel:
    """``data`` (a file's top mapping) as ``model``; a ValueError naming ``what``, the file and each
    key that does not validate."""
    if not isinstance(data, dict):
        raise ValueError(f"{what} {path}: expected a mapping at the top, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors())
        raise ValueError(f"{what} {path}: {problems}") from None
