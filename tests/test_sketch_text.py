"""Fonts and text fitting of the sketch renderer: every script drawable, no character lost."""
import pytest
from PIL import Image

from ogi_toolkit.backends.sketch.fonts import choose_font, font_files, missing_glyphs
from ogi_toolkit.backends.sketch.texts import TextPlan, draw_text, fit_text
from ogi_toolkit.spec import TextItem

SAMPLES = {"Latn": "Fresh Bread", "Cyrl": "Свежий хлеб", "Grek": "Φρέσκο ψωμί", "Arab": "خبز طازج",
           "Hebr": "לחם טרי", "Deva": "ताज़ा रोटी", "Hans": "新鲜面包", "Jpan": "焼きたてのパン", "Kore": "신선한 빵"}


def test_the_fonts_install_with_the_project():
    assert {"DejaVuSans", "DejaVuSerif", "NotoSansCJKjp-Regular", "NotoSansDevanagari", "Caveat"} <= set(font_files())


@pytest.mark.parametrize("script", sorted(SAMPLES))
def test_every_script_gets_a_font_with_all_its_glyphs(script):
    text = SAMPLES[script]
    assert missing_glyphs(choose_font(text), text) == []


def test_descriptors_choose_faces():
    assert choose_font("Hello", "elegant serif") == "DejaVuSerif"
    assert choose_font("Hello", "bold condensed sans-serif") == "DejaVuSans-Bold"
    assert choose_font("Hello", "typewriter monospace") == "DejaVuSansMono"
    assert choose_font("Hello", "handwritten script") == "Caveat"
    assert choose_font("नमस्ते", "handwritten script") == "NotoSansDevanagari"  # Caveat has no Devanagari


@pytest.mark.parametrize("text", ["A very long sentence that certainly cannot fit on one single line of this box",
                                  "这是一个很长的中文句子需要换行才能放进这个小盒子里面", "OK"])
def test_fitting_keeps_every_character(text):
    font = choose_font(text)
    size, lines = fit_text(text, font, (0, 0, 200, 60), 1.0)
    assert (" " if " " in text else "").join(lines) == text
    assert size >= 7 and len(lines) <= 10


def test_draw_text_records_what_it_drew():
    img = Image.new("RGB", (400, 200), "white")
    rec = draw_text(img, TextPlan(0, "t0", TextItem(text="Grand Opening", font="neon", colour="magenta"),
                                  (10, 10, 390, 90)))
    assert rec["text"] == "Grand Opening" and rec["font"] == "DejaVuSans-Bold"
    x0, y0, x1, y1 = rec["box"]
    assert 10 <= x0 < x1 <= 390 + 4 and img.crop((x0, y0, x1, y1)).getextrema() != ((255, 255),) * 3
