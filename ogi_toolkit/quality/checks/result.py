"""One check's result as data: ``{name, value, threshold, passed}``, plus a ``reason`` when
it could not run (``passed`` None) and fields saying what it looked at (``step``, ``text``)."""
from __future__ import annotations

from typing import Any

__all__ = ["group_of", "item_passed", "result"]


def result(name: str, value: Any, threshold: Any, passed: bool | None, reason: str | None = None,
           **about: Any) -> dict[str, Any]:
    out = {"name": name, "value": value, "threshold": threshold, "passed": passed}
    if reason is not None:
        out["reason"] = reason
    out.update({k: v for k, v in about.items() if v is not None})
    return out


def group_of(name: str) -> str:
    """The check group of a result name (its registered check: ``text`` for ``text.present``)."""
    return name.split(".", 1)[0]


def item_passed(checks: list[dict[str, Any]], groups: tuple[str, ...] | None = None) -> bool:
    """No check (of ``groups``, default all) failed; checks that could not run do not count."""
    return not any(c.get("passed") is False for c in checks if groups is None or group_of(c["name"]) in groups)
