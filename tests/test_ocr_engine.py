"""Reading text where Tesseract, or one of its packs, is absent or stuck: the text is reported
not checked, with the reason and the command that installs what is missing (never passed,
never failed); and the demo prints those reasons."""
import sys

import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFont

from ogi_toolkit import demo
from ogi_toolkit.quality.checks import ocr
from ogi_toolkit.quality.checks.config import load_checks_config
from ogi_toolkit.quality.checks.items import CheckStep, TextExpectation
from ogi_toolkit.quality.checks.registry import StepImages
from ogi_toolkit.quality.checks.suite.text import text_checks


@pytest.fixture
def tesseract_as(monkeypatch):
    """Point pytesseract at another program and forget the packs found so far."""
    found = ocr.available_languages  # cached: cleared again once the test is done

    def point(command: str, languages: frozenset[str] | None = None) -> None:
        monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", command)
        found.cache_clear()
        if languages is not None:
            monkeypatch.setattr(ocr, "available_languages", lambda: languages)

    yield point
    found.cache_clear()


TEXT = load_checks_config().section("text")


def _read(step: CheckStep, image: Image.Image) -> list[dict]:
    return text_checks(StepImages(item=None, step=step, output=image, input=None), TEXT)


def _step(*texts: TextExpectation) -> tuple[CheckStep, Image.Image]:
    image = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(image).text((20, 30), "OPEN LATE", fill="black", font=ImageFont.load_default(size=40))
    return CheckStep(name="scene", output=None, input=None, scene=None, before=None, texts=list(texts)), image


OPEN = TextExpectation("OPEN LATE", "en", "Latn", present=True, why="scene text", box=(10, 20, 390, 100), size=40)
TOKYO = TextExpectation("東京", "ja", "Jpan", present=True, why="scene text", box=(10, 20, 390, 100), size=40)
GONE = TextExpectation("CLOSED", "en", "Latn", present=False, why="text_remove", box=None)


def test_without_tesseract_texts_are_not_checked_and_the_reason_names_make_system(tesseract_as):
    tesseract_as("/nonexistent/tesseract")
    assert ocr.tesseract_missing() == "Tesseract is not installed; `make system` installs it"
    step, image = _step(OPEN, GONE)
    results = _read(step, image)
    assert [(r["name"], r["value"], r["passed"]) for r in results] == [("text.present", None, None), ("text.gone", None, None)]
    assert {r["reason"] for r in results} == {"text not checked: Tesseract is not installed; `make system` installs it"}
    assert results[0]["text"] == "OPEN LATE" and results[0]["step"] == "scene"


def test_a_missing_language_pack_is_named_with_its_debian_package(tesseract_as):
    tesseract_as(sys.executable, languages=frozenset({"eng"}))  # "installed", with English only
    assert ocr.tesseract_missing("eng") is None
    assert ocr.tesseract_missing("jpn") == "Tesseract has no jpn language pack; `make system` installs it (tesseract-ocr-jpn)"
    assert "tesseract-ocr-chi-sim" in ocr.tesseract_missing("chi_sim+eng")
    [result] = _read(_step(TOKYO)[0], _step()[1])
    assert result["passed"] is None and result["value"] is None
    assert result["reason"].startswith("text not checked: Tesseract has no jpn language pack")


@pytest.mark.system("tesseract")
def test_a_read_past_its_time_is_not_checked(monkeypatch):
    step, image = _step(OPEN)
    with pytest.raises(ocr.OcrTimeout, match="took longer than 0.001 s"):
        ocr.read_text(image, "eng", timeout_s=0.001)
    monkeypatch.setattr(ocr, "TESSERACT_TIMEOUT_S", 0.001)
    [result] = _read(step, image)
    assert result["passed"] is None and result["value"] is None and "took longer than" in result["reason"]
    monkeypatch.undo()
    [result] = _read(step, image)  # and read, given its time
    assert result["passed"] is True


def test_the_demo_prints_the_checks_it_could_not_run(tesseract_as):
    tesseract_as("/nonexistent/tesseract")
    step, image = _step(OPEN, GONE)
    technical = {"name": "technical.not_flat", "value": 30.0, "threshold": 4.0, "passed": True}
    lines = [{"id": "a", "passed": True, "checks": [technical, *_read(step, image)]},
             {"id": "b", "passed": True, "checks": [technical]}]
    reasons, items = demo.checks_not_run(lines)
    assert reasons == {"text not checked: Tesseract is not installed; `make system` installs it": 2} and items == 1
    assert demo.ocr_exact_of_read(lines) == {}  # no "Latn 0/1": that text was not read, not misread
    read = {"name": "text.present", "value": 0.0, "threshold": 0.25, "passed": True, "exact": True, "script": "Latn"}
    assert demo.ocr_exact_of_read([*lines, {"id": "c", "passed": True, "checks": [read]}]) == {"Latn": [1, 1]}
    summary = {"settings": {"per_subtask": 1, "seed": 0, "backend": "sketch", "size": "512x512"}, "items": 2,
               "subtasks": 1, "by_kind": {}, "cost_usd": 0.0, "spent_this_run_usd": 0.0, "requests_sent": 0,
               "checks": {"items": 2, "passed": 2, "rates": {}, "ocr_exact": {}, "not_checked": reasons,
                          "items_not_fully_checked": items},
               "diversity": {}, "seconds": {}, "reused": [], "paths": {}, "first_images": {}}
    printed = demo.format_summary(summary)
    assert "2 of 2 items pass (1 of them with checks that did not run" in printed
    assert "2 checks, text not checked: Tesseract is not installed; `make system` installs it" in printed
