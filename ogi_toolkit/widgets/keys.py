"""A widget that sends the keys pressed inside a panel to Python (ipywidgets has none).

Put it in the panel (a box with the CSS class ``root_class``); ``on_key(callback)`` gets each
key named in ``shortcut_keys`` as the browser names it ("Enter", "ArrowLeft", "5", "y").
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import anywidget
import traitlets

__all__ = ["KeyCapture"]


class KeyCapture(anywidget.AnyWidget):
    _esm = Path(__file__).with_name("keys.js")
    shortcut_keys = traitlets.List(traitlets.Unicode()).tag(sync=True)
    root_class = traitlets.Unicode("ogi-rating-panel").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._callbacks: list[Callable[[str], None]] = []
        self.on_msg(self._on_msg)

    def on_key(self, callback: Callable[[str], None]) -> None:
        self._callbacks.append(callback)

    def _on_msg(self, _widget, content, _buffers) -> None:
        key = content.get("key") if isinstance(content, dict) else None
        if isinstance(key, str) and key in self.shortcut_keys:  # the page is not trusted to send only what we asked for
            for callback in self._callbacks:
                callback(key)
