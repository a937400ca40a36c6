"""Mutations of taxonomy and pool files, as a hostile or careless editor would make them.

Each :class:`Mutation` turns a file's bytes into new bytes, seeded, so a failing case is
replayed by its name and seed. ``bad`` says whether the result is certainly invalid (every
loader must refuse it, naming the file); the other mutations (a flipped letter, a deleted
line, a cut) may or may not break the file, and the fuzz test checks only that the commands
agree about it and never crash or hang.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable

__all__ = ["Mutation", "TAXONOMY_BAD", "TAXONOMY_UNKNOWN", "POOL_BAD", "POOL_UNKNOWN", "cases"]


@dataclass(frozen=True)
class Mutation:
    name: str
    bad: bool  # certainly invalid: must be refused
    apply: Callable[[bytes, random.Random], bytes]

    def __repr__(self) -> str:
        return self.name


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _pick_line(data: bytes, rng: random.Random, pattern: bytes) -> int:
    """Index of a random line matching ``pattern`` (a regex)."""
    lines = _lines(data)
    matches = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    if not matches:
        raise LookupError(f"no line matches {pattern!r}")
    return rng.choice(matches)


def _replace_line(data: bytes, rng: random.Random, pattern: bytes, change: Callable[[bytes], bytes]) -> bytes:
    lines = _lines(data)
    i = _pick_line(data, rng, pattern)
    lines[i] = change(lines[i])
    return b"".join(lines)


def _insert_after(data: bytes, rng: random.Random, pattern: bytes, extra: Callable[[bytes], bytes]) -> bytes:
    lines = _lines(data)
    i = _pick_line(data, rng, pattern)
    lines.insert(i + 1, extra(lines[i]))
    return b"".join(lines)


def _indent(line: bytes) -> bytes:
    return line[: len(line) - len(line.lstrip(b" "))]


# --- byte-level: any file --------------------------------------------------------------------

def _bad_utf8(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.choice([b"\xff", b"\xc3\x28", b"\xe9", b"\x80\x80"]) + data[at:]


def _utf16(data: bytes, rng: random.Random) -> bytes:
    return data.decode("utf-8").encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be"]) if rng.random() < 0.5 else "utf-16")


def _nul(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + b"\x00" + data[at:]


def _binary(data: bytes, rng: random.Random) -> bytes:
    return bytes(rng.randrange(256) for _ in range(rng.randrange(64, 2048))) + b"\xff"


def _oversize(data: bytes, rng: random.Random) -> bytes:
    comment = b"# " + b"x" * 1100 + b"\n"
    return data + comment * (4 * 1024 + rng.randrange(1, 64))


def _alias_bomb(data: bytes, rng: random.Random) -> bytes:
    levels = rng.randrange(7, 11)
    lines = [b'b0: &b0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [b"b%d: &b%d [%s]" % (i, i, b", ".join([b"*b%d" % (i - 1)] * 9)) for i in range(1, levels)]
    return b"\n".join(lines) + b"\n" + data


def _recursive_alias(data: bytes, rng: random.Random) -> bytes:
    return b"loop: &loop [1, *loop]\n" + data


def _deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.randrange(200, 20_000)
    return b"deep: " + b"[" * depth + b"]" * depth + b"\n" + data


def _cut_inside_flow(data: bytes, rng: random.Random) -> bytes:
    """Truncated in the middle of a ``{...}`` or ``[...]``: an unclosed collection."""
    lines = _lines(data)
    i = _pick_line(data, rng, rb"[{\[].*[}\]]")
    line = lines[i]
    start = max(line.index(b"{") if b"{" in line else line.index(b"["), 0)
    cut = rng.randrange(start + 1, len(line.rstrip()) - 1) if len(line.rstrip()) - 1 > start + 1 else start + 1
    return b"".join(lines[:i]) + line[:cut]


def _flip_letter(data: bytes, rng: random.Random) -> bytes:
    positions = [m.start() for m in re.finditer(rb"[a-z]", data)]
    at = rng.choice(positions)
    return data[:at] + bytes([rng.choice(b"abcdefghijklmnopqrstuvwxyz_:{}[]-&*!|>")]) + data[at + 1:]


def _delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def _swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _reindent(data: bytes, rng: random.Random) -> bytes:
    return _replace_line(data, rng, rb"^ +\S", lambda line: b" " * rng.choice([1, 3, 5, 9]) + line.lstrip(b" "))


BYTES_BAD = [
    Mutation("bad_utf8", True, _bad_utf8),
    Mutation("utf16", True, _utf16),
    Mutation("nul_byte", True, _nul),
    Mutation("binary", True, _binary),
    Mutation("oversize", True, _oversize),
    Mutation("alias_bomb", True, _alias_bomb),
    Mutation("recursive_alias", True, _recursive_alias),
    Mutation("cut_inside_flow", True, _cut_inside_flow),
]
BYTES_UNKNOWN = [
    Mutation("flip_letter", False, _flip_letter),
    Mutation("delete_line", False, _delete_line),
    Mutation("swap_lines", False, _swap_lines),
    Mutation("truncate", False, _truncate),
    Mutation("reindent", False, _reindent),
    Mutation("deep_nesting", False, _deep_nesting),  # an unknown top-level key is bad; too deep is too
]


# --- taxonomy files --------------------------------------------------------------------------

def _template_text(payload: str) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        return _insert_after(data, rng, rb"^ +templates:\s*$",
                             lambda line: _indent(line) + b"  - {id: fuzz_t, text: \"" + payload.encode() + b"\"}\n")
    return mutate


def _subtask_key(key: bytes, value: bytes) -> Callable[[bytes, random.Random], bytes]:
    """Adds (or, for a key already there, duplicates) ``key: value`` in a subtask."""
    def mutate(data: bytes, rng: random.Random) -> bytes:
        return _insert_after(data, rng, rb"^    name: ", lambda line: b"    " + key + b": " + value + b"\n")
    return mutate


def _set_value(key: bytes, value: bytes) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        return _replace_line(data, rng, rb"^    " + key + rb":", lambda line: b"    " + key + b": " + value + b"\n")
    return mutate


def _drop_key(key: bytes) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        lines = _lines(data)
        i = _pick_line(data, rng, rb"^    " + key + rb":")
        end = i + 1
        while end < len(lines) and (lines[end].startswith(b"      ") or not lines[end].strip()):
            end += 1  # the key's block (a folded text, a mapping)
        return b"".join(lines[:i] + lines[end:])
    return mutate


TAXONOMY_BAD = BYTES_BAD + [
    Mutation("dunder_template", True, _template_text("{{ ''.__class__.__mro__[1].__subclasses__()|length }}")),
    Mutation("dunder_item", True, _template_text("{{ style['__class__'] }}")),
    Mutation("divide_by_zero", True, _template_text("Draw {{ 1 // 0 }} things.")),
    Mutation("huge_power", True, _template_text("Draw {{ 9 ** 999 }} things.")),
    # work and memory a render must not spend (#22 item 4)
    Mutation("nested_loops", True, _template_text(
        "Draw {% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %} things.")),
    Mutation("chained_powers", True, _template_text("Draw {{ ((9 ** 64) ** 64) ** 64 }} things.")),
    Mutation("percent_width", True, _template_text("Draw {{ '%100000000d' % 1 }} things.")),
    Mutation("center_width", True, _template_text("Draw {{ 'a'|center(100000000) }} things.")),
    Mutation("format_width", True, _template_text("Draw {{ '{:100000000}'.format(1) }} things.")),
    Mutation("loop_output", True, _template_text("Draw {% for i in range(9000) %}{{ 'abcdefghij' * 9 }}{% endfor %}.")),
    # silently accepted before (#22 item 5)
    Mutation("digits_only_template", True, _template_text("12345")),
    Mutation("target_true", True, _set_value(b"target", b"true")),
    Mutation("target_1e20", True, _set_value(b"target", b"1e20")),
    Mutation("target_float_1e20", True, _set_value(b"target", b"1.0e+20")),
    Mutation("long_subtask_id", True, lambda data, rng: _replace_line(
        data, rng, rb"^  - id: ", lambda line: b"  - id: s" + b"a" * 10_000 + b"\n")),
    Mutation("unknown_slot", True, _template_text("Draw {{ no_such_slot }}.")),
    Mutation("unknown_filter", True, _template_text("Draw {{ style|no_such_filter }}.")),
    Mutation("unclosed_tag", True, _template_text("Draw {% if style %} it.")),
    Mutation("unknown_builder", True, _set_value(b"builder", b"no_such_builder")),
    Mutation("unknown_param", True, lambda data, rng: _replace_line(
        data, rng, rb"^    params: \{", lambda line: line.replace(b"params: {", b"params: {famly: photographic, "))),
    Mutation("mix_sums_to_two", True, _set_value(b"difficulty_mix", b"{1: 1.0, 2: 0.6, 3: 0.4}")),
    Mutation("negative_target", True, _set_value(b"target", b"-5")),
    Mutation("target_as_text", True, _set_value(b"target", b"lots")),
    Mutation("duplicate_key", True, _subtask_key(b"target", b"7")),
    Mutation("unknown_key", True, _subtask_key(b"colour_scheme", b"blue")),
    Mutation("no_definition", True, _drop_key(b"definition")),
    Mutation("no_builder", True, _drop_key(b"builder")),
    Mutation("nested_includes", True, _set_value(b"boundary", b"{includes: [[[[[[deep]]]]]]}")),
]
TAXONOMY_UNKNOWN = BYTES_UNKNOWN


# --- pool files --------------------------------------------------------------------------------

def _item_line(change: Callable[[bytes], bytes]) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        return _replace_line(data, rng, rb"^  - \{id: ", change)
    return mutate


def _duplicate_item(data: bytes, rng: random.Random) -> bytes:
    return _insert_after(data, rng, rb"^  - \{id: ", lambda line: line)


POOL_BAD = BYTES_BAD + [
    Mutation("unknown_field", True, _item_line(lambda line: line.replace(b"{id: ", b"{shade: dark, id: ", 1))),
    Mutation("no_name", True, _item_line(lambda line: re.sub(rb"name: [^,}]+, ", b"", line, count=1))),
    Mutation("empty_id", True, _item_line(lambda line: re.sub(rb"id: [^,}]+", b"id: ''", line, count=1))),
    Mutation("bad_id", True, _item_line(lambda line: re.sub(rb"id: [^,}]+", b"id: Not An Id", line, count=1))),
    Mutation("duplicate_item", True, _duplicate_item),
    Mutation("wrong_pool_name", True, lambda data, rng: re.sub(rb"^pool: \w+", b"pool: wrong_name", data, count=1)),
    Mutation("no_header", True, lambda data, rng: re.sub(rb"^description: .*\n", b"", data, count=1, flags=re.M)),
    Mutation("items_not_a_list", True, lambda data, rng: data.split(b"\nitems:")[0] + b"\nitems: {a: 1}\n"),
    Mutation("duplicate_key", True, lambda data, rng: data.replace(b"\nitems:", b"\nsource: again\nitems:", 1)),
    Mutation("too_many_items", True, lambda data, rng: data + b"".join(
        b"  - {id: fuzz_%d, name: fuzz %d}\n" % (i, i) for i in range(10_001))),
]
POOL_UNKNOWN = BYTES_UNKNOWN


def cases(mutations: list[Mutation], files: list[str], per_mutation: int, seed: int = 0) -> list[tuple[Mutation, str, int]]:
    """(mutation, file, seed) triples: every mutation ``per_mutation`` times, over ``files`` in turn."""
    rng = random.Random(seed)
    out = []
    for i, mutation in enumerate(mutations):
        for k in range(per_mutation):
            out.append((mutation, files[(i + k) % len(files)], rng.randrange(2**32)))
    return out
