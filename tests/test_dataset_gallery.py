"""The static gallery page of a dataset folder: every image, by relative path, in order."""
from __future__ import annotations

from html.parser import HTMLParser

from dataset_fixtures import make_dataset
from ogi_toolkit.dataset.gallery import gallery_page, write_gallery


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[tuple[str, str]] = []  # (src, caption of its figure)
        self.errors: list[str] = []
        self._src, self._caption, self._error = None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self._src = attrs["src"]
        self._caption = tag == "figcaption"
        self._error = "error" in (attrs.get("class") or "")

    def handle_data(self, data):
        if self._caption and self._src:
            self.images.append((self._src, data))
            self._src, self._caption = None, False
        elif self._error:
            self.errors.append(data)
            self._error = False


def test_the_page_shows_inputs_turns_and_references_in_order_by_relative_path(tmp_path):
    make_dataset(tmp_path / "data")
    page_path = write_gallery(tmp_path / "data", tmp_path / "pages" / "gallery.html", title="t")
    page = _Page()
    page.feed(page_path.read_text(encoding="utf-8"))
    srcs = [src for src, _ in page.images]
    assert all(src.startswith("../data/images/") and (page_path.parent / src).is_file() for src in srcs)
    captions = [caption for _, caption in page.images]
    # generation first, then the editing subtasks by domain: multi-turn, other challenging, subject manipulation
    assert captions == ["output",  # photographic_styles
                        "input", "turn 1: Remove the cup.", "turn 2: Make the background a beach.",  # two_turns
                        "input", "reference image", "output",  # reference_image
                        "input", "output"]  # remove
    assert srcs[1:4] == ["../data/images/sr/src3.png", "../data/images/tu/turn0.png", "../data/images/tu/turn1.png"]
    assert srcs[4:7] == ["../data/images/sr/src2.png", "../data/images/re/ref.png", "../data/images/ou/out2.png"]
    assert any("error" in text for text in page.errors)  # the failed item is listed, with its status


def test_instructions_are_escaped():
    record = {"id": "x", "status": "done", "instruction": "<script>alert(1)</script> & more",
              "spec": {"kind": "generation", "domain": "d", "subtask": "s"}, "output_image": "a.png"}
    html = gallery_page([record], lambda p: p)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
