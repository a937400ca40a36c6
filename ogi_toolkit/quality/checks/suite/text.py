"""Text checks: every string the spec says the output must show is read with Tesseract, and
every string an edit takes away must no longer be found (see :mod:`.ocr`)."""
from __future__ import annotations

from typing import Any

from PIL import Image

from pydantic import Field

from ..config import Section
from ..items import CheckStep, TextExpectation
from ..ocr import OcrTimeout, normalise, read_text, substring_distance, tesseract_language, tesseract_missing
from ..registry import StepImages, register
from ..result import result

__all__ = ["TextConfig", "text_checks"]


class TextConfig(Section):
    exact_up_to: int = Field(ge=0)
    errors_per_char: float = Field(ge=0, le=1)
    min_gone_distance: float = Field(ge=0, le=1)
    target_letter_px: int = Field(ge=8, le=200)
    retry_letter_px: list[int] = Field(default_factory=list)
    languages: dict[str, str]
    scripts: dict[str, str]
    report_only_scripts: list[str] = Field(default_factory=list)
    whole_image_max_distance: float = Field(ge=0, le=1)
    label_min_length: int = Field(ge=1)
    label_max_distance: float = Field(ge=0, le=1)
    min_labels_read: float = Field(ge=0, le=1)


_SHOWN = 200  # characters of what was read kept in the result


def allowed_errors(text: str, cfg: TextConfig) -> int:
    """How many wrong characters a read of ``text`` may have and still count as the text: none
    up to ``exact_up_to`` characters (one wrong letter in a short word is a misspelling), then
    ``errors_per_char`` of its length, rounded down."""
    n = len(normalise(text))
    return 0 if n <= cfg.exact_up_to else int(n * cfg.errors_per_char)


def _errors(text: str, read: str) -> int:
    return round(substring_distance(text, read) * len(normalise(text)))


def _page(image: Image.Image, lang: str, page: dict[str, str]) -> str:
    if lang not in page:
        page[lang] = read_text(image, lang)
    return page[lang]


def _one(t: TextExpectation, image: Image.Image, lang: str, cfg: TextConfig, page: dict[str, str]) -> dict[str, Any]:
    about = {"step": None, "text": t.text, "script": t.script, "why": t.why, "basis": "layout box" if t.box else "whole image"}
    if t.box is not None:
        read = read_text(image, lang, t.box, t.size, cfg.target_letter_px)
        # a second read only to rescue a failed exact match (a wrong picture reads wrong at every size)
        for letter_px in cfg.retry_letter_px if t.present else ():
            if _errors(t.text, read) == 0:
                break
            again = read_text(image, lang, t.box, t.size, letter_px)
            if _errors(t.text, again) < _errors(t.text, read):
                read = again
        if not t.present:  # gone from its box, and from everywhere else too
            read = read + "\n" + _page(image, lang, page)
        elif _errors(t.text, read) and _errors(t.text, _page(image, lang, page)) < _errors(t.text, read):
            read = page[lang]  # drawn, but elsewhere than the record says
    else:
        read = _page(image, lang, page)
        if t.present and _errors(t.text, read):  # read the whole picture again, larger
            again = read_text(image, lang, None, cfg.target_letter_px // 3, cfg.target_letter_px)
            if _errors(t.text, again) < _errors(t.text, read):
                read = again
    d = substring_distance(t.text, read)
    errors = _errors(t.text, read)
    report_only = t.script in cfg.report_only_scripts
    if t.present and t.box is None:
        # a whole-picture read (no layout box) is too noisy to ask for exactness: the loose
        # distance (a misspelling there is the judge's to see)
        passed = d <= cfg.whole_image_max_distance
        name, value, threshold = "text.present", round(d, 4), cfg.whole_image_max_distance
        about["exact"] = errors == 0
        about["distance"] = round(d, 4)
    elif t.present:
        allowed = allowed_errors(t.text, cfg)
        passed = errors <= allowed
        name, value, threshold = "text.present", errors, allowed
        about["exact"] = errors == 0
        about["distance"] = round(d, 4)
    else:
        passed = d >= cfg.min_gone_distance
        name, value, threshold = "text.gone", round(d, 4), cfg.min_gone_distance
    reason = f"script {t.script} is reported only (checks config text.report_only_scripts)" if report_only else \
        None if passed else ("not read as written" if t.present else "still there")
    return result(name, value, threshold, None if report_only else passed, reason,
                  read=" ".join(read.split())[:_SHOWN], **about)


def _labels(view: StepImages, labels: list[TextExpectation], cfg: TextConfig, page: dict[str, str]) -> dict[str, Any]:
    """A scientific figure's labels as one result: the share read within ``label_max_distance``
    (plots set labels small, rotated and in mathematical signs, which Tesseract reads loosely;
    another figure's labels are not there at all)."""
    lang = tesseract_language("en", "Latn", cfg.languages, cfg.scripts)
    if lang is None:
        return result("text.labels", None, cfg.min_labels_read, None, "unreadable: no Tesseract pack for Latin",
                      step=view.step.name)
    if not any(t.box for t in labels):  # whole-figure OCR misses most labels of a clean figure
        return result("text.labels", None, cfg.min_labels_read, None,
                      "not checked: no label boxes (layout record) to read the labels from", step=view.step.name,
                      labels=len(labels), basis="whole image")
    found, missing = 0, []
    for t in labels:
        checked = _one(t, view.output, lang, cfg, page)
        if checked["distance"] <= cfg.label_max_distance:
            found += 1
        else:
            missing.append(t.text)
    share = found / len(labels)
    ok = share >= cfg.min_labels_read
    return result("text.labels", round(share, 3), cfg.min_labels_read, ok,
                  None if ok else f"labels not found: {', '.join(missing)[:120]}", step=view.step.name,
                  labels=len(labels), basis="layout boxes" if any(t.box for t in labels) else "whole image")


@register("text", config=TextConfig, defaults="text.yaml", order=30,
          reads="the output's pixels (Tesseract) and the spec's strings; layout boxes say where to read")
def text_checks(view: StepImages, cfg: TextConfig) -> list[dict[str, Any]]:
    step, image = view.step, view.output
    out: list[dict[str, Any]] = []
    page: dict[str, str] = {}  # whole-image reads, one per Tesseract language
    labels = [t for t in step.texts if t.why == "science label" and len(normalise(t.text)) >= cfg.label_min_length]
    if labels:
        out.append(_labels(view, labels, cfg, page))
    for t in step.texts:
        if t.why == "science label":
            continue
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
    threshold = (allowed_errors(t.text, cfg) if t.box else cfg.whole_image_max_distance) if t.present \
        else cfg.min_gone_distance
    return result(name, None, threshold, None, f"text not checked: {why}",
                  step=step.name, text=t.text, script=t.script, why=t.why)
