"""Text checks: every string the spec says the output must show is read with Tesseract, and
every string an edit takes away must no longer be found (see :mod:`.ocr`)."""
from __future__ import annotations

from typing import Any

from PIL import Image

from pydantic import Field

from ..config import Section
from ..items import CheckStep, TextExpectation
from ..ocr import OcrTimeout, read_text, substring_distance, tesseract_language, tesseract_missing
from ..registry import StepImages, register
from ..result import result

__all__ = ["TextConfig", "text_checks"]


class TextConfig(Section):
    max_distance: float = Field(ge=0, le=1)
    min_gone_distance: float = Field(ge=0, le=1)
    target_letter_px: int = Field(ge=8, le=200)
    retry_letter_px: list[int] = Field(default_factory=list)
    languages: dict[str, str]
    scripts: dict[str, str]
    report_only_scripts: list[str] = Field(default_factory=list)


_SHOWN = 200  # characters of what was read kept in the result


def _one(t: TextExpectation, image: Image.Image, lang: str, cfg: TextConfig, page: dict[str, str]) -> dict[str, Any]:
    about = {"step": None, "text": t.text, "script": t.script, "why": t.why, "basis": "layout box" if t.box else "whole image"}
    if t.box is not None:
        read = read_text(image, lang, t.box, t.size, cfg.target_letter_px)
        d = substring_distance(t.text, read)
        for letter_px in cfg.retry_letter_px if t.present else ():
            if d == 0.0:
                break
            again = read_text(image, lang, t.box, t.size, letter_px)
            if substring_distance(t.text, again) < d:
                read, d = again, substring_distance(t.text, again)
        if not t.present:  # and nowhere else either
            if lang not in page:
                page[lang] = read_text(image, lang)
            d = min(d, substring_distance(t.text, page[lang]))
            read = read + "\n" + page[lang]
    else:
        if lang not in page:
            page[lang] = read_text(image, lang)
        read = page[lang]
        d = substring_distance(t.text, read)
    report_only = t.script in cfg.report_only_scripts
    if t.present:
        passed = d <= cfg.max_distance
        name, threshold = "text.present", cfg.max_distance
        about["exact"] = d == 0.0
    else:
        passed = d >= cfg.min_gone_distance
        name, threshold = "text.gone", cfg.min_gone_distance
    reason = f"script {t.script} is reported only (checks config text.report_only_scripts)" if report_only else None
    return result(name, round(d, 4), threshold, None if report_only else passed, reason,
                  read=" ".join(read.split())[:_SHOWN], **about)


@register("text", config=TextConfig, defaults="text.yaml", order=30,
          reads="the output's pixels (Tesseract) and the spec's strings; layout boxes say where to read")
def text_checks(view: StepImages, cfg: TextConfig) -> list[dict[str, Any]]:
    step, image = view.step, view.output
    out = []
    page: dict[str, str] = {}  # whole-image reads, one per Tesseract language
    for t in step.texts:
        lang = tesseract_language(t.language, t.script, cfg.languages, cfg.scripts)
        if lang is None:
            wanted = cfg.languages.get(t.language) or cfg.scripts.get(t.script)
            why = (tesseract_missing(wanted) if wanted else None) or f"no traineddata named for {t.language} ({t.script})"
            out.append(_not_checked(t, step, cfg, why))
            continue
        try:
            checked = _one(t, image, lang, cfg, page)
        except OcrTimeout as exc:
            out.append(_not_checked(t, step, cfg, str(exc)))
            continue
        checked["step"] = step.name
        out.append(checked)
    return out


def _not_checked(t: TextExpectation, step: CheckStep, cfg: TextConfig, why: str) -> dict[str, Any]:
    """A text that could not be read: no value, passed null, and why (never a pass or a failure)."""
    name = "text.present" if t.present else "text.gone"
    threshold = cfg.max_distance if t.present else cfg.min_gone_distance
    return result(name, None, threshold, None, f"text not checked: {why}",
                  step=step.name, text=t.text, script=t.script, why=t.why)
