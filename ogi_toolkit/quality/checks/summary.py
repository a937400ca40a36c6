"""Pass rates of a check run: per check name, and OCR exact-match rates per script."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

__all__ = ["failures_table", "format_rates", "ocr_rates", "pass_rates"]


def pass_rates(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{check name: {passed, failed, not_run, rate}} over every result of that check, and
    ``items`` for whole items (rate = share passed of those that ran)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"passed": 0, "failed": 0, "not_run": 0})
    for line in lines:
        counts["items"]["passed" if line["passed"] else "failed"] += 1
        for c in line["checks"]:
            counts[c["name"]]["passed" if c["passed"] else "not_run" if c["passed"] is None else "failed"] += 1
    out = {}
    for name, n in sorted(counts.items(), key=lambda kv: (kv[0] != "items", kv[0])):
        ran = n["passed"] + n["failed"]
        out[name] = {**n, "rate": round(n["passed"] / ran, 4) if ran else None}
    return out


def ocr_rates(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{script: {texts, exact, exact_rate, read, unreadable}} over the texts that must be present."""
    out: dict[str, dict[str, Any]] = defaultdict(lambda: {"texts": 0, "exact": 0, "read": 0, "unreadable": 0})
    for line in lines:
        for c in line["checks"]:
            if c["name"] != "text.present":
                continue
            s = out[c.get("script", "?")]
            s["texts"] += 1
            if c["value"] is None:
                s["unreadable"] += 1
                continue
            s["exact"] += bool(c.get("exact"))
            s["read"] += c["value"] <= c["threshold"]
    for s in out.values():
        s["exact_rate"] = round(s["exact"] / s["texts"], 4) if s["texts"] else None
    return dict(sorted(out.items()))


def format_rates(lines: list[dict[str, Any]]) -> str:
    rates = pass_rates(lines)
    rows = [f"  {name:36s} {r['rate'] * 100:6.1f}%  ({r['passed']} passed, {r['failed']} failed"
            + (f", {r['not_run']} could not run" if r["not_run"] else "") + ")"
            for name, r in rates.items() if r["rate"] is not None]
    ocr = ocr_rates(lines)
    if ocr:
        rows.append("  OCR exact match by script: " + ", ".join(
            f"{script} {s['exact']}/{s['texts']}" + (f" ({s['unreadable']} unreadable)" if s["unreadable"] else "")
            for script, s in ocr.items()))
    return "\n".join(rows)


def failures_table(lines: list[dict[str, Any]]):
    """Every failed check as a row (id, check, step, value, threshold, reason, failed_checks),
    worst items first: most failed checks, then by id."""
    import pandas as pd

    rows = [{"id": line["id"], "check": c["name"], "step": c.get("step"), "value": c["value"],
             "threshold": c["threshold"], "reason": c.get("reason") or c.get("text")}
            for line in lines for c in line["checks"] if c["passed"] is False]
    table = pd.DataFrame(rows, columns=["id", "check", "step", "value", "threshold", "reason"])
    table["failed_checks"] = table.groupby("id")["check"].transform("size")
    return table.sort_values(["failed_checks", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
