"""Image-side statistics: brightness, colourfulness, dominant colours, and near-duplicate
images by perceptual hash. Pixel statistics work offline; no image model is needed."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

__all__ = ["colourfulness", "image_stats", "perceptual_hashes", "image_near_duplicates"]

STATS_SIZE = 128  # statistics on a thumbnail: they barely change, and loading dominates


def colourfulness(rgb: np.ndarray) -> float:
    """Hasler & Suesstrunk (2003) colourfulness: with rg = R - G and yb = (R + G)/2 - B,
    M = sqrt(sd(rg)^2 + sd(yb)^2) + 0.3 sqrt(mean(rg)^2 + mean(yb)^2). 0 for grey images;
    above ~100 is "extremely colourful" on their scale."""
    r, g, b = (rgb[..., c].astype(np.float64) for c in range(3))
    rg, yb = r - g, 0.5 * (r + g) - b
    return float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))


def _dominant(image, k: int) -> list[str]:
    quantised = image.quantize(colors=k, method=0)  # median cut: deterministic
    palette = quantised.getpalette()[: 3 * k]
    order = sorted(quantised.getcolors(), reverse=True)
    return ["#%02x%02x%02x" % tuple(palette[3 * idx: 3 * idx + 3]) for _, idx in order]


def image_stats(paths: Sequence[str], *, dominant: int = 3) -> pd.DataFrame:
    """Per image: width, height, brightness (mean Rec. 601 luma, 0-255), colourfulness and
    the ``dominant`` most frequent colours (hex). Missing or unreadable files get an ``error``."""
    from PIL import Image

    rows = []
    for path in paths:
        row: dict = {"path": path}
        try:
            with Image.open(path) as img:
                row["width"], row["height"] = img.size
                small = img.convert("RGB")
                small.thumbnail((STATS_SIZE, STATS_SIZE))
            rgb = np.asarray(small)
            row["brightness"] = float((rgb @ np.array([0.299, 0.587, 0.114])).mean())
            row["colourfulness"] = colourfulness(rgb)
            row["dominant_colours"] = " ".join(_dominant(small, dominant))
        except (OSError, ValueError) as exc:
            row["error"] = f"{type(exc).__name__}: {exc}"
        rows.append(row)
    return pd.DataFrame(rows)


def perceptual_hashes(paths: Sequence[str]) -> np.ndarray:
    """64-bit pHash of each image as uint64 (``imagehash.phash``); 0 for unreadable files."""
    import imagehash
    from PIL import Image

    out = np.zeros(len(paths), np.uint64)
    for i, path in enumerate(paths):
        try:
            with Image.open(path) as img:
                bits = imagehash.phash(img).hash.ravel()
            out[i] = int("".join("1" if b else "0" for b in bits), 2)
        except OSError:
            pass
    return out


def image_near_duplicates(paths: Sequence[str], *, max_distance: int = 8, block: int = 512,
                          hashes: np.ndarray | None = None) -> pd.DataFrame:
    """Pairs of images whose pHash Hamming distance is at most ``max_distance`` (exact, all pairs).

    Measured: re-encoding/resizing moves pHash 0-2 bits, brightness x1.2 up to 8, a 5% crop
    10-16, unrelated images >= 14; so 8 catches re-encodes and light edits, not crops.
    ``hashes``: the paths' ``perceptual_hashes`` when already computed (e.g. by an engine).
    """
    hashes = perceptual_hashes(paths) if hashes is None else np.asarray(hashes, np.uint64)
    ok = np.flatnonzero(hashes != 0)
    h = hashes[ok]
    rows = []
    for start in range(0, len(h), block):
        dist = np.bitwise_count(h[start:start + block, None] ^ h[None, :])
        i, j = np.nonzero(dist <= max_distance)
        i = i + start
        keep = i < j
        rows += [(ok[a], ok[b], int(d)) for a, b, d in zip(i[keep], j[keep], dist[i[keep] - start, j[keep]])]
    out = pd.DataFrame(rows, columns=["i", "j", "distance"])
    out["path_i"] = [paths[i] for i in out["i"]]
    out["path_j"] = [paths[j] for j in out["j"]]
    return out
